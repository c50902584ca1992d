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
"""
from __future__ import annotations


def _theme_options(app, config) -> None:
    options = config.html_theme_options
    options.setdefault("navbar_persistent", [])


def setup(app):
    app.connect("config-inited", _theme_options)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
