"""Chapter 4 (stacked convolutional auto-encoders): the gained ReLU encoder, L2 pooling, and
the rectified quadrature group.

Shapes follow the package: images ``x: (batch, C, H, W)``; filters ``W_e: (n_maps, C, k, k)``,
thresholds ``b`` (subtracted before the ReLU) and gains ``g: (n_maps,)``; feature maps
``z: (batch, n_maps, H_z, W_z)``; pools are groups of ``group_size`` consecutive maps ×
``pool × pool`` windows of positions taken every ``stride`` positions. A stack is described
stage by stage from the input (every convolution and every pooling is a stage) by the
``sizes`` and ``strides`` of its windows, 1-D int64 tensors.
"""
from __future__ import annotations

import math
from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from .. import functional as sf
from . import Case, Report, run_cases
from .hints.ch04 import HINTS

__all__ = ["check_conv_encoder", "check_l2_pool", "check_quadrature_group", "check_receptive_field",
           "check_stack_step", "conv_encoder", "l2_pool", "quadrature_group", "receptive_field",
           "stack_step"]

def conv_encoder(x: Tensor, W_e: Tensor, b: Tensor, g: Tensor, padding: int) -> Tensor:
    """Reference: ``g_i · ReLU(W_{e,i} * x − b_i)``, shape ``(batch, n_maps, H_z, W_z)``."""
    return sf.conv_encode(x, W_e, b, g, padding)


def l2_pool(z: Tensor, group_size: int, pool: int, stride: int) -> Tensor:
    """Reference: ``sqrt(Σ z²)`` over every pool, shape ``(batch, n_maps // group_size, H_p, W_p)``."""
    return sf.l2_pool(z, group_size, pool, stride)


def quadrature_group(a: Tensor, psi: Tensor) -> Tensor:
    """Reference: the rectified responses of the maps ``+f_c, −f_c, +f_s, −f_s`` to an edge of
    strength ``a`` and phase ``psi``: ``ReLU(±a cos ψ), ReLU(±a sin ψ)``, shape
    ``(*broadcast(a, psi).shape, 4)``. Their L2 norm is ``a`` for every phase."""
    c, s = a * torch.cos(psi), a * torch.sin(psi)
    return F.relu(torch.stack([c, -c, s, -s], dim=-1))


def check_conv_encoder(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                       quiet: bool = False) -> Report:
    """Compare ``student_fn(x, W_e, b, g, padding)`` with :func:`conv_encoder` on five cases."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(2, 1, 6, 6, generator=gen)
    W, b = torch.randn(4, 1, 3, 3, generator=gen), 0.1 * torch.randn(4, generator=gen)
    g = torch.rand(4, generator=gen) + 0.5
    g_off = g.clone()
    g_off[1] = 0.0                                                        # map 1 switched off
    x3 = torch.randn(3, 2, 7, 5, generator=gen, dtype=torch.float64)      # 2 input channels
    W3 = torch.randn(6, 2, 3, 3, generator=gen, dtype=torch.float64)
    b3, g3 = torch.randn(6, generator=gen, dtype=torch.float64), torch.rand(6, generator=gen, dtype=torch.float64)
    b_high = b.clone()
    b_high[2] = 2.0                                                       # map 2 mostly silenced
    cases = [
        Case("x ∈ ℝ^{2×1×6×6}, 4 maps, k = 3, padding = 0", (x, W, b, g, 0), HINTS["encoder"]),
        Case("x ∈ ℝ^{2×1×6×6}, 4 maps, k = 3, padding = 1", (x, W, b, g, 1), HINTS["encoder"]),
        Case("b_2 = 2", (x, W, b_high, g, 1), HINTS["threshold"]),
        Case("g_1 = 0", (x, W, b, g_off, 1), HINTS["order"]),
        Case("x ∈ ℝ^{3×2×7×5} (float64), 6 maps, padding = 1", (x3, W3, b3, g3, 1), HINTS["encoder"]),
    ]
    return run_cases("conv_encoder_student", student_fn, conv_encoder, cases,
                     arg_names=("x", "W_e", "b", "g", "padding"), lang=lang, quiet=quiet)


def check_l2_pool(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                  quiet: bool = False) -> Report:
    """Compare ``student_fn(z, group_size, pool, stride)`` with :func:`l2_pool` on five cases."""
    gen = torch.Generator().manual_seed(seed)
    z = torch.rand(2, 4, 6, 6, generator=gen)
    one = torch.zeros(1, 4, 4, 4)
    one[0, 3, 1, 2] = -2.0                                                # one unit, in group 1
    z64 = torch.randn(3, 6, 7, 5, generator=gen, dtype=torch.float64)
    cases = [
        Case("z ∈ ℝ^{2×4×6×6}, groups of 2, 2×2 pools, stride 2", (z, 2, 2, 2), HINTS["groups"]),
        Case("z ∈ ℝ^{2×4×6×6}, groups of 1, 2×2 pools, stride 2", (z, 1, 2, 2), HINTS["groups"]),
        Case("z ∈ ℝ^{2×4×6×6}, groups of 4, 3×3 pools, stride 1", (z, 4, 3, 1), HINTS["stride"]),
        Case("z_{3,1,2} = −2, groups of 2, 2×2 pools, stride 1", (one, 2, 2, 1), HINTS["stride"]),
        Case("z ∈ ℝ^{3×6×7×5} (float64), groups of 3, 2×2 pools, stride 2", (z64, 3, 2, 2), HINTS["stride"]),
    ]
    return run_cases("l2_pool_student", student_fn, l2_pool, cases,
                     arg_names=("z", "group_size", "pool", "stride"), lang=lang, quiet=quiet,
                     rtol=1e-5, atol=1e-6)


def check_quadrature_group(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                           quiet: bool = False) -> Report:
    """Compare ``student_fn(a, psi)`` with :func:`quadrature_group` on four cases, phases over
    the whole circle (a two-map answer, ``ReLU(a cos ψ), ReLU(a sin ψ)``, fails)."""
    gen = torch.Generator().manual_seed(seed)
    quarter = torch.rand(6, generator=gen) * (math.pi / 2)               # first quadrant only
    circle = torch.rand(10, generator=gen) * (2 * math.pi) - math.pi     # any phase
    a = torch.rand(10, generator=gen) + 0.5
    grid = torch.linspace(-math.pi, math.pi, 9, dtype=torch.float64)     # both signs of cos and sin
    a64 = torch.rand(3, 1, generator=gen, dtype=torch.float64) + 0.1     # broadcasts against grid
    cases = [
        Case("a = 1, ψ ∈ [0, π/2]^6", (torch.ones(6), quarter), HINTS["four"]),
        Case("a ∈ ℝ^10, ψ ∈ [−π, π]^10", (a, circle), HINTS["four"]),
        Case("a = 2, ψ ∈ {π/2, π, −π/2}", (torch.full((3,), 2.0),
                                           torch.tensor([math.pi / 2, math.pi, -math.pi / 2])),
             HINTS["quad_order"]),
        Case("a ∈ ℝ^{3×1}, ψ ∈ ℝ^9 (float64)", (a64, grid), HINTS["quad_order"]),
    ]
    return run_cases("quadrature_group_student", student_fn, quadrature_group, cases,
                     arg_names=("a", "psi"), lang=lang, quiet=quiet, rtol=1e-5, atol=1e-6)



def receptive_field(sizes: Tensor, strides: Tensor) -> Tensor:
    """Reference: the side of the input window one unit sees after each stage, shape ``(L,)``
    (int64). A stage of width ``k`` on a map whose neighbours are ``d`` input pixels apart
    widens the window by ``(k − 1)·d``; its stride multiplies ``d`` for the stages after it."""
    side, step, out = 1, 1, []
    for k, s in zip(sizes.tolist(), strides.tolist()):
        side += (int(k) - 1) * step
        step *= int(s)
        out.append(side)
    return torch.tensor(out, dtype=torch.int64)


def stack_step(x: Tensor, W_e1: Tensor, b1: Tensor, g1: Tensor, W_e2: Tensor, b2: Tensor,
               g2: Tensor, group_size: int, pool: int, stride: int) -> Tensor:
    """Reference: layer 2's feature maps on the L2-pooled maps of the frozen layer 1 (both
    convolutions padded by ``h // 2``), shape ``(batch, M_2, H_p, W_p)``."""
    z1 = conv_encoder(x, W_e1, b1, g1, W_e1.shape[-1] // 2)               # (B, M_1, H, W)
    return conv_encoder(l2_pool(z1, group_size, pool, stride), W_e2, b2, g2, W_e2.shape[-1] // 2)


def check_receptive_field(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                          quiet: bool = False) -> Report:
    """Compare ``student_fn(sizes, strides)`` with :func:`receptive_field` on six stacks (the
    seed only permutes the order of the cases' stages where that keeps them valid)."""
    stacks = [
        ("one 3 × 3 convolution", [3], [1], HINTS["overlap"]),
        ("two 3 × 3 convolutions", [3, 3], [1, 1], HINTS["overlap"]),
        ("one 2 × 2 pool, stride 2", [2], [2], HINTS["own_stride"]),
        ("3 × 3 conv, 2 × 2 pool (stride 1), 3 × 3 conv, 2 × 2 pool (stride 2)", [3, 2, 3, 2], [1, 1, 1, 2],
         HINTS["own_stride"]),
        ("3 × 3 conv, 2 × 2 pool (stride 2), 3 × 3 conv, 2 × 2 pool (stride 2)", [3, 2, 3, 2], [1, 2, 1, 2],
         HINTS["rf_stride"]),
        ("5 × 5 conv, 3 × 3 pool (stride 3), 1 × 1 conv, 3 × 3 conv", [5, 3, 1, 3], [1, 3, 1, 1], HINTS["rf_stride"]),
    ]
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(stacks), generator=gen).tolist() if seed else range(len(stacks))
    cases = [Case(stacks[i][0], (torch.tensor(stacks[i][1]), torch.tensor(stacks[i][2])), stacks[i][3])
             for i in order]
    return run_cases("receptive_field_student", student_fn, receptive_field, cases,
                     arg_names=("sizes", "strides"), lang=lang, quiet=quiet, rtol=0, atol=0)


def check_stack_step(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                     quiet: bool = False) -> Report:
    """Compare ``student_fn(x, W_e1, b1, g1, W_e2, b2, g2, group_size, pool, stride)`` with
    :func:`stack_step` on four cases (filters of both signs, so that pooling before the ReLU
    and an added bias both fail)."""
    gen = torch.Generator().manual_seed(seed)

    def layer(n_out, n_in, h, dtype=torch.float32, b_scale=0.0):
        W = torch.randn(n_out, n_in, h, h, generator=gen, dtype=dtype)
        b = b_scale * (torch.rand(n_out, generator=gen, dtype=dtype) + 0.5)
        return W, b, torch.rand(n_out, generator=gen, dtype=dtype) + 0.5

    x = torch.rand(2, 1, 8, 8, generator=gen)
    first, second = layer(4, 1, 3), layer(6, 2, 3)
    first_b, second_b = layer(4, 1, 3, b_scale=0.5), layer(6, 2, 3, b_scale=0.5)
    x64 = torch.rand(3, 2, 9, 7, generator=gen, dtype=torch.float64)
    first64, second64 = layer(6, 2, 3, torch.float64, 0.2), layer(4, 2, 1, torch.float64, 0.2)
    cases = [
        Case("x ∈ ℝ^{2×1×8×8}, 4 + 6 maps, groups of 2, 2×2 pools, stride 1, b = 0",
             (x, *first, *second, 2, 2, 1), HINTS["stack_order"]),
        Case("b_1, b_2 ∈ [0.25, 0.75]", (x, *first_b, *second_b, 2, 2, 1), HINTS["threshold"]),
        Case("groups of 2, 2×2 pools, stride 2", (x, *first_b, *second_b, 2, 2, 2), HINTS["stack_stride"]),
        Case("x ∈ ℝ^{3×2×9×7} (float64), 6 + 4 maps, groups of 3, 3×3 pools, stride 2, 1×1 filters in layer 2",
             (x64, *first64, *second64, 3, 3, 2), HINTS["stack_order"]),
    ]
    return run_cases("stack_step_student", student_fn, stack_step, cases,
                     arg_names=("x", "W_e1", "b1", "g1", "W_e2", "b2", "g2"), lang=lang, quiet=quiet,
                     rtol=1e-5, atol=1e-6)
