"""Search in Persian and Korean (tools/course_search.py): a noun is found with whatever is
attached to it, in a real Sphinx build of a two-page project."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import course_search  # noqa: E402


def test_prefixes_of_a_hangul_word_reach_the_noun_before_its_particle():
    assert "희소성" in course_search.prefixes("희소성은")
    assert "희소" in course_search.prefixes("희소성을")
    assert course_search.prefixes("희소성은")[-1] == "희소성은"  # the whole word too
    assert course_search.prefixes("ISTA") == ["ISTA"]        # Latin words whole
    assert course_search.prefixes("دو") == ["دو"]


def test_persian_words_split_at_the_zero_width_non_joiner():
    words = course_search.SearchPersian({}).split("واحدها نقشه‌های ویژگی")
    assert "نقشه" in words and "های" in words and "واحد" in words and "ویژگی" in words


def _index(tmp_path, lang: str, pages: dict[str, str]) -> dict:
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'tools')!r})\n"
        f"extensions = ['course_search']\nlanguage = {lang!r}\n", encoding="utf-8")
    toc = "\n".join(f"   {name}" for name in pages)
    (src / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{toc}\n", encoding="utf-8")
    for name, text in pages.items():
        (src / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\n{text}\n", encoding="utf-8")
    app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                 status=None, warning=None, freshenv=True)
    app.build()
    text = (tmp_path / "out" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$", text, re.S).group(1))
    return {term: [index["docnames"][d] for d in (docs if isinstance(docs, list) else [docs])]
            for term, docs in index["terms"].items()}


@pytest.mark.parametrize("lang, text, query", [
    ("ko", "희소성은 중요합니다. 측면 억제를 배웁니다.", ["희소성", "억제", "측면"]),
    ("fa", "تنکی گروهی واحدها را با هم روشن می‌کند.", ["تنکی", "گروه", "واحد"]),
])
def test_the_built_index_finds_the_noun_on_its_page(tmp_path, lang, text, query):
    terms = _index(tmp_path, lang, {"chapter": text, "other": "ISTA FISTA"})
    for word in query:
        assert "chapter" in terms.get(word, []), (word, sorted(terms))
    assert "other" in terms["ista"]


def test_without_the_extension_sphinx_misses_the_korean_noun(tmp_path, monkeypatch):
    """The check above can fail: Sphinx's own fallback does not index the bare noun."""
    from sphinx.search import languages

    monkeypatch.setattr(course_search, "SEARCH_LANGUAGES", {})
    monkeypatch.delitem(languages, "ko", raising=False)
    terms = _index(tmp_path, "ko", {"chapter": "희소성은 중요합니다.", "other": "ISTA"})
    assert "희소성" not in terms
