"""Sparsity penalties on codes ``z`` of shape ``(batch, n_atoms)``; one value per sample.

A 1-D ``z`` is one sample and gives a 0-d result.
"""
from __future__ import annotations

import torch
from torch import Tensor

from ._validation import check_grouping, check_nonneg_scalar, check_shape, check_tensor
from . import functional as sf

__all__ = ["l1", "group_l2", "lateral_inhibition"]


def l1(z: Tensor) -> Tensor:
    """``sum_i |z_i|``.

    Shape:
        z: ``(batch, n_atoms)`` or ``(n_atoms,)``. Output: ``(batch,)`` or ``()``.
    """
    z = check_tensor(z, "z", "l1", ndim=(1, 2))
    return sf.l1_norm(z)


class _SafeSqrt(torch.autograd.Function):
    """``sqrt`` whose gradient at 0 is 0 (a valid subgradient choice) instead of inf/NaN."""

    @staticmethod
    def forward(ctx, s: Tensor) -> Tensor:
        r = s.sqrt()
        ctx.save_for_backward(r)
        return r

    @staticmethod
    def backward(ctx, grad: Tensor) -> Tensor:
        (r,) = ctx.saved_tensors
        inv = torch.where(r > 0, 0.5 / r.clamp_min(torch.finfo(r.dtype).tiny), torch.zeros_like(r))
        return grad * inv


def group_l2(z: Tensor, G: Tensor, *, eps: float = 0.0) -> Tensor:
    """Group-L2 norm ``sum_g sqrt(eps + sum_i G[g, i] * z_i**2)``.

    Groups may overlap and carry non-negative weights; atoms in no group are unpenalised.
    With ``eps = 0`` the gradient at an all-zero group is 0 (a subgradient); ``eps > 0``
    smooths the penalty for gradient training (the value then includes ``sqrt(eps)`` per group).

    Parameters
    ----------
    z : Tensor of shape (batch, n_atoms) or (n_atoms,)
    G : Tensor of shape (n_groups, n_atoms), cast to ``z``'s dtype.
    eps : float, default 0.0

    Returns
    -------
    Tensor of shape (batch,) or ()
    """
    z = check_tensor(z, "z", "group_l2", ndim=(1, 2))
    G = check_grouping(G, "G", "group_l2", z.shape[-1], z)
    eps = check_nonneg_scalar(eps, "eps", "group_l2")
    energy = (z * z) @ G.T  # (batch, n_groups)
    if eps > 0:
        return (energy + eps).sqrt().sum(-1)
    return _SafeSqrt.apply(energy).sum(-1)


def lateral_inhibition(z: Tensor, S: Tensor) -> Tensor:
    """Lateral-inhibition energy ``|z|^T S |z|``.

    A large positive ``S[i, j]`` makes it costly for units ``i`` and ``j`` to be active together.

    Parameters
    ----------
    z : Tensor of shape (batch, n_atoms) or (n_atoms,)
    S : Tensor of shape (n_atoms, n_atoms), cast to ``z``'s dtype.

    Returns
    -------
    Tensor of shape (batch,) or ()
    """
    z = check_tensor(z, "z", "lateral_inhibition", ndim=(1, 2))
    S = check_tensor(S, "S", "lateral_inhibition", ndim=2, floating=False)
    n = z.shape[-1]
    check_shape(S, "S", "lateral_inhibition", (n, n), f"to match the code's {n} atoms",
                lead="be of shape")
    return sf.inhibition_energy(z, S.to(dtype=z.dtype, device=z.device))
