"""The cells the tools write into the chapter notebooks, and the environment chapters run in.

- The setup cell: the first code cell of every notebook, derived from _config.yml
  (``python tools/book.py setup-cells``).
- Stored outputs: a chapter is stored without outputs, except the text outputs of cells
  tagged ``nbval-check-output``, which nbval compares (``python tools/book.py store-outputs``).
- :func:`notebook_environment`: the environment every execution of a chapter uses (the book
  build, nbval, store-outputs, the student-notebook checks).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat

from book_manifest import ROOT, load_config

SETUP_MARKER = "# Setup:"
CHECK_TAG = "nbval-check-output"


def notebook_environment() -> None:
    """Environment for executing chapters (book builds, nbval, store-outputs)."""
    # Executed notebooks are pages, not live sessions: no progress-bar widgets in them.
    os.environ.setdefault("SPARSELIB_PROGRESS", "0")
    # The chapters' matrices are small: one thread per kernel. On two cores with another
    # job running, two spinning BLAS/OpenMP threads made chapter 1 six times slower
    # (60 s against 10 s, measured side by side).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # The pinned outputs must not depend on which x86 CPU executes them. Chapters 3 and 5
    # train for hundreds of steps, and a last-bit difference between MKL's kernels for two
    # processors grew into other printed numbers (a median 0.43 on one machine, 0.36 on
    # another, same code and wheels). MKL's conditional numerical reproducibility fixes its
    # code path (AVX2, alignment-independent) and ATen's dispatch is held at the same level;
    # on this AMD machine both settings give bit-identical weights to the default, at the
    # same speed. Only where the processor has AVX2: the settings would not fit elsewhere.
    if _cpu_has_avx2():
        os.environ.setdefault("MKL_CBWR", "AVX2,STRICT")
        os.environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")


def _cpu_has_avx2() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return False
    return " avx2" in flags


# --------------------------------------------------------------------------- setup cell
def repository() -> tuple[str, str]:
    repo = load_config()["repository"]
    return repo["url"].rstrip("/"), repo["branch"]


def setup_cell_source(lang: str = "en") -> str:
    """The first code cell of every notebook, derived from _config.yml's repository. Its
    last line, ``LANG = "<lang>"``, is the one line of code that differs between languages:
    the self-checks and the explorers speak the notebook's language (in Colab too)."""
    url, branch = repository()
    return (
        f"{SETUP_MARKER} use the installed sparselib, or install it from the course repository (Colab).\n"
        "try:\n"
        "    import sparselib\n"
        "except ImportError:\n"
        f'    %pip install --quiet "sparselib @ git+{url}@{branch}"\n'
        "    import sparselib\n"
        f'LANG = "{lang}"'
    )


def first_code_cell(nb) -> "nbformat.NotebookNode | None":
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def sync_setup_cells() -> None:
    """Make the first code cell of every chapter notebook the setup cell."""
    for path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        source = setup_cell_source(path.parent.name)
        nb = nbformat.read(path, as_version=4)
        cell = first_code_cell(nb)
        if cell is not None and cell.source.startswith(SETUP_MARKER):
            if cell.source == source:
                continue
            cell.source = source
        else:
            new = nbformat.v4.new_code_cell(source)
            new.id = "setup"
            at = nb.cells.index(cell) if cell is not None else len(nb.cells)
            nb.cells.insert(at, new)
        nbformat.write(nb, path)
        print(f"updated the setup cell of {path.relative_to(ROOT)}")


# --------------------------------------------------------------------------- stored outputs
def kept_output(output) -> bool:
    """Outputs a chapter notebook may store: text that nbval compares, nothing else."""
    if output.get("output_type") == "stream":
        return output.get("name") == "stdout"
    if output.get("output_type") == "execute_result":
        return set(output.get("data", {})) == {"text/plain"}
    if output.get("output_type") == "display_data":  # a glued value (sparselib.notebook.glue)
        return set(output.get("data", {})) == {"application/papermill.record/text/plain"}
    return False


def clean_notebook(nb) -> None:
    """Strip outputs, except the text outputs of cells tagged nbval-check-output.

    Those cells keep an execution count (nbval ignores the outputs of cells it thinks
    were never run); it is the cell's position among the code cells, so it is stable.
    """
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        tags = cell.metadata.get("tags", [])
        cell.outputs = [o for o in cell.outputs if kept_output(o)] if CHECK_TAG in tags else []
        cell.execution_count = number if cell.outputs else None
        for o in cell.outputs:
            if o.get("output_type") == "execute_result":
                o["execution_count"] = None
                o["metadata"] = {}
        cell.metadata.pop("execution", None)


def store_outputs(paths: list[str]) -> None:
    """Execute notebooks and store only what nbval checks (chapters stay output-free)."""
    from nbclient import NotebookClient

    notebook_environment()
    for name in paths:
        path = Path(name).resolve()
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        print(f"executed {path.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s")
        clean_notebook(nb)
        nbformat.write(nb, path)
