"""Chapter 6 (today's sparse auto-encoders): the hints of its exercises' checks, in the
course's six languages.

Each key names a mistake a check can diagnose; each value maps a language to its hint."""

HINTS = {
    "keep_whole": {
        "en": "JumpReLU keeps a value whole: v · 1[v > θ], not the soft threshold v − θ.",
        "es": "JumpReLU conserva el valor sin reducirlo: v · 1[v > θ], no la umbralización suave v − θ.",
        "it": "JumpReLU tiene intero il valore: v · 1[v > θ], non la sogliatura morbida v − θ.",
        "fr": "JumpReLU conserve la valeur telle quelle : v · 1[v > θ], et non le seuillage doux v − θ.",
        "fa": "JumpReLU مقدار را دست‌نخورده نگه می‌دارد: v · 1[v > θ]، نه آستانه‌گذاری نرم v − θ.",
        "ko": "JumpReLU는 값을 그대로 남깁니다: 소프트 임계화 결과 v − θ가 아니라 v · 1[v > θ]입니다.",
    },
    "strict": {
        "en": "the comparison is strict: an entry equal to its threshold gives 0.",
        "es": "la comparación es estricta: una componente igual a su umbral da 0.",
        "it": "la disuguaglianza è stretta: un elemento uguale alla propria soglia dà 0.",
        "fr": "la comparaison est stricte : une composante égale à son seuil donne 0.",
        "fa": "نامساوی اکید است: درایه‌ای که برابر آستانهٔ خودش باشد مقدار 0 می‌دهد.",
        "ko": "비교에는 등호가 들어가지 않습니다(>): 임계값과 같은 성분은 0이 됩니다.",
    },
    "nonneg": {
        "en": "JumpReLU codes are non-negative: compare v itself with θ, not |v|; an entry below −θ gives 0.",
        "es": "los códigos de JumpReLU son no negativos: compara el propio v con θ, no |v|; una componente menor que −θ da 0.",
        "it": "i codici di JumpReLU sono non negativi: confronta con θ il valore v stesso, non |v|; un elemento minore di −θ dà 0.",
        "fr": "les codes de JumpReLU sont positifs ou nuls : comparez v lui-même à θ, pas |v| ; une composante inférieure à −θ donne 0.",
        "fa": "کدهای JumpReLU نامنفی‌اند: خود v را با θ مقایسه کنید، نه |v| را؛ درایه‌ای کوچک‌تر از −θ مقدار 0 می‌دهد.",
        "ko": "JumpReLU 코드는 음이 아닙니다: |v|가 아니라 v 자체를 θ와 비교하세요. −θ보다 작은 성분은 0이 됩니다.",
    },
    "per_latent": {
        "en": "θ has one entry per latent (a column of v): compare v with theta broadcast over the rows.",
        "es": "θ tiene una componente por latente (una columna de v): compara v con theta, extendido a todas las filas por broadcasting.",
        "it": "θ ha un elemento per ogni latente (una colonna di v): confronta v con theta esteso (broadcasting) a tutte le righe.",
        "fr": "θ a une composante par latent (une colonne de v) : comparez v à theta, diffusé (broadcast) sur toutes les lignes.",
        "fa": "θ برای هر نهفته (هر ستون v) یک درایه دارد: v را با theta که روی سطرها پخش شده است مقایسه کنید.",
        "ko": "θ는 잠재 유닛(v의 열)마다 하나씩 있습니다: 행 전체로 브로드캐스트한 theta와 v를 비교하세요.",
    },
    "step_factor": {
        "en": "the ℓ0 term λ · H(v − θ) has the pseudo-derivative −(λ/ε) rect((v − θ)/ε) with respect to θ.",
        "es": "el término ℓ0, λ · H(v − θ), tiene la pseudoderivada −(λ/ε) rect((v − θ)/ε) respecto a θ.",
        "it": "il termine ℓ0, λ · H(v − θ), ha rispetto a θ la pseudo-derivata −(λ/ε) rect((v − θ)/ε).",
        "fr": "le terme ℓ0 λ · H(v − θ) a pour pseudo-dérivée −(λ/ε) rect((v − θ)/ε) par rapport à θ.",
        "fa": "جملهٔ ℓ0، یعنی λ · H(v − θ)، نسبت به θ شبه‌مشتقی برابر −(λ/ε) rect((v − θ)/ε) دارد.",
        "ko": "ℓ0 항 λ · H(v − θ)의 θ에 대한 유사 도함수는 −(λ/ε) rect((v − θ)/ε)입니다.",
    },
    "jump_factor": {
        "en": "JumpReLU jumps by θ at v = θ: its pseudo-derivative is −(θ/ε) rect((v − θ)/ε), times q.",
        "es": "JumpReLU da un salto de altura θ en v = θ: su pseudoderivada es −(θ/ε) rect((v − θ)/ε), multiplicada por q.",
        "it": "JumpReLU salta di θ in v = θ: la sua pseudo-derivata è −(θ/ε) rect((v − θ)/ε), moltiplicata per q.",
        "fr": "JumpReLU saute de θ en v = θ : sa pseudo-dérivée est −(θ/ε) rect((v − θ)/ε), multipliée par q.",
        "fa": "JumpReLU در v = θ به اندازهٔ θ می‌پرد: شبه‌مشتق آن −(θ/ε) rect((v − θ)/ε) است، ضرب در q.",
        "ko": "JumpReLU는 v = θ에서 θ만큼 점프합니다: 그 유사 도함수는 −(θ/ε) rect((v − θ)/ε)에 q를 곱한 값입니다.",
    },
    "window": {
        "en": "rect is 1 only for |v − θ| < ε/2 (strictly) and 0 elsewhere: entries farther away give nothing.",
        "es": "rect vale 1 solo si |v − θ| < ε/2 (estrictamente) y 0 en otro caso: las componentes más alejadas no aportan nada.",
        "it": "rect vale 1 solo per |v − θ| < ε/2 (disuguaglianza stretta) e 0 altrove: gli elementi più lontani non danno alcun contributo.",
        "fr": "rect vaut 1 seulement pour |v − θ| < ε/2 (strictement) et 0 ailleurs : les composantes plus éloignées ne donnent rien.",
        "fa": "rect فقط برای |v − θ| < ε/2 (به‌طور اکید) برابر 1 و در جاهای دیگر 0 است: درایه‌های دورتر سهمی ندارند.",
        "ko": "rect는 |v − θ| < ε/2(등호 없이)일 때만 1이고 그 밖에서는 0입니다: 더 먼 성분은 기여하지 않습니다.",
    },
    "sum_batch": {
        "en": "θ is shared by every sample: sum the contributions over the rows, giving shape (n_latents,).",
        "es": "θ es común a todas las muestras: suma las contribuciones de todas las filas, lo que da la forma (n_latents,).",
        "it": "θ è condiviso da tutti i campioni: somma i contributi sulle righe, così da ottenere la forma (n_latents,).",
        "fr": "θ est commun à tous les exemples : sommez les contributions sur les lignes, pour obtenir la forme (n_latents,).",
        "fa": "θ میان همهٔ نمونه‌ها مشترک است: سهم‌ها را روی سطرها جمع بزنید تا شکل (n_latents,) شود.",
        "ko": "θ는 모든 샘플이 공유합니다: 기여를 행에 대해 합하여 모양이 (n_latents,)가 되게 하세요.",
    },
    "centre": {
        "en": "the denominator is the variance around the mean input: Σ_n ‖x_n − x̄‖², with x̄ = x.mean(0).",
        "es": "el denominador es la varianza alrededor de la entrada media: Σ_n ‖x_n − x̄‖², con x̄ = x.mean(0).",
        "it": "il denominatore è la varianza attorno all'input medio: Σ_n ‖x_n − x̄‖², con x̄ = x.mean(0).",
        "fr": "le dénominateur est la variance autour de l'entrée moyenne : Σ_n ‖x_n − x̄‖², avec x̄ = x.mean(0).",
        "fa": "مخرج واریانس حول میانگین ورودی‌هاست: Σ_n ‖x_n − x̄‖²، با x̄ = x.mean(0).",
        "ko": "분모는 평균 입력을 중심으로 한 분산, 곧 x̄ = x.mean(0)일 때 Σ_n ‖x_n − x̄‖²입니다.",
    },
    "pooled": {
        "en": "sum over the whole set before dividing: one sum of squared errors over one sum of squared deviations, not a mean of per-sample ratios.",
        "es": "suma sobre todo el conjunto antes de dividir: una sola suma de errores al cuadrado dividida por una sola suma de desviaciones al cuadrado, no una media de cocientes por muestra.",
        "it": "somma sull'intero insieme prima di dividere: un'unica somma degli errori al quadrato divisa per un'unica somma degli scarti al quadrato, non una media di rapporti campione per campione.",
        "fr": "sommez sur tout l'ensemble avant de diviser : une seule somme des erreurs au carré, divisée par une seule somme des écarts au carré, et non une moyenne de rapports calculés exemple par exemple.",
        "fa": "پیش از تقسیم روی کل مجموعه جمع بزنید: یک مجموع مربع خطاها تقسیم بر یک مجموع مربع انحراف‌ها، نه میانگین نسبت‌های تک‌تک نمونه‌ها.",
        "ko": "나누기 전에 집합 전체에 대해 합하세요: 샘플별 비율의 평균이 아니라, 집합 전체의 제곱 오차 합 하나를 제곱 편차 합 하나로 나눈 값입니다.",
    },
}
