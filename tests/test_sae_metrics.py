"""Chapter 6's measurements (sparselib.analysis.sae_metrics), each against a closed form."""
from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from sparselib.analysis import (classes_per_unit, dead_fraction, explained_variance, fvu, l0,
                                pca_fvu, polysemantic_units, shrinkage, spliced_metrics)


def data(n=50, d=6, seed=0, dtype=torch.float64):
    torch.manual_seed(seed)
    return torch.randn(n, d, dtype=dtype) + 3.0          # a large mean, as activations have


def test_l0_counts_nonzeros_per_sample():
    z = torch.tensor([[0.0, 1.0, 2.0], [0.0, 0.0, 0.0], [3.0, -1.0, 4.0], [0.0, 0.0, 5.0]])
    assert l0(z) == pytest.approx(6 / 4)
    assert l0(z, chunk_size=3) == pytest.approx(6 / 4)
    assert l0(z.bool()) == pytest.approx(6 / 4)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_fvu_closed_forms(dtype):
    x = data(dtype=dtype)
    mean = x.mean(0, keepdim=True)
    assert fvu(x, x) == 0.0
    assert fvu(x, mean.expand_as(x)) == pytest.approx(1.0)
    for c in (0.0, 0.3, 0.9, 1.5):                       # x̂ = x̄ + c(x − x̄): FVU = (1 − c)²
        assert fvu(x, mean + c * (x - mean)) == pytest.approx((1 - c) ** 2, abs=1e-6)
    assert explained_variance(x, mean + 0.5 * (x - mean)) == pytest.approx(0.75)


def test_fvu_is_pooled_not_a_mean_of_ratios_and_chunks_agree():
    x = data()
    x_hat = x + 0.1 * torch.randn_like(x)
    x64 = x.double()
    want = float((x64 - x_hat).pow(2).sum(1).mean()
                 / (x64.pow(2).sum(1).mean() - x64.mean(0).pow(2).sum()))
    assert fvu(x, x_hat) == pytest.approx(want, rel=1e-10)
    assert fvu(x, x_hat, chunk_size=7) == pytest.approx(want, rel=1e-10)
    per_sample = float(((x - x_hat).pow(2).sum(1) / (x - x.mean(0)).pow(2).sum(1)).mean())
    assert abs(per_sample - want) > 1e-3 * want


def test_fvu_in_float32_survives_a_large_mean():
    """E‖x‖² − ‖Ex‖² in float32 would lose every digit of a variance of 1 at a mean of 1e4."""
    torch.manual_seed(0)
    x = torch.randn(2000, 4) + 1e4
    mean = x.double().mean(0).float()
    assert fvu(x, mean.expand_as(x)) == pytest.approx(1.0, rel=1e-3)


def test_dead_fraction():
    z = torch.zeros(9, 5)
    z[0, 1], z[8, 3] = 1.0, -2.0
    assert dead_fraction(z) == pytest.approx(3 / 5)
    assert dead_fraction(z, chunk_size=2) == pytest.approx(3 / 5)
    assert dead_fraction(torch.ones(2, 4)) == 0.0


def test_shrinkage_closed_forms():
    x = data()
    assert shrinkage(x, 0.9 * x) == pytest.approx(0.9)
    assert shrinkage(x, x) == pytest.approx(1.0)
    # an orthogonal projection is unbiased in scale: ⟨x, Px⟩ = ‖Px‖²
    Q, _ = torch.linalg.qr(torch.randn(6, 3, dtype=torch.float64))
    assert shrinkage(x, x @ Q @ Q.T, chunk_size=11) == pytest.approx(1.0)


def test_spliced_metrics_by_hand():
    torch.manual_seed(0)
    W, b = torch.randn(4, 6, dtype=torch.float64), torch.randn(4, dtype=torch.float64)

    def head(h):
        return h @ W.T + b

    h = data(n=30)
    y = torch.randint(0, 4, (30,))
    h_hat = h + 0.5 * torch.randn_like(h)
    got = spliced_metrics(head, h, h_hat, y, chunk_size=7)

    def reference(inputs):
        logits = head(inputs)
        return float((logits.argmax(1) == y).double().mean()), float(F.cross_entropy(logits, y))

    for (acc, ce), inputs in [((got.accuracy, got.cross_entropy), h_hat),
                              ((got.clean_accuracy, got.clean_cross_entropy), h),
                              ((got.zero_accuracy, got.zero_cross_entropy), torch.zeros_like(h)),
                              ((got.mean_accuracy, got.mean_cross_entropy), h.mean(0).expand_as(h))]:
        want_acc, want_ce = reference(inputs)
        assert acc == pytest.approx(want_acc) and ce == pytest.approx(want_ce)
    # zero-ablation predicts one class for every input: the cross-entropy of a constant
    assert got.zero_cross_entropy == pytest.approx(float(F.cross_entropy(b.expand(30, 4), y)))
    assert set(got.as_dict()) == {"accuracy", "cross_entropy", "clean_accuracy",
                                  "clean_cross_entropy", "zero_accuracy", "zero_cross_entropy",
                                  "mean_accuracy", "mean_cross_entropy"}


def test_polysemantic_rule_by_hand():
    y = torch.tensor([0, 0, 1, 1, 2, 2, 3, 3])
    h = torch.zeros(8, 4)
    h[y == 0, 0] = 1.0                                # unit 0: one class
    h[:, 1] = torch.tensor([1.0, 1.0, 0.6, 0.6, 0.55, 0.55, 0.4, 0.4])   # > 0.5 for classes 0-2
    h[:, 2] = torch.tensor([1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])     # = 0.5 is not above
    assert classes_per_unit(h, y).tolist() == [1, 3, 1, 0]                # unit 3: never active
    assert polysemantic_units(h, y).tolist() == [False, True, False, False]
    assert classes_per_unit(h, y, ratio=0.3).tolist() == [1, 4, 4, 0]
    assert polysemantic_units(h, y, min_classes=4, ratio=0.3).tolist() == [False, True, True, False]


def test_pca_fvu_closed_forms():
    torch.manual_seed(0)
    basis = torch.linalg.qr(torch.randn(8, 8, dtype=torch.float64))[0]
    scales = torch.tensor([5.0, 3.0, 2.0, 1.0, 0.5, 0.2, 0.1, 0.05], dtype=torch.float64)
    x = (torch.randn(4000, 8, dtype=torch.float64) * scales) @ basis.T + 1.0
    # on its own training set, FVU(k) is the share of the trailing eigenvalues
    eig = torch.linalg.eigvalsh(torch.cov(x.T)).flip(0)
    for k in (1, 3, 8):
        assert pca_fvu(x, x, k) == pytest.approx(float(eig[k:].sum() / eig.sum()), abs=1e-10)
    low_rank = (torch.randn(100, 2, dtype=torch.float64) @ torch.randn(2, 8, dtype=torch.float64))
    assert pca_fvu(low_rank, low_rank, 2) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("call,error,match", [
    (lambda: fvu(torch.ones(3, 2), torch.ones(3, 3)), ValueError, "'x_hat' parameter of fvu must have the shape of x"),
    (lambda: fvu(torch.ones(3, 2), torch.ones(3, 2)), ValueError, "'x' parameter of fvu must vary over its rows"),
    (lambda: fvu([[1.0]], torch.ones(1, 1)), TypeError, "'x' parameter of fvu must be a torch.Tensor"),
    (lambda: l0(torch.ones(3)), ValueError, "'z' parameter of l0 must be a 2-D tensor"),
    (lambda: dead_fraction(torch.ones(3, 2), chunk_size=0), ValueError, "'chunk_size' parameter of dead_fraction"),
    (lambda: shrinkage(torch.ones(2, 2), torch.zeros(2, 2)), ValueError, "'x_hat' parameter of shrinkage"),
    (lambda: spliced_metrics(3, torch.ones(2, 2), torch.ones(2, 2), torch.zeros(2, dtype=torch.long)),
     TypeError, "'head' parameter of spliced_metrics must be a function"),
    (lambda: spliced_metrics(lambda h: h, torch.ones(2, 2), torch.ones(2, 2), torch.zeros(3, dtype=torch.long)),
     ValueError, r"'y' parameter of spliced_metrics must have shape \(2,\) to match h"),
    (lambda: classes_per_unit(torch.ones(2, 2), torch.zeros(2, dtype=torch.long), ratio=1.0),
     ValueError, r"'ratio' parameter of classes_per_unit must be in \[0, 1\)"),
    (lambda: polysemantic_units(torch.ones(2, 2), torch.zeros(2, dtype=torch.long), min_classes=1),
     ValueError, "'min_classes' parameter of polysemantic_units must be an int >= 2"),
    (lambda: pca_fvu(torch.ones(4, 3), torch.ones(2, 3), 4), ValueError, "'k' parameter of pca_fvu must be at most n_features=3"),
    (lambda: pca_fvu(torch.ones(4, 3), torch.ones(2, 2), 1), ValueError, "'x_test' parameter of pca_fvu must have shape"),
])
def test_bad_inputs_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_large_sets_are_evaluated_in_chunks():
    torch.manual_seed(0)
    x = torch.randn(20000, 3)
    x_hat = 0.8 * x
    assert fvu(x, x_hat, chunk_size=1000) == pytest.approx(fvu(x, x_hat, chunk_size=20000), rel=1e-12)
    assert shrinkage(x, x_hat, chunk_size=999) == pytest.approx(0.8, rel=1e-6)
    assert math.isfinite(l0(x, chunk_size=512))
