"""Sphinx extension for the course book: per-language page details.

- a language switcher above every page that exists in more than one built language,
  linking the same page in the other languages (languages come from book/manifest.yml);
- each script once, however often extensions register it;
- bibliography entries as list items of their list (valid ARIA);
- nbgrader's solution marker lines left out of the (collapsed) exercise solutions, and
  the collapsed cells' toggles named by their visible text;
- ``dir="rtl"`` on the ``<html>`` element of right-to-left languages, with code and
  maths kept left-to-right by a small stylesheet;
- a ``chapter-runtime`` role: the time the build measured for executing the page's
  notebook (myst-nb's execution record; a translation, which is not executed, shows its
  English page's time, kept in ``_build/chapter_runtimes.json``);
- an ``exercise-list`` directive: every exercise of the chapters of the page's language,
  with its level, estimated time and points, read from the notebooks.

The English book is the site root; every other language is served from ``<lang>/``.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOGGER = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "book" / "manifest.yml"
STATIC = Path(__file__).resolve().parent / "static"
RUNTIMES = ROOT / "_build" / "chapter_runtimes.json"
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
    from student_links import word  # the few words the pages add, per language

    return (f'<nav class="course-languages" aria-label="{html.escape(word("languages", here))}"><ul>'
            + "".join(links) + "</ul></nav>\n")


def _notebook_title(path: Path) -> str:
    """The first heading of a notebook's first markdown cell holding one."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


# ------------------------------------------------------------------ chapter run time
def format_seconds(seconds: float) -> str:
    """``12 s``, ``1 min 5 s``: a run time as a reader reads it."""
    seconds = max(1, round(seconds))
    minutes, rest = divmod(seconds, 60)
    return f"{seconds} s" if minutes == 0 else f"{minutes} min {rest} s"


def chapter_runtime_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{chapter-runtime}`this```: replaced once the page's execution record is known."""
    node = nodes.inline(rawtext, "", classes=["chapter-runtime"])
    return [node], []


def _page_name(docname: str) -> str:
    return docname.rsplit("/", 1)[-1]


def _measured_runtime(env, docname: str) -> float | None:
    from myst_nb.sphinx_ import NbMetadataCollector
    try:
        data = NbMetadataCollector.get_exec_data(env, docname)
    except KeyError:
        data = None
    if data and data.get("succeeded") and data.get("runtime") is not None:
        return float(data["runtime"])
    if RUNTIMES.exists():  # a translation: the English notebook's time
        return json.loads(RUNTIMES.read_text(encoding="utf-8")).get(_page_name(docname))
    return None


def _on_doctree_resolved(app, doctree, docname):
    pending = [n for n in doctree.findall(nodes.inline) if "chapter-runtime" in n["classes"]]
    if not pending:
        return
    seconds = _measured_runtime(app.env, docname)
    if seconds is None:
        LOGGER.warning(f"{docname}: no execution record for {{chapter-runtime}}; is the "
                       f"notebook executed by the build?", location=docname)
    for node in pending:
        node += nodes.Text(format_seconds(seconds) if seconds is not None else "?")


def _record_runtimes(app, env) -> None:
    """The source language's build keeps every notebook's run time for the translations."""
    if (app.config.language or _manifest()["source_language"]) != _manifest()["source_language"]:
        return
    from myst_nb.sphinx_ import NbMetadataCollector
    times = json.loads(RUNTIMES.read_text(encoding="utf-8")) if RUNTIMES.exists() else {}
    for docname, meta in NbMetadataCollector.get_doc_data(env).items():
        data = meta.get("exec_data")
        if data and data.get("succeeded") and data.get("runtime") is not None:
            # unrounded: a rounded record (15.46 -> 15.5) would format as "16 s" on the
            # translations while the English page, formatted from the measurement, says "15 s"
            times[_page_name(docname)] = float(data["runtime"])
    RUNTIMES.parent.mkdir(parents=True, exist_ok=True)
    RUNTIMES.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ exercise list
EXERCISE_LABEL = re.compile(r"^:label: (\S+)$", re.M)


def _words(key: str, lang: str) -> str:
    from student_links import word  # the few words the pages add, per language

    return word(key, lang)


def exercise_heading(lang: str) -> re.Pattern:
    """``### Exercise: <title>`` in the chapter's language (French puts a space before the
    colon: ``### Exercice : <titre>``)."""
    return re.compile(rf"^#{{2,4}} {re.escape(_words('exercise', lang))}[ \u00a0\u202f]?: (.+)$", re.M)


def difficulty_line(lang: str) -> re.Pattern:
    """``*Warm-up · about 10 min*`` in the chapter's language: level and minutes."""
    before, after = _words("minutes", lang).split("{n}")
    return re.compile(rf"^\*({_words('levels', lang)}) · {re.escape(_words('about', lang))} "
                      rf"{re.escape(before)}(\d+){re.escape(after)}\*$", re.M)


def exercises_of(path: Path) -> list[dict]:
    """The exercises of a chapter notebook, in order: title, label, level, minutes and the
    points of its autograded cell (nbgrader), read from the cells.

    An exercise is a markdown cell with an ``exercise`` directive; its title is the cell's
    ``Exercise:`` heading, its level and time the first line of the directive's body, its
    points those of the first autograded cell after it.
    """
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lang = path.parent.name
    heading, level_line = exercise_heading(lang), difficulty_line(lang)
    found = []
    for i, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or ":::{exercise}" not in text:
            continue
        body = text.split(":::{exercise}", 1)[1]
        title, label = heading.search(text), EXERCISE_LABEL.search(body)
        lines = [line for line in body.splitlines()[1:] if line.strip() and not line.startswith(":")]
        difficulty = level_line.match(lines[0]) if lines else None
        points = None
        for later in cells[i + 1:]:
            meta = later.get("metadata", {}).get("nbgrader", {})
            if later["cell_type"] == "markdown" and ":::{exercise}" in "".join(later["source"]):
                break
            if meta.get("grade"):
                points = meta.get("points")
                break
        found.append(dict(title=title.group(1).strip() if title else None,
                          label=label.group(1) if label else None,
                          level=difficulty.group(1) if difficulty else None,
                          minutes=int(difficulty.group(2)) if difficulty else None,
                          points=points))
    return found


def _row(*cells) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell if isinstance(cell, nodes.Node) else nodes.paragraph(text=str(cell))
        row += entry
    return row


class ExerciseList(SphinxDirective):
    """A table of every exercise of the page's language's chapters: chapter, exercise (a
    link), level, estimated time, points; one total line per chapter."""

    def run(self):
        manifest = _manifest()
        lang = self.config.language or manifest["source_language"]
        head = tuple(_words("exercise_table", lang).split("|"))
        table, group = nodes.table(classes=["exercise-list"]), nodes.tgroup(cols=len(head))
        table += group
        for width in (3, 5, 2, 2, 1):
            group += nodes.colspec(colwidth=width)
        thead, tbody = nodes.thead(), nodes.tbody()
        thead += _row(*head)
        group += thead
        group += tbody
        for name in manifest["chapters"]:
            path = ROOT / "chapters" / lang / f"{name}.ipynb"
            if not path.exists():
                continue
            self.env.note_dependency(str(path))
            chapter = _notebook_title(path)
            exercises = exercises_of(path)
            for ex in exercises:
                if ex["label"] is None or ex["level"] is None:
                    LOGGER.warning(f"{path.name}: exercise {ex['title']!r} has no label or no "
                                   f"level line", location=self.get_location())
                    continue
                link = nodes.paragraph()
                # "Exercise 3" as the chapter numbers it (sphinx-exercise's numbering),
                # followed by the exercise's title where it has one.
                text = _words("exercise", lang) + " {number}" + (f": {ex['title']}" if ex["title"] else "")
                ref = addnodes.pending_xref("", refdomain="std", reftype="numref",
                                            reftarget=ex["label"], refexplicit=True,
                                            refdoc=self.env.docname)
                ref += nodes.inline(text=text)
                link += ref
                tbody += _row(chapter, link, ex["level"], _words("minutes", lang).format(n=ex["minutes"]),
                              ex["points"] if ex["points"] is not None else "–")
            minutes = sum(ex["minutes"] or 0 for ex in exercises)
            total = nodes.paragraph()
            total += nodes.emphasis(text=_words("n_exercises", lang).format(n=len(exercises)))
            tbody += _row(chapter, total, "", _words("minutes", lang).format(n=minutes),
                          sum(ex["points"] or 0 for ex in exercises))
        return [table]


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


# sphinx-exercise's words in a language whose catalog it lacks (Persian) or where its catalog
# departs from the book's words (Korean: 연습 / 해답 against 연습 문제 / 풀이). Its titles are
# "<Exercise> 3 (title)" and "<Solution to> <Exercise> 3", so its Spanish, Italian and French
# ("Solución a Ejercicio 3", "Soluzione a Esercizio 3", "Solution de Exercice 3") lack the
# article; a colon reads right with the capitalised word that follows.
SPHINX_EXERCISE_WORDS = {"es": {"Solution to": "Solución:"}, "it": {"Solution to": "Soluzione:"},
                         "fr": {"Solution to": "Solution\u00a0:"},
                         "fa": {"Solution to": "راه‌حل"}, "ko": {"Solution to": "풀이:"}}


class _Words:
    """A message catalog from a dict, before the catalog it replaces (its fallback)."""

    def __init__(self, words: dict, fallback=None) -> None:
        self.words, self.fallback = words, fallback

    def gettext(self, message: str) -> str:
        if message in self.words:
            return self.words[message]
        return self.fallback.gettext(message) if self.fallback is not None else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self.fallback is not None:
            return self.fallback.ngettext(singular, plural, n)
        return singular if n == 1 else plural

    def add_fallback(self, fallback) -> None:  # sphinx.locale.init merges catalogs this way
        if self.fallback is None:
            self.fallback = fallback
        else:
            self.fallback.add_fallback(fallback)


def _exercise_words(app, config) -> None:
    """Put the book's words before sphinx-exercise's catalog (config-inited, before its
    numfig format "<Exercise> %s" is made)."""
    from sphinx import locale

    lang = config.language
    if lang not in SPHINX_EXERCISE_WORDS:
        return
    words = {"Exercise": _words("exercise", lang), "Solution": _words("solution", lang),
             **SPHINX_EXERCISE_WORDS[lang]}
    key = ("general", "exercise")
    before = locale.translators.get(key)
    if isinstance(before, _Words):  # a second build in the same process
        before = before.fallback
    locale.translators[key] = _Words(words, before)


def setup(app):
    app.add_directive("exercise-list", ExerciseList)
    app.add_role("chapter-runtime", chapter_runtime_role)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("env-updated", _record_runtimes)
    app.connect("config-inited", _on_config_inited)
    app.connect("config-inited", _exercise_words, priority=100)  # before sphinx-exercise's (500)
    app.connect("html-page-context", _on_page_context)
    app.connect("build-finished", _on_build_finished)
    app.add_css_file("course_pages.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
