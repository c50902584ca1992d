"""Sparse and group-sparse auto-encoders: an encoder, a linear decoder, a sparsity penalty.

The energy of a code ``z`` for an input ``x`` is ``½‖x − z W_dᵀ‖² + λ·Ω(z)`` with
``Ω = ‖·‖₁`` (:class:`SparseAutoencoder`) or ``Ω(z) = Σ_g ‖z_g‖₂`` over a grouping ``G``
(:class:`GroupSparseAutoencoder`). Three ways to get the code:

- ``"feedforward"``: ``z = shrink(W_e x, θ)``, one learned layer (fast, approximate);
- ``"lista"``: a :class:`~sparselib.models.LISTA` encoder, a few learned ISTA steps;
- ``"fista"``: inference, ``z = argmin`` of the energy by :func:`sparselib.solvers.fista`
  for the current dictionary (no encoder parameters); only ``W_d`` learns, by gradient
  steps on the energy with the columns renormalised after each step (sparse coding).

Shapes: ``x: (batch, n_features)``, ``z: (batch, n_atoms)``, ``W_d: (n_features, n_atoms)``
with unit-norm columns, ``x_hat = z @ W_d.T``; ``W_e: (n_atoms, n_features)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._validation import (fail, check_choice, check_data, check_grouping, check_nonneg_scalar,
                           check_positive_int, tensor_from_config)
from ..penalties import group_l2, l1
from .. import functional as sf
from ..solvers import Problem, lipschitz, operators, solve
from .lista import LISTA

__all__ = ["AutoencoderOutput", "SparseAutoencoder", "GroupSparseAutoencoder"]

_ENCODERS = ("feedforward", "lista", "fista")


@dataclass
class AutoencoderOutput:
    z: Tensor      # (batch, n_atoms) code
    x_hat: Tensor  # (batch, n_features) reconstruction z @ W_d.T


class SparseAutoencoder(nn.Module):
    """Auto-encoder with an L1-penalised code and a unit-norm linear decoder.

    Parameters
    ----------
    n_features, n_atoms : int
        Input size and code size.
    lam : float, default 0.1
        Weight λ of the sparsity penalty.
    encoder : {"feedforward", "lista", "fista"}, default "feedforward"
        How codes are computed (see the module docstring).
    n_layers : int, default 3
        LISTA steps (``encoder="lista"``).
    nonneg : bool, default False
        Non-negative codes (ReLU-shaped shrinkage; ``prox="nonneg_l1"`` for FISTA).
    fista_iter : int, default 100
        FISTA iterations per batch (``encoder="fista"``); a fixed budget, no warnings.

    Attributes
    ----------
    W_d : Parameter of shape (n_features, n_atoms), unit-norm columns.
    W_e, theta : Parameters of shapes (n_atoms, n_features), (n_atoms,) (``"feedforward"``).
    lista : LISTA (``"lista"``), with ``lista.W_e``, ``lista.S``, ``lista.theta``.

    Shape:
        - Input: ``(batch, n_features)``.
        - Output: :class:`AutoencoderOutput` with ``z (batch, n_atoms)`` and
          ``x_hat (batch, n_features)``.

    Examples
    --------
    >>> import torch
    >>> model = SparseAutoencoder(64, 32, lam=0.1)
    >>> model(torch.randn(5, 64)).x_hat.shape
    torch.Size([5, 64])
    """

    _name = "SparseAutoencoder"

    def __init__(self, n_features: int, n_atoms: int, *, lam: float = 0.1,
                 encoder: str = "feedforward", n_layers: int = 3, nonneg: bool = False,
                 fista_iter: int = 100) -> None:
        super().__init__()
        name = self._name
        self.n_features = check_positive_int(n_features, "n_features", name)
        self.n_atoms = check_positive_int(n_atoms, "n_atoms", name)
        self.lam = check_nonneg_scalar(lam, "lam", name)
        check_choice(encoder, "encoder", name, _ENCODERS, one_of=True)
        self.encoder, self.nonneg = encoder, bool(nonneg)
        self.fista_iter = check_positive_int(fista_iter, "fista_iter", name)
        # n_layers is only read (and checked) by the LISTA encoder; kept for config()
        self.n_layers = check_positive_int(n_layers, "n_layers", name) if encoder == "lista" else n_layers
        W_d = F.normalize(torch.randn(n_features, n_atoms), dim=0)     # (n_features, n_atoms)
        self.W_d = nn.Parameter(W_d)
        if encoder == "feedforward":
            self.W_e = nn.Parameter(W_d.T.clone())                         # (n_atoms, n_features)
            self.theta = nn.Parameter(torch.full((n_atoms,), self.lam))    # (n_atoms,)
        elif encoder == "lista":
            self.lista = LISTA(W_d, self.lam, self.n_layers, nonneg=self.nonneg)

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable: ``type(self)(**self.config())`` builds a
        model of the same shapes, and ``load_state_dict(self.state_dict())`` then gives it
        the same weights (dtype and device are not part of the config)."""
        return dict(n_features=self.n_features, n_atoms=self.n_atoms, lam=self.lam,
                    encoder=self.encoder, n_layers=self.n_layers, nonneg=self.nonneg,
                    fista_iter=self.fista_iter)

    def extra_repr(self) -> str:
        return (f"n_features={self.n_features}, n_atoms={self.n_atoms}, lam={self.lam:g}, "
                f"encoder={self.encoder!r}, nonneg={self.nonneg}")

    def _check_x(self, x: Tensor, func: str) -> Tensor:
        return check_data(x, self.n_features, func, self.W_d.dtype)

    # The two places subclasses change: the penalty and FISTA's prox.
    def penalty(self, z: Tensor) -> Tensor:
        """Sparsity penalty ``Ω(z)`` per sample, shape ``(batch,)``."""
        return l1(z)

    def _fista_prox(self) -> dict:
        return {"prox": "nonneg_l1" if self.nonneg else "l1"}

    def _encode(self, x: Tensor) -> Tensor:
        if self.encoder == "feedforward":
            return sf.soft_threshold(x @ self.W_e.T, self.theta, self.nonneg)        # (batch, n_atoms)
        if self.encoder == "lista":
            return self.lista.encode(x)
        with torch.no_grad():                                             # inference, no encoder
            # x was checked at the public edge: build the problem without the solver's checks
            W_d = self.W_d.detach()
            penalty, prox = operators(**self._fista_prox(), n_atoms=self.n_atoms, like=W_d, func=self._name)
            problem = Problem(x, W_d, self.lam, lipschitz(W_d), x.new_zeros(x.shape[0], self.n_atoms),
                              prox, penalty, self.fista_iter, 0.0)
            z, _ = solve(problem, accelerated=True)
        return z

    def encode(self, x: Tensor) -> Tensor:
        """Code of shape ``(batch, n_atoms)``."""
        return self._encode(self._check_x(x, f"{self._name}.encode"))

    def forward(self, x: Tensor) -> AutoencoderOutput:
        z = self._encode(self._check_x(x, f"{self._name}.forward"))
        return AutoencoderOutput(z=z, x_hat=z @ self.W_d.T)

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict]:
        """Energy ``½‖x − x_hat‖² + λ·Ω(z)`` averaged over the batch, and its parts.

        ``y`` is ignored (the protocol's signature). With ``encoder="fista"`` the code is a
        constant for the gradient, so only ``W_d`` learns.
        """
        out = self.forward(x)
        x = x.to(out.x_hat.dtype)
        recon = sf.half_squared_error(x, out.x_hat).mean()
        pen = self.penalty(out.z).mean()
        total = recon + self.lam * pen
        return total, {"reconstruction": recon.detach().item(), "penalty": pen.detach().item(),
                       "sparsity": (out.z != 0).float().mean().item()}

    @torch.no_grad()
    def project_(self) -> None:
        """Unit-norm columns of ``W_d``; non-negative thresholds."""
        sf.normalize_columns_(self.W_d)
        if self.encoder == "feedforward":
            self.theta.clamp_(min=0)
        elif self.encoder == "lista":
            self.lista.project_()


class GroupSparseAutoencoder(SparseAutoencoder):
    """Auto-encoder whose penalty is ``Σ_g ‖z_g‖₂`` over a grouping ``G``.

    Parameters
    ----------
    n_features, n_atoms : int
    groups : Tensor of shape (n_groups, n_atoms), or the same as a nested list
        Any grouping (:func:`~sparselib.groups.contiguous_groups`,
        :func:`~sparselib.groups.torus_groups`, ``Tree(...).groups()``), overlapping or not.
        The nested list is the JSON form :meth:`config` writes.
    lam : float, default 0.1
    eps : float, default 1e-6
        Smoothing inside the square root, ``sqrt(eps + Σ_i G[g,i] z_i²)``, so that gradient
        training sees a differentiable penalty (overlapping groups have no closed-form
        prox, so this is how they are used).
    encoder : {"feedforward", "lista", "fista"}, default "feedforward"
        ``"fista"`` needs non-overlapping 0/1 groups (block soft-thresholding).
    **kwargs
        Passed to :class:`SparseAutoencoder` (``n_layers``, ``nonneg``, ``fista_iter``).

    Attributes
    ----------
    G : buffer of shape (n_groups, n_atoms)

    Examples
    --------
    >>> import torch
    >>> from sparselib.groups import contiguous_groups
    >>> model = GroupSparseAutoencoder(64, 32, contiguous_groups(32, 4))
    >>> model.penalty(torch.zeros(5, 32)).shape
    torch.Size([5])
    """

    _name = "GroupSparseAutoencoder"

    def __init__(self, n_features: int, n_atoms: int, groups: Tensor, *, lam: float = 0.1,
                 eps: float = 1e-6, encoder: str = "feedforward", **kwargs) -> None:
        super().__init__(n_features, n_atoms, lam=lam, encoder=encoder, **kwargs)
        self.eps = check_nonneg_scalar(eps, "eps", self._name)
        disjoint = encoder == "fista"
        if disjoint and self.nonneg:
            fail(ValueError, "nonneg", self._name,
                 "be False with encoder='fista' (the group prox is not sign-constrained)", "True")
        groups = tensor_from_config(groups, "groups", self._name)
        G = check_grouping(groups, "groups", self._name, self.n_atoms, self.W_d,
                           binary=disjoint, disjoint=disjoint)
        self.register_buffer("G", G.clone())                              # (n_groups, n_atoms)

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable, the grouping ``G`` as a nested list of
        its ``n_groups × n_atoms`` weights (exact: 0/1 or float32 values)."""
        config = super().config()
        return {"n_features": config.pop("n_features"), "n_atoms": config.pop("n_atoms"),
                "groups": self.G.tolist(), "lam": config.pop("lam"), "eps": self.eps, **config}

    def penalty(self, z: Tensor) -> Tensor:
        """Smoothed group-L2 penalty per sample, shape ``(batch,)``."""
        return group_l2(z, self.G.to(z.dtype), eps=self.eps)

    def _fista_prox(self) -> dict:
        return {"prox": "group", "groups": self.G}

    def group_norms(self, z: Tensor) -> Tensor:
        """``‖z_g‖₂`` for every group, shape ``(batch, n_groups)`` (e.g. for pooling maps)."""
        return sf.group_norms(z, self.G.to(z.dtype))
