"""Explorer of lateral inhibition on a tree (chapter 5): its words in the course's six languages (key -> language -> text)."""

TEXTS = {
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
}
