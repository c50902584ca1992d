"""Measurements on trained models that the chapters report (DrSAE, chapter 2).

Each function takes a model and data and returns numbers; none trains anything. They read
the model through its protocol: ``model(x)`` gives the codes after every iteration
(``.codes``, shape ``(n_iter, batch, n_atoms)``), ``model.classify(z)`` the logits of a
code and ``model.W_d`` the decoder.

Shapes: ``X`` is ``(n_samples, n_features)``, ``y`` is ``(n_samples,)`` of class indices,
unit masks are boolean ``(n_atoms,)``.
"""
from __future__ import annotations

from typing import Mapping

import torch
from torch import Tensor

from ._validation import fail, check_shape, check_tensor

__all__ = ["accuracy_by_iteration", "ablation_accuracy", "relative_error"]


def _check_labels(X: Tensor, y: Tensor, func: str) -> tuple[Tensor, Tensor]:
    X = check_tensor(X, "X", func, ndim=2)
    if not isinstance(y, Tensor) or y.ndim != 1 or y.dtype.is_floating_point:
        fail(TypeError, "y", func, "be a 1-D integer tensor of class labels",
             str(getattr(y, "dtype", type(y).__name__)))
    check_shape(y, "y", func, (len(X),), "(one label per row of X)")
    return X, y


@torch.no_grad()
def accuracy_by_iteration(model, X: Tensor, y: Tensor) -> Tensor:
    """Accuracy of the model's classifier read after each iteration of its encoder.

    Parameters
    ----------
    model : DrSAE
        Any model whose output has ``.codes`` and which has ``classify(z)``.
    X : Tensor of shape (n_samples, n_features)
    y : Tensor of shape (n_samples,)

    Returns
    -------
    Tensor of shape (n_iter,)
        Entry ``k - 1`` is the share of ``X`` classified correctly from the code after
        ``k`` iterations, ``z^{(k)}`` (the last entry is the model's own accuracy).
    """
    X, y = _check_labels(X, y, "accuracy_by_iteration")
    codes = model(X.to(model.W_d.dtype)).codes                        # (n_iter, n, m)
    predictions = model.classify(codes).argmax(-1)                    # (n_iter, n)
    return (predictions == y.to(predictions.device)).double().mean(1).cpu()


@torch.no_grad()
def ablation_accuracy(model, X: Tensor, y: Tensor, keep: Mapping[str, Tensor]) -> dict[str, float]:
    """Accuracy when the classifier sees only some units of the final code.

    For every named mask, the units outside it are set to zero in ``z^{(T)}`` and the
    classifier reads what is left (it normalises the code, so the remaining units' share of
    the norm grows; a code left all zero is classified from its bias alone).

    Parameters
    ----------
    model : DrSAE
    X : Tensor of shape (n_samples, n_features)
    y : Tensor of shape (n_samples,)
    keep : mapping of str to bool Tensor of shape (n_atoms,)
        The units kept by each variant, e.g. ``{"all": all_units, "part only": parts}``.

    Returns
    -------
    dict of str to float
        The accuracy of each variant, in the order of ``keep``.
    """
    X, y = _check_labels(X, y, "ablation_accuracy")
    if not isinstance(keep, Mapping) or not keep:
        fail(TypeError, "keep", "ablation_accuracy", "be a non-empty mapping of names to unit masks",
             type(keep).__name__)
    z = model(X.to(model.W_d.dtype)).z                                  # (n, m)
    result = {}
    for name, mask in keep.items():
        if not isinstance(mask, Tensor) or mask.dtype != torch.bool or mask.shape != z.shape[1:]:
            raise ValueError(f"The mask {name!r} of ablation_accuracy must be a boolean tensor "
                             f"of shape ({z.shape[1]},). Got {getattr(mask, 'dtype', type(mask))} "
                             f"of shape {tuple(getattr(mask, 'shape', ()))} instead.")
        predictions = model.classify(z * mask.to(z)).argmax(1)
        result[name] = float((predictions == y.to(predictions.device)).double().mean())
    return result


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
