"""Chapter 6's experiment (sparselib.protocols.sae_bridge) on a tiny setting, and the λ
conversion of its amortisation gap checked by the SAE objective's optimality conditions."""
from __future__ import annotations

import json
import math

import pytest
import torch

from sparselib.data import load_digits
from sparselib.protocols import sae_bridge

TINY = dict(n_latents=16, fit_kw={"epochs": 1}, mlp_fit={"epochs": 2}, fista_iter=200,
            settings=["relu_l1", "topk_tied_auxk", "jumprelu"],
            sweeps={"relu_l1": [1.0], "topk": [2], "jumprelu": [0.5]})


@pytest.fixture(scope="module")
def split():
    return load_digits(seed=0, verbose=False)


@pytest.fixture(scope="module")
def record(split):
    return sae_bridge.run(split, **TINY)


def test_the_record_has_every_part_and_is_json(record):
    assert json.loads(json.dumps(record)) == record
    assert set(record["table"]) == set(TINY["settings"])
    for row in record["table"].values():
        assert set(row) == {"l0", "fvu", "dead", "shrinkage", "spliced_accuracy",
                            "spliced_cross_entropy", "seconds"}
        assert all(math.isfinite(v) for v in row.values())
        assert 0 <= row["dead"] <= 1 and 0 <= row["spliced_accuracy"] <= 1
    assert record["table"]["topk_tied_auxk"]["l0"] <= 8
    assert len(record["mlp"]["classes_per_unit"]) == 64
    assert 0 <= record["mlp"]["polysemantic"] <= 64
    base = record["baselines"]
    assert set(base) == {"random_mlp_topk_tied_auxk", "pca_fvu", "random_mlp_pca_fvu",
                         "linear_probe_h", "linear_probe_pixels"}
    assert 0 < base["pca_fvu"]["8"] < base["pca_fvu"]["2"] < 1
    for name, values in TINY["sweeps"].items():
        rows = record["sweeps"][name]["rows"]
        assert [r[record["sweeps"][name]["argument"]] for r in rows] == values
    assert record["settings"]["relu_l1"]["model"] == "ReLUAutoencoder"


def test_fista_beats_the_encoder_on_the_sae_objective(record):
    gap = record["amortisation"]
    assert gap["lam_fista"] == pytest.approx(gap["lam_sae"] / 2)
    assert gap["fista"]["objective"] <= gap["encoder"]["objective"] + 1e-6


def test_the_fista_codes_are_optimal_for_the_saes_own_objective(split):
    """With lam = λ/2 on the centred data, FISTA's codes satisfy the KKT conditions of the
    SAE's objective ‖x − b_d − z W_dᵀ‖² + λ Σ z_i over z ≥ 0 (gradient 0 where z > 0, ≥ 0
    where z = 0); with lam = λ they would not."""
    torch.manual_seed(0)
    h = split.X_train[:64].double()
    model = sae_bridge.KINDS["relu"](64, 32, lam=0.4).double().init_decoder_bias_(h, "median")
    from sparselib.solvers import fista

    W_d, b_d = model.W_d.detach(), model.b_d.detach()

    def kkt_violation(lam_fista):
        z, _ = fista(h - b_d, W_d, lam_fista, prox="nonneg_l1", max_iter=5000, tol=1e-14)
        grad = 2 * (z @ W_d.T - (h - b_d)) @ W_d + model.lam            # (batch, n_latents)
        return float(torch.where(z > 0, grad.abs(), torch.relu(-grad)).max())

    assert kkt_violation(model.lam / 2) < 1e-5
    assert kkt_violation(model.lam) > 0.1


def test_the_untrained_mlp_is_the_same_network_before_training(split):
    fresh = sae_bridge.train_mlp(split, seed=3, trained=False)
    trained = sae_bridge.train_mlp(split, seed=3, fit_kw={"epochs": 1})
    assert not torch.equal(fresh.fc1.weight, trained.fc1.weight)
    again = sae_bridge.train_mlp(split, seed=3, trained=False)
    assert torch.equal(fresh.fc1.weight, again.fc1.weight)


def test_bad_names_are_refused(split):
    h = torch.rand(10, 4)
    with pytest.raises(ValueError, match="'kind' parameter of train_sae must be 'relu', 'topk' or 'jumprelu'"):
        sae_bridge.train_sae("l1", {}, h)
    with pytest.raises(ValueError, match="'name' parameter of sweep must be"):
        sae_bridge.sweep("relu", h, h)


def test_the_committed_record_matches_the_protocol():
    """checkpoints/sae-bridge.json (benchmarks/sae_bridge.py, chapter 6's figures) holds every
    setting and sweep of the protocol, and each setting's config rebuilds its model."""
    from sparselib import recipes
    from sparselib.checkpoints import checkpoint

    record = json.loads(checkpoint("sae-bridge.json").read_text(encoding="utf-8"))
    assert set(record["table"]) == set(sae_bridge.SETTINGS)
    assert set(record["sweeps"]) == set(sae_bridge.SWEEPS)
    for name, (kind, kwargs) in sae_bridge.SETTINGS.items():
        entry = record["settings"][name]
        model = recipes.build_model(entry["model"], entry["config"])
        assert isinstance(model, sae_bridge.KINDS[kind])
        assert {k: entry["config"][k] for k in kwargs} == kwargs
    for name, (_, arg, values) in sae_bridge.SWEEPS.items():
        assert [row[arg] for row in record["sweeps"][name]["rows"]] == values
