"""Browser checks of the colour mode, the icons and the favicon.

- The page follows the reader's ``prefers-color-scheme`` (emulated): ``html[data-theme]``
  is "dark" or "light" accordingly, with no console error ("Got invalid theme mode" was
  the reason the mode used to be forced to light).
- In dark mode every figure image sits on a light backing (the first opaque background
  met from the image up, the image's own included, has a relative luminance >= 0.6; the theme's
  backing for outputs is its light text colour, about 0.66), and
  axe-core finds no colour-contrast violation on the landing page and the chapters.
- Icons: Font Awesome's script is not loaded; every visible theme icon (``.fa-*``) has
  a non-zero box and is painted (an SVG mask or a web-font glyph).
- The page names a favicon that exists, and no request of the page fails (the favicon's
  included: Chromium asks for /favicon.ico when a page names none).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SCREENSHOTS as SHOTS, VIEWPORTS, built_pages, sampled, write_report

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = SHOTS / "colour_mode"
AXE = ROOT / "_assets" / "node_modules" / "axe-core" / "axe.min.js"
REPORT = ROOT / "_build" / "colour_mode.json"
RESULTS: dict = {}


def landing_and_chapters() -> list[str]:
    pages = built_pages()
    chapters = [p for p in pages if (ROOT / p).with_suffix(".ipynb").exists()]
    return [p for p in pages if p.endswith("/intro.html")][:1] + chapters


# For each figure image: the first opaque background from the image up, and its luminance.
BACKINGS_JS = """() => {
  const lum = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(',').map(Number);
    if (a < 0.5) return null;
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  return Array.from(document.querySelectorAll('main img')).filter(i => i.getBoundingClientRect().width > 0)
    .map(img => {
      for (let e = img; e; e = e.parentElement) {
        const l = lum(getComputedStyle(e).backgroundColor);
        if (l !== null) return {src: (img.getAttribute('src') || '').slice(0, 60), luminance: l, on: e.tagName + '.' + e.className};
      }
      return {src: img.getAttribute('src'), luminance: null, on: null};
    });
}"""

ICONS_JS = """() => Array.from(document.querySelectorAll('[class*="fa-"]'))
  .filter(e => /(^| )fa-(?!solid|brands|regular|lg)[a-z]/.test(e.className))
  .filter(e => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden')
  .map(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e), b = getComputedStyle(e, '::before');
              return {icon: e.className, width: r.width, height: r.height,
                      painted: (s.maskImage || s.webkitMaskImage || 'none') !== 'none' || (b.content && b.content !== 'none')}; })"""


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    write_report(REPORT, RESULTS)


def _open(one_page, path: str, scheme: str, viewport: str = "desktop"):
    opened = one_page(path, viewport=viewport, color_scheme=scheme, wait="load")
    opened.page.wait_for_timeout(300)  # the theme's script sets data-theme on DOMContentLoaded
    return opened.page, opened


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("path", sampled(built_pages()))
def test_page_follows_the_readers_colour_scheme(one_page, path, scheme, viewport):
    page, log = _open(one_page, path, scheme, viewport)
    theme = page.evaluate("() => document.documentElement.dataset.theme")
    record = RESULTS.setdefault(path, {}).setdefault(f"{scheme}-{viewport}", {})
    record["data-theme"] = theme
    assert theme == scheme, f"{path}: prefers-color-scheme {scheme}, page in {theme!r}"
    assert log.errors == [], f"{path} ({scheme}): console errors {log.errors}"

    icons = page.evaluate(ICONS_JS)
    record["icons"] = len(icons)
    assert icons, f"{path}: no visible icon (the ☰ button has one)"
    bad = [i for i in icons if not (i["width"] > 2 and i["height"] > 2 and i["painted"])]
    assert bad == [], f"{path}: icons without a size or paint: {bad}"
    # The script only: the theme's CSS still draws admonition icons from its web font.
    fontawesome = [u for u in log.requests if "fontawesome.js" in u]
    assert fontawesome == [], f"{path}: Font Awesome is still loaded: {fontawesome}"

    favicon = page.evaluate("() => (document.querySelector('link[rel~=icon]') || {}).href || null")
    assert favicon, f"{path}: names no favicon (the browser asks for /favicon.ico)"
    assert page.request.get(favicon).ok, f"{path}: favicon {favicon} is missing"
    assert log.failed == [], f"{path}: failed requests {log.failed}"

    if scheme == "dark":
        backings = page.evaluate(BACKINGS_JS)
        record["images"] = len(backings)
        record["darkest backing"] = min((b["luminance"] or 0 for b in backings), default=None)
        dark = [b for b in backings if b["luminance"] is None or b["luminance"] < 0.6]
        print(path, viewport, f"{len(backings)} images, darkest backing", record["darkest backing"])
        if viewport == "desktop" and backings:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.evaluate("() => { const i = Array.from(document.querySelectorAll('article img'))"
                          ".find(i => i.getBoundingClientRect().width > 0); if (i) i.scrollIntoView(); }")
            page.screenshot(path=str(SCREENSHOTS / f"{path.replace('/', '_')}-dark.png"))
        assert dark == [], f"{path}: figure images on a dark backing in dark mode: {dark}"


@pytest.mark.parametrize("path", landing_and_chapters())
def test_dark_mode_colour_contrast(one_page, path):
    page, log = _open(one_page, path, "dark")
    page.wait_for_load_state("networkidle")
    page.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {runOnly: ['color-contrast'],
        resultTypes: ['violations']})).violations.map(x => ({id: x.id, impact: x.impact,
        nodes: x.nodes.slice(0, 5).map(n => [n.target.join(' '), n.any.map(a => a.message).join(' ')])}))""")
    serious = [x for x in violations if x["impact"] in ("serious", "critical")]
    RESULTS.setdefault(path, {})["dark contrast violations"] = sum(len(x["nodes"]) for x in serious)
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
