"""Chapter 2 (DrSAE): the recurrent encoder and the three-term loss.

Shapes follow :mod:`sparselib.models.drsae`: ``x: (batch, n_features)``,
``W_e: (n_atoms, n_features)``, ``S: (n_atoms, n_atoms)`` (applied as ``z @ S.T``),
``b: (n_atoms,)``, ``W_d: (n_features, n_atoms)``, ``W_c: (n_classes, n_atoms)``,
``c: (n_classes,)``, labels ``y: (batch,)`` int64.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from ..models.drsae import drsae_step
from . import Case, Report, run_cases

__all__ = ["check_drsae_encode", "check_drsae_loss", "drsae_encode", "drsae_loss"]

HINTS = {
    "first": {
        "en": "the first step has no lateral term: z_1 = ReLU(W_e x - b); n_iter counts every ReLU.",
        "es": "el primer paso no tiene término lateral: z_1 = ReLU(W_e x - b); n_iter cuenta cada ReLU.",
        "it": "il primo passo non ha termine laterale: z_1 = ReLU(W_e x - b); n_iter conta ogni ReLU.",
        "fr": "la première étape n'a pas de terme latéral : z_1 = ReLU(W_e x - b) ; n_iter compte chaque ReLU.",
        "fa": "گام نخست جملهٔ جانبی ندارد: z_1 = ReLU(W_e x - b)؛ n_iter همهٔ ReLUها را می‌شمارد.",
        "ko": "첫 단계에는 측면 항이 없습니다: z_1 = ReLU(W_e x - b). n_iter는 모든 ReLU를 셉니다.",
    },
    "rows": {
        "en": "samples are rows: W_e x is x @ W_e.T and S z is z @ S.T; W_e x is added at every step.",
        "es": "las muestras son filas: W_e x es x @ W_e.T y S z es z @ S.T; W_e x se suma en cada paso.",
        "it": "i campioni sono righe: W_e x è x @ W_e.T e S z è z @ S.T; W_e x si somma a ogni passo.",
        "fr": "les exemples sont des lignes : W_e x s'écrit x @ W_e.T et S z s'écrit z @ S.T ; W_e x est ajouté à chaque étape.",
        "fa": "نمونه‌ها سطرها هستند: W_e x همان x @ W_e.T و S z همان z @ S.T است؛ W_e x در هر گام افزوده می‌شود.",
        "ko": "샘플이 행입니다: W_e x는 x @ W_e.T, S z는 z @ S.T이며 W_e x는 매 단계 더해집니다.",
    },
    "reconstruction": {
        "en": "½‖x − W_d z‖²: sum the squares over the features, then average over the batch.",
        "es": "½‖x − W_d z‖²: suma los cuadrados sobre las variables y promedia sobre el lote.",
        "it": "½‖x − W_d z‖²: somma i quadrati sulle componenti, poi fai la media sul batch.",
        "fr": "½‖x − W_d z‖² : sommez les carrés sur les composantes, puis moyennez sur le lot.",
        "fa": "½‖x − W_d z‖²: مربع‌ها را روی ویژگی‌ها جمع بزنید و سپس روی دسته میانگین بگیرید.",
        "ko": "½‖x − W_d z‖²: 특성에 대해 제곱을 더한 뒤 배치에 대해 평균하세요.",
    },
    "l1": {
        "en": "λ‖z‖₁ is λ times the batch mean of the sum of |z_i|.",
        "es": "λ‖z‖₁ es λ por la media sobre el lote de la suma de |z_i|.",
        "it": "λ‖z‖₁ è λ per la media sul batch della somma di |z_i|.",
        "fr": "λ‖z‖₁ vaut λ fois la moyenne sur le lot de la somme des |z_i|.",
        "fa": "λ‖z‖₁ برابر λ ضرب در میانگین دسته‌ای مجموع |z_i| است.",
        "ko": "λ‖z‖₁은 |z_i|의 합을 배치에 대해 평균한 값에 λ를 곱한 것입니다.",
    },
    "classifier": {
        "en": "the classifier reads the normalised code: logits = (z/‖z‖) W_cᵀ + c, then γ · cross-entropy.",
        "es": "el clasificador lee el código normalizado: logits = (z/‖z‖) W_cᵀ + c, luego γ · entropía cruzada.",
        "it": "il classificatore legge il codice normalizzato: logits = (z/‖z‖) W_cᵀ + c, poi γ · entropia incrociata.",
        "fr": "le classifieur lit le code normalisé : logits = (z/‖z‖) W_cᵀ + c, puis γ · entropie croisée.",
        "fa": "طبقه‌بند کد نرمال‌شده را می‌خواند: logits = (z/‖z‖) W_cᵀ + c و سپس γ · آنتروپی متقاطع.",
        "ko": "분류기는 정규화된 코드를 읽습니다: logits = (z/‖z‖) W_cᵀ + c, 그다음 γ · 교차 엔트로피.",
    },
}


def drsae_encode(x: Tensor, W_e: Tensor, S: Tensor, b: Tensor, n_iter: int) -> Tensor:
    """Reference encoder: ``n_iter`` ReLU steps, the final code of shape ``(batch, n_atoms)``."""
    z = None
    for _ in range(n_iter):
        z = drsae_step(x, z, W_e, S, b)
    return z


def drsae_loss(x: Tensor, y: Tensor, z: Tensor, W_d: Tensor, W_c: Tensor, c: Tensor,
               lam: float, gamma: float) -> Tensor:
    """Reference loss, as :meth:`DrSAE.loss`: a 0-d tensor (batch means of each term)."""
    reconstruction = 0.5 * (x - z @ W_d.T).pow(2).sum(-1).mean()
    sparsity = z.abs().sum(-1).mean()
    logits = F.normalize(z, dim=-1, eps=1e-8) @ W_c.T + c            # (batch, n_classes)
    return reconstruction + lam * sparsity + gamma * F.cross_entropy(logits, y)


def _encoder(g, batch, n, m, dtype=torch.float32, lateral=True):
    x = torch.rand(batch, n, generator=g, dtype=dtype)
    W_e = torch.randn(m, n, generator=g, dtype=dtype) / n ** 0.5
    S = torch.randn(m, m, generator=g, dtype=dtype) / m ** 0.5 * float(lateral)
    b = 0.1 * torch.rand(m, generator=g, dtype=dtype)
    return x, W_e, S, b


def check_drsae_encode(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                       quiet: bool = False) -> Report:
    """Compare ``student_fn(x, W_e, S, b, n_iter)`` with the DrSAE encoder on four cases."""
    g = torch.Generator().manual_seed(seed)
    one = _encoder(g, 3, 6, 10)
    cases = [
        Case("n_iter = 1, x ∈ ℝ^{3×6}, z ∈ ℝ^{3×10}", (*one, 1), HINTS["first"]),
        Case("S = 0, n_iter = 4", (*_encoder(g, 3, 6, 10, lateral=False), 4), HINTS["rows"]),
        Case("n_iter = 3, x ∈ ℝ^{3×6}", (*one, 3), HINTS["rows"]),
        Case("n_iter = 6, x ∈ ℝ^{5×8} (float64), z ∈ ℝ^{5×12}",
             (*_encoder(g, 5, 8, 12, torch.float64), 6), HINTS["first"]),
    ]
    return run_cases("drsae_encode_student", student_fn, drsae_encode, cases,
                     arg_names=("x", "W_e", "S", "b", "n_iter"), lang=lang, quiet=quiet)


def _loss_problem(g, batch, n, m, k, dtype=torch.float32):
    x = torch.rand(batch, n, generator=g, dtype=dtype)
    z = torch.rand(batch, m, generator=g, dtype=dtype) * (torch.rand(batch, m, generator=g) < 0.5)
    z[:, 0] += 0.1                                       # no all-zero code
    W_d = F.normalize(torch.randn(n, m, generator=g, dtype=dtype), dim=0)
    W_c = torch.randn(k, m, generator=g, dtype=dtype)
    c = torch.randn(k, generator=g, dtype=dtype)
    y = torch.randint(0, k, (batch,), generator=g)
    return x, y, z, W_d, W_c, c


def check_drsae_loss(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                     quiet: bool = False) -> Report:
    """Compare ``student_fn(x, y, z, W_d, W_c, c, lam, gamma)`` with DrSAE's loss on four cases."""
    g = torch.Generator().manual_seed(seed)
    p = _loss_problem(g, 4, 6, 10, 3)
    cases = [
        Case("λ = 0, γ = 0: ½‖x − W_d z‖²", (*p, 0.0, 0.0), HINTS["reconstruction"]),
        Case("λ = 0.5, γ = 0", (*p, 0.5, 0.0), HINTS["l1"]),
        Case("λ = 0, γ = 2", (*p, 0.0, 2.0), HINTS["classifier"]),
        Case("λ = 0.1, γ = 5, batch 7 (float64)",
             (*_loss_problem(g, 7, 8, 12, 4, torch.float64), 0.1, 5.0), HINTS["classifier"]),
    ]
    return run_cases("drsae_loss_student", student_fn, drsae_loss, cases,
                     arg_names=("x", "y", "z", "W_d", "W_c", "c", "lam", "gamma"), lang=lang,
                     quiet=quiet)
