"""Checks of the book's sources: manifest, tables of contents, configuration, notebooks.

The built site is checked in tests/browser/; here only the sources, plus one check that
`sparselib` installs from pyproject.toml alone into a clean venv (the Colab path).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import book  # noqa: E402
import book_manifest  # noqa: E402
import chapter_cells  # noqa: E402
import translations  # noqa: E402

MANIFEST = book_manifest.load_manifest()
CONFIG = book_manifest.load_config()
SOURCE = MANIFEST["source_language"]
NOTEBOOKS = sorted(ROOT.glob("chapters/*/*.ipynb")) + sorted(ROOT.glob("students/*/*.ipynb"))
CHAPTERS_EN = book_manifest.chapter_notebooks(SOURCE)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --------------------------------------------------------------------------- manifest
def test_manifest_lists_the_six_languages():
    codes = [lang["code"] for lang in MANIFEST["languages"]]
    assert codes == ["en", "es", "it", "fr", "fa", "ko"]
    assert SOURCE == "en"
    directions = {lang["code"]: lang.get("dir", "ltr") for lang in MANIFEST["languages"]}
    assert directions["fa"] == "rtl"
    assert all(d == "ltr" for code, d in directions.items() if code != "fa")


def test_every_manifest_page_exists_in_the_source_language():
    missing = [n for n in book_manifest.page_names(MANIFEST) if book_manifest.page_file(SOURCE, n) is None]
    assert missing == [], f"listed in book/manifest.yml but missing from chapters/{SOURCE}/"


def test_every_page_file_is_in_the_manifest():
    known = set(book_manifest.page_names(MANIFEST))
    codes = {lang["code"] for lang in MANIFEST["languages"]}
    for folder in sorted((ROOT / "chapters").iterdir()):
        assert folder.name in codes, f"chapters/{folder.name}/ is not a language of the manifest"
        for path in folder.iterdir():
            if path.suffix in (".md", ".ipynb"):
                assert path.stem in known, f"{rel(path)} is not listed in book/manifest.yml"


def test_toc_is_generated_from_the_manifest():
    text = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert text == book_manifest.render_toc(SOURCE), (
        "_toc.yml and book/manifest.yml disagree: run `python tools/book.py toc`.")
    toc = yaml.safe_load(text)
    files = [toc["root"], *[entry["file"] for entry in toc["chapters"]]]
    assert files == [f"chapters/{SOURCE}/{name}" for name in book_manifest.page_names(MANIFEST)]


def test_toc_of_a_language_without_pages_is_refused():
    with pytest.raises(ValueError, match="has no root page"):
        book_manifest.toc_for("xx")


# --------------------------------------------------------------------------- configuration
def test_repository_is_written_once_in_config():
    repo = CONFIG["repository"]
    assert repo["url"] == "https://github.com/sparse-autoencoders/sparse-autoencoders-course"
    assert repo["branch"] == "main"
    assert CONFIG["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    # Nothing else in the build or deploy files repeats it.
    others = [ROOT / "Makefile", *(ROOT / ".github" / "workflows").glob("*.yml"),
              *(ROOT / "tools").glob("*.py")]
    for path in others:
        assert repo["url"] not in path.read_text(encoding="utf-8"), rel(path)


def test_config_builds_offline():
    sphinx = CONFIG["sphinx"]["config"]
    assert "://" not in sphinx["mathjax_path"]
    assert all("://" not in key for key in sphinx["nb_ipywidgets_js"])
    assert all("://" not in str(v) for attrs in sphinx["nb_ipywidgets_js"].values() for v in attrs.values())
    assert sphinx["intersphinx_mapping"] == {}
    # A folder named _static makes JB1 add every js/css file under it to every page.
    assert not (ROOT / "_static").exists()
    assert all(Path(p).name != "_static" for p in sphinx["html_static_path"])
    assert ["html", "text/html", 5] in sphinx["nb_mime_priority_overrides"]
    assert sphinx["html_context"]["default_mode"] in ("light", "dark", "auto")


def test_execution_cache_lives_outside_build():
    execute = CONFIG["execute"]
    assert execute["execute_notebooks"] == "cache"
    assert execute["allow_errors"] is False
    assert not Path(execute["cache"]).parts[0].startswith("_build")


def test_assets_are_pinned():
    import json

    package = json.loads((ROOT / "tools" / "assets" / "package.json").read_text())
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
    lock = json.loads((ROOT / "tools" / "assets" / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == package["dependencies"]


# --------------------------------------------------------------------------- notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_first_code_cell_is_the_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    cell = chapter_cells.first_code_cell(nb)
    assert cell is not None and cell.source == chapter_cells.setup_cell_source(path.parent.name), (
        f"{rel(path)}: the setup cell differs from the one derived from _config.yml; "
        "run `python tools/book.py setup-cells`.")


def test_setup_cell_installs_from_the_configured_repository():
    source = chapter_cells.setup_cell_source()
    repo = CONFIG["repository"]
    assert f'git+{repo["url"]}@{repo["branch"]}"' in source
    assert source.splitlines()[1:3] == ["try:", "    import sparselib"]
    assert "%pip install" in source


@pytest.mark.parametrize("path", sorted(ROOT.glob("chapters/*/*.ipynb")), ids=rel)
def test_notebooks_are_stored_without_outputs(path):
    """Only the expected text of cells that nbval checks is stored."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if chapter_cells.CHECK_TAG not in cell.metadata.get("tags", []):
            assert cell.outputs == [], f"{rel(path)} cell {index}: outputs stored"
            assert cell.execution_count is None, f"{rel(path)} cell {index}: execution count stored"
        else:
            assert all(chapter_cells.kept_output(o) for o in cell.outputs), f"{rel(path)} cell {index}"
            assert cell.outputs, f"{rel(path)} cell {index}: tagged {chapter_cells.CHECK_TAG} but no expected output"


@pytest.mark.parametrize("path", CHAPTERS_EN, ids=rel)
def test_chapter_cells_are_short_and_figures_captioned(path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "nbgrader" in cell.metadata:
            continue
        assert len(cell.source.splitlines()) <= 20, f"{rel(path)} cell {index} is long: move code to sparselib"
        if "plt.show()" in cell.source:
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert alt.strip(), f"{rel(path)} cell {index}: figure without alt text (metadata mystnb.image.alt)"
            following = nb.cells[index + 1] if index + 1 < len(nb.cells) else None
            assert following is not None and following.cell_type == "markdown", (
                f"{rel(path)} cell {index}: a figure is followed by its caption in markdown")


@pytest.mark.parametrize("path", CHAPTERS_EN, ids=rel)
def test_chapter_citations_exist(path):
    keys = set(re.findall(r"@\w+\{([^,]+),", (ROOT / "references.bib").read_text(encoding="utf-8")))
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    cited = {k.strip() for group in re.findall(r"\{cite[tp]?\}`([^`]+)`", text) for k in group.split(",")}
    assert cited, f"{rel(path)} cites nothing"
    assert cited <= keys, f"unknown keys: {cited - keys}"


def test_translations_take_english_outputs():
    english = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Hello"),
        nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="1\n")]),
    ])
    english.metadata["widgets"] = {"state": 1}
    translated = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Hola"), nbformat.v4.new_code_cell("print(1)")])
    merged = book.merge_outputs(translated, english)
    assert merged.cells[0].source == "Hola"
    assert merged.cells[1].outputs[0]["text"] == "1\n"
    assert merged.metadata["widgets"] == {"state": 1}
    translated.cells.append(nbformat.v4.new_code_cell("print(2)"))
    with pytest.raises(ValueError, match="markdown cells only"):
        book.merge_outputs(translated, english)


def test_translated_notebooks_change_markdown_only():
    """Code cells are shared by all languages (apart from one `LANG = "xx"` line), so a code
    fix made in English, and outputs re-stored in English, reach every language."""
    problems = [(page, p) for page, p in translations.translation_report(MANIFEST) if "code" in p]
    assert not problems, problems


def _write_nb(path, cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        for kind, src in cells])
    nbformat.write(nb, path)


def test_stale_translations_are_reported_stamped_and_marked(tmp_path, monkeypatch):
    monkeypatch.setattr(book_manifest, "ROOT", tmp_path)
    manifest = {"source_language": "en", "root": "intro", "pages": [], "chapters": ["01_x"],
                "languages": [{"code": "en"}, {"code": "fa", "dir": "rtl"}]}
    en_nb, fa_nb = tmp_path / "chapters/en/01_x.ipynb", tmp_path / "chapters/fa/01_x.ipynb"
    _write_nb(en_nb, [("md", "# Title"), ("md", "Some text."), ("code", 'LANG = "en"\nx = 1')])
    _write_nb(fa_nb, [("md", "# عنوان"), ("md", "متن."), ("code", 'LANG = "fa"\nx = 1')])
    (tmp_path / "chapters/en/intro.md").write_text("# Intro\n\nHello.\n", encoding="utf-8")
    fa_md = tmp_path / "chapters/fa/intro.md"
    fa_md.write_text("# مقدمه\n\nسلام.\n", encoding="utf-8")

    # never stamped: both pages are reported; the LANG line is not a code difference
    report = translations.translation_report(manifest)
    assert sorted(page for page, _ in report) == ["chapters/fa/01_x.ipynb", "chapters/fa/intro.md"]
    assert all("no record" in problem for _, problem in report)
    translations.stamp(fa_nb)
    translations.stamp(fa_md)
    assert translations.translation_report(manifest) == []
    assert fa_md.read_text(encoding="utf-8").endswith("# مقدمه\n\nسلام.\n")  # front matter added, text kept

    # a code-only change in English does not make the prose stale ...
    _write_nb(en_nb, [("md", "# Title"), ("md", "Some text."), ("code", 'LANG = "en"\nx = 2')])
    assert not translations.is_stale(fa_nb)
    # ... but the translation's code must follow it
    assert translations.code_differences(fa_nb) == ["code cell 1 differs from English"]
    _write_nb(en_nb, [("md", "# Title"), ("md", "Some new text."), ("code", 'LANG = "en"\nx = 1')])
    assert translations.is_stale(fa_nb) and translations.code_differences(fa_nb) == []
    assert [p for _, p in translations.translation_report(manifest)] == [
        "stale: the English page changed since it was translated"]

    # the built page carries the note in its own language, after the title
    from student_links import WORDS  # the page words, where the note's text lives

    marked = translations.with_stale_note(nbformat.read(fa_nb, as_version=4), "fa")
    assert marked.cells[0].source == "# عنوان"
    assert WORDS["stale_translation"]["fa"] in marked.cells[1].source and "{warning}" in marked.cells[1].source
    text = translations.text_with_stale_note("# مقدمه\n\nسلام.\n", "ko")
    assert text.startswith("# مقدمه\n") and WORDS["stale_translation"]["ko"] in text


def test_workflow_deploys_the_built_book():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(s.get("run") == "make book" for s in steps)
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"


def test_licences_are_named_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "MIT" in (ROOT / "LICENSE").read_text() and "LICENSE" in readme
    assert "CC BY 4.0" in (ROOT / "LICENSE-TEXT").read_text() and "LICENSE-TEXT" in readme


# --------------------------------------------------------------------------- clean install
def _pins(*names: str) -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pins = [line.split("#")[0].strip() for line in lines]
    return [p for p in pins if p.split("==")[0].lower() in names]


@pytest.mark.slow
def test_pyproject_installs_into_a_clean_venv(tmp_path):
    """The Colab path: `pip install` from pyproject.toml alone brings every dependency.

    torch and torchvision are taken at the versions pinned in requirements.txt (they lie
    on this machine's disk); everything else comes from pyproject.toml's own list.
    """
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    pins = _pins("torch", "torchvision")
    assert len(pins) == 2, "requirements.txt pins torch and torchvision"
    install = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*install, *pins], check=True, env=env, timeout=1200)
    # Install from a copy holding only what the package needs, so the check proves
    # pyproject.toml is enough and leaves no build files in the working tree.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    for folder in ("sparselib", "checkpoints"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    subprocess.run([*install, str(source)], check=True, env=env, timeout=1200, cwd=tmp_path)
    code = ("import importlib, pkgutil, sparselib\n"
            "names = [m.name for m in pkgutil.walk_packages(sparselib.__path__, 'sparselib.')]\n"
            "[importlib.import_module(n) for n in names if not n.endswith('__main__')]\n"
            "from sparselib import recipes\n"
            "model = recipes.load(recipes.checkpoint('drsae-digits.pt'))\n"
            "assert 'site-packages' in str(recipes.checkpoint('drsae-digits.pt'))\n"
            "print(len(names), sparselib.__file__)")
    out = subprocess.run([python, "-c", code], check=True, env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=600).stdout
    assert str(env_dir) in out, f"sparselib was not imported from the clean venv: {out}"
