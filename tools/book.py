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

This module is the build and the command line; the other jobs live beside it:
tools/book_manifest.py (pages, languages, tables of contents), tools/chapter_cells.py (the
setup cell, stored outputs, the chapters' environment), tools/book_assets.py (npm assets),
tools/translations.py (staleness, stamps, the stale note, code kept identical to English)
and tools/book_outputs.py (the translated printed lines).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
# book.load_manifest, book.page_file, book.chapter_notebooks, book.notebook_environment, ...
# are read as such by tools/students.py, tools/run_tests.py and tests/browser/.
from book_assets import assets  # noqa: E402
from book_manifest import (ROOT, TOC, chapter_notebooks, languages_with_pages, load_config,  # noqa: E402
                           load_manifest, page_file, page_names, render_toc, write_toc)
from book_outputs import Catalog, update_catalogs  # noqa: E402
from chapter_cells import notebook_environment, store_outputs, sync_setup_cells  # noqa: E402
from translations import (is_stale, stamp, sync_code, text_with_stale_note,  # noqa: E402
                          translated_notebooks, translation_report, with_stale_note)

GENERATED = ROOT / "_generated"
BUILD = ROOT / "_build"


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
