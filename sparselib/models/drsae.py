"""Discriminative recurrent sparse auto-encoder (DrSAE, Rolfe & LeCun 2013).

The encoder is LISTA-like with non-negative codes::

    z_1     = ReLU(W_e x - b)
    z_{t+1} = ReLU(W_e x + S z_t - b)        for t = 1 .. n_iter - 1

so ``n_iter`` counts ReLU applications, including the first. A linear decoder ``W_d``
(unit-norm columns) reconstructs ``x_hat = z @ W_d.T`` and a linear classifier ``W_c``
reads the *normalised* final code ``z / ||z||``. One loss is trained jointly::

    loss = ½‖x − x_hat‖² + λ‖z‖₁ + γ·CE(W_c z/‖z‖ + c, y)

Each term can be switched off (the ablation compares classifier-only training with all
three criteria). After training, units split into *part* units (active from the first
iteration) and *categorical* units (built up by ``S`` over the iterations, selective for
one class): see :func:`sparselib.analysis.activity_by_class`,
:func:`~sparselib.analysis.part_units` and :func:`~sparselib.analysis.categorical_units`
(measurements, so they live in :mod:`sparselib.analysis`; re-exported here).

Shapes: ``x: (batch, n_features)``, ``z: (batch, n_atoms)``, ``W_e: (n_atoms, n_features)``,
``S: (n_atoms, n_atoms)`` applied as ``z @ S.T``, ``W_d: (n_features, n_atoms)``,
``W_c: (n_classes, n_atoms)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .. import functional as sf
from .._validation import (fail, check_choice, check_data, check_labels, check_nonneg_scalar,
                           check_positive_int, check_shape, check_tensor)
from ..solvers import lipschitz
# Measurements on a DrSAE: they live in sparselib.analysis.classification now, re-exported here.
from ..analysis import activity_by_class, categorical_units, part_units

__all__ = ["DrSAE", "DrSAEOutput", "drsae_step", "drsae_weights",
           # now in sparselib.analysis (re-exported):
           "activity_by_class", "part_units", "categorical_units"]

_PARAMS = ("W_e", "S", "b", "W_d", "W_c", "c")


@dataclass
class DrSAEOutput:
    z: Tensor       # (batch, n_atoms) final code z_{n_iter}
    x_hat: Tensor   # (batch, n_features) reconstruction z @ W_d.T
    logits: Tensor  # (batch, n_classes) classifier output on z / ||z||
    codes: Tensor   # (n_iter, batch, n_atoms) the code after every ReLU application


def drsae_step(x: Tensor, z: Optional[Tensor], W_e: Tensor, S: Tensor, b: Tensor) -> Tensor:
    """One unrolled DrSAE iteration ``ReLU(W_e x + S z - b)``; ``z=None`` is the first step.

    Parameters
    ----------
    x : Tensor of shape (batch, n_features)
    z : Tensor of shape (batch, n_atoms) or None
    W_e : Tensor of shape (n_atoms, n_features)
    S : Tensor of shape (n_atoms, n_atoms)
    b : Tensor of shape (n_atoms,)

    Returns
    -------
    Tensor of shape (batch, n_atoms), non-negative.
    """
    return sf.drsae_step(x, z, W_e, S, b)


def drsae_weights(W_d: Tensor, lam: float, S: Tensor, L: Optional[float] = None
                  ) -> tuple[Tensor, Tensor, Tensor]:
    """The DrSAE weights whose step :func:`drsae_step` is one step of lateral-inhibition inference.

    For ``z ≥ 0`` (so ``|z| = z``),
    :func:`sparselib.models.lateral.inhibition_step` with ``nonneg=True`` is
    ``ReLU(W_dᵀx/L + (I − W_dᵀW_d/L − S/L) z − λ/L)``: a DrSAE iteration with ``W_e = W_dᵀ/L``,
    recurrent matrix ``S_rec = I − W_dᵀW_d/L − S/L`` and threshold ``b = λ/L``. With
    ``S = 0`` these are ISTA's LISTA weights; the inhibition only makes the recurrent matrix
    more negative.

    Parameters
    ----------
    W_d : Tensor of shape (n_features, n_atoms)
    lam : float
    S : Tensor of shape (n_atoms, n_atoms), the inhibition matrix
    L : float, optional
        Step constant; default ``lipschitz(W_d)``.

    Returns
    -------
    W_e : Tensor of shape (n_atoms, n_features)
    S_rec : Tensor of shape (n_atoms, n_atoms)
    b : Tensor of shape (n_atoms,)
    """
    func = "drsae_weights"
    W_d = check_tensor(W_d, "W_d", func, ndim=2)
    S = check_tensor(S, "S", func, ndim=2)
    lam = check_nonneg_scalar(lam, "lam", func)
    m = W_d.shape[1]
    check_shape(S, "S", func, (m, m), f"to match W_d of shape {tuple(W_d.shape)}")
    L = lipschitz(W_d) if L is None else check_nonneg_scalar(L, "L", func, positive=True)
    eye = torch.eye(m, dtype=W_d.dtype, device=W_d.device)
    S_rec = eye - W_d.T @ W_d / L - S.to(W_d.dtype) / L      # (m, m), applied as z @ S_rec.T
    return W_d.T / L, S_rec, torch.full((m,), lam / L, dtype=W_d.dtype, device=W_d.device)


def _check_bound(value, name: str) -> Optional[float]:
    return None if value is None else check_nonneg_scalar(value, name, "DrSAE", positive=True)


class DrSAE(nn.Module):
    """Discriminative recurrent sparse auto-encoder.

    Parameters
    ----------
    n_features, n_atoms, n_classes : int
        Input size, code size, number of classes.
    n_iter : int, default 11
        ReLU applications in the encoder (including the first).
    lam : float, default 0.01
        Weight λ of the L1 penalty on the final code.
    gamma : float, default 5.0
        Weight γ of the cross-entropy term.
    reconstruction, classifier : bool, default True
        Include the reconstruction term / the classification term in :meth:`loss`.
    lr_scales : dict of str to float, optional
        Per-parameter learning-rate multipliers (keys among ``W_e, S, b, W_d, W_c, c``),
        used by :func:`sparselib.train.fit` through :meth:`param_groups`.
    max_norm_W_e, max_norm_S, max_norm_W_c : float, optional
        Upper bounds on the L2 norm of each row of ``W_e``, ``S``, ``W_c``, imposed by
        :meth:`project_`. The columns of ``W_d`` always have unit norm.
    init : {"feedforward", "lista"}, default "feedforward"
        Start from a random unit-norm ``W_d`` with either ``W_e = W_dᵀ, S = 0`` (a plain
        ReLU auto-encoder; part and categorical units then separate during training) or
        the ISTA step ``W_e = W_dᵀ/L, S = I − W_dᵀW_d/L``.

    Shape:
        - Input: ``(batch, n_features)``; labels ``(batch,)`` int64 in ``[0, n_classes)``.
        - Output: :class:`DrSAEOutput` with ``z (batch, n_atoms)``, ``x_hat (batch,
          n_features)``, ``logits (batch, n_classes)``, ``codes (n_iter, batch, n_atoms)``.

    Examples
    --------
    >>> import torch
    >>> model = DrSAE(64, 32, 10, n_iter=3)
    >>> model(torch.rand(5, 64)).codes.shape
    torch.Size([3, 5, 32])
    """

    def __init__(self, n_features: int, n_atoms: int, n_classes: int, *, n_iter: int = 11,
                 lam: float = 0.01, gamma: float = 5.0, reconstruction: bool = True,
                 classifier: bool = True, lr_scales: Optional[dict] = None,
                 max_norm_W_e: Optional[float] = None, max_norm_S: Optional[float] = None,
                 max_norm_W_c: Optional[float] = None, init: str = "feedforward") -> None:
        super().__init__()
        self.n_features = check_positive_int(n_features, "n_features", "DrSAE")
        self.n_atoms = check_positive_int(n_atoms, "n_atoms", "DrSAE")
        self.n_classes = check_positive_int(n_classes, "n_classes", "DrSAE", minimum=2)
        self.n_iter = check_positive_int(n_iter, "n_iter", "DrSAE")
        self.lam = check_nonneg_scalar(lam, "lam", "DrSAE")
        self.gamma = check_nonneg_scalar(gamma, "gamma", "DrSAE")
        self.reconstruction, self.classifier = bool(reconstruction), bool(classifier)
        self.lr_scales = dict(lr_scales or {})
        for key, scale in self.lr_scales.items():
            if key not in _PARAMS:
                fail(ValueError, "lr_scales", "DrSAE", f"have keys among {_PARAMS}", repr(key))
            check_nonneg_scalar(scale, f"lr_scales[{key!r}]", "DrSAE")
        self.max_norm_W_e = _check_bound(max_norm_W_e, "max_norm_W_e")
        self.max_norm_S = _check_bound(max_norm_S, "max_norm_S")
        self.max_norm_W_c = _check_bound(max_norm_W_c, "max_norm_W_c")

        self.init = check_choice(init, "init", "DrSAE", ("feedforward", "lista"))
        W_d = F.normalize(torch.randn(n_features, n_atoms), dim=0)      # (n_features, n_atoms)
        L = float(torch.linalg.matrix_norm(W_d, 2)) ** 2
        self.W_d = nn.Parameter(W_d)
        if init == "lista":
            # ISTA with step 1/L: W_e = W_dᵀ/L, S = I − W_dᵀW_d/L (codes build up slowly).
            self.W_e = nn.Parameter(W_d.T / L)                              # (n_atoms, n_features)
            self.S = nn.Parameter(torch.eye(n_atoms) - W_d.T @ W_d / L)    # (n_atoms, n_atoms)
        else:
            # A plain ReLU auto-encoder (W_e = W_dᵀ, S = 0): every unit starts as a part unit
            # and training grows S, which is where categorical units come from.
            self.W_e = nn.Parameter(W_d.T.clone())
            self.S = nn.Parameter(torch.zeros(n_atoms, n_atoms))
        self.b = nn.Parameter(torch.full((n_atoms,), max(self.lam, 1e-2) / L))
        self.W_c = nn.Parameter(torch.randn(n_classes, n_atoms) / n_atoms ** 0.5)
        self.c = nn.Parameter(torch.zeros(n_classes))
        self.project_()

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable (used by checkpoints and recipes)."""
        return dict(n_features=self.n_features, n_atoms=self.n_atoms, n_classes=self.n_classes,
                    n_iter=self.n_iter, lam=self.lam, gamma=self.gamma,
                    reconstruction=self.reconstruction, classifier=self.classifier,
                    lr_scales=self.lr_scales, max_norm_W_e=self.max_norm_W_e,
                    max_norm_S=self.max_norm_S, max_norm_W_c=self.max_norm_W_c, init=self.init)

    def extra_repr(self) -> str:
        return (f"n_features={self.n_features}, n_atoms={self.n_atoms}, n_classes={self.n_classes}, "
                f"n_iter={self.n_iter}, lam={self.lam}, gamma={self.gamma}")

    def _check_x(self, x: Tensor, func: str) -> Tensor:
        return check_data(x, self.n_features, func, self.W_e.dtype)

    def _codes(self, x: Tensor) -> Tensor:
        codes, z = [], None
        for _ in range(self.n_iter):
            z = drsae_step(x, z, self.W_e, self.S, self.b)     # (batch, n_atoms)
            codes.append(z)
        return torch.stack(codes)                              # (n_iter, batch, n_atoms)

    def codes(self, x: Tensor) -> Tensor:
        """The code after every ReLU application, shape ``(n_iter, batch, n_atoms)``.

        What :meth:`forward` returns as ``.codes``, without the decoder and the classifier.
        """
        return self._codes(self._check_x(x, "DrSAE.codes"))

    def encode(self, x: Tensor) -> Tensor:
        """Final code ``z_{n_iter}``, shape ``(batch, n_atoms)``."""
        return self._codes(self._check_x(x, "DrSAE.encode"))[-1]

    def classify(self, z: Tensor) -> Tensor:
        """Logits ``W_c z/‖z‖ + c`` of shape ``(batch, n_classes)`` from codes ``(batch, n_atoms)``."""
        return F.normalize(z, dim=-1, eps=1e-8) @ self.W_c.T + self.c

    def forward(self, x: Tensor) -> DrSAEOutput:
        codes = self._codes(self._check_x(x, "DrSAE.forward"))
        z = codes[-1]
        return DrSAEOutput(z=z, x_hat=z @ self.W_d.T, logits=self.classify(z), codes=codes)

    @torch.no_grad()
    def predict(self, x: Tensor) -> Tensor:
        """Predicted classes, shape ``(batch,)``."""
        return self.forward(x).logits.argmax(-1)

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict]:
        """Total loss and its named parts (batch means; ``accuracy`` is reported, not optimised).

        Parameters
        ----------
        x : Tensor of shape (batch, n_features)
        y : Tensor of shape (batch,), int64 in [0, n_classes), optional
            Without labels the classification term is left out.
        """
        out = self.forward(x)
        x = x.to(out.x_hat.dtype)
        total = out.z.new_zeros(())
        parts: dict[str, float] = {}
        if self.reconstruction:
            recon = 0.5 * (x - out.x_hat).pow(2).sum(-1).mean()
            total = total + recon
            parts["reconstruction"] = recon.detach().item()
        if self.lam > 0:
            l1 = out.z.sum(-1).mean()                  # z >= 0, so ‖z‖₁ = Σ z
            total = total + self.lam * l1
            parts["l1"] = l1.detach().item()
        if self.classifier and y is not None:
            y = self._check_y(y, x.shape[0], "DrSAE.loss")
            ce = F.cross_entropy(out.logits, y)
            total = total + self.gamma * ce
            parts["cross_entropy"] = ce.detach().item()
            parts["accuracy"] = float((out.logits.argmax(-1) == y).float().mean())
        parts["loss"] = total.detach().item()
        return total, parts

    def _check_y(self, y: Tensor, batch: int, func: str) -> Tensor:
        return check_labels(y, "y", func, batch, self.n_classes)

    def param_groups(self, lr: float) -> list[dict]:
        """Optimiser parameter groups, one per parameter, with ``lr * lr_scales[name]``."""
        return [{"params": [p], "lr": lr * self.lr_scales.get(name, 1.0), "name": name}
                for name, p in self.named_parameters()]

    @torch.no_grad()
    def project_(self) -> None:
        """Unit-norm columns of ``W_d``; clip row norms of ``W_e``, ``S``, ``W_c`` to their bounds."""
        sf.normalize_columns_(self.W_d)
        for W, bound in ((self.W_e, self.max_norm_W_e), (self.S, self.max_norm_S),
                         (self.W_c, self.max_norm_W_c)):
            if bound is not None:
                norms = W.norm(dim=1, keepdim=True)                      # (rows, 1)
                W.mul_((bound / norms.clamp_min(1e-12)).clamp(max=1.0))
