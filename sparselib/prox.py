"""Proximal operators: ``prox_{t h}(v) = argmin_z ½‖z − v‖² + t·h(z)``.

``v`` has shape ``(batch, n_atoms)`` (or ``(n_atoms,)`` for one sample) and the output has
the same shape, dtype and device. ``t`` is a non-negative float or a tensor broadcastable to
``v`` (group and tree operators: one threshold per sample, shape ``(batch, 1)``).
"""
from __future__ import annotations

import torch
from torch import Tensor

from ._validation import _describe, check_grouping, check_tensor, check_threshold
from .groups import Tree

__all__ = ["soft_threshold", "group_soft_threshold", "tree_prox", "SoftThreshold"]


def soft_threshold(v: Tensor, t, nonneg: bool = False) -> Tensor:
    """Prox of ``t·‖·‖₁``: ``sign(v)·max(|v| − t, 0)``; with ``nonneg``, ``max(v − t, 0)``.

    The non-negative variant is the prox of ``t·‖z‖₁`` restricted to ``z ≥ 0``.

    Shape:
        v: ``(batch, n_atoms)`` or ``(n_atoms,)``; output: same as ``v``.
    """
    v = check_tensor(v, "v", "soft_threshold", ndim=(1, 2))
    t = check_threshold(t, "t", "soft_threshold", v)
    return _soft(v, t, nonneg)


def _soft(v: Tensor, t, nonneg: bool) -> Tensor:
    if nonneg:
        return torch.relu(v - t)
    return torch.sign(v) * torch.relu(v.abs() - t)


def _shrink_factor(sq_norm: Tensor, t) -> Tensor:
    """``max(0, 1 − t/‖·‖)`` from a squared norm: 1 when ``t = 0``, 0 for a zero group with ``t > 0``."""
    ratio = torch.nan_to_num(t / sq_norm.sqrt(), nan=0.0)  # 0/0 -> 0 (identity), t/0 -> huge
    return torch.relu(1 - ratio)


def _rescale(v: Tensor, t):
    """Divide each sample by its largest magnitude so squared norms cannot underflow.

    Returns ``(u, t/s)`` with ``u = v/s``; a sample that is all zeros keeps ``s = 1``.
    """
    s = v.abs().amax(-1, keepdim=True)  # (batch, 1)
    s = torch.where(s > 0, s, torch.ones_like(s))
    return v / s, t / s


def group_soft_threshold(v: Tensor, t, G: Tensor) -> Tensor:
    """Prox of ``t·Σ_g ‖v_g‖₂`` for non-overlapping 0/1 groups (block soft-thresholding).

    Each group is scaled by ``max(0, 1 − t/‖v_g‖)``; atoms in no group pass unchanged.
    Overlapping groups are refused: they have no closed form and are used as smooth
    penalties by gradient-trained models (or, when nested, through :func:`tree_prox`).

    Parameters
    ----------
    v : Tensor of shape (batch, n_atoms) or (n_atoms,)
    t : float or Tensor of shape (batch, 1)
    G : Tensor of shape (n_groups, n_atoms), 0/1, each atom in at most one group.
    """
    v = check_tensor(v, "v", "group_soft_threshold", ndim=(1, 2))
    G = check_grouping(G, "G", "group_soft_threshold", v.shape[-1], v, binary=True, disjoint=True)
    t = check_threshold(t, "t", "group_soft_threshold", v, per_sample_only=True)
    return _group_soft(v, t, G)


def _group_soft(v: Tensor, t, G: Tensor) -> Tensor:
    u, t_u = _rescale(v, t)  # the factors are scale-invariant: compute them on v / max|v|
    factor = _shrink_factor((u * u) @ G.T, t_u)  # (batch, n_groups)
    ungrouped = 1 - G.sum(0)  # (n_atoms,): 1 for atoms in no group
    return v * (factor @ G + ungrouped)


def tree_prox(v: Tensor, t, tree: Tree) -> Tensor:
    """Exact prox of ``t·group_l2(·, tree.groups())``: one group per subtree.

    For nested groups the prox is the composition of the group soft-thresholds ordered from
    the leaves to the roots (Jenatton et al., 2011). Composing them literally costs
    O(n·depth); here each subtree's squared norm is accumulated bottom-up from its children
    (whose own shrink factors are applied lazily), then the factors are multiplied top-down,
    so a call costs O(n_nodes) per sample, in one vectorised step per tree level.

    Parameters
    ----------
    v : Tensor of shape (batch, n_nodes) or (n_nodes,)
    t : float or Tensor of shape (batch, 1)
    tree : Tree with ``n_nodes`` nodes; atom ``i`` is node ``i``.
    """
    if not isinstance(tree, Tree):
        raise TypeError(f"The 'tree' parameter of tree_prox must be a sparselib.groups.Tree. Got {_describe(tree)} instead.")
    v = check_tensor(v, "v", "tree_prox", ndim=(1, 2))
    if v.shape[-1] != tree.n_nodes:
        raise ValueError(
            f"The 'v' parameter of tree_prox must have {tree.n_nodes} atoms (one per tree node). "
            f"Got shape {tuple(v.shape)} instead."
        )
    t = check_threshold(t, "t", "tree_prox", v, per_sample_only=True)
    return _tree_prox(v, t, tree)


def _tree_prox(v: Tensor, t, tree: Tree) -> Tensor:
    squeeze = v.ndim == 1
    vb = v.unsqueeze(0) if squeeze else v  # (batch, n)
    tb = t.reshape(-1, 1) if isinstance(t, Tensor) and t.ndim > 0 else t  # (batch, 1) or scalar
    ub, tb = _rescale(vb, tb)  # shrink factors are scale-invariant; this avoids underflow
    parent = tree.parent.to(v.device)
    levels = [lvl.to(v.device) for lvl in tree.levels]
    # Bottom-up: child_mass[:, u] = Σ_children c of (factor_c² · subtree norm² of c).
    child_mass = torch.zeros_like(ub)
    factor = torch.empty_like(ub)
    for idx in reversed(levels):
        sq = ub[:, idx] ** 2 + child_mass[:, idx]  # (batch, |level|)
        f = _shrink_factor(sq, tb)
        factor[:, idx] = f
        par = parent[idx]
        has_parent = par >= 0
        if bool(has_parent.any()):
            child_mass.index_add_(1, par[has_parent], (f * f * sq)[:, has_parent])
    # Top-down: each atom is scaled by the product of its own and its ancestors' factors.
    scale = torch.empty_like(vb)
    for d, idx in enumerate(levels):
        scale[:, idx] = factor[:, idx] if d == 0 else factor[:, idx] * scale[:, parent[idx]]
    out = vb * scale
    return out.squeeze(0) if squeeze else out


class SoftThreshold(torch.nn.Module):
    """Module form of :func:`soft_threshold` with a fixed threshold."""

    def __init__(self, t: float, nonneg: bool = False):
        super().__init__()
        self.t = t
        self.nonneg = nonneg

    def forward(self, v: Tensor) -> Tensor:
        return soft_threshold(v, self.t, self.nonneg)

    def extra_repr(self) -> str:
        return f"t={self.t}, nonneg={self.nonneg}"
