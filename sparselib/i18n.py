"""Every word the explorers show, in the course's six languages, from one table.

Figures carry maths and numbers only; titles, slider labels and alt texts come from here.
``t(key, lang)`` returns the text; templates (keys ending in ``.alt``) are filled by the
caller with ``str.format``. A test fails when a key is missing in any language.

Persian is written right to left: :func:`direction` gives ``"rtl"`` for it, and the
explorers put that on their container while keeping plots and numbers left to right.
"""
from __future__ import annotations

import os
import sys
from typing import Optional

__all__ = ["LANGUAGES", "RTL", "TEXTS", "t", "direction", "check_lang", "notebook_language"]

LANGUAGES = ("en", "es", "it", "fr", "fa", "ko")
RTL = frozenset({"fa"})

# key -> {lang: text}. Terminology follows the chapters: "lateral inhibition" (never
# "natural inhibition"), "part units" / "categorical units" as in the DrSAE lecture.
TEXTS: dict[str, dict[str, str]] = {
    # --- 1. penalty geometry
    "penalty.title": {
        "en": "Penalty geometry: level sets and where the proximal operator sends a point",
        "es": "Geometría de las penalizaciones: curvas de nivel y adónde lleva un punto el operador proximal",
        "it": "Geometria delle penalità: insiemi di livello e dove l'operatore prossimale porta un punto",
        "fr": "Géométrie des pénalités : lignes de niveau et image d'un point par l'opérateur proximal",
        "fa": "هندسهٔ جریمه‌ها: مجموعه‌های تراز و جایی که عملگر نزدیکی یک نقطه را می‌برد",
        "ko": "페널티의 기하: 등위선과 근접 연산자가 점을 보내는 곳",
    },
    "penalty.lam": {
        "en": "penalty weight λ", "es": "peso de la penalización λ",
        "it": "peso della penalità λ", "fr": "poids de la pénalité λ",
        "fa": "وزن جریمه λ", "ko": "페널티 가중치 λ",
    },
    "penalty.alt": {
        "en": "λ = {lam}. Level sets of three penalties in the plane. The point ({v1}, {v2}) is "
              "sent by the proximal operator to ({a1}, {a2}) with the L1 norm, to ({b1}, {b2}) "
              "with the group L2 norm and to ({c1}, {c2}) with lateral inhibition; the shaded "
              "areas are the points sent onto an axis or to 0.",
        "es": "λ = {lam}. Curvas de nivel de tres penalizaciones en el plano. El operador proximal "
              "lleva el punto ({v1}, {v2}) a ({a1}, {a2}) con la norma L1, a ({b1}, {b2}) con la "
              "norma L2 por grupos y a ({c1}, {c2}) con la inhibición lateral; las zonas sombreadas "
              "son los puntos enviados a un eje o a 0.",
        "it": "λ = {lam}. Insiemi di livello di tre penalità nel piano. L'operatore prossimale porta "
              "il punto ({v1}, {v2}) in ({a1}, {a2}) con la norma L1, in ({b1}, {b2}) con la norma "
              "L2 a gruppi e in ({c1}, {c2}) con l'inibizione laterale; le zone ombreggiate sono i "
              "punti mandati su un asse o in 0.",
        "fr": "λ = {lam}. Lignes de niveau de trois pénalités dans le plan. L'opérateur proximal "
              "envoie le point ({v1}, {v2}) en ({a1}, {a2}) avec la norme L1, en ({b1}, {b2}) avec "
              "la norme L2 par groupes et en ({c1}, {c2}) avec l'inhibition latérale ; les zones "
              "ombrées sont les points envoyés sur un axe ou en 0.",
        "fa": "λ = {lam}. مجموعه‌های تراز سه جریمه در صفحه. عملگر نزدیکی نقطهٔ ({v1}, {v2}) را با "
              "نُرم L1 به ({a1}, {a2})، با نُرم L2 گروهی به ({b1}, {b2}) و با مهار جانبی به "
              "({c1}, {c2}) می‌برد؛ ناحیه‌های سایه‌دار نقطه‌هایی‌اند که روی یک محور یا به 0 برده می‌شوند.",
        "ko": "λ = {lam}. 평면에서 세 페널티의 등위선. 근접 연산자는 점 ({v1}, {v2})를 L1 노름에서는 "
              "({a1}, {a2})로, 그룹 L2 노름에서는 ({b1}, {b2})로, 측면 억제에서는 ({c1}, {c2})로 "
              "보냅니다. 음영 영역은 축 위나 0으로 보내지는 점들입니다.",
    },
    # --- 2. sparse code vs λ
    "code.title": {
        "en": "Sparse code of one digit as λ changes, and ISTA's convergence as its step η changes",
        "es": "Código disperso de un dígito según λ, y convergencia de ISTA según su paso η",
        "it": "Codice sparso di una cifra al variare di λ, e convergenza di ISTA al variare del passo η",
        "fr": "Code parcimonieux d'un chiffre selon λ, et convergence d'ISTA selon son pas η",
        "fa": "کد تنک یک رقم با تغییر λ، و همگرایی ISTA با تغییر گام η",
        "ko": "λ에 따른 한 숫자의 희소 코드와 스텝 η에 따른 ISTA의 수렴",
    },
    "code.lam": {
        "en": "sparsity weight λ", "es": "peso de dispersión λ", "it": "peso della sparsità λ",
        "fr": "poids de parcimonie λ", "fa": "وزن تنکی λ", "ko": "희소성 가중치 λ",
    },
    "code.eta": {
        "en": "step η of ISTA, in units of 1/L", "es": "paso η de ISTA, en unidades de 1/L",
        "it": "passo η di ISTA, in unità di 1/L", "fr": "pas η d'ISTA, en unités de 1/L",
        "fa": "گام η در ISTA، بر حسب 1/L", "ko": "ISTA의 스텝 η (1/L 단위)",
    },
    "code.alt": {
        "en": "λ = {lam}: {n} of {m} code entries are non-zero; the relative reconstruction "
              "error is {err}. Left: the digit and its reconstruction, then the code. Right: ISTA "
              "with the step η = {eta}/L: after {k} steps the relative energy gap is {gap}; {state}.",
        "es": "λ = {lam}: {n} de {m} entradas del código son distintas de cero; el error relativo "
              "de reconstrucción es {err}. Izquierda: el dígito y su reconstrucción, luego el código. "
              "Derecha: ISTA con el paso η = {eta}/L: tras {k} pasos la diferencia relativa de energía "
              "es {gap}; {state}.",
        "it": "λ = {lam}: {n} di {m} componenti del codice sono non nulle; l'errore relativo di "
              "ricostruzione è {err}. A sinistra: la cifra e la sua ricostruzione, poi il codice. A "
              "destra: ISTA con il passo η = {eta}/L: dopo {k} passi lo scarto relativo di energia è "
              "{gap}; {state}.",
        "fr": "λ = {lam} : {n} des {m} composantes du code sont non nulles ; l'erreur relative de "
              "reconstruction vaut {err}. À gauche : le chiffre et sa reconstruction, puis le code. "
              "À droite : ISTA avec le pas η = {eta}/L : après {k} pas, l'écart relatif d'énergie vaut "
              "{gap} ; {state}.",
        "fa": "λ = {lam}: {n} از {m} مؤلفهٔ کد ناصفرند؛ خطای نسبی بازسازی {err} است. چپ: رقم و "
              "بازسازی آن، سپس کد. راست: ISTA با گام η = {eta}/L: پس از {k} گام، فاصلهٔ نسبی انرژی "
              "{gap} است؛ {state}.",
        "ko": "λ = {lam}: 코드 성분 {m}개 중 {n}개가 0이 아닙니다. 상대 복원 오차는 {err}입니다. "
              "왼쪽: 숫자와 그 복원, 그리고 코드. 오른쪽: 스텝 η = {eta}/L인 ISTA: {k}단계 후 상대 "
              "에너지 격차는 {gap}입니다. {state}.",
    },
    "code.fell": {
        "en": "the energy fell at every step", "es": "la energía bajó en cada paso",
        "it": "l'energia è scesa a ogni passo", "fr": "l'énergie a baissé à chaque pas",
        "fa": "انرژی در هر گام کاهش یافت", "ko": "에너지가 매 단계 줄었습니다",
    },
    "code.rose": {
        "en": "the energy rose in {rises} of {steps} steps",
        "es": "la energía subió en {rises} de {steps} pasos",
        "it": "l'energia è salita in {rises} passi su {steps}",
        "fr": "l'énergie a augmenté à {rises} pas sur {steps}",
        "fa": "انرژی در {rises} گام از {steps} گام افزایش یافت",
        "ko": "에너지가 {steps}단계 중 {rises}단계에서 올랐습니다",
    },
    "code.diverged": {
        "en": "the energy ended above that of z = 0: ISTA diverged",
        "es": "la energía terminó por encima de la de z = 0: ISTA divergió",
        "it": "l'energia è finita sopra quella di z = 0: ISTA è divergente",
        "fr": "l'énergie a fini au-dessus de celle de z = 0 : ISTA a divergé",
        "fa": "انرژی در پایان از انرژی z = 0 بیشتر شد: ISTA واگرا شد",
        "ko": "에너지가 z = 0의 에너지보다 높게 끝났습니다. ISTA가 발산했습니다",
    },
    # --- 3. DrSAE over iterations
    "drsae.title": {
        "en": "DrSAE: the code over the iterations (part units settle first, categorical units build up)",
        "es": "DrSAE: el código a lo largo de las iteraciones (las unidades de partes se estabilizan "
              "primero, las categóricas crecen después)",
        "it": "DrSAE: il codice lungo le iterazioni (le unità di parte si stabilizzano prima, "
              "quelle categoriche crescono poi)",
        "fr": "DrSAE : le code au fil des itérations (les unités de parties se stabilisent d'abord, "
              "les unités catégorielles croissent ensuite)",
        "fa": "DrSAE: کد در طول تکرارها (واحدهای جزء زودتر پایدار می‌شوند و واحدهای رده‌ای کم‌کم رشد می‌کنند)",
        "ko": "DrSAE: 반복에 따른 코드 (부분 유닛이 먼저 자리 잡고 범주 유닛이 점차 커짐)",
    },
    "drsae.t": {
        "en": "iteration k", "es": "iteración k", "it": "iterazione k", "fr": "itération k",
        "fa": "تکرار k", "ko": "반복 k",
    },
    "drsae.sample": {
        "en": "input digit", "es": "dígito de entrada", "it": "cifra in ingresso",
        "fr": "chiffre en entrée", "fa": "رقم ورودی", "ko": "입력 숫자",
    },
    "drsae.alt": {
        "en": "Input {sample}, iteration {t} of {T}: {n} units active. Part units are at {part} % "
              "and categorical units at {cat} % of their final activity. The classifier reads "
              "digit {pred} from this code, with probability {prob} %; read after this iteration it "
              "classifies {acc} % of "
              "the test digits correctly.",
        "es": "Entrada {sample}, iteración {t} de {T}: {n} unidades activas. Las unidades de partes "
              "están al {part} % y las categóricas al {cat} % de su actividad final. El "
              "clasificador lee el dígito {pred} en este código, con probabilidad {prob} %; leído "
              "tras esta iteración, "
              "acierta el {acc} % de los dígitos de prueba.",
        "it": "Input {sample}, iterazione {t} di {T}: {n} unità attive. Le unità di parte sono al "
              "{part} % e quelle categoriche al {cat} % della loro attività finale. Il "
              "classificatore legge la cifra {pred} da questo codice, con probabilità {prob} %; "
              "letto dopo questa "
              "iterazione, classifica correttamente il {acc} % delle cifre di test.",
        "fr": "Entrée {sample}, itération {t} sur {T} : {n} unités actives. Les unités de parties "
              "sont à {part} % et les unités catégorielles à {cat} % de leur activité finale. Le "
              "classifieur lit le chiffre {pred} dans ce code, avec une probabilité de {prob} % ; "
              "lu après cette itération, il "
              "classe correctement {acc} % des chiffres de test.",
        "fa": "ورودی {sample}، تکرار {t} از {T}: {n} واحد فعال. واحدهای جزء در {part} ٪ و واحدهای "
              "رده‌ای در {cat} ٪ فعالیت نهایی خود هستند. دسته‌بند از این کد رقم {pred} را "
              "با احتمال {prob} ٪ می‌خواند؛ اگر پس از این تکرار خوانده شود، {acc} ٪ از رقم‌های آزمون را درست "
              "دسته‌بندی می‌کند.",
        "ko": "입력 {sample}, 반복 {t}/{T}: 활성 유닛 {n}개. 부분 유닛은 최종 활동의 {part} %, "
              "범주 유닛은 {cat} %에 있습니다. 분류기는 이 코드에서 숫자 {pred}을(를) {prob} %의 확률로 읽으며, "
              "이 반복 뒤에 읽으면 테스트 숫자의 {acc} %를 올바르게 분류합니다.",
    },
    # --- 4. group sparsity
    "group.title": {
        "en": "Group sparsity: which units switch on together",
        "es": "Dispersión por grupos: qué unidades se activan juntas",
        "it": "Sparsità di gruppo: quali unità si accendono insieme",
        "fr": "Parcimonie de groupe : quelles unités s'allument ensemble",
        "fa": "تنکی گروهی: کدام واحدها با هم روشن می‌شوند",
        "ko": "그룹 희소성: 어떤 유닛이 함께 켜지는가",
    },
    "group.size": {
        "en": "pool width w (blocks of w × w units)", "es": "ancho del grupo w (bloques de w × w unidades)",
        "it": "larghezza del gruppo w (blocchi di w × w unità)",
        "fr": "largeur du groupe w (blocs de w × w unités)",
        "fa": "پهنای گروه w (بلوک‌های w × w واحد)", "ko": "그룹 너비 w (w × w 유닛 블록)",
    },
    "group.lam": {
        "en": "sparsity weight λ", "es": "peso de dispersión λ", "it": "peso della sparsità λ",
        "fr": "poids de parcimonie λ", "fa": "وزن تنکی λ", "ko": "희소성 가중치 λ",
    },
    "group.alt": {
        "en": "Blocks of {w} × {w} units, λ = {lam}: {n} of {m} units active, in {g} of {G} "
              "groups. Left: the code on the grid of units; middle: the code that made the input; "
              "right: for every group, the norm of its correlations with the residual divided by λ. "
              "The active groups are at 1; the largest among the groups that are off is {off}.",
        "es": "Bloques de {w} × {w} unidades, λ = {lam}: {n} de {m} unidades activas, en {g} de {G} "
              "grupos. Izquierda: el código en la rejilla de unidades; centro: el código que generó la entrada; "
              "derecha: para cada grupo, la norma de sus correlaciones con el residuo dividida por λ. "
              "Los grupos activos están en 1; el mayor entre los grupos apagados es {off}.",
        "it": "Blocchi di {w} × {w} unità, λ = {lam}: {n} di {m} unità attive, in {g} di {G} "
              "gruppi. A sinistra: il codice sulla griglia di unità; al centro: il codice che ha generato l'input; "
              "a destra: per ogni gruppo, la norma delle sue correlazioni con il residuo divisa per λ. "
              "I gruppi attivi sono a 1; il più grande tra i gruppi spenti è {off}.",
        "fr": "Blocs de {w} × {w} unités, λ = {lam} : {n} des {m} unités actives, dans {g} des {G} "
              "groupes. À gauche : le code sur la grille d'unités ; au milieu : le code qui a produit l'entrée ; "
              "à droite : pour chaque groupe, la norme de ses corrélations avec le résidu divisée par λ. "
              "Les groupes actifs sont à 1 ; le plus grand parmi les groupes éteints vaut {off}.",
        "fa": "بلوک‌های {w} × {w} واحدی، λ = {lam}: {n} از {m} واحد فعال، در {g} از {G} گروه. "
              "چپ: کد روی شبکهٔ واحدها؛ وسط: کدی که ورودی را ساخته است؛ راست: برای هر گروه، نُرم "
              "همبستگی‌هایش با باقی‌مانده تقسیم بر λ. گروه‌های فعال روی 1 هستند؛ بزرگ‌ترین مقدار در میان "
              "گروه‌های خاموش {off} است.",
        "ko": "{w} × {w} 유닛 블록, λ = {lam}: 유닛 {m}개 중 {n}개가 활성, 그룹 {G}개 중 {g}개. "
              "왼쪽: 유닛 격자 위의 코드, 가운데: 입력을 만든 코드, 오른쪽: 그룹마다 잔차와의 상관의 "
              "노름을 λ로 나눈 값. 활성 그룹은 1에 있고, 꺼진 그룹 중 가장 큰 값은 {off}입니다.",
    },
    # --- 5. lateral inhibition on a tree
    "inhibition.title": {
        "en": "Lateral inhibition ½|z|ᵀV|z| on a tree, V = α·tree_inhibition: which units can be active together, and what it costs in reconstruction",
        "es": "Inhibición lateral ½|z|ᵀV|z| en un árbol, V = α·tree_inhibition: qué unidades pueden estar activas a la vez y cuánto cuesta en reconstrucción",
        "it": "Inibizione laterale ½|z|ᵀV|z| su un albero, V = α·tree_inhibition: quali unità possono essere attive insieme e quanto costa in ricostruzione",
        "fr": "Inhibition latérale ½|z|ᵀV|z| sur un arbre, V = α·tree_inhibition : quelles unités peuvent être actives ensemble, et ce que cela coûte en reconstruction",
        "fa": "مهار جانبی ½|z|ᵀV|z| روی درخت، V = α·tree_inhibition: کدام واحدها می‌توانند با هم فعال باشند و این در بازسازی چه هزینه‌ای دارد",
        "ko": "트리 위의 측면 억제 ½|z|ᵀV|z|, V = α·tree_inhibition: 어떤 유닛이 함께 활성일 수 있고 복원에서 무엇을 잃는가",
    },
    "inhibition.scale": {
        "en": "inhibition strength α", "es": "intensidad de la inhibición α",
        "it": "intensità dell'inibizione α", "fr": "intensité de l'inhibition α",
        "fa": "شدت مهار α", "ko": "억제 강도 α",
    },
    "inhibition.sample": {
        "en": "input", "es": "entrada", "it": "input", "fr": "entrée", "fa": "ورودی", "ko": "입력",
    },
    "inhibition.alt": {
        "en": "Inhibition strength α = {alpha}. Input {sample} activates units {units}. Over {B} inputs, "
              "{off} co-active pairs lie on different branches and {on} on one branch; the relative "
              "reconstruction error is {err} (without inhibition, same dictionary: {err0}), with {act} "
              "active units per input ({act0} without).",
        "es": "Intensidad de la inhibición α = {alpha}. La entrada {sample} activa las unidades {units}. "
              "En {B} entradas, {off} pares coactivos están en ramas distintas y {on} en una misma rama; "
              "el error relativo de reconstrucción es {err} (sin inhibición, con el mismo diccionario: "
              "{err0}), con {act} unidades activas por entrada ({act0} sin ella).",
        "it": "Intensità dell'inibizione α = {alpha}. L'input {sample} attiva le unità {units}. Su {B} "
              "input, {off} coppie coattive stanno su rami diversi e {on} su uno stesso ramo; l'errore "
              "relativo di ricostruzione è {err} (senza inibizione, con lo stesso dizionario: {err0}), "
              "con {act} unità attive per input ({act0} senza).",
        "fr": "Intensité de l'inhibition α = {alpha}. L'entrée {sample} active les unités {units}. Sur "
              "{B} entrées, {off} paires coactives sont sur des branches différentes et {on} sur une même "
              "branche ; l'erreur relative de reconstruction vaut {err} (sans inhibition, avec le même "
              "dictionnaire : {err0}), avec {act} unités actives par entrée ({act0} sans).",
        "fa": "شدت مهار α = {alpha}. ورودی {sample} واحدهای {units} را فعال می‌کند. در {B} ورودی، {off} "
              "جفت هم‌فعال روی شاخه‌های متفاوت و {on} جفت روی یک شاخه‌اند؛ خطای نسبی بازسازی {err} است "
              "(بدون مهار، با همان واژه‌نامه: {err0})، با {act} واحد فعال برای هر ورودی ({act0} بدون مهار).",
        "ko": "억제 강도 α = {alpha}. 입력 {sample}은 유닛 {units}을 활성화합니다. 입력 {B}개에서 "
              "함께 활성인 쌍 중 {off}쌍은 서로 다른 가지에, {on}쌍은 한 가지에 있습니다. 상대 복원 "
              "오차는 {err}이고(억제 없이 같은 사전으로는 {err0}), 입력당 활성 유닛은 {act}개입니다"
              "(억제 없이는 {act0}개).",
    },
    # --- 6. L2 pooling and shifts
    "pooling.title": {
        "en": "L2 pooling: shift the input, compare feature maps and pooled outputs",
        "es": "Pooling L2: desplaza la entrada y compara los mapas de características con las salidas agrupadas",
        "it": "Pooling L2: sposta l'input e confronta le mappe di caratteristiche con le uscite aggregate",
        "fr": "Pooling L2 : décalez l'entrée, comparez les cartes de caractéristiques et les sorties agrégées",
        "fa": "ادغام L2: ورودی را جابه‌جا کنید و نقشه‌های ویژگی را با خروجی‌های ادغام‌شده مقایسه کنید",
        "ko": "L2 풀링: 입력을 이동하고 특징 맵과 풀링 출력을 비교하기",
    },
    "pooling.shift": {
        "en": "horizontal shift δ (pixels)", "es": "desplazamiento horizontal δ (píxeles)",
        "it": "spostamento orizzontale δ (pixel)", "fr": "décalage horizontal δ (pixels)",
        "fa": "جابه‌جایی افقی δ (پیکسل)", "ko": "수평 이동 δ (픽셀)",
    },
    "pooling.window": {
        "en": "pooling window w × w", "es": "ventana de pooling w × w",
        "it": "finestra di pooling w × w", "fr": "fenêtre de pooling w × w",
        "fa": "پنجرهٔ ادغام w × w", "ko": "풀링 창 w × w",
    },
    "pooling.alt": {
        "en": "Input shifted by δ = {d} pixels, pooling windows of {w} × {w} positions. Relative "
              "change from δ = 0: input {x}, feature maps {z}, pooled outputs {p}; the pooled change "
              "over the maps' change is {ratio}. Left to right: the shifted input, its {M} feature "
              "maps, its {n_pooled} pooled maps and the three changes.",
        "es": "Entrada desplazada δ = {d} píxeles, ventanas de pooling de {w} × {w} posiciones. "
              "Cambio relativo respecto a δ = 0: entrada {x}, mapas de características {z}, salidas "
              "agrupadas {p}; el cambio agrupado dividido por el de los mapas es {ratio}. De izquierda "
              "a derecha: la entrada desplazada, sus {M} mapas de características, sus {n_pooled} "
              "mapas agrupados y los tres cambios.",
        "it": "Input spostato di δ = {d} pixel, finestre di pooling di {w} × {w} posizioni. "
              "Variazione relativa rispetto a δ = 0: input {x}, mappe di caratteristiche {z}, uscite "
              "aggregate {p}; la variazione aggregata divisa per quella delle mappe è {ratio}. Da "
              "sinistra a destra: l'input spostato, le sue {M} mappe di caratteristiche, le sue "
              "{n_pooled} mappe aggregate e le tre variazioni.",
        "fr": "Entrée décalée de δ = {d} pixels, fenêtres de pooling de {w} × {w} positions. "
              "Variation relative par rapport à δ = 0 : entrée {x}, cartes de caractéristiques {z}, "
              "sorties agrégées {p} ; la variation agrégée divisée par celle des cartes vaut {ratio}. "
              "De gauche à droite : l'entrée décalée, ses {M} cartes de caractéristiques, ses "
              "{n_pooled} cartes agrégées et les trois variations.",
        "fa": "ورودی به اندازهٔ δ = {d} پیکسل جابه‌جا شده است، پنجره‌های ادغام {w} × {w} موقعیتی‌اند. "
              "تغییر نسبی نسبت به δ = 0: ورودی {x}، نقشه‌های ویژگی {z}، خروجی‌های ادغام‌شده {p}؛ "
              "تغییر خروجی‌های ادغام‌شده تقسیم بر تغییر نقشه‌ها {ratio} است. از چپ به راست: ورودی "
              "جابه‌جاشده، {M} نقشهٔ ویژگی آن، {n_pooled} نقشهٔ ادغام‌شدهٔ آن و سه تغییر.",
        "ko": "입력을 δ = {d} 픽셀 이동, 풀링 창은 {w} × {w} 위치. δ = 0 대비 상대 변화: 입력 {x}, "
              "특징 맵 {z}, 풀링 출력 {p}. 풀링 출력의 변화를 특징 맵의 변화로 나눈 값은 {ratio}입니다. "
              "왼쪽에서 오른쪽으로: 이동한 입력, 그 특징 맵 {M}개, 풀링 맵 {n_pooled}개, 세 가지 변화.",
    },
    # --- shared
    "explorer.none": {
        "en": "none", "es": "ninguna", "it": "nessuna", "fr": "aucune", "fa": "هیچ", "ko": "없음",
    },
}


def check_lang(lang, func: str = "t") -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`, else raise a ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"The 'lang' parameter of {func} must be one of {', '.join(LANGUAGES)}. "
                         f"Got {lang!r} instead.")
    return lang


def notebook_language(lang: Optional[str] = None, func: str = "sparselib") -> str:
    """The language to speak in: ``lang``, else the notebook's ``LANG`` variable (the setup
    cell of every chapter sets it), else ``$SPARSELIB_LANG``, else ``"en"``."""
    if lang is None:
        lang = getattr(sys.modules.get("__main__"), "LANG", None)
    if lang is None:
        lang = os.environ.get("SPARSELIB_LANG", "en")
    return check_lang(lang, func)


def t(key: str, lang: str = "en") -> str:
    """The text of ``key`` in ``lang``.

    Examples
    --------
    >>> t("drsae.t", "fr")
    'itération k'
    """
    check_lang(lang, "t")
    if key not in TEXTS:
        raise KeyError(f"The 'key' parameter of t must be a key of sparselib.i18n.TEXTS. "
                       f"Got {key!r} instead.")
    return TEXTS[key][lang]


def direction(lang: str) -> str:
    """``"rtl"`` for right-to-left languages (Persian), else ``"ltr"``."""
    return "rtl" if check_lang(lang, "direction") in RTL else "ltr"
