"""Explorer 6, L2 pooling and shifts: feature maps move with a shifted input, pooled
outputs change less (:class:`PoolingExplorer`, its compute :func:`pooling_shift`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor

from .. import functional as sf
from .._validation import check_instance, check_shape, check_tensor
from ..viz import OKABE_ITO, SEQUENTIAL
from .base import Explorer, Slider, number_text

__all__ = ["shift_image", "l2_pool", "PoolingShift", "pooling_shift", "PoolingExplorer"]


def shift_image(x: Tensor, shift: int) -> Tensor:
    """``x`` moved ``shift`` pixels to the right (left if negative), zeros shifted in.

    Shape:
        x: ``(..., H, W)``; output: same.
    """
    shift = int(shift)
    out = torch.zeros_like(x)
    if shift == 0 or abs(shift) >= x.shape[-1]:
        return x.clone() if shift == 0 else out
    if shift > 0:
        out[..., shift:] = x[..., :-shift]
    else:
        out[..., :shift] = x[..., -shift:]
    return out


def l2_pool(z: Tensor, group_size: int, window: int, *, eps: float = 0.0) -> Tensor:
    """``sqrt(eps + Σ z²)`` over groups of ``group_size`` consecutive maps × every
    ``window × window`` window of positions (stride 1).

    Shape:
        z: ``(batch, K, H, W)``; output: ``(batch, K // group_size, H − window + 1, W − window + 1)``.
    """
    return sf.l2_pool(z, group_size, window, 1, eps)


@dataclass
class PoolingShift:
    shift: int
    window: int
    x: Tensor            # (C, H, W) the shifted input
    z: Tensor            # (K, H_z, W_z) its feature maps
    pooled: Tensor       # (G, H_p, W_p) its L2-pooled outputs
    rel_x: float         # ‖x(s) − x(0)‖ / ‖x(0)‖
    rel_z: float         # same for the feature maps
    rel_pooled: float    # same for the pooled outputs


@torch.no_grad()
def pooling_shift(model, x: Tensor, shift: int, window: int) -> PoolingShift:
    """Feature maps and L2-pooled outputs of ``x`` moved by ``shift`` pixels, and how much
    each changed relative to ``shift = 0``.

    ``model`` is a :class:`sparselib.models.conv.ConvGroupSparseAutoencoder`: its encoder
    (convolution, ReLU, gains) gives the maps; they are pooled over the model's groups of
    maps and every ``window × window`` window of positions with stride 1 (with the model's
    ``eps``), so ``window = model.pool`` reproduces ``model.pooled`` when ``model.pool_stride``
    is 1. Zeros are shifted in (no wrap-around).

    Shape:
        x: ``(C, H, W)``.
    """
    def rel(a: Tensor, b: Tensor) -> float:
        return float((a - b).norm() / b.norm().clamp_min(1e-12))

    x0 = x.to(model.W_e.dtype)[None]                                 # (1, C, H, W)
    xs = shift_image(x0, shift)
    both = torch.cat([x0, xs])                                       # (2, C, H, W)
    z = model.encode(both)                                           # (2, K, H_z, W_z)
    p = l2_pool(z, model.group_size, int(window), eps=model.eps)     # (2, G, H_p, W_p)
    return PoolingShift(int(shift), int(window), xs[0], z[1], p[1],
                        rel(xs[0], x0[0]), rel(z[1], z[0]), rel(p[1], p[0]))


def _mosaic(maps: np.ndarray, ncol: int) -> np.ndarray:
    """``(n, h, w)`` maps tiled ``ncol`` to a row, NaN (drawn blank) between and around them."""
    n, h, w = maps.shape
    nrow = -(-n // ncol)
    out = np.full((nrow * (h + 1) + 1, ncol * (w + 1) + 1), np.nan)
    for i, m in enumerate(maps):
        r, c = divmod(i, ncol)
        out[1 + r * (h + 1):1 + r * (h + 1) + h, 1 + c * (w + 1):1 + c * (w + 1) + w] = m
    return out


class PoolingExplorer(Explorer):
    """Shift an input by ``δ`` pixels: its feature maps move with it, its L2-pooled outputs
    change less.

    The frame shows the shifted input ``x_δ``, its feature maps ``z_i = g_i ReLU(W_{e,i} * x_δ − b_i)``
    (``b`` a subtracted threshold) and its pooled outputs (groups of the model's ``group_size``
    maps × ``w × w`` windows of positions, stride 1), with the relative change
    ``ρ_f = ‖f(x_δ) − f(x)‖ / ‖f(x)‖`` of each (bars, numbers on top) and the ratio
    ``ρ_P / ρ_z`` of the pooled outputs' change to the feature maps' (top right of the bars,
    for ``δ ≠ 0``): below 1 the pooling absorbs part of the shift. Zeros are shifted in (see
    :func:`sparselib.explore.pooling_shift`).

    Parameters
    ----------
    model : ConvGroupSparseAutoencoder
        Chapter 4 passes its trained first layer; an untrained one (e.g. 8 random 3 × 3
        filters in groups of two, padding 1, gains 1) shows the pooling as well.
    x : Tensor of shape (C, H, W) or (H, W)
        The input, with ``C = model.in_channels``; chapter 4 passes a test digit,
        ``img_test[0]`` of shape ``(1, 8, 8)``.
    shifts : sequence of int, default −2, …, 2
    windows : sequence of int, default (1, 2, 3)
        Pooling window widths offered by the second slider.
    """

    prefix = "pooling"
    figsize = (7.0, 2.4)

    def __init__(self, model, x, *, shifts: Sequence[int] = (-2, -1, 0, 1, 2),
                 windows: Sequence[int] = (1, 2, 3), lang: Optional[str] = None) -> None:
        from ..models.conv import ConvGroupSparseAutoencoder

        super().__init__(lang)
        check_instance(model, "model", "PoolingExplorer", ConvGroupSparseAutoencoder,
                       "a ConvGroupSparseAutoencoder")
        x = check_tensor(x, "x", "PoolingExplorer", floating=False).detach()
        x = x[None] if x.ndim == 2 else x
        check_shape(x, "x", "PoolingExplorer", (model.in_channels, "H", "W"))
        self.model, self.x = model.eval(), x.to(model.W_e.dtype)
        shifts, windows = [int(a) for a in shifts], [int(w) for w in windows]
        self.sliders = [
            Slider("shift", "pooling.shift", shifts, lambda a: f"δ = {a:+d}" if a else "δ = 0",
                   default=min(range(len(shifts)), key=lambda i: abs(shifts[i]))),
            Slider("window", "pooling.window", windows, lambda w: f"w = {w}",
                   default=min(range(len(windows)), key=lambda i: abs(windows[i] - model.pool)))]
        # Fixed colour and bar scales over the whole grid (the s = 0 maps and the largest change).
        rs = [self.compute(**v) for v in self.grid()]
        self._zmax = max(float(r.z.max()) for r in rs) or 1.0
        self._pmax = {w: max(float(r.pooled.max()) for r in rs if r.window == w) or 1.0 for w in windows}
        self._rmax = max(max(r.rel_x, r.rel_z, r.rel_pooled) for r in rs) * 1.25 or 1.0
        self._range = (float(self.x.min()), float(self.x.max()))

    def compute(self, shift: int, window: int) -> PoolingShift:
        return pooling_shift(self.model, self.x, shift, window)

    def draw(self, fig: Figure, r: PoolingShift, values: dict) -> None:
        ax_x, ax_z, ax_p, ax_b = fig.subplots(1, 4, width_ratios=[1, 2.2, 2.2, 1.5], gridspec_kw=dict(
            left=0.01, right=0.99, bottom=0.12, top=0.84, wspace=0.1))
        ax_x.imshow(r.x.mean(0).numpy(), cmap="gray_r", vmin=self._range[0], vmax=self._range[1])
        K, G = r.z.shape[0], r.pooled.shape[0]
        cols = 4 if K % 4 == 0 else max(1, int(np.ceil(np.sqrt(K))))
        rows = -(-K // cols)                                      # pooled maps: as many rows
        ax_z.imshow(_mosaic(r.z.numpy(), cols), cmap=SEQUENTIAL, vmin=0, vmax=self._zmax)
        ax_p.imshow(_mosaic(r.pooled.numpy(), -(-G // rows)), cmap=SEQUENTIAL,
                    vmin=0, vmax=self._pmax[r.window])
        for ax in (ax_x, ax_z, ax_p):
            ax.set(xticks=[], yticks=[])
        ax_x.set_title(rf"$x_\delta,\ \delta = {r.shift}$", fontsize=9)
        ax_z.set_title(r"$z_i$", fontsize=9)
        ax_p.set_title(rf"$\|z_{{P_j}}\|_2,\ {r.window} \times {r.window}$", fontsize=9)
        rel = [r.rel_x, r.rel_z, r.rel_pooled]
        ax_b.bar(range(3), rel, color=["0.6", OKABE_ITO[1], OKABE_ITO[4]])
        for i, v in enumerate(rel):
            ax_b.text(i, v + 0.02 * self._rmax, number_text(v), ha="center", va="bottom", fontsize=8)
        ax_b.set(xticks=range(3), ylim=(0, self._rmax), yticks=[])
        ax_b.set_xticklabels(["$x$", "$z$", r"$\|z_P\|$"], fontsize=8)
        for side in ("top", "right", "left"):
            ax_b.spines[side].set_visible(False)
        ax_b.set_title(r"$\rho_f = \|f(x_\delta) - f(x)\| / \|f(x)\|$", fontsize=8)
        ratio = self.ratio(r)
        if ratio is not None:                                     # the top fifth is free of bars
            ax_b.text(1.0, 1.0, rf"$\rho_P / \rho_z = {number_text(ratio)}$", transform=ax_b.transAxes,
                      ha="right", va="top", fontsize=8)

    @staticmethod
    def ratio(r: PoolingShift) -> Optional[float]:
        """``ρ_P / ρ_z``: the pooled outputs' relative change over the feature maps' (None at δ = 0)."""
        return r.rel_pooled / r.rel_z if r.rel_z > 0 else None

    def alt_values(self, r, values, lang) -> dict:
        ratio = self.ratio(r)
        return {"d": f"{r.shift:+d}" if r.shift else "0", "w": r.window, "x": number_text(r.rel_x),
                "z": number_text(r.rel_z), "p": number_text(r.rel_pooled), "M": r.z.shape[0],
                "n_pooled": r.pooled.shape[0], "ratio": "—" if ratio is None else number_text(ratio)}
