"""Chapter 5 (lateral inhibition): one inference step with per-unit thresholds, and the
inhibition matrix of a tree.

Shapes follow the package: ``x: (batch, n_features)``, ``z: (batch, n_atoms)``,
``W_d: (n_features, n_atoms)`` with unit-norm columns, ``S: (n_atoms, n_atoms)`` (the
inhibition matrix, written ``V`` in the chapter's maths; the code keeps the lecture's ``S``).
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import torch
from torch import Tensor

from ..groups import Tree, tree_inhibition
from ..prox import soft_threshold
from ..solvers import lipschitz
from . import Case, Report, run_cases

__all__ = ["check_inhibition_step", "check_tree_inhibition", "inhibition_step",
           "tree_inhibition_from_parents"]

HINTS = {
    "thresholds": {
        "en": "every unit has its own threshold lam + (|z| @ S)_i, computed from the current "
              "code z (before the step), and the shrinkage uses it divided by L.",
        "es": "cada unidad tiene su propio umbral lam + (|z| @ S)_i, calculado con el código "
              "actual z (antes del paso), y la contracción lo usa dividido por L.",
        "it": "ogni unità ha la sua soglia lam + (|z| @ S)_i, calcolata dal codice attuale z "
              "(prima del passo), e la contrazione la usa divisa per L.",
        "fr": "chaque unité a son propre seuil lam + (|z| @ S)_i, calculé avec le code actuel z "
              "(avant le pas), et le rétrécissement l'utilise divisé par L.",
        "fa": "هر واحد آستانهٔ خودش را دارد: lam + (|z| @ S)_i که از کد فعلی z (پیش از گام) "
              "محاسبه می‌شود، و کوچک‌سازی آن را تقسیم بر L به کار می‌برد.",
        "ko": "각 단위는 현재 코드 z(단계 이전)로 계산한 자신만의 임계값 lam + (|z| @ S)_i를 "
              "가지며, 수축에는 이를 L로 나눈 값을 씁니다.",
    },
    "no_inhibition": {
        "en": "with S = 0 the step is the ISTA step of chapter 1: "
              "soft-threshold z + (x - z @ W_d.T) @ W_d / L at lam / L.",
        "es": "con S = 0 el paso es el de ISTA del capítulo 1: umbral suave de "
              "z + (x - z @ W_d.T) @ W_d / L en lam / L.",
        "it": "con S = 0 il passo è quello di ISTA del capitolo 1: soglia morbida di "
              "z + (x - z @ W_d.T) @ W_d / L a lam / L.",
        "fr": "avec S = 0 le pas est celui d'ISTA du chapitre 1 : seuillage doux de "
              "z + (x - z @ W_d.T) @ W_d / L au seuil lam / L.",
        "fa": "با S = 0 این گام همان گام ISTA فصل ۱ است: آستانه‌گذاری نرم "
              "z + (x - z @ W_d.T) @ W_d / L با آستانهٔ lam / L.",
        "ko": "S = 0이면 이 단계는 1장의 ISTA 단계입니다: z + (x - z @ W_d.T) @ W_d / L을 "
              "lam / L에서 소프트 임계값 처리합니다.",
    },
    "absolute": {
        "en": "the inhibition a unit receives depends on the magnitudes |z_j| of the others, "
              "not on their signs.",
        "es": "la inhibición que recibe una unidad depende de las magnitudes |z_j| de las demás, "
              "no de sus signos.",
        "it": "l'inibizione che un'unità riceve dipende dalle ampiezze |z_j| delle altre, "
              "non dai loro segni.",
        "fr": "l'inhibition reçue par une unité dépend des amplitudes |z_j| des autres, "
              "pas de leurs signes.",
        "fa": "مهاری که یک واحد دریافت می‌کند به اندازه‌های |z_j| بقیه بستگی دارد، "
              "نه به علامت‌هایشان.",
        "ko": "한 단위가 받는 억제는 다른 단위의 부호가 아니라 크기 |z_j|에 따라 달라집니다.",
    },
    "branch": {
        "en": "S[i, j] = 0 when i == j or when one of i, j is an ancestor of the other "
              "(follow parent links up to the root); every other entry equals scale.",
        "es": "S[i, j] = 0 cuando i == j o cuando uno de i, j es ancestro del otro "
              "(sigue los enlaces al padre hasta la raíz); el resto de entradas vale scale.",
        "it": "S[i, j] = 0 quando i == j o quando uno tra i, j è antenato dell'altro "
              "(segui i collegamenti al genitore fino alla radice); ogni altra voce vale scale.",
        "fr": "S[i, j] = 0 quand i == j ou quand l'un de i, j est un ancêtre de l'autre "
              "(remontez les liens vers le parent jusqu'à la racine) ; les autres entrées valent scale.",
        "fa": "وقتی i == j یا یکی از i و j نیای دیگری باشد S[i, j] = 0 است (پیوندهای والد را "
              "تا ریشه دنبال کنید)؛ بقیهٔ درایه‌ها برابر scale هستند.",
        "ko": "i == j이거나 i, j 중 하나가 다른 하나의 조상이면 S[i, j] = 0입니다(부모 링크를 "
              "루트까지 따라가세요). 나머지 원소는 모두 scale입니다.",
    },
    "forest": {
        "en": "several roots (-1 entries) make a forest: units in different trees are on "
              "different branches, so they inhibit each other.",
        "es": "varias raíces (entradas -1) forman un bosque: las unidades de árboles distintos "
              "están en ramas distintas, así que se inhiben.",
        "it": "più radici (voci -1) formano una foresta: unità di alberi diversi stanno su rami "
              "diversi, quindi si inibiscono.",
        "fr": "plusieurs racines (entrées -1) forment une forêt : des unités d'arbres différents "
              "sont sur des branches différentes, donc elles s'inhibent.",
        "fa": "چند ریشه (درایه‌های -1) یک جنگل می‌سازند: واحدهای درخت‌های مختلف روی شاخه‌های "
              "متفاوت‌اند، پس یکدیگر را مهار می‌کنند.",
        "ko": "루트(-1 원소)가 여러 개면 숲이 됩니다. 서로 다른 트리의 단위는 다른 가지에 "
              "있으므로 서로 억제합니다.",
    },
    "dtype": {
        "en": "return a float32 tensor of shape (n, n), n = len(parent).",
        "es": "devuelve un tensor float32 de forma (n, n), n = len(parent).",
        "it": "restituisci un tensore float32 di forma (n, n), n = len(parent).",
        "fr": "renvoyez un tenseur float32 de forme (n, n), n = len(parent).",
        "fa": "یک تانسور float32 با شکل (n, n) برگردانید، n = len(parent).",
        "ko": "모양이 (n, n)인 float32 텐서를 반환하세요. n = len(parent)입니다.",
    },
}


def inhibition_step(x: Tensor, z: Tensor, W_d: Tensor, lam: float, S: Tensor, L: float) -> Tensor:
    """Reference step ``soft_{(lam + |z| S)/L}(z + (x - z W_dᵀ) W_d / L)``, shape ``(batch, n_atoms)``."""
    thr = lam + z.abs() @ S                                     # (batch, n_atoms)
    return soft_threshold(z + (x - z @ W_d.T) @ W_d / L, thr / L)


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
