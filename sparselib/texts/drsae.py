"""Explorer of DrSAE over its iterations (chapter 2): its words in the course's six languages (key -> language -> text)."""

TEXTS = {
    "drsae.title": {
        "en": "DrSAE: the code over the iterations (part units settle first, categorical units build up)",
        "es": "DrSAE: el código a lo largo de las iteraciones (las unidades de partes se estabilizan "
              "primero, las categóricas crecen después)",
        "it": "DrSAE: il codice lungo le iterazioni (le unità di parte si stabilizzano prima, "
              "quelle categoriche crescono poi)",
        "fr": "DrSAE : le code au fil des itérations (les unités de parties se stabilisent d'abord, "
              "les unités catégorielles croissent ensuite)",
        "fa": "DrSAE: کد در طول تکرارها (واحدهای جزء زودتر پایدار می‌شوند و واحدهای رده‌ای کم‌کم رشد می‌کنند)",
        "ko": "DrSAE: 반복에 따른 코드 (부분 유닛이 먼저 자리 잡고 범주 유닛이 점차 커짐)",
    },
    "drsae.t": {
        "en": "iteration k", "es": "iteración k", "it": "iterazione k", "fr": "itération k",
        "fa": "تکرار k", "ko": "반복 k",
    },
    "drsae.sample": {
        "en": "input digit", "es": "dígito de entrada", "it": "cifra in ingresso",
        "fr": "chiffre en entrée", "fa": "رقم ورودی", "ko": "입력 숫자",
    },
    "drsae.alt": {
        "en": "Input {sample}, iteration {t} of {T}: {n} units active. Part units are at {part} % "
              "and categorical units at {cat} % of their final activity. The classifier reads "
              "digit {pred} from this code, with probability {prob} %; read after this iteration it "
              "classifies {acc} % of "
              "the test digits correctly.",
        "es": "Entrada {sample}, iteración {t} de {T}: {n} unidades activas. Las unidades de partes "
              "están al {part} % y las categóricas al {cat} % de su actividad final. El "
              "clasificador lee el dígito {pred} en este código, con probabilidad {prob} %; leído "
              "tras esta iteración, "
              "acierta el {acc} % de los dígitos de prueba.",
        "it": "Input {sample}, iterazione {t} di {T}: {n} unità attive. Le unità di parte sono al "
              "{part} % e quelle categoriche al {cat} % della loro attività finale. Il "
              "classificatore legge la cifra {pred} da questo codice, con probabilità {prob} %; "
              "letto dopo questa "
              "iterazione, classifica correttamente il {acc} % delle cifre di test.",
        "fr": "Entrée {sample}, itération {t} sur {T} : {n} unités actives. Les unités de parties "
              "sont à {part} % et les unités catégorielles à {cat} % de leur activité finale. Le "
              "classifieur lit le chiffre {pred} dans ce code, avec une probabilité de {prob} % ; "
              "lu après cette itération, il "
              "classe correctement {acc} % des chiffres de test.",
        "fa": "ورودی {sample}، تکرار {t} از {T}: {n} واحد فعال. واحدهای جزء در {part} ٪ و واحدهای "
              "رده‌ای در {cat} ٪ فعالیت نهایی خود هستند. دسته‌بند از این کد رقم {pred} را "
              "با احتمال {prob} ٪ می‌خواند؛ اگر پس از این تکرار خوانده شود، {acc} ٪ از رقم‌های آزمون را درست "
              "دسته‌بندی می‌کند.",
        "ko": "입력 {sample}, 반복 {t}/{T}: 활성 유닛 {n}개. 부분 유닛은 최종 활동의 {part} %, "
              "범주 유닛은 {cat} %에 있습니다. 분류기는 이 코드에서 숫자 {pred}을(를) {prob} %의 확률로 읽으며, "
              "이 반복 뒤에 읽으면 테스트 숫자의 {acc} %를 올바르게 분류합니다.",
    },
}
