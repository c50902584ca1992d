"""Every number a chapter's prose states comes from its own output (issue 17, section 5).

A number in a markdown cell of an English chapter is accepted only when it is

1. glued: ``{glue:text}`key``` (``sparselib.notebook.glue`` in a code cell computed it, and
   nbval pins that output), or
2. quoted from a paper: the sentence carries a ``{cite}`` role, or
3. part of the text's own apparatus: a year, a reference label ("Figure 2", "chapter 4",
   a self-test question "Q2"),
   inline code, a URL, a link target, or a whole number inside maths, or
4. a constant of the text, declared with its reason in the notebook metadata
   ``sparselib.prose_constants`` (``{"400 units": "the recipe's model size"}``).

A decimal or a percentage inside maths is flagged (glue cannot reach inside maths), and
so are spelled-out ratios such as "twelve times" or "twice as". A declared constant that
no longer occurs in the prose is flagged too, so the list cannot go stale.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters" / "en").glob("*.ipynb"))

GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
CITE = re.compile(r"\{cite(?::\w+)?\}`[^`]*`")
CODE = re.compile(r"`[^`\n]*`")
URL = re.compile(r"https?://\S+|\]\([^)]*\)")
HTML = re.compile(r"<[^>\n]+>")
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
INLINE_MATH = re.compile(r"(?<!\\)\$(?!\$)(.+?)(?<!\\)\$", re.S)
DIRECTIVE_LINE = re.compile(r"^\s*(?::{3,}|`{3,}|:[\w-]+:).*$", re.M)
LABEL = re.compile(
    r"\b(?:Figures?|Explorers?|Exercises?|Tables?|[Cc]hapters?|[Ss]ections?|Problems?|"
    r"Equations?|[Pp]arts?|[Ss]teps?)\s+\d+(?:\s*(?:–|-|,|and|or)\s*\d+)*|\bQ\d+\b")
YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s*%)?")
WORDS = ("two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
         "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred")
SPELLED = re.compile(rf"\b(?:(?:{WORDS})[- ](?:times|fold)|(?:{WORDS})fold|twice as|"
                     rf"thrice|half as)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*(_$])|\n\s*\n")
MATH_MEASURED = re.compile(r"\d+\.\d+|\d\s*\\?%")


def constants(nb) -> dict[str, str]:
    return nb.metadata.get("sparselib", {}).get("prose_constants", {})


def problems_in(text: str, declared: dict[str, str]) -> list[str]:
    """The undeclared numbers of one markdown cell, as short quotes."""
    found: list[str] = []
    text = DIRECTIVE_LINE.sub(" ", text)
    text = GLUE.sub(" ", text)
    text = URL.sub(" ", text)
    text = HTML.sub(" ", text)
    for math in DISPLAY_MATH.findall(text) + INLINE_MATH.findall(text):
        found += [f"in maths: {m!r} in {math.strip()[:60]!r}" for m in MATH_MEASURED.findall(math)
                  if not any(m in key for key in declared)]
    text = DISPLAY_MATH.sub(" ", text)
    text = INLINE_MATH.sub(" ", text)
    for sentence in SENTENCE_END.split(text):
        if CITE.search(sentence):
            continue  # a number quoted from a paper, with its citation
        s = CODE.sub(" ", sentence)
        for key in sorted(declared, key=len, reverse=True):
            s = s.replace(key, " ")
        s = LABEL.sub(" ", s)
        s = YEAR.sub(" ", s)
        context = " ".join(sentence.split())
        found += [f"{m.group().strip()!r} in {context[:110]!r}" for m in NUMBER.finditer(s)]
        found += [f"{m.group()!r} in {context[:110]!r}" for m in SPELLED.finditer(s)]
    return found


def markdown_of(nb) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_an_output(path):
    nb = nbformat.read(path, as_version=4)
    declared = constants(nb)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found += [f"cell {index}: {p}" for p in problems_in(cell.source, declared)]
    assert not found, (f"{path.name}: numbers that are neither glued, cited nor declared "
                       f"constants ({len(found)}):\n  " + "\n  ".join(found))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_declared_constants_are_used_and_explained(path):
    nb = nbformat.read(path, as_version=4)
    prose = markdown_of(nb)
    for key, why in constants(nb).items():
        assert isinstance(why, str) and why.strip(), f"{path.name}: constant {key!r} has no reason"
        assert key in prose, f"{path.name}: declared constant {key!r} no longer occurs in the prose"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_glued_keys_exist(path):
    """Every {glue:text}`key` in the prose is glued by a code cell of the same notebook."""
    nb = nbformat.read(path, as_version=4)
    used = {re.match(r"\{glue(?::\w+)?\}`([^`:]*)", m).group(1)
            for m in GLUE.findall(markdown_of(nb))}
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    glued = set(re.findall(r"""\bglue\(\s*f?["']([^"']+)["']""", code))
    assert used <= glued, f"{path.name}: glue keys used but never glued: {sorted(used - glued)}"


@pytest.mark.parametrize("text, n_problems", [
    ("Accuracy is {glue:text}`acc`.", 0),
    ("Accuracy is 98.2 %.", 1),
    ("The paper reports 1.08 % error {cite}`rolfe2013drsae`.", 0),
    ("See Figure 3 and chapter 2, from 2013.", 0),
    ("With $T = 11$ iterations and `n_iter=11`.", 0),
    ("A gap of $0.025$ remains.", 1),
    ("It is twelve times worse, and twice as sparse.", 2),
    ("The model has 400 units.", 1),
])
def test_the_rule_itself(text, n_problems):
    assert len(problems_in(text, {})) == n_problems, problems_in(text, {})


def test_a_declared_constant_is_accepted():
    assert problems_in("The model has 400 units.", {"400 units": "model size"}) == []
