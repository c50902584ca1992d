"""JumpReLU sparse auto-encoder (Rajamanoharan et al., 2024; Gemma Scope).

``z = v · H(v − θ)`` with one threshold ``θ_i > 0`` per latent: the prox of ``λ‖·‖₀``
(:func:`~sparselib.sae_functional.l0_prox`, threshold ``√(2λ)``) with the threshold learned.
The loss penalises the number of active latents directly::

    loss = mean_batch ‖x − x̂‖² + l0_coef · mean_batch Σ_i H(v_i − θ_i)

Neither term has a useful gradient with respect to ``θ`` (it is 0 almost everywhere), so the
thresholds learn through straight-through estimators with a rectangle kernel of width
``bandwidth`` (:func:`~sparselib.sae_functional.jumprelu`,
:func:`~sparselib.sae_functional.heaviside_step`). ``θ`` is a parameter itself, not
``exp(log θ)``: under Adam a log-parameterised threshold moves by a roughly constant
*relative* amount per step and is known to stay pinned near its start.
"""
from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor, nn

from .._validation import check_nonneg_scalar
from .. import sae_functional as saef
from .sae import SAEBase

__all__ = ["JumpReLUAutoencoder"]


class JumpReLUAutoencoder(SAEBase):
    """Sparse auto-encoder with a learned threshold per latent and an ℓ0 penalty.

    Parameters
    ----------
    n_features, n_latents : int
    l0_coef : float, default 1.0
        Weight of the ℓ0 term (the loss convention of :mod:`sparselib.models.sae`).
    bandwidth : float, default 0.05
        Width ``ε`` of the rectangle kernel of the straight-through gradients, in the units
        of the pre-activations.
    theta_init : float, default 0.05
        Starting threshold of every latent.
    theta_min : float, default 1e-4
        :meth:`project_` keeps every threshold at least this (positive) value.
    theta_lr_scale : float, default 1.0
        The thresholds' learning rate is ``fit``'s ``lr`` times this (:meth:`param_groups`).
        Adam moves a parameter by about ``lr`` per step whatever its gradient, so with
        thresholds far above their start (pre-activations of several units) a short run can
        end before they settle: the ℓ0 coefficient then seems to saturate.
    tied : bool, default True

    Attributes
    ----------
    theta : Parameter of shape (n_latents,)

    Shape:
        - Input: ``(batch, n_features)``.
        - Output: :class:`~sparselib.models.sae.SAEOutput`.

    Examples
    --------
    >>> import torch
    >>> model = JumpReLUAutoencoder(64, 256, l0_coef=0.5)
    >>> bool((model.encode(torch.randn(5, 64)) >= 0).all())
    True
    """

    _name = "JumpReLUAutoencoder"

    def __init__(self, n_features: int, n_latents: int, *, l0_coef: float = 1.0,
                 bandwidth: float = 0.05, theta_init: float = 0.05, theta_min: float = 1e-4,
                 theta_lr_scale: float = 1.0, tied: bool = True) -> None:
        super().__init__(n_features, n_latents, tied=tied)
        name = self._name
        self.l0_coef = check_nonneg_scalar(l0_coef, "l0_coef", name)
        self.bandwidth = check_nonneg_scalar(bandwidth, "bandwidth", name, positive=True)
        self.theta_min = check_nonneg_scalar(theta_min, "theta_min", name, positive=True)
        self.theta_init = check_nonneg_scalar(theta_init, "theta_init", name, positive=True)
        self.theta_lr_scale = check_nonneg_scalar(theta_lr_scale, "theta_lr_scale", name,
                                                  positive=True)
        self.theta = nn.Parameter(torch.full((n_latents,), max(self.theta_init, self.theta_min)))

    def config(self) -> dict:
        return {**super().config(), "l0_coef": self.l0_coef, "bandwidth": self.bandwidth,
                "theta_init": self.theta_init, "theta_min": self.theta_min,
                "theta_lr_scale": self.theta_lr_scale}

    def param_groups(self, lr: float) -> list[dict]:
        """Optimiser groups for :func:`~sparselib.train.fit`: ``theta`` at
        ``lr * theta_lr_scale``, every other parameter at ``lr``."""
        rest = [p for name, p in self.named_parameters() if name != "theta"]
        return [{"params": rest, "lr": lr},
                {"params": [self.theta], "lr": lr * self.theta_lr_scale}]

    def activate(self, v: Tensor) -> Tensor:
        return saef.jumprelu(v, self.theta, self.bandwidth)

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict]:
        """``‖x − x̂‖² + l0_coef · Σ_i H(v_i − θ_i)``, averaged over the batch, and its parts
        (``reconstruction``, ``l0``). ``y`` is ignored."""
        out = self.forward(x)
        x = x.to(out.x_hat.dtype)
        recon = self.reconstruction_error(x, out.x_hat)
        l0 = saef.heaviside_step(out.v, self.theta, self.bandwidth).sum(-1).mean()
        return recon + self.l0_coef * l0, self._parts(recon, out.z)

    @torch.no_grad()
    def project_(self) -> None:
        """Unit-norm columns of ``W_d``; thresholds at least ``theta_min``."""
        super().project_()
        self.theta.clamp_(min=self.theta_min)
