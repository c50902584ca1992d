"""Fixtures for the browser checks: the built site over HTTP on 127.0.0.1, and Chromium.

These checks run against `_build/html` as `make book` leaves it; `make test` builds it
first. Chromium is Debian's (/usr/bin/chromium) driven by Playwright from PyPI; no
browser is downloaded.
"""
from __future__ import annotations

import functools
import http.server
import threading
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="session")
def site_url():
    """Serve _build/html on an ephemeral port of 127.0.0.1 for the whole session."""
    if not (SITE / "index.html").exists():
        pytest.fail("No built site in _build/html: run `make book` first.")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def track_requests(page) -> dict:
    """The page's requests still in flight, by request (fill it before ``goto``)."""
    pending: dict = {}
    page.on("request", lambda r: pending.__setitem__(id(r), r.url))
    page.on("requestfinished", lambda r: pending.pop(id(r), None))
    page.on("requestfailed", lambda r: pending.pop(id(r), None))
    return pending


def settle(page, pending: dict, timeout: float = 30_000) -> None:
    """Wait until the network is idle. The page has fired ``load`` already, so this only
    lets late requests (fonts, MathJax, widget state) finish; on a loaded 2-core machine
    Chromium has been seen not to report idleness for 90 s with nothing in flight, so a
    timeout with no request pending is a warning, and one with requests pending fails,
    naming them."""
    try:
        page.wait_for_load_state("networkidle", timeout=timeout)
    except Exception as error:  # playwright's TimeoutError
        if pending:
            raise AssertionError(f"requests still pending: {sorted(pending.values())}") from error
        warnings.warn(f"{page.url}: no network idle within {timeout / 1000:.0f} s, none pending")
