"""Fixtures for the browser checks: the built site over HTTP on 127.0.0.1, and Chromium.

These checks run against `_build/html` as `make book` leaves it; `make test` builds it
first. Chromium is Debian's (/usr/bin/chromium) driven by Playwright from PyPI; no
browser is downloaded.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import sys
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# The two readers of issue 19: a laptop and a phone (CSS pixels).
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Folders of the built site that hold assets, not pages.
ASSET_FOLDERS = {"_static", "_sources", "_images", "jupyter_execute"}
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that closes a page while a file is on its way (a check done with the
        page) breaks the pipe: that is not an error of the site; anything else is printed."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_folder(folder: Path):
    """Serve ``folder`` over HTTP on an ephemeral port of 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url():
    """The built site (_build/html), served for the whole session."""
    if not (SITE / "index.html").exists():
        pytest.fail("No built site in _build/html: run `make book` first.")
    with serve_folder(SITE) as url:
        yield url


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


def write_report(path: Path, results: dict) -> None:
    """Merge ``results`` (page -> measurements) into the JSON report at ``path``.

    The checks run in several pytest-xdist workers, each holding part of a module's
    measurements: every worker merges its part under an exclusive lock, so the report ends
    with all of them whatever the order (one level deep: a page measured by two workers, say
    in two viewports, keeps both)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        for key, value in results.items():
            if isinstance(value, dict) and isinstance(old.get(key), dict):
                old[key] = {**old[key], **value}
            else:
                old[key] = value
        path.write_text(json.dumps(old, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                        encoding="utf-8")


def built_pages(*, redirects: bool = False) -> list[str]:
    """Every HTML page of the built site (paths relative to it), discovered, not listed.
    Redirects (the site root's index.html only sends the reader on to the landing page,
    which is itself in the list) are left out unless asked for."""
    if not SITE.is_dir():
        return []
    pages = [p for p in SITE.rglob("*.html") if not ASSET_FOLDERS & set(p.relative_to(SITE).parts)]
    return sorted(p.relative_to(SITE).as_posix() for p in pages
                  if redirects or 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:500])


def sampled(pages: list[str]) -> list[str]:
    """The pages a check that repeats per page visits: every page of the English site, and
    per translated language its landing page and one chapter, a different chapter for each
    language (so that five languages cover the five chapters). The translated pages share
    their code, outputs and figures with English; what differs (text, direction, fonts) is
    covered by each kind of page in each language, and every translated page is opened by
    tests/browser/test_languages.py and test_site.py."""
    import yaml

    manifest = yaml.safe_load((ROOT / "book" / "manifest.yml").read_text(encoding="utf-8"))
    source = manifest["source_language"]
    others = [lang["code"] for lang in manifest["languages"] if lang["code"] != source]
    keep = []
    for path in pages:
        parts = path.split("/")
        if parts[0] not in others:
            keep.append(path)
            continue
        index = others.index(parts[0])
        name = parts[-1].removesuffix(".html")
        chapter = manifest["chapters"][index % len(manifest["chapters"])]
        if name in (manifest["root"], chapter):
            keep.append(path)
    return keep


def chapter_pages() -> list[str]:
    """Built pages whose source is a notebook (Sphinx keeps each page's source in _sources/)."""
    sources = SITE / "_sources"
    if not sources.is_dir():
        return []
    pages = []
    for src in sorted(sources.rglob("*.ipynb*")):
        rel = src.relative_to(sources).as_posix()
        page = rel[: rel.index(".ipynb")] + ".html"
        if (SITE / page).exists():
            pages.append(page)
    return pages


@dataclass
class Opened:
    """A page opened by ``open_page``, with what it reported while loading and after."""
    context: object
    page: object
    errors: list = field(default_factory=list)     # console errors, uncaught exceptions
    failed: list = field(default_factory=list)     # HTTP >= 400, failed requests
    outside: list = field(default_factory=list)    # requests off the local site (blocked)
    requests: list = field(default_factory=list)   # every URL requested
    pending: dict = field(default_factory=dict)    # requests in flight (for ``settle``)

    @property
    def problems(self) -> list:
        return self.errors + self.failed + [f"outside request: {u}" for u in self.outside]


def open_page(browser, site_url: str, path: str, *, viewport: str = "desktop",
              color_scheme: str | None = None, listen=None, wait: str = "idle") -> Opened:
    """Open ``path`` of the site in a fresh browser context (no cache, nothing shared).

    Requests that leave the local site are recorded and aborted: a check never reaches
    the network. ``listen(page)`` is called before navigation (to count responses, say).
    ``wait``: "load" (the load event), "idle" (then the network idle, ``settle``) or
    "maths" (then MathJax typeset and fonts ready)."""
    options = {"viewport": VIEWPORTS[viewport]}
    if color_scheme is not None:
        options["color_scheme"] = color_scheme
    context = browser.new_context(**options)
    context.set_default_timeout(90_000)  # a loaded 2-core CI machine, not a slow page
    page = context.new_page()
    opened = Opened(context, page)

    def route(r):
        if r.request.url.startswith(site_url):
            r.continue_()
        else:
            opened.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
    page.on("pageerror", lambda e: opened.errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and opened.failed.append(f"HTTP {r.status}: {r.url}"))
    # A request the page cancels itself (net::ERR_ABORTED: an explorer frame whose <img> src
    # the next key press replaced before it arrived) is not a failure of the site; a missing
    # file still shows as HTTP 404 above, and a refused or reset connection here.
    page.on("requestfailed", lambda r: r.url.startswith(site_url) and r.failure != "net::ERR_ABORTED"
            and opened.failed.append(f"failed ({r.failure}): {r.url}"))
    if listen is not None:
        listen(page)
    pending = opened.pending = track_requests(page)
    page.goto(site_url + path, wait_until="load")
    if wait in ("idle", "maths"):
        settle(page, pending)
    if wait == "maths":
        page.evaluate("""async () => {
            if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
            await document.fonts.ready; }""")
        settle(page, pending)
    return opened


@pytest.fixture
def one_page(browser, site_url):
    """``open_page`` for a test that opens pages one after another: opening one closes
    the one before (a test that walks every chapter does not keep earlier pages, their
    MathJax and scripts, running beside the one it loads); the last closes at teardown."""
    contexts = []

    def _open(path: str, **options) -> Opened:
        while contexts:
            contexts.pop().close()
        opened = open_page(browser, site_url, path, **options)
        contexts.append(opened.context)
        return opened

    yield _open
    while contexts:
        contexts.pop().close()


@pytest.fixture(scope="session")
def shared_page(browser, site_url):
    """``open_page(path, wait="maths")`` for checks that only read a page: the page stays
    open for the next such check of the same path, so a chapter is loaded once for all of
    them instead of once for each. One page is held at a time (opening another path closes
    it), and the collection hook below runs the checks of one page one after another, on one
    worker. Checks that click, type or change the page use ``one_page`` (a fresh page)."""
    held: dict = {}

    def _open(path: str, viewport: str = "desktop") -> Opened:
        key = (path, viewport)
        if key not in held:
            while held:
                held.popitem()[1].context.close()
            held[key] = open_page(browser, site_url, path, viewport=viewport, wait="maths")
        return held[key]

    yield _open
    while held:
        held.popitem()[1].context.close()


def _shared_page_path(item) -> str | None:
    """The page a ``shared_page`` check reads, as ``path @ viewport``: its ``path``
    parameter, or the page of its ``lang`` and ``name`` parameters (its module's
    ``site_path``), in its ``viewport`` parameter (desktop when it has none)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    viewport = params.get("viewport", "desktop")
    if "path" in params:
        return f"{params['path']} @ {viewport}"
    if "lang" in params and "name" in params and hasattr(item.module, "site_path"):
        return f"{item.module.site_path(params['lang'], params['name'])} @ {viewport}"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Group the ``shared_page`` checks by page, in place of the first of them, and send
    each page's group to one worker (pytest-xdist's ``xdist_group``, honoured with
    ``--dist loadgroup``); every other check keeps its place."""
    shared = [(i, it) for i, it in enumerate(items) if "shared_page" in getattr(it, "fixturenames", ())
              and _shared_page_path(it) is not None]
    if not shared:
        return
    for _, it in shared:
        it.add_marker(pytest.mark.xdist_group(_shared_page_path(it)))
    first = shared[0][0]
    grouped = [it for _, it in sorted(shared, key=lambda pair: (_shared_page_path(pair[1]), pair[0]))]
    ids = {id(it) for _, it in shared}
    rest = [it for it in items if id(it) not in ids]
    items[:] = rest[:first] + grouped + rest[first:]

