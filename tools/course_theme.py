"""Sphinx extension for the book's theme (sphinx-book-theme 1.3 over pydata-sphinx-theme 0.17).

- The navigation buttons. pydata-sphinx-theme 0.17 gives ``navbar_persistent`` a default
  (the search field) when a site does not set it, so its own top bar is drawn above the
  book theme's article header: a mostly empty bar with a second search field and its own
  ☰ and contents buttons. Both themes' scripts bind only the *first* ``.primary-toggle``
  and ``.secondary-toggle`` of the page (``document.querySelector``), which are that bar's
  hidden buttons, so the buttons a reader sees do nothing. Setting ``navbar_persistent``
  to nothing (what sphinx-book-theme's own theme.conf means) removes that bar: the
  article header's buttons are the first ones and work, and the sidebar's search field is
  the one search entry point.
- Icons. pydata-sphinx-theme loads Font Awesome's 1.5 MB script on every page to draw
  about fifteen icons. The script tag is taken out of the written pages, and
  ``course_icons.css`` (written by tools/make_icons.py) draws those icons as small
  inline SVG masks in the text colour; any other ``fa-*`` icon still renders from the
  theme's own CSS and web font.
- Colour mode follows the reader (``default_mode: auto`` in _config.yml); the theme's own
  dark CSS puts images and HTML outputs on a light backing (tests/browser/test_colour_mode.py).

The stylesheets live in tools/static, which course_pages adds to ``html_static_path``.
"""
from __future__ import annotations

import re
from pathlib import Path

# The theme's <script> tag for Font Awesome (static/webpack-macros.html), with its digest.
FONTAWESOME = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js(?:\?[^"]*)?"></script>\n?')


def _theme_options(app, config) -> None:
    options = config.html_theme_options
    options.setdefault("navbar_persistent", [])
    if config.language and config.language != "en":
        from student_links import word  # the few words the pages add, per language

        options["search_bar_text"] = word("search_bar", config.language)


def drop_fontawesome(html: str) -> str:
    return FONTAWESOME.sub("", html)


def _on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        new = drop_fontawesome(text)
        if new != text:
            path.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _theme_options)
    app.connect("build-finished", _on_build_finished)
    app.add_css_file("course_icons.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
