"""Sphinx extension: a page loads only what it uses (issue 19, item 6).

The notebooks keep their self-contained outputs (an explorer's ``text/html`` holds every
frame as a ``data:`` URI, so it works in Jupyter and Colab without the site); the book
rewrites each page as it is written:

- every ``data:image/...;base64`` image of the page body (the explorers' frames, in their
  JSON blob and in their first ``<img>``) becomes a file of the built site,
  ``_images/inline/<sha256 of the bytes>.<ext>``: identical frames are stored once and
  cached by the browser once, and a frame is fetched only when a slider reaches it (the
  explorers' script only sets ``img.src``, so a URL works as well as a data URI);
- an explorer's words (title, labels, alt texts) are kept for the languages the page can
  show (its own and the explorer's), not for all six;
- every ``<img>`` of the body is loaded lazily (``loading="lazy"``, ``decoding="async"``):
  figures below the fold cost nothing until the reader scrolls to them;
- the widget manager (require.js, the manager's AMD bundle, ``course_widgets.js``) and the
  embedded widget state are dropped from pages that render no widget view: the book shows
  the explorers' static rendering (``nb_mime_priority_overrides``), so a page needs them
  only if its body holds a ``application/vnd.jupyter.widget-view+json`` output;
- MathJax (configured in _config.yml, not here) is loaded as its components (``startup.js``:
  TeX input, CHTML output, assistive MathML) instead of the combined ``tex-chtml.js``,
  leaving out the contextual menu (426 KB).
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
INLINE_DIR = "_images/inline"
DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml);base64,([A-Za-z0-9+/]+=*)")
EXTENSIONS = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp", "svg+xml": "svg"}
EXPLORER_DATA = re.compile(
    r'(<script type="application/json" id="(sparselib-explorer-[\w-]+)-data">)(.*?)(</script>)', re.S)
IMG = re.compile(r"<img\b(?![^>]*\bloading=)")


def needs_widget_manager(body: str) -> bool:
    """Whether a page renders a live widget view (myst-nb writes one as a script of the
    widget-view MIME type); only then does it need the manager and the widget state."""
    return WIDGET_VIEW in body


def is_widget_script(script, widget_js: set[str]) -> bool:
    """The widget manager's scripts (``nb_ipywidgets_js``) and the embedded widget state."""
    filename = str(getattr(script, "filename", script) or "")
    # Sphinx names a registered script by its path in the site: "_static/require.js".
    filename = filename.removeprefix("_static/")
    attributes = getattr(script, "attributes", {}) or {}
    return filename in widget_js or attributes.get("type") == WIDGET_STATE


def externalize_images(body: str, write, url) -> str:
    """Replace every base64 image of ``body`` by the URL of a file holding its bytes.

    ``write(name, data)`` stores a file named by its content hash; ``url(name)`` is the
    name as the page links it."""
    def file_for(match: re.Match) -> str:
        data = base64.b64decode(match.group(2))
        name = f"{hashlib.sha256(data).hexdigest()[:20]}.{EXTENSIONS[match.group(1)]}"
        write(name, data)
        return url(name)
    return DATA_URI.sub(file_for, body)


def prune_explorer_words(body: str, keep: set[str]) -> str:
    """Keep an explorer's words only for the page's language and the explorer's own
    (its ``lang`` attribute); a blob of another shape is left as it is."""
    def prune(match: re.Match) -> str:
        head, uid, blob, tail = match.groups()
        try:
            data = json.loads(blob)
        except ValueError:
            return match.group(0)
        words = data.get("words") if isinstance(data, dict) else None
        own = re.search(rf'id="{re.escape(uid)}"[^>]*\blang="([^"]+)"', body)
        if not isinstance(words, dict) or own is None:
            return match.group(0)
        wanted = keep | {own.group(1)}
        data["words"] = {lang: w for lang, w in words.items() if lang in wanted}
        return head + json.dumps(data, ensure_ascii=False).replace("</", "<\\/") + tail
    return EXPLORER_DATA.sub(prune, body)


def lazy_images(body: str) -> str:
    return IMG.sub('<img loading="lazy" decoding="async"', body)


def _on_page_context(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or "body" not in context:
        return
    body = context["body"]
    if not needs_widget_manager(body) and "script_files" in context:
        widget_js = set(app.config.nb_ipywidgets_js or {})
        context["script_files"][:] = [s for s in context["script_files"]
                                      if not is_widget_script(s, widget_js)]
    outdir = Path(app.outdir) / INLINE_DIR

    def write(name: str, data: bytes) -> None:
        path = outdir / name
        if not path.exists():
            outdir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    body = externalize_images(body, write, lambda name: context["pathto"](f"{INLINE_DIR}/{name}", 1))
    body = prune_explorer_words(body, {app.config.language or "en"})
    context["body"] = lazy_images(body)


def setup(app):
    # After myst-nb's handler, which adds the widget scripts of the page.
    app.connect("html-page-context", _on_page_context, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
