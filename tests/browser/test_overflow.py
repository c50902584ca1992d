"""Nothing is cut off and nothing scrolls sideways (issue 19, item 4).

Every built page (found in ``_build/html``), at a desktop (1366 x 900) and a phone
(390 x 844) viewport, after MathJax has typeset and the fonts have loaded:

- the page itself does not scroll sideways (``html`` and ``body`` are no wider than the
  viewport), and no element reaches past the viewport's right edge outside a box that
  scrolls;
- no content is clipped: a box with ``overflow-x: hidden|clip`` whose visible content
  (elements and text, by their rectangles) reaches past its edge fails, named;
- boxes that scroll sideways (``overflow-x: auto|scroll`` with content past their edge) are
  allowed where nothing else fits (code on a phone), but counted per page and viewport,
  printed, written to ``_build/overflow.json`` and held under a bound; display maths never
  scrolls on the desktop, and printed outputs wrap instead of scrolling.

The measuring script is ``overflow.js`` beside this file. Screenshots of the widest scroll
box and of anything clipped go to ``_build/screenshots/overflow/``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SCREENSHOTS, VIEWPORTS, built_pages, sampled, write_report

ROOT = Path(__file__).resolve().parents[2]
MEASURE = (Path(__file__).with_name("overflow.js")).read_text(encoding="utf-8")
REPORT = ROOT / "_build" / "overflow.json"
SHOTS = SCREENSHOTS / "overflow"

# Scroll boxes allowed per page and viewport: the counts measured on the merged site
# (python -m pytest tests/browser/test_overflow.py -s, 2026-12-03), all of them code cells
# whose lines are wider than the column. Each code exercise now shows its stub beside the
# collapsed solution, which adds code blocks (the site before this work had 14/19/29/28/22
# on the desktop without stubs). Pages not listed (the index, search, the short pages)
# have none; a new chapter gets the largest bound of the existing ones until it is measured.
CODE_BOXES = {
    "chapters/en/01_sparse_coding.html": {"desktop": 14, "phone": 34},
    "chapters/en/02_drsae.html": {"desktop": 21, "phone": 30},
    "chapters/en/03_group_sparsity.html": {"desktop": 32, "phone": 42},
    "chapters/en/04_stacked_conv.html": {"desktop": 32, "phone": 35},
    "chapters/en/05_lateral_inhibition.html": {"desktop": 24, "phone": 34},
    "chapters/en/06_today_saes.html": {"desktop": 18, "phone": 24},  # measured 2026-12-08
}
# Formulas (display, or inline in a solution's list) still scrolling inside their own box
# on a phone, measured the same way (before the formulas were broken into lines, display
# maths alone: ch1 10, ch2 2, ch3 4, ch4 3, ch5 4, notation 1).
PHONE_MATHS = {"chapters/en/01_sparse_coding.html": 2, "chapters/en/03_group_sparsity.html": 1,
               "chapters/en/05_lateral_inhibition.html": 3,
               # chapter 6: two inline formulas of exercise statements, 9 and 82 px too wide
               "chapters/en/06_today_saes.html": 2}


def code_bound(path: str, viewport: str) -> int:
    # A translated chapter has the English chapter's code cells: the same bound.
    path = re.sub(r"^(?:[a-z]{2}/)?chapters/[a-z]{2}/", "chapters/en/", path)
    if path in CODE_BOXES:
        return CODE_BOXES[path][viewport]
    if "/chapters/" in f"/{path}" and re.search(r"/\d\d_[^/]+\.html$", path):
        return max(b[viewport] for b in CODE_BOXES.values())
    return 0


@pytest.fixture(scope="module")
def report():
    """Every measurement of this module, written to _build/overflow.json at the end."""
    results: dict = {}
    yield results
    write_report(REPORT, results)
    print(f"\noverflow report: {REPORT.relative_to(ROOT)}")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", sampled(built_pages()))
def test_nothing_cut_off_nothing_scrolls_sideways(shared_page, report, path, viewport):
    # the page as loaded (maths typeset, fonts ready), shared with the other checks that only
    # read it: measured first, then its worst box is scrolled into view for the screenshot
    page = shared_page(path, viewport).page
    m = page.evaluate(MEASURE)
    kinds: dict[str, int] = {}
    for box in m["scroll_boxes"]:
        kinds[box["kind"]] = kinds.get(box["kind"], 0) + 1
    report[f"{path} @ {viewport}"] = {**m, "scroll_boxes_by_kind": kinds}
    print(f"\n{path} @ {viewport}: page {m['document_scroll_width']}/{m['inner_width']} px, "
          f"{len(m['scroll_boxes'])} scroll boxes {kinds} of {m['code_blocks']} code/output "
          f"blocks and {m['display_maths']} display formulas, {len(m['clipped'])} clipped, "
          f"{len(m['beyond_viewport'])} past the viewport")
    stem = path.replace("/", "_").removesuffix(".html") + f"-{viewport}"
    worst = max(m["scroll_boxes"] + m["clipped"], key=lambda b: b["past_px"], default=None)
    if worst is not None:
        handle = page.evaluate_handle(
            """([name, text]) => Array.from(document.querySelectorAll('body *')).find(e =>
                e.textContent.replace(/\\s+/g, ' ').trim().startsWith(text.slice(0, 30))
                && e.tagName.toLowerCase() === name.split(/[.#]/)[0]) || document.body""",
            [worst["element"], worst["text"]])
        SHOTS.mkdir(parents=True, exist_ok=True)
        element = handle.as_element()
        if element is not None:
            element.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"{stem}-worst.png"))

    assert m["document_scroll_width"] <= m["inner_width"], f"{path} @ {viewport} scrolls sideways"
    assert m["body_scroll_width"] <= m["inner_width"], f"{path} @ {viewport}: body scrolls sideways"
    assert m["beyond_viewport"] == [], f"{path} @ {viewport}: past the right edge {m['beyond_viewport'][:5]}"
    assert m["clipped"] == [], (
        f"{path} @ {viewport}: content clipped by overflow hidden/clip: "
        + "; ".join(f"{c['element']} ({c['past_px']} px hidden) {c['text']!r}" for c in m["clipped"][:8]))
    if viewport == "desktop":
        assert kinds.get("math", 0) == 0, f"{path}: display maths scrolls on the desktop"
    else:
        assert kinds.get("math", 0) <= PHONE_MATHS.get(re.sub(r"^(?:[a-z]{2}/)?chapters/[a-z]{2}/", "chapters/en/", path), 0), f"{path}: {kinds.get('math', 0)} formulas scroll"
    assert kinds.get("output", 0) == 0, f"{path} @ {viewport}: printed output scrolls instead of wrapping"
    assert kinds.get("other", 0) == 0, f"{path} @ {viewport}: {m['scroll_boxes']}"
    bound = code_bound(path, viewport)
    assert kinds.get("code", 0) <= bound, f"{path} @ {viewport}: {kinds.get('code', 0)} code boxes scroll (bound {bound})"
