"""Chapter 1 (sparse coding): soft-thresholding, one ISTA step, one FISTA step and a LISTA
forward pass.

Shapes follow the package: ``x: (batch, n_features)``, ``z: (batch, n_atoms)``,
``W_d: (n_features, n_atoms)`` with unit-norm columns, reconstruction ``z @ W_d.T``; LISTA's
``W_e: (n_atoms, n_features)`` and ``S: (n_atoms, n_atoms)`` act on rows as ``x @ W_e.T`` and
``z @ S.T``, its thresholds ``theta: (n_atoms,)``.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
from torch import Tensor

from ..solvers import lipschitz
from .. import functional as sf
from . import Case, Report, run_cases
from .hints.ch01 import HINTS

__all__ = ["check_soft_threshold", "check_ista_step", "check_fista_step", "check_lista_forward",
           "ista_step", "fista_step", "lista_forward"]

def check_soft_threshold(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                         quiet: bool = False) -> Report:
    """Compare ``student_fn(v, theta)`` with :func:`sparselib.soft_threshold` on four cases."""
    g = torch.Generator().manual_seed(seed)
    v_line = torch.tensor([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    v_batch = 2 * torch.randn(4, 7, generator=g)
    v_small = torch.randn(3, 5, generator=g, dtype=torch.float64)
    cases = [
        Case("v = [-3, -1, -0.5, 0, 0.5, 1, 3], θ = 1", (v_line, 1.0), HINTS["dead_zone"]),
        Case("v ∈ ℝ^{4×7}, θ = 0.5", (v_batch, 0.5), HINTS["sign"]),
        Case("v ∈ ℝ^{4×7}, θ = 0", (v_batch, 0.0), HINTS["sign"]),
        Case("v ∈ ℝ^{3×5} (float64), θ = 10", (v_small, 10.0), HINTS["dead_zone"]),
    ]
    return run_cases("soft_threshold_student", student_fn, sf.soft_threshold, cases,
                     arg_names=("v", "theta"), lang=lang, quiet=quiet)


def ista_step(x: Tensor, z: Tensor, W_d: Tensor, lam: float, L: float) -> Tensor:
    """Reference ISTA step ``soft_{lam/L}(z + (x - z W_dᵀ) W_d / L)``, shape ``(batch, n_atoms)``."""
    return sf.ista_step(x, z, W_d, lam, L)


def _problem(g: torch.Generator, batch: int, n: int, m: int, dtype=torch.float32):
    W_d = torch.randn(n, m, generator=g, dtype=dtype)
    W_d = W_d / W_d.norm(dim=0, keepdim=True)                   # (n, m) unit-norm columns
    x = torch.randn(batch, n, generator=g, dtype=dtype)          # (batch, n)
    z = torch.randn(batch, m, generator=g, dtype=dtype).relu()   # (batch, m)
    return x, z, W_d, lipschitz(W_d)


def check_ista_step(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                    quiet: bool = False) -> Report:
    """Compare ``student_fn(x, z, W_d, lam, L)`` with one step of ISTA on four cases."""
    g = torch.Generator().manual_seed(seed)
    x1, z1, W1, L1 = _problem(g, 1, 6, 10)
    x2, z2, W2, L2 = _problem(g, 4, 6, 10)
    x3, z3, W3, L3 = _problem(g, 5, 8, 16, torch.float64)
    cases = [
        Case("z = 0, x ∈ ℝ^{1×6}, W_d ∈ ℝ^{6×10}, λ = 0.1", (x1, torch.zeros_like(z1), W1, 0.1, L1),
             HINTS["gradient"]),
        Case("z ≠ 0, x ∈ ℝ^{4×6}, λ = 0", (x2, z2, W2, 0.0, L2), HINTS["gradient"]),
        Case("z ≠ 0, x ∈ ℝ^{4×6}, λ = 0.5", (x2, z2, W2, 0.5, L2), HINTS["threshold"]),
        Case("z ≠ 0, x ∈ ℝ^{5×8} (float64), W_d ∈ ℝ^{8×16}, λ = 2", (x3, z3, W3, 2.0, L3),
             HINTS["threshold"]),
    ]
    return run_cases("ista_step_student", student_fn, ista_step, cases,
                     arg_names=("x", "z", "W_d", "lam", "L"), lang=lang, quiet=quiet)


def fista_step(x: Tensor, z: Tensor, z_prev: Tensor, t_k: float, W_d: Tensor, lam: float,
               L: float) -> Tensor:
    """Reference FISTA iteration: ``t_{k+1} = (1 + √(1 + 4t_k²))/2``,
    ``y = z + (t_k − 1)/t_{k+1} (z − z_prev)``, then ISTA's step from ``y``; shape ``(batch, n_atoms)``."""
    t_next = (1 + (1 + 4 * t_k * t_k) ** 0.5) / 2
    y = z + (t_k - 1) / t_next * (z - z_prev)
    return ista_step(x, y, W_d, lam, L)


def check_fista_step(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                     quiet: bool = False) -> Report:
    """Compare ``student_fn(x, z, z_prev, t_k, W_d, lam, L)`` with one FISTA iteration on four
    cases built so that each typical mistake fails a case whose hint names it: no momentum
    (z = z_prev: only the threshold matters), t_k = 1 (the weight must be 0), and later
    iterations with λ = 0 (the sign and the index of the weight)."""
    g = torch.Generator().manual_seed(seed)
    x1, z1, W1, L1 = _problem(g, 3, 6, 10)
    x2, z2, W2, L2 = _problem(g, 4, 6, 10)
    p2 = torch.randn(z2.shape, generator=g).relu()
    x3, z3, W3, L3 = _problem(g, 5, 8, 16, torch.float64)
    p3 = torch.randn(z3.shape, generator=g, dtype=torch.float64)
    cases = [
        Case("z^{(k)} = z^{(k−1)} ≠ 0, t_k = 3, λ = 0.5", (x1, z1, z1.clone(), 3.0, W1, 0.5, L1),
             HINTS["momentum_threshold"]),
        Case("t_k = 1, z^{(k)} ≠ z^{(k−1)}, λ = 0.2", (x2, z2, p2, 1.0, W2, 0.2, L2), HINTS["momentum_index"]),
        Case("t_k = 4, z^{(k)} ≠ z^{(k−1)}, λ = 0", (x2, z2, p2, 4.0, W2, 0.0, L2), HINTS["momentum_sign"]),
        Case("t_k = 2, x ∈ ℝ^{5×8} (float64), W_d ∈ ℝ^{8×16}, λ = 0", (x3, z3, p3, 2.0, W3, 0.0, L3),
             HINTS["momentum_index"]),
    ]
    return run_cases("fista_step_student", student_fn, fista_step, cases,
                     arg_names=("x", "z", "z_prev", "t_k", "W_d", "lam", "L"), lang=lang, quiet=quiet)


def lista_forward(x: Tensor, W_e: Tensor, S: Tensor, theta: Tensor, T: int) -> Tensor:
    """Reference LISTA forward pass: ``z^{(k+1)} = soft_θ(W_e x + S z^{(k)})`` from ``z^{(0)} = 0``,
    ``T`` layers; returns ``z^{(T)}``, shape ``(batch, n_atoms)``."""
    drive = x @ W_e.T                                            # (batch, n_atoms), every layer
    z = torch.zeros_like(drive)
    for _ in range(T):
        z = sf.soft_threshold(drive + z @ S.T, theta)
    return z


def check_lista_forward(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                        quiet: bool = False) -> Report:
    """Compare ``student_fn(x, W_e, S, theta, T)`` with :func:`lista_forward` on four networks:
    one layer (S unused), ISTA's weights with T = 3, a square W_e with a non-symmetric S (so a
    transposed matrix changes the values, not the shapes), and five layers in float64."""
    g = torch.Generator().manual_seed(seed)
    x1, _, W1, L1 = _problem(g, 3, 6, 10)
    ista_weights = (W1.T / L1, torch.eye(10) - W1.T @ W1 / L1, torch.full((10,), 0.1 / L1))
    S_any = 0.3 * torch.randn(10, 10, generator=g)
    theta1 = 0.05 + 0.1 * torch.rand(10, generator=g)
    x4 = torch.randn(4, 8, generator=g)
    W4 = torch.randn(8, 8, generator=g) / 8 ** 0.5               # square: n = m
    S4 = 0.4 * torch.randn(8, 8, generator=g)                     # not symmetric
    theta4 = 0.05 + 0.1 * torch.rand(8, generator=g)
    x5 = torch.randn(5, 6, generator=g, dtype=torch.float64)
    W5 = torch.randn(12, 6, generator=g, dtype=torch.float64) / 6 ** 0.5
    S5 = 0.25 * torch.randn(12, 12, generator=g, dtype=torch.float64)
    theta5 = 0.02 + 0.1 * torch.rand(12, generator=g, dtype=torch.float64)
    cases = [
        Case("T = 1, W_e ∈ ℝ^{10×6}, S ∈ ℝ^{10×10}", (x1, W1.T.contiguous(), S_any, theta1, 1),
             HINTS["lista_first_layer"]),
        Case("T = 3, W_e = W_dᵀ/L, S = I − W_dᵀW_d/L, θ = λ/L", (x1, *ista_weights, 3), HINTS["lista_layers"]),
        Case("T = 4, W_e ∈ ℝ^{8×8}, S ≠ Sᵀ", (x4, W4, S4, theta4, 4), HINTS["lista_transpose"]),
        Case("T = 5, x ∈ ℝ^{5×6} (float64), W_e ∈ ℝ^{12×6}, θ ∈ ℝ^{12}", (x5, W5, S5, theta5, 5),
             HINTS["lista_every_layer"]),
    ]
    return run_cases("lista_forward_student", student_fn, lista_forward, cases,
                     arg_names=("x", "W_e", "S", "theta", "T"), lang=lang, quiet=quiet)
