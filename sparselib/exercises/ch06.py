"""Chapter 6 (today's sparse auto-encoders): JumpReLU's forward pass, its straight-through
threshold gradient, and the pooled fraction of variance unexplained.

Shapes follow the chapter: pre-activations ``v: (batch, n_latents)``, thresholds
``theta: (n_latents,)``, activations ``x`` and reconstructions ``x_hat: (batch, n_features)``.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
from torch import Tensor

from .. import sae_functional as saef
from . import Case, Report, run_cases
from .hints.ch06 import HINTS

__all__ = ["check_jumprelu", "check_threshold_grad", "check_pooled_fvu",
           "jumprelu", "threshold_grad", "pooled_fvu"]


def jumprelu(v: Tensor, theta: Tensor) -> Tensor:
    """Reference JumpReLU ``v · 1[v > θ]`` (θ per latent, broadcast over the batch)."""
    return v * (v > theta).to(v.dtype)


def _thresholds(g: torch.Generator, m: int, dtype=torch.float32) -> Tensor:
    return 0.2 + 0.6 * torch.rand(m, generator=g, dtype=dtype)     # (m,), in (0.2, 0.8)


def check_jumprelu(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                   quiet: bool = False) -> Report:
    """Compare ``student_fn(v, theta)`` with :func:`jumprelu` on four cases: one row with
    entries on both sides of θ (a soft threshold would shift the kept ones), entries equal to
    or below their threshold (the comparison is strict; nothing is kept, so only that mistake
    fails there), thresholds that differ per latent over a batch, and float64."""
    g = torch.Generator().manual_seed(seed)
    theta1 = torch.full((7,), 0.5)
    v1 = torch.tensor([[-1.0, 0.1, 0.4, 0.6, 1.0, 2.0, 3.0]])
    theta2 = torch.full((6,), 0.3)
    v2 = theta2.repeat(3, 1)
    v2[1] -= 0.1                                                   # below: dropped too
    theta3 = _thresholds(g, 6)
    v3 = torch.randn(5, 6, generator=g)
    v4 = torch.randn(4, 9, generator=g, dtype=torch.float64)
    theta4 = _thresholds(g, 9, torch.float64)
    cases = [
        Case("v ∈ ℝ^{1×7}, θ = 0.5 for every latent", (v1, theta1), HINTS["keep_whole"]),
        Case("θ = 0.3, v = θ in rows 0 and 2, v = θ − 0.1 in row 1", (v2, theta2), HINTS["strict"]),
        Case("v ∈ ℝ^{5×6}, θ ∈ ℝ^{6} different per latent", (v3, theta3), HINTS["per_latent"]),
        Case("v ∈ ℝ^{4×9} (float64), θ ∈ ℝ^{9}", (v4, theta4), HINTS["per_latent"]),
    ]
    return run_cases("jumprelu_student", student_fn, jumprelu, cases,
                     arg_names=("v", "theta"), lang=lang, quiet=quiet)


def threshold_grad(v: Tensor, theta: Tensor, g: Tensor, c: float, eps: float) -> Tensor:
    """Reference straight-through gradient with respect to θ of
    ``Σ_{n,i} g_{ni} · JumpReLU(v_{ni}; θ_i) + c · Σ_{n,i} H(v_{ni} − θ_i)``: with
    ``K`` the rectangle kernel on ``(−½, ½)``, ``−Σ_n (θ_i g_{ni} + c) K((v_{ni} − θ_i)/ε) / ε``,
    shape ``(n_latents,)``. Computed by autograd through :func:`sparselib.sae_functional.jumprelu`
    and :func:`~sparselib.sae_functional.heaviside_step`."""
    theta = theta.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        total = (g * saef.jumprelu(v, theta, eps)).sum() + c * saef.heaviside_step(v, theta, eps).sum()
        (grad,) = torch.autograd.grad(total, theta)
    return grad


def check_threshold_grad(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                         quiet: bool = False) -> Report:
    """Compare ``student_fn(v, theta, g, c, eps)`` with :func:`threshold_grad` on four cases
    built so that each typical mistake fails a case whose hint names it: the ℓ0 term alone
    (g = 0: the factor is 1/ε), the JumpReLU term alone (c = 0: the factor θ/ε), entries
    just outside the window |v − θ| < ε/2, and a batch to sum over in float64."""
    gen = torch.Generator().manual_seed(seed)
    theta = _thresholds(gen, 6)
    eps = 0.2
    near = theta + eps * (torch.rand(4, 6, generator=gen) - 0.5)          # inside the window
    g_any = torch.randn(4, 6, generator=gen)
    edge = theta + torch.tensor([[-0.6], [-0.4], [0.4], [0.6]]) * eps      # (4, 6): 2 rows out
    theta64 = _thresholds(gen, 8, torch.float64)
    v64 = theta64 + 0.3 * torch.randn(20, 8, generator=gen, dtype=torch.float64)
    g64 = torch.randn(20, 8, generator=gen, dtype=torch.float64)
    cases = [
        Case("g = 0, c = 1, every v within ε/2 of θ", (near, theta, torch.zeros_like(near), 1.0, eps),
             HINTS["step_factor"]),
        Case("g ≠ 0, c = 0, every v within ε/2 of θ", (near, theta, g_any, 0.0, eps),
             HINTS["jump_factor"]),
        Case("v − θ = ±0.4ε and ±0.6ε, g ≠ 0, c = 0.5", (edge, theta, g_any, 0.5, eps),
             HINTS["window"]),
        Case("v ∈ ℝ^{20×8} (float64), g ≠ 0, c = 0.1, ε = 0.2", (v64, theta64, g64, 0.1, eps),
             HINTS["sum_batch"]),
    ]
    return run_cases("threshold_grad_student", student_fn, threshold_grad, cases,
                     arg_names=("v", "theta", "g", "c", "eps"), lang=lang, quiet=quiet, rtol=1e-5,
                     atol=1e-6)


def pooled_fvu(x: Tensor, x_hat: Tensor) -> Tensor:
    """Reference pooled fraction of variance unexplained
    ``Σ_n ‖x_n − x̂_n‖² / Σ_n ‖x_n − x̄‖²`` with ``x̄`` the mean input over the set;
    a 0-d tensor in ``x``'s dtype."""
    return (x - x_hat).pow(2).sum() / (x - x.mean(0)).pow(2).sum()


def check_pooled_fvu(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                     quiet: bool = False) -> Report:
    """Compare ``student_fn(x, x_hat)`` with :func:`pooled_fvu` on four cases: a perfect and a
    mean-only reconstruction (0 and 1), data far from the origin (an uncentred denominator
    is wrong there) and samples of very different norms (the mean of per-sample ratios is
    wrong there)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(30, 5, generator=g)
    shifted = x + 10.0
    noisy = shifted + 0.3 * torch.randn(30, 5, generator=g)
    scale = torch.logspace(-1, 1, 30).unsqueeze(1)                        # (30, 1)
    spread = x * scale
    spread_hat = spread + 0.2 * torch.randn(30, 5, generator=g)
    x64 = torch.randn(40, 7, generator=g, dtype=torch.float64) + 3.0
    x64_hat = 0.8 * x64 + 0.1 * torch.randn(40, 7, generator=g, dtype=torch.float64)
    cases = [
        Case("x̂ = x in 30 rows, x̂ = x̄ in 30 more (FVU ½)",
             (torch.cat([x, x]), torch.cat([x, x.mean(0).expand_as(x)])), HINTS["centre"]),
        Case("x = 10 + noise (far from the origin)", (shifted, noisy), HINTS["centre"]),
        Case("norms from 0.1 to 10 across the rows", (spread, spread_hat), HINTS["pooled"]),
        Case("x ∈ ℝ^{40×7} (float64), x̂ = 0.8x + noise", (x64, x64_hat), HINTS["pooled"]),
    ]
    return run_cases("pooled_fvu_student", student_fn, pooled_fvu, cases,
                     arg_names=("x", "x_hat"), lang=lang, quiet=quiet)
