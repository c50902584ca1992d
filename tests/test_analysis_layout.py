"""Models hold models, sparselib.analysis holds the measurements made on them.

- every measurement has one home in ``sparselib.analysis`` and its old import paths
  (``sparselib.models.drsae``, ``.topographic``, ``.lateral``, ``sparselib.models``) give the
  very same function object;
- the analysis modules import no model module and read models through public names only;
- every model's ``config()`` is JSON and rebuilds it: ``type(m)(**m.config())`` followed by
  ``load_state_dict(m.state_dict())`` gives identical outputs.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import torch

import sparselib.analysis as analysis
from sparselib.groups import Tree, contiguous_groups, torus_groups
from sparselib.models import (LISTA, ConvGroupSparseAutoencoder, DrSAE, GroupSparseAutoencoder,
                              JumpReLUAutoencoder, LateralInhibitionCoder,
                              LocallyConnectedAutoencoder, ReLUAutoencoder, SparseAutoencoder,
                              StackedConvEncoder, TopKAutoencoder, TopographicAutoencoder)

PACKAGE = Path(__file__).resolve().parent.parent / "sparselib"
CHECKPOINTS = PACKAGE.parent / "checkpoints"

HOMES = {
    "classification": ["accuracy_by_iteration", "ablation_accuracy", "activity_by_class",
                       "part_units", "categorical_units"],
    "reconstruction": ["relative_error", "explained_energy"],
    "orientation": ["filter_orientation", "orientation_difference", "map_smoothness",
                    "smoothness_ratio", "pinwheels", "random_orientation_maps",
                    "matched_wavelength", "pinwheel_null"],
    "inhibition": ["active_units", "path_fraction"],
    "readout": ["Readout", "linear_readout"],
    "few_label": ["carve_labelled", "fit_classifier", "correctness", "paired_bootstrap"],
    "invariance": ["shift_change"],
    "sae_metrics": ["l0", "fvu", "explained_variance", "dead_fraction", "shrinkage",
                    "SplicedMetrics", "spliced_metrics", "classes_per_unit", "polysemantic_units",
                    "pca_fvu"],
}
OLD_PATHS = {
    "sparselib.models.drsae": ["activity_by_class", "part_units", "categorical_units"],
    "sparselib.models.topographic": HOMES["orientation"],
    "sparselib.models.lateral": ["active_units", "path_fraction", "explained_energy"],
    "sparselib.models": ["activity_by_class", "categorical_units", "part_units", "path_fraction",
                         "filter_orientation", "map_smoothness", "orientation_difference",
                         "pinwheels"],
}


def test_the_package_exports_every_measurement_from_its_home():
    import importlib

    names = [name for names in HOMES.values() for name in names]
    assert sorted(analysis.__all__) == sorted(names)
    for module, members in HOMES.items():
        home = importlib.import_module(f"sparselib.analysis.{module}")
        assert sorted(home.__all__) == sorted(members)
        for name in members:
            assert getattr(analysis, name) is getattr(home, name)
            assert getattr(home, name).__module__ == home.__name__


@pytest.mark.parametrize("module,name", [(m, n) for m, names in OLD_PATHS.items() for n in names])
def test_an_old_import_path_gives_the_same_function(module, name):
    import importlib

    old = importlib.import_module(module)
    assert getattr(old, name) is getattr(analysis, name)
    assert name in old.__all__                        # still listed where it used to be


def analysis_sources():
    return sorted((PACKAGE / "analysis").glob("*.py"))


@pytest.mark.parametrize("path", analysis_sources(), ids=lambda p: p.name)
def test_analysis_imports_no_model_and_no_private_attribute(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = [(node.level, node.module or "") for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom)]
    imports += [(0, alias.name) for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]
    assert not [m for _, m in imports if m == "models" or "models." in m or m.endswith(".models")]
    private = [ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.Attribute)
               and node.attr.startswith("_") and not node.attr.startswith("__")]
    assert not private, private


def test_no_module_reaches_into_a_models_private_methods():
    """``model._codes(...)``, ``model._check_x(...)``: a model is used through its public methods."""
    reaches = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        reaches += [f"{path.name}: {ast.unparse(node)}" for node in ast.walk(tree)
                    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "model" and node.attr.startswith("_")
                    and not node.attr.startswith("__")]
    assert not reaches, reaches


def test_drsae_codes_are_the_forward_codes():
    torch.manual_seed(0)
    model = DrSAE(12, 8, 3, n_iter=4, init="lista")
    x = torch.rand(5, 12)
    torch.testing.assert_close(model.codes(x), model(x).codes, rtol=0, atol=0)
    with pytest.raises(ValueError, match=r"'x' parameter of DrSAE.codes must have shape"):
        model.codes(torch.rand(5, 11))


def test_activity_by_class_checks_its_inputs_as_before():
    torch.manual_seed(0)
    model = DrSAE(12, 8, 3, n_iter=2)
    x = torch.rand(6, 12)
    with pytest.raises(TypeError, match="'y' parameter of activity_by_class must be an integer tensor"):
        analysis.activity_by_class(model, x, torch.zeros(6))
    with pytest.raises(ValueError, match=r"'y' parameter of activity_by_class must hold labels in \[0, 3\)"):
        analysis.activity_by_class(model, x, torch.full((6,), 3))
    with pytest.raises(ValueError, match=r"'y' parameter of activity_by_class must have shape \(6,\)"):
        analysis.activity_by_class(model, x, torch.zeros(5, dtype=torch.long))


# ------------------------------------------------------------------ config() round trips

def tree():
    return Tree.complete(2, 2)


def fixed_S():
    S = torch.rand(7, 7)
    S = S + S.T
    return S.fill_diagonal_(0)


MODELS = {
    "DrSAE": (lambda: DrSAE(12, 8, 3, n_iter=3, lr_scales={"S": 2.0}, max_norm_S=1.5),
              lambda: torch.rand(4, 12)),
    "SparseAutoencoder-feedforward": (lambda: SparseAutoencoder(12, 8, lam=0.2, nonneg=True),
                                      lambda: torch.randn(4, 12)),
    "SparseAutoencoder-lista": (lambda: SparseAutoencoder(12, 8, encoder="lista", n_layers=2),
                                lambda: torch.randn(4, 12)),
    "SparseAutoencoder-fista": (lambda: SparseAutoencoder(12, 8, encoder="fista", fista_iter=7),
                                lambda: torch.randn(4, 12)),
    "GroupSparseAutoencoder": (lambda: GroupSparseAutoencoder(12, 8, torus_groups(4, 2)[:8, :8] * 0.5
                                                              + contiguous_groups(8, 2).repeat(2, 1),
                                                              eps=1e-3),
                               lambda: torch.randn(4, 12)),
    "GroupSparseAutoencoder-fista": (lambda: GroupSparseAutoencoder(12, 8, contiguous_groups(8, 4),
                                                                    encoder="fista", fista_iter=5),
                                     lambda: torch.randn(4, 12)),
    "TopographicAutoencoder": (lambda: TopographicAutoencoder(16, side=4, size=2, encoder="lista",
                                                              n_layers=2, nonneg=True),
                               lambda: torch.randn(4, 16)),
    "LISTA": (lambda: LISTA(torch.nn.functional.normalize(torch.randn(12, 8), dim=0), 0.1, 3),
              lambda: torch.randn(4, 12)),
    "LISTA-momentum": (lambda: LISTA(torch.randn(12, 8), 0.1, 3, nonneg=True, L=9.5,
                                     layer_momentum=True),
                       lambda: torch.randn(4, 12)),
    "LateralInhibitionCoder": (lambda: LateralInhibitionCoder(12, 7, n_iter=20),
                               lambda: torch.randn(4, 12)),
    "LateralInhibitionCoder-S": (lambda: LateralInhibitionCoder(12, 7, S=fixed_S(), n_iter=20),
                                 lambda: torch.randn(4, 12)),
    "LateralInhibitionCoder-tree": (lambda: LateralInhibitionCoder(12, 7, tree=tree(), scale=0.5,
                                                                   nonneg=True, n_iter=20),
                                    lambda: torch.randn(4, 12)),
    "LateralInhibitionCoder-learned": (lambda: LateralInhibitionCoder(12, 7, learn_S=True,
                                                                      budget=0.5, n_iter=20),
                                       lambda: torch.randn(4, 12)),
    "LocallyConnectedAutoencoder": (lambda: LocallyConnectedAutoencoder((10, 10), 6, stride=2,
                                                                        units=2, size=2),
                                    lambda: torch.randn(3, 1, 10, 10)),
    "LocallyConnectedAutoencoder-blurred": (
        lambda: LocallyConnectedAutoencoder((10, 10), 6, stride=2, units=2).set_pool_blur_(1.5),
        lambda: torch.randn(3, 1, 10, 10)),
    "LocallyConnectedAutoencoder-groups": (
        lambda: LocallyConnectedAutoencoder((8, 8), 4, stride=4, in_channels=2,
                                            groups=torch.rand(3, 4)),
        lambda: torch.randn(3, 2, 8, 8)),
    "ConvGroupSparseAutoencoder": (lambda: ConvGroupSparseAutoencoder(2, 6, 3, group_size=3, pool=2,
                                                                      pool_stride=1, padding=1,
                                                                      scale_init=0.3),
                                   lambda: torch.rand(2, 2, 7, 7)),
    "ReLUAutoencoder": (lambda: ReLUAutoencoder(12, 8, lam=0.3, tied=False),
                        lambda: torch.randn(4, 12)),
    "TopKAutoencoder": (lambda: TopKAutoencoder(12, 8, 3, batch_topk=True, aux_k=2, dead_after=7),
                        lambda: torch.randn(4, 12)),
    "JumpReLUAutoencoder": (lambda: JumpReLUAutoencoder(12, 8, l0_coef=0.2, bandwidth=0.1,
                                                        theta_init=0.02),
                            lambda: torch.randn(4, 12)),
    "StackedConvEncoder": (lambda: StackedConvEncoder([ConvGroupSparseAutoencoder(1, 4, 3),
                                                       ConvGroupSparseAutoencoder(2, 4, 2)]),
                           lambda: torch.rand(2, 1, 12, 12)),
}


def outputs(model, x):
    with torch.no_grad():
        out = model(x)
    return vars(out) if hasattr(out, "__dataclass_fields__") else {"out": out}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_config_rebuilds_the_model(name):
    make, data = MODELS[name]
    torch.manual_seed(0)
    model = make()
    with torch.no_grad():                        # trained-looking weights, not the initial ones
        for p in model.parameters():
            p.add_(0.01 * torch.randn_like(p))
    config = model.config()
    text = json.dumps(config)                    # JSON as it is, no default= hook
    assert json.loads(text) == config
    torch.manual_seed(1)                         # another initialisation
    rebuilt = type(model)(**json.loads(text))
    assert rebuilt.config() == config
    assert {k: v.shape for k, v in rebuilt.state_dict().items()} == \
        {k: v.shape for k, v in model.state_dict().items()}
    rebuilt.load_state_dict(model.state_dict())
    x = data()
    got, want = outputs(rebuilt, x), outputs(model, x)
    assert list(got) == list(want)
    for key in want:
        assert torch.equal(got[key], want[key]), key


def test_configs_are_the_constructor_arguments():
    torch.manual_seed(0)
    assert SparseAutoencoder(12, 8).config() == {
        "n_features": 12, "n_atoms": 8, "lam": 0.1, "encoder": "feedforward", "n_layers": 3,
        "nonneg": False, "fista_iter": 100}
    topo = TopographicAutoencoder(16, side=4, size=2)
    assert topo.config() == {"n_features": 16, "side": 4, "size": 2, "lam": 0.1, "eps": 1e-4,
                             "encoder": "feedforward", "n_layers": 3, "nonneg": False,
                             "fista_iter": 100}
    group = GroupSparseAutoencoder(12, 8, contiguous_groups(8, 4))
    assert group.config()["groups"] == contiguous_groups(8, 4).tolist()
    coder = LateralInhibitionCoder(12, 7, tree=tree())
    assert coder.config()["tree"] == {"parent": tree().parent.tolist()}
    assert coder.config()["S"] is None
    assert LateralInhibitionCoder(12, 7).config()["S"] is None
    lc = LocallyConnectedAutoencoder((10, 10), 6, stride=2)
    assert lc.config()["groups"] is None and lc.config()["image_shape"] == [10, 10]
    conv = ConvGroupSparseAutoencoder(1, 4, 3, pool=3)
    assert conv.config()["pool_stride"] == 3 and conv.config()["scale_init"] == 0.1
    lista = LISTA(torch.eye(3), 0.2, 2, layer_momentum=True)
    assert lista.config()["D"] == torch.eye(3).tolist()
    assert lista.config()["layer_steps"] and lista.config()["layer_thresholds"]


def test_a_nested_list_that_is_not_a_matrix_is_named():
    with pytest.raises(TypeError, match="'groups' parameter of GroupSparseAutoencoder must be a "
                                        "tensor or a nested list of numbers"):
        GroupSparseAutoencoder(12, 8, [[0, 1], [1]])
    with pytest.raises(TypeError, match="'tree' parameter of LateralInhibitionCoder must be a sparselib"):
        LateralInhibitionCoder(12, 7, tree={"parents": [-1]})


@pytest.mark.parametrize("name", ["drsae-digits", "drsae-mnist"])
def test_committed_checkpoints_record_their_models_config(name):
    from sparselib import recipes

    record = json.loads((CHECKPOINTS / f"{name}.json").read_text())
    model = recipes.load(CHECKPOINTS / f"{name}.pt")
    assert model.config() == record["model_config"]


def test_a_recipe_record_of_a_group_model_reloads():
    from sparselib import recipes

    torch.manual_seed(0)
    model = recipes.build_model("GroupSparseAutoencoder", {"n_features": 12, "n_atoms": 8, "lam": 0.2,
                                                           "groups": {"kind": "contiguous", "size": 4}})
    again = recipes.build_model("GroupSparseAutoencoder", json.loads(json.dumps(model.config())))
    assert again.config() == model.config()
    assert torch.equal(again.G, contiguous_groups(8, 4))
