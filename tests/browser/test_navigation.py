"""Browser checks of the book's navigation: the ☰ (site navigation) and contents buttons
open and close what they name, on every built page, at a desktop and a phone viewport,
and each page offers exactly one search entry point.

"Visible" is measured, not read from a class: the element has a non-zero bounding box
inside the viewport, is not hidden by CSS (visibility, opacity, display), and the point at
the centre of one of its links is that link (nothing covers it).

What the theme does by design (sphinx-book-theme 1.x over pydata-sphinx-theme):
- desktop (1366 x 900, >= 992 px): the site navigation is shown when the page opens; ☰ hides
  it and a second click shows it again. The page contents ("On this page") sit in the right
  column from 1200 px up and are shown when the page opens; the contents
  button is hidden by the theme at that width, and the check expects the contents on screen.
- phone (390 x 844): both are hidden when the page opens; each button opens its panel as a
  modal dialog, and the theme's close control (Escape, or a click outside the panel) hides it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SCREENSHOTS as SHOTS, VIEWPORTS, built_pages, sampled, write_report

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = SHOTS / "navigation"
REPORT = ROOT / "_build" / "navigation.json"


# Is a panel (any element matching the selector) on screen? One of its links must be the
# element found at that link's own centre point (so an element moved off-canvas, made
# transparent, or covered by another panel does not count).
VISIBLE_JS = """(selector) => {
  const vw = window.innerWidth, vh = window.innerHeight;
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) < 0.1) return false;
    }
    return true;
  };
  for (const panel of document.querySelectorAll(selector)) {
    const r = panel.getBoundingClientRect();
    const box = {x: r.x, y: r.y, width: r.width, height: r.height};
    if (r.width < 1 || r.height < 1 || r.right <= 0 || r.bottom <= 0 || r.left >= vw || r.top >= vh) continue;
    if (!shown(panel)) continue;
    for (const a of panel.querySelectorAll('a[href]')) {
      const q = a.getBoundingClientRect();
      if (q.width < 1 || q.height < 1) continue;
      const x = q.left + q.width / 2, y = q.top + Math.min(q.height / 2, 8);
      if (x < 0 || y < 0 || x >= vw || y >= vh) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit && (hit === a || a.contains(hit)) && shown(a)) return {box, link: a.textContent.trim().slice(0, 40)};
    }
  }
  return null;
}"""

# Controls a reader can see and press that open the search, outside the article (the
# search page's own form, in its article, is the search itself, not an entry point).
SEARCH_ENTRIES_JS = """() => {
  const vw = window.innerWidth, vh = window.innerHeight;
  const out = [];
  for (const el of document.querySelectorAll('.search-button__button, .search-button-field, form.bd-search input, input[type=search]')) {
    if (el.closest('dialog:not([open])') || el.closest('.bd-article-container .bd-search-container, article.bd-article')) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.right <= 0 || r.bottom <= 0 || r.left >= vw || r.top >= vh) continue;
    let ok = true;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) < 0.1) { ok = false; break; }
    }
    if (ok) out.push(el.className || el.tagName);
  }
  return out;
}"""

# The visible button of a kind (primary-toggle / secondary-toggle), as a CSS path index.
VISIBLE_BUTTONS_JS = """(cls) => Array.from(document.querySelectorAll('button.' + cls)).map((b, i) => {
  const r = b.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {i, visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.top < innerHeight
                      && !!hit && (hit === b || b.contains(hit))};
}).filter(b => b.visible).map(b => b.i)"""

PANELS = {
    "primary": (".bd-sidebar-primary", "primary-toggle"),
    "secondary": (".bd-sidebar-secondary", "secondary-toggle"),
}
RESULTS: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    write_report(REPORT, RESULTS)
    print(f"\nnavigation measurements: {REPORT}")


def _shot(page, path: str, viewport: str, step: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{path.replace('/', '_')}-{viewport}-{step}.png"))


def _press(page, cls: str) -> None:
    buttons = page.evaluate(VISIBLE_BUTTONS_JS, cls)
    assert buttons, f"no visible, unobstructed button.{cls}"
    page.locator(f"button.{cls}").nth(buttons[0]).click()
    page.wait_for_timeout(400)  # the theme's transitions are 0.2-0.3 s


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", sampled(built_pages()))
def test_sidebar_contents_and_search(one_page, path, viewport):
    # The buttons work once the theme's scripts have run (DOMContentLoaded); this check
    # does not wait for MathJax or late images.
    opened = one_page(path, viewport=viewport, wait="load")
    page = opened.page
    record = RESULTS.setdefault(path, {}).setdefault(viewport, {})
    # Exactly one search entry point a reader can see (measured before any click).
    entries = page.evaluate(SEARCH_ENTRIES_JS)
    record["search entries"] = entries
    print(path, viewport, "search entries:", entries)
    assert len(entries) == 1, f"{path} ({viewport}): {len(entries)} search entry points: {entries}"
    phone = viewport == "phone"
    for kind, (panel, cls) in PANELS.items():
        has_button = page.locator(f"button.{cls}").count() > 0
        if kind == "secondary" and not has_button:
            # No in-page contents on this page (no sections): nothing to toggle.
            assert page.locator(f"{panel} nav.page-toc a").count() == 0, f"{path}: contents but no button"
            record[kind] = "no contents on this page"
            continue
        steps = {"load": page.evaluate(VISIBLE_JS, panel)}
        if kind == "secondary" and not phone and not page.evaluate(VISIBLE_BUTTONS_JS, cls):
            # By design the theme hides the contents button from 1200 px up, where the
            # contents have their own column: they must then be on screen.
            assert steps["load"], f"{path} ({viewport}): no contents button and no contents shown"
            record[kind] = {"load": steps["load"], "button": "hidden by the theme at >= 1200 px"}
            print(path, viewport, kind, "shown permanently:", steps["load"]["box"])
            continue
        _press(page, cls)
        steps["first click"] = page.evaluate(VISIBLE_JS, panel)
        _shot(page, path, viewport, f"{kind}-open" if phone else f"{kind}-hidden")
        if phone:
            page.keyboard.press("Escape")  # the theme's close control for its dialogs
            page.wait_for_timeout(400)
            steps["close"] = page.evaluate(VISIBLE_JS, panel)
        else:
            _press(page, cls)
            steps["second click"] = page.evaluate(VISIBLE_JS, panel)
        record[kind] = steps
        print(path, viewport, kind, {k: (v["box"] if v else None) for k, v in steps.items()})
        if phone:
            assert steps["load"] is None, f"{path} ({viewport}): {kind} panel shown before any click"
            assert steps["first click"], f"{path} ({viewport}): the {cls} button did not show the {kind} panel"
            assert steps["close"] is None, f"{path} ({viewport}): the {kind} panel did not close"
        else:
            assert steps["load"], f"{path} ({viewport}): {kind} panel not shown on load at desktop width"
            assert steps["first click"] is None, f"{path} ({viewport}): the {cls} button did not hide the {kind} panel"
            assert steps["second click"], f"{path} ({viewport}): the {cls} button did not show the {kind} panel again"
    assert opened.errors == [], f"{path} ({viewport}): console errors {opened.errors}"


