"""Chapter 3 (group sparsity and topographic maps): block soft-thresholding, torus penalty.

Shapes follow the package: ``z, v: (batch, n_atoms)``; a grouping ``G: (n_groups, n_atoms)``
with ``G[j, i] = 1`` when unit ``i`` is in pool ``j``; a torus of ``side × side`` units holds
``n_atoms = side²`` units numbered row-major.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
from torch import Tensor

from ..groups import contiguous_groups, torus_groups
from ..penalties import group_l2
from ..prox import group_soft_threshold
from . import Case, Report, run_cases

__all__ = ["check_group_soft_threshold", "check_torus_penalty", "torus_penalty"]

HINTS = {
    "factor": {
        "en": "every pool is multiplied by one factor, max(0, 1 - t / ||v_P||_2), where ||v_P||_2 "
              "is the length of the pool (square root of the sum of its squares).",
        "es": "cada grupo se multiplica por un único factor, max(0, 1 - t / ||v_P||_2), donde "
              "||v_P||_2 es la longitud del grupo (raíz de la suma de sus cuadrados).",
        "it": "ogni gruppo è moltiplicato per un solo fattore, max(0, 1 - t / ||v_P||_2), dove "
              "||v_P||_2 è la lunghezza del gruppo (radice della somma dei suoi quadrati).",
        "fr": "chaque groupe est multiplié par un seul facteur, max(0, 1 - t / ||v_P||_2), où "
              "||v_P||_2 est la longueur du groupe (racine de la somme de ses carrés).",
        "fa": "هر گروه در یک ضریب ضرب می‌شود: max(0, 1 - t / ||v_P||_2)، که ||v_P||_2 طول گروه "
              "است (ریشهٔ مجموع مربع‌های آن).",
        "ko": "각 그룹 전체에 하나의 계수 max(0, 1 - t / ||v_P||_2)를 곱합니다. ||v_P||_2는 "
              "그룹의 길이(제곱합의 제곱근)입니다.",
    },
    "singletons": {
        "en": "with pools of one unit, block soft-thresholding must give the ordinary "
              "soft-threshold sign(v) * max(|v| - t, 0).",
        "es": "con grupos de una unidad, el umbral por bloques debe dar el umbral suave "
              "ordinario sign(v) * max(|v| - t, 0).",
        "it": "con gruppi di un'unità, la soglia a blocchi deve dare la soglia morbida "
              "ordinaria sign(v) * max(|v| - t, 0).",
        "fr": "avec des groupes d'une unité, le seuillage par blocs doit donner le seuillage "
              "doux ordinaire sign(v) * max(|v| - t, 0).",
        "fa": "با گروه‌های تک‌واحدی، آستانه‌گذاری بلوکی باید همان آستانه‌گذاری نرم معمولی "
              "sign(v) * max(|v| - t, 0) را بدهد.",
        "ko": "단위 하나짜리 그룹에서는 블록 소프트 임계값이 보통의 소프트 임계값 "
              "sign(v) * max(|v| - t, 0)과 같아야 합니다.",
    },
    "zero_pool": {
        "en": "a pool that is all zeros has length 0: avoid dividing by it (for example clamp "
              "the length to a tiny positive number) so that no NaN appears; it stays 0.",
        "es": "un grupo de ceros tiene longitud 0: no dividas por ella (por ejemplo, acótala "
              "por debajo con un número positivo diminuto) para que no aparezca NaN; sigue en 0.",
        "it": "un gruppo tutto nullo ha lunghezza 0: non dividere per essa (per esempio "
              "limitala dal basso con un numero positivo minuscolo) così che non compaia NaN; resta 0.",
        "fr": "un groupe entièrement nul a une longueur 0 : ne divisez pas par elle (par exemple, "
              "minorez-la par un tout petit nombre positif) pour éviter les NaN ; il reste à 0.",
        "fa": "طول گروهی که همه‌اش صفر است 0 است: بر آن تقسیم نکنید (مثلاً آن را از پایین به "
              "عددی مثبت و بسیار کوچک محدود کنید) تا NaN پدید نیاید؛ این گروه 0 می‌ماند.",
        "ko": "모두 0인 그룹의 길이는 0입니다. NaN이 생기지 않도록 그 값으로 나누지 마세요 "
              "(예: 길이를 아주 작은 양수 이상으로 제한). 그 그룹은 0으로 남습니다.",
    },
    "ungrouped": {
        "en": "units that belong to no pool (a column of G that is all zeros) are not "
              "penalised: they pass through unchanged.",
        "es": "las unidades que no pertenecen a ningún grupo (una columna de G toda en ceros) "
              "no se penalizan: pasan sin cambios.",
        "it": "le unità che non appartengono ad alcun gruppo (una colonna di G tutta nulla) non "
              "sono penalizzate: passano invariate.",
        "fr": "les unités qui n'appartiennent à aucun groupe (une colonne de G entièrement nulle) "
              "ne sont pas pénalisées : elles passent inchangées.",
        "fa": "واحدهایی که در هیچ گروهی نیستند (ستونی از G که همه‌اش صفر است) جریمه نمی‌شوند "
              "و بدون تغییر عبور می‌کنند.",
        "ko": "어느 그룹에도 속하지 않는 단위(G의 열이 모두 0)는 벌점을 받지 않고 그대로 "
              "통과합니다.",
    },
    "window": {
        "en": "pool r*side + c holds the size x size window of units starting at row r, column c; "
              "add the squares over the window, take the square root, then sum over all side² pools.",
        "es": "el grupo r*side + c contiene la ventana de size x size unidades que empieza en la "
              "fila r, columna c; suma los cuadrados en la ventana, toma la raíz y suma sobre los side² grupos.",
        "it": "il gruppo r*side + c contiene la finestra di size x size unità che parte dalla riga r, "
              "colonna c; somma i quadrati nella finestra, prendi la radice e somma sui side² gruppi.",
        "fr": "le groupe r*side + c contient la fenêtre de size x size unités qui commence à la "
              "ligne r, colonne c ; sommez les carrés sur la fenêtre, prenez la racine, puis sommez "
              "sur les side² groupes.",
        "fa": "گروه r*side + c پنجرهٔ size x size از واحدها است که از سطر r و ستون c شروع می‌شود؛ "
              "مربع‌ها را در پنجره جمع کنید، ریشه بگیرید و سپس روی همهٔ side² گروه جمع بزنید.",
        "ko": "그룹 r*side + c는 행 r, 열 c에서 시작하는 size x size 창의 단위들입니다. 창 안의 "
              "제곱을 더하고 제곱근을 취한 뒤 side²개 그룹 전체에 대해 더하세요.",
    },
    "wrap": {
        "en": "the map is a torus: windows that run past the last row or column continue on the "
              "first one (indices modulo side; torch.roll does exactly this).",
        "es": "el mapa es un toro: las ventanas que pasan de la última fila o columna continúan "
              "en la primera (índices módulo side; torch.roll hace exactamente eso).",
        "it": "la mappa è un toro: le finestre che superano l'ultima riga o colonna continuano "
              "sulla prima (indici modulo side; torch.roll fa esattamente questo).",
        "fr": "la carte est un tore : les fenêtres qui dépassent la dernière ligne ou colonne "
              "continuent sur la première (indices modulo side ; torch.roll fait exactement cela).",
        "fa": "نقشه یک چنبره است: پنجره‌هایی که از آخرین سطر یا ستون می‌گذرند از اولی ادامه "
              "می‌یابند (اندیس‌ها به پیمانهٔ side؛ torch.roll دقیقاً همین کار را می‌کند).",
        "ko": "지도는 토러스입니다. 마지막 행이나 열을 넘는 창은 첫 행이나 열로 이어집니다 "
              "(인덱스는 side로 나눈 나머지, torch.roll이 바로 이것을 합니다).",
    },
    "count": {
        "en": "one active unit lies in size² windows, so the penalty is size² * |z_i|.",
        "es": "una unidad activa está en size² ventanas, así que la penalización es size² * |z_i|.",
        "it": "un'unità attiva sta in size² finestre, quindi la penalità è size² * |z_i|.",
        "fr": "une unité active appartient à size² fenêtres, donc la pénalité vaut size² * |z_i|.",
        "fa": "یک واحد فعال در size² پنجره قرار دارد، پس جریمه size² * |z_i| است.",
        "ko": "활성 단위 하나는 size²개의 창에 속하므로 벌점은 size² * |z_i|입니다.",
    },
}


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
