"""Explorer of the sparse code against λ (chapter 1): its words in the course's six languages (key -> language -> text)."""

TEXTS = {
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
}
