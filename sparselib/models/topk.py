"""TopK and BatchTopK sparse auto-encoders with the auxiliary loss that revives dead latents.

Gao et al. (2024), *Scaling and evaluating sparse autoencoders*: the code keeps the ``k``
largest pre-activations of each sample (:func:`~sparselib.sae_functional.topk_relu`), which
sets the sparsity directly and leaves no L1 shrinkage. BatchTopK (Bussmann et al., 2024)
keeps the ``k · batch`` largest of the batch instead. The layout, the loss convention and the
decoder habits are :class:`~sparselib.models.sae.SAEBase`'s.

**Dead latents and AuxK.** During training the model counts, for every latent, the training
samples seen since it last fired (``since_fired``); a latent that has not fired for
``dead_after`` samples is *dead*. With ``aux_k``, the ``aux_k`` largest pre-activations among
the dead latents (fewer if fewer are dead) reconstruct the main model's residual
``e = x − x̂`` (held constant): ``ê = ReLU(P_aux_k(v_dead)) W_dᵀ`` (no bias), and the loss
gains ``aux_coef · mean_batch ‖e − ê‖² / ‖e‖²``, the normalised error of Gao et al.'s
reference code, per sample then averaged. A dead latent thus gets a gradient that points its
atom at what the live latents miss.
"""
from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor

from .._validation import check_bool, check_in_range, check_nonneg_scalar, check_positive_int, fail
from .. import sae_functional as saef
from .sae import SAEBase

__all__ = ["TopKAutoencoder"]


class TopKAutoencoder(SAEBase):
    """Sparse auto-encoder whose code keeps the ``k`` largest pre-activations (after a ReLU).

    ``loss = mean_batch ‖x − x̂‖² (+ aux_coef · AuxK)``; see the module docstring.

    Parameters
    ----------
    n_features, n_latents : int
    k : int
        Non-zeros per sample (at most; the ReLU may zero some), ``1 <= k <= n_latents``.
    batch_topk : bool, default False
        Keep the ``k · batch`` largest entries of the batch while training. In eval mode the
        code is ``v · 1[v > τ]`` with ``τ`` (buffer ``threshold``) a running average of the
        smallest kept activation of the training batches, so that a sample's code does not
        depend on the other samples; before any training step the batch rule is used.
    aux_k : int, optional
        Dead latents used by the auxiliary loss; None (default) switches AuxK off.
        Gao et al. use half the input dimension.
    aux_coef : float, default 1/32
    dead_after : int, default 1000
        A latent is dead after this many training samples without firing.
    tied : bool, default True
        Tied initialisation ``W_e = W_dᵀ``.
    threshold_momentum : float, default 0.05
        Weight of each batch in the running average ``τ`` (``batch_topk`` only).

    Attributes
    ----------
    since_fired : buffer of shape (n_latents,), int64
        Training samples since each latent last fired.
    threshold : buffer, 0-d; ``τ`` (−1 until the first BatchTopK training step).

    Shape:
        - Input: ``(batch, n_features)``.
        - Output: :class:`~sparselib.models.sae.SAEOutput`.

    Examples
    --------
    >>> import torch
    >>> model = TopKAutoencoder(64, 256, k=8, aux_k=32)
    >>> int((model.encode(torch.randn(5, 64)) != 0).sum(1).max()) <= 8
    True
    """

    _name = "TopKAutoencoder"

    def __init__(self, n_features: int, n_latents: int, k: int, *, batch_topk: bool = False,
                 aux_k: Optional[int] = None, aux_coef: float = 1 / 32, dead_after: int = 1000,
                 tied: bool = True, threshold_momentum: float = 0.05) -> None:
        super().__init__(n_features, n_latents, tied=tied)
        name = self._name
        self.k = check_positive_int(k, "k", name)
        if self.k > self.n_latents:
            fail(ValueError, "k", name, f"be at most n_latents={self.n_latents}", repr(k))
        self.batch_topk = check_bool(batch_topk, "batch_topk", name)
        if aux_k is not None:
            aux_k = check_positive_int(aux_k, "aux_k", name)
        self.aux_k = aux_k
        self.aux_coef = check_nonneg_scalar(aux_coef, "aux_coef", name)
        self.dead_after = check_positive_int(dead_after, "dead_after", name)
        momentum = check_nonneg_scalar(threshold_momentum, "threshold_momentum", name)
        self.threshold_momentum = check_in_range(momentum, "threshold_momentum", name, 0, 1, "(]")
        self.register_buffer("since_fired", torch.zeros(n_latents, dtype=torch.int64))
        self.register_buffer("threshold", torch.tensor(-1.0))

    def config(self) -> dict:
        return {**super().config(), "k": self.k, "batch_topk": self.batch_topk,
                "aux_k": self.aux_k, "aux_coef": self.aux_coef, "dead_after": self.dead_after,
                "threshold_momentum": self.threshold_momentum}

    def activate(self, v: Tensor) -> Tensor:
        if not self.batch_topk:
            return saef.topk_relu(v, self.k)
        if self.training or float(self.threshold) < 0:
            return saef.batch_topk_relu(v, self.k)
        return torch.relu(v) * (v > self.threshold)

    def dead_latents(self) -> Tensor:
        """Bool mask ``(n_latents,)``: latents that have not fired for ``dead_after`` samples."""
        return self.since_fired >= self.dead_after

    @torch.no_grad()
    def _track(self, z: Tensor) -> None:
        """Update the firing counters (and BatchTopK's ``τ``) after a training batch."""
        self.since_fired += z.shape[0]
        self.since_fired[(z > 0).any(0)] = 0
        if self.batch_topk:
            kept = z[z > 0]
            if kept.numel():
                low = kept.min()
                m = self.threshold_momentum
                first = float(self.threshold) < 0
                self.threshold.copy_(low if first else (1 - m) * self.threshold + m * low)

    def aux_loss(self, x: Tensor, x_hat: Tensor, v: Tensor, dead: Tensor) -> Tensor:
        """AuxK's ``mean_batch ‖e − ê‖² / ‖e‖²`` for the dead latents ``dead`` (0 when none is
        dead); ``e = x − x̂`` is held constant."""
        n_dead = int(dead.sum())
        if not self.aux_k or n_dead == 0:
            return x.new_zeros(())
        v_dead = v.masked_fill(~dead, float("-inf"))                   # (batch, n_latents)
        z_aux = saef.topk_relu(v_dead, min(self.aux_k, n_dead))
        e = (x - x_hat).detach()                                        # (batch, n_features)
        return saef.normalized_squared_error(e, z_aux @ self.W_d.T).mean()

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict]:
        """``‖x − x̂‖² + aux_coef · AuxK`` averaged over the batch, and its parts
        (``reconstruction``, ``aux``, ``dead`` (fraction dead before this batch), ``l0``).
        In training mode the firing counters are updated. ``y`` is ignored."""
        out = self.forward(x)
        x = x.to(out.x_hat.dtype)
        recon = self.reconstruction_error(x, out.x_hat)
        dead = self.dead_latents()
        aux = self.aux_loss(x, out.x_hat, out.v, dead)
        if self.training:
            self._track(out.z)
        total = recon + self.aux_coef * aux if self.aux_k else recon
        return total, self._parts(recon, out.z, aux=aux, dead=dead.float().mean())
