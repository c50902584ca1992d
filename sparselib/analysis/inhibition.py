"""Which units a code uses, and whether they respect a tree (chapter 5, lateral inhibition).

A unit is *active* in a sample when its magnitude is more than a share ``rel`` of that
sample's largest one (:func:`active_units`). Under tree-structured inhibition the active set
of a sample tends to be one root-to-leaf branch; :func:`path_fraction` measures how often
co-active pairs of units lie on one path.

Shapes: codes ``z`` are ``(batch, n_atoms)``; a tree has one node per code unit.
"""
from __future__ import annotations

import torch
from torch import Tensor

from ..groups import Tree

__all__ = ["active_units", "path_fraction"]


def active_units(z: Tensor, rel: float = 0.01) -> Tensor:
    """Boolean ``(batch, n_atoms)``: ``|z_i| > rel · max_j |z_j|`` for each sample."""
    a = z.abs()
    return (a > rel * a.amax(-1, keepdim=True)) & (a > 0)


def path_fraction(z: Tensor, tree: Tree, rel: float = 0.01) -> float:
    """Fraction of co-active pairs (over all samples) that lie on one root-to-leaf path.

    A unit is active when ``|z_i| > rel·max|z|`` for that sample; a pair lies on one path
    when one unit is an ancestor of the other. Returns ``nan`` when no pair is co-active.
    """
    act = active_units(z, rel).to(torch.float64)           # (batch, n)
    related = tree.same_branch().to(torch.float64)          # (n, n) pairs on one path
    off = 1.0 - torch.eye(tree.n_nodes, dtype=torch.float64)
    co = act.T @ act                                       # (n, n) co-activation counts
    total = float((co * off).sum())
    return float((co * off * related).sum()) / total if total > 0 else float("nan")
