"""What a DrSAE's codes say about the classes (chapter 2): accuracy per iteration, ablations,
part and categorical units.

Each function takes a model (or measurements of one) and data and returns numbers; none
trains anything. They read the model through its public protocol: ``model(x)`` gives the
codes after every iteration (``.codes``, shape ``(n_iter, batch, n_atoms)``),
``model.codes(x)`` the same codes alone, ``model.classify(z)`` the logits of a code, and
``model.W_d`` / ``model.W_e`` the weights whose dtype the inputs take.

After training, a DrSAE's units split into *part* units (active from the first iteration)
and *categorical* units (built up by ``S`` over the iterations, selective for one class):
:func:`activity_by_class` measures every unit per iteration and class, and
:func:`part_units`, :func:`categorical_units` read the two populations from it.

Shapes: ``X`` is ``(n_samples, n_features)``, ``y`` is ``(n_samples,)`` of class indices,
unit masks are boolean ``(n_atoms,)``.
"""
from __future__ import annotations

from typing import Mapping

import torch
import torch.nn.functional as F
from torch import Tensor

from .._validation import fail, check_data, check_labels, check_nonneg_scalar, check_tensor

__all__ = ["accuracy_by_iteration", "ablation_accuracy", "activity_by_class", "part_units",
           "categorical_units"]


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
    X = check_tensor(X, "X", "accuracy_by_iteration", ndim=2)
    y = check_labels(y, "y", "accuracy_by_iteration", len(X), why="(one label per row of X)")
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
    X = check_tensor(X, "X", "ablation_accuracy", ndim=2)
    y = check_labels(y, "y", "ablation_accuracy", len(X), why="(one label per row of X)")
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


# ---------------------------------------------------------------- part / categorical units

@torch.no_grad()
def activity_by_class(model, X: Tensor, y: Tensor, *, batch_size: int = 1024) -> Tensor:
    """Mean activity of every unit, per iteration and per class.

    Parameters
    ----------
    model : DrSAE
        Any model with ``codes(x)`` (the code after every iteration) and the attributes
        ``n_features``, ``n_atoms``, ``n_classes``, ``n_iter`` and ``W_e``.
    X : Tensor of shape (n_samples, n_features)
    y : Tensor of shape (n_samples,), labels in [0, model.n_classes)

    Returns
    -------
    Tensor of shape (n_iter, n_classes, n_atoms)
        ``A[t, k, i]`` is the mean of ``z_{t+1, i}`` over the samples of class ``k``
        (0 for a class with no samples).
    """
    X = check_data(X, model.n_features, "activity_by_class", model.W_e.dtype)
    y = check_labels(y, "y", "activity_by_class", X.shape[0], model.n_classes)
    sums = X.new_zeros(model.n_iter, model.n_classes, model.n_atoms)
    for start in range(0, X.shape[0], batch_size):
        codes = model.codes(X[start:start + batch_size])             # (n_iter, b, n_atoms)
        onehot = F.one_hot(y[start:start + batch_size], model.n_classes).to(codes.dtype)
        sums += torch.einsum("tba,bk->tka", codes, onehot)
    counts = torch.bincount(y, minlength=model.n_classes).to(sums.dtype)   # (n_classes,)
    return sums / counts.clamp_min(1)[None, :, None]


def _check_activity(activity: Tensor, func: str) -> Tensor:
    activity = check_tensor(activity, "activity", func, ndim=3)
    if bool((activity < 0).any()):
        fail(ValueError, "activity", func,
             "be non-negative (mean ReLU activities from activity_by_class)", "negative entries")
    return activity


def part_units(activity: Tensor, *, ratio: float = 0.8) -> Tensor:
    """Units whose activity at the first iteration is already ``>= ratio`` times the last.

    Activity is averaged over classes (class-balanced). Units silent at the last iteration
    are neither part nor categorical.

    Parameters
    ----------
    activity : Tensor of shape (n_iter, n_classes, n_atoms), from :func:`activity_by_class`
    ratio : float, default 0.8

    Returns
    -------
    Tensor of shape (n_atoms,), dtype bool.
    """
    activity = _check_activity(activity, "part_units")
    ratio = check_nonneg_scalar(ratio, "ratio", "part_units")
    overall = activity.mean(1)                           # (n_iter, n_atoms)
    return (overall[-1] > 0) & (overall[0] >= ratio * overall[-1])


def categorical_units(activity: Tensor, *, share: float = 0.8, growth: float = 2.0) -> Tensor:
    """Units selective for one class whose activity on it grows over the iterations.

    A unit is categorical when, at the last iteration, at least ``share`` of its
    (class-averaged) activity falls on one class ``k``, and its mean activity on ``k`` at
    the last iteration is at least ``growth`` times that at the first.

    Parameters
    ----------
    activity : Tensor of shape (n_iter, n_classes, n_atoms), from :func:`activity_by_class`
    share : float, default 0.8
    growth : float, default 2.0

    Returns
    -------
    Tensor of shape (n_atoms,), dtype bool.
    """
    activity = _check_activity(activity, "categorical_units")
    share = check_nonneg_scalar(share, "share", "categorical_units")
    growth = check_nonneg_scalar(growth, "growth", "categorical_units")
    last, first = activity[-1], activity[0]              # (n_classes, n_atoms)
    total = last.sum(0)                                  # (n_atoms,)
    top, k = last.max(0)                                 # (n_atoms,), best class per unit
    first_k = first.gather(0, k[None]).squeeze(0)        # (n_atoms,)
    return (total > 0) & (top >= share * total) & (top >= growth * first_k)
