"""Shared input checks: public functions validate here, private ones compute.

Every message follows one template::

    The 'lam' parameter of ista must be a non-negative finite number. Got -1.0 instead.

so a reader always learns which argument, what was expected, and what was received. The
wording lives here only: other modules raise through :func:`fail` (any requirement, in
words) or one of the ``check_*`` functions, and never spell the template themselves.
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Iterable, NoReturn, Optional, Sequence, TypeVar, Union

import torch
from torch import Tensor

__all__ = [
    "fail",
    "describe",
    "check_tensor",
    "check_nonneg_scalar",
    "check_positive_int",
    "check_bool",
    "check_choice",
    "check_instance",
    "check_shape",
    "check_in_range",
    "check_at_most",
    "check_divides",
    "check_threshold",
    "check_grouping",
    "check_same_features",
    "check_data",
    "check_labels",
    "tensor_from_config",
]

_T = TypeVar("_T")


def describe(value) -> str:
    """A short description of a received value for an error message (shape and dtype of a
    tensor; a clipped repr and the type of anything else, or only the type when the repr
    spans several lines, as a module's does)."""
    if isinstance(value, Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    if "\n" in text:
        return f"an object of type {type(value).__name__}"
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def _listing(items: Sequence[str], last: str) -> str:
    """``a``, ``a or b``, ``a, b or c`` (with ``last`` = "or" or "and")."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def fail(cls: type[Exception], name: Union[str, Sequence[str]], func: str, requirement: str,
         got: str, hint: str = "") -> NoReturn:
    """Raise ``cls`` with the library's message template.

    ``The '<name>' parameter of <func> must <requirement>. Got <got> instead.[ <hint>]``

    Parameters
    ----------
    cls : exception class
        ``TypeError`` for a value of the wrong kind, ``ValueError`` for a wrong value, ...
    name : str or sequence of str
        The argument (e.g. ``"lam"`` or ``"lr_scales['S']"``); several names give
        ``The 'x', 'z' and 'S' parameters of ...``.
    func : str
        The public function, class or method, as the user calls it (``"LISTA.encode"``).
    requirement : str
        What follows "must", e.g. ``"be a bool"``, ``"divide n_maps=8"``,
        ``"have shape (batch, 64) to match n_features"``.
    got : str
        What was received, e.g. ``repr(value)``, ``describe(value)``, ``"shape (5, 11)"``.
    hint : str, optional
        A sentence appended after the template (how to fix it).

    The message is complete in itself: raised inside an ``except`` block, it does not chain
    the error that led to it (``raise ... from None``).
    """
    if isinstance(name, str):
        subject = f"The '{name}' parameter"
    else:
        subject = f"The {_listing([f'{n!r}' for n in name], 'and')} parameters"
    msg = f"{subject} of {func} must {requirement}. Got {got} instead."
    if hint:
        msg += " " + hint
    raise cls(msg) from None


def _fail(cls, name: str, func: str, expected: str, got, hint: str = "") -> NoReturn:
    """:func:`fail` with a requirement that starts with "be" (``expected`` is the rest)."""
    fail(cls, name, func, f"be {expected}", got, hint)


def check_bool(value, name: str, func: str) -> bool:
    """Check that ``value`` is a bool (not merely truthy: ``1`` and ``None`` are refused)."""
    if not isinstance(value, bool):
        fail(TypeError, name, func, "be a bool", describe(value))
    return value


def check_choice(value, name: str, func: str, choices: Sequence[Optional[str]], *,
                 one_of: bool = False, hint: str = "") -> Optional[str]:
    """Check that ``value`` is one of a fixed tuple of strings (``None`` may be a choice).

    The message lists the choices as ``'auto', 'exact' or 'power'`` (``None or 'cosine'``),
    after "must be", or after "must be one of" with ``one_of`` (for a list of names such as
    models or recipes rather than a setting's few options). Raises ``ValueError``.
    """
    ok = any(value is None if c is None else (isinstance(value, str) and value == c)
             for c in choices)
    if not ok:
        listing = _listing([repr(c) for c in choices], "or")
        got = repr(value) if value is None or isinstance(value, str) else describe(value)
        fail(ValueError, name, func, f"be {'one of ' if one_of else ''}{listing}", got, hint)
    return value


def check_instance(value: _T, name: str, func: str, cls: Union[type, tuple[type, ...]], what: str,
                   hint: str = "") -> _T:
    """Check ``isinstance(value, cls)``; ``what`` names the expected kind in the message
    (``"a sparselib.groups.Tree"``, ``"a torch.Tensor (labels or targets)"``). Raises
    ``TypeError``."""
    if not isinstance(value, cls):
        fail(TypeError, name, func, f"be {what}", describe(value), hint)
    return value


def _shape_text(shape: Sequence[Union[int, str, None]]) -> str:
    axes = ["any" if a is None else str(a) for a in shape]
    return f"({axes[0]},)" if len(axes) == 1 else f"({', '.join(axes)})"


def check_shape(x, name: str, func: str, shape: Sequence[Union[int, str, None]], why: str = "",
                *, lead: str = "have shape") -> Tensor:
    """Check that the tensor ``x`` has exactly the shape ``shape``.

    An axis given as an int must have that size; an axis given as a name (``"batch"``,
    ``"H"``) or ``None`` may have any size. The requirement reads ``<lead> <shape> <why>``,
    e.g. ``have shape (batch, 64) to match n_features`` or, with ``lead="be of shape"``,
    ``be of shape (5, 12)``. Anything that is not a tensor fails with the same
    ``ValueError`` (check the type first with :func:`check_tensor` for a ``TypeError``).
    """
    fits = (isinstance(x, Tensor) and x.ndim == len(shape)
            and all(not isinstance(a, int) or n == a for n, a in zip(x.shape, shape)))
    if not fits:
        requirement = f"{lead} {_shape_text(shape)}" + (f" {why}" if why else "")
        got = f"shape {tuple(x.shape)}" if isinstance(x, Tensor) else describe(x)
        fail(ValueError, name, func, requirement, got)
    return x


def check_in_range(value: _T, name: str, func: str, low: Real, high: Real, interval: str = "[]",
                   why: str = "") -> _T:
    """Check ``low <= value <= high``; ``interval`` gives the brackets, ``"[]"``, ``"[)"``,
    ``"(]"`` or ``"()"`` (an open side excludes its bound), and the message reads
    ``be in [0, 1)``. Raises ``ValueError``; check the type first."""
    above = low < value if interval[0] == "(" else low <= value
    below = value < high if interval[1] == ")" else value <= high
    if not (above and below):
        requirement = f"be in {interval[0]}{low}, {high}{interval[1]}" + (f" {why}" if why else "")
        fail(ValueError, name, func, requirement, repr(value))
    return value


def check_at_most(value: _T, name: str, func: str, limit: Real, what: str = "") -> _T:
    """Check ``value <= limit``; ``what`` names the limit (``"side"`` gives ``be at most
    side=4``). Raises ``ValueError``; check the type first."""
    if value > limit:
        fail(ValueError, name, func, f"be at most {what}={limit}" if what else f"be at most {limit}",
             repr(value))
    return value


def check_divides(value: int, name: str, func: str, total: int, what: str) -> int:
    """Check that the int ``value`` divides ``total``, named ``what`` in the message
    (``divide n_atoms=10``). Raises ``ValueError``; check the type first."""
    if total % value:
        fail(ValueError, name, func, f"divide {what}={total}", repr(value))
    return value


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
    check_shape(x, "x", func, ("batch", n_features), "to match n_features")
    return x.to(dtype)


def check_labels(y, name: str, func: str, batch: int, n_classes: Optional[int] = None, *,
                 why: str = "to match x") -> Tensor:
    """Check class labels ``(batch,)``, integers in ``[0, n_classes)`` (any integers when
    ``n_classes`` is None); return them as int64. ``why`` ends the shape requirement."""
    if not isinstance(y, Tensor) or y.is_floating_point() or y.dtype == torch.bool:
        fail(TypeError, name, func, "be an integer tensor of class labels",
             str(getattr(y, "dtype", type(y).__name__)))
    check_shape(y, name, func, (batch,), why)
    if n_classes is not None and batch and (int(y.min()) < 0 or int(y.max()) >= n_classes):
        fail(ValueError, name, func, f"hold labels in [0, {n_classes})",
             f"labels in [{int(y.min())}, {int(y.max())}]")
    return y.long()


def tensor_from_config(value, name: str, func: str):
    """A tensor argument as a model's ``config()`` writes it: a nested list of numbers becomes
    a tensor of the default dtype; anything else is returned unchanged (for the caller's own
    checks)."""
    if isinstance(value, (list, tuple)):
        try:
            return torch.tensor(value, dtype=torch.get_default_dtype())
        except (TypeError, ValueError, RuntimeError):
            fail(TypeError, name, func, "be a tensor or a nested list of numbers", describe(value))
    return value
