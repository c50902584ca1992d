"""One explorer is one file: sparselib.explorers holds each explorer, its pure compute and its
result in a module of its own (base holds the shared machinery), and the old homes
(sparselib.widgets, sparselib.explore) re-export the very same objects. Explorers take their
models and data from the chapter: no explorer module imports recipes, data or checkpoints.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import torch

import sparselib.explore as explore
import sparselib.explorers as explorers
import sparselib.widgets as widgets
from sparselib import functional, groups
from sparselib.groups import Tree

PACKAGE = Path(__file__).resolve().parent.parent / "sparselib"

HOMES = {  # module of sparselib.explorers -> its explorer and its compute
    "penalty": ["PenaltyExplorer", "PenaltyGeometry", "penalty_geometry", "PENALTIES"],
    "sparse_code": ["SparseCodeExplorer", "SparseCodeStep", "SparseCode", "sparse_code"],
    "drsae": ["DrSAEExplorer", "DrSAEFrame", "drsae_frame"],
    "group_sparsity": ["GroupSparsityExplorer", "GroupCode", "group_code"],
    "inhibition": ["InhibitionExplorer", "InhibitionFrame", "InhibitionCode", "inhibition_code",
                   "branch_pairs"],
    "pooling": ["PoolingExplorer", "PoolingShift", "pooling_shift", "shift_image", "l2_pool"],
    "sae": ["SAEExplorer", "SAEPoint", "sae_point"],
}
EXPLORER_NAMES = [names[0] for names in HOMES.values()]


def test_each_explorer_lives_in_its_own_module():
    modules = {getattr(explorers, name).__module__ for name in EXPLORER_NAMES}
    assert len(modules) == len(EXPLORER_NAMES)
    for module, names in HOMES.items():
        for name in names:
            obj = getattr(explorers, name)
            if name == "PENALTIES":                      # a tuple: find it by identity
                assert obj is getattr(getattr(explorers, module), name)
            else:
                assert obj.__module__ == f"sparselib.explorers.{module}", name
    assert tuple(getattr(explorers, n) for n in EXPLORER_NAMES) == explorers.EXPLORERS


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_widgets_reexports_the_same_explorer(name):
    cls = getattr(widgets, name)
    assert cls is getattr(explorers, name)
    assert issubclass(cls, explorers.Explorer) and name in widgets.__all__


def test_the_old_homes_reexport_every_public_name():
    for name in ["Slider", "Explorer", "MAX_HTML_BYTES", "png_bytes", "SparseCodeStep", "InhibitionFrame"]:
        assert getattr(widgets, name) is getattr(explorers, name), name
    for name in explore.__all__:
        home = {"inhibition_prox_2d": functional, "block_groups": groups}.get(name, explorers)
        assert getattr(explore, name) is getattr(home, name), name


def test_every_file_is_small():
    for path in sorted((PACKAGE / "explorers").glob("*.py")):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 350, path.name
    for path in (PACKAGE / "widgets.py", PACKAGE / "explore.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 40, path.name


def test_tree_layout_places_leaves_and_centres_parents():
    tree = Tree([-1, 0, 0, 1, 1, 2, -1])             # leaves 3, 4, 5 and the lone root 6
    pos = tree.layout()
    assert pos.dtype == torch.float64 and pos.shape == (7, 2)
    assert pos[:, 0].tolist() == [1.25, 0.5, 2.0, 0.0, 1.0, 2.0, 3.0]
    assert pos[:, 1].tolist() == [0.0, -1.0, -1.0, -2.0, -2.0, -2.0, 0.0]


# Where models and data sets come from: the chapter's business, never an explorer's.
LOADERS = ("sparselib.recipes", "sparselib.data", "sparselib.checkpoints")


def imported_modules(source: str, module: str) -> set[str]:
    """Every module that ``source`` (the module ``module`` of sparselib.explorers) imports,
    anywhere in it (also inside functions), relative imports resolved; ``from X import name``
    gives both ``X`` and ``X.name`` (``name`` may be a module)."""
    package = module.rsplit(".", 1)[0].split(".")
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def loaders_in(found: set[str]) -> list[str]:
    return sorted(m for m in found if any(m == L or m.startswith(L + ".") for L in LOADERS))


@pytest.mark.parametrize("path", sorted((PACKAGE / "explorers").glob("*.py")), ids=lambda p: p.name)
def test_no_explorer_loads_models_or_data(path):
    module = f"sparselib.explorers.{path.stem}"
    found = imported_modules(path.read_text(encoding="utf-8"), module)
    assert not loaders_in(found), f"{path.name} imports {loaders_in(found)}: take them from the caller"


def test_the_loader_check_can_fail():
    """The check sees relative, absolute and function-local imports of every loader."""
    source = ("from ..data import load_digits\n"
              "def f():\n    from .. import recipes\n    import sparselib.checkpoints\n"
              "from ..models.drsae import DrSAE\n")
    found = imported_modules(source, "sparselib.explorers.probe")
    assert loaders_in(found) == ["sparselib.checkpoints", "sparselib.data", "sparselib.data.load_digits",
                                 "sparselib.recipes"]
    assert "sparselib.models.drsae" in found


def test_explorers_require_the_chapters_model_and_data():
    """The models and data the chapters pass are required, and a wrong kind is named."""
    with pytest.raises(TypeError, match="missing 2 required positional arguments: 'x' and 'W_d'"):
        explorers.SparseCodeExplorer()
    with pytest.raises(TypeError, match="missing 2 required positional arguments: 'model' and 'X'"):
        explorers.DrSAEExplorer()
    with pytest.raises(TypeError, match="missing 2 required positional arguments: 'model' and 'x'"):
        explorers.PoolingExplorer()
    with pytest.raises(TypeError, match="'x' parameter of SparseCodeExplorer must be a torch.Tensor"):
        explorers.SparseCodeExplorer([1.0, 0.0], torch.eye(2))
    with pytest.raises(ValueError, match="'W_d' parameter of SparseCodeExplorer must be a 2-D tensor"):
        explorers.SparseCodeExplorer(torch.ones(2), torch.ones(2))
    with pytest.raises(ValueError, match="'W_d' parameter of SparseCodeExplorer must be of shape "
                                         r"\(n_features, n_atoms\) with n_features = 3"):
        explorers.SparseCodeExplorer(torch.ones(3), torch.eye(2))
    with pytest.raises(TypeError, match="'model' parameter of DrSAEExplorer must be a trained sparselib "
                                        "DrSAE. Got None"):
        explorers.DrSAEExplorer(None, torch.rand(5, 16))
    from sparselib.models.drsae import DrSAE
    model = DrSAE(16, 12, 3, n_iter=2)
    with pytest.raises(TypeError, match="'X' parameter of DrSAEExplorer must be a torch.Tensor"):
        explorers.DrSAEExplorer(model, None)
    with pytest.raises(ValueError, match=r"'X' parameter of DrSAEExplorer must have shape "
                                         r"\(n_samples, 16\) to match the model's n_features"):
        explorers.DrSAEExplorer(model, torch.rand(5, 15))
    with pytest.raises(ValueError, match=r"'y' parameter of DrSAEExplorer must hold labels in \[0, 3\)"):
        explorers.DrSAEExplorer(model, torch.rand(5, 16), torch.arange(5))
    from sparselib.models.conv import ConvGroupSparseAutoencoder
    conv = ConvGroupSparseAutoencoder(1, 4, 3, group_size=2, pool=2, pool_stride=1, padding=1)
    with pytest.raises(TypeError, match="'x' parameter of PoolingExplorer must be a torch.Tensor"):
        explorers.PoolingExplorer(conv, None)
