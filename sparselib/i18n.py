"""Every word the explorers show, in the course's six languages, from one table.

Figures carry maths and numbers only; titles, slider labels and alt texts come from here.
``t(key, lang)`` returns the text; templates (keys ending in ``.alt``) are filled by the
caller with ``str.format``. A test fails when a key is missing in any language.

Persian is written right to left: :func:`direction` gives ``"rtl"`` for it, and the
explorers put that on their container while keeping plots and numbers left to right.
"""
from __future__ import annotations

import os
import sys
from typing import Optional

from .texts import merged_texts

__all__ = ["LANGUAGES", "RTL", "TEXTS", "t", "direction", "check_lang", "notebook_language"]

LANGUAGES = ("en", "es", "it", "fr", "fa", "ko")
RTL = frozenset({"fa"})

# key -> {lang: text}, one module of sparselib.texts per explorer. Terminology follows the
# chapters: "lateral inhibition" (never "natural inhibition"), "part units" / "categorical
# units" as in the DrSAE lecture.
TEXTS: dict[str, dict[str, str]] = merged_texts()


def check_lang(lang, func: str = "t") -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`, else raise a ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"The 'lang' parameter of {func} must be one of {', '.join(LANGUAGES)}. "
                         f"Got {lang!r} instead.")
    return lang


def notebook_language(lang: Optional[str] = None, func: str = "sparselib") -> str:
    """The language to speak in: ``lang``, else the notebook's ``LANG`` variable (the setup
    cell of every chapter sets it), else ``$SPARSELIB_LANG``, else ``"en"``."""
    if lang is None:
        lang = getattr(sys.modules.get("__main__"), "LANG", None)
    if lang is None:
        lang = os.environ.get("SPARSELIB_LANG", "en")
    return check_lang(lang, func)


def t(key: str, lang: str = "en") -> str:
    """The text of ``key`` in ``lang``.

    Examples
    --------
    >>> t("drsae.t", "fr")
    'itération k'
    """
    check_lang(lang, "t")
    if key not in TEXTS:
        raise KeyError(f"The 'key' parameter of t must be a key of sparselib.i18n.TEXTS. "
                       f"Got {key!r} instead.")
    return TEXTS[key][lang]


def direction(lang: str) -> str:
    """``"rtl"`` for right-to-left languages (Persian), else ``"ltr"``."""
    return "rtl" if check_lang(lang, "direction") in RTL else "ltr"
