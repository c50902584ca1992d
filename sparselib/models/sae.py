"""Today's sparse auto-encoders (chapter 6): the shared layout and the lecture's ReLU + L1.

Interpretability SAEs (Anthropic 2023-24; Gao et al. 2024; Rajamanoharan et al. 2024) all
read activations ``x`` through one layout::

    v = (x − b_d) W_eᵀ + b_e          pre-activations, (batch, n_latents)
    z = act(v)                         the code: ReLU, TopK, JumpReLU, ...
    x̂ = z W_dᵀ + b_d                  reconstruction, (batch, n_features)

with a decoder ``W_d: (n_features, n_latents)`` of unit-norm columns (atoms) and a decoder
bias ``b_d`` subtracted before encoding. :class:`SAEBase` holds that layout and the three
training habits the field settled on: tied initialisation (``W_e = W_dᵀ`` at the start),
``b_d`` initialised at the data's mean or geometric median
(:meth:`~SAEBase.init_decoder_bias_`), and the decoder kept on the unit sphere by removing
each atom's gradient component along itself before the optimiser step
(:meth:`~SAEBase.before_step_`, called by :func:`sparselib.train.fit`) and renormalising after
it (:meth:`~SAEBase.project_`).

Loss convention, the same for every model here: the reconstruction error is
``‖x − x̂‖²`` **summed over features and averaged over the batch** (no ½, unlike the energies
of chapters 1-5: ``λ`` here is twice the ``λ`` of ``½‖x − x̂‖² + λ‖z‖₁``).

:class:`ReLUAutoencoder` is the lecture's: ``act = ReLU`` and the penalty
``λ Σ_i z_i ‖W_d[:, i]‖``. :mod:`~sparselib.models.topk` and :mod:`~sparselib.models.jumprelu`
hold the other two.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._validation import (check_bool, check_choice, check_data, check_nonneg_scalar,
                           check_positive_int, check_tensor, fail)
from .. import functional as sf
from .. import sae_functional as saef

__all__ = ["SAEOutput", "SAEBase", "ReLUAutoencoder"]


@dataclass
class SAEOutput:
    z: Tensor      # (batch, n_latents) code
    x_hat: Tensor  # (batch, n_features) reconstruction z @ W_d.T + b_d
    v: Tensor      # (batch, n_latents) pre-activations (x − b_d) @ W_e.T + b_e


class SAEBase(nn.Module):
    """The layout shared by the SAEs of chapter 6; subclasses define :meth:`activate` and
    :meth:`loss`.

    Parameters
    ----------
    n_features, n_latents : int
        Input size and number of latents (dictionary atoms).
    tied : bool, default True
        Tied initialisation: ``W_e`` starts as ``W_dᵀ`` (they are trained separately). When
        False, ``W_e`` starts from independent random unit-norm rows.

    Attributes
    ----------
    W_e : Parameter of shape (n_latents, n_features)
    b_e : Parameter of shape (n_latents,), zeros at the start
    W_d : Parameter of shape (n_features, n_latents), unit-norm columns
    b_d : Parameter of shape (n_features,), zeros until :meth:`init_decoder_bias_`
    """

    _name = "SAEBase"

    def __init__(self, n_features: int, n_latents: int, *, tied: bool = True) -> None:
        super().__init__()
        name = self._name
        self.n_features = check_positive_int(n_features, "n_features", name)
        self.n_latents = check_positive_int(n_latents, "n_latents", name)
        self.tied = check_bool(tied, "tied", name)
        W_d = F.normalize(torch.randn(n_features, n_latents), dim=0)    # (n_features, n_latents)
        W_e = W_d.T.clone() if tied else F.normalize(torch.randn(n_latents, n_features), dim=1)
        self.W_d = nn.Parameter(W_d)
        self.W_e = nn.Parameter(W_e)                                    # (n_latents, n_features)
        self.b_e = nn.Parameter(torch.zeros(n_latents))
        self.b_d = nn.Parameter(torch.zeros(n_features))

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable: ``type(self)(**self.config())`` builds a
        model of the same shapes (``load_state_dict`` then gives the same weights)."""
        return dict(n_features=self.n_features, n_latents=self.n_latents, tied=self.tied)

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self.config().items())

    # ------------------------------------------------------------ the layout
    def _check_x(self, x: Tensor, func: str) -> Tensor:
        return check_data(x, self.n_features, func, self.W_d.dtype)

    def pre_activations(self, x: Tensor) -> Tensor:
        """``v = (x − b_d) W_eᵀ + b_e``, shape ``(batch, n_latents)``."""
        x = self._check_x(x, f"{self._name}.pre_activations")
        return self._pre(x)

    def _pre(self, x: Tensor) -> Tensor:
        return (x - self.b_d) @ self.W_e.T + self.b_e                  # (batch, n_latents)

    def activate(self, v: Tensor) -> Tensor:
        """The code from the pre-activations; each model defines it."""
        raise NotImplementedError

    def decode(self, z: Tensor) -> Tensor:
        """``x̂ = z W_dᵀ + b_d``, shape ``(batch, n_features)``."""
        return z @ self.W_d.T + self.b_d

    def encode(self, x: Tensor) -> Tensor:
        """Code of shape ``(batch, n_latents)``."""
        return self.activate(self._pre(self._check_x(x, f"{self._name}.encode")))

    def forward(self, x: Tensor) -> SAEOutput:
        v = self._pre(self._check_x(x, f"{self._name}.forward"))
        z = self.activate(v)
        return SAEOutput(z=z, x_hat=self.decode(z), v=v)

    @staticmethod
    def reconstruction_error(x: Tensor, x_hat: Tensor) -> Tensor:
        """``‖x − x̂‖²`` summed over features, averaged over the batch (0-d)."""
        return (x - x_hat).pow(2).sum(-1).mean()

    # ------------------------------------------------------------ training habits
    @torch.no_grad()
    def init_decoder_bias_(self, X: Tensor, how: str = "median", *, n_iter: int = 100) -> "SAEBase":
        """Set ``b_d`` to the data's ``"mean"`` or geometric ``"median"`` (Weiszfeld's
        iterations, :func:`sparselib.sae_functional.geometric_median`, at most ``n_iter``);
        returns the model.

        Parameters
        ----------
        X : Tensor of shape (n_samples, n_features)
        how : {"mean", "median"}, default "median"
        """
        func = f"{self._name}.init_decoder_bias_"
        X = check_tensor(X, "X", func, ndim=2)
        if X.shape[1] != self.n_features or X.shape[0] == 0:
            fail(ValueError, "X", func, f"have shape (n_samples, {self.n_features}) with "
                 "n_samples >= 1", f"shape {tuple(X.shape)}")
        check_choice(how, "how", func, ("mean", "median"))
        n_iter = check_positive_int(n_iter, "n_iter", func)
        X = X.to(self.b_d)
        centre = X.double().mean(0).to(X.dtype) if how == "mean" else saef.geometric_median(X, n_iter)
        self.b_d.copy_(centre)
        return self

    @torch.no_grad()
    def before_step_(self) -> None:
        """Remove from ``W_d``'s gradient each atom's component along itself (called by
        :func:`~sparselib.train.fit` between ``backward()`` and the optimiser step)."""
        if self.W_d.grad is not None:
            saef.remove_parallel_grad_(self.W_d.grad, self.W_d)

    @torch.no_grad()
    def project_(self) -> None:
        """Unit-norm columns of ``W_d``."""
        sf.normalize_columns_(self.W_d)

    def _parts(self, recon: Tensor, z: Tensor, **more: Tensor) -> dict:
        parts = {"reconstruction": recon.detach().item(),
                 "l0": (z != 0).sum(-1).float().mean().item()}
        parts.update({k: v.detach().item() for k, v in more.items()})
        return parts


class ReLUAutoencoder(SAEBase):
    """The lecture's sparse auto-encoder in today's layout: ``z = ReLU(v)`` and an L1 penalty
    weighted by the atoms' norms.

    ``loss = mean_batch ‖x − x̂‖² + λ · mean_batch Σ_i z_i ‖W_d[:, i]‖`` (squared error summed
    over features; with unit-norm atoms the penalty is ``λ‖z‖₁``, and the norm factor keeps
    the penalty from being dodged by shrinking ``z`` and growing the atoms between
    projections). The encoder is one non-negative ISTA step from ``z = 0``: ``−b_e`` is the
    threshold.

    Parameters
    ----------
    n_features, n_latents : int
    lam : float, default 1.0
        Weight λ of the L1 penalty (see the module's loss convention).
    tied : bool, default True

    Shape:
        - Input: ``(batch, n_features)``.
        - Output: :class:`SAEOutput` with ``z``, ``v`` ``(batch, n_latents)`` and
          ``x_hat (batch, n_features)``.

    Examples
    --------
    >>> import torch
    >>> model = ReLUAutoencoder(64, 256, lam=0.5)
    >>> model(torch.randn(5, 64)).z.shape
    torch.Size([5, 256])
    """

    _name = "ReLUAutoencoder"

    def __init__(self, n_features: int, n_latents: int, *, lam: float = 1.0,
                 tied: bool = True) -> None:
        super().__init__(n_features, n_latents, tied=tied)
        self.lam = check_nonneg_scalar(lam, "lam", self._name)

    def config(self) -> dict:
        return {**super().config(), "lam": self.lam}

    def activate(self, v: Tensor) -> Tensor:
        return torch.relu(v)

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict]:
        """``‖x − x̂‖² + λ Σ_i z_i ‖W_d[:, i]‖``, averaged over the batch, and its parts
        (``reconstruction``, ``penalty``, ``l0``). ``y`` is ignored."""
        out = self.forward(x)
        x = x.to(out.x_hat.dtype)
        recon = self.reconstruction_error(x, out.x_hat)
        penalty = (out.z * self.W_d.norm(dim=0)).sum(-1).mean()
        return recon + self.lam * penalty, self._parts(recon, out.z, penalty=penalty)
