"""Explorer of L2 pooling and shifts (chapter 4): its words in the course's six languages (key -> language -> text)."""

TEXTS = {
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
}
