"""Proximal operators: ``prox_{t h}(v) = argmin_z ½‖z − v‖² + t·h(z)``.

``v`` has shape ``(batch, n_atoms)`` (or ``(n_atoms,)`` for one sample) and the output has
the same shape, dtype and device. ``t`` is a non-negative float or a tensor broadcastable to
``v`` (group and tree operators: one threshold per sample, shape ``(batch, 1)``).
"""
from __future__ import annotations

import torch
from torch import Tensor

from . import functional as sf
from ._validation import fail, check_grouping, check_instance, check_tensor, check_threshold
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
    return sf.soft_threshold(v, t, nonneg)


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
    return sf.group_soft_threshold(v, t, G)


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
    check_instance(tree, "tree", "tree_prox", Tree, "a sparselib.groups.Tree")
    v = check_tensor(v, "v", "tree_prox", ndim=(1, 2))
    if v.shape[-1] != tree.n_nodes:
        fail(ValueError, "v", "tree_prox", f"have {tree.n_nodes} atoms (one per tree node)",
             f"shape {tuple(v.shape)}")
    t = check_threshold(t, "t", "tree_prox", v, per_sample_only=True)
    return sf.tree_prox(v, t, tree)


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
