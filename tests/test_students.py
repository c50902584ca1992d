"""The exercise pipeline: chapters' exercise cells, student notebooks, nbgrader.

- the student notebooks are what `python tools/students.py` generates (not stale);
- a student notebook, executed cell by cell, fails only with NotImplementedError, at
  every exercise's self-check;
- the chapters go through `nbgrader generate_assignment` cleanly.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import chapter_cells  # noqa: E402
import students  # noqa: E402

PAIRS = students.sources()
CHAPTERS = sorted(PAIRS)
STUDENT_NOTEBOOKS = sorted(PAIRS.values())
ENGLISH_STUDENTS = [p for p in STUDENT_NOTEBOOKS if p.parent.name == "en"]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def exercise_cells(nb) -> list:
    return [c for c in nb.cells if "nbgrader" in c.metadata]


def role(cell) -> str:
    return cell.metadata["nbgrader"]["grade_id"].rsplit("-", 1)[-1]


def test_every_chapter_with_exercises_has_a_student_notebook():
    assert CHAPTERS, "no chapter has exercise cells"
    assert any(p.name == "01_sparse_coding.ipynb" for p in CHAPTERS)


def test_student_notebooks_are_up_to_date():
    problems = students.stale(students.rendered())
    assert not problems, "; ".join(problems) + f": run `{students.COMMAND}` and commit the result"


def test_stale_student_notebook_is_reported(tmp_path, monkeypatch):
    target = tmp_path / "en" / "01_sparse_coding.ipynb"
    target.parent.mkdir()
    target.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(students, "STUDENTS", tmp_path)
    monkeypatch.setattr(students, "ROOT", tmp_path)
    problems = students.stale({target: "other"})
    assert problems == ["en/01_sparse_coding.ipynb is stale"]


@pytest.mark.parametrize("path", CHAPTERS, ids=rel)
def test_chapter_exercise_cells_follow_the_conventions(path):
    """Four cells per exercise: statement, solution (hide-input), check, hidden tests (remove-cell)."""
    nb = nbformat.read(path, as_version=4)
    cells = exercise_cells(nb)
    solutions = [c for c in cells if role(c) == "solution"]
    assert len(solutions) >= 2, f"{rel(path)}: at least two exercises"
    for cell in cells:
        meta, tags = cell.metadata["nbgrader"], cell.metadata.get("tags", [])
        assert meta["schema_version"] == 3 and meta["grade_id"].startswith(f"ch{path.name[:2]}-")
        if role(cell) == "solution":
            assert meta["solution"] and not meta["grade"] and "hide-input" in tags, cell.id
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        elif role(cell) == "check":
            assert meta["locked"] and not meta["grade"], cell.id
            assert cell.source.startswith("check_") and "_student" in cell.source, cell.id
        elif role(cell) == "tests":
            assert meta["grade"] and meta["points"] > 0 and "remove-cell" in tags, cell.id
            assert "### BEGIN HIDDEN TESTS" in cell.source and "### END HIDDEN TESTS" in cell.source
        else:
            pytest.fail(f"{rel(path)} cell {cell.id}: grade_id must end in -solution, -check or -tests")
    # Nothing outside an exercise calls a student's function (it raises in student notebooks).
    for cell in nb.cells:
        if cell.cell_type == "code" and "nbgrader" not in cell.metadata:
            assert "_student(" not in cell.source, f"{rel(path)} cell {cell.id} calls a student function"


def test_grade_ids_are_unique_across_the_course():
    ids = [c.metadata["nbgrader"]["grade_id"] for p in CHAPTERS if p.parent.name == "en"
           for c in exercise_cells(nbformat.read(p, as_version=4))]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=rel)
def test_student_notebook_has_stubs_and_no_answers(path):
    text = path.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", ":::{solution}", "hide-input"):
        assert marker not in text, f"{rel(path)} contains {marker!r}: run `{students.COMMAND}`"
    nb = nbformat.read(path, as_version=4)
    stubs = [c for c in exercise_cells(nb) if role(c) == "solution"]
    assert stubs and all("raise NotImplementedError()" in c.source for c in stubs)
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", ENGLISH_STUDENTS, ids=rel)
def test_student_notebook_fails_only_with_not_implemented(path):
    """Execute cell by cell, keep going after errors: every error is NotImplementedError."""
    from nbclient import NotebookClient

    chapter_cells.notebook_environment()
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = {c.id: o for c in nb.cells if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"}
    other = {cid: f"{o.ename}: {o.evalue}" for cid, o in errors.items() if o.ename != "NotImplementedError"}
    assert not other, f"{rel(path)}: errors other than NotImplementedError: {other}"
    checks = [c.id for c in exercise_cells(nb) if role(c) == "check"]
    assert checks and set(checks) <= set(errors), (
        f"{rel(path)}: every self-check must raise NotImplementedError on the stub; "
        f"these did not: {sorted(set(checks) - set(errors))}")


def test_chapters_pass_nbgrader_generate_assignment(tmp_path):
    """An instructor can run nbgrader on the chapters directly."""
    course = tmp_path / "course"
    english = [p for p in CHAPTERS if p.parent.name == "en"]
    for path in english:
        (course / "source" / path.stem).mkdir(parents=True)
        shutil.copy2(path, course / "source" / path.stem / path.name)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8")
    bin_dir = Path(sys.executable).parent   # nbgrader calls `alembic` from PATH
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for path in english:
        result = subprocess.run([str(bin_dir / "nbgrader"), "generate_assignment", path.stem, "--force"],
                                cwd=course, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"nbgrader generate_assignment {path.stem}:\n{result.stderr[-3000:]}"
        assert "ERROR" not in result.stderr, result.stderr[-3000:]
        released = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
        text = nbformat.writes(released)
        assert "raise NotImplementedError()" in text
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
