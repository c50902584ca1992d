"""Pure compute functions behind the explorers (:mod:`sparselib.widgets`).

Each function takes the slider values and the explorer's fixed data, returns a small
dataclass of tensors and numbers, and draws nothing, so it is tested without a display and
timed by ``benchmarks/bench_widgets.py`` (a live update must stay well under 100 ms).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from . import functional as sf
from .groups import Tree
from .penalties import group_l2, l1
from .prox import group_soft_threshold, soft_threshold
from .solvers import fista
from ._validation import check_divides

__all__ = ["inhibition_prox_2d", "penalty_geometry", "PenaltyGeometry", "sparse_code",
           "SparseCode", "drsae_frame", "DrSAEFrame", "block_groups", "group_code", "GroupCode",
           "branch_pairs", "inhibition_code", "InhibitionCode", "shift_image", "l2_pool",
           "pooling_shift", "PoolingShift"]


# ----------------------------------------------------------------------- 1. penalty geometry

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


@dataclass
class PenaltyGeometry:
    lam: float
    v: Tensor            # (2,) the point
    prox: dict           # name -> Tensor (2,): where each prox sends v
    axis: Tensor         # (res,) coordinates of the grid, both axes
    zeros: dict          # name -> Tensor (res, res): zero coordinates of prox(grid point), 0/1/2
    levels: dict         # name -> Tensor (res, res): penalty value at every grid point


PENALTIES = ("l1", "group", "inhibition")


def penalty_geometry(lam: float, v=(1.5, 0.7), *, s: float = 1.0, extent: float = 2.0,
                     resolution: int = 81) -> PenaltyGeometry:
    """Level sets of three 2-D penalties and where their proxes send ``v`` and the plane.

    The penalties are ``‖z‖₁``, ``‖z‖₂`` (one group of two) and the lateral-inhibition
    term ``½|z|ᵀS|z| = s|z₁||z₂|``; the prox of ``λh`` is applied to ``v`` and to every
    point of a ``resolution × resolution`` grid on ``[-extent, extent]²``, recording how
    many coordinates it sets to zero (the sparsifying regions grow with λ).
    """
    lam = float(lam)
    v = torch.as_tensor(v, dtype=torch.float64)
    axis = torch.linspace(-extent, extent, resolution, dtype=torch.float64)
    Z = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), -1).reshape(-1, 2)  # (res², 2)
    G = torch.ones(1, 2, dtype=torch.float64)
    proxes = {
        "l1": lambda p: soft_threshold(p, lam),
        "group": lambda p: group_soft_threshold(p, lam, G),
        "inhibition": lambda p: inhibition_prox_2d(p, lam, s),
    }
    levels = {"l1": l1(Z), "group": group_l2(Z, G), "inhibition": s * Z[:, 0].abs() * Z[:, 1].abs()}
    shape = (resolution, resolution)
    return PenaltyGeometry(
        lam=lam, v=v, axis=axis,
        prox={k: f(v) for k, f in proxes.items()},
        zeros={k: (f(Z) == 0).sum(-1).reshape(shape) for k, f in proxes.items()},
        levels={k: h.reshape(shape) for k, h in levels.items()})


# ----------------------------------------------------------------------- 2. sparse code vs λ

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


# ----------------------------------------------------------------------- 3. DrSAE iterations

@dataclass
class DrSAEFrame:
    t: int               # iteration, 1-based
    x: Tensor            # (n_features,) the input
    z: Tensor            # (n_atoms,) code after t ReLU applications
    part: Tensor         # (n_iter,) mean activity of the part units at every iteration
    categorical: Tensor  # (n_iter,) same for the categorical units
    n_active: int


@torch.no_grad()
def drsae_frame(model, x: Tensor, t: int, part: Tensor, categorical: Tensor) -> DrSAEFrame:
    """The code of one input ``x`` (``(n_features,)``) after ``t`` iterations of a DrSAE.

    ``part`` and ``categorical`` are boolean masks ``(n_atoms,)`` (see
    :func:`sparselib.analysis.part_units`); the frame also carries their mean activity at
    every iteration, so the curves show which group settles first.
    """
    codes = model(x[None].to(model.W_e.dtype)).codes[:, 0]          # (n_iter, n_atoms)
    z = codes[t - 1]

    def mean(mask):
        return codes[:, mask].mean(1) if bool(mask.any()) else codes.new_zeros(len(codes))

    return DrSAEFrame(int(t), x, z, mean(part), mean(categorical), int((z > 0).sum()))


# ----------------------------------------------------------------------- 4. group sparsity

def block_groups(side: int, size: int, *, dtype=torch.float64) -> Tensor:
    """Non-overlapping ``size × size`` blocks of a ``side × side`` grid of units (row-major).

    Returns a 0/1 grouping of shape ``((side // size)², side²)``.
    """
    check_divides(size, "size", "block_groups", side, "side")
    r, c = torch.arange(side).repeat_interleave(side), torch.arange(side).repeat(side)
    block = (r // size) * (side // size) + c // size                # (side²,) block of each unit
    return F.one_hot(block, (side // size) ** 2).T.to(dtype)


@dataclass
class GroupCode:
    size: int
    lam: float
    z: Tensor            # (side², ) the code, row-major on the grid of units
    G: Tensor            # (n_groups, side²)
    group_on: Tensor     # (n_groups,) bool: the group has a non-zero unit
    n_active: int


def group_code(x: Tensor, W_d: Tensor, lam: float, size: int, side: int, *,
               max_iter: int = 300) -> GroupCode:
    """Group-sparse code of ``x`` with ``size × size`` blocks of units (``size = 1``: plain L1).

    FISTA with ``prox="group"``, a fixed number of iterations (see :func:`sparse_code`).
    """
    G = block_groups(side, size, dtype=x.dtype)
    z, _ = fista(x[None], W_d, lam, prox="group", groups=G, max_iter=max_iter, tol=0)
    z = z[0]
    on = (G @ (z != 0).to(G.dtype)) > 0
    return GroupCode(int(size), float(lam), z, G, on, int((z != 0).sum()))


# ----------------------------------------------------------------------- 5. lateral inhibition

def branch_pairs(tree: Tree) -> Tensor:
    """Boolean ``(n, n)``: ``i ≠ j`` on one root-to-leaf branch (one is an ancestor of the other)."""
    A = tree.ancestor_matrix()
    return (A | A.T) & ~torch.eye(tree.n_nodes, dtype=torch.bool)


@dataclass
class InhibitionCode:
    scale: float
    z: Tensor            # (batch, n_atoms) codes
    co_active: Tensor    # (n_atoms, n_atoms) number of inputs where both units are active
    off_branch: int      # co-active pairs (i < j, summed over inputs) on different branches
    on_branch: int       # co-active pairs on one branch


def inhibition_code(X: Tensor, W_d: Tensor, tree: Tree, scale: float, *, lam: float = 0.05,
                    rel: float = 0.05) -> InhibitionCode:
    """Codes of ``X`` under tree-structured lateral inhibition of strength ``scale``.

    Inference is :class:`sparselib.models.lateral.LateralInhibitionCoder` (thresholds
    ``λ + (S|z|)_i`` with ``S = tree_inhibition(tree, scale)``) with ``W_d`` as its
    dictionary. A unit counts as active when ``|z_i| > rel · max_j |z_j|``.
    """
    from .analysis import active_units
    from .models.lateral import LateralInhibitionCoder

    coder = LateralInhibitionCoder(W_d.shape[0], W_d.shape[1], lam=lam, tree=tree,
                                   scale=float(scale), nonneg=True, n_iter=300, tol=1e-6)
    coder = coder.to(W_d.dtype)
    with torch.no_grad():
        coder.W_d.copy_(W_d)
    z = coder.encode(X.to(W_d.dtype))
    z = torch.where(active_units(z, rel), z, torch.zeros_like(z))
    act = (z != 0).to(torch.float64)                                # (batch, n)
    co = act.T @ act                                                # (n, n)
    co.fill_diagonal_(0)
    same = branch_pairs(tree)
    off = int(co[~same].sum() / 2)
    return InhibitionCode(float(scale), z, co.long(), off, int(co[same].sum() / 2))


# ----------------------------------------------------------------------- 6. L2 pooling and shifts

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
