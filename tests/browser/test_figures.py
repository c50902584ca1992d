"""Figures in the browser: the smallest label of every figure and explorer frame, as shown.

On every page of the built book, every image in the article that is a figure (a PNG or SVG
from a notebook output, or an explorer's current frame) is scrolled into view and measured:

    label px = font_pt * dpi / 72 * shown width / natural width

``font_pt`` (the smallest font size drawn in the figure) and ``dpi`` are recorded in the
file by :mod:`sparselib.figures` (PNG text chunks, or attributes of the SVG's root); the
natural width is the PNG's pixels or the SVG's width in points; the shown width is the
image's box on screen. At 1366 × 900 every figure must reach 10 px; at 390 × 844 the sizes
are printed only. Everything measured goes to ``_build/figure_labels.json``, and the page's
smallest figure to ``_build/screenshots/figures-<viewport>-<page>.png``.
"""
from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import SCREENSHOTS, SITE, VIEWPORTS, built_pages, open_page, sampled, write_report

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "_build" / "figure_labels.json"
MIN_PX = 10.0
FIGURES = "article img"          # the theme's logos sit outside the article
_results: dict = {}


def read_source(src: str, page_url: str) -> bytes:
    """The bytes behind an image's ``src``: a data URI, or a file of the built site."""
    if src.startswith("data:"):
        head, _, payload = src.partition(",")
        return base64.b64decode(payload) if ";base64" in head else unquote(payload).encode()
    return (SITE / unquote(urlparse(urljoin(page_url, src)).path).lstrip("/")).read_bytes()


def font_record(data: bytes) -> dict:
    """``format``, ``font_pt`` (None when not recorded), ``dpi`` and ``natural`` width of an image."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            text, width = dict(im.text), im.size[0]
        font, dpi = text.get("sparselib:font-pt"), text.get("sparselib:dpi")
        return {"format": "png", "font_pt": float(font) if font else None,
                "dpi": float(dpi) if dpi else None, "natural": width, "recorded": dpi is not None}
    head = data[:4000].decode("utf-8", "replace")
    root = re.search(r"<svg\b[^>]*>", head)
    if root is None:
        return {"format": "other", "font_pt": None, "dpi": None, "natural": None, "recorded": False}
    tag = root.group(0)
    attr = dict(re.findall(r'([\w:-]+)="([^"]*)"', tag))
    box = attr.get("viewBox", "").split()
    natural = float(box[2]) if len(box) == 4 else float(re.sub(r"[a-z]+$", "", attr.get("width", "0")))
    font = attr.get("data-font-pt")
    return {"format": "svg", "font_pt": float(font) if font else None,
            "dpi": float(attr["data-dpi"]) if "data-dpi" in attr else None, "natural": natural,
            "recorded": "data-dpi" in attr}


def label_px(record: dict, shown: float):
    if record["font_pt"] is None or not record["dpi"] or not record["natural"]:
        return None
    return record["font_pt"] * record["dpi"] / 72 * shown / record["natural"]


def measure(page, url: str) -> list[dict]:
    rows = []
    images = page.locator(FIGURES)
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle(),
                               timeout=10_000)
        src = img.get_attribute("src") or ""
        if src.startswith("data:") and not src.startswith("data:image/png"):
            continue
        box = img.evaluate("el => { const r = el.getBoundingClientRect();"
                           " const c = el.closest('.bd-article') || document.body;"
                           " return [r.width, c.clientWidth, !!el.closest('.sparselib-explorer')]; }")
        shown, column, explorer = box
        record = font_record(read_source(src, url))
        if record["format"] == "other":
            continue
        px = label_px(record, shown)
        rows.append({"index": i, "kind": "explorer" if explorer else "figure",
                     "src": src[:40] if src.startswith("data:") else src.rsplit("/", 1)[-1],
                     **record, "shown": round(shown, 1), "column": column,
                     "label_px": None if px is None else round(px, 2)})
    return rows


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_smallest_label_height_on_screen(browser, site_url, viewport):
    width, height = VIEWPORTS[viewport]["width"], VIEWPORTS[viewport]["height"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    report, failures = {}, []
    for path in sampled(built_pages()):
        opened = open_page(browser, site_url, path, viewport=viewport)
        page = opened.page
        try:
            rows = measure(page, site_url + path)
            report[path] = rows
            measured = [r for r in rows if r["label_px"] is not None]
            if measured:
                worst = min(measured, key=lambda r: r["label_px"])
                page.locator(FIGURES).nth(worst["index"]).screenshot(
                    path=str(SCREENSHOTS / f"figures-{viewport}-{path.replace('/', '_')}.png"))
        finally:
            opened.context.close()
        for row in rows:
            px = row["label_px"]
            print(f"[{viewport}] {path} #{row['index']} {row['kind']} {row['format']} "
                  f"{row['src']}: font {row['font_pt']} pt @ {row['dpi']} dpi, natural "
                  f"{row['natural']}, shown {row['shown']} of {row['column']} px -> "
                  f"{'unrecorded' if px is None else f'{px:.1f} px'}")
            if not row["recorded"] or (px is not None and px < MIN_PX):
                failures.append(f"{path} #{row['index']} ({row['kind']}, {row['src']}): "
                                + ("no font size recorded" if not row["recorded"] else f"{px:.1f} px"))
    _results[viewport] = report
    write_report(REPORT, {viewport: report})
    sizes = [r["label_px"] for rows in report.values() for r in rows if r["label_px"] is not None]
    n = sum(len(rows) for rows in report.values())
    print(f"[{viewport}] {n} figures on {len(report)} pages; smallest label "
          f"{min(sizes) if sizes else float('nan'):.1f} px")
    assert n, "no figure found on any page"
    if viewport == "desktop":
        assert not failures, f"{len(failures)} figures below {MIN_PX} px at {width}x{height}:\n" + "\n".join(failures)
