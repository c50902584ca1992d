"""Page weight of every chapter page, as a reader pays it (issue 19, item 6).

For each chapter page (a built page whose source is a notebook, discovered from
``_build/html/_sources``) and each viewport, in a fresh browser context (no cache):

1. load the page and wait until the network is idle, counting every response;
2. sweep every slider of every explorer end to end (focus, Home, then ArrowRight until
   its last value, waiting for each frame to be loaded), counting what that fetches.

Bytes counted are the response bodies as received (``len(response.body())``; the local
server sends no compression, so this equals the ``Content-Length`` the site would send
uncompressed). ``data:`` URLs are not requests: their bytes are inside the HTML already.
The weights are printed and written to ``_build/page_weight.json``; the total (load +
sweep) must stay within ``LIMIT`` per chapter page.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SCREENSHOTS, VIEWPORTS, chapter_pages, open_page, settle, sampled, write_report

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "_build" / "page_weight.json"
LIMIT = 2.5 * 2**20


def mib(n: int) -> str:
    return f"{n / 2**20:.2f} MiB"


class Meter:
    """Every response of a page with its body length, in arrival order."""

    def __init__(self, page):
        self.responses: list = []
        page.on("requestfinished", self._finished)

    def _finished(self, request):
        if request.url.startswith("data:"):
            return
        self.responses.append(request)

    def sizes(self, start: int = 0, end: int | None = None) -> list[tuple[str, int]]:
        out = []
        for request in self.responses[start:end]:
            response = request.response()
            try:
                n = len(response.body()) if response is not None else 0
            except Exception:  # a body the browser did not keep (redirect): its header's length
                n = int((response.headers or {}).get("content-length", 0)) if response else 0
            out.append((request.url, n))
        return out


def sweep(page) -> int:
    """Every slider of every explorer from its first to its last value; returns the number of
    frames shown. Each step waits until the explorer's image has loaded the new frame."""
    shown = 0
    explorers = page.locator(".sparselib-explorer")
    for e in range(explorers.count()):
        root = explorers.nth(e)
        img = root.locator("img").first
        sliders = root.locator("input[type=range]")
        for s in range(sliders.count()):
            slider = sliders.nth(s)
            slider.focus()
            page.keyboard.press("Home")
            last = int(slider.get_attribute("max"))
            for _ in range(last + 1):
                img.evaluate("el => el.scrollIntoView({block: 'nearest'})")
                page.wait_for_function("el => el.complete && el.naturalWidth > 0",
                                       arg=img.element_handle(), timeout=30_000)
                shown += 1
                if int(slider.evaluate("el => +el.value")) >= last:
                    break
                page.keyboard.press("ArrowRight")
    return shown


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", sampled(chapter_pages()))
def test_chapter_page_weight(browser, site_url, path, viewport):
    meters = []
    opened = open_page(browser, site_url, path, viewport=viewport, listen=lambda p: meters.append(Meter(p)))
    page, meter = opened.page, meters[0]
    at_load = len(meter.responses)
    frames = sweep(page)
    settle(page, opened.pending)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"weight_{viewport}_{Path(path).stem}.png"))
    load, swept = meter.sizes(0, at_load), meter.sizes(at_load)
    opened.context.close()

    base = len(site_url)
    load_bytes, sweep_bytes = sum(n for _, n in load), sum(n for _, n in swept)
    total = load_bytes + sweep_bytes
    largest = sorted(load + swept, key=lambda r: -r[1])[:5]
    record = {"requests_at_load": len(load), "bytes_at_load": load_bytes,
              "requests_of_sweep": len(swept), "bytes_of_sweep": sweep_bytes,
              "frames_swept": frames, "total_bytes": total,
              "largest": [{"url": u[base:], "bytes": n} for u, n in largest]}
    write_report(REPORT, {path: {viewport: record}})

    print(f"\n{path} [{viewport}]: {len(load)} requests, {mib(load_bytes)} at load; sweep of "
          f"{frames} frames: {len(swept)} requests, {mib(sweep_bytes)}; total {mib(total)}")
    for u, n in largest:
        print(f"    {n:>9,d}  {u[base:]}")
    assert total <= LIMIT, f"{path} [{viewport}]: {mib(total)} > {mib(int(LIMIT))}"
    assert opened.problems == [], f"{path} [{viewport}]: {opened.problems}"
