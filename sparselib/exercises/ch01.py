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

__all__ = ["check_soft_threshold", "check_ista_step", "check_fista_step", "check_lista_forward",
           "ista_step", "fista_step", "lista_forward"]

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
    "momentum_index": {
        "en": "the weight of the extrapolation is (t_k − 1) / t_{k+1}: compute t_{k+1} from the t_k you "
              "were given, and do not advance t before using it. At t_k = 1 the weight is 0, so the "
              "step is a plain ISTA step from z^{(k)}; a weight (t_{k+1} − 1) / t_{k+2}, or t_k in the "
              "denominator, shifts the schedule by one iteration.",
        "es": "el peso de la extrapolación es (t_k − 1) / t_{k+1}: calcula t_{k+1} a partir del t_k que "
              "recibes y no avances t antes de usarlo. Con t_k = 1 el peso es 0, así que el paso es un "
              "paso de ISTA desde z^{(k)}; un peso (t_{k+1} − 1) / t_{k+2}, o t_k en el denominador, "
              "desplaza el calendario una iteración.",
        "it": "il peso dell'estrapolazione è (t_k − 1) / t_{k+1}: calcola t_{k+1} dal t_k ricevuto e non "
              "far avanzare t prima di usarlo. Con t_k = 1 il peso è 0, quindi il passo è un semplice "
              "passo di ISTA da z^{(k)}; un peso (t_{k+1} − 1) / t_{k+2}, o t_k al denominatore, sposta "
              "la sequenza di un'iterazione.",
        "fr": "le poids de l'extrapolation est (t_k − 1) / t_{k+1} : calculez t_{k+1} à partir du t_k "
              "reçu, et n'avancez pas t avant de l'utiliser. Pour t_k = 1 le poids est nul : le pas est "
              "un simple pas d'ISTA depuis z^{(k)} ; un poids (t_{k+1} − 1) / t_{k+2}, ou t_k au "
              "dénominateur, décale la suite d'une itération.",
        "fa": "وزن برون‌یابی (t_k − 1) / t_{k+1} است: t_{k+1} را از همان t_k داده‌شده حساب کنید و پیش از "
              "به‌کاربردن t آن را جلو نبرید. در t_k = 1 وزن صفر است، پس گام یک گام سادهٔ ISTA از z^{(k)} است؛ "
              "وزن (t_{k+1} − 1) / t_{k+2}، یا t_k در مخرج، زمان‌بندی را یک تکرار جابه‌جا می‌کند.",
        "ko": "외삽 가중치는 (t_k − 1) / t_{k+1}입니다. 주어진 t_k로 t_{k+1}을 계산하고, 쓰기 전에 t를 "
              "한 단계 앞당기지 마세요. t_k = 1이면 가중치가 0이므로 z^{(k)}에서 출발하는 평범한 ISTA "
              "단계가 됩니다. (t_{k+1} − 1) / t_{k+2}를 쓰거나 분모에 t_k를 쓰면 일정이 한 반복 밀립니다.",
    },
    "momentum_sign": {
        "en": "extrapolate forwards, along the last move: y = z^{(k)} + w (z^{(k)} − z^{(k−1)}) with w ≥ 0. "
              "A minus sign, or z^{(k−1)} − z^{(k)}, steps back towards the previous code.",
        "es": "extrapola hacia delante, en la dirección del último movimiento: y = z^{(k)} + w (z^{(k)} − "
              "z^{(k−1)}) con w ≥ 0. Un signo menos, o z^{(k−1)} − z^{(k)}, retrocede hacia el código anterior.",
        "it": "estrapola in avanti, lungo l'ultimo spostamento: y = z^{(k)} + w (z^{(k)} − z^{(k−1)}) con "
              "w ≥ 0. Un segno meno, o z^{(k−1)} − z^{(k)}, torna indietro verso il codice precedente.",
        "fr": "extrapolez vers l'avant, dans le sens du dernier déplacement : y = z^{(k)} + w (z^{(k)} − "
              "z^{(k−1)}) avec w ≥ 0. Un signe moins, ou z^{(k−1)} − z^{(k)}, revient vers le code précédent.",
        "fa": "به جلو و در جهت آخرین حرکت برون‌یابی کنید: y = z^{(k)} + w (z^{(k)} − z^{(k−1)}) با w ≥ 0. "
              "علامت منفی، یا z^{(k−1)} − z^{(k)}، به سمت کد قبلی برمی‌گردد.",
        "ko": "마지막 이동 방향으로 앞으로 외삽하세요: w ≥ 0에 대해 y = z^{(k)} + w (z^{(k)} − z^{(k−1)}). "
              "부호가 음수이거나 z^{(k−1)} − z^{(k)}를 쓰면 이전 코드 쪽으로 되돌아갑니다.",
    },
    "momentum_threshold": {
        "en": "the gradient step from y has size 1/L, and so does the threshold: soft_{λ/L}, not soft_λ. "
              "When z^{(k)} = z^{(k−1)} there is no momentum, and your step must be ISTA's.",
        "es": "el paso de gradiente desde y mide 1/L, y el umbral también: soft_{λ/L}, no soft_λ. Si "
              "z^{(k)} = z^{(k−1)} no hay momento, y tu paso debe ser el de ISTA.",
        "it": "il passo di gradiente da y è lungo 1/L, e così la soglia: soft_{λ/L}, non soft_λ. Se "
              "z^{(k)} = z^{(k−1)} non c'è momento, e il tuo passo deve essere quello di ISTA.",
        "fr": "le pas de gradient depuis y vaut 1/L, et le seuil aussi : soft_{λ/L}, pas soft_λ. Quand "
              "z^{(k)} = z^{(k−1)}, il n'y a pas d'inertie et votre pas doit être celui d'ISTA.",
        "fa": "گام گرادیان از y به اندازهٔ 1/L است و آستانه هم همین‌طور: soft_{λ/L}، نه soft_λ. وقتی "
              "z^{(k)} = z^{(k−1)} است تکانه‌ای در کار نیست و گام شما باید همان گام ISTA باشد.",
        "ko": "y에서의 스텝 크기는 1/L이고 임계값도 마찬가지입니다: soft_λ가 아니라 soft_{λ/L}. "
              "z^{(k)} = z^{(k−1)}이면 모멘텀이 없으므로 여러분의 단계는 ISTA의 단계와 같아야 합니다.",
    },
    "lista_first_layer": {
        "en": "S acts on the previous code z^{(k)}, not on the drive W_e x. With z^{(0)} = 0 the first "
              "layer gives z^{(1)} = soft_θ(W_e x): with T = 1, S plays no part at all.",
        "es": "S actúa sobre el código anterior z^{(k)}, no sobre el estímulo W_e x. Con z^{(0)} = 0, la "
              "primera capa da z^{(1)} = soft_θ(W_e x): con T = 1, S no interviene.",
        "it": "S agisce sul codice precedente z^{(k)}, non sull'ingresso W_e x. Con z^{(0)} = 0 il primo "
              "strato dà z^{(1)} = soft_θ(W_e x): con T = 1, S non interviene affatto.",
        "fr": "S agit sur le code précédent z^{(k)}, pas sur l'excitation W_e x. Avec z^{(0)} = 0, la "
              "première couche donne z^{(1)} = soft_θ(W_e x) : pour T = 1, S n'intervient pas du tout.",
        "fa": "S روی کد قبلی z^{(k)} اثر می‌کند، نه روی ورودی W_e x. با z^{(0)} = 0 لایهٔ اول "
              "z^{(1)} = soft_θ(W_e x) را می‌دهد: با T = 1 ماتریس S اصلاً نقشی ندارد.",
        "ko": "S는 입력 구동 W_e x가 아니라 이전 코드 z^{(k)}에 작용합니다. z^{(0)} = 0이므로 첫 층은 "
              "z^{(1)} = soft_θ(W_e x)를 냅니다. T = 1이면 S는 전혀 쓰이지 않습니다.",
    },
    "lista_layers": {
        "en": "T layers are T soft-thresholds, counted from z^{(0)} = 0: z^{(1)} = soft_θ(W_e x) is "
              "already the first. Starting from soft_θ(W_e x) and then looping T times adds a layer; "
              "looping T − 1 times from 0 drops one. With these weights, T layers equal T ISTA steps.",
        "es": "T capas son T umbralizaciones, contadas desde z^{(0)} = 0: z^{(1)} = soft_θ(W_e x) ya es la "
              "primera. Empezar en soft_θ(W_e x) y luego iterar T veces añade una capa; iterar T − 1 veces "
              "desde 0 quita una. Con estos pesos, T capas equivalen a T pasos de ISTA.",
        "it": "T strati sono T soglie, contate da z^{(0)} = 0: z^{(1)} = soft_θ(W_e x) è già il primo. "
              "Partire da soft_θ(W_e x) e poi ripetere T volte aggiunge uno strato; ripetere T − 1 volte "
              "da 0 ne toglie uno. Con questi pesi, T strati equivalgono a T passi di ISTA.",
        "fr": "T couches, ce sont T seuillages comptés depuis z^{(0)} = 0 : z^{(1)} = soft_θ(W_e x) est "
              "déjà la première. Partir de soft_θ(W_e x) puis boucler T fois ajoute une couche ; boucler "
              "T − 1 fois depuis 0 en retire une. Avec ces poids, T couches valent T pas d'ISTA.",
        "fa": "T لایه یعنی T بار آستانه‌گذاری، با شروع از z^{(0)} = 0: z^{(1)} = soft_θ(W_e x) خودش لایهٔ "
              "اول است. شروع از soft_θ(W_e x) و سپس T بار تکرار، یک لایه اضافه می‌کند؛ T − 1 بار تکرار از 0 "
              "یک لایه کم می‌کند. با این وزن‌ها، T لایه برابر T گام ISTA است.",
        "ko": "T개의 층은 z^{(0)} = 0에서 센 T번의 소프트 임계화입니다. z^{(1)} = soft_θ(W_e x)가 이미 첫 "
              "층입니다. soft_θ(W_e x)에서 시작해 T번 더 반복하면 층이 하나 늘고, 0에서 T − 1번 반복하면 "
              "하나 줄어듭니다. 이 가중치에서는 T개의 층이 ISTA T단계와 같습니다.",
    },
    "lista_transpose": {
        "en": "samples are rows: W_e x is x @ W_e.T and S z is z @ S.T. A learned S is not symmetric, "
              "so z @ S is a different network, and a square W_e hides the mistake from the shapes.",
        "es": "las muestras son filas: W_e x se escribe x @ W_e.T y S z, z @ S.T. Una S aprendida no es "
              "simétrica, así que z @ S es otra red, y una W_e cuadrada oculta el error en las formas.",
        "it": "i campioni sono righe: W_e x si scrive x @ W_e.T e S z si scrive z @ S.T. Una S appresa non "
              "è simmetrica, quindi z @ S è un'altra rete, e una W_e quadrata nasconde l'errore nelle forme.",
        "fr": "les exemples sont des lignes : W_e x s'écrit x @ W_e.T et S z s'écrit z @ S.T. Une S apprise "
              "n'est pas symétrique, donc z @ S est un autre réseau, et une W_e carrée cache l'erreur dans "
              "les formes.",
        "fa": "نمونه‌ها سطرها هستند: W_e x به صورت x @ W_e.T و S z به صورت z @ S.T نوشته می‌شود. S آموخته‌شده "
              "متقارن نیست، پس z @ S شبکهٔ دیگری است، و W_e مربعی این خطا را در شکل‌ها پنهان می‌کند.",
        "ko": "샘플은 행입니다: W_e x는 x @ W_e.T, S z는 z @ S.T로 씁니다. 학습된 S는 대칭이 아니므로 "
              "z @ S는 다른 네트워크이고, W_e가 정사각이면 모양만으로는 실수가 드러나지 않습니다.",
    },
    "lista_every_layer": {
        "en": "the soft-threshold is inside the recurrence: threshold after every layer, so that the "
              "next layer's S z^{(k)} sees a sparse code. Thresholding once at the end gives a linear "
              "recurrence and a different code.",
        "es": "la umbralización está dentro de la recurrencia: umbraliza tras cada capa, para que el "
              "S z^{(k)} de la siguiente vea un código disperso. Umbralizar una sola vez al final da una "
              "recurrencia lineal y otro código.",
        "it": "la soglia è dentro la ricorrenza: applicala dopo ogni strato, così che l'S z^{(k)} dello "
              "strato successivo veda un codice sparso. Applicarla una sola volta alla fine dà una "
              "ricorrenza lineare e un altro codice.",
        "fr": "le seuillage est dans la récurrence : seuillez après chaque couche, pour que le S z^{(k)} "
              "de la couche suivante voie un code parcimonieux. Seuiller une seule fois à la fin donne une "
              "récurrence linéaire et un autre code.",
        "fa": "آستانه‌گذاری درون بازگشت است: پس از هر لایه آستانه بگذارید تا S z^{(k)} لایهٔ بعد یک کد تنک "
              "ببیند. یک بار آستانه‌گذاری در پایان، یک بازگشت خطی و کدی دیگر می‌دهد.",
        "ko": "소프트 임계화는 재귀 안에 있습니다. 매 층마다 임계화해야 다음 층의 S z^{(k)}가 희소 "
              "코드를 봅니다. 마지막에 한 번만 적용하면 선형 재귀가 되어 다른 코드가 나옵니다.",
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
