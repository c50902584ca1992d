"""Every English chapter has the same anatomy, so a student knows where to look.

In order: the title cell; **What you need** (links to what the chapter builds on) with its
**Time** (an estimate of the study time and the build's measured execution time); the
sections, where every explorer is preceded by a *Predict, then check* question and followed
by a caption ending in its collapsed answer, and every exercise starts with its level and
estimated time; then ``Problems`` (4–6, each with a collapsed hint), ``Summary``,
``Self-test`` (3–5 questions, each with a collapsed answer) and ``References`` last.

Collapsed blocks are HTML ``<details>`` (they collapse in the book, in Jupyter and in
Colab), written with the blank lines that let Markdown render inside them.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import course_pages  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters" / "en").glob("0*.ipynb"))
EXPLORER = re.compile(r"\b\w+Explorer\(")
DETAILS = re.compile(r'<details class="(\w[\w-]*)">\n<summary>([^<\n]+)</summary>\n\n(.*?)\n\n</details>', re.S)
KINDS = {"answer": "Answer", "hint": "Hint", "how-we-know": "How we know"}
CLOSING = ["Problems", "Summary", "Self-test", "References"]


def load(path: Path):
    return nbformat.read(path, as_version=4)


def markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def section(nb, title: str) -> str:
    """The markdown of one ``## title`` section, up to the next ``## `` heading."""
    text = "\n\n".join(markdown(nb))
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no '## {title}' section"
    return match.group(1)


def numbered_with_details(text: str, pattern: str, kind: str) -> list[int]:
    """The numbers of the items ``**<pattern> N.**`` of a section, each checked to be
    followed by a ``<details class="kind">`` block before the next item."""
    items = list(re.finditer(rf"^\*\*{pattern} (\d+)\.\*\*", text, re.M))
    for item, after in zip(items, items[1:] + [None]):
        body = text[item.end():after.start() if after else len(text)]
        blocks = [m.group(1) for m in DETAILS.finditer(body)]
        assert blocks == [kind], f"{pattern} {item.group(1)}: expected one '{kind}' block, found {blocks}"
    return [int(m.group(1)) for m in items]


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.stem)
def chapter(request):
    return load(request.param)


def test_there_are_six_chapters():
    assert len(CHAPTERS) == 6


def test_what_you_need_and_time_open_the_chapter(chapter):
    title, need = chapter.cells[0], chapter.cells[1]
    assert title.cell_type == "markdown" and title.source.startswith("# ")
    assert need.cell_type == "markdown" and need.get("id") == "cell-need"
    assert need.source.startswith("**What you need.**")
    assert re.search(r"\]\([^)]+\)|\{(?:ref|doc)\}`", need.source), "no link to a prerequisite"
    time = re.search(r"^\*\*Time\.\*\* (.+)$", need.source, re.M | re.S)
    assert time, "no **Time.** paragraph"
    assert "{chapter-runtime}`this`" in time.group(1)
    study = re.search(r"About (\d+ hours?|\d+ minutes)", time.group(1))
    assert study, "no estimated study time"
    declared = chapter.metadata["sparselib"]["prose_constants"]
    assert any(study.group(0) in key for key in declared), f"{study.group(0)!r} not declared"


def test_chapter_closes_with_problems_summary_self_test_references(chapter):
    headings = [line[3:].strip() for text in markdown(chapter)
                for line in text.splitlines() if line.startswith("## ")]
    assert headings[-len(CLOSING):] == CLOSING, headings
    if "Questions from the lecture" in headings:
        assert headings.index("Questions from the lecture") < headings.index("Problems")


def test_problems_have_hints(chapter):
    numbers = numbered_with_details(section(chapter, "Problems"), "Problem", "hint")
    assert numbers == list(range(1, len(numbers) + 1)) and 4 <= len(numbers) <= 6, numbers


def test_self_test_has_answers(chapter):
    text = section(chapter, "Self-test")
    items = list(re.finditer(r"^\*\*Q(\d+)\.\*\*", text, re.M))
    assert [int(m.group(1)) for m in items] == list(range(1, len(items) + 1))
    assert 3 <= len(items) <= 5, len(items)
    for item, after in zip(items, items[1:] + [None]):
        body = text[item.end():after.start() if after else len(text)]
        assert [m.group(1) for m in DETAILS.finditer(body)] == ["answer"], f"Q{item.group(1)}"


def test_summary_is_a_list(chapter):
    bullets = re.findall(r"^- ", section(chapter, "Summary"), re.M)
    assert 4 <= len(bullets) <= 8, len(bullets)


def test_every_explorer_asks_then_answers(chapter):
    """Each explorer is shown by a code cell between a *Predict, then check* question and its
    caption (``*Explorer N.``), and the caption ends with the collapsed answer."""
    cells = chapter.cells
    built = sum(len(EXPLORER.findall(c.source)) for c in cells if c.cell_type == "code")
    captions = [i for i, c in enumerate(cells)
                if c.cell_type == "markdown" and c.source.startswith("*Explorer")]
    assert built and len(captions) == built, f"{built} explorers built, {len(captions)} captions"
    for i in captions:
        shown, before, caption = cells[i - 1], cells[i - 2], cells[i].source
        assert shown.cell_type == "code", f"cell {i}: the caption does not follow the explorer"
        assert before.cell_type == "markdown" and before.source.startswith("**Predict, then check.**"), i
        last = list(DETAILS.finditer(caption))
        assert last and last[-1].group(1) == "answer", f"cell {i}: no collapsed answer"
        assert caption.rstrip().endswith("</details>"), f"cell {i}: the answer is not last"


def test_every_exercise_has_a_level_and_a_time(chapter, request):
    exercises = course_pages.exercises_of(request.node.callspec.params["chapter"])
    declared = chapter.metadata["sparselib"]["prose_constants"]
    assert len(exercises) >= 4, f"{len(exercises)} exercises"
    for ex in exercises:
        assert ex["label"] and ex["label"].startswith("ex-"), ex
        assert ex["level"] in ("Warm-up", "Core", "Stretch") and ex["minutes"], ex
        assert f"about {ex['minutes']} min" in declared, f"'about {ex['minutes']} min' not declared"


def test_collapsed_blocks_are_well_formed(chapter):
    """Each ``<details>`` has a known class, the summary of its class, and blank lines around
    its Markdown, so that the text inside renders everywhere."""
    for text in markdown(chapter):
        opened = re.findall(r"<details\b[^>]*>", text)
        assert len(opened) == text.count("</details>"), text[:80]
        blocks = DETAILS.findall(text)
        assert len(blocks) == len(opened), f"malformed <details> in: {text[:120]!r}"
        for kind, summary, _ in blocks:
            assert KINDS.get(kind) == summary, (kind, summary)


def test_exercises_do_not_depend_on_each_other(chapter):
    """No cell outside an exercise's own (nbgrader) cells uses a student's solution, so an
    instructor can drop any exercise; hidden tests run the self-check on another seed."""
    for cell in chapter.cells:
        if cell.cell_type == "code" and "nbgrader" not in cell.metadata:
            assert not re.search(r"\b\w+_student\b", cell.source), cell.source[:120]
        grade = cell.metadata.get("nbgrader", {})
        if grade.get("grade"):
            calls = re.findall(r"check_\w+\(\w+_student, seed=(\d+)", cell.source)
            assert calls and all(int(seed) != 0 for seed in calls), cell.source[:120]


@pytest.mark.parametrize("text,expected", [
    ("# T\n\n:::{exercise}\n:label: ex-a\n\n*Core · about 20 min*\n\nWrite it.\n:::\n",
     dict(label="ex-a", level="Core", minutes=20)),
    ("### Exercise: soft\n\n:::{exercise}\n:label: ex-b\n\nWrite it.\n:::\n",
     dict(label="ex-b", level=None, minutes=None)),
])
def test_exercise_reader(tmp_path, text, expected):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text)]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    (found,) = course_pages.exercises_of(path)
    assert {k: found[k] for k in expected} == expected


@pytest.mark.parametrize("runtime", [15.46, 15.5, 59.96, 0.2])
def test_a_translation_states_the_english_run_time_as_the_english_page_does(
        tmp_path, monkeypatch, runtime):
    """The record the translations read formats exactly as the English measurement does.

    Regression: the record was rounded to 0.1 s, so 15.46 s read "15 s" on the English page
    and "16 s" (from 15.5) wherever the record was formatted.
    """
    from types import SimpleNamespace

    from myst_nb.sphinx_ import NbMetadataCollector

    monkeypatch.setattr(course_pages, "RUNTIMES", tmp_path / "chapter_runtimes.json")
    executed = {"en/05_lateral_inhibition": {"exec_data": {"succeeded": True, "runtime": runtime}}}
    monkeypatch.setattr(NbMetadataCollector, "get_doc_data", staticmethod(lambda env: executed))

    def exec_data(env, docname):  # a translation page is not executed by its build
        if docname not in executed:
            raise KeyError(docname)
        return executed[docname]["exec_data"]

    monkeypatch.setattr(NbMetadataCollector, "get_exec_data", staticmethod(exec_data))
    course_pages._record_runtimes(SimpleNamespace(config=SimpleNamespace(language="en")), None)
    english = course_pages._measured_runtime(None, "en/05_lateral_inhibition")
    translated = course_pages._measured_runtime(None, "fa/05_lateral_inhibition")
    assert english == runtime
    assert course_pages.format_seconds(translated) == course_pages.format_seconds(runtime)
