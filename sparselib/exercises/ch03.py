"""Chapter 3 (group sparsity and topographic maps): block soft-thresholding, the torus penalty,
the tree prox by composition, and the certificate of a group-lasso solution.

Shapes follow the package: ``z, v: (batch, n_atoms)``; a grouping ``G: (n_groups, n_atoms)``
with ``G[j, i] = 1`` when unit ``i`` is in pool ``j``; a torus of ``side × side`` units holds
``n_atoms = side²`` units numbered row-major.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
from torch import Tensor

from ..groups import Tree, contiguous_groups, torus_groups
from ..penalties import group_l2
from ..prox import group_soft_threshold
from . import Case, Report, run_cases
from .hints.ch03 import HINTS

__all__ = ["check_group_lasso_certificate", "check_group_soft_threshold", "check_torus_penalty",
           "check_tree_prox", "group_lasso_certificate", "torus_penalty", "tree_prox_weighted"]

def _group_soft_reference(v: Tensor, t: float, G: Tensor) -> Tensor:
    return group_soft_threshold(v, t, G.to(v.dtype))


def check_group_soft_threshold(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                               quiet: bool = False) -> Report:
    """Compare ``student_fn(v, t, G)`` with :func:`sparselib.group_soft_threshold` on six cases."""
    g = torch.Generator().manual_seed(seed)
    v = torch.randn(2, 8, generator=g)                                    # (2, 8)
    v_zero = torch.randn(3, 8, generator=g)
    v_zero[:, 4:] = 0                                                     # pool 2 is all zeros
    v_big = 2 * torch.randn(5, 12, generator=g, dtype=torch.float64)
    G_partial = contiguous_groups(8, 4)
    G_partial[1, 6:] = 0                                                  # units 6, 7 in no pool
    cases = [
        Case("v ∈ ℝ^{2×8}, 2 pools of 4, t = 0.5", (v, 0.5, contiguous_groups(8, 4)), HINTS["factor"]),
        Case("v ∈ ℝ^{2×8}, 8 pools of 1, t = 0.3", (v, 0.3, contiguous_groups(8, 1)), HINTS["singletons"]),
        Case("v_{P_2} = 0, t = 0.5", (v_zero, 0.5, contiguous_groups(8, 4)), HINTS["zero_pool"]),
        Case("v_{P_2} = 0, t = 0", (v_zero, 0.0, contiguous_groups(8, 4)), HINTS["zero_pool"]),
        Case("v ∈ ℝ^{5×12} (float64), 3 pools of 4, t = 2",
             (v_big, 2.0, contiguous_groups(12, 4, dtype=torch.float64)), HINTS["factor"]),
        Case("P_1 = {0, 1, 2, 3}, P_2 = {4, 5}, t = 0.5", (v, 0.5, G_partial), HINTS["ungrouped"]),
    ]
    return run_cases("group_soft_threshold_student", student_fn, _group_soft_reference, cases,
                     arg_names=("v", "t", "G"), lang=lang, quiet=quiet)


def torus_penalty(z: Tensor, side: int, size: int) -> Tensor:
    """Reference: ``group_l2(z, torus_groups(side, size))``, shape ``(batch,)``."""
    return group_l2(z, torus_groups(side, size, dtype=z.dtype))


def check_torus_penalty(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                        quiet: bool = False) -> Report:
    """Compare ``student_fn(z, side, size)`` with ``group_l2(z, torus_groups(side, size))``."""
    g = torch.Generator().manual_seed(seed)
    z_small = torch.randn(3, 16, generator=g)                             # 4 × 4 torus
    one = torch.zeros(2, 36)
    one[0, 7], one[1, 35] = 1.5, -2.0                                     # one unit per sample
    z_edge = torch.zeros(2, 25)
    z_edge[:, [4, 20, 24]] = torch.randn(2, 3, generator=g)               # units on the edges
    z_big = torch.randn(4, 64, generator=g, dtype=torch.float64)          # 8 × 8 torus
    cases = [
        Case("z ∈ ℝ^{3×16}, side = 4, size = 2", (z_small, 4, 2), HINTS["window"]),
        Case("one active unit, side = 6, size = 3", (one, 6, 3), HINTS["count"]),
        Case("z ∈ ℝ^{3×16}, side = 4, size = 1", (z_small, 4, 1), HINTS["window"]),
        Case("units on the edges, side = 5, size = 2", (z_edge, 5, 2), HINTS["wrap"]),
        Case("z ∈ ℝ^{4×64} (float64), side = 8, size = 3", (z_big, 8, 3), HINTS["wrap"]),
    ]
    return run_cases("torus_penalty_student", student_fn, torus_penalty, cases,
                     arg_names=("z", "side", "size"), lang=lang, quiet=quiet)


# ----------------------------------------------------------------- thought exercises (issue 18)

def _diagnosed(student_fn: Callable, cases: list[Case], reference_fn: Callable,
               mistakes: dict[str, Callable], hints: dict[str, dict], nan_hint: str) -> list[Case]:
    """The cases again, each with the hint of the typical mistake the student's answer matches.

    The student's function is run once more on copies of each case's arguments; when its
    answer differs from the reference but equals what mistake ``key`` gives, the case's hint
    becomes ``hints[key]``; an answer with NaN where the reference has none gets
    ``hints[nan_hint]``. Otherwise (or when the function raises) the case keeps its hint.
    """
    out = []
    for case in cases:
        hint = case.hint
        try:
            got = student_fn(*(_clone(a) for a in case.args))
        except Exception:                     # NotImplementedError and bugs: run_cases reports them
            got = None
        if isinstance(got, Tensor):
            expected = reference_fn(*(_clone(a) for a in case.args))
            if got.shape == expected.shape and got.isnan().any() and not expected.isnan().any():
                hint = hints[nan_hint]
            elif got.shape == expected.shape and not _close(got, expected):
                for key, wrong in mistakes.items():
                    w = wrong(*(_clone(a) for a in case.args))
                    if not _close(w, expected) and _close(got, w):
                        hint = hints[key]
                        break
        out.append(Case(case.label, case.args, hint))
    return out


def _clone(a):
    return a.detach().clone() if isinstance(a, Tensor) else a


def _close(a: Tensor, b: Tensor) -> bool:
    return a.shape == b.shape and bool(torch.allclose(a.double(), b.double(), rtol=1e-5, atol=1e-6))


def _group_threshold(u: Tensor, mask: Tensor, threshold) -> Tensor:
    """``u`` with the units in ``mask`` (one group) shrunk by block soft-thresholding."""
    norm = u[:, mask].norm(dim=1, keepdim=True)                            # (batch, 1)
    factor = torch.clamp(1 - threshold / norm.clamp_min(1e-30), min=0)
    u = u.clone()
    u[:, mask] = u[:, mask] * factor
    return u


def tree_prox_weighted(v: Tensor, theta: float, tree: Tree, weight: Tensor) -> Tensor:
    """Reference: the prox of ``θ Σ_u ω_u ‖v_{T(u)}‖₂`` (``T(u)``: node ``u`` and its
    descendants) by composing the group soft-thresholds from the leaves to the roots
    (Jenatton et al., 2011), shape ``(batch, n_nodes)``. With ``ω = 1`` it is
    :func:`sparselib.tree_prox` (which does the same in O(n_nodes))."""
    G = tree.groups(dtype=torch.bool)                                      # row k: subtree of preorder[k]
    u = v
    for k in reversed(range(tree.n_nodes)):                                # every node after its descendants
        u = _group_threshold(u, G[k], theta * weight[tree.preorder[k]])
    return u


def _tree_root_first(v, theta, tree, weight):                              # the order reversed
    G = tree.groups(dtype=torch.bool)
    u = v
    for k in range(tree.n_nodes):
        u = _group_threshold(u, G[k], theta * weight[tree.preorder[k]])
    return u


def _tree_on_original(v, theta, tree, weight):                             # every factor from v itself
    G = tree.groups(dtype=torch.bool)
    scale = torch.ones_like(v)
    for k in range(tree.n_nodes):
        norm = v[:, G[k]].norm(dim=1, keepdim=True)
        f = torch.clamp(1 - theta * weight[tree.preorder[k]] / norm.clamp_min(1e-30), min=0)
        scale[:, G[k]] = scale[:, G[k]] * f
    return v * scale


def _tree_unweighted(v, theta, tree, weight):                              # θ for every group
    return tree_prox_weighted(v, theta, tree, torch.ones_like(weight))


def _tree_single_nodes(v, theta, tree, weight):                            # one group per node alone
    return torch.sign(v) * torch.clamp(v.abs() - theta * weight, min=0)


def check_tree_prox(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                    quiet: bool = False) -> Report:
    """Compare ``student_fn(v, theta, tree, weight)`` with the tree prox on six trees (with unit
    weights the reference is :func:`sparselib.tree_prox` itself). A failed case names the
    typical mistake the answer matches: groups composed from the root down, every group
    thresholded on the original ``v``, the weights forgotten, or single nodes as groups."""
    gen = torch.Generator().manual_seed(seed)

    def rand(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=gen, dtype=dtype)

    chain = Tree([-1, 0, 1])                                               # 0 - 1 - 2
    binary = Tree.complete(2, 2)                                           # the chapter's tree
    forest = Tree([-1, 0, 0, -1, 3, 4])                                    # two roots
    ternary = Tree.complete(3, 2)                                          # 13 nodes
    lopsided = Tree([-1, 0, 1, 2, 0, -1, 5])                               # a deep branch, a short one
    v_chapter = torch.tensor([[0.1, 0.2, 1.5, 0.3, 0.1, 1.2, 0.9]])
    v_lop = 1.5 * rand(3, 7, dtype=torch.float64)
    v_lop[0, [1, 2, 3]] = 0                                                # a zero subtree
    v_flat = rand(2, 7)
    v_flat[1, [2, 5, 6]] = 0                                               # node 2's subtree
    size = ternary.subtree_size.to(torch.float64)
    depth = lopsided.depth.to(torch.float64)
    ones = torch.ones
    cases = [
        Case("chain 0 → 1 → 2, v ∈ ℝ^{2×3}, θ = 0.5, ω = 1",
             (torch.tensor([[1.0, 0.3, 1.2], [0.2, -0.6, 0.9]]), 0.5, chain, ones(3)), HINTS["tree_order"]),
        Case("Tree.complete(2, 2), the chapter's v, θ = 0.25, ω = 1",
             (v_chapter, 0.25, binary, ones(7)), HINTS["tree_running"]),
        Case("forest, parent = [-1, 0, 0, -1, 3, 4], v ∈ ℝ^{4×6}, θ = 0.4, ω = 1",
             (rand(4, 6), 0.4, forest, ones(6)), HINTS["tree_order"]),
        Case("Tree.complete(3, 2), v ∈ ℝ^{4×13} (float64), θ = 0.3, ω_u = √|T(u)|",
             (2 * rand(4, 13, dtype=torch.float64), 0.3, ternary, size.sqrt()), HINTS["tree_weight"]),
        Case("parent = [-1, 0, 1, 2, 0, -1, 5], v_{T(1)} = 0 in sample 1 (float64), θ = 0.35, ω_u = 1 + depth(u)",
             (v_lop, 0.35, lopsided, 1 + depth), HINTS["tree_weight"]),
        Case("Tree.complete(2, 2), v_{T(2)} = 0 in sample 2, θ = 0, ω = 1", (v_flat, 0.0, binary, ones(7)),
             HINTS["tree_zero"]),
    ]
    mistakes = {"tree_order": _tree_root_first, "tree_running": _tree_on_original,
                "tree_weight": _tree_unweighted, "tree_nodes": _tree_single_nodes}
    cases = _diagnosed(student_fn, cases, tree_prox_weighted, mistakes, HINTS, "tree_zero")
    return run_cases("tree_prox_student", student_fn, tree_prox_weighted, cases,
                     arg_names=("v", "theta", "tree", "weight"), lang=lang, quiet=quiet,
                     rtol=1e-5, atol=1e-6)


def group_lasso_certificate(x: Tensor, W_d: Tensor, z: Tensor, lam: float, G: Tensor) -> Tensor:
    """Reference: for every sample and pool, the distance from the pool's correlations with the
    residual ``r = x − W_d z``, ``W_{d,P_j}ᵀ r``, to ``λ ∂‖z_{P_j}‖₂``, shape ``(batch, n_groups)``:
    ``max(0, ‖W_{d,P_j}ᵀ r‖ − λ)`` for a zero pool (the subdifferential is the unit ball),
    ``‖W_{d,P_j}ᵀ r − λ z_{P_j} / ‖z_{P_j}‖‖`` for an active one. All zeros certify that ``z``
    minimises ``½‖x − W_d z‖² + λ Σ_j ‖z_{P_j}‖₂`` (non-overlapping 0/1 pools)."""
    G = G.to(z.dtype)
    c = (x - z @ W_d.T) @ W_d                                              # (batch, m): W_dᵀ r
    z_norm = ((z * z) @ G.T).sqrt()                                        # (batch, K)
    c_norm = ((c * c) @ G.T).sqrt()
    direction = z / (z_norm @ G).clamp_min(1e-30)                         # z_P / ||z_P|| on every unit
    gap = (((c - lam * direction) ** 2) @ G.T).sqrt()                      # active pools
    return torch.where(z_norm > 0, gap, torch.clamp(c_norm - lam, min=0))


def _cert_per_unit(x, W_d, z, lam, G):                                     # the l1 condition |(W_dᵀ r)_i| <= λ
    G = G.to(z.dtype)
    c = (x - z @ W_d.T) @ W_d
    per_unit = torch.clamp(c.abs() - lam, min=0)                           # (batch, m)
    worst = (per_unit[:, None, :] * G).amax(-1)                            # (batch, K)
    return torch.where((z * z) @ G.T > 0, group_lasso_certificate(x, W_d, z, lam, G), worst)


def _cert_no_direction(x, W_d, z, lam, G):                                 # active pools: only ||W_d,Pᵀ r|| <= λ
    G = G.to(z.dtype)
    c = (x - z @ W_d.T) @ W_d
    return torch.clamp(((c * c) @ G.T).sqrt() - lam, min=0)


def _cert_sign(x, W_d, z, lam, G):                                         # the residual W_d z − x
    return group_lasso_certificate(2 * (z @ W_d.T) - x, W_d, z, lam, G)


def _certified(W_d: Tensor, z: Tensor, lam: float, G: Tensor, gen, slack: float = 0.6) -> Tensor:
    """An input ``x`` for which ``z`` is exactly optimal: correlations ``λ z_P / ‖z_P‖`` on the
    active pools and of norm ``slack·λ`` on the zero pools, ``x = W_d z + r`` with ``W_dᵀ r = c``."""
    G = G.to(z.dtype)
    z_norm = (z * z) @ G.T
    c = torch.randn(z.shape, generator=gen, dtype=z.dtype)
    c = c / (((c * c) @ G.T).sqrt() @ G) * slack * lam
    active = (z_norm > 0).to(z.dtype) @ G                                  # (batch, m): 1 on active pools
    c = torch.where(active > 0, lam * z / (z_norm.sqrt() @ G).clamp_min(1e-30), c)
    r = c @ torch.linalg.pinv(W_d)                                         # (batch, n): W_dᵀ r = c
    return z @ W_d.T + r


def check_group_lasso_certificate(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                                  quiet: bool = False) -> Report:
    """Compare ``student_fn(x, W_d, z, lam, G)`` with :func:`group_lasso_certificate` on five
    cases: a code that is exactly optimal (every entry must be 0), codes that are not, and a zero
    pool whose units all pass the ℓ1 test while the pool fails the group test."""
    gen = torch.Generator().manual_seed(seed)
    dt = torch.float64

    def dictionary(n, m):
        return torch.nn.functional.normalize(torch.randn(n, m, generator=gen, dtype=dt), dim=0)

    W, G = dictionary(12, 8), contiguous_groups(8, 2, dtype=dt)            # 4 pools of 2
    z_opt = torch.zeros(3, 8, dtype=dt)
    z_opt[0, :2], z_opt[1, 2:6], z_opt[2, 6:] = torch.tensor([1.0, -0.5]), 0.7, torch.tensor([0.2, 0.9])
    x_opt = _certified(W, z_opt, 0.3, G, gen)
    # z = 0 and correlations (0.8, 0.8)·λ on pool 1: each unit below λ, the pool above it.
    W2, G2 = dictionary(10, 6), contiguous_groups(6, 2, dtype=dt)
    c = torch.tensor([[0.8, 0.8, 0.1, -0.2, 0.0, 0.3]], dtype=dt) * 0.5
    x_unit = c @ torch.linalg.pinv(W2)
    # an active pool pointing the wrong way: z_P = −(the optimal direction)
    z_flip = z_opt.clone()
    z_flip[0, :2] = -z_flip[0, :2]
    W3, G3 = dictionary(16, 12), contiguous_groups(12, 3, dtype=dt)
    x3, z3 = torch.randn(5, 16, generator=gen, dtype=dt), torch.randn(5, 12, generator=gen, dtype=dt)
    z3[:, 3:6] = 0
    cases = [
        Case("z optimal by construction, 4 pools of 2, λ = 0.3", (x_opt, W, z_opt, 0.3, G), HINTS["cert_sign"]),
        Case("z = 0, W_{d,P_1}ᵀ x = (0.4, 0.4), λ = 0.5", (x_unit, W2, torch.zeros(1, 6, dtype=dt), 0.5, G2),
             HINTS["cert_norm"]),
        Case("z_{P_1} reversed from the optimum, λ = 0.3", (x_opt[:1], W, z_flip[:1], 0.3, G), HINTS["cert_direction"]),
        Case("x ∈ ℝ^{5×16}, z ∈ ℝ^{5×12}, z_{P_2} = 0, 4 pools of 3, λ = 0.2", (x3, W3, z3, 0.2, G3),
             HINTS["cert_direction"]),
        Case("z = 0, x optimal for z = 0, λ = 1", (_certified(W, torch.zeros(2, 8, dtype=dt), 1.0, G, gen),
                                                     W, torch.zeros(2, 8, dtype=dt), 1.0, G), HINTS["cert_zero"]),
    ]
    mistakes = {"cert_norm": _cert_per_unit, "cert_direction": _cert_no_direction, "cert_sign": _cert_sign}
    cases = _diagnosed(student_fn, cases, group_lasso_certificate, mistakes, HINTS, "cert_zero")
    return run_cases("group_lasso_certificate_student", student_fn, group_lasso_certificate, cases,
                     arg_names=("x", "W_d", "z", "lam", "G"), lang=lang, quiet=quiet, rtol=1e-5, atol=1e-7)
