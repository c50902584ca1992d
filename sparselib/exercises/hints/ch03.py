"""Chapter 3 (group sparsity and topographic maps): the hints of its exercises' checks, in the course's six languages.

Each key names a mistake a check can diagnose; each value maps a language to its hint.
"""

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
        "ko": "유닛 하나짜리 그룹에서는 블록 소프트 임계화 결과가 보통의 소프트 임계화 결과 "
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
        "ko": "어느 그룹에도 속하지 않는 유닛(G의 열이 모두 0)은 페널티를 받지 않고 그대로 "
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
        "ko": "그룹 r*side + c는 행 r, 열 c에서 시작하는 size x size 창의 유닛들입니다. 창 안의 "
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
        "ko": "맵은 토러스입니다. 마지막 행이나 열을 넘는 창은 첫 행이나 열로 이어집니다 "
              "(인덱스는 side로 나눈 나머지, torch.roll이 바로 이것을 합니다).",
    },
    "count": {
        "en": "one active unit lies in size² windows, so the penalty is size² * |z_i|.",
        "es": "una unidad activa está en size² ventanas, así que la penalización es size² * |z_i|.",
        "it": "un'unità attiva sta in size² finestre, quindi la penalità è size² * |z_i|.",
        "fr": "une unité active appartient à size² fenêtres, donc la pénalité vaut size² * |z_i|.",
        "fa": "یک واحد فعال در size² پنجره قرار دارد، پس جریمه size² * |z_i| است.",
        "ko": "활성 유닛 하나는 size²개의 창에 속하므로 페널티는 size² * |z_i|입니다.",
    },
    # --- the tree prox by composition (issue 18)
    "tree_order": {
        "en": "compose the group thresholds from the leaves up: threshold a node's group only after "
              "the groups of all its descendants (reversed preorder works). Starting at the root "
              "shrinks a parent by the strength its children have before they are thresholded.",
        "es": "compón los umbrales de grupo desde las hojas hacia arriba: umbraliza el grupo de un nodo "
              "solo después de los de todos sus descendientes (el preorden invertido sirve). Empezar "
              "por la raíz encoge un padre según la fuerza que sus hijos tienen antes de umbralizarlos.",
        "it": "componi le soglie di gruppo dalle foglie verso l'alto: applica la soglia al gruppo di un "
              "nodo solo dopo quelli di tutti i suoi discendenti (il preordine invertito va bene). "
              "Partire dalla radice riduce un genitore in base alla forza che i figli hanno prima della soglia.",
        "fr": "composez les seuillages de groupe des feuilles vers la racine : ne seuillez le groupe d'un "
              "nœud qu'après ceux de tous ses descendants (le préordre inversé convient). Commencer par la "
              "racine rétrécit un parent selon la force de ses enfants avant qu'ils soient seuillés.",
        "fa": "آستانه‌های گروهی را از برگ‌ها به بالا ترکیب کنید: گروه هر گره را فقط پس از گروه‌های همهٔ "
              "نوادگانش آستانه بزنید (پیش‌ترتیب وارونه کار می‌کند). شروع از ریشه، والد را به اندازهٔ "
              "قدرتی کوچک می‌کند که فرزندانش پیش از آستانه‌خوردن دارند.",
        "ko": "그룹 임계화를 리프에서 위로 합성하세요. 한 노드의 그룹은 모든 자손의 그룹을 처리한 뒤에만 "
              "임계화합니다 (전위 순서를 뒤집으면 됩니다). 루트부터 시작하면 자식이 임계화되기 전의 "
              "크기로 부모를 줄이게 됩니다.",
    },
    "tree_running": {
        "en": "each group threshold acts on the vector left by the thresholds before it (the running "
              "vector), not on the original v: a node's group norm must be measured after its "
              "descendants' groups have been shrunk.",
        "es": "cada umbral de grupo actúa sobre el vector que dejan los umbrales anteriores (el vector "
              "en curso), no sobre el v original: la norma del grupo de un nodo se mide después de "
              "encoger los grupos de sus descendientes.",
        "it": "ogni soglia di gruppo agisce sul vettore lasciato dalle soglie precedenti (il vettore "
              "corrente), non sul v originale: la norma del gruppo di un nodo va misurata dopo aver "
              "ridotto i gruppi dei suoi discendenti.",
        "fr": "chaque seuillage de groupe agit sur le vecteur laissé par les seuillages précédents (le "
              "vecteur courant), pas sur le v d'origine : la norme du groupe d'un nœud se mesure après "
              "le rétrécissement des groupes de ses descendants.",
        "fa": "هر آستانهٔ گروهی روی برداری عمل می‌کند که آستانه‌های قبلی به جا گذاشته‌اند (بردار جاری)، "
              "نه روی v اصلی: نُرم گروه یک گره را باید پس از کوچک‌شدن گروه‌های نوادگانش اندازه گرفت.",
        "ko": "각 그룹 임계값은 원래의 v가 아니라 앞선 임계값들이 남긴 벡터(진행 중인 벡터)에 작용합니다. "
              "한 노드의 그룹 노름은 자손들의 그룹을 줄인 다음에 재야 합니다.",
    },
    "tree_weight": {
        "en": "the group of node u has its own weight: its threshold is theta * weight[u], not theta. "
              "Row k of tree.groups() is the group of node tree.preorder[k].",
        "es": "el grupo del nodo u tiene su propio peso: su umbral es theta * weight[u], no theta. "
              "La fila k de tree.groups() es el grupo del nodo tree.preorder[k].",
        "it": "il gruppo del nodo u ha un proprio peso: la sua soglia è theta * weight[u], non theta. "
              "La riga k di tree.groups() è il gruppo del nodo tree.preorder[k].",
        "fr": "le groupe du nœud u a son propre poids : son seuil est theta * weight[u], pas theta. "
              "La ligne k de tree.groups() est le groupe du nœud tree.preorder[k].",
        "fa": "گروه گره u وزن خودش را دارد: آستانهٔ آن theta * weight[u] است، نه theta. "
              "سطر k از tree.groups() گروه گره tree.preorder[k] است.",
        "ko": "노드 u의 그룹에는 고유한 가중치가 있습니다. 임계값은 theta가 아니라 theta * weight[u]입니다. "
              "tree.groups()의 k번째 행은 노드 tree.preorder[k]의 그룹입니다.",
    },
    "tree_nodes": {
        "en": "the group of node u is u with all its descendants (its subtree), not u alone: "
              "thresholding every node on its own is the l1 prox and loses the hierarchy.",
        "es": "el grupo del nodo u es u con todos sus descendientes (su subárbol), no u solo: "
              "umbralizar cada nodo por separado es el prox de l1 y pierde la jerarquía.",
        "it": "il gruppo del nodo u è u con tutti i suoi discendenti (il suo sottoalbero), non u da "
              "solo: applicare la soglia a ogni nodo da solo è il prox di l1 e perde la gerarchia.",
        "fr": "le groupe du nœud u est u avec tous ses descendants (son sous-arbre), pas u seul : "
              "seuiller chaque nœud isolément donne le prox de l1 et perd la hiérarchie.",
        "fa": "گروه گره u خود u همراه با همهٔ نوادگانش (زیردرخت آن) است، نه u به‌تنهایی: آستانه‌زدن "
              "جداگانهٔ هر گره همان prox نُرم l1 است و سلسله‌مراتب را از دست می‌دهد.",
        "ko": "노드 u의 그룹은 u 하나가 아니라 u와 모든 자손(부분 트리)입니다. 노드마다 따로 "
              "임계화하면 l1의 근접 연산자가 되어 계층 구조가 사라집니다.",
    },
    "tree_zero": {
        "en": "a subtree that is all zeros has norm 0: clamp the norm to a tiny positive number before "
              "dividing, so that it stays 0 without NaN; a group's threshold is theta * weight[u].",
        "es": "un subárbol de ceros tiene norma 0: acota la norma por debajo con un número positivo "
              "diminuto antes de dividir, para que siga en 0 sin NaN; el umbral de un grupo es theta * weight[u].",
        "it": "un sottoalbero tutto nullo ha norma 0: limita la norma dal basso con un numero positivo "
              "minuscolo prima di dividere, così resta 0 senza NaN; la soglia di un gruppo è theta * weight[u].",
        "fr": "un sous-arbre nul a une norme 0 : minorez la norme par un tout petit nombre positif avant "
              "de diviser, pour qu'il reste à 0 sans NaN ; le seuil d'un groupe est theta * weight[u].",
        "fa": "نُرم زیردرختی که همه‌اش صفر است 0 است: پیش از تقسیم، نُرم را از پایین به عددی مثبت و بسیار "
              "کوچک محدود کنید تا بدون NaN صفر بماند؛ آستانهٔ هر گروه theta * weight[u] است.",
        "ko": "모두 0인 부분 트리의 노름은 0입니다. 나누기 전에 노름을 아주 작은 양수 이상으로 제한해 "
              "NaN 없이 0으로 남게 하세요. 그룹의 임계값은 theta * weight[u]입니다.",
    },
    # --- the certificate of a group-lasso solution (issue 18)
    "cert_norm": {
        "en": "a zero pool is optimal when the norm of its correlations ||W_d,Pᵀ r||_2 is at most λ "
              "(the subdifferential of ||.||_2 at 0 is the unit ball), not when each |(W_dᵀ r)_i| is: return "
              "max(0, ||W_d,Pᵀ r||_2 − λ).",
        "es": "un grupo nulo es óptimo cuando la norma de sus correlaciones ||W_d,Pᵀ r||_2 es a lo sumo λ "
              "(el subdiferencial de ||.||_2 en 0 es la bola unidad), no cuando lo es cada |(W_dᵀ r)_i|: "
              "devuelve max(0, ||W_d,Pᵀ r||_2 − λ).",
        "it": "un gruppo nullo è ottimo quando la norma delle sue correlazioni ||W_d,Pᵀ r||_2 è al più λ "
              "(il subdifferenziale di ||.||_2 in 0 è la palla unitaria), non quando lo è ogni |(W_dᵀ r)_i|: "
              "restituisci max(0, ||W_d,Pᵀ r||_2 − λ).",
        "fr": "un groupe nul est optimal quand la norme de ses corrélations ||W_d,Pᵀ r||_2 vaut au plus λ "
              "(le sous-différentiel de ||.||_2 en 0 est la boule unité), pas quand chaque |(W_dᵀ r)_i| le fait : "
              "renvoyez max(0, ||W_d,Pᵀ r||_2 − λ).",
        "fa": "یک گروه صفر وقتی بهینه است که نُرم همبستگی‌هایش ||W_d,Pᵀ r||_2 حداکثر λ باشد (زیرمشتق "
              "||.||_2 در 0 گوی یکه است)، نه وقتی که تک‌تک |(W_dᵀ r)_i| چنین باشند: max(0, ||W_d,Pᵀ r||_2 − λ) را برگردانید.",
        "ko": "0인 그룹은 각 |(W_dᵀ r)_i|가 아니라 상관의 노름 ||W_d,Pᵀ r||_2가 λ 이하일 때 최적입니다 "
              "(0에서 ||.||_2의 하미분은 단위 공입니다). max(0, ||W_d,Pᵀ r||_2 − λ)를 반환하세요.",
    },
    "cert_direction": {
        "en": "for an active pool, ||W_d,Pᵀ r||_2 ≤ λ is not enough: the subdifferential is the single "
              "point z_P / ||z_P||_2, so W_d,Pᵀ r must equal λ z_P / ||z_P||_2; return the norm of the difference.",
        "es": "para un grupo activo, ||W_d,Pᵀ r||_2 ≤ λ no basta: el subdiferencial es el único punto "
              "z_P / ||z_P||_2, así que W_d,Pᵀ r debe valer λ z_P / ||z_P||_2; devuelve la norma de la diferencia.",
        "it": "per un gruppo attivo ||W_d,Pᵀ r||_2 ≤ λ non basta: il subdifferenziale è il solo punto "
              "z_P / ||z_P||_2, quindi W_d,Pᵀ r deve valere λ z_P / ||z_P||_2; restituisci la norma della differenza.",
        "fr": "pour un groupe actif, ||W_d,Pᵀ r||_2 ≤ λ ne suffit pas : le sous-différentiel est le seul "
              "point z_P / ||z_P||_2, donc W_d,Pᵀ r doit valoir λ z_P / ||z_P||_2 ; renvoyez la norme de la différence.",
        "fa": "برای گروه فعال ||W_d,Pᵀ r||_2 ≤ λ کافی نیست: زیرمشتق تنها نقطهٔ z_P / ||z_P||_2 است، پس "
              "W_d,Pᵀ r باید برابر λ z_P / ||z_P||_2 باشد؛ نُرم اختلاف را برگردانید.",
        "ko": "활성 그룹에서는 ||W_d,Pᵀ r||_2 ≤ λ로는 부족합니다. 하미분이 한 점 z_P / ||z_P||_2이므로 "
              "W_d,Pᵀ r는 λ z_P / ||z_P||_2와 같아야 합니다. 그 차이의 노름을 반환하세요.",
    },
    "cert_sign": {
        "en": "the correlations are W_dᵀ r with r = x − W_d z (in rows: (x − z @ W_d.T) @ W_d), minus the "
              "gradient of the reconstruction term; with the residual W_d z − x an optimal active "
              "pool points the wrong way.",
        "es": "las correlaciones son W_dᵀ r con r = x − W_d z (por filas: (x − z @ W_d.T) @ W_d), menos el "
              "gradiente del término de reconstrucción; con el residuo W_d z − x un grupo activo óptimo "
              "apunta al revés.",
        "it": "le correlazioni sono W_dᵀ r con r = x − W_d z (per righe: (x − z @ W_d.T) @ W_d), meno il "
              "gradiente del termine di ricostruzione; con il residuo W_d z − x un gruppo attivo ottimo "
              "punta dalla parte sbagliata.",
        "fr": "les corrélations sont W_dᵀ r avec r = x − W_d z (en lignes : (x − z @ W_d.T) @ W_d), moins le "
              "gradient du terme de reconstruction ; avec le résidu W_d z − x, un groupe actif optimal "
              "pointe dans le mauvais sens.",
        "fa": "همبستگی‌ها W_dᵀ r با r = x − W_d z هستند (به صورت سطری: (x − z @ W_d.T) @ W_d)، یعنی منفی "
              "گرادیان جملهٔ بازسازی؛ با باقی‌ماندهٔ W_d z − x یک گروه فعال بهینه در جهت وارونه می‌افتد.",
        "ko": "상관은 W_dᵀ r이고 r = x − W_d z입니다 (행 기준: (x − z @ W_d.T) @ W_d). 복원 항 기울기의 "
              "음수입니다. 잔차를 W_d z − x로 쓰면 최적인 활성 그룹이 반대 방향을 가리킵니다.",
    },
    "cert_zero": {
        "en": "a zero pool has no direction: do not divide by ||z_P||_2 = 0 (that gives NaN); decide "
              "first which pools are zero and treat them with the unit ball.",
        "es": "un grupo nulo no tiene dirección: no dividas por ||z_P||_2 = 0 (da NaN); decide primero "
              "qué grupos son nulos y trátalos con la bola unidad.",
        "it": "un gruppo nullo non ha direzione: non dividere per ||z_P||_2 = 0 (dà NaN); decidi prima "
              "quali gruppi sono nulli e trattali con la palla unitaria.",
        "fr": "un groupe nul n'a pas de direction : ne divisez pas par ||z_P||_2 = 0 (cela donne NaN) ; "
              "décidez d'abord quels groupes sont nuls et traitez-les avec la boule unité.",
        "fa": "گروه صفر جهت ندارد: بر ||z_P||_2 = 0 تقسیم نکنید (NaN می‌دهد)؛ اول معلوم کنید کدام "
              "گروه‌ها صفرند و آن‌ها را با گوی یکه بسنجید.",
        "ko": "0인 그룹에는 방향이 없습니다. ||z_P||_2 = 0으로 나누지 마세요 (NaN이 됩니다). 먼저 어떤 "
              "그룹이 0인지 정하고 그 그룹은 단위 공으로 판단하세요.",
    },
}
