"""The lecture's equations, one function each, with no input checks.

This is the ``torch.nn.functional`` of sparselib: every model, solver, explorer and
reference solution computes through these functions, and the public functions of
:mod:`sparselib.prox`, :mod:`sparselib.penalties` and :mod:`sparselib.solvers` check their
arguments once and then call them. Nothing here validates: shapes and dtypes must already be
right (a wrong shape fails inside torch), which is what lets a model call them on every
training batch without paying for checks. Learn the maths here; call the checked versions
from your own code.

Notation (the book's notation page): ``x`` ``(batch, n_features)``, ``z`` ``(batch,
n_atoms)``, the dictionary ``W_d`` ``(n_features, n_atoms)`` with ``x̂ = z W_dᵀ``, a grouping
``G`` ``(n_groups, n_atoms)``, ``L`` the Lipschitz constant of the smooth part's gradient.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional, Union

import torch
import torch.nn.functional as F
from torch import Tensor

if TYPE_CHECKING:  # only for the annotation: a Tree is duck-typed (parent, levels)
    from .groups import Tree

__all__ = [
    "soft_threshold", "soft_threshold_", "nonneg_soft_threshold_", "group_soft_threshold",
    "tree_prox", "inhibition_prox_2d", "l1_norm", "group_norms", "inhibition_energy", "half_squared_error",
    "half_squared_norm", "energy", "ista_step", "inhibition_step", "drsae_step",
    "pool_energy", "l2_pool", "conv_encode", "normalize_columns_", "sinkhorn_scale",
    "project_inhibition",
]

Threshold = Union[float, Tensor]


# ------------------------------------------------------------------ proximal operators
def soft_threshold(v: Tensor, t: Threshold, nonneg: bool = False) -> Tensor:
    """Prox of ``t·‖·‖₁``: ``sign(v)·max(|v| − t, 0)``; with ``nonneg``, ``max(v − t, 0)``
    (the prox of ``t·‖z‖₁`` restricted to ``z ≥ 0``, a ReLU with bias ``−t``).

    Shape:
        v: ``(*, n_atoms)``; t: a float or broadcastable to ``v``; output: as ``v``.
    """
    if nonneg:
        return torch.relu(v - t)
    return torch.sign(v) * torch.relu(v.abs() - t)


def soft_threshold_(v: Tensor, t: float) -> Tensor:
    """:func:`soft_threshold` written over ``v`` in one fused pass (``softshrink``), for a
    float threshold; returns ``v``. The solvers' threshold ``lam / L`` is one float.

    Shape:
        v: ``(*, n_atoms)``, overwritten.
    """
    return torch.ops.aten.softshrink.out(v, float(t), out=v)


def nonneg_soft_threshold_(v: Tensor, t: float) -> Tensor:
    """The non-negative soft-threshold ``max(v − t, 0)`` written over ``v``; returns ``v``.

    Shape:
        v: ``(*, n_atoms)``, overwritten.
    """
    return v.sub_(t).clamp_(min=0)


def _shrink_factor(sq_norm: Tensor, t: Threshold) -> Tensor:
    """``max(0, 1 − t/‖·‖)`` from a squared norm: 1 when ``t = 0``, 0 for a zero group with ``t > 0``."""
    ratio = torch.nan_to_num(t / sq_norm.sqrt(), nan=0.0)  # 0/0 -> 0 (identity), t/0 -> huge
    return torch.relu(1 - ratio)


def _rescale(v: Tensor, t: Threshold) -> tuple[Tensor, Threshold]:
    """``(v/s, t/s)`` with ``s`` each sample's largest magnitude (1 for a zero sample), so that
    squared norms cannot underflow; shrink factors are invariant to this scaling."""
    s = v.abs().amax(-1, keepdim=True)  # (batch, 1)
    s = torch.where(s > 0, s, torch.ones_like(s))
    return v / s, t / s


def group_soft_threshold(v: Tensor, t: Threshold, G: Tensor) -> Tensor:
    """Prox of ``t·Σ_g ‖v_g‖₂`` for disjoint 0/1 groups: each group scaled by
    ``max(0, 1 − t/‖v_g‖)``; atoms in no group pass unchanged.

    Shape:
        v: ``(batch, n_atoms)`` or ``(n_atoms,)``; t: a float or ``(batch, 1)``;
        G: ``(n_groups, n_atoms)`` in ``v``'s dtype; output: as ``v``.
    """
    u, t_u = _rescale(v, t)
    factor = _shrink_factor((u * u) @ G.T, t_u)  # (batch, n_groups)
    ungrouped = 1 - G.sum(0)  # (n_atoms,): 1 for atoms in no group
    return v * (factor @ G + ungrouped)


def tree_prox(v: Tensor, t: Threshold, tree: "Tree") -> Tensor:
    """Exact prox of ``t·Σ_nodes ‖v_subtree‖₂``, one group per subtree (Jenatton et al., 2011):
    the group soft-thresholds composed from the leaves to the roots.

    Each subtree's squared norm is accumulated bottom-up from its children (whose shrink
    factors are applied lazily), then the factors are multiplied top-down: O(n_nodes) per
    sample, one vectorised step per tree level.

    Shape:
        v: ``(batch, n_nodes)`` or ``(n_nodes,)``; t: a float or ``(batch, 1)``; output: as ``v``.
    """
    squeeze = v.ndim == 1
    vb = v.unsqueeze(0) if squeeze else v  # (batch, n)
    tb = t.reshape(-1, 1) if isinstance(t, Tensor) and t.ndim > 0 else t  # (batch, 1) or scalar
    ub, tb = _rescale(vb, tb)
    parent = tree.parent.to(v.device)
    levels = [lvl.to(v.device) for lvl in tree.levels]
    # Bottom-up: child_mass[:, u] = Σ_children c of (factor_c² · subtree norm² of c).
    child_mass = torch.zeros_like(ub)
    factor = torch.empty_like(ub)
    for idx in reversed(levels):
        sq = ub[:, idx] ** 2 + child_mass[:, idx]  # (batch, |level|)
        f = _shrink_factor(sq, tb)
        factor[:, idx] = f
        par = parent[idx]
        has_parent = par >= 0
        if bool(has_parent.any()):
            child_mass.index_add_(1, par[has_parent], (f * f * sq)[:, has_parent])
    # Top-down: each atom is scaled by the product of its own and its ancestors' factors.
    scale = torch.empty_like(vb)
    for d, idx in enumerate(levels):
        scale[:, idx] = factor[:, idx] if d == 0 else factor[:, idx] * scale[:, parent[idx]]
    out = vb * scale
    return out.squeeze(0) if squeeze else out


def inhibition_prox_2d(v: Tensor, t: float, s: float = 1.0) -> Tensor:
    """Exact prox of ``t·s|z₁||z₂|`` (that is ``t·½|z|ᵀS|z|`` with ``S = [[0, s], [s, 0]]``).

    The penalty is not convex, so the prox is found by comparing candidates: on each axis
    the penalty vanishes (``(v₁, 0)`` and ``(0, v₂)``), and inside the quadrant of ``v`` the
    only stationary point ``|z| = (I + tS)⁻¹|v|`` is a minimum when ``t·s < 1``. Ties go to
    the first candidate, which keeps the larger coordinate.

    Shape:
        v: ``(..., 2)``; output: same.
    """
    u = v.abs()
    ts = t * s
    zero = torch.zeros_like(u[..., 0])
    on_0, on_1 = torch.stack([u[..., 0], zero], -1), torch.stack([zero, u[..., 1]], -1)
    first = (u[..., 0] >= u[..., 1]).unsqueeze(-1)                  # keep the larger one on ties
    cands = [torch.where(first, on_0, on_1), torch.where(first, on_1, on_0)]
    if ts < 1:
        inside = torch.stack([u[..., 0] - ts * u[..., 1], u[..., 1] - ts * u[..., 0]], -1)
        inside = inside / (1 - ts * ts)
        cands.append(torch.where((inside >= 0).all(-1, keepdim=True), inside, cands[0]))
    cands = torch.stack(cands)                                      # (n_cand, ..., 2)
    obj = 0.5 * ((cands - u) ** 2).sum(-1) + ts * cands[..., 0] * cands[..., 1]
    best = obj.argmin(0)                                            # first minimum on ties
    a = torch.gather(cands, 0, best[None, ..., None].expand(1, *u.shape)).squeeze(0)
    return torch.sign(v) * a


# ------------------------------------------------------------------ penalties and energies
def l1_norm(z: Tensor) -> Tensor:
    """``‖z‖₁ = Σ_i |z_i|`` per sample (``abs().sum()``: several times faster than
    ``vector_norm(z, 1)`` on CPU, torch 2.14).

    Shape:
        z: ``(*, n_atoms)``; output: ``(*)``.
    """
    return z.abs().sum(-1)


def group_norms(z: Tensor, G: Tensor, eps: float = 0.0) -> Tensor:
    """``sqrt(eps + Σ_i G[g, i] z_i²)`` for every group ``g``: the pools' L2 norms.

    Shape:
        z: ``(*, n_atoms)``; G: ``(n_groups, n_atoms)`` in ``z``'s dtype; output: ``(*, n_groups)``.
    """
    energy = (z * z) @ G.T
    return (energy + eps).sqrt() if eps > 0 else energy.sqrt()


def inhibition_energy(z: Tensor, S: Tensor) -> Tensor:
    """``|z|ᵀ S |z|`` per sample (without the ½ of the lateral energy).

    Shape:
        z: ``(*, n_atoms)``; S: ``(n_atoms, n_atoms)``; output: ``(*)``.
    """
    a = z.abs()
    return ((a @ S) * a).sum(-1)


def half_squared_error(x: Tensor, x_hat: Tensor) -> Tensor:
    """``½‖x − x̂‖²`` per sample, summed over every axis after the first.

    Shape:
        x, x_hat: ``(batch, *)``; output: ``(batch,)``.
    """
    d = (x - x_hat).pow(2)
    return 0.5 * (d.sum(-1) if d.ndim == 2 else d.flatten(1).sum(1))


def half_squared_norm(r: Tensor) -> Tensor:
    """``½‖r‖²`` per row in one norm reduction (the solvers' objective from their residual).

    Shape:
        r: ``(*, n_features)``; output: ``(*)``.
    """
    return torch.linalg.vector_norm(r, 2, dim=-1).square_().mul_(0.5)


def energy(x: Tensor, z: Tensor, W_d: Tensor, lam: float,
           penalty: Optional[Callable[[Tensor], Tensor]] = l1_norm) -> Tensor:
    """The sparse-coding energy ``½‖x − z W_dᵀ‖² + lam·h(z)`` per sample; ``h`` is
    ``penalty`` (``‖z‖₁`` by default; ``None`` for the reconstruction term alone).

    Shape:
        x: ``(*, n_features)``; z: ``(*, n_atoms)``; W_d: ``(n_features, n_atoms)``; output: ``(*)``.
    """
    f = half_squared_norm(x - z @ W_d.T)
    return f if penalty is None else f.add_(penalty(z), alpha=lam)


# ------------------------------------------------------------------ one step of inference
def ista_step(x: Tensor, z: Tensor, W_d: Tensor, lam: float, L: float, nonneg: bool = False) -> Tensor:
    """One ISTA step on the energy: ``soft(z + (x − z W_dᵀ) W_d / L, lam / L)``.

    Shape:
        x: ``(batch, n_features)``; z: ``(batch, n_atoms)``; W_d: ``(n_features, n_atoms)``;
        output: ``(batch, n_atoms)``.
    """
    return soft_threshold(z + (x - z @ W_d.T) @ W_d / L, lam / L, nonneg)


def inhibition_step(x: Tensor, z: Tensor, W_d: Tensor, lam: float, S: Tensor, L: float,
                    nonneg: bool = False) -> Tensor:
    """One proximal-gradient step of the lateral-inhibition energy with the thresholds of
    the current code: ``soft_θ(z + (x − z W_dᵀ) W_d / L)``, ``θ = (lam + |z| S) / L``.

    Shape:
        x: ``(batch, n_features)``; z: ``(batch, n_atoms)``; W_d: ``(n_features, n_atoms)``;
        S: ``(n_atoms, n_atoms)``; output: ``(batch, n_atoms)``.
    """
    v = z + (x - z @ W_d.T) @ W_d / L  # gradient step
    return soft_threshold(v, (lam + z.abs() @ S) / L, nonneg)  # per-unit thresholds / L


def drsae_step(x: Tensor, z: Optional[Tensor], W_e: Tensor, S: Tensor, b: Tensor) -> Tensor:
    """One DrSAE iteration ``ReLU(W_e x + S z − b)``; ``z = None`` is the first (``z = 0``).

    Shape:
        x: ``(batch, n_features)``; z: ``(batch, n_atoms)`` or None; W_e: ``(n_atoms,
        n_features)``; S: ``(n_atoms, n_atoms)``; b: ``(n_atoms,)``; output: ``(batch, n_atoms)``.
    """
    pre = x @ W_e.T - b
    if z is not None:
        pre = pre + z @ S.T  # the recurrent (lateral) term S z
    return torch.relu(pre)


# ------------------------------------------------------------------ convolutional layers
def pool_energy(z: Tensor, group_size: int, pool: int, stride: int) -> Tensor:
    """``Σ z²`` over every pool: ``group_size`` consecutive maps × a ``pool × pool`` window
    of positions, windows ``stride`` apart.

    Shape:
        z: ``(batch, K, H, W)``; output: ``(batch, K // group_size, H_p, W_p)`` with
        ``H_p = (H − pool) // stride + 1`` (and ``W_p`` alike).
    """
    B, K, H, W = z.shape
    sq = z.pow(2).reshape(B, K // group_size, group_size, H, W).sum(2)  # (B, n_groups, H, W)
    return F.avg_pool2d(sq, pool, stride) * (pool * pool)  # window means times area: sums


def l2_pool(z: Tensor, group_size: int, pool: int, stride: int, eps: float = 0.0) -> Tensor:
    """L2 pooling ``sqrt(eps + Σ_pool z²)``, pools as in :func:`pool_energy`.

    Shape:
        z: ``(batch, K, H, W)``; output: ``(batch, K // group_size, H_p, W_p)``.
    """
    return (pool_energy(z, group_size, pool, stride) + eps).sqrt()


def conv_encode(x: Tensor, W_e: Tensor, b: Tensor, g: Tensor, padding: int) -> Tensor:
    """The convolutional encoder ``g_k · ReLU(W_e,k * x − b_k)`` for every map ``k``.

    Shape:
        x: ``(batch, C, H, W)``; W_e: ``(K, C, k, k)``; b, g: ``(K,)``; output:
        ``(batch, K, H + 2·padding − k + 1, W + 2·padding − k + 1)``.
    """
    return g[:, None, None] * F.relu(F.conv2d(x, W_e, -b, padding=padding))


# ------------------------------------------------------------------ constraints
def normalize_columns_(W: Tensor, eps: float = 1e-12) -> Tensor:
    """Scale every column of ``W`` to unit L2 norm in place (a zero column stays zero);
    returns ``W``. The decoders' constraint ``‖W_d[:, i]‖ = 1``.

    Shape:
        W: ``(n_features, n_atoms)``, overwritten.
    """
    return W.div_(W.norm(dim=0, keepdim=True).clamp_min(eps))


def sinkhorn_scale(S: Tensor, budget: float, n_iter: int = 500) -> Tensor:
    """Symmetric Sinkhorn scaling ``D S D``, ``D = diag(d)`` positive, with every row summing
    to ``budget``: ``d ← sqrt(d ⊙ budget / (S d))`` (Sinkhorn 1967), at most ``n_iter`` times,
    stopping once every row sum is within 1e-12 relative. In float64, returned symmetrised
    in ``S``'s dtype. ``S`` must be non-negative and symmetric with mass in every row.

    Shape:
        S: ``(n_atoms, n_atoms)``; output: the same.
    """
    T = S.double()
    d = torch.ones(T.shape[0], dtype=torch.float64, device=T.device)
    for _ in range(n_iter):
        d = (d * budget / (T @ d)).sqrt()
        if float((d * (T @ d) - budget).abs().max()) <= 1e-12 * budget:
            break
    T = d[:, None] * T * d[None, :]  # D S D
    return (0.5 * (T + T.T)).to(S.dtype)


def project_inhibition(S: Tensor, budget: float, *, floor: float = 1e-4, n_iter: int = 500) -> Tensor:
    """The inhibition matrix's constraint: ``S ≥ 0``, symmetric, zero diagonal, every row
    summing to ``budget``.

    In float64: symmetrise, ``(S + Sᵀ)/2``; clip negative entries to 0 and zero the
    diagonal; mix in a share ``floor`` of the uniform matrix (off-diagonal entries
    ``budget/(n − 1)``), so that every row has mass; then :func:`sinkhorn_scale`. Among the
    matrices with these row sums and the same zero pattern, ``D S D`` is the closest to ``S``
    in the Kullback–Leibler sense (not the Euclidean projection). A matrix already in the
    set comes back unchanged when ``floor=0``; ``budget = 0`` or one unit gives zeros.

    Shape:
        S: ``(n_atoms, n_atoms)``; output: the same, ``S``'s dtype.
    """
    n = S.shape[0]
    off = 1.0 - torch.eye(n, dtype=torch.float64, device=S.device)
    T = 0.5 * (S.double() + S.double().T)
    T = T.clamp_min(0) * off
    T = (1 - floor) * T + floor * budget / max(n - 1, 1) * off
    if budget == 0 or n == 1:
        return torch.zeros_like(S)
    return sinkhorn_scale(T, budget, n_iter).to(S.dtype)
