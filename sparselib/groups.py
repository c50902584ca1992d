"""Groupings of code units: contiguous pools, torus and sheet neighbourhoods, trees.

A grouping is a tensor ``G`` of shape ``(n_groups, n_atoms)``: row ``g`` holds the weight of
every atom in group ``g`` (0/1 for plain membership). The group-L2 penalty is
``sum_g sqrt(sum_i G[g, i] * z_i**2)``; atoms in no group are unpenalised.
"""
from __future__ import annotations

import math
from numbers import Integral
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from ._validation import (describe, fail, check_at_most, check_divides, check_instance,
                          check_nonneg_scalar, check_positive_int)

__all__ = ["contiguous_groups", "torus_groups", "block_groups", "map_groups", "blurred_map_groups",
           "Tree", "tree_inhibition"]


def contiguous_groups(n_atoms: int, size: int, *, dtype: torch.dtype = torch.float32) -> Tensor:
    """Non-overlapping pools of ``size`` consecutive atoms.

    Returns
    -------
    G : Tensor of shape (n_atoms // size, n_atoms)
        0/1 membership; group ``g`` holds atoms ``g*size ... g*size + size - 1``.
    """
    n_atoms = check_positive_int(n_atoms, "n_atoms", "contiguous_groups")
    size = check_positive_int(size, "size", "contiguous_groups")
    check_divides(size, "size", "contiguous_groups", n_atoms, "n_atoms")
    eye = torch.eye(n_atoms // size, dtype=dtype)
    return eye.repeat_interleave(size, dim=1)  # (n_groups, n_atoms)


def torus_groups(side: int, size: int, *, dtype: torch.dtype = torch.float32) -> Tensor:
    """Overlapping ``size x size`` neighbourhoods on a ``side x side`` torus of units.

    Units are numbered row-major (unit ``r*side + c`` sits at row ``r``, column ``c``). Group
    ``r*side + c`` holds units ``((r+i) % side)*side + (c+j) % side`` for ``i, j < size``, so
    every unit belongs to exactly ``size**2`` groups (the basis of topographic maps).

    Returns
    -------
    G : Tensor of shape (side*side, side*side)
    """
    side = check_positive_int(side, "side", "torus_groups")
    size = check_positive_int(size, "size", "torus_groups")
    check_at_most(size, "size", "torus_groups", side, "side")
    r = torch.arange(side).view(side, 1, 1, 1)
    c = torch.arange(side).view(1, side, 1, 1)
    i = torch.arange(size).view(1, 1, size, 1)
    j = torch.arange(size).view(1, 1, 1, size)
    members = ((r + i) % side) * side + (c + j) % side  # (side, side, size, size)
    G = torch.zeros(side * side, side * side, dtype=dtype)
    G.scatter_(1, members.reshape(side * side, size * size), 1.0)
    return G


class Tree:
    """A forest of code units given by a parent array (``-1`` marks a root).

    Each node is one atom. Nodes are visited in depth-first preorder with children by
    increasing index; in that order every subtree is a contiguous block, which makes
    ancestor tests and subtree groups cheap.

    Parameters
    ----------
    parent : sequence of int or 1-D integer tensor, length n_nodes
        ``parent[i]`` is the parent of node ``i``, or ``-1`` for a root.

    Attributes
    ----------
    n_nodes, parent (LongTensor), depth (LongTensor), preorder (list of node ids),
    subtree_size (LongTensor), levels (list of LongTensor: the nodes at each depth).
    """

    def __init__(self, parent: Sequence[int] | Tensor):
        if isinstance(parent, Tensor):
            if parent.ndim != 1 or parent.is_floating_point() or parent.is_complex():
                fail(TypeError, "parent", "Tree", "be a 1-D sequence of ints", describe(parent))
            parent = parent.tolist()
        try:
            items = list(parent)
        except TypeError:
            items = None
        ok = items is not None and all(isinstance(p, Integral) and not isinstance(p, bool) for p in items)
        if ok:
            parent = [int(p) for p in items]
        if not ok:
            fail(TypeError, "parent", "Tree", "be a 1-D sequence of ints", describe(parent))
        n = len(parent)
        if n == 0:
            fail(ValueError, "parent", "Tree", "have at least one node", "an empty sequence")
        bad = [i for i, p in enumerate(parent) if p < -1 or p >= n or p == i]
        if bad:
            i = bad[0]
            fail(ValueError, "parent", "Tree",
                 f"hold -1 or a node index in [0, {n - 1}] other than the node itself",
                 f"parent[{i}] = {parent[i]}")
        children: list[list[int]] = [[] for _ in range(n)]
        for i, p in enumerate(parent):
            if p >= 0:
                children[p].append(i)
        roots = [i for i, p in enumerate(parent) if p == -1]
        order, depth = [], [0] * n
        stack = list(reversed(roots))
        while stack:  # iterative DFS: children by increasing index
            u = stack.pop()
            order.append(u)
            for c in reversed(children[u]):
                depth[c] = depth[u] + 1
                stack.append(c)
        if len(order) != n:
            missing = sorted(set(range(n)) - set(order))
            fail(ValueError, "parent", "Tree", "describe a forest (no cycles)",
                 f"a cycle through nodes {missing[:10]}")
        self.n_nodes = n
        self.parent = torch.tensor(parent, dtype=torch.long)
        self.children = children
        self.roots = roots
        self.preorder = order
        self.depth = torch.tensor(depth, dtype=torch.long)
        pos = [0] * n
        for k, u in enumerate(order):
            pos[u] = k
        size = [1] * n
        for u in reversed(order):
            if parent[u] >= 0:
                size[parent[u]] += size[u]
        self.position = torch.tensor(pos, dtype=torch.long)
        self.subtree_size = torch.tensor(size, dtype=torch.long)
        max_depth = max(depth)
        self.levels = [torch.nonzero(self.depth == d).flatten() for d in range(max_depth + 1)]

    def __repr__(self) -> str:
        return f"Tree(n_nodes={self.n_nodes}, n_roots={len(self.roots)}, depth={len(self.levels) - 1})"

    def __len__(self) -> int:
        return self.n_nodes

    @classmethod
    def complete(cls, branching: int, depth: int) -> "Tree":
        """A complete tree: one root, ``branching`` children per node, ``depth`` levels below it."""
        branching = check_positive_int(branching, "branching", "Tree.complete")
        depth = check_positive_int(depth, "depth", "Tree.complete", minimum=0)
        n = sum(branching**d for d in range(depth + 1))
        return cls([-1] + [(i - 1) // branching for i in range(1, n)])

    def subtree_sums(self, values: Tensor) -> Tensor:
        """Sum of ``values`` over every node's subtree, bottom-up in O(n_nodes).

        Shape:
            values: ``(..., n_nodes)``; output: same shape, entry ``i`` summing node ``i``'s subtree.
        """
        out = values.clone()
        parent = self.parent.to(values.device)
        for idx in reversed(self.levels[1:]):
            out.index_add_(-1, parent[idx], out[..., idx])
        return out

    def ancestor_matrix(self) -> Tensor:
        """Boolean ``(n, n)``: ``A[i, j]`` is True when ``i`` is ``j`` or one of its ancestors."""
        pos, size = self.position, self.subtree_size
        return (pos[None, :] >= pos[:, None]) & (pos[None, :] < (pos + size)[:, None])

    def same_branch(self) -> Tensor:
        """Boolean ``(n, n)``: ``B[i, j]`` is True when ``i`` and ``j`` lie on one root-to-leaf
        path (one of them is the other or one of its ancestors)."""
        A = self.ancestor_matrix()
        return A | A.T

    def induced(self, nodes: Sequence[int]) -> "Tree":
        """The forest on ``nodes``, renumbered ``0, 1, …`` in the given order.

        A node keeps its parent when the parent is among ``nodes`` and becomes a root
        otherwise; for a set closed under ancestors this is the tree with the other nodes cut off.
        """
        items = [int(u) for u in nodes]
        if not items or len(set(items)) != len(items) or not all(0 <= u < self.n_nodes for u in items):
            fail(ValueError, "nodes", "Tree.induced",
                 f"be distinct node indices in [0, {self.n_nodes - 1}], at least one", repr(nodes))
        new_id = {old: k for k, old in enumerate(items)}
        return Tree([new_id.get(int(self.parent[old]), -1) for old in items])

    def layout(self) -> Tensor:
        """``(n_nodes, 2)`` float64 positions for drawing: leaves at ``0, 1, 2, …`` left to right
        (in preorder), each parent at the mean of its children's ``x``, and ``y = −depth``
        (roots on top). Used by :func:`sparselib.viz.inhibition_tree` and the inhibition explorer.
        """
        x = [0.0] * self.n_nodes
        next_leaf = 0.0
        for u in self.preorder:                      # leaves left to right
            if not self.children[u]:
                x[u] = next_leaf
                next_leaf += 1
        for u in reversed(self.preorder):            # parents after their children
            kids = self.children[u]
            if kids:
                x[u] = sum(x[c] for c in kids) / len(kids)
        return torch.stack([torch.tensor(x, dtype=torch.float64), -self.depth.to(torch.float64)], 1)

    def groups(self, *, dtype: torch.dtype = torch.float32) -> Tensor:
        """One group per node, in preorder: the node and all its descendants.

        Returns
        -------
        G : Tensor of shape (n_nodes, n_nodes)
            Row ``k`` is the subtree of node ``preorder[k]``.
        """
        A = self.ancestor_matrix()
        return A[torch.tensor(self.preorder)].to(dtype)


def block_groups(side: int, size: int, *, dtype=torch.float64) -> Tensor:
    """Non-overlapping ``size × size`` blocks of a ``side × side`` grid of units (row-major).

    Returns a 0/1 grouping of shape ``((side // size)², side²)``.
    """
    check_divides(size, "size", "block_groups", side, "side")
    r, c = torch.arange(side).repeat_interleave(side), torch.arange(side).repeat(side)
    block = (r // size) * (side // size) + c // size                # (side²,) block of each unit
    return F.one_hot(block, (side // size) ** 2).T.to(dtype)


def tree_inhibition(tree: Tree, scale: float = 1.0, *, dtype: torch.dtype = torch.float32) -> Tensor:
    """Inhibition matrix of a tree: every unit inhibits all units off its own branch.

    ``S[i, j] = scale`` unless ``i == j`` or one of ``i, j`` is an ancestor of the other
    (then 0): units up and down a branch may be active together, others compete.

    Returns
    -------
    S : Tensor of shape (n_nodes, n_nodes), symmetric, zero diagonal.
    """
    check_instance(tree, "tree", "tree_inhibition", Tree, "a sparselib.groups.Tree")
    scale = check_nonneg_scalar(scale, "scale", "tree_inhibition")
    return (~tree.same_branch()).to(dtype) * scale


def _axis_windows(n: int, size: int, sigma: float) -> Tensor:
    """Weight of unit ``i`` in the window ``[lo, lo + size − 1]``, float64 ``(n − size + 1, n)``:
    the box, or with ``sigma > 0`` the box convolved with a Gaussian of width ``sigma``,
    ``Φ((i − lo + ½)/σ) − Φ((i − lo − size + ½)/σ)`` (``Φ`` the standard normal CDF)."""
    i = torch.arange(n, dtype=torch.float64)[None, :]
    lo = torch.arange(n - size + 1, dtype=torch.float64)[:, None]
    if sigma == 0:
        return ((i >= lo) & (i < lo + size)).to(torch.float64)
    cdf = lambda t: 0.5 * (1 + torch.erf(t / (sigma * math.sqrt(2))))  # noqa: E731
    return cdf(i - lo + 0.5) - cdf(i - lo - size + 0.5)


def _sheet_windows(rows: int, cols: int, size: int, sigma: float) -> Tensor:
    """Every window of a ``rows × cols`` sheet, the product of its two axes' weights; float64."""
    a, b = _axis_windows(rows, size, sigma), _axis_windows(cols, size, sigma)
    return torch.einsum("ri,cj->rcij", a, b).reshape(a.shape[0] * b.shape[0], rows * cols)


def map_groups(rows: int, cols: int, size: int) -> Tensor:
    """Every ``size × size`` window that fits inside a ``rows × cols`` sheet of units.

    The sheet is :func:`torus_groups` without the wrap-around. Returns a 0/1 grouping of shape
    ``((rows − size + 1)·(cols − size + 1), rows·cols)`` in the default dtype, units numbered
    row-major; group ``r·(cols − size + 1) + c`` holds units ``(r + i)·cols + c + j`` for
    ``i, j in range(size)``.
    """
    rows = check_positive_int(rows, "rows", "map_groups")
    cols = check_positive_int(cols, "cols", "map_groups")
    size = check_positive_int(size, "size", "map_groups")
    check_at_most(size, "size", "map_groups", min(rows, cols), "min(rows, cols)")
    return _sheet_windows(rows, cols, size, 0.0).to(torch.get_default_dtype())


def blurred_map_groups(rows: int, cols: int, size: int, sigma: float) -> Tensor:
    """:func:`map_groups` with each window's edges blurred by a Gaussian of width ``sigma``.

    Along each axis the window's box of ``size`` units is convolved with the Gaussian, so a
    window reaches about ``sigma`` units beyond its box with falling weights; a group's
    weight is the product of its two axes' weights, scaled so that its largest is 1.
    ``sigma = 0`` gives :func:`map_groups` exactly; a wide blur makes far units share
    groups, which lets a map organise globally early in training (see
    :func:`sparselib.models.locally_connected.fit_orientation_map`).

    Returns a grouping of the shape of :func:`map_groups` with entries in ``[0, 1]``.
    """
    sigma = check_nonneg_scalar(sigma, "sigma", "blurred_map_groups")
    box = map_groups(rows, cols, size)
    if sigma == 0:
        return box
    G = _sheet_windows(rows, cols, size, sigma)
    return (G / G.max(1, keepdim=True).values).to(box.dtype)
