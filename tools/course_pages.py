"""Sphinx extension for the course book: per-language page details.

- a language switcher above every page that exists in more than one built language,
  linking the same page in the other languages (languages come from book/manifest.yml);
- each script once, however often extensions register it;
- bibliography entries as list items of their list (valid ARIA);
- nbgrader's solution marker lines left out of the (collapsed) exercise solutions, and
  the collapsed cells' toggles named by their visible text;
- ``dir="rtl"`` on the ``<html>`` element of right-to-left languages, with code and
  maths kept left-to-right by a small stylesheet;
- a ``student-notebooks`` directive: the list of student notebooks (students/<lang>/)
  with their Colab links, derived from _config.yml's repository and launch buttons.

The English book is the site root; every other language is served from ``<lang>/``.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "book" / "manifest.yml"
STATIC = Path(__file__).resolve().parent / "static"
# A highlighted `### BEGIN SOLUTION` / `### END SOLUTION` line of an exercise cell.
SOLUTION_MARKER = re.compile(r'\n[ \t]*<span class="c1">### (?:BEGIN|END) SOLUTION</span>(?=\n)')


def _manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def _built_languages(manifest: dict) -> list[dict]:
    root = manifest["root"]
    return [lang for lang in manifest["languages"]
            if any((ROOT / "chapters" / lang["code"] / f"{root}{ext}").exists()
                   for ext in (".md", ".ipynb"))]


def _site_prefix(code: str, manifest: dict) -> str:
    return "" if code == manifest["source_language"] else f"{code}/"


def _switcher(app, pagename: str) -> str:
    parts = pagename.split("/")
    if len(parts) != 3 or parts[0] != "chapters":
        return ""
    manifest = _manifest()
    here, name = parts[1], parts[2]
    # From the page up to the English site root (translations live one folder deeper).
    up = "../" * (len(parts) - 1 + (0 if here == manifest["source_language"] else 1))
    links = []
    for lang in _built_languages(manifest):
        code = lang["code"]
        if not any((ROOT / "chapters" / code / f"{name}{ext}").exists() for ext in (".md", ".ipynb")):
            continue
        label = html.escape(lang["name"])
        if code == here:
            links.append(f'<li><span aria-current="page" lang="{code}">{label}</span></li>')
        else:
            href = f"{up}{_site_prefix(code, manifest)}chapters/{code}/{name}.html"
            links.append(f'<li><a href="{href}" hreflang="{code}" lang="{code}">{label}</a></li>')
    if len(links) < 2:
        return ""
    return ('<nav class="course-languages" aria-label="Languages"><ul>'
            + "".join(links) + "</ul></nav>\n")


def _notebook_title(path: Path) -> str:
    """The first heading of a notebook's first markdown cell holding one."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


class StudentNotebooks(SphinxDirective):
    """A list of the student notebooks of the page's language (English where a language has
    none), each linked to Colab and to its file in the repository."""

    def run(self):
        options = self.config.html_theme_options
        url = options["repository_url"].rstrip("/")
        branch = options.get("repository_branch") or "main"
        colab = options.get("launch_buttons", {}).get("colab_url", "https://colab.research.google.com")
        github = url.split("://", 1)[-1].split("/", 1)[-1]          # owner/name
        book_path = (options.get("path_to_docs") or "").strip("/")
        lang = self.config.language or _manifest()["source_language"]
        folder = ROOT / "students" / lang
        if not any(folder.glob("*.ipynb")):
            folder = ROOT / "students" / _manifest()["source_language"]
        items = nodes.bullet_list()
        for path in sorted(folder.glob("*.ipynb")):
            rel = "/".join(p for p in (book_path, path.relative_to(ROOT).as_posix()) if p)
            line = nodes.paragraph()
            line += nodes.reference("", _notebook_title(path),
                                    refuri=f"{colab}/github/{github}/blob/{branch}/{rel}")
            line += nodes.Text(" (Colab) · ")
            line += nodes.reference("", rel, refuri=f"{url}/blob/{branch}/{rel}")
            item = nodes.list_item()
            item += line
            items += item
        return [items]


def _dedupe_scripts(context) -> None:
    """Drop scripts registered twice (sphinx-thebe adds its inline `const` declarations
    twice under Sphinx 7.4, and the second copy is a console error)."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {}) or {}
        # An inline script is registered with filename None or "": the same script.
        key = (str(getattr(script, "filename", script) or ""),
               tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if "script_files" in context:
        context["script_files"][:] = unique


def _on_page_context(app, pagename, templatename, context, doctree):
    _dedupe_scripts(context)
    if "body" in context:
        # Docutils marks bibliography entries role="doc-biblioentry" inside a role="list";
        # a list may only own list items (axe: aria-required-children).
        body = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
        # Exercise solutions are shown collapsed, without nbgrader's marker lines.
        body = SOLUTION_MARKER.sub("", body)
        # myst-nb names every collapsed cell's toggle "Toggle hidden content" while it
        # shows "Show code cell source": let the visible text be the name (axe:
        # label-content-name-mismatch).
        body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
        context["body"] = _switcher(app, pagename) + body


def _on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    manifest = _manifest()
    language = app.config.language or manifest["source_language"]
    rtl = any(lang["code"] == language and lang.get("dir") == "rtl" for lang in manifest["languages"])
    if not rtl:
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        new = re.sub(r"<html(?![^>]*\bdir=)", '<html dir="rtl"', text, count=1)
        if new != text:
            path.write_text(new, encoding="utf-8")


def _on_config_inited(app, config):
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app):
    app.add_directive("student-notebooks", StudentNotebooks)
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _on_page_context)
    app.connect("build-finished", _on_build_finished)
    app.add_css_file("course_pages.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
