"""Browser checks: students get the student notebook, and exercises do not show answers.

Every chapter page (from the manifest and the built languages), at both viewports:
- the Colab link and the ``.ipynb`` download link(s) lead to a file of the repository (the
  Colab URL's path after ``blob/<branch>/``; the download's served bytes equal the
  repository file's), and that notebook is this chapter's student version: stubs raising
  ``NotImplementedError``, no solution, no hidden tests, no outputs;
- each code exercise (a chapter cell with ``### BEGIN SOLUTION``) shows a visible stub with
  ``raise NotImplementedError()``; no solution line and no "passed" text of a check is
  visible until its "Solution" block is opened (by click, or by keyboard Enter), after
  which the solution is visible; maths solutions are collapsed "Solution" blocks too.
The instructors' page links every chapter's full notebook (Colab and download).
Measurements are printed (run with ``-s``) and screenshots kept in _build/screenshots/.
"""
from __future__ import annotations

import json
import re
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import book  # noqa: E402
import student_links  # noqa: E402
from conftest import SCREENSHOTS, SITE, VIEWPORTS, open_page  # noqa: E402

MANIFEST = book.load_manifest()
CONFIG = book.load_config()
SOURCE = MANIFEST["source_language"]
BRANCH = CONFIG["repository"]["branch"]
BOOK_PATH = (CONFIG["repository"].get("path_to_book") or "").strip("/")
PASS_TEXT = re.compile(r"cases passed|Well done|: passed\s*$", re.M)


def site_prefix(lang: str) -> str:
    return "" if lang == SOURCE else f"{lang}/"


def chapter_pages() -> list[tuple[str, str]]:
    """(lang, name) of every chapter page the site has."""
    return [(lang, name) for lang in book.languages_with_pages(MANIFEST)
            for name in MANIFEST["chapters"]
            if book.page_file(lang, name) is not None and book.page_file(lang, name).suffix == ".ipynb"
            and (SITE / f"{site_prefix(lang)}chapters/{lang}/{name}.html").exists()]


def solution_lines(path: Path) -> list[list[str]]:
    """Per code exercise of a chapter, its solution's lines (between the markers)."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or "### BEGIN SOLUTION" not in cell.source:
            continue
        body = cell.source.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0]
        found.append([line.strip() for line in body.splitlines() if line.strip()])
    return found


def distinctive_lines(path: Path) -> list[str]:
    """Solution lines that no other code of the chapter has (e.g. not a bare
    ``with torch.no_grad():`` that later cells use too): seeing one means a solution shows."""
    cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    outside = set()
    for source in cells:
        if "### BEGIN SOLUTION" in source:
            head, rest = source.split("### BEGIN SOLUTION", 1)
            source = head + rest.split("### END SOLUTION", 1)[1]
        outside.update(line.strip() for line in source.splitlines())
    return [line for lines in solution_lines(path) for line in lines if line not in outside]


def maths_solutions(path: Path) -> int:
    return sum(cell.source.count(":::{solution}") for cell in nbformat.read(path, as_version=4).cells
               if cell.cell_type == "markdown")


def title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def repo_path_of_colab(url: str) -> str:
    marker = f"/blob/{BRANCH}/"
    assert marker in url, f"Colab link {url} has no {marker}"
    rel = url.split(marker, 1)[1]
    return rel[len(BOOK_PATH) + 1:] if BOOK_PATH else rel


def repo_path_of_download(url: str, site_url: str, lang: str) -> str:
    assert url.startswith(site_url), f"download {url} is not served by the site"
    rel = url[len(site_url):].split("#")[0].split("?")[0]
    prefix = site_prefix(lang)
    assert rel.startswith(prefix), rel
    return rel[len(prefix):]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def assert_student_notebook(rel: str, lang: str, name: str) -> None:
    path = ROOT / rel
    assert path.exists(), f"{rel} is not a file of the repository"
    assert rel.startswith("students/"), f"{rel} is not a student notebook"
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    text = "\n".join(c.source for c in nb.cells)
    assert "raise NotImplementedError()" in text, f"{rel}: no stub"
    assert "### BEGIN SOLUTION" not in text, f"{rel}: holds solutions"
    assert "### BEGIN HIDDEN TESTS" not in text, f"{rel}: holds hidden tests"
    assert all(not c.outputs for c in code), f"{rel}: has outputs"
    chapter = nbformat.read(book.page_file(lang, name), as_version=4)
    assert Path(rel).stem == name and title(nb) == title(chapter), \
        f"{rel} is not the notebook of chapter {name} ({title(nb)!r} != {title(chapter)!r})"


def _open(browser, site_url, path: str, viewport: str):
    opened = open_page(browser, site_url, path, viewport=viewport)
    return opened.context, opened.page


VISIBLE_TEXT = """(root) => {
  // Text of the rendered, visible code blocks, and the main text as shown (innerText
  // leaves out closed <details> content and hidden elements).
  const main = document.querySelector('main') || document.body;
  const code = Array.from(main.querySelectorAll('pre'))
    .filter(p => p.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
    .map(p => p.innerText);
  return {code: code.join('\\n'), text: main.innerText};
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang,name", chapter_pages())
def test_chapter_page_gives_students_no_answers(browser, site_url, lang, name, viewport):
    path = f"{site_prefix(lang)}chapters/{lang}/{name}.html"
    chapter = book.page_file(lang, name)
    context, page = _open(browser, site_url, path, viewport)
    failures = []
    try:
        for phase in (check_buttons, check_exercises):
            try:
                phase(page, site_url, path, lang, name, chapter, viewport)
            except AssertionError as error:  # report both phases, not the first only
                failures.append(str(error).splitlines()[0])
    finally:
        context.close()
    assert not failures, "; ".join(failures)


def check_buttons(page, site_url, path, lang, name, chapter, viewport):
    """The Colab and .ipynb links lead to this chapter's student notebook."""
    colab = page.eval_on_selector_all('a[href*="colab.research.google.com"]', "as => as.map(a => a.href)")
    downloads = page.eval_on_selector_all(
        'a[href$=".ipynb"]:not([href*="colab.research.google.com"]):not([href*="github.com"])',
        "as => as.map(a => a.href)")
    assert colab, f"{path}: no Colab link"
    assert downloads, f"{path}: no .ipynb download link"
    for url in colab:
        assert_student_notebook(repo_path_of_colab(url), lang, name)
    for url in downloads:
        rel = repo_path_of_download(url, site_url, lang)
        assert (ROOT / rel).exists(), f"{url} serves {rel}, not a file of the repository"
        assert fetch(url) == (ROOT / rel).read_bytes(), f"{url} differs from {rel}"
        assert_student_notebook(rel, lang, name)


def check_exercises(page, site_url, path, lang, name, chapter, viewport):
    """Stubs shown, solutions and passing checks collapsed, opened by click and Enter."""
    expected = solution_lines(chapter)
    blocks = page.locator("main details.solution-block:not(.maths-solution)")
    stubs = page.locator("main .exercise-stub")
    measured = {"page": path, "viewport": viewport,
                "code_exercises": len(expected), "solution_blocks": blocks.count(),
                "stubs": stubs.count(),
                "maths_solutions": maths_solutions(chapter),
                "maths_blocks": page.locator("main details.maths-solution").count()}
    print(json.dumps(measured))
    shown = page.evaluate(VISIBLE_TEXT)
    visible_code = {line.strip() for line in shown["code"].splitlines()}
    leaked = [line for line in distinctive_lines(chapter) if line in visible_code]
    assert leaked == [], f"{path}: solution lines visible before opening: {leaked}"
    assert not PASS_TEXT.search(shown["text"]), \
        f"{path}: a check says it passed: {PASS_TEXT.search(shown['text']).group(0)!r}"
    assert blocks.count() == len(expected), f"{path}: {blocks.count()} Solution blocks, {len(expected)} exercises"
    assert stubs.count() == len(expected), f"{path}: {stubs.count()} stubs, {len(expected)} exercises"
    assert measured["maths_blocks"] == measured["maths_solutions"], f"{path}: maths solutions"
    assert page.locator("main .solution.dropdown").count() == 0, f"{path}: a dropdown solution left"
    for i in range(stubs.count()):
        stub = stubs.nth(i)
        assert stub.is_visible() and "raise NotImplementedError()" in stub.inner_text(), \
            f"{path}: exercise {i + 1} shows no stub"
    summaries = page.locator("main details.solution-block > summary")
    for i in range(summaries.count()):
        assert summaries.nth(i).inner_text().strip().startswith(student_links.word("solution", lang)), \
            f"{path}: summary {i + 1}"
        assert not page.locator("main details.solution-block").nth(i).evaluate("d => d.open")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if blocks.count():
        blocks.first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"students-{lang}-{name}-{viewport}-closed.png"))
    for i in range(blocks.count()):
        summary = blocks.nth(i).locator("> summary")
        if i % 2 == 0:
            summary.click()
        else:
            summary.focus()
            page.keyboard.press("Enter")
        assert blocks.nth(i).evaluate("d => d.open"), f"{path}: Solution {i + 1} did not open"
        inside = blocks.nth(i).evaluate(VISIBLE_TEXT.replace(
            "document.querySelector('main') || document.body", "root"))
        code_lines = {line.strip() for line in inside["code"].splitlines()}
        missing = [line for line in expected[i] if line not in code_lines]
        assert missing == [], f"{path}: Solution {i + 1} opened but does not show {missing}"
    if blocks.count():
        blocks.first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"students-{lang}-{name}-{viewport}-open.png"))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_instructors_page_links_the_full_notebooks(browser, site_url, viewport):
    for lang in book.languages_with_pages(MANIFEST):
        if book.page_file(lang, "instructors") is None:
            continue
        path = f"{site_prefix(lang)}chapters/{lang}/instructors.html"
        context, page = _open(browser, site_url, path, viewport)
        try:
            header = page.locator("table.course-notebooks thead").inner_text()
            full = student_links.word("notebook_table", lang).split("|")[2]
            assert full.lower() in " ".join(header.split()).lower(), f"{path}: the full notebooks are not marked"
            rows = page.eval_on_selector_all("table.course-notebooks tbody tr", """trs => trs.map(tr => ({
                full_colab: (tr.querySelector('a.full-notebook-colab') || {}).href,
                full_download: (tr.querySelector('a.full-notebook-download') || {}).href,
                student_colab: (tr.querySelector('a.student-notebook-colab') || {}).href,
                student_download: (tr.querySelector('a.student-notebook-download') || {}).href}))""")
            names = [n for n in MANIFEST["chapters"] if book.page_file(lang, n) is not None]
            print(json.dumps({"page": path, "viewport": viewport, "rows": len(rows)}))
            assert len(rows) == len(names), f"{path}: {len(rows)} rows, {len(names)} chapters"
            for name, row in zip(names, rows):
                full = f"chapters/{lang}/{name}.ipynb"
                assert repo_path_of_colab(row["full_colab"]) == full
                assert repo_path_of_download(row["full_download"], site_url, lang) == full
                assert fetch(row["full_download"]) == (ROOT / full).read_bytes()
                assert "### BEGIN SOLUTION" in (ROOT / full).read_text(encoding="utf-8")
                assert_student_notebook(repo_path_of_colab(row["student_colab"]), lang, name)
                rel = repo_path_of_download(row["student_download"], site_url, lang)
                assert fetch(row["student_download"]) == (ROOT / rel).read_bytes()
                assert_student_notebook(rel, lang, name)
        finally:
            context.close()
