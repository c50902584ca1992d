"""Explorer of today's SAEs, sparsity against fidelity (chapter 6): its words in the course's
six languages (key -> language -> text)."""

TEXTS = {
    "sae.title": {
        "en": "Today's sparse auto-encoders: sparsity against fidelity and dead latents, for three activations",
        "es": "Los autocodificadores dispersos actuales: dispersión frente a fidelidad y latentes muertos, con tres activaciones",
        "it": "Gli autoencoder sparsi di oggi: sparsità contro fedeltà e latenti morti, per tre attivazioni",
        "fr": "Les auto-encodeurs parcimonieux d'aujourd'hui : parcimonie contre fidélité et latents morts, pour trois activations",
        "fa": "خودرمزگذارهای تنک امروزی: تنکی در برابر وفاداری و نهفته‌های مرده، برای سه تابع فعال‌سازی",
        "ko": "오늘날의 희소 오토인코더: 세 가지 활성화 함수의 희소성 대 충실도, 그리고 죽은 잠재 유닛",
    },
    "sae.family": {
        "en": "activation",
        "es": "función de activación",
        "it": "attivazione",
        "fr": "fonction d'activation",
        "fa": "تابع فعال‌سازی",
        "ko": "활성화 함수",
    },
    "sae.level": {
        "en": "sparsity level (1 = least sparse)",
        "es": "nivel de dispersión (1 = el menos disperso)",
        "it": "livello di sparsità (1 = il meno sparso)",
        "fr": "niveau de parcimonie (1 = le moins parcimonieux)",
        "fa": "سطح تنکی (1 = کمترین تنکی)",
        "ko": "희소성 수준 (1 = 가장 덜 희소함)",
    },
    "sae.alt": {
        "en": "{family} with {param} = {value}: {l0} active latents per input on average, a fraction {fvu} of the variance unexplained, and {dead} of the {m} latents dead (never active on the test activations). Left: fraction of variance unexplained against active latents for the three activations, the chosen SAE marked; right: the dead fraction against active latents.",
        "es": "{family} con {param} = {value}: de media, {l0} latentes activos por entrada, una fracción de varianza no explicada de {fvu}, y el {dead} de los {m} latentes, muertos (nunca se activan con las activaciones de prueba). Izquierda: fracción de varianza no explicada frente a latentes activos para las tres activaciones, con el SAE elegido marcado; derecha: la fracción de latentes muertos frente a latentes activos.",
        "it": "{family} con {param} = {value}: in media {l0} latenti attivi per input, frazione di varianza non spiegata {fvu}, latenti morti: il {dead} dei {m} (mai attivi sulle attivazioni di test). A sinistra: la frazione di varianza non spiegata in funzione dei latenti attivi per le tre attivazioni, con il SAE scelto evidenziato; a destra: la frazione di latenti morti in funzione dei latenti attivi.",
        "fr": "{family} avec {param} = {value} : {l0} latents actifs par entrée en moyenne, une fraction de variance non expliquée de {fvu}, et {dead} des {m} latents sont morts (ils ne s'activent jamais sur les activations de test). À gauche : la fraction de variance non expliquée en fonction du nombre de latents actifs pour les trois fonctions d'activation, le SAE choisi étant mis en évidence ; à droite : la fraction de latents morts en fonction du nombre de latents actifs.",
        "fa": "{family} با {param} = {value}: به‌طور میانگین {l0} نهفتهٔ فعال برای هر ورودی، کسر واریانس توضیح‌داده‌نشده برابر {fvu}، و از {m} نهفته {dead} مرده‌اند (هرگز روی فعال‌سازی‌های آزمون فعال نمی‌شوند). چپ: کسر واریانس توضیح‌داده‌نشده بر حسب تعداد نهفته‌های فعال برای سه تابع فعال‌سازی، که SAE انتخاب‌شده روی آن علامت خورده است؛ راست: کسر نهفته‌های مرده بر حسب تعداد نهفته‌های فعال.",
        "ko": "{family}, {param} = {value}: 입력당 활성 잠재 유닛은 평균 {l0}개, 설명되지 않은 분산 비율은 {fvu}이며, 잠재 유닛 {m}개 중 {dead}가 죽은 잠재 유닛입니다(테스트 활성값에서 한 번도 켜지지 않음). 왼쪽: 세 활성화 함수에 대해 설명되지 않은 분산 비율을 활성 잠재 유닛 수에 대해 그린 것으로, 선택한 SAE를 표시했습니다. 오른쪽: 죽은 비율을 활성 잠재 유닛 수에 대해 그린 것입니다.",
    },
}
