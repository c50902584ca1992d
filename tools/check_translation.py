"""Check a translated page against its English page, structurally (not its language).

    python tools/check_translation.py chapters/es/01_sparse_coding.ipynb [...]

For a notebook: the same cells in the same order (type and id), code cells identical
(outputs too: a translation carries the English outputs), and in each markdown cell the
same MyST apparatus as the English cell:
- roles with their targets ({ref}`x`, {numref}, {eq}, {cite}, {glue:text}`name:fmt`, {doc}),
  the link text of {ref}`text <target>` may be translated, the target not;
- directive fences (```{name}) and their :label: / :name: / :class: / :filter: options;
- labels ``(name)=``;
- maths: every $...$ and $$...$$ segment identical, except words inside \\text{...};
- URLs of links.
For a Markdown page: the same checks over the whole text, front matter aside.
Prints one line per problem and exits 1 if there is any.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from translations import LANG_LINE  # noqa: E402  (the one line of code a translation may change)

ROOT = Path(__file__).resolve().parent.parent
ROLE = re.compile(r"\{([a-z:-]+)\}`([^`]*)`")
FENCE = re.compile(r"^(`{3,}|:{3,})\{([a-z:-]+)\}(.*)$", re.M)
OPTION = re.compile(r"^:(label|name|class|filter|nonumber|number):\s*(.*)$", re.M)
LABEL = re.compile(r"^\(([^)\s]+)\)=\s*$", re.M)
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$(?!\$)", re.S)
TEXT = re.compile(r"\\(?:text|mathrm|textrm|mbox)\{[^{}]*\}")
URL = re.compile(r"\]\((https?://[^)\s]+|[^)\s]+\.(?:md|ipynb|html)[^)\s]*)\)")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def role_targets(text: str) -> Counter:
    found = Counter()
    for name, body in ROLE.findall(text):
        target = body
        if name in ("ref", "numref", "doc", "eq") and "<" in body and body.endswith(">"):
            target = body[body.rindex("<") + 1:-1]
        found[(name, target.strip())] += 1
    return found


def maths(text: str) -> list[str]:
    display = DISPLAY.findall(text)
    rest = DISPLAY.sub(" ", text)
    rest = re.sub(r"`[^`]*`", " ", rest)  # inline code may hold a $
    return [TEXT.sub(r"\\text{}", m.strip()) for m in display + INLINE.findall(rest)]


def apparatus(text: str) -> dict:
    return {
        "roles": role_targets(text),
        "directives": Counter(name for _, name, _ in FENCE.findall(text)),
        "options": Counter(OPTION.findall(text)) - Counter({("class", ""): 0}),
        "labels": Counter(LABEL.findall(text)),
        "maths": Counter(maths(text)),
        "links": Counter(URL.findall(text)),
    }


def compare(where: str, english: str, translated: str) -> list[str]:
    a, b = apparatus(english), apparatus(translated)
    problems = []
    for key in a:
        missing, extra = a[key] - b[key], b[key] - a[key]
        if missing:
            problems.append(f"{where}: {key} missing: {sorted(missing.elements())[:6]}")
        if extra:
            problems.append(f"{where}: {key} not in English: {sorted(extra.elements())[:6]}")
    return problems


def check_notebook(path: Path, english: Path) -> list[str]:
    en, tr = nbformat.read(english, as_version=4), nbformat.read(path, as_version=4)
    if len(en.cells) != len(tr.cells):
        return [f"{path}: {len(tr.cells)} cells, English has {len(en.cells)}"]
    problems = []
    for i, (a, b) in enumerate(zip(en.cells, tr.cells)):
        where = f"{path.name} cell {i}"
        if a.cell_type != b.cell_type or a.get("id") != b.get("id"):
            problems.append(f"{where}: type/id {b.cell_type}/{b.get('id')} != {a.cell_type}/{a.get('id')}")
            continue
        if a.cell_type == "code":
            if LANG_LINE.sub("", a.source) != LANG_LINE.sub("", b.source):
                problems.append(f"{where}: code differs from English (run `python tools/book.py sync-code`)")
            if a.get("outputs") != b.get("outputs"):
                problems.append(f"{where}: outputs differ from English")
            if a.metadata != b.metadata:
                problems.append(f"{where}: metadata differs from English")
        elif a.cell_type == "markdown":
            if a.source.strip() and a.source == b.source:
                problems.append(f"{where}: markdown identical to English (untranslated?)")
            problems += compare(where, a.source, b.source)
    return problems


def check(path: Path) -> list[str]:
    lang = path.parent.name
    english = ROOT / "chapters" / "en" / path.name
    if not english.exists():
        return [f"{path}: no English page {english}"]
    if path.suffix == ".ipynb":
        return check_notebook(path, english)
    en = FRONT_MATTER.sub("", english.read_text(encoding="utf-8"))
    tr = FRONT_MATTER.sub("", path.read_text(encoding="utf-8"))
    return compare(f"{lang}/{path.name}", en, tr)


def main(argv: list[str]) -> int:
    problems = [p for arg in argv for p in check(Path(arg).resolve())]
    print("\n".join(problems) if problems else f"{len(argv)} page(s): structure matches English")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
