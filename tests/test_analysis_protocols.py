"""The protocols' measurements in sparselib.analysis: the linear read-out (one definition, used
by chapter 2 and benchmarks/drsae_ablation.py), the few-label carve and classifier, and the
shift change of chapter 4."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from sparselib.analysis import (carve_labelled, correctness, fit_classifier, linear_readout,
                                shift_change)


def problem(n_train=300, n_test=120, n_features=10, n_atoms=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    W = torch.randn(n_features, n_atoms, generator=g, dtype=torch.float64)
    X_tr = torch.randn(n_train, n_features, generator=g)
    X_te = torch.randn(n_test, n_features, generator=g)
    encode = lambda X: torch.relu(X.double() @ W).float()                 # (n, n_atoms)
    return encode, X_tr, X_te


def test_linear_readout_is_the_stated_ridge_solution():
    encode, X_tr, X_te = problem()
    out = linear_readout(encode, X_tr, X_te)
    A = torch.cat([encode(X_tr), torch.ones(len(X_tr), 1)], 1).double()
    gram = A.T @ A
    rho = 1e-3 * gram.diagonal().mean()
    W = torch.linalg.inv(gram + rho * torch.eye(len(gram), dtype=gram.dtype)) @ A.T @ X_tr.double()
    X_hat = torch.cat([encode(X_te), torch.ones(len(X_te), 1)], 1).double() @ W
    torch.testing.assert_close(out.x_hat, X_hat.float())
    assert out.x_hat.dtype == X_te.dtype and out.x_hat.shape == X_te.shape
    assert out.error == pytest.approx(0.5 * float((X_te.double() - X_hat).pow(2).sum(1).mean()), rel=1e-10)


def test_linear_readout_without_ridge_is_least_squares_and_exact_for_a_linear_code():
    encode, X_tr, X_te = problem()
    plain = linear_readout(encode, X_tr, X_te, ridge=0.0)
    A = lambda X: torch.cat([encode(X), torch.ones(len(X), 1)], 1).double()
    lstsq = A(X_te) @ torch.linalg.lstsq(A(X_tr), X_tr.double()).solution
    torch.testing.assert_close(plain.x_hat.double(), lstsq, rtol=1e-5, atol=1e-6)
    # the ridge costs a little on the test split, never much
    assert plain.error <= linear_readout(encode, X_tr, X_te).error * 1.05
    # a code that is an invertible linear map of the input is read out exactly
    M = torch.randn(10, 10, generator=torch.Generator().manual_seed(1)).double()
    exact = linear_readout(lambda X: (X.double() @ M).float(), X_tr, X_te, ridge=0.0)
    assert exact.error < 1e-8


def test_linear_readout_survives_a_dead_unit_and_checks_its_inputs():
    encode, X_tr, X_te = problem()
    dead = lambda X: torch.cat([encode(X), torch.zeros(len(X), 2)], 1)   # two units never fire
    # the ridge keeps the read-out defined (it is relative to the mean code energy, which the
    # dead units lower a little); plain least squares has no unique solution
    assert linear_readout(dead, X_tr, X_te).error == pytest.approx(linear_readout(encode, X_tr, X_te).error,
                                                                   rel=1e-3)
    with pytest.raises(ValueError, match="'ridge' parameter of linear_readout must be positive when"):
        linear_readout(dead, X_tr, X_te, ridge=0.0)
    with pytest.raises(TypeError, match="'encode' parameter of linear_readout must be a callable"):
        linear_readout("encode", X_tr, X_te)
    with pytest.raises(ValueError, match=r"'X_test' parameter of linear_readout must have shape \(n_test, 10\)"):
        linear_readout(encode, X_tr, X_te[:, :5])
    with pytest.raises(ValueError, match="'ridge' parameter of linear_readout"):
        linear_readout(encode, X_tr, X_te, ridge=-1.0)
    with pytest.raises(ValueError, match=r"'encode' parameter of linear_readout must return codes of shape \(300, n_atoms\)"):
        linear_readout(lambda X: encode(X)[:5], X_tr, X_te)


def test_carve_labelled_draws_per_class_and_leaves_the_rest_for_validation():
    y = np.repeat(np.arange(4), 25)
    np.random.default_rng(5).shuffle(y)
    labelled, validation = carve_labelled(y, seed=3, per_class=5)
    assert len(labelled) == 20 and len(validation) == 80
    assert sorted(np.bincount(y[labelled])) == [5] * 4
    assert set(labelled).isdisjoint(validation) and sorted([*labelled, *validation]) == list(range(100))
    again, _ = carve_labelled(y, seed=3, per_class=5)
    assert (again == labelled).all()                           # the seed fixes the draw
    assert not (carve_labelled(y, seed=4, per_class=5)[0] == labelled).all()
    with pytest.raises(ValueError, match="'per_class' parameter of carve_labelled"):
        carve_labelled(y, seed=0, per_class=0)
    with pytest.raises(ValueError, match="'y_train' parameter of carve_labelled must be a 1-D array"):
        carve_labelled(y.reshape(10, 10), seed=0, per_class=1)


def test_fit_classifier_standardises_on_the_labelled_features():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 20)
    feats = rng.normal(size=(40, 3)) + 4 * y[:, None]
    feats[:, 2] *= 1e3                                         # a scale the standardisation removes
    predict = fit_classifier(feats, y, C=0.1)
    assert (predict(feats) == y).mean() == 1.0
    # the scaler is fitted on the labelled features and reused on new ones
    scaler = StandardScaler().fit(feats)
    reference = LogisticRegression(max_iter=5000, C=0.1).fit(scaler.transform(feats), y)
    new = rng.normal(size=(50, 3)) * [2, 2, 2e3] + [2, 2, 2e3]
    assert (predict(new) == reference.predict(scaler.transform(new))).all()


def test_correctness_reads_the_records_strings():
    c = correctness(["101", "011"])
    assert c.dtype == float and c.tolist() == [[1, 0, 1], [0, 1, 1]]
    with pytest.raises(TypeError, match="'strings' parameter of correctness"):
        correctness("101")


def test_shift_change_measures_a_one_pixel_roll():
    images = torch.rand(4, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    assert shift_change(lambda x: x.mean((1, 2, 3))[:, None], images) == pytest.approx(0.0, abs=1e-6)
    pixels = shift_change(lambda x: x, images)
    by_hand = torch.stack([(images.roll(1, dims=d) - images).flatten(1).norm(dim=1)
                           / images.flatten(1).norm(dim=1) for d in (2, 3)]).mean()
    assert pixels == pytest.approx(float(by_hand))
    flat = torch.ones(2, 1, 8, 8)                             # a constant image does not change
    assert shift_change(lambda x: x, flat, shift=3) == 0.0
    with pytest.raises(ValueError, match="'images' parameter of shift_change must be a 4-D tensor"):
        shift_change(lambda x: x, images[0])
    with pytest.raises(TypeError, match="'f' parameter of shift_change must be a callable"):
        shift_change(None, images)
