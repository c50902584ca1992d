"""Chapter 1 (sparse coding): the hints of its exercises' checks, in the course's six languages.

Each key names a mistake a check can diagnose; each value maps a language to its hint.
"""

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
