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

__all__ = ["HINTS", "check_jumprelu", "check_threshold_grad", "check_pooled_fvu",
           "jumprelu", "threshold_grad", "pooled_fvu"]


def jumprelu(v: Tensor, theta: Tensor) -> Tensor:
    """Reference JumpReLU ``v · 1[v > θ]`` (θ per latent, broadcast over the batch)."""
    return v * (v > theta).to(v.dtype)


def _thresholds(g: torch.Generator, m: int, dtype=torch.float32) -> Tensor:
    return 0.2 + 0.6 * torch.rand(m, generator=g, dtype=dtype)     # (m,), in (0.2, 0.8)


def check_jumprelu(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                   quiet: bool = False) -> Report:
    """Compare ``student_fn(v, theta)`` with :func:`jumprelu` on five cases, each built so that
    one typical mistake fails it: non-negative entries on both sides of θ (a soft threshold
    shifts the kept ones), entries equal to or below θ (the comparison is strict), negative
    entries beyond −θ (comparing |v| keeps them), thresholds that differ per latent over a
    batch, and float64."""
    g = torch.Generator().manual_seed(seed)
    theta1 = torch.full((6,), 0.5)
    v1 = torch.tensor([[0.1, 0.4, 0.6, 1.0, 2.0, 3.0]])
    theta2 = torch.full((6,), 0.3)
    v2 = theta2.repeat(3, 1)
    v2[1] -= 0.1                                                   # below: dropped too
    v3 = torch.tensor([[-2.0, -1.0, -0.6, 0.2, 0.4, 0.0]])         # nothing is kept
    theta4 = _thresholds(g, 6)
    v4 = torch.randn(5, 6, generator=g).abs()
    v5 = torch.randn(4, 9, generator=g, dtype=torch.float64).abs()
    theta5 = _thresholds(g, 9, torch.float64)
    cases = [
        Case("v = [0.1, 0.4, 0.6, 1, 2, 3], θ = 0.5", (v1, theta1), HINTS["keep_whole"]),
        Case("θ = 0.3, v = θ in rows 0 and 2, v = θ − 0.1 in row 1", (v2, theta2), HINTS["strict"]),
        Case("v = [−2, −1, −0.6, 0.2, 0.4, 0], θ = 0.5", (v3, theta1), HINTS["nonneg"]),
        Case("v ∈ ℝ^{5×6}, v ≥ 0, θ ∈ ℝ^{6} different per latent", (v4, theta4), HINTS["per_latent"]),
        Case("v ∈ ℝ^{4×9} (float64), v ≥ 0, θ ∈ ℝ^{9}", (v5, theta5), HINTS["per_latent"]),
    ]
    return run_cases("jumprelu_student", student_fn, jumprelu, cases,
                     arg_names=("v", "theta"), lang=lang, quiet=quiet)


def threshold_grad(v: Tensor, theta: Tensor, q: Tensor, lam: float, eps: float) -> Tensor:
    """Reference straight-through gradient with respect to θ of
    ``Σ_{n,i} q_{ni} · JumpReLU(v_{ni}; θ_i) + λ · Σ_{n,i} H(v_{ni} − θ_i)``: with
    ``rect`` the rectangle kernel on ``(−½, ½)``,
    ``−Σ_n (θ_i q_{ni} + λ) rect((v_{ni} − θ_i)/ε) / ε``, shape ``(n_latents,)``. Computed by
    autograd through :func:`sparselib.sae_functional.jumprelu` and
    :func:`~sparselib.sae_functional.heaviside_step`."""
    theta = theta.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        total = ((q * saef.jumprelu(v, theta, eps)).sum()
                 + lam * saef.heaviside_step(v, theta, eps).sum())
        (grad,) = torch.autograd.grad(total, theta)
    return grad


def check_threshold_grad(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                         quiet: bool = False) -> Report:
    """Compare ``student_fn(v, theta, q, lam, eps)`` with :func:`threshold_grad` on four
    cases built so that each typical mistake fails the case whose hint names it: one row and
    the ℓ0 term alone (q = 0: the factor is 1/ε), one row and the JumpReLU term alone (λ = 0:
    the factor θ/ε), one row with entries just inside and just outside the window
    |v − θ| < ε/2, and a batch to sum over, in float64. The first three have one row, so a
    mean over the rows is not yet wrong there."""
    gen = torch.Generator().manual_seed(seed)
    theta = _thresholds(gen, 6)
    eps = 0.2
    near = theta + eps * (torch.rand(1, 6, generator=gen) - 0.5)          # inside the window
    d_any = torch.randn(1, 6, generator=gen)
    edge = theta + torch.tensor([[-0.6, -0.4, 0.4, 0.6, -0.45, 0.55]]) * eps  # 3 in, 3 out
    theta64 = _thresholds(gen, 8, torch.float64)
    v64 = theta64 + 0.3 * torch.randn(20, 8, generator=gen, dtype=torch.float64)
    d64 = torch.randn(20, 8, generator=gen, dtype=torch.float64)
    cases = [
        Case("one row, q = 0, λ = 1, every v within ε/2 of θ",
             (near, theta, torch.zeros_like(near), 1.0, eps), HINTS["step_factor"]),
        Case("one row, q ≠ 0, λ = 0, every v within ε/2 of θ", (near, theta, d_any, 0.0, eps),
             HINTS["jump_factor"]),
        Case("one row, v − θ = ±0.4ε, −0.45ε (inside), ±0.6ε, 0.55ε (outside), λ = 0.5",
             (edge, theta, d_any, 0.5, eps), HINTS["window"]),
        Case("v ∈ ℝ^{20×8} (float64), q ≠ 0, λ = 0.1, ε = 0.2", (v64, theta64, d64, 0.1, eps),
             HINTS["sum_batch"]),
    ]
    return run_cases("threshold_grad_student", student_fn, threshold_grad, cases,
                     arg_names=("v", "theta", "q", "lam", "eps"), lang=lang, quiet=quiet,
                     rtol=1e-5, atol=1e-6)


def pooled_fvu(x: Tensor, x_hat: Tensor) -> Tensor:
    """Reference pooled fraction of variance unexplained
    ``Σ_n ‖x_n − x̂_n‖² / Σ_n ‖x_n − x̄‖²`` with ``x̄`` the mean input over the set;
    a 0-d tensor in ``x``'s dtype."""
    return (x - x_hat).pow(2).sum() / (x - x.mean(0)).pow(2).sum()


def check_pooled_fvu(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                     quiet: bool = False) -> Report:
    """Compare ``student_fn(x, x_hat)`` with :func:`pooled_fvu` on four cases: a perfect and a
    mean-only reconstruction (together ½), data far from the origin with equal per-row ratios
    (only an uncentred denominator is wrong there), samples of very different norms (the
    mean of per-sample ratios is wrong there) and float64."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(30, 5, generator=g)
    # far from the origin, every row 2 from the mean and every error of norm 0.3: the mean of
    # per-row ratios equals the pooled one here, and only an uncentred denominator is wrong
    signs = torch.eye(5).repeat_interleave(2, 0) * torch.tensor([1.0, -1.0]).repeat(5)[:, None]
    shifted = 10.0 + 2.0 * signs.repeat(3, 1)                              # (30, 5)
    noisy = shifted + 0.3 * torch.nn.functional.normalize(torch.randn(30, 5, generator=g), dim=1)
    scale = torch.logspace(-1, 1, 30).unsqueeze(1)                        # (30, 1)
    spread = x * scale
    spread_hat = spread + 0.2 * torch.randn(30, 5, generator=g)
    x64 = torch.randn(40, 7, generator=g, dtype=torch.float64) + 3.0
    x64_hat = 0.8 * x64 + 0.1 * torch.randn(40, 7, generator=g, dtype=torch.float64)
    cases = [
        Case("x̂ = x in 30 rows, x̂ = x̄ in 30 more (FVU ½)",
             (torch.cat([x, x]), torch.cat([x, x.mean(0).expand_as(x)])), HINTS["centre"]),
        Case("x = 10 ± 2 eₖ (far from the origin), ‖x − x̂‖ = 0.3 in every row", (shifted, noisy),
             HINTS["centre"]),
        Case("norms from 0.1 to 10 across the rows", (spread, spread_hat), HINTS["pooled"]),
        Case("x ∈ ℝ^{40×7} (float64), x̂ = 0.8x + 0.1·𝒩(0, 1)", (x64, x64_hat), HINTS["pooled"]),
    ]
    return run_cases("pooled_fvu_student", student_fn, pooled_fvu, cases,
                     arg_names=("x", "x_hat"), lang=lang, quiet=quiet)
