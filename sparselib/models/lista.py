"""LISTA: ISTA unrolled for a fixed number of steps, with its matrices learned.

ISTA's step ``z ← soft(z + (x − z Dᵀ) D / L, lam / L)`` rewrites as

    z ← soft(x W_eᵀ + z Sᵀ, theta),   W_e = Dᵀ / L,   S = I − DᵀD / L,   theta = lam / L

LISTA (Gregor & LeCun, 2010) keeps this form for ``n_layers`` steps from ``z = 0`` and trains
``W_e``, ``S`` and ``theta`` (shared by all layers), so a few layers give the code that ISTA
needs many iterations to reach. Before training it *is* ISTA. With ``layer_thresholds=True``
each layer gets its own threshold vector (``n_layers × n_atoms`` extra numbers next to the
shared matrices), which lets early layers threshold harder than late ones. With
``layer_steps=True`` each layer also scales its step by a learned ``gamma_k`` (learned step
sizes, Ablin et al., 2019):

    z ← soft(z + gamma_k (x W_eᵀ + z Sᵀ − z), gamma_k theta_k)

At initialisation ``x W_eᵀ + z Sᵀ − z`` is ISTA's step ``(x − z Dᵀ) D / L``, and
``gamma_k = 1`` gives back the plain layer. ``1 / L`` is the safe step for any code; on the
few atoms a sparse code uses, the curvature is lower and longer steps still converge, so
late layers learn ``gamma_k`` well above 1. Such steps overshoot on rare codes that are
larger and use more atoms than the training data's usual ones: train on plenty of data.
On such an input the network can diverge, and ``encode(x, safeguard=True)`` then falls back
on the lowest-energy layer's code (see :meth:`LISTA.encode`).

With ``layer_momentum=True`` each layer also starts from an extrapolated point, as FISTA
does (Beck & Teboulle, 2009), but with the extrapolation weights ``beta_k`` learned instead
of FISTA's fixed schedule:

    y = z_k + beta_k (z_k − z_{k−1}),   z_{k+1} = soft(y + gamma_k (x W_eᵀ + y Sᵀ − y), gamma_k theta_k)

``beta`` starts at 0, so the untrained model is still ISTA. Starting it at FISTA's schedule
instead trained to a worse code in the same time (on the problem of
benchmarks/bench_solvers.py, 150 s of training on the squared code error: 0.061 against 0.047
from 0).
``beta`` is not constrained: in the benchmark's runs the trained weights ranged from −1.64 to 3.14.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch
from torch import Tensor, nn

from .._validation import (check_bool, check_nonneg_scalar, check_positive_int, check_same_features,
                           check_shape, check_tensor, tensor_from_config)
from .. import functional as sf
from ..solvers import lipschitz

__all__ = ["LISTA", "LISTAOutput"]


@dataclass
class LISTAOutput:
    z: Tensor  # (batch, n_atoms), the code after the last layer
    x_hat: Tensor  # (batch, n_features), z @ W_d.T
    codes: Tensor  # (n_layers, batch, n_atoms), the code after every layer


class LISTA(nn.Module):
    """Learned ISTA encoder with a fixed dictionary as decoder.

    Parameters
    ----------
    D : Tensor of shape (n_features, n_atoms), or the same as a nested list
        Dictionary ``W_d``; kept as a buffer (not trained) for reconstructions and the energy.
        The nested list (of the default dtype) is the JSON form :meth:`config` writes.
    lam : float
        Sparsity weight of the energy ``½‖x − z Dᵀ‖² + lam‖z‖₁``.
    n_layers : int
        Number of thresholdings (ISTA steps from ``z = 0``).
    nonneg : bool, default False
        Use the non-negative soft-threshold (a ReLU with bias).
    layer_thresholds : bool, default False
        One threshold vector per layer instead of one shared by all layers.
    layer_steps : bool, default False
        A learned step size per layer (``gamma``, initialised to 1); implies one threshold
        vector per layer.
    layer_momentum : bool, default False
        A learned extrapolation weight per layer after the first (``beta``, initialised to
        0); implies ``layer_steps``.

    Attributes
    ----------
    W_e : Parameter of shape (n_atoms, n_features), initialised to ``Dᵀ / L``.
    S : Parameter of shape (n_atoms, n_atoms), initialised to ``I − DᵀD / L``, applied as ``z @ S.T``.
    theta : Parameter of shape (n_atoms,), or (n_layers, n_atoms) with ``layer_thresholds``
        or ``layer_steps``, initialised to ``lam / L``.
    gamma : Parameter of shape (n_layers,), initialised to 1; only with ``layer_steps``.
    beta : Parameter of shape (n_layers - 1,), initialised to 0; only with ``layer_momentum``.
    W_d : buffer of shape (n_features, n_atoms).
    L : float, the Lipschitz constant used for the initialisation.

    Shape:
        x: ``(batch, n_features)`` or ``(n_features,)``; z: ``(batch, n_atoms)`` or ``(n_atoms,)``.
    """

    def __init__(self, D: Tensor, lam: float, n_layers: int, *, nonneg: bool = False, L: Optional[float] = None,
                 layer_thresholds: bool = False, layer_steps: bool = False, layer_momentum: bool = False):
        super().__init__()
        D = check_tensor(tensor_from_config(D, "D", "LISTA"), "D", "LISTA", ndim=2).detach()
        self.lam = check_nonneg_scalar(lam, "lam", "LISTA")
        self.n_layers = check_positive_int(n_layers, "n_layers", "LISTA")
        self.nonneg = bool(nonneg)
        for name, flag in (("layer_thresholds", layer_thresholds), ("layer_steps", layer_steps),
                           ("layer_momentum", layer_momentum)):
            check_bool(flag, name, "LISTA")
        layer_steps = layer_steps or layer_momentum
        self.layer_momentum = layer_momentum
        self.layer_steps = layer_steps
        self.layer_thresholds = layer_thresholds or layer_steps
        self.L = lipschitz(D) if L is None else check_nonneg_scalar(L, "L", "LISTA", positive=True)
        n_atoms = D.shape[1]
        eye = torch.eye(n_atoms, dtype=D.dtype, device=D.device)
        self.W_e = nn.Parameter(D.T / self.L)  # (n_atoms, n_features)
        self.S = nn.Parameter(eye - D.T @ D / self.L)  # (n_atoms, n_atoms)
        theta_shape = (self.n_layers, n_atoms) if self.layer_thresholds else (n_atoms,)
        self.theta = nn.Parameter(torch.full(theta_shape, self.lam / self.L, dtype=D.dtype, device=D.device))
        if layer_steps:
            self.gamma = nn.Parameter(torch.ones(self.n_layers, dtype=D.dtype, device=D.device))
        if layer_momentum:
            self.beta = nn.Parameter(torch.zeros(self.n_layers - 1, dtype=D.dtype, device=D.device))
        self.register_buffer("W_d", D.clone())  # (n_features, n_atoms)

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable: the dictionary ``D`` as a nested list of
        its ``n_features × n_atoms`` entries (exact for float32 and float64; the rebuilt model
        has the default dtype, so call ``.to(dtype)`` before ``load_state_dict`` for another)
        and ``L`` as used at initialisation. ``type(self)(**self.config())`` is the untrained
        LISTA of this dictionary; ``load_state_dict`` brings back the learned weights.
        ``layer_steps`` and ``layer_thresholds`` are given as in effect (momentum implies
        steps, steps imply per-layer thresholds)."""
        return dict(D=self.W_d.tolist(), lam=self.lam, n_layers=self.n_layers, nonneg=self.nonneg,
                    L=self.L, layer_thresholds=self.layer_thresholds, layer_steps=self.layer_steps,
                    layer_momentum=self.layer_momentum)

    @property
    def n_features(self) -> int:
        return self.W_d.shape[0]

    @property
    def n_atoms(self) -> int:
        return self.W_d.shape[1]

    def extra_repr(self) -> str:
        extra = (", layer_momentum=True" if self.layer_momentum else ", layer_steps=True" if self.layer_steps
                 else ", layer_thresholds=True" if self.layer_thresholds else "")
        return (f"n_features={self.n_features}, n_atoms={self.n_atoms}, n_layers={self.n_layers}, "
                f"lam={self.lam:g}, nonneg={self.nonneg}{extra}")

    def _check_x(self, x: Tensor, func: str) -> Tensor:
        x = check_tensor(x, "x", func, ndim=(1, 2))
        check_same_features(x, self.W_d, func, name_D="model.W_d")
        return x

    def _unroll(self, x: Tensor) -> Tensor:
        single = x.ndim == 1
        xb = x.unsqueeze(0) if single else x  # (batch, n_features)
        b = xb @ self.W_e.T  # (batch, n_atoms), the input drive, the same at every layer
        theta = self.theta if self.layer_thresholds else self.theta.expand(self.n_layers, -1)  # (n_layers, n_atoms)
        if self.layer_steps:
            g = self.gamma
            z = sf.soft_threshold(g[0] * b, g[0] * theta[0], self.nonneg)
            z_prev = torch.zeros_like(z) if self.layer_momentum else None  # the start, z = 0
            codes = [z]
            for k in range(1, self.n_layers):
                y = z + self.beta[k - 1] * (z - z_prev) if self.layer_momentum else z  # (batch, n_atoms)
                z_prev, z = z, sf.soft_threshold(y + g[k] * (b + y @ self.S.T - y), g[k] * theta[k], self.nonneg)
                codes.append(z)
        else:
            z = sf.soft_threshold(b, theta[0], self.nonneg)
            codes = [z]
            for k in range(1, self.n_layers):
                z = sf.soft_threshold(b + z @ self.S.T, theta[k], self.nonneg)
                codes.append(z)
        codes = torch.stack(codes)  # (n_layers, batch, n_atoms)
        return codes[:, 0] if single else codes

    def encode(self, x: Tensor, *, safeguard: bool = False) -> Tensor:
        """The code after ``n_layers`` thresholdings.

        With ``safeguard=True``, a code whose energy ``½‖x − z W_dᵀ‖² + lam‖z‖₁`` exceeds
        that of the zero code, ``½‖x‖²``, is worse than no code at all: it is replaced by
        the code of the layer with the lowest energy, or by zero if no layer beats the zero
        code. Learned steps and momentum can make the network diverge on a rare input unlike
        its training data (an error thousands of times the code's norm), and this catches it
        at the cost of one residual product per sample. The untrained network is ISTA, whose
        energy never rises from ``z = 0``, so the safeguard changes nothing there.
        """
        check_bool(safeguard, "safeguard", "LISTA.encode")
        x = self._check_x(x, "LISTA.encode")
        codes = self._unroll(x)
        return self._safeguard(x, codes) if safeguard else codes[-1]

    def _energy(self, x: Tensor, z: Tensor) -> Tensor:
        """``½‖x − z W_dᵀ‖² + lam‖z‖₁`` over the last dimension (broadcast over leading ones)."""
        return sf.energy(x, z, self.W_d, self.lam)

    def _safeguard(self, x: Tensor, codes: Tensor) -> Tensor:
        single = x.ndim == 1
        xb = x.unsqueeze(0) if single else x  # (batch, n_features)
        cb = codes.unsqueeze(1) if single else codes  # (n_layers, batch, n_atoms)
        z = cb[-1].clone()
        e0 = 0.5 * xb.square().sum(-1)  # (batch,), the zero code's energy
        bad = torch.nonzero(self._energy(xb, z) > e0).flatten()
        if bad.numel():
            e = self._energy(xb[bad], cb[:, bad])  # (n_layers, n_bad)
            best = e.argmin(0)  # (n_bad,)
            pick = cb[best, bad]  # (n_bad, n_atoms)
            pick[e[best, torch.arange(bad.numel(), device=bad.device)] > e0[bad]] = 0.0  # no layer beats 0
            z[bad] = pick
        return z[0] if single else z

    def forward(self, x: Tensor) -> LISTAOutput:
        codes = self._unroll(self._check_x(x, "LISTA.forward"))
        z = codes[-1]
        return LISTAOutput(z=z, x_hat=z @ self.W_d.T, codes=codes)

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict[str, float]]:
        """Training loss.

        With target codes ``y`` (``(batch, n_atoms)``, e.g. FISTA's optimum) the loss is the
        mean squared code error ``½‖z − y‖²`` (the original LISTA objective); without, it is
        the sparse-coding energy ``½‖x − z W_dᵀ‖² + lam‖z‖₁`` itself (unsupervised LISTA).
        """
        x = self._check_x(x, "LISTA.loss")
        out = self.forward(x)
        if y is not None:
            y = check_tensor(y, "y", "LISTA.loss", ndim=out.z.ndim)
            check_shape(y, "y", "LISTA.loss", tuple(out.z.shape), lead="be target codes of shape")
            code = 0.5 * ((out.z - y) ** 2).sum(-1).mean()
            return code, {"code_error": code.item()}
        recon = sf.half_squared_error(x, out.x_hat).mean()
        sparsity = sf.l1_norm(out.z).mean()
        total = recon + self.lam * sparsity
        return total, {"reconstruction": recon.item(), "l1": sparsity.item(), "energy": total.item()}

    def project_(self) -> None:
        """LISTA has no constraint to re-impose; thresholds (and steps) stay non-negative,
        momentum weights are left free."""
        with torch.no_grad():
            self.theta.clamp_(min=0)
            if self.layer_steps:
                self.gamma.clamp_(min=0)
