"""Explorer of group sparsity (chapter 3): its words in the course's six languages (key -> language -> text)."""

TEXTS = {
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
}
