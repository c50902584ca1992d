"""Chapter 5 (lateral inhibition): the hints of its exercises' checks, in the course's six languages.

Each key names a mistake a check can diagnose; each value maps a language to its hint.
"""

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
        "ko": "각 유닛은 현재 코드 z(단계 이전)로 계산한 자신만의 임계값 lam + (|z| @ S)_i를 "
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
        "fa": "با S = 0 این گام همان گام ISTA فصل 1 است: آستانه‌گذاری نرم "
              "z + (x - z @ W_d.T) @ W_d / L با آستانهٔ lam / L.",
        "ko": "S = 0이면 이 단계는 1장의 ISTA 단계입니다: z + (x - z @ W_d.T) @ W_d / L을 "
              "lam / L에서 소프트 임계화합니다.",
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
        "ko": "한 유닛이 받는 억제는 다른 유닛의 부호가 아니라 크기 |z_j|에 따라 달라집니다.",
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
        "ko": "루트(-1 원소)가 여러 개면 숲이 됩니다. 서로 다른 트리의 유닛은 다른 가지에 "
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
    # --- the ascent step on V (check_inhibition_ascent)
    "envelope_half": {
        "en": "the gradient is that of the energy with the code held at z*, whose inhibition term is "
              "½|z|ᵀV|z|: ½|z*||z*|ᵀ, averaged over the batch. Without the ½ you have differentiated "
              "|z|ᵀV|z| (lateral_inhibition), or counted V_ij and V_ji as one parameter.",
        "es": "el gradiente es el de la energía con el código fijo en z*, cuyo término de inhibición es "
              "½|z|ᵀV|z|: ½|z*||z*|ᵀ, promediado sobre el lote. Sin el ½ has derivado |z|ᵀV|z| "
              "(lateral_inhibition), o has contado V_ij y V_ji como un solo parámetro.",
        "it": "il gradiente è quello dell'energia con il codice fermo in z*, il cui termine di inibizione è "
              "½|z|ᵀV|z|: ½|z*||z*|ᵀ, mediato sul batch. Senza il ½ hai derivato |z|ᵀV|z| "
              "(lateral_inhibition), o hai contato V_ij e V_ji come un solo parametro.",
        "fr": "le gradient est celui de l'énergie à code fixé en z*, dont le terme d'inhibition est "
              "½|z|ᵀV|z| : ½|z*||z*|ᵀ, moyenné sur le lot. Sans le ½, vous avez dérivé |z|ᵀV|z| "
              "(lateral_inhibition), ou compté V_ij et V_ji comme un seul paramètre.",
        "fa": "گرادیان همان گرادیان انرژی است وقتی کد در z* ثابت نگه داشته شود، و جملهٔ مهار آن "
              "½|z|ᵀV|z| است: ½|z*||z*|ᵀ، میانگین روی دسته. بدون ½ از |z|ᵀV|z| (lateral_inhibition) "
              "مشتق گرفته‌اید، یا V_ij و V_ji را یک پارامتر شمرده‌اید.",
        "ko": "기울기는 코드를 z*에 고정한 에너지의 기울기이고, 그 억제 항은 ½|z|ᵀV|z|입니다. 따라서 "
              "배치 평균한 ½|z*||z*|ᵀ입니다. ½이 없다면 |z|ᵀV|z|(lateral_inhibition)를 미분했거나 "
              "V_ij와 V_ji를 하나의 매개변수로 셌습니다.",
    },
    "ascent": {
        "en": "the step climbs: V + η·gradient. The energy of the best code is concave in V and the "
              "learning looks for its maximum on the budget; descending it would shrink V towards 0.",
        "es": "el paso sube: V + η·gradiente. La energía del mejor código es cóncava en V y el aprendizaje "
              "busca su máximo con el presupuesto fijo; descender la reduciría V hacia 0.",
        "it": "il passo sale: V + η·gradiente. L'energia del codice migliore è concava in V e "
              "l'apprendimento ne cerca il massimo a budget fisso; scenderla ridurrebbe V verso 0.",
        "fr": "le pas monte : V + η·gradient. L'énergie du meilleur code est concave en V et "
              "l'apprentissage cherche son maximum à budget fixé ; la descendre ramènerait V vers 0.",
        "fa": "گام بالا می‌رود: V + η·گرادیان. انرژی بهترین کد نسبت به V مقعر است و یادگیری بیشینهٔ آن را "
              "با بودجهٔ ثابت می‌جوید؛ پایین رفتن V را به سوی 0 کوچک می‌کرد.",
        "ko": "이 단계는 올라갑니다: V + η·기울기. 최선의 코드의 에너지는 V에 대해 오목하며, 학습은 "
              "예산 위에서 그 최댓값을 찾습니다. 내려가면 V가 0으로 줄어듭니다.",
    },
    "magnitudes": {
        "en": "the inhibition term reads the magnitudes |z|, so its gradient is built from |z*|, not "
              "from the signed code: two units of opposite signs are as co-active as two of the same sign.",
        "es": "el término de inhibición lee las magnitudes |z|, así que su gradiente se construye con "
              "|z*|, no con el código con signo: dos unidades de signos opuestos están tan coactivas "
              "como dos del mismo signo.",
        "it": "il termine di inibizione legge le ampiezze |z|, quindi il suo gradiente si costruisce da "
              "|z*|, non dal codice con segno: due unità di segno opposto sono coattive quanto due "
              "dello stesso segno.",
        "fr": "le terme d'inhibition lit les amplitudes |z|, donc son gradient se construit avec |z*|, "
              "pas avec le code signé : deux unités de signes opposés sont aussi coactives que deux "
              "de même signe.",
        "fa": "جملهٔ مهار اندازه‌های |z| را می‌خواند، پس گرادیانش از |z*| ساخته می‌شود، نه از کد "
              "علامت‌دار: دو واحد با علامت‌های مخالف به همان اندازهٔ دو واحد هم‌علامت هم‌فعال‌اند.",
        "ko": "억제 항은 크기 |z|를 읽으므로 기울기도 부호 있는 코드가 아니라 |z*|로 만듭니다. 부호가 "
              "반대인 두 유닛도 부호가 같은 두 유닛만큼 함께 활성입니다.",
    },
    "batch_mean": {
        "en": "F is the mean energy over the batch, so average ½|z*||z*|ᵀ over the samples (divide "
              "the sum by the batch size): the step should not grow with the batch.",
        "es": "F es la energía media del lote, así que promedia ½|z*||z*|ᵀ sobre las muestras (divide "
              "la suma por el tamaño del lote): el paso no debe crecer con el lote.",
        "it": "F è l'energia media sul batch, quindi fai la media di ½|z*||z*|ᵀ sui campioni (dividi "
              "la somma per la dimensione del batch): il passo non deve crescere con il batch.",
        "fr": "F est l'énergie moyenne du lot : moyennez ½|z*||z*|ᵀ sur les échantillons (divisez la "
              "somme par la taille du lot) ; le pas ne doit pas grandir avec le lot.",
        "fa": "F میانگین انرژی روی دسته است، پس ½|z*||z*|ᵀ را روی نمونه‌ها میانگین بگیرید (مجموع را "
              "بر اندازهٔ دسته تقسیم کنید): گام نباید با اندازهٔ دسته بزرگ شود.",
        "ko": "F는 배치의 평균 에너지이므로 ½|z*||z*|ᵀ를 샘플에 대해 평균하세요(합을 배치 크기로 "
              "나누세요). 단계가 배치 크기에 따라 커지면 안 됩니다.",
    },
    "diagonal": {
        "en": "the gradient has a diagonal, ½z_i², but V's diagonal is not a parameter: a unit does not "
              "inhibit itself. Set the diagonal back to 0 before rescaling the rows.",
        "es": "el gradiente tiene diagonal, ½z_i², pero la diagonal de V no es un parámetro: una unidad "
              "no se inhibe a sí misma. Vuelve a poner la diagonal a 0 antes de reescalar las filas.",
        "it": "il gradiente ha una diagonale, ½z_i², ma la diagonale di V non è un parametro: un'unità "
              "non inibisce se stessa. Rimetti la diagonale a 0 prima di riscalare le righe.",
        "fr": "le gradient a une diagonale, ½z_i², mais la diagonale de V n'est pas un paramètre : une "
              "unité ne s'inhibe pas elle-même. Remettez la diagonale à 0 avant de remettre les lignes "
              "à l'échelle.",
        "fa": "گرادیان قطر دارد، ½z_i²، ولی قطر V پارامتر نیست: هیچ واحدی خودش را مهار نمی‌کند. پیش از "
              "مقیاس‌بندی دوبارهٔ سطرها قطر را دوباره 0 کنید.",
        "ko": "기울기에는 대각 성분 ½z_i²가 있지만 V의 대각은 매개변수가 아닙니다. 유닛은 자기 자신을 "
              "억제하지 않습니다. 행을 다시 맞추기 전에 대각을 0으로 되돌리세요.",
    },
    "budget": {
        "en": "after the step every row sums to more than b: map V back onto the budget with "
              "sinkhorn_scale(S, budget), which needs a non-negative, symmetric matrix with a zero diagonal.",
        "es": "tras el paso cada fila suma más que b: devuelve V al presupuesto con "
              "sinkhorn_scale(S, budget), que necesita una matriz no negativa, simétrica y de diagonal nula.",
        "it": "dopo il passo ogni riga somma più di b: riporta V sul budget con sinkhorn_scale(S, budget), "
              "che vuole una matrice non negativa, simmetrica e con diagonale nulla.",
        "fr": "après le pas, chaque ligne somme à plus que b : ramenez V sur le budget avec "
              "sinkhorn_scale(S, budget), qui demande une matrice positive, symétrique, de diagonale nulle.",
        "fa": "پس از گام، مجموع هر سطر از b بیشتر است: V را با sinkhorn_scale(S, budget) به بودجه "
              "برگردانید؛ این تابع ماتریسی نامنفی، متقارن و با قطر صفر می‌خواهد.",
        "ko": "단계 뒤에는 모든 행의 합이 b보다 큽니다. sinkhorn_scale(S, budget)으로 V를 예산에 되돌리세요. "
              "이 함수는 음이 아니고 대칭이며 대각이 0인 행렬을 받습니다.",
    },
    # --- one inference step under tree inhibition (check_tree_step)
    "tree_magnitudes": {
        "en": "the inhibition a unit receives is α times the total magnitude |z_j| of the units off its "
              "branch: take absolute values before summing, or a negative unit cancels a positive one.",
        "es": "la inhibición que recibe una unidad es α por la magnitud total |z_j| de las unidades fuera "
              "de su rama: toma valores absolutos antes de sumar, o una unidad negativa anula una positiva.",
        "it": "l'inibizione che un'unità riceve è α per l'ampiezza totale |z_j| delle unità fuori dal suo "
              "ramo: prendi i valori assoluti prima di sommare, o un'unità negativa annulla una positiva.",
        "fr": "l'inhibition reçue par une unité vaut α fois l'amplitude totale |z_j| des unités hors de sa "
              "branche : prenez les valeurs absolues avant de sommer, sinon une unité négative annule une "
              "positive.",
        "fa": "مهاری که یک واحد دریافت می‌کند α برابر مجموع اندازه‌های |z_j| واحدهای بیرون از شاخهٔ "
              "آن است: پیش از جمع قدر مطلق بگیرید، وگرنه یک واحد منفی یک واحد مثبت را خنثی می‌کند.",
        "ko": "유닛이 받는 억제는 자기 가지 밖 유닛들의 크기 |z_j| 합에 α를 곱한 값입니다. 더하기 전에 "
              "절댓값을 취하세요. 그러지 않으면 음수 유닛이 양수 유닛을 상쇄합니다.",
    },
    "step_scale": {
        "en": "a step of length η multiplies the whole penalty weight: the threshold is η(λ + (V|z|)_i), "
              "not λ + (V|z|)_i (with η = 1/L this is the chapter's (λ + (V|z|)_i)/L).",
        "es": "un paso de longitud η multiplica todo el peso de la penalización: el umbral es "
              "η(λ + (V|z|)_i), no λ + (V|z|)_i (con η = 1/L es el (λ + (V|z|)_i)/L del capítulo).",
        "it": "un passo di lunghezza η moltiplica tutto il peso della penalità: la soglia è "
              "η(λ + (V|z|)_i), non λ + (V|z|)_i (con η = 1/L è il (λ + (V|z|)_i)/L del capitolo).",
        "fr": "un pas de longueur η multiplie tout le poids de la pénalité : le seuil est "
              "η(λ + (V|z|)_i), pas λ + (V|z|)_i (avec η = 1/L, c'est le (λ + (V|z|)_i)/L du chapitre).",
        "fa": "گامی به طول η کل وزن جریمه را ضرب می‌کند: آستانه η(λ + (V|z|)_i) است، نه λ + (V|z|)_i "
              "(با η = 1/L همان (λ + (V|z|)_i)/L فصل است).",
        "ko": "길이 η인 단계는 페널티 가중치 전체에 곱해집니다. 임계값은 λ + (V|z|)_i가 아니라 "
              "η(λ + (V|z|)_i)입니다 (η = 1/L이면 이 장의 (λ + (V|z|)_i)/L).",
    },
    "self": {
        "en": "a unit does not inhibit itself (V_ii = 0): subtract its own |z_i| along with the rest of "
              "its branch. A unit counted once in its ancestors' sum and once in its subtree's must be "
              "removed once.",
        "es": "una unidad no se inhibe a sí misma (V_ii = 0): resta su propio |z_i| junto con el resto de "
              "su rama. Una unidad contada en la suma de sus ancestros y en la de su subárbol se quita una "
              "sola vez.",
        "it": "un'unità non inibisce se stessa (V_ii = 0): sottrai il suo |z_i| insieme al resto del suo "
              "ramo. Un'unità contata sia nella somma dei suoi antenati sia in quella del suo sottoalbero "
              "va tolta una volta sola.",
        "fr": "une unité ne s'inhibe pas elle-même (V_ii = 0) : retirez son propre |z_i| avec le reste de "
              "sa branche. Une unité comptée dans la somme de ses ancêtres et dans celle de son sous-arbre "
              "ne se retire qu'une fois.",
        "fa": "هیچ واحدی خودش را مهار نمی‌کند (V_ii = 0): |z_i| خود واحد را هم همراه بقیهٔ شاخه‌اش کم "
              "کنید. واحدی که یک بار در جمع نیاها و یک بار در جمع زیردرختش شمرده شده، فقط یک بار کم می‌شود.",
        "ko": "유닛은 자기 자신을 억제하지 않습니다(V_ii = 0). 가지의 나머지와 함께 자신의 |z_i|도 빼세요. "
              "조상 합과 부분 트리 합에 한 번씩 들어간 유닛은 한 번만 빼야 합니다.",
    },
    "descendants": {
        "en": "a unit's branch runs both ways: its ancestors and its descendants (its whole subtree) are "
              "free to be active with it. Only the units on neither side inhibit it.",
        "es": "la rama de una unidad va en los dos sentidos: sus ancestros y sus descendientes (todo su "
              "subárbol) pueden estar activos con ella. Solo la inhiben las unidades que no están en "
              "ninguno de los dos lados.",
        "it": "il ramo di un'unità va nei due sensi: i suoi antenati e i suoi discendenti (tutto il suo "
              "sottoalbero) possono essere attivi con lei. La inibiscono solo le unità che non stanno da "
              "nessuna delle due parti.",
        "fr": "la branche d'une unité va dans les deux sens : ses ancêtres et ses descendants (tout son "
              "sous-arbre) peuvent être actifs avec elle. Seules les unités d'aucun des deux côtés "
              "l'inhibent.",
        "fa": "شاخهٔ یک واحد دوسویه است: نیاها و نوادگانش (کل زیردرختش) می‌توانند با آن فعال باشند. فقط "
              "واحدهایی که در هیچ‌یک از دو سو نیستند آن را مهار می‌کنند.",
        "ko": "유닛의 가지는 양방향입니다. 조상과 자손(부분 트리 전체)은 함께 활성일 수 있습니다. 어느 "
              "쪽에도 없는 유닛만 그것을 억제합니다.",
    },
}
