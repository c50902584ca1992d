"""Translation bookkeeping: which English version each translated page translates, what is
stale, and the translations' code kept identical to English.

Every translated page records the fingerprint of the English prose it translates (notebook
metadata ``sparselib.translates``; a ``translates:`` line in a Markdown page's front matter).
When the English prose changes, ``python tools/book.py translations`` lists the page as
stale and the built page shows a note in its own language (:func:`stale_note`) until the
translation is updated and stamped again (``python tools/book.py stamp``). Code cells are
shared by all languages: ``python tools/book.py sync-code`` copies the English ones, with
their stored outputs, into every translation.

The pages are found through :mod:`book_manifest`, looked up when called (tests point
``book_manifest.ROOT`` and ``book_manifest.load_manifest`` at a folder of their own).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import nbformat
import yaml

import book_manifest

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
    return book_manifest.page_file(book_manifest.load_manifest()["source_language"], path.stem)


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
        root = book_manifest.ROOT
        print(f"updated the code of {path.relative_to(root)} from {english.relative_to(root)}")
    return untranslated


def translated_notebooks(manifest: dict) -> list[Path]:
    return [p for lang in manifest["languages"] if lang["code"] != manifest["source_language"]
            for p in book_manifest.chapter_notebooks(lang["code"])]


def translation_report(manifest: dict) -> list[tuple[str, str]]:
    """``(page, problem)`` for every translated page that is stale or changes code."""
    problems = []
    for lang in (entry["code"] for entry in manifest["languages"]):
        if lang == manifest["source_language"]:
            continue
        for name in book_manifest.page_names(manifest):
            path = book_manifest.page_file(lang, name)
            if path is None:
                continue
            page = path.relative_to(book_manifest.ROOT).as_posix()
            reason = staleness(path)
            if reason:
                problems.append((page, reason))
            problems.extend((page, d) for d in code_differences(path))
    return problems


def stale_note(lang: str) -> str:
    """The localized "English has changed" note, as a MyST warning."""
    from student_links import word  # the words the pages add, per language (imports Sphinx)

    return f"```{{warning}}\n{word('stale_translation', lang)}\n```"


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
