"""Browser checks of the built book (Playwright + Debian's Chromium, site on 127.0.0.1).

Every page: no console errors, no request outside the site, images loaded with alt
text, the right ``lang``, MathJax rendered wherever there is maths. Chapters: the Colab
link opens that chapter's student notebook. Landing page and chapters: axe-core finds no
serious or critical accessibility violation, and a screenshot is kept for review.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tools"))
import book  # noqa: E402

AXE = ROOT / "_assets" / "node_modules" / "axe-core" / "axe.min.js"
MANIFEST = book.load_manifest()
CONFIG = book.load_config()
SOURCE = MANIFEST["source_language"]
BUILT = book.languages_with_pages(MANIFEST)


def site_path(lang: str, name: str) -> str:
    """URL path of a page, relative to the site root (translations live under <lang>/)."""
    prefix = "" if lang == SOURCE else f"{lang}/"
    return f"{prefix}chapters/{lang}/{name}.html"


def expected_pages() -> list[tuple[str, str]]:
    return [(lang, name) for lang in BUILT for name in book.page_names(MANIFEST)
            if book.page_file(lang, name) is not None]


NOTEBOOK_PAGES = [(lang, name) for lang, name in expected_pages()
                  if book.page_file(lang, name).suffix == ".ipynb"]
REVIEWED = [(SOURCE, MANIFEST["root"]), (SOURCE, "instructors"),
            *[p for p in NOTEBOOK_PAGES if p[0] == SOURCE]]
import course_pages  # noqa: E402
from conftest import SCREENSHOTS, built_pages  # noqa: E402


@pytest.fixture
def visit(one_page):
    """Open a page (desktop) and wait for its maths: ``one_page`` with MathJax typeset."""
    return lambda path: one_page(path, wait="maths")


def test_every_manifest_page_is_built():
    missing = [site_path(lang, name) for lang, name in expected_pages()
               if not (SITE / site_path(lang, name)).exists()]
    assert not missing, f"pages in book/manifest.yml missing from _build/html: {missing}"
    assert (SITE / "index.html").exists()


@pytest.mark.parametrize("path", built_pages(redirects=True))
def test_page_loads_cleanly(shared_page, path):
    v = shared_page(path)
    assert v.errors + v.failed == [], f"console errors on {path}: {v.errors + v.failed}"
    assert v.outside == [], f"{path} requested outside the site: {v.outside}"

    # Figures are lazy (tools/page_weight.py): load them all, as a reader scrolling would.
    v.page.evaluate("""() => Promise.all(Array.from(document.images).map(i => {
        i.loading = 'eager'; return i.decode().catch(() => null); }))""")
    images = v.page.evaluate("""() => Array.from(document.images).map(i => (
        {src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0,
         alt: (i.getAttribute('alt') || '').trim()}))""")
    assert [i["src"] for i in images if not i["loaded"]] == [], f"images not loaded on {path}"
    assert [i["src"] for i in images if not i["alt"]] == [], f"images without alt text on {path}"

    lang = v.page.evaluate("() => document.documentElement.lang")
    parts = path.split("/")
    expected_lang = parts[1] if parts[0] == "chapters" else (parts[0] if parts[0] in BUILT else SOURCE)
    assert lang == expected_lang

    maths = v.page.evaluate("""() => Array.from(document.querySelectorAll('.math')).map(m => (
        {typeset: m.querySelector('mjx-container') !== null, error: m.querySelector('mjx-merror') !== null}))""")
    assert all(m["typeset"] for m in maths), f"maths left untypeset on {path}"
    assert not any(m["error"] for m in maths), f"MathJax errors on {path}"


@pytest.mark.parametrize("lang,name", NOTEBOOK_PAGES)
def test_chapters_have_maths_rendered_by_local_mathjax(shared_page, lang, name):
    """The chapter pages do contain maths, so the check above is not vacuous."""
    v = shared_page(site_path(lang, name))
    count = v.page.evaluate("() => document.querySelectorAll('.math mjx-container').length")
    assert count > 10, f"{name}: only {count} typeset formulas"
    src = v.page.evaluate("() => MathJax.config.loader.paths.mathjax || ''")
    assert src.startswith(v.page.url.split('/chapters/')[0]), src


@pytest.mark.parametrize("lang,name", NOTEBOOK_PAGES)
def test_colab_link_opens_this_chapters_student_notebook(shared_page, lang, name):
    """The Colab button opens the student notebook of this chapter, in the page's language
    where it exists (tools/student_links.py; tests/browser/test_student_links.py opens it)."""
    repo = CONFIG["repository"]
    owner_repo = repo["url"].rstrip("/").split("github.com/")[1]
    book_path = (repo.get("path_to_book") or "").strip("/")
    student = f"students/{lang}/{name}.ipynb"
    if not (ROOT / student).exists():
        student = f"students/{SOURCE}/{name}.ipynb"
    notebook = "/".join(p for p in (book_path, student) if p)
    expected = f"{CONFIG['launch_buttons']['colab_url']}/github/{owner_repo}/blob/{repo['branch']}/{notebook}"
    v = shared_page(site_path(lang, name))
    hrefs = v.page.evaluate("""() => Array.from(document.querySelectorAll('a[href*="colab.research.google.com"]'))
                                   .map(a => a.href)""")
    assert hrefs == [expected]


@pytest.mark.parametrize("lang,name", NOTEBOOK_PAGES)
def test_exercise_tests_are_hidden_and_solutions_collapsed(lang, name):
    """Hidden tests (cells tagged remove-cell) never reach the page; solutions are
    collapsed in "Solution" blocks and shown without nbgrader's marker lines."""
    text = (SITE / site_path(lang, name)).read_text(encoding="utf-8")
    for marker in ("BEGIN HIDDEN TESTS", "Autograder tests", "BEGIN SOLUTION", "END SOLUTION"):
        assert marker not in text, f"{name}: {marker!r} is on the page"
    if "_student(" in text:
        assert '<details class="solution-block">' in text, f"{name}: exercise solutions are not collapsed"


@pytest.mark.parametrize("path", built_pages())
def test_repository_files_named_in_prose_are_links(shared_page, path):
    """Inline code in the prose that names a file or folder of the repository is a link to
    it on the repository's host (tools/repo_links.py); the chapters name some."""
    v = shared_page(path)
    named = v.page.evaluate("""() => Array.from(document.querySelectorAll(
        'main p code, main li code, main td code')).filter(c => !c.closest('pre, .cell_output'))
        .map(c => ({text: c.textContent.trim(), href: c.closest('a') ? c.closest('a').href : null}))""")
    url, branch = CONFIG["repository"]["url"].rstrip("/"), CONFIG["repository"]["branch"]
    files = [n for n in named if "/" in n["text"] and (ROOT / n["text"]).is_file()]
    for n in files:
        assert n["href"] == f"{url}/blob/{branch}/{n['text']}", f"{path}: {n}"
    if "/chapters/" in f"/{path}" and path.rsplit("/", 1)[-1][:2].isdigit():
        assert files, f"{path}: the chapter names no repository file (its evidence)"


@pytest.mark.parametrize("lang,name", NOTEBOOK_PAGES)
def test_glued_numbers_reach_the_page(shared_page, lang, name):
    """Every {glue:text} role became its computed text: no role source is left on the
    page, and the chapters that state measured numbers show them as pasted text."""
    v = shared_page(site_path(lang, name))
    prose = v.page.evaluate("""() => { const m = document.querySelector('main').cloneNode(true);
        m.querySelectorAll('.cell_input, .cell_output, pre, code').forEach(e => e.remove());
        return m.textContent; }""")
    assert "{glue" not in prose, f"{name}: a glue role was not resolved"
    source = (ROOT / "chapters" / lang / f"{name}.ipynb").read_text(encoding="utf-8")
    pasted = v.page.evaluate("() => Array.from(document.querySelectorAll('.pasted-text'))"
                             ".map(e => e.textContent.trim())")
    assert len(pasted) == source.count("{glue:text}"), f"{name}: {len(pasted)} pasted numbers"
    assert all(pasted), f"{name}: an empty glued value"


def test_instructors_page_links_every_student_notebook():
    repo = CONFIG["repository"]
    owner_repo = repo["url"].rstrip("/").split("github.com/")[1]
    text = (SITE / site_path(SOURCE, "instructors")).read_text(encoding="utf-8")
    students = sorted((ROOT / "students" / SOURCE).glob("*.ipynb"))
    assert students
    for path in students:
        rel = path.relative_to(ROOT).as_posix()
        url = f"{CONFIG['launch_buttons']['colab_url']}/github/{owner_repo}/blob/{repo['branch']}/{rel}"
        assert f'href="{url}"' in text, f"no Colab link to {rel}"


def test_instructors_page_lists_every_exercise(visit):
    """One row per exercise of the chapters, each linking to its exercise on its chapter page,
    with the level and time of the chapter's own label line."""
    expected = [ex for name in MANIFEST["chapters"]
                for ex in course_pages.exercises_of(book.page_file(SOURCE, name))]
    v = visit(site_path(SOURCE, "instructors"))
    rows = v.page.evaluate("""() => Array.from(document.querySelectorAll('table.exercise-list tbody tr'))
        .map(tr => ({cells: Array.from(tr.cells).map(td => td.textContent.trim()),
                     href: (tr.querySelector('a') || {}).href || null}))""")
    exercise_rows = [r for r in rows if r["href"]]
    assert len(exercise_rows) == len(expected) > 0
    for row, ex in zip(exercise_rows, expected):
        assert row["cells"][2:4] == [ex["level"], f"{ex['minutes']} min"], row
        assert row["href"].endswith(f"#{ex['label']}"), row
    for row in exercise_rows:  # the anchor exists on the chapter page
        page, anchor = row["href"].split("#")
        html = (SITE / page.split(v.page.url.split("/chapters/")[0] + "/", 1)[1]).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, row


@pytest.mark.parametrize("lang,name", NOTEBOOK_PAGES)
def test_chapter_states_its_measured_runtime(lang, name):
    """The {chapter-runtime} role became the build's own execution time of this notebook."""
    source = book.page_file(lang, name).read_text(encoding="utf-8")
    if "{chapter-runtime}" not in source:
        pytest.skip("this page does not state its run time")
    text = (SITE / site_path(lang, name)).read_text(encoding="utf-8")
    record = json.loads(course_pages.RUNTIMES.read_text(encoding="utf-8"))
    shown = course_pages.format_seconds(record[name])
    assert f'<span class="chapter-runtime">{shown}</span>' in text, (name, shown)


@pytest.mark.parametrize("lang,name", NOTEBOOK_PAGES)
def test_answers_and_hints_are_closed_and_open_by_keyboard(visit, lang, name):
    """Every collapsed answer, hint and audit block is closed when the page loads (its text
    takes no room on screen) and opens from the keyboard (focus on its summary, Enter)."""
    v = visit(site_path(lang, name))
    blocks = v.page.locator("main details.answer, main details.hint, main details.how-we-know")
    n = blocks.count()
    cells = json.loads(book.page_file(lang, name).read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert n == sum(markdown.count(f'<details class="{kind}">') for kind in ("answer", "hint", "how-we-know")), n
    for i in range(n):
        block = blocks.nth(i)
        body = block.locator(":scope > :not(summary)").first
        assert block.evaluate("d => d.open") is False, f"{name}: block {i} is open on load"
        assert not body.is_visible(), f"{name}: block {i} shows its text on load"
        block.locator("summary").focus()
        v.page.keyboard.press("Enter")
        assert block.evaluate("d => d.open") is True, f"{name}: block {i} did not open by keyboard"
        box = body.bounding_box()
        assert box and box["height"] > 0, f"{name}: block {i} opened but shows nothing"
    assert v.errors + v.failed == []


@pytest.mark.parametrize("lang,name", REVIEWED)
def test_accessibility_and_screenshot(visit, lang, name):
    v = visit(site_path(lang, name))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(SCREENSHOTS / f"{lang}_{name}.png"), full_page=True)
    v.page.add_script_tag(path=str(AXE))
    violations = v.page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(x => ({id: x.id, impact: x.impact, help: x.help,
                               nodes: x.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    serious = [x for x in violations if x["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
