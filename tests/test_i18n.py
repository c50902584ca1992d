"""One table of widget words, complete in all six languages."""
import re
import string

import pytest

from sparselib import i18n


def test_the_six_languages_of_the_book():
    assert i18n.LANGUAGES == ("en", "es", "it", "fr", "fa", "ko")
    assert i18n.RTL == {"fa"}


def test_the_library_speaks_the_manifests_languages():
    """book/manifest.yml is the one list of the book's languages; the library, which ships
    without it, holds the same codes in the same order and the same right-to-left ones."""
    from pathlib import Path

    import yaml

    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "book" / "manifest.yml")
                              .read_text(encoding="utf-8"))
    assert i18n.LANGUAGES == tuple(lang["code"] for lang in manifest["languages"])
    assert i18n.RTL == {lang["code"] for lang in manifest["languages"] if lang.get("dir") == "rtl"}


@pytest.mark.parametrize("key", sorted(i18n.TEXTS))
def test_every_key_is_in_every_language_and_not_empty(key):
    missing = [lang for lang in i18n.LANGUAGES if not i18n.TEXTS[key].get(lang, "").strip()]
    assert missing == [], f"{key!r} is missing in {missing}"
    assert set(i18n.TEXTS[key]) == set(i18n.LANGUAGES), f"{key!r} has unknown languages"


@pytest.mark.parametrize("key", sorted(i18n.TEXTS))
def test_templates_take_the_same_placeholders_in_every_language(key):
    fields = {lang: {f for _, f, _, _ in string.Formatter().parse(text) if f}
              for lang, text in i18n.TEXTS[key].items()}
    assert all(f == fields["en"] for f in fields.values()), fields


@pytest.mark.parametrize("key", sorted(i18n.TEXTS))
def test_translations_are_translated(key):
    """Short symbols may coincide; any longer English text copied verbatim is a missed translation."""
    en = i18n.TEXTS[key]["en"]
    copies = [lang for lang, text in i18n.TEXTS[key].items()
              if lang != "en" and text == en and len(en) > 8]
    assert copies == []


def test_persian_and_korean_are_in_their_scripts():
    for key, texts in i18n.TEXTS.items():
        assert re.search(r"[\u0600-\u06FF]", texts["fa"]), key
        assert re.search(r"[\uAC00-\uD7A3]", texts["ko"]), key


def test_terminology_lateral_inhibition():
    assert "lateral inhibition" in i18n.t("penalty.alt", "en")
    assert not any("natural inhibition" in texts["en"] for texts in i18n.TEXTS.values())


def test_t_and_direction():
    assert i18n.t("drsae.t", "fr") == "itération k"
    assert i18n.direction("fa") == "rtl" and i18n.direction("ko") == "ltr"
    with pytest.raises(ValueError, match=r"The 'lang' parameter of t must be one of en, es, it, "
                                         r"fr, fa, ko. Got 'de' instead."):
        i18n.t("drsae.t", "de")
    with pytest.raises(KeyError, match="The 'key' parameter of t must be a key"):
        i18n.t("no.such.key", "en")
    with pytest.raises(ValueError, match="The 'lang' parameter of direction"):
        i18n.direction("EN")


def explorer_keys() -> set:
    """The keys the explorers name in code (widgets.py and sparselib/explorers/)."""
    from pathlib import Path

    package = Path(i18n.__file__).parent
    source = "".join(f.read_text() for f in [package / "widgets.py", *sorted((package / "explorers").glob("*.py"))])
    used = set(re.findall(r'"((?:penalty|code|drsae|group|inhibition|pooling|sae|explorer)\.[a-z]+)"', source))
    prefixes = set(re.findall(r'prefix = "([a-z]+)"', source))
    return used | {f"{p}.{suffix}" for p in prefixes for suffix in ("title", "alt")}


def test_every_key_used_by_the_explorers_exists():
    """The explorers name their keys in code: each one is in the table."""
    used = explorer_keys()
    assert used and used <= set(i18n.TEXTS), sorted(used - set(i18n.TEXTS))


def test_the_table_holds_the_explorers_words_only():
    """Words only the book build uses (the stale-translation note) live with the build, in
    tools/student_links.py's WORDS: every key of the library's table is an explorer's."""
    assert set(i18n.TEXTS) <= explorer_keys(), sorted(set(i18n.TEXTS) - explorer_keys())


def test_a_key_written_in_two_text_modules_is_refused(monkeypatch):
    """sparselib.texts holds one module per explorer; merging refuses a key defined twice."""
    from sparselib import texts

    monkeypatch.setattr(texts.sae, "TEXTS", {**texts.sae.TEXTS, "penalty.lam": {"en": "x"}})
    with pytest.raises(ValueError, match="keys defined twice: penalty.lam"):
        texts.merged_texts()
    monkeypatch.undo()
    assert texts.merged_texts() == i18n.TEXTS
