"""Check a language's pages against its glossary (book/glossary/<lang>.yml).

    python tools/glossary.py es [fa ...]     # one line per problem; exit 1 if any

For every glossary term: on each page whose English prose uses the English term, the
translation uses the chosen form (``use``); no page of the language uses a rejected form
(``reject``: drifted renderings such as "natural inhibition", and synonyms decided against).
Only prose is compared: code cells, inline code, maths, role targets and URLs are left out.
Text is compared after Unicode NFC normalisation, case folding, with the Persian zero-width
non-joiner removed and Arabic ي/ك written as Persian ی/ک. A word of a term matches its
plural and gender forms (a few letters after its stem); terms of languages written without
inflected endings (Korean particles: 희소성은, 희소성을) match as the start of a word.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
GLOSSARIES = ROOT / "book" / "glossary"
sys.path.insert(0, str(Path(__file__).resolve().parent))
import book_manifest  # noqa: E402
from translations import FRONT_MATTER  # noqa: E402

ZWNJ = "\u200c"
ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"})
NOT_PROSE = [
    re.compile(r"```.*?```", re.S),                   # code blocks (directive fences keep their text)
    re.compile(r"\$\$.*?\$\$", re.S),                 # display maths
    re.compile(r"(?<!\\)\$[^$]+\$"),                  # inline maths
    re.compile(r"\{[a-z:-]+\}`[^`]*`"),               # roles with their targets
    re.compile(r"`[^`]*`"),                           # inline code
    re.compile(r"\]\([^)]*\)"),                       # link targets
    re.compile(r"^\s*:[a-z-]+:.*$", re.M),            # directive options
    re.compile(r"^\(.*\)=\s*$", re.M),                # labels
]
FENCE_OPEN = re.compile(r"^(`{3,}|:{3,})\{[a-z:-]+\}.*$", re.M)


def normalise(text: str) -> str:
    """NFC, case-folded, without ZWNJ, with Persian ی/ک for Arabic ي/ك."""
    text = unicodedata.normalize("NFC", text).replace(ZWNJ, "").translate(ARABIC_TO_PERSIAN)
    return unicodedata.normalize("NFC", text.casefold())


def prose(text: str, normalised: bool = True) -> str:
    """The prose of a Markdown text: what a reader reads as sentences (``normalised``: as
    the glossary compares it; otherwise NFC only, letters as written)."""
    text = FENCE_OPEN.sub(" ", text)  # a directive's body is prose; its fence line is not
    text = re.sub(r"^(`{3,}|:{3,})\s*$", " ", text, flags=re.M)
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return normalise(text) if normalised else unicodedata.normalize("NFC", text)


def page_prose(path: Path, normalised: bool = True) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n".join(prose(c.source, normalised) for c in nb.cells if c.cell_type == "markdown")
    return prose(FRONT_MATTER.sub("", path.read_text(encoding="utf-8")), normalised)


# The Persian pages' writing conventions (the header of fa.yml) that a machine can check:
# what is found, and what to write instead.
PERSIAN_WRITING = [
    (re.compile("[يكى]"), "Arabic ي/ك/ى: write Persian ی/ک"),
    (re.compile("ۀ"), "ۀ (U+06C0): write the ezafe after silent he as ـهٔ"),
    (re.compile("[۰-۹٠-٩]"), "a Persian or Arabic-Indic digit: the pages write 0-9, as the code prints"),
    (re.compile("[\u064e-\u0652]"), "a short-vowel mark (only tanwin, نُرم and بُعد keep one)"),
]
VOWELLED_WORDS = ("نُرم", "بُعد")


def persian_writing(text: str) -> list[str]:
    """The places where a Persian text departs from the checkable writing conventions."""
    for word in VOWELLED_WORDS:
        text = text.replace(word, " ")
    found = []
    for pattern, what in PERSIAN_WRITING:
        for hit in pattern.finditer(text):
            found.append(f"{what}: …{text[max(0, hit.start() - 12):hit.end() + 8].strip()}…")
    return found


def writing_problems(lang: str) -> list[str]:
    """Every place where ``lang``'s pages depart from its writing conventions (Persian only)."""
    if lang != "fa":
        return []
    manifest = book_manifest.load_manifest()
    found = []
    for name in book_manifest.page_names(manifest):
        page = book_manifest.page_file(lang, name)
        if page is not None:
            found += [f"{page.relative_to(ROOT).as_posix()}: {p}"
                      for p in persian_writing(page_prose(page, normalised=False))]
    return found


VOWEL_END = re.compile(r"[aeiouáéíóúàèìòù]$")


def _word(word: str, lang: str) -> str:
    word = re.escape(word)
    if lang in ("ko", "fa"):
        return word  # particles and suffixes follow the noun: match the start of the word
    stem = VOWEL_END.sub("", word) if len(word) > 4 else word
    return stem + r"\w{0,3}"


@lru_cache(maxsize=None)
def term_pattern(term: str, lang: str) -> re.Pattern:
    words = normalise(term).split()
    body = r"[\s\-‑]+".join(_word(w, lang) for w in words)
    return re.compile(rf"(?<![\w-]){body}" + (r"" if lang in ("ko", "fa") else r"(?!\w)"))


def english_term(term: str) -> str:
    """The English term without its explanation in parentheses."""
    return re.sub(r"\s*\(.*?\)\s*", " ", term).strip()


def load(lang: str) -> list[dict]:
    return yaml.safe_load((GLOSSARIES / f"{lang}.yml").read_text(encoding="utf-8"))["terms"]


def problems(lang: str) -> list[str]:
    """Every place where ``lang``'s pages depart from its glossary."""
    manifest = book_manifest.load_manifest()
    found = []
    terms = load(lang)
    for name in book_manifest.page_names(manifest):
        page = book_manifest.page_file(lang, name)
        english = book_manifest.page_file(manifest["source_language"], name)
        if page is None or english is None:
            continue
        ours, theirs = page_prose(page), page_prose(english)
        where = page.relative_to(ROOT).as_posix()
        for entry in terms:
            if term_pattern(english_term(entry["en"]), "en").search(theirs) and \
                    not term_pattern(entry["use"], lang).search(ours):
                found.append(f"{where}: the English page says {entry['en']!r}; "
                             f"the translation never says {entry['use']!r}")
            for rejected in entry.get("reject") or []:
                hit = term_pattern(rejected, lang).search(ours)
                if hit:
                    found.append(f"{where}: rejected form {hit.group(0)!r} (for {entry['en']!r}, "
                                 f"use {entry['use']!r})")
    return found


def main(argv: list[str]) -> int:
    everything = [p for lang in argv for p in problems(lang) + writing_problems(lang)]
    print("\n".join(everything) if everything else f"{', '.join(argv)}: every page follows its glossary")
    return 1 if everything else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
