"""Sphinx extension: students get the student notebook, and exercises show the stub.

- **Header buttons.** On every chapter page the theme's Colab button and ``.ipynb``
  download button point at the chapter notebook (solutions, hidden tests). They are
  rewritten to the student notebook of the page's language, ``students/<lang>/<name>.ipynb``
  (made by tools/students.py, committed). Where that language has none, the source
  language's student notebook is used (a student version, in English); where there is
  none at all and the chapter has exercises, both buttons are removed and the build warns
  (never a link to the answer key). A chapter without exercises has no student notebook
  and nothing to hide: its buttons are left as the theme makes them.
  The linked notebooks (student and full) are copied into the HTML output at the same
  paths as in the repository, so the downloads work from the static site offline.
- **Instructors.** A ``course-notebooks`` directive: per chapter, the student notebook and
  the full notebook (marked as holding the solutions), each on Colab and as a download.
- **Exercises.** A code exercise on the page shows the stub the student notebook has
  (tools/students.py's own nbgrader preprocessors, run on the cell), then its check cell
  with what the check does (the cases it runs; it names what to fix) instead of the
  executed "all passed" output; the full function and that output sit in a collapsed
  ``<details class="solution">`` labelled "Solution". sphinx-exercise's maths solutions
  (``:class: dropdown``) become the same kind of block.
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOGGER = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "book" / "manifest.yml"
STATIC = Path(__file__).resolve().parent / "static"
SOLUTION_MARKER_LINE = re.compile(r"^[ \t]*### (?:BEGIN|END) SOLUTION[ \t]*\n?", re.M)
# One case line of a check's output: "  ✓ <label>: passed" (any language's word for passed).
CASE_LINE = re.compile(r"^\s+[✓✗] (?P<label>.+?): [^:]+$")

# The few words the pages add, in the book's languages (English where one is missing).
WORDS = {
    "solution": {"en": "Solution", "es": "Solución", "it": "Soluzione", "fr": "Solution",
                 "fa": "راه‌حل", "ko": "풀이"},
    "check_does": {
        "en": "What this check does: it runs your function and sparselib's reference on "
              "{n} cases and prints, case by case, whether they agree and, where they do "
              "not, what to fix. Until your function is written it says how to start.",
        "es": "Qué hace esta comprobación: ejecuta tu función y la referencia de sparselib "
              "en {n} casos e indica, caso por caso, si coinciden y, si no, qué corregir. "
              "Mientras tu función no esté escrita, explica cómo empezar.",
        "it": "Che cosa fa questa verifica: esegue la tua funzione e il riferimento di "
              "sparselib su {n} casi e dice, caso per caso, se coincidono e, se no, che "
              "cosa correggere. Finché la funzione non è scritta, spiega come cominciare.",
        "fr": "Ce que fait cette vérification : elle exécute votre fonction et la référence "
              "de sparselib sur {n} cas et indique, cas par cas, s'ils concordent et, sinon, "
              "quoi corriger. Tant que la fonction n'est pas écrite, elle dit par où commencer.",
        "fa": "این بررسی چه می‌کند: تابع شما و پیاده‌سازی مرجع sparselib را روی {n} حالت "
              "اجرا می‌کند و برای هر حالت می‌گوید یکسان‌اند یا نه و اگر نه، چه چیزی را "
              "اصلاح کنید. تا وقتی تابع نوشته نشده، می‌گوید از کجا شروع کنید.",
        "ko": "이 검사가 하는 일: 여러분의 함수와 sparselib 기준 구현을 {n}개 사례에서 "
              "실행하고, 사례마다 결과가 같은지, 다르면 무엇을 고칠지 알려 줍니다. 함수를 "
              "작성하기 전에는 어떻게 시작할지 알려 줍니다.",
    },
    "check_output": {"en": "What the check prints with this solution:",
                     "es": "Lo que imprime la comprobación con esta solución:",
                     "it": "Che cosa stampa la verifica con questa soluzione:",
                     "fr": "Ce qu'affiche la vérification avec cette solution :",
                     "fa": "خروجی بررسی با این راه‌حل:",
                     "ko": "이 풀이로 검사를 실행한 결과:"},
    "student_colab": {"en": "Open the student notebook in Colab",
                      "es": "Abrir el cuaderno del estudiante en Colab",
                      "it": "Apri il notebook dello studente in Colab",
                      "fr": "Ouvrir le notebook de l'étudiant dans Colab",
                      "fa": "باز کردن نوت‌بوک دانشجو در Colab",
                      "ko": "Colab에서 학생용 노트북 열기"},
    "student_download": {"en": "Download the student notebook",
                         "es": "Descargar el cuaderno del estudiante",
                         "it": "Scarica il notebook dello studente",
                         "fr": "Télécharger le notebook de l'étudiant",
                         "fa": "بارگیری نوت‌بوک دانشجو",
                         "ko": "학생용 노트북 내려받기"},
    # the exercises' own words (the chapters write them; tools/course_pages.py reads them)
    "exercise": {"en": "Exercise", "es": "Ejercicio", "it": "Esercizio", "fr": "Exercice", "fa": "تمرین",
                 "ko": "연습 문제"},
    "levels": {"en": "Warm-up|Core|Stretch", "es": "Calentamiento|Esencial|Ampliación",
               "it": "Riscaldamento|Fondamentale|Approfondimento",
               "fr": "Échauffement|Essentiel|Approfondissement", "fa": "مقدماتی|اصلی|چالشی",
               "ko": "기초|핵심|심화"},
    "about": {"en": "about", "es": "unos", "it": "circa", "fr": "environ", "fa": "حدود", "ko": "약"},
    # an exercise's time, {n} minutes (the others write "{n} min"; Korean attaches the unit)
    "minutes": {"en": "{n} min", "es": "{n} min", "it": "{n} min", "fr": "{n} min", "fa": "{n} دقیقه",
                "ko": "{n}분"},
    # the instructors' table of exercises
    "exercise_table": {"en": "Chapter|Exercise|Level|Time|Points", "es": "Capítulo|Ejercicio|Nivel|Tiempo|Puntos",
                       "it": "Capitolo|Esercizio|Livello|Tempo|Punti",
                       "fr": "Chapitre|Exercice|Niveau|Durée|Points",
                       "fa": "فصل|تمرین|سطح|زمان|امتیاز",
                       "ko": "장|연습 문제|수준|시간|배점"},
    "n_exercises": {"en": "{n} exercises", "es": "{n} ejercicios", "it": "{n} esercizi", "fr": "{n} exercices", "fa": "{n} تمرین",
                    "ko": "연습 문제 {n}개"},
    # myst-nb's prompts of a hidden code cell ({type}: source, outputs or content, in English)
    "code_show": {"en": "Show code cell {type}", "es": "Mostrar la celda de código",
                  "it": "Mostra la cella di codice",
                  "fr": "Afficher la cellule de code", "fa": "نمایش سلول کد", "ko": "코드 셀 보기"},
    "code_hide": {"en": "Hide code cell {type}", "es": "Ocultar la celda de código",
                  "it": "Nascondi la cella di codice",
                  "fr": "Masquer la cellule de code", "fa": "پنهان کردن سلول کد", "ko": "코드 셀 숨기기"},
    "notebook_table": {"en": "Chapter|Student notebook|Full notebook, with the solutions and hidden tests",
                       "es": "Capítulo|Cuaderno del estudiante|Cuaderno completo, con las soluciones y las pruebas ocultas",
                       "it": "Capitolo|Notebook dello studente|Notebook completo, con le soluzioni e i test nascosti",
                       "fr": "Chapitre|Notebook de l'étudiant|Notebook complet, avec les solutions et les tests cachés",
                       "fa": "فصل|نوت‌بوک دانشجو|نوت‌بوک کامل، با راه‌حل‌ها و آزمون‌های پنهان",
                       "ko": "장|학생용 노트북|풀이와 숨겨진 테스트가 들어 있는 전체 노트북"},
    # the search field (pydata-sphinx-theme's search_bar_text; the English book keeps Jupyter Book's)
    "search_bar": {"en": "Search this book...", "es": "Buscar en este libro…", "it": "Cerca nel libro…", "fr": "Rechercher dans ce livre…",
                   "fa": "جست‌وجو در این کتاب…", "ko": "이 책에서 검색…"},
    # Sphinx's search messages that its own catalog leaves empty in a language (filled in by
    # tools/book.py's search_messages; Sphinx 7.4's Italian and Persian lack this one)
    "search_finished": {"en": "Search finished, found ${resultCount} page(s) matching the search query.",
                        "es": "Búsqueda terminada: páginas que coinciden con la búsqueda: ${resultCount}.",
                        "it": "Ricerca completata: pagine corrispondenti alla ricerca: ${resultCount}.",
                        "fr": "Recherche terminée : pages correspondant à la recherche : ${resultCount}.",
                        "fa": "جست‌وجو پایان یافت: ${resultCount} صفحه با عبارت جست‌وجو مطابقت دارد.",
                        "ko": "검색이 끝났습니다. 검색어와 일치하는 페이지 ${resultCount}개를 찾았습니다."},
    "languages": {"en": "Languages", "es": "Idiomas", "it": "Lingue", "fr": "Langues",
                  "fa": "زبان‌ها", "ko": "언어"},
    # the note on a translated page whose English original has changed (tools/translations.py)
    "stale_translation": {
        "en": "The English version of this page has changed since this translation was made; "
              "some passages may be out of date.",
        "es": "La versión en inglés de esta página ha cambiado desde que se hizo esta traducción; "
              "algunos pasajes pueden estar desactualizados.",
        "it": "La versione inglese di questa pagina è cambiata dopo questa traduzione; "
              "alcuni passaggi potrebbero non essere aggiornati.",
        "fr": "La version anglaise de cette page a changé depuis cette traduction ; "
              "certains passages peuvent ne plus être à jour.",
        "fa": "نسخهٔ انگلیسی این صفحه پس از این ترجمه تغییر کرده است؛ ممکن است بخش‌هایی از آن به‌روز نباشد.",
        "ko": "이 페이지의 영어 원문이 번역 이후 바뀌었습니다. 일부 내용이 최신이 아닐 수 있습니다.",
    },
}


def word(key: str, lang: str) -> str:
    table = WORDS[key]
    return table.get(lang, table["en"])


def _manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def _tools_module(name: str):
    tools = str(ROOT / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    return __import__(name)


# ------------------------------------------------------------------ which notebook
def has_exercises(path: Path) -> bool:
    return "### BEGIN SOLUTION" in path.read_text(encoding="utf-8")


def student_notebook_for(lang: str, name: str, root: Path = ROOT,
                         source_language: str | None = None) -> str | None:
    """The repository path of the notebook a student gets from a chapter page, or None when
    the page must offer no notebook at all.

    The student notebook of the page's language; else the source language's (a student
    version in another language beats the answer key); else, for a chapter without
    exercises (nothing to hide, no student notebook made), the chapter notebook itself;
    else None.
    """
    source_language = source_language or _manifest()["source_language"]
    for code in dict.fromkeys((lang, source_language)):
        path = root / "students" / code / f"{name}.ipynb"
        if path.exists():
            return path.relative_to(root).as_posix()
    chapter = root / "chapters" / lang / f"{name}.ipynb"
    if chapter.exists() and not has_exercises(chapter):
        return chapter.relative_to(root).as_posix()
    return None


def _repository(config) -> tuple[str, str, str, str]:
    """(owner/name, branch, path of the book in the repository, Colab URL)."""
    options = config.html_theme_options
    url = options["repository_url"].rstrip("/")
    branch = options.get("repository_branch") or "main"
    colab = options.get("launch_buttons", {}).get("colab_url", "https://colab.research.google.com")
    book_path = (options.get("path_to_docs") or "").strip("/")
    return url.split("github.com/", 1)[-1], branch, book_path, colab.rstrip("/")


def colab_url(config, rel: str) -> str:
    github, branch, book_path, colab = _repository(config)
    path = "/".join(p for p in (book_path, rel) if p)
    return f"{colab}/github/{github}/blob/{branch}/{path}"


def _chapter_page(pagename: str) -> tuple[str, str] | None:
    """(lang, name) of a chapter page, else None."""
    parts = pagename.split("/")
    if len(parts) == 3 and parts[0] == "chapters" and parts[2] in _manifest()["chapters"]:
        return parts[1], parts[2]
    return None


def _on_page_context(app, pagename, templatename, context, doctree):
    chapter = _chapter_page(pagename)
    if chapter is None or "header_buttons" not in context:
        return
    lang, name = chapter
    if not (ROOT / "chapters" / lang / f"{name}.ipynb").exists():
        return
    target = student_notebook_for(lang, name)
    if target is None:
        LOGGER.warning(f"{pagename}: no student notebook for this chapter (run "
                       f"`python tools/students.py`); its Colab and .ipynb buttons are left out",
                       location=pagename)
    if target is not None and target.startswith("chapters/"):
        return  # no exercises: the theme's links are right
    href = context["pathto"](target, 1) if target else None
    for group in context["header_buttons"]:
        buttons = group.get("buttons")
        if buttons is None:
            continue
        if group.get("label") == "launch-buttons":
            kept = []
            for button in buttons:
                if button.get("text") == "Colab":
                    if target is None:
                        continue
                    button["url"] = colab_url(app.config, target)
                    button["tooltip"] = word("student_colab", lang)
                kept.append(button)
            buttons[:] = kept
        elif group.get("label") == "download-buttons":
            kept = []
            for button in buttons:
                if str(button.get("url", "")).endswith(".ipynb"):
                    if target is None:
                        continue
                    button.update(url=href, text=".ipynb", tooltip=word("student_download", lang))
                kept.append(button)
            buttons[:] = kept
    context["header_buttons"][:] = [g for g in context["header_buttons"]
                                    if g.get("buttons") is None or g["buttons"]]


def served_notebooks(lang: str) -> list[str]:
    """Repository paths of the notebooks a language's site links to: each chapter's
    student notebook (or its fallback) and the full chapter notebook."""
    manifest = _manifest()
    paths = []
    for name in manifest["chapters"]:
        chapter = ROOT / "chapters" / lang / f"{name}.ipynb"
        if not chapter.exists():
            continue
        paths.append(chapter.relative_to(ROOT).as_posix())
        target = student_notebook_for(lang, name, source_language=manifest["source_language"])
        if target is not None:
            paths.append(target)
    return list(dict.fromkeys(paths))


def _on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    lang = app.config.language or _manifest()["source_language"]
    for rel in served_notebooks(lang):
        dst = Path(app.outdir) / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, dst)


# ------------------------------------------------------------------ instructors' table
class CourseNotebooks(SphinxDirective):
    """Per chapter of the page's language: the student notebook and the full notebook
    (solutions and hidden tests), each on Colab and as a download from this site."""

    def run(self):
        manifest = _manifest()
        lang = self.config.language or manifest["source_language"]
        up = "../" * self.env.docname.count("/")
        course_pages = _tools_module("course_pages")
        head = tuple(word("notebook_table", lang).split("|"))
        table, group = nodes.table(classes=["course-notebooks"]), nodes.tgroup(cols=3)
        table += group
        for width in (4, 3, 4):
            group += nodes.colspec(colwidth=width)
        thead, tbody = nodes.thead(), nodes.tbody()
        group += thead
        group += tbody
        thead += _row(*(nodes.paragraph(text=h) for h in head))
        for name in manifest["chapters"]:
            chapter = ROOT / "chapters" / lang / f"{name}.ipynb"
            if not chapter.exists():
                continue
            self.env.note_dependency(str(chapter))
            full = chapter.relative_to(ROOT).as_posix()
            student = student_notebook_for(lang, name, source_language=manifest["source_language"])
            cells = [nodes.paragraph(text=course_pages._notebook_title(chapter)),
                     self._links(student, up, "student") if student and student != full
                     else nodes.paragraph(text="–"),
                     self._links(full, up, "full")]
            tbody += _row(*cells)
        return [table]

    def _links(self, rel: str, up: str, kind: str) -> nodes.paragraph:
        line = nodes.paragraph()
        line += nodes.reference("", "Colab", refuri=colab_url(self.config, rel),
                                classes=[f"{kind}-notebook-colab"])
        line += nodes.Text(" · ")
        line += nodes.reference("", f"{Path(rel).name}", refuri=f"{up}{rel}",
                                classes=[f"{kind}-notebook-download"])
        return line


def _row(*cells) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell
        row += entry
    return row


# ------------------------------------------------------------------ exercises on the page
class solution_details(nodes.General, nodes.Element):
    """A collapsed ``<details class="solution">`` whose ``<summary>`` is ``node["summary"]``."""


def visit_solution_details(self, node):
    classes = " ".join(["solution-block", *node["classes"]])
    ids = f' id="{node["ids"][0]}"' if node["ids"] else ""
    self.body.append(f'<details class="{classes}"{ids}>\n'
                     f'<summary>{self.encode(node["summary"])}</summary>\n')


def depart_solution_details(self, node):
    self.body.append("</details>\n")


def _cell_kind(node) -> str | None:
    """'solution', 'check' or None for a myst-nb code cell container."""
    if not (isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"):
        return None
    meta = (node.get("cell_metadata") or {}).get("nbgrader", {})
    if meta.get("solution") and "### BEGIN SOLUTION" in _cell_source(node):
        return "solution"
    if str(meta.get("grade_id", "")).endswith("-check"):
        return "check"
    return None


def _source_block(cell) -> nodes.literal_block | None:
    for child in cell.children:
        if child.get("nb_element") == "cell_code_source":
            return next(iter(child.findall(nodes.literal_block)), None)
    return None


def _cell_source(cell) -> str:
    block = _source_block(cell)
    return block.astext() if block is not None else ""


def _with_text(block: nodes.literal_block, text: str) -> nodes.literal_block:
    new = block.deepcopy()
    new.children = [nodes.Text(text)]
    new.rawsource = text
    return new


def case_labels(output: str) -> list[str]:
    """The cases a check ran, read from its printed lines (``  ✓ <label>: passed``)."""
    return [m.group("label") for m in map(CASE_LINE.match, output.splitlines()) if m]


def _output_text(cell) -> str:
    return "\n".join(child.astext() for child in cell.children
                     if child.get("nb_element") == "cell_code_output")


def expected_behaviour(labels: list[str], lang: str) -> nodes.container:
    box = nodes.container(classes=["check-expected"])
    box += nodes.paragraph(text=word("check_does", lang).format(n=len(labels) or "a few"))
    if labels:
        items = nodes.bullet_list()
        for label in labels:
            item = nodes.list_item()
            item += nodes.paragraph(text=label)
            items += item
        box += items
    return box


def exercise_to_student(solution, check, lang: str, students) -> solution_details:
    """Rewrite one exercise in place: the solution cell shows the stub, the check cell what
    the check does; returns the collapsed Solution block (full function, check output)."""
    meta = solution.get("cell_metadata") or {}
    block = _source_block(solution)
    full = block.astext()
    stub = students.stub_source(full, meta)
    details = solution_details(summary=word("solution", lang))
    answer = nodes.container(classes=["cell_input", "solution-code"])
    answer += _with_text(block, SOLUTION_MARKER_LINE.sub("", full).rstrip("\n"))
    details += answer
    # The exercise cell now holds the stub, visible (no "Show code cell source" toggle).
    block.parent.replace(block, _with_text(block, stub))
    solution.attributes.pop("hide_mode", None)
    solution["classes"] = [c for c in solution["classes"] if c != "tag_hide-input"] + ["exercise-stub"]
    if check is not None:
        outputs = [c for c in check.children if c.get("nb_element") == "cell_code_output"]
        labels = case_labels(_output_text(check))
        for out in outputs:
            check.remove(out)
        if outputs:
            details += nodes.paragraph(text=word("check_output", lang), classes=["solution-check-label"])
            details.extend(outputs)
        check += expected_behaviour(labels, lang)
    return details


class StudentExercises(SphinxPostTransform):
    """Code exercises show the stub, maths solutions are collapsed <details> (HTML only);
    before myst-nb's HideInputCells (199), after sphinx-exercise's titles (20-22)."""

    default_priority = 150
    formats = ("html",)

    def run(self, **kwargs):
        lang = self.config.language or _manifest()["source_language"]
        students = None
        for solution in list(self.document.findall(
                lambda n: _cell_kind(n) == "solution")):
            students = students or _tools_module("students")
            parent = solution.parent
            index = parent.index(solution)
            check = None
            for later in parent.children[index + 1:]:
                if isinstance(later, nodes.container) and later.get("nb_element") == "cell_code":
                    check = later if _cell_kind(later) == "check" else None
                    break
            details = exercise_to_student(solution, check, lang, students)
            anchor = check if check is not None else solution
            parent.insert(parent.index(anchor) + 1, details)
        self._maths_solutions(lang)

    def _maths_solutions(self, lang: str) -> None:
        from sphinx_exercise.nodes import solution_node
        for node in list(self.document.findall(solution_node)):
            if "dropdown" not in node["classes"]:
                continue
            title = next((c for c in node.children if isinstance(c, nodes.title)), None)
            summary = title.astext().strip() if title is not None else word("solution", lang)
            details = solution_details(summary=summary or word("solution", lang),
                                       classes=["maths-solution"], ids=list(node["ids"]))
            for child in [c for c in node.children if c is not title]:
                node.remove(child)
                details += child
            node.replace_self(details)
            # replace_self copied the admonition's classes: no theme toggle on this one.
            details["classes"] = [c for c in details["classes"] if c != "dropdown"]


def _on_config_inited(app, config):
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app):
    app.add_node(solution_details, html=(visit_solution_details, depart_solution_details))
    app.add_post_transform(StudentExercises)
    app.add_directive("course-notebooks", CourseNotebooks)
    app.connect("config-inited", _on_config_inited)
    # After sphinx-book-theme's header buttons (priority 501).
    app.connect("html-page-context", _on_page_context, priority=900)
    app.connect("build-finished", _on_build_finished)
    app.add_css_file("student_links.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
