"""Shared input checks: public functions validate here, private ones compute.

Every message follows one template::

    The 'lam' parameter of ista must be a non-negative finite number. Got -1.0 instead.

so a reader always learns which argument, what was expected, and what was received.
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Iterable, Union

import torch
from torch import Tensor

__all__ = [
    "check_tensor",
    "check_nonneg_scalar",
    "check_positive_int",
    "check_threshold",
    "check_grouping",
    "check_same_features",
    "check_data",
    "describe",
]


def describe(value) -> str:
    """A short description of a received value for an error message (shape and dtype of a
    tensor; a clipped repr and the type of anything else)."""
    if isinstance(value, Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def _fail(cls, name: str, func: str, expected: str, got, hint: str = ""):
    msg = f"The '{name}' parameter of {func} must be {expected}. Got {got} instead."
    if hint:
        msg += " " + hint
    raise cls(msg)


def check_tensor(
    x,
    name: str,
    func: str,
    *,
    ndim: Union[int, Iterable[int], None] = None,
    floating: bool = True,
    finite: bool = True,
) -> Tensor:
    """Check that ``x`` is a tensor of an allowed rank, floating point and finite."""
    if not isinstance(x, Tensor):
        hint = "Convert it with torch.as_tensor(...)." if hasattr(x, "__array__") else ""
        _fail(TypeError, name, func, "a torch.Tensor", describe(x), hint)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if x.ndim not in allowed:
            words = " or ".join(f"{d}-D" for d in allowed)
            _fail(ValueError, name, func, f"a {words} tensor", f"a {x.ndim}-D tensor of shape {tuple(x.shape)}")
    if floating and not x.is_floating_point():
        _fail(TypeError, name, func, "a floating-point tensor (float32 or float64)",
              f"dtype {x.dtype}", "Use x.float() or x.double().")
    if finite and x.is_floating_point() and not bool(torch.isfinite(x).all()):
        n_bad = int((~torch.isfinite(x)).sum())
        _fail(ValueError, name, func, "finite (no NaN or inf)", f"{n_bad} non-finite entries")
    return x


def check_nonneg_scalar(value, name: str, func: str, *, positive: bool = False) -> float:
    """Check a non-negative (or positive) finite real number and return it as a float."""
    if isinstance(value, Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Real):
        _fail(TypeError, name, func, "a real number", describe(value))
    value = float(value)
    bad = not math.isfinite(value) or value < 0 or (positive and value == 0)
    if bad:
        what = "a positive finite number" if positive else "a non-negative finite number"
        _fail(ValueError, name, func, what, repr(value))
    return value


def check_positive_int(value, name: str, func: str, *, minimum: int = 1) -> int:
    """Check an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(TypeError, name, func, "an int", describe(value))
    if value < minimum:
        _fail(ValueError, name, func, f"an int >= {minimum}", repr(value))
    return value


def check_threshold(t, name: str, func: str, like: Tensor, *, per_sample_only: bool = False):
    """Check a threshold: a non-negative float, or a non-negative tensor broadcastable to ``like``.

    With ``per_sample_only`` (group and tree operators), a tensor threshold must be constant
    along the last axis (shape ``(..., 1)``), because one group spans several atoms.
    Returns a float or a tensor with ``like``'s dtype and device.
    """
    if not isinstance(t, Tensor):
        return check_nonneg_scalar(t, name, func)
    if not t.is_floating_point():
        t = t.to(like.dtype)
    try:
        torch.broadcast_shapes(t.shape, like.shape)
    except RuntimeError:
        _fail(ValueError, name, func, f"a float or a tensor broadcastable to shape {tuple(like.shape)}",
              f"shape {tuple(t.shape)}")
    if per_sample_only and t.ndim > 0 and t.shape[-1] != 1:
        _fail(ValueError, name, func, "a float or a tensor of shape (..., 1) (one threshold per sample)",
              f"shape {tuple(t.shape)}", "Group operators use one threshold for a whole group.")
    if not bool(torch.isfinite(t).all()) or bool((t < 0).any()):
        _fail(ValueError, name, func, "non-negative and finite", "negative or non-finite entries")
    return t.to(dtype=like.dtype, device=like.device)


def check_grouping(G, name: str, func: str, n_atoms: int, like: Tensor, *, binary: bool = False,
                   disjoint: bool = False) -> Tensor:
    """Check a grouping matrix ``(n_groups, n_atoms)`` and cast it to ``like``'s dtype/device."""
    G = check_tensor(G, name, func, ndim=2, floating=False)
    if G.shape[1] != n_atoms:
        _fail(ValueError, name, func, f"of shape (n_groups, {n_atoms}) to match the code's {n_atoms} atoms",
              f"shape {tuple(G.shape)}")
    G = G.to(dtype=like.dtype, device=like.device)
    if not bool(torch.isfinite(G).all()) or bool((G < 0).any()):
        _fail(ValueError, name, func, "a matrix of non-negative finite weights", "negative or non-finite entries")
    if binary and not bool(((G == 0) | (G == 1)).all()):
        _fail(ValueError, name, func, "a 0/1 membership matrix", "entries other than 0 and 1")
    if disjoint and bool((G.sum(0) > 1).any()):
        n_shared = int((G.sum(0) > 1).sum())
        _fail(ValueError, name, func, "non-overlapping groups (each atom in at most one group)",
              f"{n_shared} atoms in several groups",
              "Overlapping groups have no closed-form prox: use them as a smooth penalty "
              "(sparselib.penalties.group_l2 with eps > 0) in a gradient-trained model such as "
              "GroupSparseAutoencoder, or nested groups through prox='tree'.")
    return G


def check_same_features(x: Tensor, D: Tensor, func: str, name_x: str = "x", name_D: str = "D") -> None:
    """Check that data and dictionary agree on ``n_features``."""
    if x.shape[-1] != D.shape[0]:
        _fail(ValueError, name_D, func,
              f"of shape (n_features, n_atoms) with n_features = {x.shape[-1]} to match '{name_x}'",
              f"shape {tuple(D.shape)}", "Dictionaries are stored as (n_features, n_atoms); try D.T.")


def check_data(x, n_features: int, func: str, dtype: torch.dtype) -> Tensor:
    """Check a data batch ``(batch, n_features)`` for a model and cast it to the model's dtype."""
    x = check_tensor(x, "x", func, ndim=2)
    if x.shape[1] != n_features:
        raise ValueError(f"The 'x' parameter of {func} must have shape (batch, {n_features}) to match "
                         f"n_features. Got shape {tuple(x.shape)} instead.")
    return x.to(dtype)
