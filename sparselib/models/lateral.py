"""Lateral inhibition: sparse coding where active units raise each other's thresholds.

The energy of a code ``z`` for an input ``x`` is

    E(x, z) = ½‖x − z W_dᵀ‖² + λ‖z‖₁ + ½|z|ᵀ S |z|

with ``S ≥ 0``, symmetric, zero diagonal. The book writes this matrix ``V`` in its maths
(``S`` is the signed recurrent matrix of LISTA and DrSAE there); the code keeps ``S``, the
lecture's letter. The last term is *half* of
:func:`sparselib.penalties.lateral_inhibition`, which computes ``|z|ᵀS|z|``; the ½ makes the
per-unit threshold ``λ + (S|z|)_i``: every active unit ``j`` raises the threshold of the
units it inhibits by ``S[i, j]·|z_j|``. With ``S = tree_inhibition(tree)`` units on one
root-to-leaf branch may be active together and all other pairs compete, so the active set
of a sample tends to be a single branch of the tree.

Inference is a majorise-minimise scheme: ``½|z|ᵀS|z|`` is not convex, but replacing it by
its linearisation at the current ``|z|`` plus ``½‖S‖₂‖z' − z‖²`` gives an upper bound that
touches ``E`` at ``z``. Minimising the bound is exactly the thresholding step above with step
``1/M``, ``M = L + ‖S‖₂``, so the energy cannot increase. Longer steps ``1/L`` are tried
first (backtracking per sample), and a step that would still raise a sample's energy (e.g.
by rounding) is rejected, so ``E`` is non-increasing by construction. For non-negative
codes one step of length ``1/L`` is a DrSAE step ``ReLU(W_e x + S_rec z − b)`` with the
weights of :func:`sparselib.models.drsae.drsae_weights`.

Learning alternates with inference: ``z`` fixed, a gradient step on ``W_d`` (columns
renormalised) and, when ``S`` is learned, a gradient *ascent* step on ``S`` (the energy is
linear in ``S``, so descent would just drive it to 0), mapped back onto ``S ≥ 0``,
symmetric, zero diagonal, every row summing to ``budget`` by Sinkhorn scaling
(:func:`sparselib.functional.project_inhibition`).

Here: the model and the checked :func:`inhibition_step`; ``project_inhibition``,
``drsae_weights`` and the measurements on codes are re-exported from their homes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._validation import (describe, fail, check_data, check_instance, check_nonneg_scalar,
                           check_positive_int, check_tensor, tensor_from_config)
from ..groups import Tree, tree_inhibition
from .. import functional as sf
from ..functional import project_inhibition
from ..solvers import lipschitz
from .drsae import drsae_weights
# Measurements on codes: they live in sparselib.analysis now, re-exported here.
from ..analysis import active_units, explained_energy, path_fraction

__all__ = ["LateralOutput", "LateralInhibitionCoder", "inhibition_step",
           # re-exported from sparselib.functional and sparselib.models.drsae:
           "project_inhibition", "drsae_weights",
           # now in sparselib.analysis (re-exported):
           "path_fraction", "active_units", "explained_energy"]

_NAME = "LateralInhibitionCoder"


@dataclass
class LateralOutput:
    z: Tensor       # (batch, n_atoms) code minimising the energy
    x_hat: Tensor   # (batch, n_features) reconstruction z @ W_d.T
    energy: Tensor  # (n_steps + 1, batch) energy before and after every inference step


def inhibition_step(x: Tensor, z: Tensor, W_d: Tensor, lam: float, S: Tensor, L: float, *,
                    nonneg: bool = False) -> Tensor:
    """One proximal-gradient step of length ``1/L`` on the energy, thresholds ``λ + (S|z|)_i``.

    ``soft_θ(z + (x − z W_dᵀ) W_d / L)`` with ``θ = (λ + |z| S)/L`` computed from the current
    ``z``; with ``nonneg`` the one-sided ``ReLU(v − θ)``. No safeguard: a step of ``1/L``
    can raise the energy when ``S`` is large (the coder's inference backtracks instead).

    Shape:
        x: ``(batch, n_features)``; z: ``(batch, n_atoms)``; W_d: ``(n_features, n_atoms)``;
        S: ``(n_atoms, n_atoms)``; returns ``(batch, n_atoms)``.
    """
    func = "inhibition_step"
    x = check_tensor(x, "x", func, ndim=2)
    z = check_tensor(z, "z", func, ndim=2)
    W_d = check_tensor(W_d, "W_d", func, ndim=2)
    S = check_tensor(S, "S", func, ndim=2)
    lam = check_nonneg_scalar(lam, "lam", func)
    L = check_nonneg_scalar(L, "L", func, positive=True)
    n, m = W_d.shape
    if x.shape[1] != n or z.shape != (x.shape[0], m) or S.shape != (m, m):
        fail(ValueError, ("x", "z", "S"), func,
             f"have shapes (batch, {n}), (batch, {m}) and ({m}, {m}) to match W_d of shape ({n}, {m})",
             f"{tuple(x.shape)}, {tuple(z.shape)} and {tuple(S.shape)}")
    return sf.inhibition_step(x, z, W_d, lam, S, L, bool(nonneg))


class LateralInhibitionCoder(nn.Module):
    """Sparse coder with a lateral-inhibition term ``½|z|ᵀS|z|`` in its energy.

    The term is half of ``penalties.lateral_inhibition(z, S) = |z|ᵀS|z|``; the book writes
    the matrix ``V``.

    Parameters
    ----------
    n_features, n_atoms : int
    lam : float, default 0.1
        Weight λ of the L1 term (the base threshold of every unit).
    S : Tensor of shape (n_atoms, n_atoms), or the same as a nested list, optional
        A fixed inhibition matrix (``S ≥ 0``, symmetric, zero diagonal). Default: zeros
        (plain L1 sparse coding) unless ``tree`` or ``learn_S`` is given.
    tree : Tree with n_atoms nodes, or ``{"parent": [...]}``, optional
        Fixed tree-structured inhibition ``S = tree_inhibition(tree, scale)``. The dict is
        the JSON form :meth:`config` writes (``Tree(parent)``).
    scale : float, default 1.0
        Strength of the tree inhibition.
    learn_S : bool, default False
        Learn ``S`` by projected gradient ascent; it starts uniform with row sums ``budget``.
    budget : float, default 1.0
        Row sum of a learned ``S``.
    n_iter : int, default 200
        Maximum inference steps.
    tol : float, default 1e-5
        Stop inference when no sample's energy changes by more than ``tol`` relative.
    nonneg : bool, default False
        Non-negative codes.

    Attributes
    ----------
    W_d : Parameter of shape (n_features, n_atoms), unit-norm columns.
    S : Parameter (learned) or buffer (fixed) of shape (n_atoms, n_atoms).
    tree : Tree or None.

    Shape:
        x: ``(batch, n_features)``; z: ``(batch, n_atoms)``.

    Examples
    --------
    >>> import torch
    >>> from sparselib.groups import Tree
    >>> coder = LateralInhibitionCoder(16, 7, tree=Tree.complete(2, 2), lam=0.1)
    >>> out = coder(torch.randn(4, 16))
    >>> bool((out.energy[1:] <= out.energy[:-1]).all())
    True
    """

    def __init__(self, n_features: int, n_atoms: int, *, lam: float = 0.1,
                 S: Optional[Tensor] = None, tree: Optional[Tree] = None, scale: float = 1.0,
                 learn_S: bool = False, budget: float = 1.0, n_iter: int = 200,
                 tol: float = 1e-5, nonneg: bool = False) -> None:
        super().__init__()
        self.n_features = check_positive_int(n_features, "n_features", _NAME)
        self.n_atoms = n = check_positive_int(n_atoms, "n_atoms", _NAME)
        self.lam = check_nonneg_scalar(lam, "lam", _NAME)
        self.scale = check_nonneg_scalar(scale, "scale", _NAME)
        self.budget = check_nonneg_scalar(budget, "budget", _NAME)
        self.n_iter = check_positive_int(n_iter, "n_iter", _NAME)
        self.tol = check_nonneg_scalar(tol, "tol", _NAME)
        self.nonneg, self.learn_S = bool(nonneg), bool(learn_S)
        if (S is not None) + (tree is not None) + self.learn_S > 1:
            fail(ValueError, ("S", "tree", "learn_S"), _NAME,
                 "be given one at a time (they are alternatives: give at most one)", "more than one")
        self.W_d = nn.Parameter(F.normalize(torch.randn(n_features, n), dim=0))  # (n_features, n)
        self.tree = None
        if isinstance(tree, dict) and set(tree) == {"parent"}:
            tree = Tree(tree["parent"])                                # config()'s JSON form
        if tree is not None:
            check_instance(tree, "tree", _NAME, Tree, "a sparselib.groups.Tree")
            if tree.n_nodes != n:
                fail(ValueError, "tree", _NAME, f"have n_atoms={n} nodes (one per code unit)",
                     f"a tree with {tree.n_nodes} nodes")
            self.tree = tree
            S = tree_inhibition(tree, self.scale)
        elif S is not None:
            S = self._check_S(S)
        if self.learn_S:
            self.S = nn.Parameter(project_inhibition(torch.zeros(n, n), self.budget))
        else:
            self.register_buffer("S", torch.zeros(n, n) if S is None else S.clone())

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable.

        A tree is written as ``{"parent": [...]}`` (``S`` is rebuilt from it and ``scale``);
        a fixed non-zero ``S`` given directly as a nested list of its entries; a learned
        ``S`` is not written (``learn_S=True``: it comes back with ``load_state_dict``, like
        ``W_d``).
        """
        fixed = self.tree is None and not self.learn_S and bool(self.S.any())
        return dict(n_features=self.n_features, n_atoms=self.n_atoms, lam=self.lam,
                    S=self.S.tolist() if fixed else None,
                    tree=None if self.tree is None else {"parent": self.tree.parent.tolist()},
                    scale=self.scale, learn_S=self.learn_S, budget=self.budget,
                    n_iter=self.n_iter, tol=self.tol, nonneg=self.nonneg)

    @staticmethod
    def _check_S(S) -> Tensor:
        S = tensor_from_config(S, "S", _NAME)
        S = check_tensor(S, "S", _NAME, ndim=2, floating=False).float()
        n = S.shape[0]
        ok = S.shape[1] == n and bool((S >= 0).all()) and torch.allclose(S, S.T) and \
            bool((S.diagonal() == 0).all())
        if not ok:
            fail(ValueError, "S", _NAME, "be a square, symmetric, non-negative matrix with a zero diagonal",
                 f"{describe(S)} that is not")
        return S

    def extra_repr(self) -> str:
        kind = "tree" if self.tree is not None else ("learned" if self.learn_S else "fixed")
        return (f"n_features={self.n_features}, n_atoms={self.n_atoms}, lam={self.lam:g}, "
                f"S={kind}, nonneg={self.nonneg}")

    def _check_x(self, x: Tensor, func: str) -> Tensor:
        return check_data(x, self.n_features, f"{_NAME}.{func}", self.W_d.dtype)

    def energy(self, x: Tensor, z: Tensor) -> Tensor:
        """``½‖x − z W_dᵀ‖² + λ‖z‖₁ + ½|z|ᵀS|z|`` per sample, shape ``(batch,)``.

        The inhibition term is ``½ · penalties.lateral_inhibition(z, S)`` (that function
        computes ``|z|ᵀS|z|``, without the ½).
        """
        W_d, S = self.W_d.detach(), self.S.detach()
        return self._energy(x, z, W_d, S)

    def _energy(self, x: Tensor, z: Tensor, W_d: Tensor, S: Tensor) -> Tensor:
        return (sf.half_squared_error(x, z @ W_d.T) + self.lam * sf.l1_norm(z)
                + 0.5 * sf.inhibition_energy(z, S))

    @torch.no_grad()
    def infer(self, x: Tensor, z0: Optional[Tensor] = None) -> tuple[Tensor, Tensor]:
        """Minimise the energy over ``z`` for every sample.

        Returns
        -------
        z : Tensor of shape (batch, n_atoms)
        energy : Tensor of shape (n_steps + 1, batch), non-increasing along the first axis.
        """
        x = self._check_x(x, "infer")
        W_d, S = self.W_d.detach(), self.S.detach()
        L = lipschitz(W_d)
        M_max = L + float(torch.linalg.matrix_norm(S.double(), 2))    # the guaranteed step
        z = x.new_zeros(x.shape[0], self.n_atoms) if z0 is None else z0.to(x.dtype).clone()
        E = self._energy(x, z, W_d, S)                                # (batch,)
        M = torch.full_like(E, L).unsqueeze(1)                        # per-sample 1/step
        trace = [E]
        for _ in range(self.n_iter):
            M = (0.5 * M).clamp_min(L)                                # let the step grow back
            grad = (z @ W_d.T - x) @ W_d                              # (batch, n_atoms)
            thr = self.lam + z.abs() @ S                              # per-unit thresholds
            todo = torch.ones_like(E, dtype=torch.bool)
            z_new, E_new = z.clone(), E.clone()
            while bool(todo.any()):
                idx = todo.nonzero().flatten()
                Mi = M[idx]
                cand = sf.soft_threshold(z[idx] - grad[idx] / Mi, thr[idx] / Mi, self.nonneg)
                E_c = self._energy(x[idx], cand, W_d, S)
                ok = E_c <= E[idx]
                z_new[idx[ok]], E_new[idx[ok]] = cand[ok], E_c[ok]
                at_max = Mi.squeeze(1) >= M_max
                M[idx[~ok]] = (2 * Mi[~ok]).clamp_max(M_max)
                todo[idx[ok | at_max]] = False                         # rejected at M_max: keep z
            change = (E - E_new).abs().max() / E.abs().max().clamp_min(1e-30)
            z, E = z_new, E_new
            trace.append(E)
            if float(change) <= self.tol:
                break
        return z, torch.stack(trace)

    def encode(self, x: Tensor) -> Tensor:
        """The code minimising the energy, shape ``(batch, n_atoms)``."""
        return self.infer(x)[0]

    def forward(self, x: Tensor) -> LateralOutput:
        z, trace = self.infer(x)
        return LateralOutput(z=z, x_hat=z @ self.W_d.T, energy=trace)

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict[str, float]]:
        """Batch-mean energy at the inferred code (``y`` is ignored).

        The code is a constant for the gradient. ``W_d`` descends the energy; a learned ``S``
        enters as ``2·S.detach() − S`` (same value, negated gradient), so the optimiser's
        step on ``S`` is a gradient-ascent step.
        """
        x = self._check_x(x, "loss")
        z, _ = self.infer(x)
        S = 2 * self.S.detach() - self.S if self.learn_S else self.S
        recon = sf.half_squared_error(x, z @ self.W_d.T).mean()
        sparsity = sf.l1_norm(z).mean()
        inhibition = 0.5 * sf.inhibition_energy(z, S).mean()
        total = recon + self.lam * sparsity + inhibition
        return total, {"reconstruction": recon.item(), "l1": sparsity.item(),
                       "inhibition": inhibition.item(),
                       "active_fraction": (z != 0).float().mean().item()}

    @torch.no_grad()
    def project_(self) -> None:
        """Unit-norm columns of ``W_d``; a learned ``S`` back in its constraint set."""
        sf.normalize_columns_(self.W_d)
        if self.learn_S:
            self.S.copy_(project_inhibition(self.S, self.budget))

    def learn_step(self, x: Tensor, *, lr: float = 0.05, lr_S: float = 0.05) -> dict[str, float]:
        """One plain alternating step: infer ``z``; descend ``W_d``; ascend ``S``; project.

        Returns the loss parts before the step.
        """
        total, parts = self.loss(x)
        params = [self.W_d] + ([self.S] if self.learn_S else [])
        grads = torch.autograd.grad(total, params)
        with torch.no_grad():
            self.W_d.sub_(lr * grads[0])
            if self.learn_S:
                self.S.sub_(lr_S * grads[1])          # the gradient is already negated
        self.project_()
        return parts

    @torch.no_grad()
    def usage(self, x: Tensor, rel: float = 0.01) -> Tensor:
        """Fraction of samples in which each unit is active, shape ``(n_atoms,)``."""
        return active_units(self.encode(x), rel).float().mean(0)

    @torch.no_grad()
    def pruned(self, x: Tensor, min_usage: float = 0.01, rel: float = 0.01) -> "LateralInhibitionCoder":
        """A copy without the branches of the tree that ``x`` rarely uses.

        A node is kept when some unit of its subtree is active in at least ``min_usage`` of
        the samples (so a kept node's ancestors are kept too). The copy has the kept
        columns of ``W_d``, the induced tree and its ``tree_inhibition``.
        """
        if self.tree is None:
            raise ValueError(f"{_NAME}.pruned needs tree-structured inhibition: build the model "
                             "with tree=Tree(...). Got a model without a tree instead.")
        min_usage = check_nonneg_scalar(min_usage, "min_usage", f"{_NAME}.pruned")
        act = active_units(self.encode(x), rel).float()                # (batch, n)
        used = (self.tree.subtree_sums(act) > 0).float().mean(0) >= min_usage
        keep = used.nonzero().flatten().tolist()
        if not keep:
            fail(ValueError, "min_usage", f"{_NAME}.pruned", "leave at least one node", repr(min_usage),
                 "That threshold removes every node.")
        tree = self.tree.induced(keep)                                 # kept nodes, renumbered
        model = LateralInhibitionCoder(self.n_features, len(keep), lam=self.lam, tree=tree,
                                       scale=self.scale, n_iter=self.n_iter, tol=self.tol,
                                       nonneg=self.nonneg).to(self.W_d)
        model.W_d.copy_(self.W_d[:, keep])                             # (n_features, n_kept)
        return model
