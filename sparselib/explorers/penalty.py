"""Explorer 1, penalty geometry: level sets of three 2-D penalties and where their proxes
send a point (:class:`PenaltyExplorer`, its compute :func:`penalty_geometry`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import torch
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, to_hex
from matplotlib.figure import Figure
from torch import Tensor

from ..functional import inhibition_prox_2d
from ..penalties import group_l2, l1
from ..prox import group_soft_threshold, soft_threshold
from ..viz import OKABE_ITO, SEQUENTIAL
from .base import Explorer, Slider, number_text

__all__ = ["PENALTIES", "PenaltyGeometry", "penalty_geometry", "PenaltyExplorer"]


@dataclass
class PenaltyGeometry:
    lam: float
    v: Tensor            # (2,) the point
    prox: dict           # name -> Tensor (2,): where each prox sends v
    axis: Tensor         # (res,) coordinates of the grid, both axes
    zeros: dict          # name -> Tensor (res, res): zero coordinates of prox(grid point), 0/1/2
    levels: dict         # name -> Tensor (res, res): penalty value at every grid point


PENALTIES = ("l1", "group", "inhibition")


def penalty_geometry(lam: float, v=(1.5, 0.7), *, s: float = 1.0, extent: float = 2.0,
                     resolution: int = 81) -> PenaltyGeometry:
    """Level sets of three 2-D penalties and where their proxes send ``v`` and the plane.

    The penalties are ``‖z‖₁``, ``‖z‖₂`` (one group of two) and the lateral-inhibition
    term ``½|z|ᵀS|z| = s|z₁||z₂|``; the prox of ``λh`` is applied to ``v`` and to every
    point of a ``resolution × resolution`` grid on ``[-extent, extent]²``, recording how
    many coordinates it sets to zero (the sparsifying regions grow with λ).
    """
    lam = float(lam)
    v = torch.as_tensor(v, dtype=torch.float64)
    axis = torch.linspace(-extent, extent, resolution, dtype=torch.float64)
    Z = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), -1).reshape(-1, 2)  # (res², 2)
    G = torch.ones(1, 2, dtype=torch.float64)
    proxes = {
        "l1": lambda p: soft_threshold(p, lam),
        "group": lambda p: group_soft_threshold(p, lam, G),
        "inhibition": lambda p: inhibition_prox_2d(p, lam, s),
    }
    levels = {"l1": l1(Z), "group": group_l2(Z, G), "inhibition": s * Z[:, 0].abs() * Z[:, 1].abs()}
    shape = (resolution, resolution)
    return PenaltyGeometry(
        lam=lam, v=v, axis=axis,
        prox={k: f(v) for k, f in proxes.items()},
        zeros={k: (f(Z) == 0).sum(-1).reshape(shape) for k, f in proxes.items()},
        levels={k: h.reshape(shape) for k, h in levels.items()})



class PenaltyExplorer(Explorer):
    """Level sets of ``‖z‖₁``, ``‖z‖₂`` (a group of two) and ``½|z|ᵀS|z|`` in 2-D, and where
    the prox of ``λh`` sends the point ``v`` (shaded: points sent onto an axis or to 0).

    Parameters
    ----------
    v : (float, float), default (1.5, 0.7)
    s : float, default 1.0
        Off-diagonal entry of the 2 × 2 inhibition matrix ``S``.
    lams : sequence of float, default 0, 0.1, ..., 2
    """

    prefix = "penalty"
    figsize = (6.6, 2.5)
    # 0, 1 or 2 coordinates set to zero by the prox: white, light and mid cividis.
    SHADES = ListedColormap(["#ffffff", *(to_hex(c) for c in colormaps[SEQUENTIAL]([0.85, 0.55]))])
    TITLES = {"l1": r"$\|z\|_1$", "group": r"$\|z\|_2$",
              "inhibition": r"$\frac{1}{2}|z|^\top S|z| = s|z_1||z_2|$"}

    def __init__(self, *, v=(1.5, 0.7), s: float = 1.0, lams: Optional[Sequence[float]] = None,
                 lang: Optional[str] = None) -> None:
        super().__init__(lang)
        self.v, self.s = tuple(float(a) for a in v), float(s)
        lams = [round(0.1 * i, 2) for i in range(21)] if lams is None else list(lams)
        start = min(range(len(lams)), key=lambda i: abs(lams[i] - 0.5))   # λ nearest 0.5
        self.sliders = [Slider("lam", "penalty.lam", lams, lambda a: f"λ = {a:.2f}", default=start)]

    def compute(self, lam: float) -> PenaltyGeometry:
        return penalty_geometry(lam, self.v, s=self.s, resolution=61)

    def draw(self, fig: Figure, r: PenaltyGeometry, values: dict) -> None:
        axes = fig.subplots(1, 3, sharey=True, gridspec_kw=dict(left=0.07, right=0.99, bottom=0.14,
                                                                top=0.84, wspace=0.12))
        ext = [float(r.axis[0]), float(r.axis[-1])] * 2
        for ax, name in zip(axes, PENALTIES):
            ax.imshow(r.zeros[name].numpy(), origin="lower", extent=ext, cmap=self.SHADES,
                      vmin=0, vmax=2, interpolation="nearest")
            ax.contour(r.axis, r.axis, r.levels[name], levels=[0.25, 0.5, 1, 1.5, 2],
                       colors="0.35", linewidths=0.7)
            p = r.prox[name]
            ax.annotate("", xy=(float(p[0]), float(p[1])), xytext=self.v,
                        arrowprops=dict(arrowstyle="->", color=OKABE_ITO[7], lw=1))
            ax.plot(*self.v, "o", color=OKABE_ITO[7], ms=4)
            ax.plot(float(p[0]), float(p[1]), "o", color=OKABE_ITO[5], ms=6)
            ax.set_title(self.TITLES[name], fontsize=9)
            ax.set(xticks=[-2, 0, 2], yticks=[-2, 0, 2], aspect="equal")
            ax.set_xlabel("$z_1$", labelpad=0)
        axes[0].set_ylabel("$z_2$", labelpad=0)
        fig.suptitle(rf"$\lambda = {r.lam:.2f}$", fontsize=10)

    def alt_values(self, r, values, lang) -> dict:
        out = {"lam": number_text(r.lam), "v1": number_text(self.v[0]), "v2": number_text(self.v[1])}
        for tag, name in zip("abc", PENALTIES):
            out[tag + "1"], out[tag + "2"] = (number_text(c) for c in r.prox[name].tolist())
        return out
