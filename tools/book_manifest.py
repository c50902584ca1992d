"""The book's one manifest, book/manifest.yml, and what derives from it: pages, languages,
tables of contents.

The build (tools/book.py), the translation bookkeeping (tools/translations.py) and the
checks read the book's pages through these functions. They look ``ROOT`` and
:func:`load_manifest` up when called, so a test can point them at a folder of its own.
"""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

MANIFEST = ROOT / "book" / "manifest.yml"
CONFIG = ROOT / "_config.yml"
TOC = ROOT / "_toc.yml"

TOC_HEADER = "# Generated from book/manifest.yml by `python tools/book.py toc`: do not edit.\n"


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
