"""Outputs in the reader's language: the output catalogs (``book/outputs/<lang>.yml``).

A translated page takes its outputs from the executed English notebook (code cells are
identical, so nothing runs twice; DESIGN.md section 5). Outputs without words (numbers,
tensors, figures) are kept as they are. Every printed line that carries words is rendered
in the page's language at build time, from one of two sources:

- the self-check messages of ``sparselib.exercises`` (``MESSAGES``, already in the six
  languages): a line such as ``Checking f against sparselib's reference on 4 cases:`` is
  matched against the English template and filled into the page language's template;
- the language's **output catalog**, ``book/outputs/<lang>.yml``: English line → translated
  line, where every number of the line is written ``#``. The numbers of the executed line
  are put back in order (``#2`` takes the second number, for a language that reorders).
  Re-executing a chapter changes numbers, not catalog entries; a changed sentence is a new
  entry, and the build names every line that has none.

``python tools/book.py output-catalog`` adds the English lines that have no entry yet to
every translated language's catalog (with an empty translation); a strict build fails while
any line that carries words has no translation in a built language.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "book" / "outputs"

# A number as the chapters print it: 1,372  0.096  -1.4e-01  98.2 (of 98.2%)  8 (of 8x8).
NUMBER = re.compile(r"(?:(?<![^\W\d_])|(?<=[x×]))(?<![\d.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?"
                    r"(?![\d])")
SLOT = re.compile(r"#(\d+)?")
# A token that is code, not prose: identifiers, calls, paths, options, assignments.
CODE_TOKEN = re.compile(r"[_/=()\[\]{}`<>\\|]|^--?\w|\w\.\w")
WORD = re.compile(r"[^\W\d_]{2,}")
# A right-to-left page's printed line that holds right-to-left words starts with the
# right-to-left mark: output boxes stay left to right (code, tables, numbers), and their CSS
# (unicode-bidi: plaintext) sets each line's direction from its first strong letter, so a
# Persian line reads right to left with its numbers whole ("6.4e-02", not "6.4 … e-02").
RLM = "\u200f"
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def carries_words(line: str) -> bool:
    """True when a printed line has prose: at least two words outside code-like tokens."""
    words = [w for token in line.split() if not CODE_TOKEN.search(token) for w in WORD.findall(token)]
    return len(words) >= 2


def template(line: str) -> tuple[str, list[str]]:
    """A line's catalog key (each number written ``#``) and its numbers, in order."""
    numbers = NUMBER.findall(line)
    return NUMBER.sub("#", line), numbers


def fill(translated: str, numbers: list[str], where: str = "") -> str:
    """Put the numbers back into a translated template: ``#`` in order, ``#k`` the k-th."""
    count = iter(range(len(numbers)))

    def number(match):
        index = int(match.group(1)) - 1 if match.group(1) else next(count, len(numbers))
        if not 0 <= index < len(numbers):
            raise ValueError(f"the translation {translated!r}{where} has more # slots than the "
                             f"English line has numbers ({len(numbers)})")
        return numbers[index]

    return SLOT.sub(number, translated)


def direction(lang: str) -> str:
    """``lang``'s writing direction in ``book/manifest.yml`` ("ltr" unless it says "rtl")."""
    manifest = yaml.safe_load((ROOT / "book" / "manifest.yml").read_text(encoding="utf-8"))
    return next((entry.get("dir", "ltr") for entry in manifest["languages"] if entry["code"] == lang), "ltr")


def load_catalog(lang: str) -> dict:
    """``book/outputs/<lang>.yml`` as a dict (empty when the language has none yet)."""
    path = CATALOGS / f"{lang}.yml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def _message_patterns(lang: str) -> tuple[list[tuple[re.Pattern, str]], re.Pattern, str]:
    """The exercises' messages as (English regex, template in ``lang``) pairs, the regex of
    one case line of a check, and ``lang``'s word for "passed"."""
    from sparselib.exercises import MESSAGES, PASS, FAIL

    patterns = []
    for texts in MESSAGES.values():
        english = texts["en"]
        parts = re.split(r"\{(\w+)\}", english)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        patterns.append((re.compile(regex + r"$"), texts[lang]))
    passed = MESSAGES["passed"]
    # One case line of a check: "  ✓ <label>: passed".
    case = re.compile(rf"^(?P<indent>\s*)(?P<mark>[{PASS}{FAIL}]) (?P<label>.+): {re.escape(passed['en'])}$")
    return patterns, case, passed[lang]


class Catalog:
    """The English → ``lang`` rendering of printed lines; collects the lines it lacks."""

    def __init__(self, lang: str, entries: dict | None = None) -> None:
        self.lang = lang
        self.rtl = direction(lang) == "rtl"
        self.entries = dict(load_catalog(lang) if entries is None else entries)
        self.patterns, self.case, self.passed = _message_patterns(lang)
        self.missing: dict[str, str] = {}  # key -> where it was seen

    def line(self, line: str, where: str = "") -> str:
        """``line`` in the catalog's language (unchanged when it carries no words); on a
        right-to-left page, a line with right-to-left words starts with ``RLM``."""
        rendered = self._line(line, where)
        return RLM + rendered if self.rtl and RTL_LETTER.search(rendered) else rendered

    def _line(self, line: str, where: str) -> str:
        match = self.case.match(line)
        if match:
            return f"{match['indent']}{match['mark']} {self._line(match['label'], where)}: {self.passed}"
        if not line.strip() or not carries_words(line):
            return line
        for regex, translated in self.patterns:
            match = regex.match(line)
            if match:
                return translated.format(**match.groupdict())
        key, numbers = template(line)
        translated = self.entries.get(key)
        if not translated:
            self.missing.setdefault(key, where)
            return line
        return fill(translated, numbers, f" (catalog {self.lang}, key {key!r})")

    def text(self, text: str, where: str = "") -> str:
        return "".join(self.line(part[:-1] if part.endswith("\n") else part, where)
                       + ("\n" if part.endswith("\n") else "")
                       for part in text.splitlines(keepends=True))

    def notebook(self, nb, where: str = "") -> None:
        """Render, in place, every printed line of ``nb``'s outputs in the catalog's language."""
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stdout":
                    output["text"] = self.text(output["text"], where)
                elif output.get("output_type") == "execute_result":
                    data = output.get("data", {})
                    if set(data) == {"text/plain"}:
                        data["text/plain"] = self.text(data["text/plain"], where)


def english_lines(notebooks: list) -> dict[str, str]:
    """Catalog key -> chapter, for every line the executed English notebooks print that
    carries words and is not a self-check message."""
    probe = Catalog("en", {})
    for nb in notebooks:
        probe.notebook(nb)
    return probe.missing


def update_catalogs(notebooks: list, languages: list[str]) -> None:
    """Add every English line without an entry to each language's catalog (empty value)."""
    lines = english_lines(notebooks)
    CATALOGS.mkdir(parents=True, exist_ok=True)
    for lang in languages:
        path = CATALOGS / f"{lang}.yml"
        entries = load_catalog(lang)
        new = [k for k in lines if k not in entries]
        entries.update({k: "" for k in new})
        unused = [k for k in entries if k not in lines]
        path.write_text(HEADER.format(lang=lang) + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True,
                                                                   width=1000), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(new)} new line(s) to translate, "
              f"{sum(1 for v in entries.values() if not v)} without a translation, "
              f"{len(unused)} no longer printed by the English chapters")


HEADER = """\
# Printed lines of the chapters in language '{lang}' (tools/book_outputs.py).
# Key: an English line as the executed chapter prints it, each number written #.
# Value: the same line in '{lang}'; # takes the next number, #2 the second one.
# `python tools/book.py output-catalog` adds new English lines with an empty value.
"""
