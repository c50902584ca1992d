"""tools/student_links.py: which notebook a chapter page hands out, the header buttons it
rewrites, and the exercise transform (run in a small Sphinx build of a synthetic page made
of chapter 1's real exercise cells)."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import student_links  # noqa: E402
import students  # noqa: E402

CHAPTER = ROOT / "chapters" / "en" / "01_sparse_coding.ipynb"


def _notebook(path: Path, *, exercises: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION" if exercises else "x = 1"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)


@pytest.mark.parametrize("present,expected", [
    (["students/es/02_x.ipynb", "students/en/02_x.ipynb"], "students/es/02_x.ipynb"),
    (["students/en/02_x.ipynb"], "students/en/02_x.ipynb"),   # no Spanish student notebook
    ([], None),                                               # none at all: no link
])
def test_student_notebook_for_a_language(tmp_path, present, expected):
    _notebook(tmp_path / "chapters" / "es" / "02_x.ipynb", exercises=True)
    for rel in present:
        _notebook(tmp_path / rel, exercises=False)
    assert student_links.student_notebook_for("es", "02_x", tmp_path, "en") == expected


def test_a_chapter_without_exercises_keeps_its_own_notebook(tmp_path):
    _notebook(tmp_path / "chapters" / "es" / "02_x.ipynb", exercises=False)
    assert student_links.student_notebook_for("es", "02_x", tmp_path, "en") == "chapters/es/02_x.ipynb"


def _theme_buttons():
    """The two groups sphinx-book-theme makes on a notebook page (trimmed)."""
    return [
        {"type": "group", "label": "download-buttons", "buttons": [
            {"type": "link", "url": "../../_sources/chapters/en/01_sparse_coding.ipynb", "text": ".ipynb",
             "label": "download-source-button"},
            {"type": "javascript", "javascript": "window.print()", "text": ".pdf"}]},
        {"type": "group", "label": "launch-buttons", "buttons": [
            {"type": "link", "text": "Colab", "url": "https://colab.research.google.com/github/o/r/blob/main/"
                                                   "chapters/en/01_sparse_coding.ipynb"}]},
    ]


def _app():
    options = {"repository_url": "https://github.com/o/r", "repository_branch": "main",
               "launch_buttons": {"colab_url": "https://colab.research.google.com"}}
    return SimpleNamespace(config=SimpleNamespace(html_theme_options=options, language="en"))


def test_header_buttons_point_at_the_student_notebook():
    context = {"header_buttons": _theme_buttons(), "pathto": lambda p, flag: f"../../{p}"}
    student_links._on_page_context(_app(), "chapters/en/01_sparse_coding", "page.html", context, None)
    download, launch = context["header_buttons"]
    assert download["buttons"][0]["url"] == "../../students/en/01_sparse_coding.ipynb"
    assert download["buttons"][1]["text"] == ".pdf"
    assert launch["buttons"][0]["url"] == ("https://colab.research.google.com/github/o/r/blob/main/"
                                           "students/en/01_sparse_coding.ipynb")


def test_without_a_student_notebook_the_buttons_are_left_out(monkeypatch):
    """A chapter with exercises and no student notebook anywhere: no Colab button and no
    .ipynb download (never the answer key), the print button stays, the build warns."""
    monkeypatch.setattr(student_links, "student_notebook_for", lambda *a, **k: None)
    warnings = []
    monkeypatch.setattr(student_links.LOGGER, "warning", lambda msg, **k: warnings.append(msg))
    context = {"header_buttons": _theme_buttons(), "pathto": lambda p, flag: f"../../{p}"}
    student_links._on_page_context(_app(), "chapters/en/01_sparse_coding", "page.html", context, None)
    assert [g["label"] for g in context["header_buttons"]] == ["download-buttons"]
    assert [b["text"] for b in context["header_buttons"][0]["buttons"]] == [".pdf"]
    assert warnings and "no student notebook" in warnings[0]


def test_case_labels_read_from_a_checks_output():
    text = ("Checking f against sparselib's reference on 2 cases:\n"
            "  ✓ v = [-3, 1], θ = 1: passed\n  ✗ v ∈ ℝ^{4×7}, θ = 0.5: expected shape (4, 7), got (7,)\n"
            "1 of 2 cases passed.")
    assert student_links.case_labels(text)[0] == "v = [-3, 1], θ = 1"
    assert len(student_links.case_labels(text)) == 2


@pytest.fixture(scope="module")
def built_page(tmp_path_factory):
    """A one-page Sphinx build (myst-nb, sphinx-exercise, this extension) of chapter 1's first
    maths exercise with its solution and its first code exercise (four cells, stored outputs)."""
    from sphinx.application import Sphinx

    chapter = nbformat.read(CHAPTER, as_version=4)
    first = next(i for i, c in enumerate(chapter.cells) if "### BEGIN SOLUTION" in c.source)
    maths = next(c for c in chapter.cells if c.cell_type == "markdown" and ":::{solution}" in c.source)
    exercise = next(c for c in chapter.cells if c.cell_type == "markdown" and ":::{exercise}" in c.source)
    picked = [exercise, maths, *chapter.cells[first - 1:first + 3]]
    cells = [nbformat.v4.new_markdown_cell("# Page"),
             *[c for i, c in enumerate(picked) if all(c is not d for d in picked[:i])]]
    src = tmp_path_factory.mktemp("src")
    nb = nbformat.v4.new_notebook(cells=cells, metadata=chapter.metadata)
    nbformat.write(nb, src / "page.ipynb")
    (src / "conf.py").write_text(
        "extensions = ['myst_nb', 'sphinx_exercise', 'student_links']\n"
        "root_doc = 'page'\nnb_execution_mode = 'off'\nmyst_enable_extensions = ['colon_fence', 'dollarmath']\n",
        encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    app = Sphinx(str(src), str(src), str(out), str(out / ".doctrees"), "html", status=None,
                 warning=None, freshenv=True)
    app.build()
    return chapter.cells[first], chapter.cells[first + 1], (out / "page.html").read_text(encoding="utf-8")


def _text(html_fragment: str) -> str:
    import html
    return html.unescape(re.sub(r"<[^>]+>", "", html_fragment))


def test_exercise_shows_the_stub_outside_the_solution(built_page):
    solution, check, page = built_page
    before, details = page.split("<details class=\"solution-block\"", 1)
    stub = students.stub_source(solution.source, solution.metadata)
    assert "raise NotImplementedError()" in stub
    assert stub.strip() in _text(before), "the page does not show the student notebook's stub"
    body = solution.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0].strip()
    assert body not in _text(before), "the solution shows outside the Solution block"
    assert body in _text(details) and "### BEGIN SOLUTION" not in page
    assert "Show code cell source" not in page


def test_check_says_what_it_does_and_its_pass_is_in_the_solution(built_page):
    solution, check, page = built_page
    before, details = page.split("<details class=\"solution-block\"", 1)
    passed = check.outputs[0]["text"]
    assert "All 4 cases passed" in passed
    assert "passed" not in _text(before).split("check_soft_threshold(soft_threshold_student)")[1]
    for label in student_links.case_labels(passed):
        assert label in _text(before), f"case {label!r} is not listed"
    assert "what to fix" in _text(before)
    assert "All 4 cases passed" in _text(details)
    assert re.search(r'<details class="solution-block[^"]*"[^>]*>\s*<summary>Solution</summary>', page)


def test_maths_solution_is_a_collapsed_solution_block(built_page):
    page = built_page[2]
    assert 'class="solution dropdown' not in page
    match = re.search(r'<details class="solution-block maths-solution[^"]*"[^>]*>\s*<summary>([^<]*)</summary>', page)
    assert match and match.group(1).startswith("Solution"), match
    assert " open" not in match.group(0)
