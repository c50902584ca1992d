"""How much of the data a reconstruction explains.

Both measures take the inputs and their reconstructions (``x_hat = z @ W_d.T``, or a
model's ``forward(x).x_hat``), never a model, and return one float:

- :func:`relative_error`: the squared error relative to answering the mean input (0 is
  perfect, 1 is no better than the mean; chapter 2);
- :func:`explained_energy`: the share of the inputs' energy ``Σ‖x‖²`` that the
  reconstructions explain (chapter 5).

Shapes: ``X``, ``X_hat`` (``x``, ``x_hat``) are ``(n_samples, n_features)``.
"""
from __future__ import annotations

from torch import Tensor

from .._validation import check_shape, check_tensor

__all__ = ["relative_error", "explained_energy"]


def relative_error(X: Tensor, X_hat: Tensor, mean: Tensor) -> float:
    """Squared reconstruction error relative to predicting every input by the mean input.

    ``sum_n ‖x_n − x̂_n‖² / sum_n ‖x_n − x̄‖²``: 0 for a perfect reconstruction, 1 for the
    baseline that answers ``x̄`` (the mean training input) whatever the input. It is the
    share of the data's variance around ``x̄`` that the reconstruction leaves unexplained
    (one minus the R² of the reconstruction).

    Parameters
    ----------
    X, X_hat : Tensor of shape (n_samples, n_features)
    mean : Tensor of shape (n_features,)
    """
    X = check_tensor(X, "X", "relative_error", ndim=2)
    X_hat = check_tensor(X_hat, "X_hat", "relative_error", ndim=2)
    mean = check_tensor(mean, "mean", "relative_error", ndim=1)
    if X_hat.shape != X.shape or mean.shape != X.shape[1:]:
        raise ValueError(f"relative_error needs X_hat of shape {tuple(X.shape)} and mean of "
                         f"shape ({X.shape[1]},). Got {tuple(X_hat.shape)} and "
                         f"{tuple(mean.shape)} instead.")
    X, X_hat, mean = X.double(), X_hat.detach().double(), mean.double()
    baseline = (X - mean).pow(2).sum()
    if baseline == 0:
        raise ValueError("relative_error is undefined when every row of X equals mean.")
    return float((X - X_hat).pow(2).sum() / baseline)


def explained_energy(x: Tensor, x_hat: Tensor) -> float:
    """Share of the inputs' energy that the reconstructions explain, ``1 − Σ‖x − x̂‖² / Σ‖x‖²``."""
    x = check_tensor(x, "x", "explained_energy", ndim=2)
    x_hat = check_tensor(x_hat, "x_hat", "explained_energy", ndim=2)
    check_shape(x_hat, "x_hat", "explained_energy", tuple(x.shape), lead="have the shape of x,")
    return 1.0 - float((x - x_hat).pow(2).sum() / x.pow(2).sum().clamp_min(1e-30))
