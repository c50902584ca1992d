"""Chapter 5's explorer: what the tree inhibition costs in reconstruction.

Each frame of InhibitionExplorer reports, over all its inputs, the relative reconstruction
error with the inhibition and without it (same dictionary), and the mean number of active
units. These tests recompute those numbers independently: the error from the drawn codes
with numpy, the codes without inhibition with scikit-learn's non-negative Lasso, and the
codes with inhibition through their optimality conditions (every active unit's correlation
with the residual equals its threshold λ + (V z)_i, every inactive one's stays below it).
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.linear_model import Lasso

from sparselib import i18n, widgets
from sparselib.groups import Tree, tree_inhibition

LAM = 0.05  # the explorer's sparsity weight (explore.inhibition_code's default)


@pytest.fixture(scope="module")
def explorer():
    return widgets.InhibitionExplorer(tree=Tree.complete(2, 2), scales=[0.0, 0.3, 1.0], n_inputs=10,
                                      samples=2, n_features=12)


def relative_error(X, Z, W):
    X, Z, W = (np.asarray(a, dtype=np.float64) for a in (X, Z, W))
    return np.sqrt(((X - Z @ W.T) ** 2).sum() / (X ** 2).sum())


def nonneg_lasso(X, W, lam):
    """min_z ½‖x − W z‖² + lam·‖z‖₁, z ≥ 0: sklearn scales the squared error by 1/n_samples."""
    n = W.shape[0]
    model = Lasso(alpha=lam / n, fit_intercept=False, positive=True, tol=1e-12, max_iter=100000)
    return np.stack([model.fit(W, x).coef_.copy() for x in X])


@pytest.mark.parametrize("scale", [0.0, 0.3, 1.0])
def test_the_error_and_the_active_units_are_those_of_the_drawn_codes(explorer, scale):
    r = explorer.compute(scale, 0)
    Z = r.z.numpy()
    assert r.rel_error == pytest.approx(relative_error(explorer.X, Z, explorer.W_d), rel=1e-9)
    assert r.active == pytest.approx((Z != 0).sum(1).mean(), rel=1e-12)


def test_without_inhibition_the_codes_are_the_non_negative_lasso(explorer):
    """α = 0 is plain non-negative L1: scikit-learn's solution gives the same error."""
    Z = nonneg_lasso(explorer.X.numpy(), explorer.W_d.numpy(), LAM)
    Z[Z <= 0.05 * Z.max(1, keepdims=True)] = 0          # the explorer's activity rule
    free = explorer.compute(0.0, 0)
    assert free.rel_error == pytest.approx(free.rel_error_free, rel=1e-12)
    assert free.rel_error_free == pytest.approx(relative_error(explorer.X, Z, explorer.W_d), abs=2e-3)
    assert free.active_free == pytest.approx((Z != 0).sum(1).mean(), abs=1e-12)


@pytest.mark.parametrize("scale", [0.3, 1.0])
def test_with_inhibition_the_codes_satisfy_their_optimality_conditions(explorer, scale):
    """Non-negative codes with thresholds λ + (V z)_i: the correlation of each unit with the
    residual, c_i = w_iᵀ(x − W_d z), equals the threshold where z_i > 0 and stays below it
    where z_i = 0 (up to the units the 5 % activity rule set to zero)."""
    r = explorer.compute(scale, 0)
    X, W, Z = explorer.X.numpy(), explorer.W_d.numpy(), r.z.numpy()
    V = tree_inhibition(explorer.tree, scale).double().numpy()
    C = (X - Z @ W.T) @ W                                 # (batch, n_atoms)
    theta = LAM + Z @ V
    slack = 0.05 * np.abs(Z).max(1, keepdims=True)        # what the activity rule may drop
    assert np.abs(C - theta)[Z > 0].max() < 0.02
    assert (C - theta)[Z == 0].max() < 0.02 + slack.max()


def test_the_inhibition_costs_reconstruction_and_units(explorer):
    """The inputs each contain an off-branch atom: forbidding it costs error, and the codes
    get sparser; the reference without inhibition is the same in every frame."""
    frames = [explorer.compute(a, 0) for a in (0.0, 0.3, 1.0)]
    errors = [f.rel_error for f in frames]
    assert errors[0] < errors[1] < errors[2]
    assert frames[2].active < frames[0].active
    assert len({f.rel_error_free for f in frames}) == 1 and len({f.active_free for f in frames}) == 1


def test_the_frame_and_the_alt_text_show_the_numbers(explorer):
    values = {"scale": 1.0, "sample": 1}
    r = explorer.compute(**values)
    err, err0 = f"{r.rel_error:.3f}", f"{r.rel_error_free:.3f}"
    text = " ".join(t.get_text() for t in explorer.figure(r, values).texts)
    assert err in text and err0 in text and f"{r.active:.1f}" in text
    for lang in i18n.LANGUAGES:
        alt = explorer.alt(r, values, lang)
        assert err in alt and err0 in alt and f"{r.active:.1f}" in alt and f"{r.active_free:.1f}" in alt, lang
        assert "{" not in alt, lang


def test_the_static_rendering_carries_a_frame_per_setting(explorer):
    text = explorer.to_html()
    assert text.count("data:image/png;base64,") == len(explorer.grid()) + 1   # + the first frame shown
