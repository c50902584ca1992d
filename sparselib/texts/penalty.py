"""Explorer of the penalty geometry (chapter 1): its words in the course's six languages (key -> language -> text)."""

TEXTS = {
    "penalty.title": {
        "en": "Penalty geometry: level sets and where the proximal operator sends a point",
        "es": "Geometría de las penalizaciones: curvas de nivel y adónde lleva un punto el operador proximal",
        "it": "Geometria delle penalità: insiemi di livello e dove l'operatore prossimale porta un punto",
        "fr": "Géométrie des pénalités : lignes de niveau et image d'un point par l'opérateur proximal",
        "fa": "هندسهٔ جریمه‌ها: مجموعه‌های تراز و جایی که عملگر نزدیکی یک نقطه را می‌برد",
        "ko": "페널티의 기하: 등위선과 근접 연산자가 점을 보내는 곳",
    },
    "penalty.lam": {
        "en": "penalty weight λ", "es": "peso de la penalización λ",
        "it": "peso della penalità λ", "fr": "poids de la pénalité λ",
        "fa": "وزن جریمه λ", "ko": "페널티 가중치 λ",
    },
    "penalty.alt": {
        "en": "λ = {lam}. Level sets of three penalties in the plane. The point ({v1}, {v2}) is "
              "sent by the proximal operator to ({a1}, {a2}) with the L1 norm, to ({b1}, {b2}) "
              "with the group L2 norm and to ({c1}, {c2}) with lateral inhibition; the shaded "
              "areas are the points sent onto an axis or to 0.",
        "es": "λ = {lam}. Curvas de nivel de tres penalizaciones en el plano. El operador proximal "
              "lleva el punto ({v1}, {v2}) a ({a1}, {a2}) con la norma L1, a ({b1}, {b2}) con la "
              "norma L2 por grupos y a ({c1}, {c2}) con la inhibición lateral; las zonas sombreadas "
              "son los puntos enviados a un eje o a 0.",
        "it": "λ = {lam}. Insiemi di livello di tre penalità nel piano. L'operatore prossimale porta "
              "il punto ({v1}, {v2}) in ({a1}, {a2}) con la norma L1, in ({b1}, {b2}) con la norma "
              "L2 a gruppi e in ({c1}, {c2}) con l'inibizione laterale; le zone ombreggiate sono i "
              "punti mandati su un asse o in 0.",
        "fr": "λ = {lam}. Lignes de niveau de trois pénalités dans le plan. L'opérateur proximal "
              "envoie le point ({v1}, {v2}) en ({a1}, {a2}) avec la norme L1, en ({b1}, {b2}) avec "
              "la norme L2 par groupes et en ({c1}, {c2}) avec l'inhibition latérale ; les zones "
              "ombrées sont les points envoyés sur un axe ou en 0.",
        "fa": "λ = {lam}. مجموعه‌های تراز سه جریمه در صفحه. عملگر نزدیکی نقطهٔ ({v1}, {v2}) را با "
              "نُرم L1 به ({a1}, {a2})، با نُرم L2 گروهی به ({b1}, {b2}) و با مهار جانبی به "
              "({c1}, {c2}) می‌برد؛ ناحیه‌های سایه‌دار نقطه‌هایی‌اند که روی یک محور یا به 0 برده می‌شوند.",
        "ko": "λ = {lam}. 평면에서 세 페널티의 등위선. 근접 연산자는 점 ({v1}, {v2})를 L1 노름에서는 "
              "({a1}, {a2})로, 그룹 L2 노름에서는 ({b1}, {b2})로, 측면 억제에서는 ({c1}, {c2})로 "
              "보냅니다. 음영 영역은 축 위나 0으로 보내지는 점들입니다.",
    },
}
