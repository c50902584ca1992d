"""Chapter 5 (lateral inhibition): one inference step with per-unit thresholds, the
inhibition matrix of a tree, one projected ascent step on the inhibition matrix, and one
inference step under tree inhibition written from the tree.

Shapes follow the package: ``x: (batch, n_features)``, ``z: (batch, n_atoms)``,
``W_d: (n_features, n_atoms)`` with unit-norm columns, ``S: (n_atoms, n_atoms)`` (the
inhibition matrix, written ``V`` in the chapter's maths; the code keeps the lecture's ``S``).
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import torch
from torch import Tensor

from ..groups import Tree, tree_inhibition
from ..models.lateral import project_inhibition
from ..solvers import lipschitz
from .. import functional as sf
from ..functional import sinkhorn_scale  # offered to the students (chapter 5 imports it from here)
from . import Case, Report, run_cases
from .hints.ch05 import HINTS

__all__ = ["check_inhibition_ascent", "check_inhibition_step", "check_tree_inhibition",
           "check_tree_step", "inhibition_ascent", "inhibition_step", "sinkhorn_scale",
           "tree_inhibition_from_parents", "tree_step"]

def inhibition_step(x: Tensor, z: Tensor, W_d: Tensor, lam: float, S: Tensor, L: float) -> Tensor:
    """Reference step ``soft_{(lam + |z| S)/L}(z + (x - z W_dᵀ) W_d / L)``, shape ``(batch, n_atoms)``."""
    return sf.inhibition_step(x, z, W_d, lam, S, L)


def tree_inhibition_from_parents(parent: Sequence[int], scale: float) -> Tensor:
    """Reference: ``tree_inhibition(Tree(parent), scale)``, float32 ``(n, n)``."""
    return tree_inhibition(Tree(list(parent)), scale)


def _problem(g: torch.Generator, batch: int, n: int, m: int, dtype=torch.float32):
    W_d = torch.randn(n, m, generator=g, dtype=dtype)
    W_d = W_d / W_d.norm(dim=0, keepdim=True)                   # (n, m) unit-norm columns
    x = torch.randn(batch, n, generator=g, dtype=dtype)          # (batch, n)
    z = torch.randn(batch, m, generator=g, dtype=dtype)          # (batch, m), both signs
    S = torch.rand(m, m, generator=g, dtype=dtype)
    S = 0.5 * (S + S.T) * (1 - torch.eye(m, dtype=dtype))        # symmetric, zero diagonal
    return x, z, W_d, S, lipschitz(W_d)


def check_inhibition_step(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                          quiet: bool = False) -> Report:
    """Compare ``student_fn(x, z, W_d, lam, S, L)`` with one thresholding step on four cases."""
    g = torch.Generator().manual_seed(seed)
    x1, z1, W1, S1, L1 = _problem(g, 3, 6, 7)
    x2, z2, W2, S2, L2 = _problem(g, 5, 8, 15, torch.float64)
    S_tree = tree_inhibition(Tree.complete(2, 2), 0.5)
    cases = [
        Case("S = 0, z ≠ 0, λ = 0.2", (x1, z1, W1, 0.2, torch.zeros_like(S1), L1), HINTS["no_inhibition"]),
        Case("z ≠ 0, S ∈ ℝ^{7×7}, λ = 0.1", (x1, z1, W1, 0.1, S1, L1), HINTS["thresholds"]),
        Case("z = -|z|, S ∈ ℝ^{7×7}, λ = 0", (x1, -z1.abs(), W1, 0.0, S1, L1), HINTS["absolute"]),
        Case("S = 0.5·tree_inhibition(T_{2,2}), λ = 0.05", (x1, z1, W1, 0.05, S_tree, L1), HINTS["thresholds"]),
        Case("x ∈ ℝ^{5×8} (float64), S ∈ ℝ^{15×15}, λ = 0.3", (x2, z2, W2, 0.3, S2, L2), HINTS["thresholds"]),
    ]
    return run_cases("inhibition_step_student", student_fn, inhibition_step, cases,
                     arg_names=("x", "z", "W_d", "lam", "S", "L"), lang=lang, quiet=quiet)


def check_tree_inhibition(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                          quiet: bool = False) -> Report:
    """Compare ``student_fn(parent, scale)`` with ``tree_inhibition(Tree(parent), scale)``."""
    g = torch.Generator().manual_seed(seed)
    n = 12
    random_tree = [-1] + [int(torch.randint(i, (1,), generator=g)) for i in range(1, n)]
    order = torch.randperm(n, generator=g).tolist()               # relabel the nodes
    new = {old: k for k, old in enumerate(order)}
    shuffled = [-1] * n
    for old, p in enumerate(random_tree):
        shuffled[new[old]] = -1 if p < 0 else new[p]
    scale = float(torch.rand(1, generator=g)) + 0.5
    cases = [
        Case("parent = [-1, 0, 0, 1, 1, 2, 2], scale = 1", ([-1, 0, 0, 1, 1, 2, 2], 1.0), HINTS["branch"]),
        Case("parent = [-1, 0, 1, 2] (chain), scale = 2", ([-1, 0, 1, 2], 2.0), HINTS["branch"]),
        Case("parent = [-1, -1, 0, 1, 0], scale = 1", ([-1, -1, 0, 1, 0], 1.0), HINTS["forest"]),
        Case(f"random tree, n = {n}, scale = {scale:.3f}", (random_tree, scale), HINTS["dtype"]),
        Case(f"random tree, relabelled, n = {n}, scale = {scale:.3f}", (shuffled, scale), HINTS["branch"]),
    ]
    return run_cases("tree_inhibition_student", student_fn, tree_inhibition_from_parents, cases,
                     arg_names=("parent", "scale"), lang=lang, quiet=quiet)


# ------------------------------------------------------------------ learning V: one ascent step
def _ascent_gradient(z: Tensor) -> Tensor:
    """∂F/∂V = ½·mean_b |z_b||z_b|ᵀ, the envelope gradient at the codes ``z``: ``(m, m)``."""
    a = z.abs()
    return 0.5 * a.T @ a / len(a)


def inhibition_ascent(S: Tensor, z: Tensor, eta: float, budget: float) -> Tensor:
    """Reference: ``Π_b(S + η·½·mean_b |z_b||z_b|ᵀ)`` with Π_b = ``project_inhibition(., b, floor=0)``."""
    return project_inhibition(S + eta * _ascent_gradient(z), budget, floor=0.0)


def _feasible(T: Tensor, budget: float) -> Tensor:   # what a student does after the step
    T = 0.5 * (T + T.T)
    T = T.clamp_min(0) * (1 - torch.eye(len(T), dtype=T.dtype))
    return sinkhorn_scale(T, budget)


# the typical mistakes, each with the hint that names it
ASCENT_MISTAKES = {
    "envelope_half": lambda S, z, eta, b: _feasible(S + eta * 2 * _ascent_gradient(z), b),
    "ascent": lambda S, z, eta, b: _feasible(S - eta * _ascent_gradient(z), b),
    "magnitudes": lambda S, z, eta, b: _feasible(S + eta * 0.5 * z.T @ z / len(z), b),
    "batch_mean": lambda S, z, eta, b: _feasible(S + eta * len(z) * _ascent_gradient(z), b),
    "diagonal": lambda S, z, eta, b: sinkhorn_scale(S + eta * _ascent_gradient(z), b),
    "budget": lambda S, z, eta, b: (S + eta * _ascent_gradient(z)) * (1 - torch.eye(len(S), dtype=S.dtype)),
}


def _diagnosed(cases, student_fn, mistakes, rtol=1e-5, atol=1e-7):
    """The cases with, as hint, the mistake whose output the student's matches (else the case's)."""
    out = []
    for case in cases:
        hint = case.hint
        try:
            got = student_fn(*[a.clone() if isinstance(a, Tensor) else a for a in case.args])
        except Exception:                        # run_cases reports it (and re-raises a stub's)
            got = None
        if isinstance(got, Tensor):
            for key, wrong in mistakes.items():
                expected = wrong(*[a.clone() if isinstance(a, Tensor) else a for a in case.args])
                if got.shape == expected.shape and torch.allclose(
                        got.detach().double(), expected.double(), rtol=rtol, atol=atol):
                    hint = HINTS[key]
                    break
        out.append(Case(case.label, case.args, hint))
    return out


def _uniform(m: int, budget: float, dtype=torch.float32) -> Tensor:
    return budget / (m - 1) * (1 - torch.eye(m, dtype=dtype))


def check_inhibition_ascent(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                            quiet: bool = False) -> Report:
    """Compare ``student_fn(S, z, eta, budget)`` with :func:`inhibition_ascent` on five cases;
    a failed case names the typical mistake the output matches, when it matches one."""
    g = torch.Generator().manual_seed(seed)

    def feasible(m, budget, dtype=torch.float32):
        A = torch.rand(m, m, generator=g, dtype=dtype) + 0.2
        return project_inhibition(A, budget, floor=0.0)          # >= 0, symmetric, rows = budget

    z1 = torch.randn(6, 5, generator=g)                          # both signs
    z2 = torch.randn(1, 5, generator=g).abs()                    # one non-negative code
    z3 = torch.randn(8, 7, generator=g, dtype=torch.float64) * (torch.rand(8, 7, generator=g,
                                                                           dtype=torch.float64) < 0.5)
    z4 = torch.randn(20, 9, generator=g)
    cases = [
        Case("S uniform ∈ ℝ^{5×5}, z ∈ ℝ^{6×5}, η = 0.5, b = 1", (_uniform(5, 1.0), z1, 0.5, 1.0),
             HINTS["envelope_half"]),
        Case("S ∈ ℝ^{5×5}, one code z ≥ 0, η = 1, b = 2", (feasible(5, 2.0), z2, 1.0, 2.0), HINTS["diagonal"]),
        Case("S ∈ ℝ^{5×5}, z ∈ ℝ^{6×5}, η = 2, b = 1", (feasible(5, 1.0), z1, 2.0, 1.0), HINTS["ascent"]),
        Case("S ∈ ℝ^{7×7} (float64), sparse z ∈ ℝ^{8×7}, η = 0.3, b = 0.5",
             (feasible(7, 0.5, torch.float64), z3, 0.3, 0.5), HINTS["magnitudes"]),
        Case("S ∈ ℝ^{9×9}, z ∈ ℝ^{20×9}, η = 0.1, b = 1", (feasible(9, 1.0), z4, 0.1, 1.0), HINTS["budget"]),
    ]
    return run_cases("inhibition_ascent_student", student_fn, inhibition_ascent,
                     _diagnosed(cases, student_fn, ASCENT_MISTAKES, atol=1e-6),
                     arg_names=("S", "z", "eta", "budget"), lang=lang, quiet=quiet, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------ inference under tree inhibition
def tree_step(x: Tensor, z: Tensor, W_d: Tensor, lam: float, parent: Sequence[int], alpha: float,
              eta: float) -> Tensor:
    """Reference: one step of length ``eta`` with ``V = alpha·tree_inhibition(parent)``,
    ``soft_{η(λ + |z| V)}(z + η (x − z W_dᵀ) W_d)``, shape ``(batch, n_atoms)``."""
    V = tree_inhibition(Tree(list(parent)), alpha, dtype=z.dtype)
    return sf.soft_threshold(z + eta * (x - z @ W_d.T) @ W_d, eta * (lam + z.abs() @ V))


def _on_branch(parent: Sequence[int], *, descendants: bool = True, itself: bool = True) -> Tensor:
    """Boolean ``(n, n)``: ``j`` counts as on ``i``'s branch (for the mistakes below)."""
    tree = Tree(list(parent))
    A = tree.ancestor_matrix()                                   # A[i, j]: i is j or an ancestor
    B = A.T | A if descendants else A.T                          # ancestors (and descendants) of i
    eye = torch.eye(len(parent), dtype=torch.bool)
    return B if itself else B & ~eye


def _tree_step_with(on_branch: Tensor, *, signed=False, scaled=True):
    def step(x, z, W_d, lam, parent, alpha, eta):
        a = z if signed else z.abs()
        inhibition = alpha * (a.sum(1, keepdim=True) - a @ on_branch.to(z.dtype).T)   # (batch, m)
        theta = lam + inhibition
        v = z + eta * (x - z @ W_d.T) @ W_d                       # a signed sum may give theta < 0
        return torch.sign(v) * torch.clamp(v.abs() - (eta * theta if scaled else theta), min=0)
    return step


def _tree_mistakes(parent):
    return {
        "tree_magnitudes": _tree_step_with(_on_branch(parent), signed=True),
        "step_scale": _tree_step_with(_on_branch(parent), scaled=False),
        "self": _tree_step_with(_on_branch(parent, itself=False)),
        "descendants": _tree_step_with(_on_branch(parent, descendants=False)),
    }


def check_tree_step(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                    quiet: bool = False) -> Report:
    """Compare ``student_fn(x, z, W_d, lam, parent, alpha, eta)`` with :func:`tree_step` on
    five cases; a failed case names the typical mistake the output matches, when it matches one."""
    g = torch.Generator().manual_seed(seed)

    def problem(batch, n, parent, dtype=torch.float32, z_scale=1.0):
        m = len(parent)
        W_d = torch.randn(n, m, generator=g, dtype=dtype)
        W_d = W_d / W_d.norm(dim=0, keepdim=True)
        x = torch.randn(batch, n, generator=g, dtype=dtype)
        z = z_scale * torch.randn(batch, m, generator=g, dtype=dtype)
        return x, z, W_d, 1.0 / float(lipschitz(W_d))

    chain = [-1, 0, 1, 2]
    tree7 = [-1, 0, 0, 1, 1, 2, 2]
    random_tree = [-1] + [int(torch.randint(i, (1,), generator=g)) for i in range(1, 12)]
    x1, z1, W1, eta1 = problem(3, 6, tree7)
    x2, z2, W2, eta2 = problem(4, 5, chain, z_scale=0.3)
    x3, z3, W3, eta3 = problem(5, 10, random_tree, torch.float64, z_scale=0.3)
    specs = [
        ("T_{2,2}, z ∈ ℝ^{3×7}, α = 0.5, λ = 0.1, η = 1/L", (x1, z1, W1, 0.1, tree7, 0.5, eta1), "self"),
        ("T_{2,2}, z ∈ ℝ^{3×7}, α = 0.5, λ = 0.1, η = 0.5/L", (x1, z1, W1, 0.1, tree7, 0.5, 0.5 * eta1),
         "step_scale"),
        ("chain of 4, z ∈ ℝ^{4×4}, α = 1, λ = 0, η = 1/L", (x2, z2, W2, 0.0, chain, 1.0, eta2), "tree_magnitudes"),
        ("T_{2,2}, z = -|z|, α = 0.3, λ = 0.05, η = 1/L", (x1, -z1.abs(), W1, 0.05, tree7, 0.3, eta1),
         "tree_magnitudes"),
        ("random tree, m = 12 (float64), α = 0.4, λ = 0.05, η = 1/L",
         (x3, z3, W3, 0.05, random_tree, 0.4, eta3), "descendants"),
    ]
    cases = [Case(label, args, HINTS[key]) for label, args, key in specs]
    diagnosed = []
    for case in cases:                    # the mistakes depend on each case's tree
        diagnosed += _diagnosed([case], student_fn, _tree_mistakes(case.args[4]))
    return run_cases("tree_step_student", student_fn, tree_step, diagnosed,
                     arg_names=("x", "z", "W_d", "lam", "parent", "alpha", "eta"), lang=lang, quiet=quiet)
