"""Build helpers for the book: one manifest in, tables of contents and builds out.

Usage (the Makefile calls these; each is safe to run again):

    python tools/book.py toc            # write _toc.yml from book/manifest.yml
    python tools/book.py setup-cells    # rewrite every notebook's setup cell from _config.yml
    python tools/book.py assets         # npm assets into _assets/ (git-ignored)
    python tools/book.py store-outputs chapters/en/NN_topic.ipynb ...
                                        # execute a notebook, then keep only the expected
                                        # text outputs of cells tagged nbval-check-output
    python tools/book.py build [--strict] [--fresh]
                                        # English book into _build/html, then every other
                                        # language that has pages into _build/html/<lang>/
    python tools/book.py translations   # which translated pages are stale or out of line
    python tools/book.py sync-code [chapters/<lang>/NAME.ipynb ...]
                                        # copy the English code cells (and their stored
                                        # outputs) into every translation, keeping its prose
    python tools/book.py output-catalog # add the English chapters' new printed lines to
                                        # book/outputs/<lang>.yml (tools/book_outputs.py)
    python tools/book.py stamp chapters/<lang>/NAME.ipynb ...
                                        # record that a translation is up to date with
                                        # the current English page (after updating it)

Languages (DESIGN.md section 5): the English book is the top-level _config.yml/_toc.yml.
Each other language gets a generated book root under _generated/<lang>/ whose notebooks
carry the outputs of the executed English notebooks (code cells are identical across
languages), so a language adds pages to the build, not execution time.

Every translated page records the fingerprint of the English prose it translates (notebook
metadata ``sparselib.translates``; a ``translates:`` line in a Markdown page's front matter).
When the English prose changes, `translations` lists the page as stale and the built page
shows a note in its own language until the translation is updated and stamped again.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import yaml

from sparselib.i18n import t

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book_outputs import Catalog, update_catalogs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

MANIFEST = ROOT / "book" / "manifest.yml"
CONFIG = ROOT / "_config.yml"
TOC = ROOT / "_toc.yml"
ASSETS = ROOT / "_assets"
GENERATED = ROOT / "_generated"
BUILD = ROOT / "_build"

TOC_HEADER = "# Generated from book/manifest.yml by `python tools/book.py toc`: do not edit.\n"
SETUP_MARKER = "# Setup:"


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


# --------------------------------------------------------------------------- manifest
def load_manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def load_config() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def page_names(manifest: dict) -> list[str]:
    """Every page of the book in reading order, the root first."""
    return [manifest["root"], *manifest.get("pages", []), *manifest["chapters"]]


def page_file(lang: str, name: str) -> Path | None:
    """The source file of a page in a language, or None when it does not exist yet."""
    for ext in (".ipynb", ".md"):
        path = ROOT / "chapters" / lang / f"{name}{ext}"
        if path.exists():
            return path
    return None


def languages_with_pages(manifest: dict) -> list[str]:
    """Languages whose root page exists: those are built."""
    return [lang["code"] for lang in manifest["languages"]
            if page_file(lang["code"], manifest["root"]) is not None]


def chapter_notebooks(lang: str = "en") -> list[Path]:
    manifest = load_manifest()
    paths = [page_file(lang, name) for name in manifest["chapters"]]
    return [p for p in paths if p is not None and p.suffix == ".ipynb"]


def toc_for(lang: str, manifest: dict | None = None) -> dict:
    """The table of contents of one language: its existing pages, in manifest order."""
    manifest = manifest or load_manifest()
    names = [n for n in page_names(manifest) if page_file(lang, n) is not None]
    if not names or names[0] != manifest["root"]:
        raise ValueError(f"language {lang!r} has no root page chapters/{lang}/{manifest['root']}")
    toc = {"format": "jb-book", "root": f"chapters/{lang}/{names[0]}"}
    if names[1:]:  # a language with its root page only is a one-page book
        toc["chapters"] = [{"file": f"chapters/{lang}/{n}"} for n in names[1:]]
    return toc


def render_toc(lang: str, manifest: dict | None = None) -> str:
    return TOC_HEADER + yaml.safe_dump(toc_for(lang, manifest), sort_keys=False, allow_unicode=True)


def write_toc() -> None:
    manifest = load_manifest()
    TOC.write_text(render_toc(manifest["source_language"], manifest), encoding="utf-8")
    print(f"wrote {TOC.relative_to(ROOT)}")


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
CHECK_TAG = "nbval-check-output"


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


# --------------------------------------------------------------------------- assets
STATIC_COPIES = [
    # (from node_modules/, to _assets/static/)
    ("mathjax/es5/tex-chtml.js", "mathjax/tex-chtml.js"),
    # MathJax as components (tools/page_weight.py): the loader, the core, and the
    # components _config.yml's mathjax3_config loads from input/, output/ and a11y/.
    ("mathjax/es5/startup.js", "mathjax/startup.js"),
    ("mathjax/es5/core.js", "mathjax/core.js"),
    ("mathjax/es5/input", "mathjax/input"),
    ("mathjax/es5/output", "mathjax/output"),
    ("mathjax/es5/ui", "mathjax/ui"),
    ("mathjax/es5/a11y", "mathjax/a11y"),
    ("mathjax/es5/sre", "mathjax/sre"),
    ("requirejs/require.js", "require.js"),
    ("@jupyter-widgets/html-manager/dist", "widgets"),
]


def assets() -> None:
    """Install the pinned npm packages into _assets/ and lay out _assets/static/."""
    src = ROOT / "tools" / "assets"
    stamp = ASSETS / ".stamp"
    lock = (src / "package-lock.json").read_bytes()
    # The stamp records the lock file and the layout: a new entry of STATIC_COPIES lays
    # out _assets/static/ again without reinstalling unchanged packages.
    layout = lock + json.dumps(STATIC_COPIES).encode()
    if stamp.exists() and stamp.read_bytes() == layout and (ASSETS / "static").is_dir():
        print("npm assets up to date")
        return
    ASSETS.mkdir(exist_ok=True)
    installed = ASSETS / "package-lock.json"
    if not (installed.exists() and installed.read_bytes() == lock and (ASSETS / "node_modules").is_dir()):
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(src / name, ASSETS / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                       cwd=ASSETS, check=True)
    static = ASSETS / "static"
    shutil.rmtree(static, ignore_errors=True)
    modules = ASSETS / "node_modules"
    for frm, to in STATIC_COPIES:
        dst = static / to
        dst.parent.mkdir(parents=True, exist_ok=True)
        if (modules / frm).is_dir():
            shutil.copytree(modules / frm, dst, ignore=shutil.ignore_patterns("*.map", "embed.js", "libembed-amd.js"))
        else:
            shutil.copy2(modules / frm, dst)
    stamp.write_bytes(layout)
    print(f"npm assets ready in {static.relative_to(ROOT)}")


# --------------------------------------------------------------------------- translations
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
# The one line of a code cell that may differ between languages.
LANG_LINE = re.compile(r'^LANG = "[a-z]{2}"$', re.M)


def fingerprint(path: Path) -> str:
    """Fingerprint of an English page's prose: its markdown cells (code cells are shared by all
    languages, so they never make a translation stale), or a Markdown page's text."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        text = "\n\x00\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    else:
        text = FRONT_MATTER.sub("", path.read_text(encoding="utf-8"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def recorded_fingerprint(path: Path) -> str | None:
    """The English fingerprint a translated page says it translates, or None."""
    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4).metadata.get("sparselib", {}).get("translates")
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    meta = yaml.safe_load(match.group(1)) if match else None
    return meta.get("translates") if isinstance(meta, dict) else None


def english_page(path: Path) -> Path | None:
    """The source-language page a page in chapters/<lang>/ translates, or None."""
    return page_file(load_manifest()["source_language"], path.stem)


def stamp(path: Path) -> None:
    """Record in a translated page that it matches the current English page."""
    english = english_page(path)
    if english is None or english == path:
        raise SystemExit(f"{path}: not a translation of an English page")
    value = fingerprint(english)
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        nb.metadata.setdefault("sparselib", {})["translates"] = value
        nbformat.write(nb, path)
    else:
        text = path.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        meta = (yaml.safe_load(match.group(1)) or {}) if match else {}
        meta["translates"] = value
        body = text[match.end():] if match else text
        path.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" + body,
                        encoding="utf-8")
    print(f"stamped {path} as translating English {value}")


def staleness(path: Path) -> str | None:
    """Why a translated page is stale, or None when it translates the current English page."""
    english = english_page(path)
    if english is None:
        return None
    recorded = recorded_fingerprint(path)
    if recorded is None:
        return "no record of the English version it translates"
    return None if recorded == fingerprint(english) else "stale: the English page changed since it was translated"


def is_stale(path: Path) -> bool:
    return staleness(path) is not None


def code_differences(path: Path) -> list[str]:
    """Code cells of a translated notebook that differ from the English ones (apart from
    one ``LANG = "xx"`` line), in their source or their stored outputs: translations change
    markdown only."""
    english = english_page(path)
    if path.suffix != ".ipynb" or english is None:
        return []
    ours = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    theirs = [c for c in nbformat.read(english, as_version=4).cells if c.cell_type == "code"]
    if len(ours) != len(theirs):
        return [f"{len(ours)} code cells, English has {len(theirs)}"]
    found = []
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if LANG_LINE.sub("", a.source) != LANG_LINE.sub("", b.source):
            found.append(f"code cell {i + 1} differs from English")
        elif a.get("outputs", []) != b.get("outputs", []):  # outputs re-stored in English only
            found.append(f"code cell {i + 1}: stored outputs differ from English (run sync-code)")
    return found


def sync_code(path: Path) -> list[str]:
    """Rebuild a translated notebook on its English one: the English cells, code and stored
    outputs, in the English order, with this translation's markdown (by cell id) and its
    ``LANG`` line. Returns the English markdown cells the translation lacks (kept in English;
    the page is then stale, so it also says so)."""
    english = english_page(path)
    if path.suffix != ".ipynb" or english is None or english == path:
        raise SystemExit(f"{path}: not a translated notebook")
    lang = path.parent.name
    ours = nbformat.read(path, as_version=4)
    prose = {c.id: c.source for c in ours.cells if c.cell_type == "markdown"}
    nb = nbformat.read(english, as_version=4)
    untranslated = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if cell.id in prose:
                cell.source = prose[cell.id]
            elif cell.source.strip():
                untranslated.append(cell.id)
        elif cell.cell_type == "code":
            cell.source = LANG_LINE.sub(f'LANG = "{lang}"', cell.source)
    translates = ours.metadata.get("sparselib", {}).get("translates")
    nb.metadata.setdefault("sparselib", {}).pop("translates", None)
    if translates:
        nb.metadata["sparselib"]["translates"] = translates
    if nb.metadata.get("sparselib") == {}:
        del nb.metadata["sparselib"]
    if nbformat.writes(nb) != nbformat.writes(ours):
        nbformat.write(nb, path)
        print(f"updated the code of {path.relative_to(ROOT)} from {english.relative_to(ROOT)}")
    return untranslated


def translated_notebooks(manifest: dict) -> list[Path]:
    return [p for lang in manifest["languages"] if lang["code"] != manifest["source_language"]
            for p in chapter_notebooks(lang["code"])]


def translation_report(manifest: dict) -> list[tuple[str, str]]:
    """``(page, problem)`` for every translated page that is stale or changes code."""
    problems = []
    for lang in (entry["code"] for entry in manifest["languages"]):
        if lang == manifest["source_language"]:
            continue
        for name in page_names(manifest):
            path = page_file(lang, name)
            if path is None:
                continue
            page = path.relative_to(ROOT).as_posix()
            reason = staleness(path)
            if reason:
                problems.append((page, reason))
            problems.extend((page, d) for d in code_differences(path))
    return problems


def stale_note(lang: str) -> str:
    """The localized "English has changed" note, as a MyST warning."""
    return f"```{{warning}}\n{t('book.stale_translation', lang)}\n```"


def with_stale_note(nb, lang: str):
    """A translated notebook with the stale note after its title."""
    note = nbformat.v4.new_markdown_cell(stale_note(lang))
    note.id = "stale-translation-note"
    at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    nb.cells.insert(at, note)
    return nb


def text_with_stale_note(text: str, lang: str) -> str:
    """A translated Markdown page with the same note after its first heading."""
    lines = text.splitlines(keepends=True)
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "".join(lines[:at]) + f"\n{stale_note(lang)}\n\n" + "".join(lines[at:])


# --------------------------------------------------------------------------- builds
def jupyter_book_command(*args: str) -> list[str]:
    """The command line of the venv's ``jupyter-book`` with ``args``."""
    return [str(Path(sys.executable).with_name("jupyter-book")), *args]


def jupyter_book(*args: str) -> None:
    subprocess.run(jupyter_book_command(*args), cwd=ROOT, check=True)


def merge_outputs(translated, executed, name: str = "notebook"):
    """Give a translated notebook the outputs of the executed English one, cell by cell.

    Code cells are identical across languages (only markdown is translated), so the
    n-th code cell of one is the n-th code cell of the other.
    """
    ours = [c for c in translated.cells if c.cell_type == "code"]
    theirs = [c for c in executed.cells if c.cell_type == "code"]
    if len(ours) != len(theirs):
        raise ValueError(f"{name} has {len(ours)} code cells, the English notebook "
                         f"{len(theirs)}: translations change markdown cells only.")
    for mine, done in zip(ours, theirs):
        mine.outputs, mine.execution_count = done.outputs, done.execution_count
    if "widgets" in executed.metadata:
        translated.metadata["widgets"] = executed.metadata["widgets"]
    return translated


def executed_english(name: str) -> "nbformat.NotebookNode":
    """The executed English notebook ``name`` (e.g. ``02_drsae.ipynb``), from the execution
    cache the English build fills (``_config.yml``'s ``execute.cache``). The copies myst-nb
    leaves in ``_build/jupyter_execute/`` hold the notebook as it was read, not its outputs."""
    from jupyter_cache import get_cache

    source = ROOT / "chapters" / load_manifest()["source_language"] / name
    cache = get_cache(str(ROOT / load_config()["execute"]["cache"]))
    try:
        _, executed = cache.merge_match_into_notebook(nbformat.read(source, as_version=4))
    except KeyError:
        raise SystemExit(f"{source.relative_to(ROOT)} is not in the execution cache: the English "
                         "build executes it (python tools/book.py build)") from None
    return executed


def merged_notebook(lang: str, path: Path) -> "nbformat.NotebookNode":
    """A translated notebook carrying the outputs of the executed English notebook."""
    return merge_outputs(nbformat.read(path, as_version=4), executed_english(path.name),
                         str(path.relative_to(ROOT)))


# Sphinx's search messages (msgid -> key of student_links.WORDS) that a language's own
# Sphinx catalog may leave empty: an empty message shows nothing where the search says
# what it found.
SEARCH_MESSAGES = {"Search finished, found ${resultCount} page(s) matching the search query.": "search_finished"}


def search_messages(lang: str) -> dict:
    """Sphinx's JavaScript catalog for ``lang`` (``Documentation.addTranslations``), with the
    messages of SEARCH_MESSAGES that it leaves empty taken from student_links.WORDS."""
    import sphinx

    from student_links import WORDS

    path = Path(sphinx.__file__).parent / "locale" / lang / "LC_MESSAGES" / "sphinx.js"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    catalog = json.loads(text[text.index("(") + 1:text.rindex(")")]) if text else \
        {"locale": lang, "messages": {}, "plural_expr": "(n != 1)"}
    for msgid, key in SEARCH_MESSAGES.items():
        if not catalog["messages"].get(msgid) and lang in WORDS[key]:
            catalog["messages"][msgid] = WORDS[key][lang]
    return catalog


def write_search_messages(lang: str, root: Path) -> None:
    """``root/locale/<lang>/LC_MESSAGES/sphinx.js``, which Sphinx prefers (locale_dirs) to
    its own catalog when it writes the site's translations.js."""
    path = root / "locale" / lang / "LC_MESSAGES" / "sphinx.js"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Documentation.addTranslations("
                    + json.dumps(search_messages(lang), ensure_ascii=False, indent=1) + ");\n",
                    encoding="utf-8")


def generate_language(lang: str, manifest: dict, strict: bool = False) -> Path:
    """Write _generated/<lang>/: a book root for one translation (no execution).

    Printed lines that carry words are rendered in ``lang`` from the output catalog
    (tools/book_outputs.py); with ``strict``, a line without a translation stops the build.
    """
    catalog = Catalog(lang)
    root = GENERATED / lang
    shutil.rmtree(root, ignore_errors=True)
    (root / "chapters" / lang).mkdir(parents=True)
    for shared in ("references.bib", "tools", "_assets", "book"):
        (root / shared).symlink_to(ROOT / shared)
    for name in page_names(manifest):
        path = page_file(lang, name)
        if path is None:
            continue
        dst = root / "chapters" / lang / path.name
        stale = is_stale(path)
        if stale:
            print(f"note: {path.relative_to(ROOT)} is stale (the English page changed); the page says so")
        if path.suffix == ".ipynb":
            nb = merged_notebook(lang, path)
            catalog.notebook(nb, path.stem)
            nbformat.write(with_stale_note(nb, lang) if stale else nb, dst)
        elif stale:
            dst.write_text(text_with_stale_note(path.read_text(encoding="utf-8"), lang), encoding="utf-8")
        else:
            dst.symlink_to(path)
    if catalog.missing:
        lines = "\n".join(f"  [{where}] {key}" for key, where in catalog.missing.items())
        message = (f"{len(catalog.missing)} printed line(s) have no translation in "
                   f"book/outputs/{lang}.yml (run `python tools/book.py output-catalog`, then "
                   f"translate them):\n{lines}")
        if strict:
            sys.exit(message)
        print(f"warning: {message}")
    config = copy.deepcopy(load_config())
    config["execute"]["execute_notebooks"] = "off"
    config["sphinx"]["config"]["language"] = lang
    from student_links import word  # the few words the pages add, per language

    config["sphinx"]["config"]["nb_code_prompt_show"] = word("code_show", lang)
    config["sphinx"]["config"]["nb_code_prompt_hide"] = word("code_hide", lang)
    write_search_messages(lang, root)
    # absolute: Sphinx looks for sphinx.js relative to the working directory, not the book
    config["sphinx"]["config"]["locale_dirs"] = [str(root / "locale")]
    (root / "_config.yml").write_text(
        "# Generated by tools/book.py from _config.yml: do not edit.\n"
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (root / "_toc.yml").write_text(render_toc(lang, manifest), encoding="utf-8")
    return root


def execute_in_parallel(notebooks: list[Path]) -> None:
    """Execute the notebooks that the cache lacks, one per core, into the execution cache.

    The English build then finds every chapter in the cache (myst-nb's ``cache`` mode matches
    a notebook by its code) and takes its outputs and its measured run time from there
    instead of executing the chapters one after another. A notebook that fails here is left
    out of the cache, so the build executes it itself and reports the error as it always has.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    config = load_config()["execute"]
    cache = get_cache(str(ROOT / config["cache"]))
    records = [cache.add_nb_to_project(str(path)) for path in notebooks]
    todo = [r.pk for r in records if cache.get_cached_project_nb(r.pk) is None]
    if not todo:
        return
    start = time.perf_counter()
    result = load_executor("local-parallel", cache).run_and_cache(
        filter_pks=todo, timeout=config.get("timeout", 30), allow_errors=config.get("allow_errors", False))
    failed = [Path(uri).name for uri in result.excepted + result.errored]
    print(f"executed {len(todo)} notebook(s) in parallel in {time.perf_counter() - start:.1f} s"
          + (f"; left to the build: {', '.join(failed)}" if failed else ""))


def build(strict: bool = False, fresh: bool = False) -> None:
    manifest = load_manifest()
    if TOC.read_text(encoding="utf-8") != render_toc(manifest["source_language"], manifest):
        sys.exit("_toc.yml does not match book/manifest.yml: run `python tools/book.py toc`.")
    if fresh:
        shutil.rmtree(BUILD, ignore_errors=True)
    notebook_environment()
    flags = ["-W", "--keep-going"] if strict else []
    timings = {}
    start = time.perf_counter()
    if load_config()["execute"]["execute_notebooks"] == "cache":
        execute_in_parallel(chapter_notebooks(manifest["source_language"]))
    jupyter_book("build", ".", *flags)
    timings["en"] = time.perf_counter() - start
    # The translations execute nothing: each is a separate Sphinx build of its own generated
    # root into its own folder, so they run side by side, one per core; each build's log is
    # printed whole when it ends.
    roots = {lang: generate_language(lang, manifest, strict) for lang in languages_with_pages(manifest)
             if lang != manifest["source_language"]}

    def build_language(lang: str) -> tuple[str, float, subprocess.CompletedProcess]:
        start = time.perf_counter()
        out = BUILD / "lang" / lang
        done = subprocess.run(jupyter_book_command("build", str(roots[lang]), "--path-output", str(out), *flags),
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode == 0:
            site = BUILD / "html" / lang
            shutil.rmtree(site, ignore_errors=True)
            shutil.copytree(out / "_build" / "html", site)
        return lang, time.perf_counter() - start, done

    failed = []
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        for lang, seconds, done in pool.map(build_language, roots):
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
            timings[lang] = seconds
            if done.returncode != 0:
                failed.append(lang)
    for lang, seconds in timings.items():
        print(f"book build [{lang}]: {seconds:.1f} s")
    if failed:
        sys.exit(f"the book build failed for: {', '.join(failed)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("toc")
    sub.add_parser("setup-cells")
    sub.add_parser("assets")
    s = sub.add_parser("store-outputs")
    s.add_argument("notebooks", nargs="+")
    b = sub.add_parser("build")
    b.add_argument("--strict", action="store_true", help="warnings are errors (-W --keep-going)")
    b.add_argument("--fresh", action="store_true", help="delete _build first")
    sub.add_parser("translations")
    sub.add_parser("output-catalog")
    sc = sub.add_parser("sync-code")
    sc.add_argument("pages", nargs="*", help="translated notebooks (default: all)")
    st = sub.add_parser("stamp")
    st.add_argument("pages", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "toc":
        write_toc()
    elif args.command == "setup-cells":
        sync_setup_cells()
    elif args.command == "assets":
        assets()
    elif args.command == "store-outputs":
        store_outputs(args.notebooks)
    elif args.command == "translations":
        problems = translation_report(load_manifest())
        for page, problem in problems:
            print(f"{page}: {problem}")
        print(f"{len(problems)} problem(s) in the translations" if problems else "every translation is up to date")
    elif args.command == "sync-code":
        pages = [Path(p).resolve() for p in args.pages] or translated_notebooks(load_manifest())
        for page in pages:
            for cell_id in sync_code(page):
                print(f"{page.relative_to(ROOT)}: markdown cell {cell_id} is new in English: translate it")
    elif args.command == "output-catalog":
        manifest = load_manifest()
        executed = [executed_english(p.name) for p in chapter_notebooks()]
        update_catalogs(executed, [lang["code"] for lang in manifest["languages"]
                                   if lang["code"] != manifest["source_language"]
                                   and (ROOT / "chapters" / lang["code"]).is_dir()])
    elif args.command == "stamp":
        for page in args.pages:
            stamp(Path(page).resolve())
    else:
        build(strict=args.strict, fresh=args.fresh)


if __name__ == "__main__":
    main()
