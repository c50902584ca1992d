"""Explorer 4, group sparsity: which units switch on together with ``w × w`` blocks
(:class:`GroupSparsityExplorer`, its compute :func:`group_code`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor

from ..groups import block_groups
from ..solvers import fista
from ..viz import OKABE_ITO, SEQUENTIAL
from .base import Explorer, Slider, number_text

__all__ = ["GroupCode", "group_code", "GroupSparsityExplorer"]


@dataclass
class GroupCode:
    size: int
    lam: float
    z: Tensor            # (side², ) the code, row-major on the grid of units
    G: Tensor            # (n_groups, side²)
    group_on: Tensor     # (n_groups,) bool: the group has a non-zero unit
    n_active: int


def group_code(x: Tensor, W_d: Tensor, lam: float, size: int, side: int, *,
               max_iter: int = 300) -> GroupCode:
    """Group-sparse code of ``x`` with ``size × size`` blocks of units (``size = 1``: plain L1).

    FISTA with ``prox="group"``, a fixed number of iterations (see :func:`sparse_code`).
    """
    G = block_groups(side, size, dtype=x.dtype)
    z, _ = fista(x[None], W_d, lam, prox="group", groups=G, max_iter=max_iter, tol=0)
    z = z[0]
    on = (G @ (z != 0).to(G.dtype)) > 0
    return GroupCode(int(size), float(lam), z, G, on, int((z != 0).sum()))



class GroupSparsityExplorer(Explorer):
    """Which units switch on together under group sparsity with ``w × w`` blocks of units.

    The units sit on a ``side × side`` grid; the input was made by a random dictionary from
    a code active on a 3 × 3 neighbourhood of units (inside one 4 × 4 block, across four
    2 × 2 blocks). With ``w = 1`` the penalty is plain L1 and units switch on one by one;
    with larger blocks whole blocks switch on and off together.

    The third panel is the optimality certificate of the code, pool by pool: the norm of the
    pool's correlations with the residual, ``‖(W_dᵀ(x − W_d z))_{P_j}‖₂ / λ``
    (:meth:`correlations`). At the minimum every active pool sits at 1 and every pool that is
    off at or below 1, which is why it is off.

    Parameters
    ----------
    side : int, default 8
    sizes : sequence of int, default (1, 2, 4)
        Block sizes; each must divide ``side``.
    lams : sequence of float, default 8 values from 0.05 to 2, log-spaced
    n_features : int, default 40
    seed : int, default 0
    """

    prefix = "group"
    figsize = (7.4, 2.5)

    def __init__(self, *, side: int = 8, sizes: Sequence[int] = (1, 2, 4),
                 lams: Optional[Sequence[float]] = None, n_features: int = 40, seed: int = 0,
                 lang: Optional[str] = None) -> None:
        super().__init__(lang)
        for k in sizes:
            block_groups(side, k)                         # validates that k divides side
        gen = torch.Generator().manual_seed(seed)
        self.side = side
        self.W_d = torch.nn.functional.normalize(
            torch.randn(n_features, side * side, generator=gen, dtype=torch.float64), dim=0)
        z_true = torch.zeros(side, side, dtype=torch.float64)
        r0 = c0 = 1                                               # a 3 × 3 patch in one 4 × 4 block
        z_true[r0:r0 + 3, c0:c0 + 3] = 0.5 + torch.rand(3, 3, generator=gen, dtype=torch.float64)
        self.z_true = z_true.flatten()
        self.x = self.W_d @ self.z_true + 0.02 * torch.randn(n_features, generator=gen,
                                                              dtype=torch.float64)
        lams = np.geomspace(0.05, 2, 8).round(3).tolist() if lams is None else list(lams)
        self.sliders = [Slider("size", "group.size", list(sizes), lambda k: f"w = {k}",
                               default=min(1, len(sizes) - 1)),
                        Slider("lam", "group.lam", lams, lambda a: f"λ = {a:.3g}",
                               default=len(lams) // 2)]
        self._zmax = float(self.z_true.abs().max())

    def compute(self, size: int, lam: float) -> GroupCode:
        return group_code(self.x, self.W_d, lam, size, self.side)

    def correlations(self, r: GroupCode) -> torch.Tensor:
        """``(n_groups,)``: ``‖(W_dᵀ(x − W_d z))_{P_j}‖₂ / λ``, the pools' correlations with the
        residual in units of λ (at the minimum: 1 for an active pool, at most 1 for a zero one)."""
        c = self.W_d.T @ (self.x - self.W_d @ r.z)               # (side²,)
        return (r.G @ (c * c)).sqrt() / r.lam

    @staticmethod
    def largest_off(ratio: torch.Tensor, on: torch.Tensor) -> Optional[float]:
        """The largest ratio among the pools that are off (None when every pool is on)."""
        return float(ratio[~on].max()) if bool((~on).any()) else None

    def draw(self, fig: Figure, r: GroupCode, values: dict) -> None:
        ax_z, ax_t, ax_c = fig.subplots(1, 3, width_ratios=[1, 1, 1.5], gridspec_kw=dict(
            left=0.01, right=0.99, bottom=0.1, top=0.8, wspace=0.12))
        n = self.side
        for ax, z in ((ax_z, r.z), (ax_t, self.z_true)):
            ax.imshow(z.abs().reshape(n, n).numpy(), cmap=SEQUENTIAL, vmin=0, vmax=self._zmax)
            ax.set(xticks=[], yticks=[])
        for b in range(0, n + 1, r.size):                        # block borders
            ax_z.axhline(b - 0.5, color=OKABE_ITO[1], lw=0.8)
            ax_z.axvline(b - 0.5, color=OKABE_ITO[1], lw=0.8)
        groups_on = int(r.group_on.sum())
        ax_z.set_title(rf"$|z|,\ w = {r.size},\ \lambda = {r.lam:.3g}$" "\n"
                       rf"$\|z\|_0 = {r.n_active},\ {groups_on}/{len(r.group_on)}$", fontsize=8)
        ax_t.set_title(r"$|z_{\mathrm{true}}|$", fontsize=8)
        ratio, on = self.correlations(r).numpy(), r.group_on.numpy()
        j = np.arange(len(ratio))
        ax_c.bar(j[~on], ratio[~on], width=0.8, color="0.65")
        ax_c.bar(j[on], ratio[on], width=0.8, color=OKABE_ITO[5])
        ax_c.axhline(1.0, color="0.2", lw=0.8, ls="--")
        ax_c.set(xlim=(-0.6, len(ratio) - 0.4), ylim=(0, 1.35), xticks=[], yticks=[0, 1])
        ax_c.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax_c.spines[side].set_visible(False)
        off = self.largest_off(self.correlations(r), r.group_on)
        text = "" if off is None else rf",\ \mathrm{{max}}_{{\mathrm{{off}}}} = {off:.2f}"
        ax_c.set_title(rf"$\|W_{{d,P_j}}^\top (x - W_d z)\|_2 / \lambda{text}$", fontsize=8)
        ax_c.set_xlabel("$j$", fontsize=8, labelpad=1)

    def alt_values(self, r, values, lang) -> dict:
        off = self.largest_off(self.correlations(r), r.group_on)
        return {"w": r.size, "lam": f"{r.lam:.3g}", "n": r.n_active, "m": len(r.z),
                "g": int(r.group_on.sum()), "G": len(r.group_on),
                "off": "—" if off is None else number_text(off)}
