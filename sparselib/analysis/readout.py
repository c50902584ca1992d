"""What a code retains about its input: the best linear read-out of the input from the code.

Chapter 2 and ``benchmarks/drsae_ablation.py`` compare DrSAEs trained with and without the
reconstruction term. One of them has no trained decoder, so both are judged by the same
decoder fitted afterwards: the affine map from codes to inputs that fits the training split
best, scored on the test split. :func:`linear_readout` is that measurement, with its one
definition stated in its docstring.

Shapes: ``X_train`` is ``(n_train, n_features)``, ``X_test`` is ``(n_test, n_features)``;
``encode`` maps ``(n, n_features)`` to codes ``(n, n_atoms)``.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import torch
from torch import Tensor

from .._validation import check_nonneg_scalar, check_shape, check_tensor, describe, fail

__all__ = ["Readout", "linear_readout"]


class Readout(NamedTuple):
    """Result of :func:`linear_readout`."""

    x_hat: Tensor
    """The read-out of the test inputs, shape ``(n_test, n_features)``, dtype of ``X_test``."""
    error: float
    """``½ mean_n ‖x_n − x̂_n‖²`` over the test inputs, computed in float64."""


@torch.no_grad()
def linear_readout(encode: Callable[[Tensor], Tensor], X_train: Tensor, X_test: Tensor, *,
                   ridge: float = 1e-3) -> Readout:
    """Best affine read-out of the inputs from their codes, fitted on train, scored on test.

    The definition: with ``a(x) = [encode(x), 1]`` (the code and a constant) stacked into
    ``A`` over the training inputs, the read-out matrix is the ridge solution

        ``W = (AᵀA + ρ I)⁻¹ Aᵀ X_train``,   ``ρ = ridge · mean(diag(AᵀA))``,

    computed in float64; a test input ``x`` is read out as ``x̂ = a(x) W`` and the error is
    ``½ mean ‖x − x̂‖²`` over the test inputs. The ridge is relative to the mean code energy,
    so it does not depend on the codes' scale: a few hundred codes fitted to about 1300
    images would otherwise over-fit through dead or duplicated units (and ``AᵀA`` is
    singular when a unit never fires). ``ridge = 0`` gives plain least squares where ``AᵀA``
    is invertible.

    Parameters
    ----------
    encode : callable
        Inputs ``(n, n_features)`` to codes ``(n, n_atoms)``, e.g. a model's ``encode``.
    X_train : Tensor of shape (n_train, n_features)
        The inputs the read-out is fitted on.
    X_test : Tensor of shape (n_test, n_features)
        The inputs it is scored on.
    ridge : float, default 1e-3
        ``ρ`` relative to the mean diagonal of ``AᵀA``.

    Returns
    -------
    Readout
        ``x_hat`` (the test read-outs, shape of ``X_test``) and ``error``.
    """
    func = "linear_readout"
    if not callable(encode):
        fail(TypeError, "encode", func, "be a callable (a model's encode)", describe(encode))
    X_train = check_tensor(X_train, "X_train", func, ndim=2)
    X_test = check_tensor(X_test, "X_test", func, ndim=2)
    check_shape(X_test, "X_test", func, ("n_test", X_train.shape[1]), "to match X_train")
    ridge = check_nonneg_scalar(ridge, "ridge", func)
    Z_tr, Z_te = encode(X_train), encode(X_test)                          # (n, n_atoms)
    check_shape(Z_tr, "encode", func, (len(X_train), "n_atoms"), lead="return codes of shape")
    ones_tr, ones_te = torch.ones(len(Z_tr), 1), torch.ones(len(Z_te), 1)
    A = torch.cat([Z_tr, ones_tr], 1).double()                            # (n_train, n_atoms + 1)
    gram = A.T @ A
    penalty = ridge * gram.diagonal().mean() * torch.eye(A.shape[1], dtype=A.dtype)
    try:
        W = torch.linalg.solve(gram + penalty, A.T @ X_train.double())    # (n_atoms + 1, n_features)
    except torch.linalg.LinAlgError:
        fail(ValueError, "ridge", func, "be positive when the codes' Gram matrix is singular (a "
             "unit that never fires, or two units that always agree)", repr(ridge))
    X_hat = torch.cat([Z_te, ones_te], 1).double() @ W                    # (n_test, n_features)
    error = float(0.5 * (X_test.double() - X_hat).pow(2).sum(1).mean())
    return Readout(X_hat.to(X_test.dtype), error)
