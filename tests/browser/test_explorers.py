"""Explorers in the browser: the precomputed frames move with the keyboard, without a kernel.

1. On the built book (`_build/html`, served on 127.0.0.1): every chapter page holding an
   explorer swaps its frame when a slider is focused and moved with ArrowRight, with no
   console error, and stays within the page-weight limit. The executed notebook also holds
   the live widget view (what Jupyter and Colab show).
2. On a small page made here (no book needed): the same explorer output under
   ``<html lang="fa">`` switches its words to Persian and its container to right-to-left.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import open_page, serve_folder

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
PAGE_LIMIT = 3 * 2**20
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def explorer_pages() -> list[str]:
    if not SITE.is_dir():
        return []
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.glob("**/chapters/**/*.html")
                  if "sparselib-explorer" in p.read_text(encoding="utf-8", errors="ignore"))


def move_first_slider(page) -> tuple[str, str, str, str]:
    """Focus the first explorer's first slider, press ArrowRight; return (src, alt) before and after."""
    root = page.locator(".sparselib-explorer").first
    img, slider = root.locator("img"), root.locator("input[type=range]").first
    before = (img.get_attribute("src"), img.get_attribute("alt"))
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, src]) => el.getAttribute('src') !== src",
                           arg=[img.element_handle(), before[0]], timeout=5000)
    return (*before, img.get_attribute("src"), img.get_attribute("alt"))


def test_the_book_has_an_explorer_page():
    if not (SITE / "index.html").exists():
        pytest.fail("No built site in _build/html: run `make book` first.")
    assert explorer_pages(), "no chapter page in _build/html contains an explorer"


@pytest.mark.parametrize("path", explorer_pages())
def test_keyboard_moves_the_frame_without_a_kernel(browser, site_url, path):
    size = (SITE / path).stat().st_size
    assert size <= PAGE_LIMIT, f"{path} weighs {size / 2**20:.2f} MiB"
    opened = open_page(browser, site_url, path)
    page = opened.page
    n = page.locator(".sparselib-explorer").count()
    assert n >= 1
    src0, alt0, src1, alt1 = move_first_slider(page)
    # The book serves each frame as a file of the site (tools/page_weight.py).
    assert src1 != src0 and (SITE / path).parent.joinpath(src1).resolve().is_file()
    assert page.locator(".sparselib-explorer img").first.evaluate("i => i.decode().then(() => i.naturalWidth)") > 0
    assert alt1 and alt1 != alt0
    label = page.locator(".sparselib-explorer input[type=range]").first.get_attribute("aria-label")
    assert label
    assert opened.problems == [], opened.problems
    opened.context.close()


def _executed(source: Path) -> dict:
    """The executed notebook the book used: the execution cache's entry matching the
    source (a cached build leaves _build/jupyter_execute without outputs)."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(ROOT / ".jupyter_cache")
    record = cache.match_cache_notebook(nbformat.read(source, as_version=4))
    return json.loads(nbformat.writes(cache.get_cache_bundle(record.pk).nb))


@pytest.mark.parametrize("path", explorer_pages())
def test_executed_notebook_holds_the_live_widget_view(path):
    """Jupyter and Colab show the widget view; the book shows the text/html of the same output."""
    source = ROOT / Path(path).with_suffix(".ipynb")
    if not source.exists():
        pytest.skip(f"{source} not found (translated pages reuse the English outputs)")
    outputs = [o for c in _executed(source)["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    both = [o for o in outputs if "sparselib-explorer" in "".join(o.get("data", {}).get("text/html", ""))]
    assert both, "no explorer output in the executed notebook"
    assert all(WIDGET_VIEW in o["data"] for o in both)


@pytest.fixture
def standalone(tmp_path):
    """A page holding one explorer's output, under <html lang="fa">, served on 127.0.0.1
    (its base URL; the page is index.html)."""
    import matplotlib

    matplotlib.use("Agg")
    from sparselib.widgets import PenaltyExplorer

    body = PenaltyExplorer(lams=[0.0, 0.5, 1.0]).to_html()
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fa"><head><meta charset="utf-8"><title>x</title></head>'
        f"<body>{body}</body></html>", encoding="utf-8")
    with serve_folder(tmp_path) as url:
        yield url


def test_static_explorer_follows_the_page_language(browser, standalone):
    opened = open_page(browser, standalone, "index.html")
    page = opened.page
    root = page.locator(".sparselib-explorer")
    assert root.get_attribute("dir") == "rtl" and root.get_attribute("lang") == "fa"
    slider = root.locator("input[type=range]")
    assert slider.get_attribute("aria-label") == "وزن جریمه λ"
    assert slider.get_attribute("dir") == "ltr"
    src0, alt0, src1, alt1 = move_first_slider(page)
    assert src1 != src0 and "λ = 1.00" in alt1 and "نُرم" in alt1
    assert root.locator("output").inner_text() == "λ = 1.00"
    page.keyboard.press("ArrowLeft")
    assert root.locator("img").get_attribute("src") == src0
    assert opened.problems == [], opened.problems
    opened.context.close()
