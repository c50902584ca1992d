"""Sphinx extension: search for the book's languages that Sphinx 7.4 has no search for.

Sphinx ships no Persian and no Korean search language and falls back to English: words are
split at non-word characters and stemmed with the English Porter rules. That misses words
of both languages with something attached. Korean attaches particles to the noun
(희소성은, 희소성을, 희소성의 are all "희소성"); Persian attaches suffixes and the ezafe
(تنکی، واحدهایی). A reader who types the noun finds nothing.

``SearchPrefixes`` indexes every word of a non-Latin script under each of its prefixes of
two letters or more as well as whole, so a query for the noun finds the noun with any
particle or suffix after it, and a query with the particle still finds the word itself.
Latin-script words (ISTA, PyTorch) are indexed whole. The search page's query side needs
nothing new: Sphinx's ``splitQuery`` splits a query at the same places (the ZWNJ of
Persian is not a letter in either), and the identity stemmer keeps a query word as typed
(lowercased, as the index is).
"""
from __future__ import annotations

import re

from sphinx.search import SearchLanguage, languages

MIN_PREFIX = 2
LATIN_END = 0x24F  # Basic Latin to Latin Extended-B: indexed whole


def prefixes(word: str) -> list[str]:
    """The word and, for a non-Latin word, its prefixes of ``MIN_PREFIX`` letters or more."""
    if len(word) <= MIN_PREFIX or all(ord(ch) <= LATIN_END for ch in word):
        return [word]
    return [word[:n] for n in range(MIN_PREFIX, len(word) + 1)]


class SearchPrefixes(SearchLanguage):
    """Words split as Sphinx splits them (``\\w+``), each non-Latin word with its prefixes."""

    _word_re = re.compile(r"\w+")

    def split(self, input: str) -> list[str]:
        return [p for word in self._word_re.findall(input) for p in prefixes(word)]

    def stem(self, word: str) -> str:
        return word.lower()


class SearchPersian(SearchPrefixes):
    lang = "fa"
    language_name = "Persian"


class SearchKorean(SearchPrefixes):
    lang = "ko"
    language_name = "Korean"


SEARCH_LANGUAGES = {"fa": SearchPersian, "ko": SearchKorean}


def setup(app):
    for code, cls in SEARCH_LANGUAGES.items():
        languages.setdefault(code, cls)  # a later Sphinx with its own search keeps its own
    return {"parallel_read_safe": True, "parallel_write_safe": True}
