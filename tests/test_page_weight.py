"""tools/page_weight.py's rules, on small pages made here: which pages keep the widget
manager, which scripts are the manager's, frames moved to files, explorer words pruned,
images lazy. (The browser check tests/browser/test_weight.py measures the built pages.)"""
from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import page_weight  # noqa: E402

WIDGET_JS = {"require.js", "course_widgets.js", "widgets/embed-amd.js"}


@pytest.mark.parametrize("body,needed", [
    ('<div class="output"><img src="frame.png"></div>', False),
    ('<script type="application/vnd.jupyter.widget-view+json">{"model_id": "a"}</script>', True),
    # The MIME type named in prose, not as an output, still keeps the manager (safe side).
    ("<p>application/vnd.jupyter.widget-view+json</p>", True),
])
def test_widget_manager_only_where_a_widget_view_is_rendered(body, needed):
    assert page_weight.needs_widget_manager(body) is needed


@pytest.mark.parametrize("script,is_widget", [
    (SimpleNamespace(filename="_static/require.js", attributes={}), True),
    (SimpleNamespace(filename="require.js", attributes={}), True),
    (SimpleNamespace(filename="_static/widgets/embed-amd.js", attributes={}), True),
    (SimpleNamespace(filename="", attributes={"type": page_weight.WIDGET_STATE}), True),
    (SimpleNamespace(filename="_static/course_pages.js", attributes={}), False),
    (SimpleNamespace(filename="mathjax/startup.js", attributes={}), False),
    (SimpleNamespace(filename=None, attributes=None), False),
    ("_static/require.js", True),             # a plain file name, as older Sphinx gives it
])
def test_widget_scripts_are_recognised(script, is_widget):
    assert page_weight.is_widget_script(script, WIDGET_JS) is is_widget


def test_base64_images_become_files_named_by_their_bytes():
    png = b"\x89PNG\r\n\x1a\nsome bytes"
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    body = f'<img src="{uri}"><img src="{uri}"><script>{{"frames": ["{uri}"]}}</script>'
    written = {}
    out = page_weight.externalize_images(body, written.__setitem__, lambda name: f"../{name}")
    name = hashlib.sha256(png).hexdigest()[:20] + ".png"
    assert written == {name: png}                       # stored once, byte for byte
    assert "base64" not in out and out.count(f"../{name}") == 3


def test_explorer_words_kept_for_the_page_and_the_explorer_languages_only():
    words = {lang: {"title": lang} for lang in ("en", "es", "it", "fr", "fa", "ko")}
    blob = json.dumps({"frames": [], "words": words})
    body = (f'<div id="sparselib-explorer-x1" lang="en"></div>'
            f'<script type="application/json" id="sparselib-explorer-x1-data">{blob}</script>')
    out = page_weight.prune_explorer_words(body, {"fa"})
    data = json.loads(out.split('-data">', 1)[1].split("</script>", 1)[0])
    assert set(data["words"]) == {"en", "fa"} and data["words"]["fa"] == {"title": "fa"}
    assert data["frames"] == []


def test_a_blob_of_another_shape_is_left_alone():
    body = ('<div id="sparselib-explorer-x2" lang="en"></div>'
            '<script type="application/json" id="sparselib-explorer-x2-data">[1, 2]</script>')
    assert page_weight.prune_explorer_words(body, {"en"}) == body


def test_images_lazy_once():
    body = '<img src="a.png"><img loading="eager" src="b.png">'
    out = page_weight.lazy_images(body)
    assert out == '<img loading="lazy" decoding="async" src="a.png"><img loading="eager" src="b.png">'
    assert page_weight.lazy_images(out) == out
