"""Chapter 4 (stacked convolutional auto-encoders): the hints of its exercises' checks, in the course's six languages.

Each key names a mistake a check can diagnose; each value maps a language to its hint.
"""

HINTS = {
    "encoder": {
        "en": "z_i = g_i * ReLU(W_e,i * x - b_i): torch.nn.functional.conv2d(x, W_e, -b, padding=padding) "
              "(conv2d adds its bias, so pass -b), then relu, then multiply map i by g[i] (reshape g "
              "to (n_maps, 1, 1) to broadcast).",
        "es": "z_i = g_i * ReLU(W_e,i * x - b_i): torch.nn.functional.conv2d(x, W_e, -b, padding=padding) "
              "(conv2d suma su sesgo, así que pasa -b), luego relu, luego multiplica el mapa i por g[i] "
              "(cambia g a la forma (n_maps, 1, 1) para que se difunda).",
        "it": "z_i = g_i * ReLU(W_e,i * x - b_i): torch.nn.functional.conv2d(x, W_e, -b, padding=padding) "
              "(conv2d somma il suo bias, quindi passa -b), poi relu, poi moltiplica la mappa i per g[i] "
              "(porta g alla forma (n_maps, 1, 1) per il broadcasting).",
        "fr": "z_i = g_i * ReLU(W_e,i * x - b_i) : torch.nn.functional.conv2d(x, W_e, -b, padding=padding) "
              "(conv2d ajoute son biais, passez donc -b), puis relu, puis multipliez la carte i par g[i] "
              "(donnez à g la forme (n_maps, 1, 1) pour la diffusion).",
        "fa": "z_i = g_i * ReLU(W_e,i * x - b_i): ابتدا torch.nn.functional.conv2d(x, W_e, -b, padding=padding) "
              "(conv2d بایاس خود را جمع می‌کند، پس -b بدهید)، سپس relu، سپس نقشهٔ i را در g[i] ضرب کنید "
              "(g را به شکل (n_maps, 1, 1) درآورید تا پخش شود).",
        "ko": "z_i = g_i * ReLU(W_e,i * x - b_i): torch.nn.functional.conv2d(x, W_e, -b, padding=padding) "
              "(conv2d는 편향을 더하므로 -b를 넘기세요), 그다음 relu, 그다음 맵 i에 g[i]를 곱하세요 "
              "(브로드캐스트되도록 g를 (n_maps, 1, 1) 모양으로 바꾸세요).",
    },
    "threshold": {
        "en": "b is a threshold subtracted before the ReLU: a larger b_i makes map i less active. "
              "conv2d(x, W_e, b) adds b; pass -b instead (or subtract b[:, None, None] afterwards).",
        "es": "b es un umbral que se resta antes de la ReLU: un b_i mayor hace el mapa i menos activo. "
              "conv2d(x, W_e, b) suma b; pasa -b (o resta b[:, None, None] después).",
        "it": "b è una soglia sottratta prima della ReLU: un b_i più grande rende la mappa i meno attiva. "
              "conv2d(x, W_e, b) somma b; passa -b (o sottrai b[:, None, None] dopo).",
        "fr": "b est un seuil soustrait avant la ReLU : un b_i plus grand rend la carte i moins active. "
              "conv2d(x, W_e, b) ajoute b ; passez -b (ou soustrayez b[:, None, None] ensuite).",
        "fa": "b آستانه‌ای است که پیش از ReLU کم می‌شود: b_i بزرگ‌تر نقشهٔ i را کم‌فعال‌تر می‌کند. "
              "conv2d(x, W_e, b) مقدار b را جمع می‌کند؛ به جای آن -b بدهید (یا بعداً b[:, None, None] را کم کنید).",
        "ko": "b는 ReLU 앞에서 빼는 임계값입니다. b_i가 클수록 맵 i는 덜 활성화됩니다. "
              "conv2d(x, W_e, b)는 b를 더하므로 -b를 넘기세요 (또는 나중에 b[:, None, None]를 빼세요).",
    },
    "order": {
        "en": "the gain comes after the ReLU, and a gain of 0 switches its map off entirely.",
        "es": "la ganancia va después de la ReLU, y una ganancia 0 apaga su mapa por completo.",
        "it": "il guadagno viene dopo la ReLU, e un guadagno 0 spegne del tutto la sua mappa.",
        "fr": "le gain vient après la ReLU, et un gain nul éteint entièrement sa carte.",
        "fa": "بهره بعد از ReLU می‌آید و بهرهٔ 0 نقشهٔ خود را کاملاً خاموش می‌کند.",
        "ko": "이득은 ReLU 다음에 곱하며, 이득이 0이면 그 맵은 완전히 꺼집니다.",
    },
    "groups": {
        "en": "square z, reshape to (batch, n_maps // group_size, group_size, H, W) and sum over "
              "the group axis; then sum over every pool x pool window (avg_pool2d times pool², "
              "or unfold) and take the square root.",
        "es": "eleva z al cuadrado, cambia la forma a (batch, n_maps // group_size, group_size, H, W) "
              "y suma sobre el eje del grupo; luego suma en cada ventana pool x pool (avg_pool2d "
              "por pool², o unfold) y toma la raíz cuadrada.",
        "it": "eleva z al quadrato, porta la forma a (batch, n_maps // group_size, group_size, H, W) "
              "e somma sull'asse del gruppo; poi somma su ogni finestra pool x pool (avg_pool2d per "
              "pool², o unfold) e prendi la radice quadrata.",
        "fr": "élevez z au carré, donnez-lui la forme (batch, n_maps // group_size, group_size, H, W) "
              "et sommez sur l'axe du groupe ; puis sommez sur chaque fenêtre pool x pool "
              "(avg_pool2d fois pool², ou unfold) et prenez la racine carrée.",
        "fa": "z را به توان دو برسانید، به شکل (batch, n_maps // group_size, group_size, H, W) "
              "درآورید و روی محور گروه جمع کنید؛ سپس روی هر پنجرهٔ pool x pool جمع بزنید "
              "(avg_pool2d ضرب در pool²، یا unfold) و ریشهٔ دوم بگیرید.",
        "ko": "z를 제곱하고 (batch, n_maps // group_size, group_size, H, W) 모양으로 바꾼 뒤 "
              "그룹 축으로 더하세요. 그다음 각 pool x pool 창에서 더하고 (avg_pool2d에 pool²를 "
              "곱하거나 unfold) 제곱근을 취하세요.",
    },
    "stride": {
        "en": "windows start every 'stride' positions: with stride 1 they overlap, and the output "
              "has (H - pool) // stride + 1 rows.",
        "es": "las ventanas empiezan cada 'stride' posiciones: con stride 1 se solapan, y la salida "
              "tiene (H - pool) // stride + 1 filas.",
        "it": "le finestre iniziano ogni 'stride' posizioni: con stride 1 si sovrappongono, e "
              "l'uscita ha (H - pool) // stride + 1 righe.",
        "fr": "les fenêtres commencent toutes les 'stride' positions : avec stride 1 elles se "
              "chevauchent, et la sortie a (H - pool) // stride + 1 lignes.",
        "fa": "پنجره‌ها هر 'stride' موقعیت یک بار شروع می‌شوند: با stride=1 هم‌پوشانی دارند و "
              "خروجی (H - pool) // stride + 1 سطر دارد.",
        "ko": "창은 'stride' 위치마다 시작합니다. stride=1이면 창이 겹치고, 출력의 행 수는 "
              "(H - pool) // stride + 1입니다.",
    },
    "four": {
        "en": "a rectified unit is never negative, so two maps (+cos, +sin) see only a quarter of the "
              "phases: for cos ψ < 0 the map with the opposite filter responds. Return "
              "ReLU(a cos ψ), ReLU(-a cos ψ), ReLU(a sin ψ), ReLU(-a sin ψ) on a last axis of size 4.",
        "es": "una unidad rectificada nunca es negativa, así que dos mapas (+cos, +sin) solo ven un "
              "cuarto de las fases: si cos ψ < 0 responde el mapa con el filtro opuesto. Devuelve "
              "ReLU(a cos ψ), ReLU(-a cos ψ), ReLU(a sin ψ), ReLU(-a sin ψ) en un último eje de tamaño 4.",
        "it": "un'unità rettificata non è mai negativa, quindi due mappe (+cos, +sin) vedono solo un "
              "quarto delle fasi: per cos ψ < 0 risponde la mappa con il filtro opposto. Restituisci "
              "ReLU(a cos ψ), ReLU(-a cos ψ), ReLU(a sin ψ), ReLU(-a sin ψ) su un ultimo asse di taglia 4.",
        "fr": "une unité rectifiée n'est jamais négative : deux cartes (+cos, +sin) ne voient qu'un quart "
              "des phases ; pour cos ψ < 0, c'est la carte au filtre opposé qui répond. Renvoyez "
              "ReLU(a cos ψ), ReLU(-a cos ψ), ReLU(a sin ψ), ReLU(-a sin ψ) sur un dernier axe de taille 4.",
        "fa": "واحد یکسوشده هرگز منفی نیست، پس دو نقشه (+cos و +sin) فقط یک‌چهارم فازها را می‌بینند: "
              "وقتی cos ψ < 0 است نقشه‌ای با فیلتر مخالف پاسخ می‌دهد. ReLU(a cos ψ)، ReLU(-a cos ψ)، "
              "ReLU(a sin ψ) و ReLU(-a sin ψ) را روی محور آخری به اندازهٔ 4 برگردانید.",
        "ko": "정류된 유닛은 음수가 될 수 없으므로 두 맵(+cos, +sin)은 위상의 4분의 1만 봅니다. "
              "cos ψ < 0이면 반대 필터의 맵이 반응합니다. ReLU(a cos ψ), ReLU(-a cos ψ), "
              "ReLU(a sin ψ), ReLU(-a sin ψ)를 크기 4인 마지막 축에 담아 반환하세요.",
    },
    "quad_order": {
        "en": "keep the order +cos, -cos, +sin, -sin (torch.stack([...], dim=-1)) and rectify each "
              "response: no unit is negative.",
        "es": "mantén el orden +cos, -cos, +sin, -sin (torch.stack([...], dim=-1)) y rectifica cada "
              "respuesta: ninguna unidad es negativa.",
        "it": "mantieni l'ordine +cos, -cos, +sin, -sin (torch.stack([...], dim=-1)) e rettifica ogni "
              "risposta: nessuna unità è negativa.",
        "fr": "gardez l'ordre +cos, -cos, +sin, -sin (torch.stack([...], dim=-1)) et rectifiez chaque "
              "réponse : aucune unité n'est négative.",
        "fa": "ترتیب +cos، -cos، +sin، -sin را نگه دارید (torch.stack([...], dim=-1)) و هر پاسخ را "
              "یکسو کنید: هیچ واحدی منفی نیست.",
        "ko": "+cos, -cos, +sin, -sin 순서를 지키고 (torch.stack([...], dim=-1)) 각 응답을 정류하세요. "
              "음수인 유닛은 없습니다.",
    },
    "overlap": {
        "en": "a 3 × 3 convolution on top of a 3 × 3 one sees 5 × 5 pixels, not 6 × 6: neighbouring "
              "windows share pixels, so a stage of width k adds k − 1 steps of the map below it to what "
              "a unit sees (and before any stage a unit sees 1 pixel, not 0).",
        "es": "una convolución 3 × 3 sobre otra 3 × 3 ve 5 × 5 píxeles, no 6 × 6: las ventanas vecinas "
              "comparten píxeles, así que una etapa de anchura k añade k − 1 pasos del mapa de abajo a lo "
              "que ve una unidad (y antes de cualquier etapa una unidad ve 1 píxel, no 0).",
        "it": "una convoluzione 3 × 3 sopra un'altra 3 × 3 vede 5 × 5 pixel, non 6 × 6: le finestre vicine "
              "condividono pixel, quindi uno stadio di larghezza k aggiunge k − 1 passi della mappa "
              "sottostante a ciò che vede un'unità (e prima di ogni stadio un'unità vede 1 pixel, non 0).",
        "fr": "une convolution 3 × 3 posée sur une autre 3 × 3 voit 5 × 5 pixels, pas 6 × 6 : des fenêtres "
              "voisines partagent des pixels, donc une étape de largeur k ajoute k − 1 pas de la carte du "
              "dessous à ce que voit une unité (et avant toute étape une unité voit 1 pixel, pas 0).",
        "fa": "یک کانولوشن 3 × 3 روی کانولوشن 3 × 3 دیگر 5 × 5 پیکسل می‌بیند، نه 6 × 6: پنجره‌های همسایه "
              "پیکسل مشترک دارند، پس مرحله‌ای به پهنای k به آنچه یک واحد می‌بیند k − 1 گام نقشهٔ زیرین را "
              "می‌افزاید (و پیش از هر مرحله، یک واحد 1 پیکسل می‌بیند، نه 0).",
        "ko": "3 × 3 합성곱 위에 3 × 3 합성곱을 쌓으면 6 × 6이 아니라 5 × 5 픽셀을 봅니다. 이웃한 창은 "
              "픽셀을 공유하므로 너비 k인 단계는 유닛이 보는 범위에 아래 맵의 k − 1 걸음을 더합니다 "
              "(어떤 단계도 거치기 전의 유닛은 0이 아니라 1 픽셀을 봅니다).",
    },
    "rf_stride": {
        "en": "after a stage with stride s, neighbouring units of its output are s input steps apart: "
              "every later stage widens the window by its k − 1 times the product of the strides "
              "before it, not by k − 1 pixels.",
        "es": "tras una etapa con stride s, las unidades vecinas de su salida están a s pasos de la "
              "entrada: cada etapa posterior ensancha la ventana en su k − 1 multiplicado por el producto "
              "de los strides anteriores, no en k − 1 píxeles.",
        "it": "dopo uno stadio con stride s, le unità vicine della sua uscita distano s passi "
              "dell'input: ogni stadio successivo allarga la finestra del suo k − 1 moltiplicato per il "
              "prodotto degli stride precedenti, non di k − 1 pixel.",
        "fr": "après une étape de stride s, des unités voisines de sa sortie sont à s pas de l'entrée "
              "l'une de l'autre : chaque étape suivante élargit la fenêtre de son k − 1 multiplié par le "
              "produit des strides précédents, pas de k − 1 pixels.",
        "fa": "پس از مرحله‌ای با گام s، واحدهای همسایهٔ خروجی آن در ورودی s موقعیت از هم فاصله دارند: "
              "هر مرحلهٔ بعدی پنجره را به اندازهٔ k − 1 خودش ضرب در حاصل‌ضرب گام‌های مرحله‌های پیشین پهن‌تر می‌کند، "
              "نه به اندازهٔ k − 1 پیکسل.",
        "ko": "스트라이드가 s인 단계 다음에는 그 출력의 이웃 유닛이 입력에서 s 걸음 떨어져 있습니다. "
              "이후의 각 단계는 창을 k − 1 픽셀이 아니라 자신의 k − 1에 앞선 스트라이드들의 곱을 곱한 만큼 "
              "넓힙니다.",
    },
    "own_stride": {
        "en": "a stage's stride spaces its windows but does not widen them: a 2 × 2 pool with stride 2 "
              "still sees 2 × 2 positions; its stride matters only for the stages after it.",
        "es": "el stride de una etapa separa sus ventanas pero no las ensancha: un pool 2 × 2 con "
              "stride 2 sigue viendo 2 × 2 posiciones; su stride solo cuenta para las etapas siguientes.",
        "it": "lo stride di uno stadio distanzia le sue finestre ma non le allarga: un pool 2 × 2 con "
              "stride 2 vede sempre 2 × 2 posizioni; il suo stride conta solo per gli stadi successivi.",
        "fr": "le stride d'une étape espace ses fenêtres sans les élargir : un pool 2 × 2 de stride 2 "
              "voit toujours 2 × 2 positions ; son stride ne compte que pour les étapes suivantes.",
        "fa": "گام هر مرحله پنجره‌هایش را از هم دور می‌کند ولی پهن‌ترشان نمی‌کند: یک پنجرهٔ ادغام 2 × 2 با "
              "گام 2 باز هم 2 × 2 موقعیت می‌بیند؛ گام آن فقط برای مرحله‌های بعدی اهمیت دارد.",
        "ko": "단계의 스트라이드는 창 사이의 간격을 정할 뿐 창을 넓히지 않습니다. 스트라이드가 2인 2 × 2 "
              "풀링 창도 여전히 2 × 2 위치를 봅니다. 그 스트라이드는 다음 단계들에만 영향을 줍니다.",
    },
    "stack_order": {
        "en": "layer 1 is frozen and its decoder dropped: compute its feature maps (convolution, minus "
              "b, ReLU, gain), L2-pool them, and only then apply layer 2's encoder to the pooled maps. "
              "Pooling the linear responses before the ReLU counts a negative response as much as a "
              "positive one.",
        "es": "la capa 1 está congelada y su decodificador descartado: calcula sus mapas (convolución, "
              "menos b, ReLU, ganancia), aplícales el pooling L2 y solo entonces el codificador de la "
              "capa 2 a los mapas agrupados. Agrupar las respuestas lineales antes de la ReLU cuenta una "
              "respuesta negativa tanto como una positiva.",
        "it": "lo strato 1 è congelato e il suo decoder scartato: calcola le sue mappe (convoluzione, "
              "meno b, ReLU, guadagno), applica il pooling L2 e solo allora l'encoder dello strato 2 alle "
              "mappe aggregate. Aggregare le risposte lineari prima della ReLU conta una risposta "
              "negativa quanto una positiva.",
        "fr": "la couche 1 est gelée et son décodeur abandonné : calculez ses cartes (convolution, moins "
              "b, ReLU, gain), appliquez-leur le pooling L2, et seulement ensuite l'encodeur de la couche 2 "
              "aux cartes agrégées. Agréger les réponses linéaires avant la ReLU compte une réponse "
              "négative autant qu'une positive.",
        "fa": "لایهٔ 1 منجمد است و رمزگشای آن کنار گذاشته شده: نقشه‌های آن را حساب کنید (کانولوشن، منهای "
              "b، ReLU، بهره)، ادغام L2 را روی آن‌ها انجام دهید و تنها پس از آن رمزگذار لایهٔ 2 را روی "
              "نقشه‌های ادغام‌شده بزنید. ادغام پاسخ‌های خطی پیش از ReLU یک پاسخ منفی را هم‌وزن یک پاسخ "
              "مثبت به حساب می‌آورد.",
        "ko": "층 1은 고정되어 있고 디코더는 버려졌습니다. 먼저 층 1의 특징 맵(합성곱, b 빼기, ReLU, "
              "이득)을 계산하고 L2 풀링한 다음에야 풀링된 맵에 층 2의 인코더를 적용하세요. ReLU 전에 "
              "선형 응답을 풀링하면 음의 응답이 양의 응답만큼 세어집니다.",
    },
    "stack_stride": {
        "en": "layer 1's pools start every 'stride' positions: with stride 2 its pooled maps, the input "
              "of layer 2, are about half as wide as its feature maps.",
        "es": "los pools de la capa 1 empiezan cada 'stride' posiciones: con stride 2 sus mapas "
              "agrupados, la entrada de la capa 2, miden cerca de la mitad de ancho que sus mapas.",
        "it": "i pool dello strato 1 iniziano ogni 'stride' posizioni: con stride 2 le sue mappe "
              "aggregate, l'input dello strato 2, sono larghe circa la metà delle sue mappe.",
        "fr": "les pools de la couche 1 commencent toutes les 'stride' positions : avec stride 2 ses "
              "cartes agrégées, l'entrée de la couche 2, sont environ moitié moins larges que ses cartes.",
        "fa": "پنجره‌های ادغام لایهٔ 1 هر 'stride' موقعیت یک بار شروع می‌شوند: با stride=2 نقشه‌های ادغام‌شدهٔ آن، "
              "یعنی ورودی لایهٔ 2، تقریباً نصف پهنای نقشه‌های ویژگی‌اش را دارند.",
        "ko": "층 1의 풀링 창은 'stride' 위치마다 시작합니다. stride=2이면 층 2의 입력인 풀링된 맵의 "
              "너비는 특징 맵의 약 절반입니다.",
    },
}
