"""Chapter 2 (DrSAE): the hints of its exercises' checks, in the course's six languages.

Each key names a mistake a check can diagnose; each value maps a language to its hint.
"""

HINTS = {
    "first": {
        "en": "the first step has no lateral term: z_1 = ReLU(W_e x - b); n_iter counts every ReLU.",
        "es": "el primer paso no tiene término lateral: z_1 = ReLU(W_e x - b); n_iter cuenta cada ReLU.",
        "it": "il primo passo non ha termine laterale: z_1 = ReLU(W_e x - b); n_iter conta ogni ReLU.",
        "fr": "la première étape n'a pas de terme latéral : z_1 = ReLU(W_e x - b) ; n_iter compte chaque ReLU.",
        "fa": "گام نخست جملهٔ جانبی ندارد: z_1 = ReLU(W_e x - b)؛ n_iter همهٔ گام‌های ReLU را می‌شمارد.",
        "ko": "첫 단계에는 측면 항이 없습니다: z_1 = ReLU(W_e x - b). n_iter는 모든 ReLU를 셉니다.",
    },
    "rows": {
        "en": "samples are rows: W_e x is x @ W_e.T and S z is z @ S.T; W_e x is added at every step.",
        "es": "las muestras son filas: W_e x es x @ W_e.T y S z es z @ S.T; W_e x se suma en cada paso.",
        "it": "i campioni sono righe: W_e x è x @ W_e.T e S z è z @ S.T; W_e x si somma a ogni passo.",
        "fr": "les exemples sont des lignes : W_e x s'écrit x @ W_e.T et S z s'écrit z @ S.T ; W_e x est ajouté à chaque étape.",
        "fa": "نمونه‌ها سطرها هستند: W_e x همان x @ W_e.T و S z همان z @ S.T است؛ W_e x در هر گام افزوده می‌شود.",
        "ko": "샘플이 행입니다: W_e x는 x @ W_e.T, S z는 z @ S.T이며 W_e x는 매 단계 더해집니다.",
    },
    "reconstruction": {
        "en": "½‖x − W_d z‖²: sum the squares over the features, then average over the batch.",
        "es": "½‖x − W_d z‖²: suma los cuadrados sobre las variables y promedia sobre el lote.",
        "it": "½‖x − W_d z‖²: somma i quadrati sulle componenti, poi fai la media sul batch.",
        "fr": "½‖x − W_d z‖² : sommez les carrés sur les composantes, puis moyennez sur le lot.",
        "fa": "½‖x − W_d z‖²: مربع‌ها را روی ویژگی‌ها جمع بزنید و سپس روی دسته میانگین بگیرید.",
        "ko": "½‖x − W_d z‖²: 특징에 대해 제곱을 더한 뒤 배치에 대해 평균하세요.",
    },
    "l1": {
        "en": "λ‖z‖₁ is λ times the batch mean of the sum of |z_i|.",
        "es": "λ‖z‖₁ es λ por la media sobre el lote de la suma de |z_i|.",
        "it": "λ‖z‖₁ è λ per la media sul batch della somma di |z_i|.",
        "fr": "λ‖z‖₁ vaut λ fois la moyenne sur le lot de la somme des |z_i|.",
        "fa": "λ‖z‖₁ برابر λ ضرب در میانگین دسته‌ای مجموع |z_i| است.",
        "ko": "λ‖z‖₁은 |z_i|의 합을 배치에 대해 평균한 값에 λ를 곱한 것입니다.",
    },
    "classifier": {
        "en": "the classifier reads the normalised code: logits = (z/‖z‖) W_cᵀ + c, then γ · cross-entropy.",
        "es": "el clasificador lee el código normalizado: logits = (z/‖z‖) W_cᵀ + c, luego γ · entropía cruzada.",
        "it": "il classificatore legge il codice normalizzato: logits = (z/‖z‖) W_cᵀ + c, poi γ · entropia incrociata.",
        "fr": "le classifieur lit le code normalisé : logits = (z/‖z‖) W_cᵀ + c, puis γ · entropie croisée.",
        "fa": "دسته‌بند کد نرمال‌شده را می‌خواند: logits = (z/‖z‖) W_cᵀ + c و سپس γ · آنتروپی متقاطع.",
        "ko": "분류기는 정규화된 코드를 읽습니다: logits = (z/‖z‖) W_cᵀ + c, 그다음 γ · 교차 엔트로피.",
    },
}


HINTS.update({
    "half": {
        "en": "the reconstruction term is ½‖x − W_d z‖²: the ½ belongs to the term (it is what makes "
              "its gradient W_dᵀ(W_d z − x)), so your first entry is twice too large.",
        "es": "el término de reconstrucción es ½‖x − W_d z‖²: el ½ forma parte del término (por él su "
              "gradiente es W_dᵀ(W_d z − x)), así que tu primera entrada es el doble de lo debido.",
        "it": "il termine di ricostruzione è ½‖x − W_d z‖²: il ½ fa parte del termine (è per esso che il "
              "gradiente è W_dᵀ(W_d z − x)), quindi la tua prima voce è il doppio del dovuto.",
        "fr": "le terme de reconstruction est ½‖x − W_d z‖² : le ½ fait partie du terme (c'est lui qui "
              "donne le gradient W_dᵀ(W_d z − x)), votre première entrée est donc deux fois trop grande.",
        "fa": "جملهٔ بازسازی ½‖x − W_d z‖² است: ½ بخشی از این جمله است (به خاطر آن گرادیان برابر "
              "W_dᵀ(W_d z − x) می‌شود)، پس درایهٔ اول شما دو برابر مقدار درست است.",
        "ko": "복원 항은 ½‖x − W_d z‖²입니다. ½은 항의 일부이며(그래서 기울기가 W_dᵀ(W_d z − x)가 "
              "됩니다), 첫 번째 값이 두 배로 큽니다.",
    },
    "threshold": {
        "en": "b is a threshold subtracted before the ReLU at every iteration, ReLU(W_e x + S z − b): "
              "adding it switches on units that should stay at zero, and every term changes.",
        "es": "b es un umbral que se resta antes de la ReLU en cada iteración, ReLU(W_e x + S z − b): "
              "sumarlo enciende unidades que deberían seguir en cero, y cambian los tres términos.",
        "it": "b è una soglia sottratta prima della ReLU a ogni iterazione, ReLU(W_e x + S z − b): "
              "sommarla accende unità che dovrebbero restare a zero, e cambiano tutti i termini.",
        "fr": "b est un seuil soustrait avant la ReLU à chaque itération, ReLU(W_e x + S z − b) : "
              "l'ajouter allume des unités qui devraient rester à zéro, et les trois termes changent.",
        "fa": "b آستانه‌ای است که در هر تکرار پیش از ReLU کم می‌شود: ReLU(W_e x + S z − b). جمع کردن "
              "آن واحدهایی را روشن می‌کند که باید صفر بمانند، و هر سه جمله تغییر می‌کنند.",
        "ko": "b는 매 반복에서 ReLU 앞에서 빼는 임계값입니다: ReLU(W_e x + S z − b). 더하면 0이어야 "
              "할 유닛이 켜지고 세 항이 모두 달라집니다.",
    },
    "l1_code": {
        "en": "the sparsity term penalises the code, λ‖z‖₁ with z = z^{(T)}, not the input: no weight "
              "of the model can make x sparser, so a penalty on x teaches the model nothing.",
        "es": "el término de dispersión penaliza el código, λ‖z‖₁ con z = z^{(T)}, no la entrada: "
              "ningún peso del modelo puede hacer x más dispersa, así que penalizar x no le enseña nada.",
        "it": "il termine di sparsità penalizza il codice, λ‖z‖₁ con z = z^{(T)}, non l'input: nessun "
              "peso del modello può rendere x più sparso, quindi penalizzare x non gli insegna nulla.",
        "fr": "le terme de parcimonie pénalise le code, λ‖z‖₁ avec z = z^{(T)}, pas l'entrée : aucun "
              "poids du modèle ne peut rendre x plus creux, une pénalité sur x ne lui apprend donc rien.",
        "fa": "جملهٔ تنکی کد را جریمه می‌کند، λ‖z‖₁ با z = z^{(T)}، نه ورودی را: هیچ وزنی از مدل "
              "نمی‌تواند x را تنک‌تر کند، پس جریمه روی x چیزی به مدل یاد نمی‌دهد.",
        "ko": "희소성 항은 입력이 아니라 코드에 페널티를 줍니다: z = z^{(T)}에 대한 λ‖z‖₁. 모델의 어떤 "
              "가중치도 x를 더 희소하게 만들 수 없으므로 x에 대한 페널티는 아무것도 가르치지 않습니다.",
    },
    "gamma": {
        "en": "γ weighs the classification term, γ · cross-entropy: your third entry is the "
              "cross-entropy alone (the other two terms have the weights 1 and λ).",
        "es": "γ pondera el término de clasificación, γ · entropía cruzada: tu tercera entrada es la "
              "entropía cruzada sola (los otros dos términos tienen los pesos 1 y λ).",
        "it": "γ pesa il termine di classificazione, γ · entropia incrociata: la tua terza voce è la "
              "sola entropia incrociata (gli altri due termini hanno i pesi 1 e λ).",
        "fr": "γ pondère le terme de classification, γ · entropie croisée : votre troisième entrée est "
              "l'entropie croisée seule (les deux autres termes ont les poids 1 et λ).",
        "fa": "γ وزن جملهٔ دسته‌بندی است، γ · آنتروپی متقاطع: درایهٔ سوم شما فقط آنتروپی متقاطع است "
              "(دو جملهٔ دیگر وزن‌های 1 و λ دارند).",
        "ko": "γ는 분류 항의 가중치입니다: γ · 교차 엔트로피. 세 번째 값이 교차 엔트로피만입니다 "
              "(다른 두 항의 가중치는 1과 λ입니다).",
    },
    "criteria": {
        "en": "return the three terms as they enter ℒ, each averaged over the batch and with its "
              "weight, in the order reconstruction (1), sparsity (λ), classification (γ), as a "
              "tensor of shape (3,) (torch.stack), computed from z = z^{(T)} of the model's weights.",
        "es": "devuelve los tres términos tal como entran en ℒ, cada uno promediado sobre el lote y "
              "con su peso, en el orden reconstrucción (1), dispersión (λ), clasificación (γ), como "
              "un tensor de forma (3,) (torch.stack), calculados con z = z^{(T)} a partir de los pesos.",
        "it": "restituisci i tre termini come entrano in ℒ, ciascuno mediato sul batch e con il suo "
              "peso, nell'ordine ricostruzione (1), sparsità (λ), classificazione (γ), come tensore "
              "di forma (3,) (torch.stack), calcolati da z = z^{(T)} con i pesi del modello.",
        "fr": "renvoyez les trois termes tels qu'ils entrent dans ℒ, chacun moyenné sur le lot et "
              "avec son poids, dans l'ordre reconstruction (1), parcimonie (λ), classification (γ), "
              "en un tenseur de forme (3,) (torch.stack), calculés à partir de z = z^{(T)} et des poids.",
        "fa": "سه جمله را همان‌طور که در ℒ می‌آیند برگردانید، هر کدام میانگین‌گرفته روی دسته و با "
              "وزن خودش، به ترتیب بازسازی (1)، تنکی (λ)، دسته‌بندی (γ)، در تانسوری به شکل (3,) "
              "(torch.stack)، محاسبه‌شده از z = z^{(T)} با وزن‌های مدل.",
        "ko": "세 항을 ℒ에 들어가는 그대로, 각각 배치 평균하고 가중치를 곱해 복원(1), 희소성(λ), "
              "분류(γ) 순서로 모양 (3,)인 텐서(torch.stack)로 반환하세요. z = z^{(T)}는 모델의 "
              "가중치로 계산합니다.",
    },
})


HINTS.update({
    "split": {
        "en": "the labelled digits come from the training split (X_train, y_train); the test split is "
              "only scored. Building the class means from test digits measures the classifier on "
              "digits it has already seen with their labels.",
        "es": "los dígitos etiquetados salen de la partición de entrenamiento (X_train, y_train); la de "
              "prueba solo se puntúa. Construir las medias de clase con dígitos de prueba mide el "
              "clasificador en dígitos cuyas etiquetas ya ha visto.",
        "it": "le cifre etichettate vengono dalla partizione di addestramento (X_train, y_train); quella "
              "di test si usa solo per il punteggio. Costruire le medie di classe con cifre di test "
              "misura il classificatore su cifre di cui ha già visto l'etichetta.",
        "fr": "les chiffres étiquetés viennent de la partie d'entraînement (X_train, y_train) ; la partie "
              "de test sert seulement à noter. Construire les moyennes de classe avec des chiffres de "
              "test mesure le classifieur sur des chiffres dont il a déjà vu l'étiquette.",
        "fa": "رقم‌های برچسب‌دار از بخش آموزش (X_train, y_train) می‌آیند؛ بخش آزمون فقط برای نمره‌دادن "
              "است. ساختن میانگین رده‌ها از رقم‌های آزمون، دسته‌بند را روی رقم‌هایی می‌سنجد که برچسبشان "
              "را پیش‌تر دیده است.",
        "ko": "레이블이 있는 숫자는 훈련 분할(X_train, y_train)에서 가져옵니다. 테스트 분할은 채점에만 "
              "씁니다. 테스트 숫자로 클래스 평균을 만들면 레이블을 이미 본 숫자로 분류기를 재는 셈입니다.",
    },
    "balanced": {
        "en": "take n_per_class digits of each class, the first ones of that class in the order of the "
              "training split, not the first n_per_class × n_classes digits: their classes are not "
              "balanced, and a class may be missing altogether.",
        "es": "toma n_per_class dígitos de cada clase, los primeros de esa clase en el orden de la "
              "partición de entrenamiento, no los primeros n_per_class × n_classes dígitos: sus clases "
              "no están equilibradas y puede faltar alguna.",
        "it": "prendi n_per_class cifre di ciascuna classe, le prime di quella classe nell'ordine della "
              "partizione di addestramento, non le prime n_per_class × n_classes cifre: le loro classi "
              "non sono bilanciate e una classe può mancare del tutto.",
        "fr": "prenez n_per_class chiffres de chaque classe, les premiers de cette classe dans l'ordre de "
              "la partie d'entraînement, et non les n_per_class × n_classes premiers chiffres : leurs "
              "classes ne sont pas équilibrées, et une classe peut manquer.",
        "fa": "از هر رده n_per_class رقم بردارید، نخستین رقم‌های همان رده به ترتیب بخش آموزش، نه "
              "n_per_class × n_classes رقم نخست را: رده‌های آن‌ها متوازن نیستند و ممکن است رده‌ای "
              "اصلاً نباشد.",
        "ko": "각 클래스에서 n_per_class개씩, 훈련 분할의 순서에서 그 클래스의 처음 숫자들을 고르세요. "
              "처음 n_per_class × n_classes개 숫자를 고르면 클래스가 균형을 잃고 어떤 클래스는 아예 "
              "빠질 수 있습니다.",
    },
    "iteration": {
        "en": "use the code after k iterations, z^{(k)} = model(X).codes[k - 1] (codes[0] is z^{(1)}), "
              "for the labelled digits and for the test digits alike, not the final code z^{(T)}.",
        "es": "usa el código tras k iteraciones, z^{(k)} = model(X).codes[k - 1] (codes[0] es z^{(1)}), "
              "para los dígitos etiquetados y para los de prueba, no el código final z^{(T)}.",
        "it": "usa il codice dopo k iterazioni, z^{(k)} = model(X).codes[k - 1] (codes[0] è z^{(1)}), "
              "per le cifre etichettate come per quelle di test, non il codice finale z^{(T)}.",
        "fr": "utilisez le code après k itérations, z^{(k)} = model(X).codes[k - 1] (codes[0] est "
              "z^{(1)}), pour les chiffres étiquetés comme pour ceux de test, pas le code final z^{(T)}.",
        "fa": "کد پس از k تکرار را به کار ببرید، z^{(k)} = model(X).codes[k - 1] (codes[0] همان z^{(1)} "
              "است)، هم برای رقم‌های برچسب‌دار و هم برای رقم‌های آزمون، نه کد نهایی z^{(T)} را.",
        "ko": "레이블이 있는 숫자와 테스트 숫자 모두에 최종 코드 z^{(T)}가 아니라 k번 반복한 뒤의 코드 "
              "z^{(k)} = model(X).codes[k - 1]을 쓰세요 (codes[0]이 z^{(1)}입니다).",
    },
    "normalise": {
        "en": "normalise every code, z/‖z‖ (torch.nn.functional.normalize), before the class means and "
              "the distances: like W_c, the protocol reads the direction of the code, not its scale.",
        "es": "normaliza cada código, z/‖z‖ (torch.nn.functional.normalize), antes de las medias de "
              "clase y de las distancias: como W_c, el protocolo lee la dirección del código, no su escala.",
        "it": "normalizza ogni codice, z/‖z‖ (torch.nn.functional.normalize), prima delle medie di classe "
              "e delle distanze: come W_c, il protocollo legge la direzione del codice, non la sua scala.",
        "fr": "normalisez chaque code, z/‖z‖ (torch.nn.functional.normalize), avant les moyennes de "
              "classe et les distances : comme W_c, le protocole lit la direction du code, pas son échelle.",
        "fa": "پیش از میانگین رده‌ها و فاصله‌ها هر کد را نرمال کنید، z/‖z‖ "
              "(torch.nn.functional.normalize): این روش هم مانند W_c جهت کد را می‌خواند، نه اندازهٔ آن را.",
        "ko": "클래스 평균과 거리를 구하기 전에 모든 코드를 정규화하세요, z/‖z‖ "
              "(torch.nn.functional.normalize). W_c처럼 이 절차도 코드의 크기가 아니라 방향을 읽습니다.",
    },
    "protocol": {
        "en": "class means of the normalised codes z^{(k)} of the labelled digits; each test digit gets "
              "the class of the nearest mean (Euclidean distance); return the share of test digits "
              "classified correctly, a 0-d float64 tensor.",
        "es": "medias de clase de los códigos normalizados z^{(k)} de los dígitos etiquetados; cada "
              "dígito de prueba recibe la clase de la media más cercana (distancia euclídea); devuelve "
              "la fracción de dígitos de prueba bien clasificados, un tensor float64 sin dimensiones.",
        "it": "medie di classe dei codici normalizzati z^{(k)} delle cifre etichettate; ogni cifra di "
              "test riceve la classe della media più vicina (distanza euclidea); restituisci la frazione "
              "di cifre di test classificate correttamente, un tensore float64 senza dimensioni.",
        "fr": "moyennes de classe des codes normalisés z^{(k)} des chiffres étiquetés ; chaque chiffre "
              "de test reçoit la classe de la moyenne la plus proche (distance euclidienne) ; renvoyez "
              "la part des chiffres de test bien classés, un tenseur float64 sans dimension.",
        "fa": "میانگین رده‌ای کدهای نرمال‌شدهٔ z^{(k)} رقم‌های برچسب‌دار؛ هر رقم آزمون ردهٔ نزدیک‌ترین "
              "میانگین را می‌گیرد (فاصلهٔ اقلیدسی)؛ سهم رقم‌های آزمون درست دسته‌بندی‌شده را به صورت "
              "تانسور float64 بی‌بُعد برگردانید.",
        "ko": "레이블이 있는 숫자의 정규화된 코드 z^{(k)}로 클래스 평균을 구하고, 각 테스트 숫자에 가장 "
              "가까운 평균(유클리드 거리)의 클래스를 줍니다. 올바르게 분류된 테스트 숫자의 비율을 0차원 "
              "float64 텐서로 반환하세요.",
    },
})
