"""Explorer 5, lateral inhibition on a tree: which units can be co-active as ``α`` grows
and what it costs (:class:`InhibitionExplorer`, its compute :func:`inhibition_code`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor

from ..groups import Tree
from ..i18n import t
from ..viz import OKABE_ITO, SEQUENTIAL
from .base import Explorer, Slider, number_text

__all__ = ["branch_pairs", "InhibitionCode", "inhibition_code", "InhibitionFrame", "InhibitionExplorer"]


def branch_pairs(tree: Tree) -> Tensor:
    """Boolean ``(n, n)``: ``i ≠ j`` on one root-to-leaf branch (one is an ancestor of the other)."""
    return tree.same_branch() & ~torch.eye(tree.n_nodes, dtype=torch.bool)


@dataclass
class InhibitionCode:
    scale: float
    z: Tensor            # (batch, n_atoms) codes
    co_active: Tensor    # (n_atoms, n_atoms) number of inputs where both units are active
    off_branch: int      # co-active pairs (i < j, summed over inputs) on different branches
    on_branch: int       # co-active pairs on one branch


def inhibition_code(X: Tensor, W_d: Tensor, tree: Tree, scale: float, *, lam: float = 0.05,
                    rel: float = 0.05) -> InhibitionCode:
    """Codes of ``X`` under tree-structured lateral inhibition of strength ``scale``.

    Inference is :class:`sparselib.models.lateral.LateralInhibitionCoder` (thresholds
    ``λ + (S|z|)_i`` with ``S = tree_inhibition(tree, scale)``) with ``W_d`` as its
    dictionary. A unit counts as active when ``|z_i| > rel · max_j |z_j|``.
    """
    from ..analysis import active_units
    from ..models.lateral import LateralInhibitionCoder

    coder = LateralInhibitionCoder(W_d.shape[0], W_d.shape[1], lam=lam, tree=tree,
                                   scale=float(scale), nonneg=True, n_iter=300, tol=1e-6)
    coder = coder.to(W_d.dtype)
    with torch.no_grad():
        coder.W_d.copy_(W_d)
    z = coder.encode(X.to(W_d.dtype))
    z = torch.where(active_units(z, rel), z, torch.zeros_like(z))
    act = (z != 0).to(torch.float64)                                # (batch, n)
    co = act.T @ act                                                # (n, n)
    co.fill_diagonal_(0)
    same = branch_pairs(tree)
    off = int(co[~same].sum() / 2)
    return InhibitionCode(float(scale), z, co.long(), off, int(co[same].sum() / 2))



@dataclass
class InhibitionFrame(InhibitionCode):
    """One frame of :class:`InhibitionExplorer`: the codes at ``α`` and what they cost.

    The errors are ``‖X − Z W_dᵀ‖_F / ‖X‖_F`` over all the explorer's inputs, ``Z`` the codes
    as drawn (units below ``rel`` of a code's largest set to 0), with the explorer's one
    dictionary; ``*_free`` are the same at ``α = 0`` (plain L1).
    """

    rel_error: float = 0.0        # with the inhibition V = α·tree_inhibition
    rel_error_free: float = 0.0   # α = 0, same dictionary
    active: float = 0.0           # mean number of active units per input, at α
    active_free: float = 0.0      # the same at α = 0


class InhibitionExplorer(Explorer):
    """Which units of a tree can be co-active as the inhibition ``V = α·tree_inhibition`` grows,
    and what that costs in reconstruction.

    The energy's inhibition term is ``½|z|ᵀV|z|`` (half of ``penalties.lateral_inhibition``);
    the book writes the matrix ``V`` and its strength ``α`` (the argument ``scale``). Each
    input mixes the atoms of one root-to-leaf branch with one atom off that branch. With
    ``α = 0`` (plain L1) the off-branch unit switches on with the branch; as ``α`` grows,
    units on different branches stop being active together. Each frame also shows, over all
    inputs, the relative reconstruction error ``‖X − Z W_dᵀ‖_F / ‖X‖_F`` and the mean number
    of active units, at ``α`` and at ``α = 0`` with the same dictionary (:class:`InhibitionFrame`).

    Parameters
    ----------
    tree : Tree, default ``Tree.complete(2, 3)`` (15 units)
    scales : sequence of float, default 0, 0.1, ..., 1
        The strengths α offered by the slider.
    n_inputs : int, default 24
        Inputs over which co-active pairs are counted.
    samples : int, default 3
        Inputs offered by the input slider.
    n_features : int, default 24
    seed : int, default 0
    """

    prefix = "inhibition"
    figsize = (5.6, 2.8)

    def __init__(self, *, tree: Optional[Tree] = None, scales: Optional[Sequence[float]] = None,
                 n_inputs: int = 24, samples: int = 3, n_features: int = 24, seed: int = 0,
                 lang: Optional[str] = None) -> None:
        super().__init__(lang)
        self.tree = tree = Tree.complete(2, 3) if tree is None else tree
        n = tree.n_nodes
        gen = torch.Generator().manual_seed(seed)
        self.W_d = torch.nn.functional.normalize(
            torch.randn(n_features, n, generator=gen, dtype=torch.float64), dim=0)
        leaves = [u for u in range(n) if not tree.children[u]]
        A = tree.ancestor_matrix()
        Z = torch.zeros(n_inputs, n, dtype=torch.float64)
        for b in range(n_inputs):
            leaf = leaves[int(torch.randint(len(leaves), (1,), generator=gen))]
            branch = A[:, leaf]                                      # the leaf and its ancestors
            off = torch.nonzero(~(branch | A[leaf])).flatten()
            Z[b, branch] = 0.5 + 0.5 * torch.rand(int(branch.sum()), generator=gen, dtype=torch.float64)
            Z[b, off[int(torch.randint(len(off), (1,), generator=gen))]] = 0.8
        self.X = Z @ self.W_d.T + 0.02 * torch.randn(n_inputs, n_features, generator=gen,
                                                      dtype=torch.float64)
        self.layout = tree.layout().numpy()
        self.same = branch_pairs(tree)
        self._free = self._cost(inhibition_code(self.X, self.W_d, tree, 0.0))  # α = 0
        scales = [round(0.1 * i, 2) for i in range(11)] if scales is None else list(scales)
        self.sliders = [Slider("scale", "inhibition.scale", scales, lambda a: f"α = {a:.2f}",
                               default=min(3, len(scales) - 1)),
                        Slider("sample", "inhibition.sample", list(range(samples)),
                               lambda v: f"{v + 1} / {samples}")]

    def _cost(self, code: InhibitionCode) -> tuple[float, float]:
        """Relative reconstruction error over all inputs and mean active units per input."""
        error = float((self.X - code.z @ self.W_d.T).norm() / self.X.norm())
        return error, float((code.z != 0).sum(1).double().mean())

    def compute(self, scale: float, sample: int) -> InhibitionFrame:
        code = inhibition_code(self.X, self.W_d, self.tree, scale)
        (error, active), (error_0, active_0) = self._cost(code), self._free
        return InhibitionFrame(**vars(code), rel_error=error, rel_error_free=error_0,
                               active=active, active_free=active_0)

    def draw(self, fig: Figure, r: InhibitionFrame, values: dict) -> None:
        ax_t, ax_c = fig.subplots(1, 2, width_ratios=[1.4, 1], gridspec_kw=dict(
            left=0.01, right=0.97, bottom=0.17, top=0.89, wspace=0.08))
        z = r.z[values["sample"]].numpy()
        pos = self.layout
        for u in range(self.tree.n_nodes):
            p = int(self.tree.parent[u])
            if p >= 0:
                ax_t.plot(*pos[[u, p]].T, color="0.6", lw=0.8, zorder=1)
        ax_t.scatter(pos[:, 0], pos[:, 1], c=z, cmap=SEQUENTIAL, vmin=0, vmax=max(z.max(), 1e-9),
                     s=110, edgecolors=OKABE_ITO[7], linewidths=0.6, zorder=2)
        for u, (a, b) in enumerate(pos):
            ax_t.text(a, b - 0.38, str(u), ha="center", va="top", fontsize=8)
        ax_t.set(xticks=[], yticks=[], ylim=(pos[:, 1].min() - 0.8, 0.5))
        ax_t.set_title(rf"$\alpha = {r.scale:.2f},\ z > 0$", fontsize=9)
        ax_c.imshow(r.co_active.numpy(), cmap=SEQUENTIAL, vmin=0, vmax=max(int(r.co_active.max()), 1))
        i, j = np.nonzero(self.same.numpy())
        ax_c.plot(j, i, ".", color=OKABE_ITO[1], ms=1.5)
        ax_c.set(xticks=[], yticks=[], xlabel="$j$", ylabel="$i$")
        ax_c.set_title(rf"$n_{{\neq}} = {r.off_branch},\ n_{{=}} = {r.on_branch}$", fontsize=9)
        fig.text(0.5, 0.03, rf"$\|X - Z W_d^\top\|_F / \|X\|_F = {number_text(r.rel_error, 3)}\ "
                 rf"(\alpha = 0:\ {number_text(r.rel_error_free, 3)}),\quad \overline{{\|z\|_0}} = "
                 rf"{number_text(r.active, 1)}\ (\alpha = 0:\ {number_text(r.active_free, 1)})$",
                 ha="center", va="bottom", fontsize=8)

    def alt_values(self, r, values, lang) -> dict:
        units = torch.nonzero(r.z[values["sample"]]).flatten().tolist()
        return {"alpha": number_text(r.scale), "sample": values["sample"] + 1, "B": len(r.z),
                "units": ", ".join(map(str, units)) or t("explorer.none", lang),
                "off": r.off_branch, "on": r.on_branch, "err": number_text(r.rel_error, 3),
                "err0": number_text(r.rel_error_free, 3), "act": number_text(r.active, 1),
                "act0": number_text(r.active_free, 1)}
