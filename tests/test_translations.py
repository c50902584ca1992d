"""The translations: glossaries, code shared with English, exact staleness, student notebooks.

The built pages of each language are checked in tests/browser/test_languages.py.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import book  # noqa: E402
import book_manifest  # noqa: E402
import chapter_cells  # noqa: E402
import glossary  # noqa: E402
import students  # noqa: E402
import translations  # noqa: E402

MANIFEST = book_manifest.load_manifest()
SOURCE = MANIFEST["source_language"]
TRANSLATED = [lang["code"] for lang in MANIFEST["languages"]
              if lang["code"] != SOURCE and (ROOT / "chapters" / lang["code"]).is_dir()]


# --------------------------------------------------------------------------- glossaries
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_translated_language_has_a_glossary_with_the_core_terms(lang):
    terms = {glossary.english_term(t["en"]) for t in glossary.load(lang)}
    core = {"sparse code", "dictionary atom", "soft thresholding", "group sparsity", "pooling",
            "lateral inhibition", "part units", "categorical units", "pinwheel",
            "topographic map", "proximal operator"}
    assert core <= terms, f"book/glossary/{lang}.yml lacks {sorted(core - terms)}"
    for entry in glossary.load(lang):
        assert entry["use"] and entry["use"] not in (entry.get("reject") or []), entry


@pytest.mark.parametrize("lang", TRANSLATED)
def test_pages_use_the_glossary_and_no_rejected_form(lang):
    assert glossary.problems(lang) == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_pages_follow_their_writing_conventions(lang):
    assert glossary.writing_problems(lang) == []


def library_strings(lang: str) -> dict:
    """Every string the library prints in ``lang``: explorer labels, self-check messages, hints."""
    import importlib

    from sparselib import exercises
    from sparselib.i18n import TEXTS

    tables = [TEXTS, exercises.MESSAGES]
    for chapter in range(1, 6):
        module = importlib.import_module(f"sparselib.exercises.ch0{chapter}")
        tables += [v for k, v in vars(module).items() if k.isupper() and isinstance(v, dict)]
    return {key: texts[lang] for table in tables for key, texts in table.items()
            if isinstance(texts, dict) and isinstance(texts.get(lang), str)}


# English words that no translated string needs outside code (a hint once said "W_dᵀ r with
# r = x − W_d z" in four languages)
ENGLISH_WORDS = re.compile(r"(?<![\w'])(the|with|and|of|is|are|which|when|must|should)(?![\w'])", re.I)


@pytest.mark.parametrize("lang", [lang["code"] for lang in MANIFEST["languages"] if lang["code"] != SOURCE])
def test_the_librarys_translated_strings_carry_no_english_words(lang):
    strings = library_strings(lang)
    assert len(strings) > 100
    found = {key: ENGLISH_WORDS.findall(text) for key, text in strings.items() if ENGLISH_WORDS.search(text)}
    assert found == {}
    assert ENGLISH_WORDS.search(library_strings("en")["cert_sign"])  # the check sees English


def test_the_librarys_persian_strings_follow_the_writing_conventions():
    strings = library_strings("fa")
    assert len(strings) > 100
    found = {key: glossary.persian_writing(text) for key, text in strings.items()}
    assert not {k: v for k, v in found.items() if v}


def test_the_persian_writing_check_finds_each_departure():
    assert glossary.persian_writing("نُرم گروه و بُعد فضا، مثلاً 3 واحد") == []
    for wrong in ("كد تنك", "نقشۀ ویژگی", "فصل ۳", "فصل ٣", "کدِ تنک", "تُنُک"):
        assert glossary.persian_writing(wrong), wrong
    assert len(glossary.persian_writing("نُرمِ گروه")) == 1  # the kasra after نُرم is still a mark


def test_glossary_normalises_unicode_zwnj_and_arabic_letters():
    # NFD é, a zero-width non-joiner and Arabic yeh/kaf compare equal to their plain forms
    assert glossary.normalise("e\u0301") == glossary.normalise("é")
    assert glossary.normalise("می\u200cشود") == glossary.normalise("میشود")
    assert glossary.normalise("مهار جانبي كلي") == glossary.normalise("مهار جانبی کلی")
    pattern = glossary.term_pattern("مهار طبیعی", "fa")
    assert pattern.search(glossary.prose("این مهار طبيعي است"))          # Arabic yeh
    assert pattern.search(glossary.prose("این مهار\u200cطبیعی است")) is None  # a ZWNJ joins: one word
    # Korean particles attach to the noun: the term is found at the start of the word
    korean = glossary.term_pattern("희소성", "ko")
    assert korean.search(glossary.prose("희소성은 중요하다")) and korean.search(glossary.prose("희소성을"))
    # inflected forms of an inflecting language; a different word is not a match
    spanish = glossary.term_pattern("código disperso", "es")
    assert spanish.search(glossary.prose("Los Códigos Dispersos"))
    assert spanish.search(glossary.prose("código denso")) is None


def test_prose_leaves_out_code_maths_roles_and_links():
    text = "Una $\\lambda$ `natural` {ref}`inhibición natural <x>` [texto](inhibicion_natural.md)\n```{note}\nnota\n```"
    assert glossary.prose(text).split() == ["una", "[texto", "nota"]


def test_glossary_check_finds_drift_and_missing_terms(tmp_path, monkeypatch):
    monkeypatch.setattr(book_manifest, "ROOT", tmp_path)
    monkeypatch.setattr(glossary, "ROOT", tmp_path)
    monkeypatch.setattr(glossary, "GLOSSARIES", tmp_path / "glossary")
    monkeypatch.setattr(book_manifest, "load_manifest", lambda: {
        "source_language": "en", "root": "intro", "pages": [], "chapters": [],
        "languages": [{"code": "en"}, {"code": "es"}]})
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "es.yml").write_text(yaml.safe_dump({"language": "es", "terms": [
        {"en": "lateral inhibition", "use": "inhibición lateral", "reject": ["inhibición natural"]},
        {"en": "pinwheel", "use": "molinete", "reject": []}]}, allow_unicode=True), encoding="utf-8")
    for lang, text in (("en", "# Intro\n\nLateral inhibition makes pinwheels.\n"),
                       ("es", "# Intro\n\nLa inhibición natural hace remolinos.\n")):
        (tmp_path / "chapters" / lang).mkdir(parents=True)
        (tmp_path / "chapters" / lang / "intro.md").write_text(text, encoding="utf-8")
    found = glossary.problems("es")
    assert len(found) == 3, found
    assert any("rejected form 'inhibición natural'" in p for p in found)
    assert any("never says 'molinete'" in p for p in found)
    assert any("never says 'inhibición lateral'" in p for p in found)


# --------------------------------------------------------------------------- code
def _write_nb(path, cells, **metadata):
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[])
    for kind, cell_id, src in cells:
        cell = nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        cell.id = cell_id
        nb.cells.append(cell)
    nb.metadata.update(metadata)
    nbformat.write(nb, path)
    return path


def test_sync_code_copies_english_code_and_keeps_the_prose(tmp_path, monkeypatch):
    monkeypatch.setattr(book_manifest, "ROOT", tmp_path)
    monkeypatch.setattr(book_manifest, "load_manifest", lambda: {"source_language": "en"})
    english = _write_nb(tmp_path / "chapters/en/01_x.ipynb", [
        ("md", "title", "# Title"), ("code", "setup", 'import x\nLANG = "en"'),
        ("md", "new", "A new English cell."), ("code", "work", "y = 2  # fixed in English")])
    english_nb = nbformat.read(english, as_version=4)
    english_nb.cells[3].outputs = [nbformat.v4.new_output("stream", text="2\n")]
    nbformat.write(english_nb, english)
    spanish = _write_nb(tmp_path / "chapters/es/01_x.ipynb", [
        ("md", "title", "# Título"), ("code", "setup", 'import x\nLANG = "es"'),
        ("code", "work", "y = 1")], sparselib={"translates": "abc"})

    assert translations.sync_code(spanish) == ["new"]
    nb = nbformat.read(spanish, as_version=4)
    assert [c.id for c in nb.cells] == ["title", "setup", "new", "work"]
    assert nb.cells[0].source == "# Título"
    assert nb.cells[1].source == 'import x\nLANG = "es"'
    assert nb.cells[3].source == "y = 2  # fixed in English" and nb.cells[3].outputs[0]["text"] == "2\n"
    assert nb.metadata["sparselib"]["translates"] == "abc"
    assert translations.code_differences(spanish) == []
    before = spanish.read_text(encoding="utf-8")
    translations.sync_code(spanish)
    assert spanish.read_text(encoding="utf-8") == before  # a second run changes nothing

    english_nb.cells[3].outputs = [nbformat.v4.new_output("stream", text="3\n")]  # re-stored in English
    nbformat.write(english_nb, english)
    assert translations.code_differences(spanish) == [
        "code cell 2: stored outputs differ from English (run sync-code)"]
    translations.sync_code(spanish)
    assert translations.code_differences(spanish) == []


def test_every_setup_cell_sets_its_pages_language():
    for path in sorted(ROOT.glob("chapters/*/*.ipynb")):
        cell = chapter_cells.first_code_cell(nbformat.read(path, as_version=4))
        assert cell.source == chapter_cells.setup_cell_source(path.parent.name), path


def test_editing_one_english_cell_makes_exactly_its_translations_stale(tmp_path, monkeypatch):
    monkeypatch.setattr(book_manifest, "ROOT", tmp_path)
    manifest = {"source_language": "en", "root": "intro", "pages": [], "chapters": ["01_a", "02_b"],
                "languages": [{"code": "en"}, {"code": "es"}, {"code": "fa", "dir": "rtl"}]}
    monkeypatch.setattr(book_manifest, "load_manifest", lambda: manifest)
    pages = []
    for name in ("01_a", "02_b"):
        _write_nb(tmp_path / f"chapters/en/{name}.ipynb", [("md", "t", "# Title"), ("md", "b", "Body.")])
        for lang in ("es", "fa"):
            pages.append(_write_nb(tmp_path / f"chapters/{lang}/{name}.ipynb",
                                   [("md", "t", f"# {lang}"), ("md", "b", "...")]))
            translations.stamp(pages[-1])
    assert translations.translation_report(manifest) == []
    english = tmp_path / "chapters/en/02_b.ipynb"
    nb = nbformat.read(english, as_version=4)
    nb.cells[1].source = "Body, corrected."
    nbformat.write(nb, english)
    stale = sorted(page for page, _ in translations.translation_report(manifest))
    assert stale == ["chapters/es/02_b.ipynb", "chapters/fa/02_b.ipynb"]
    import student_links  # the page words, where the note's text lives

    for lang in ("es", "fa"):
        note = translations.with_stale_note(nbformat.read(tmp_path / f"chapters/{lang}/02_b.ipynb", as_version=4), lang)
        assert student_links.WORDS["stale_translation"][lang] in note.cells[1].source


# --------------------------------------------------------------------------- student notebooks
@pytest.mark.parametrize("lang", TRANSLATED)
def test_student_notebooks_speak_their_language(lang):
    """Each translated chapter with exercises has a student notebook in that language, whose
    header is in that language and whose setup cell sets ``LANG``."""
    assert lang in students.HEADER
    for source, target in students.sources().items():
        if source.parent.name != lang:
            continue
        nb = nbformat.read(target, as_version=4)
        assert nb.cells[0].source == students.header_cell(source).source
        assert f'LANG = "{lang}"' in chapter_cells.first_code_cell(nb).source


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_words_the_pages_add_exist_in_every_translated_language(lang):
    import student_links

    missing = [key for key, table in student_links.WORDS.items() if lang not in table]
    assert not missing, f"tools/student_links.py WORDS lacks {lang!r} for {missing}"


def test_the_stale_note_is_written_in_every_language_of_the_book():
    """The note a stale translated page shows (tools/translations.py) is a page word of the
    build, not of the library: in every language of the manifest, translated, in its script,
    without English words, the Persian one following its writing conventions."""
    import student_links

    note = student_links.WORDS["stale_translation"]
    assert list(note) == [lang["code"] for lang in MANIFEST["languages"]]
    assert all(text.strip() for text in note.values())
    assert not any("{" in text or "}" in text for text in note.values())  # no placeholders: text as is
    translated = {lang: text for lang, text in note.items() if lang != SOURCE}
    assert all(text != note[SOURCE] for text in translated.values())
    assert {lang: ENGLISH_WORDS.findall(text) for lang, text in translated.items()
            if ENGLISH_WORDS.search(text)} == {}
    assert ENGLISH_WORDS.search(note[SOURCE])  # the check sees English
    assert re.search(r"[\u0600-\u06FF]", note["fa"]) and glossary.persian_writing(note["fa"]) == []
    assert re.search(r"[\uAC00-\uD7A3]", note["ko"])
    assert translations.stale_note("it") == f"```{{warning}}\n{note['it']}\n```"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_search_says_what_it_found_in_every_translated_language(lang, tmp_path):
    """Sphinx 7.4's Italian catalog leaves the search's result line empty (the search page
    then shows results under no summary): the book fills what the catalog lacks."""
    for msgid in book.SEARCH_MESSAGES:
        message = book.search_messages(lang)["messages"].get(msgid)
        assert message and "${resultCount}" in message, (lang, msgid, message)
    book.write_search_messages(lang, tmp_path)
    text = (tmp_path / "locale" / lang / "LC_MESSAGES" / "sphinx.js").read_text(encoding="utf-8")
    assert text.startswith("Documentation.addTranslations(") and "${resultCount}" in text


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_exercises_keep_their_level_time_and_label(lang):
    """The instructors' table reads each exercise's level line in the chapter's language."""
    import course_pages

    for english in book_manifest.chapter_notebooks(SOURCE):
        translated = ROOT / "chapters" / lang / english.name
        if not translated.exists():
            continue
        ours, theirs = course_pages.exercises_of(translated), course_pages.exercises_of(english)
        assert [(e["label"], e["minutes"], e["points"]) for e in ours] == \
            [(e["label"], e["minutes"], e["points"]) for e in theirs], translated.name
        levels = dict(zip(("Warm-up", "Core", "Stretch"), glossary_levels(lang)))
        assert [e["level"] for e in ours] == [levels[e["level"]] for e in theirs], translated.name


def glossary_levels(lang: str) -> list[str]:
    import student_links

    return student_links.word("levels", lang).split("|")
