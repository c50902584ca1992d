"""Words several explorers use: its words in the course's six languages (key -> language -> text)."""

TEXTS = {
    "explorer.none": {
        "en": "none", "es": "ninguna", "it": "nessuna", "fr": "aucune", "fa": "هیچ", "ko": "없음",
    },
}
