"""Chapter 1 (sparse coding): soft-thresholding and one ISTA step.

Shapes follow the package: ``x: (batch, n_features)``, ``z: (batch, n_atoms)``,
``W_d: (n_features, n_atoms)`` with unit-norm columns, reconstruction ``z @ W_d.T``.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
from torch import Tensor

from ..prox import soft_threshold
from ..solvers import lipschitz
from . import Case, Report, run_cases

__all__ = ["check_soft_threshold", "check_ista_step", "ista_step"]

HINTS = {
    "dead_zone": {
        "en": "entries with |v_j| <= θ must become exactly 0; the others move θ closer to 0.",
        "es": "las entradas con |v_j| <= θ deben quedar exactamente en 0; las demás se acercan θ a 0.",
        "it": "le componenti con |v_j| <= θ devono diventare esattamente 0; le altre si avvicinano a 0 di θ.",
        "fr": "les composantes avec |v_j| <= θ doivent valoir exactement 0 ; les autres se rapprochent de 0 de θ.",
        "fa": "مؤلفه‌هایی که |v_j| <= θ دارند باید دقیقاً 0 شوند؛ بقیه به اندازهٔ θ به 0 نزدیک می‌شوند.",
        "ko": "|v_j| <= θ인 성분은 정확히 0이 되어야 하고, 나머지는 0 쪽으로 θ만큼 이동합니다.",
    },
    "sign": {
        "en": "keep the sign: sign(v) * max(|v| - θ, 0), elementwise, for any shape.",
        "es": "conserva el signo: sign(v) * max(|v| - θ, 0), elemento a elemento, para cualquier forma.",
        "it": "conserva il segno: sign(v) * max(|v| - θ, 0), elemento per elemento, per ogni forma.",
        "fr": "gardez le signe : sign(v) * max(|v| - θ, 0), élément par élément, quelle que soit la forme.",
        "fa": "علامت را نگه دارید: sign(v) * max(|v| - θ, 0)، درایه به درایه و برای هر شکلی.",
        "ko": "부호를 유지하세요: 모든 모양에 대해 원소별로 sign(v) * max(|v| - θ, 0).",
    },
    "gradient": {
        "en": "rows are samples: the gradient step is z + (x - z @ W_d.T) @ W_d / L.",
        "es": "las filas son muestras: el paso de gradiente es z + (x - z @ W_d.T) @ W_d / L.",
        "it": "le righe sono campioni: il passo di gradiente è z + (x - z @ W_d.T) @ W_d / L.",
        "fr": "les lignes sont des exemples : le pas de gradient est z + (x - z @ W_d.T) @ W_d / L.",
        "fa": "هر سطر یک نمونه است: گام گرادیان z + (x - z @ W_d.T) @ W_d / L است.",
        "ko": "행이 샘플입니다: 경사 단계는 z + (x - z @ W_d.T) @ W_d / L입니다.",
    },
    "threshold": {
        "en": "the threshold of the shrinkage is lam / L, not lam.",
        "es": "el umbral de la contracción es lam / L, no lam.",
        "it": "la soglia della contrazione è lam / L, non lam.",
        "fr": "le seuil du rétrécissement est lam / L, pas lam.",
        "fa": "آستانهٔ کوچک‌سازی lam / L است، نه lam.",
        "ko": "수축의 임계값은 lam이 아니라 lam / L입니다.",
    },
}


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
    return run_cases("soft_threshold_student", student_fn, soft_threshold, cases,
                     arg_names=("v", "theta"), lang=lang, quiet=quiet)


def ista_step(x: Tensor, z: Tensor, W_d: Tensor, lam: float, L: float) -> Tensor:
    """Reference ISTA step ``soft_{lam/L}(z + (x - z W_dᵀ) W_d / L)``, shape ``(batch, n_atoms)``."""
    return soft_threshold(z + (x - z @ W_d.T) @ W_d / L, lam / L)


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
