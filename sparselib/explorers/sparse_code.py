"""Explorer 2, the sparse code of one input as λ moves and ISTA's convergence as its step
moves (:class:`SparseCodeExplorer`, its compute :func:`sparse_code`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor

from ..solvers import fista
from ..viz import OKABE_ITO
from .._validation import check_same_features, check_tensor, fail
from ..i18n import t
from .base import Explorer, Slider, draw_image, number_text

__all__ = ["SparseCode", "sparse_code", "SparseCodeStep", "SparseCodeExplorer"]


@dataclass
class SparseCode:
    lam: float
    z: Tensor            # (n_atoms,)
    x_hat: Tensor        # (n_features,)
    n_active: int
    rel_error: float     # ‖x − x̂‖² / ‖x‖²


def sparse_code(x: Tensor, W_d: Tensor, lam: float, *, max_iter: int = 300) -> SparseCode:
    """The FISTA code of one input ``x`` (``(n_features,)``) over ``W_d`` (``(n_features, n_atoms)``).

    A fixed number of iterations (``tol=0``): a live update then costs the same at every λ.
    """
    z, _ = fista(x[None], W_d, lam, max_iter=max_iter, tol=0)
    z = z[0]
    x_hat = W_d @ z
    err = float(((x - x_hat) ** 2).sum() / (x ** 2).sum().clamp_min(1e-30))
    return SparseCode(float(lam), z, x_hat, int((z != 0).sum()), err)


@dataclass
class SparseCodeStep:
    """One frame of :class:`SparseCodeExplorer`: the code at λ, and ISTA with step ``eta / L``."""

    code: SparseCode    # the minimiser z* at λ (FISTA), its sparsity and reconstruction
    eta: float                  # the step, in units of 1/L
    energy: Tensor              # (n_iter,) E(x, z^(k)) of ISTA with step eta / L, k = 1 … n_iter
    energy_star: float          # E(x, z*)
    energy_zero: float          # E(x, 0) = ½‖x‖², which no descent from z^(0) = 0 can exceed
    rises: int                  # steps k at which the energy rose

    @property
    def gap(self) -> Tensor:
        """``(E(x, z^(k)) − E*) / E*``, shape ``(n_iter,)``."""
        return (self.energy - self.energy_star) / self.energy_star

    @property
    def diverged(self) -> bool:
        """The last energy is above that of ``z = 0`` (or not finite)."""
        last = float(self.energy[-1])
        return not np.isfinite(last) or last > self.energy_zero


def _sci(value: float) -> str:
    """``3.2×10^{-8}`` in mathtext (``0`` for zero, ``∞`` when not finite)."""
    value = float(value)
    if not np.isfinite(value):
        return r"\infty"
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    return rf"{mantissa}\times10^{{{int(exponent)}}}"


class SparseCodeExplorer(Explorer):
    """The sparse code of one input as λ moves, and ISTA's convergence as its step moves.

    Two sliders: the sparsity weight λ, and the step ``η`` of ISTA in units of ``1/L``
    (``L = ‖W_d‖₂²``). Left: the input, its reconstruction ``W_d z*`` and the code ``z*``
    (the minimiser of ``E(x, z) = ½‖x − W_d z‖² + λ‖z‖₁``, by FISTA), with ``‖z*‖₀`` and the
    relative error ``‖x − W_d z*‖² / ‖x‖²``. Right: the relative energy gap
    ``(E(x, z^(k)) − E*) / E*`` of ``n_iter`` ISTA steps ``z^(k+1) = soft_{ηλ}(z^(k) − η∇f(z^(k)))``
    from ``z^(0) = 0``, with the step ``1/L`` in grey for reference. Below ``1/L`` the
    majoriser holds; below ``2/L`` the energy still falls at every step; above ``2/L`` nothing
    is guaranteed and the curve leaves the top of the panel when ISTA diverges.

    Parameters
    ----------
    x : Tensor of shape (n_features,)
        The input (an image is flattened); chapter 1 passes a centred test digit, ``X_test[0]``.
    W_d : Tensor of shape (n_features, n_atoms)
        The dictionary, unit-norm columns; chapter 1 passes its ``W_d`` of centred training
        digits.
    lams : sequence of float, default 0.03, 0.1, 0.3, 1
    etas : sequence of float, default 0.5, 1, 1.9, 2.1, 2.5
        Steps of ISTA in units of ``1/L``: one below ``1/L``, two in ``[1/L, 2/L)``, two above.
    n_iter : int, default 100
        ISTA steps per curve.
    mean : Tensor of shape (n_features,), optional
        Added to ``x`` and ``W_d z*`` for display only (the mean digit of a centred data set).
    image_shape : (int, int), default (8, 8)
    """

    prefix = "code"
    figsize = (7.6, 2.3)

    def __init__(self, x, W_d, *, lams: Optional[Sequence[float]] = None,
                 etas: Optional[Sequence[float]] = None, n_iter: int = 100, mean=None,
                 image_shape=(8, 8), lang: Optional[str] = None) -> None:
        from ..solvers import lipschitz

        super().__init__(lang)
        x = check_tensor(x, "x", "SparseCodeExplorer").detach().double().flatten()
        W_d = check_tensor(W_d, "W_d", "SparseCodeExplorer", ndim=2)
        check_same_features(x, W_d, "SparseCodeExplorer", "x", "W_d")
        self.x, self.W_d = x, W_d.detach().double()
        self.mean = (torch.zeros_like(self.x) if mean is None
                     else torch.as_tensor(mean).detach().double().flatten())
        self.image_shape, self.n_iter = tuple(image_shape), int(n_iter)
        self.L = lipschitz(self.W_d)
        lams = [0.03, 0.1, 0.3, 1.0] if lams is None else [float(a) for a in lams]
        etas = [0.5, 1.0, 1.9, 2.1, 2.5] if etas is None else [float(a) for a in etas]
        for name, grid in (("lams", lams), ("etas", etas)):
            if not grid or min(grid) <= 0:
                fail(ValueError, name, "SparseCodeExplorer", "be a non-empty sequence of positive numbers",
                     repr(grid))
        self.sliders = [Slider("lam", "code.lam", lams, lambda a: f"λ = {a:.3g}", default=len(lams) // 2),
                        Slider("eta", "code.eta", etas, lambda a: f"η = {a:g}/L",
                               default=min(range(len(etas)), key=lambda i: abs(etas[i] - 1)))]
        self._codes = self._minimisers(lams)
        self._runs: dict = {}
        self._zmax = max(float(c.z.abs().max()) for c in self._codes.values()) * 1.05 or 1.0
        shown = self.x + self.mean
        self._range = (min(0.0, float(shown.min())), float(shown.max()))

    def _minimisers(self, lams) -> dict:
        """z* for every λ in one batched FISTA solve, to near machine precision (the gaps go
        down to 1e-10): the code of ``x`` at ``λ`` is ``λ`` times the code of ``x/λ`` at 1."""
        from ..solvers import fista

        scale = torch.tensor([float(a) for a in lams], dtype=torch.float64)[:, None]   # (n_lams, 1)
        z, _ = fista(self.x[None] / scale, self.W_d, 1.0, max_iter=3000, tol=1e-15)
        codes = {}
        for lam, z_lam in zip(lams, z * scale):
            x_hat = self.W_d @ z_lam
            err = float(((self.x - x_hat) ** 2).sum() / (self.x ** 2).sum().clamp_min(1e-30))
            codes[lam] = SparseCode(float(lam), z_lam, x_hat, int((z_lam != 0).sum()), err)
        return codes

    def _code(self, lam: float) -> SparseCode:
        if lam not in self._codes:                    # a λ off the grid (live use only)
            self._codes.update(self._minimisers([lam]))
        return self._codes[lam]

    def _ista(self, lam: float, eta: float) -> Tensor:
        from ..solvers import ista

        if (lam, eta) not in self._runs:
            _, info = ista(self.x[None], self.W_d, lam, max_iter=self.n_iter, tol=0, L=self.L / eta)
            self._runs[lam, eta] = info["objective"].double()
        return self._runs[lam, eta]

    def compute(self, lam: float, eta: float) -> SparseCodeStep:
        code = self._code(lam)
        energy = self._ista(lam, eta)
        e_star = float(0.5 * ((self.x - code.x_hat) ** 2).sum() + lam * code.z.abs().sum())
        e_star = min(e_star, float(energy.nan_to_num(float("inf")).min()))  # ISTA may end lower
        rises = int((energy[1:] > energy[:-1] * (1 + 1e-12)).sum())
        return SparseCodeStep(code, float(eta), energy, e_star, float(0.5 * (self.x ** 2).sum()), rises)

    def draw(self, fig: Figure, r: SparseCodeStep, values: dict) -> None:
        c = r.code
        ax_x, ax_h, ax_z, ax_e = fig.subplots(1, 4, width_ratios=[1.1, 1.1, 2.4, 2.4], gridspec_kw=dict(
            left=0.01, right=0.99, bottom=0.17, top=0.78, wspace=0.3))
        draw_image(ax_x, self.x + self.mean, self.image_shape, *self._range)
        draw_image(ax_h, c.x_hat + self.mean, self.image_shape, *self._range)
        ax_x.set_title("$x$", fontsize=9)
        ax_h.set_title(r"$W_d z^*$", fontsize=9)
        z = c.z.numpy()
        nz = np.flatnonzero(z)
        ax_z.axhline(0, color="0.6", lw=0.6)
        ax_z.vlines(nz, 0, z[nz], color=OKABE_ITO[4], lw=1.2)
        ax_z.plot(nz, z[nz], "o", color=OKABE_ITO[4], ms=2.5)
        ax_z.set(xlim=(-1, len(z)), ylim=(-self._zmax, self._zmax), yticks=[])
        ax_z.set_xlabel("$j$", labelpad=0)
        ax_z.set_title(rf"$\|z^*\|_0 = {c.n_active},\ \|x - W_d z^*\|^2/\|x\|^2 = {c.rel_error:.2f}$",
                       fontsize=8)
        k = np.arange(1, len(r.energy) + 1)
        floor, top = 1e-10, 1e3
        if r.eta != 1.0:
            reference = self.compute(c.lam, 1.0).gap.clamp(floor, 10 * top).numpy()
            ax_e.semilogy(k, reference, color="0.7", lw=1)
        ax_e.semilogy(k, r.gap.nan_to_num(10 * top).clamp(floor, 10 * top).numpy(), color=OKABE_ITO[5], lw=1.4)
        ax_e.set(ylim=(floor, top), xlim=(1, k[-1]), yticks=[1e-9, 1e-6, 1e-3, 1])
        ax_e.tick_params(labelsize=8)
        ax_e.set_xlabel("$k$", labelpad=0)
        ax_e.set_title(rf"$\eta = {r.eta:g}/L:\ (E_{{{k[-1]}}} - E^*)/E^* = {_sci(r.gap[-1])}$", fontsize=8)
        fig.suptitle(rf"$\lambda = {c.lam:.3g}$", fontsize=10, y=0.99)

    def alt_values(self, r, values, lang) -> dict:
        c = r.code
        if r.diverged:
            state = t("code.diverged", lang)
        elif r.rises:
            state = t("code.rose", lang).format(rises=r.rises, steps=len(r.energy) - 1)
        else:
            state = t("code.fell", lang)
        return {"lam": f"{c.lam:.3g}", "n": c.n_active, "m": len(c.z), "err": number_text(c.rel_error),
                "eta": f"{r.eta:g}", "k": len(r.energy), "gap": f"{float(r.gap[-1]):.1e}", "state": state}
