"""tools/repo_links.py: an inline literal naming a repository file becomes a link to it,
and nothing else does."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docutils import nodes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import repo_links  # noqa: E402

URL, BRANCH = "https://github.com/owner/name", "main"


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "bench.py").write_text("x = 1\n")
    (tmp_path / "README.md").write_text("#\n")
    return tmp_path


@pytest.mark.parametrize("text,expected", [
    ("benchmarks/bench.py", "benchmarks/bench.py"),
    (" benchmarks/bench.py ", "benchmarks/bench.py"),
    ("benchmarks", None),                  # no "/": a word, not a path
    ("benchmarks/", "benchmarks/"),        # a folder
    ("benchmarks/missing.py", None),       # not in the repository
    ("README.md", None),                   # no "/": could be any file's name
    ("students/<language>/NN.ipynb", None),
    ("benchmarks/../README.md", None),
    ("benchmarks/bench.py/", None),        # a file written as a folder
    ("z.shape", None),
])
def test_repository_path(tree, text, expected):
    assert repo_links.repository_path(text, tree) == expected


def _paragraph(*children) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    for child in children:
        paragraph += child
    return paragraph


def test_literals_naming_files_become_links_and_others_stay(tree):
    doc = nodes.section()
    doc += _paragraph(nodes.Text("See "), nodes.literal("", "benchmarks/bench.py"),
                      nodes.Text(" and "), nodes.literal("", "benchmarks/"),
                      nodes.Text(" but not "), nodes.literal("", "benchmarks/other.py"))
    already = nodes.reference("", "", refuri="https://example.org")
    already += nodes.literal("", "benchmarks/bench.py")
    doc += _paragraph(already)
    doc += nodes.literal_block("", "benchmarks/bench.py")

    assert repo_links.link_repository_files(doc, URL, BRANCH, tree) == 2
    links = [r for r in doc.findall(nodes.reference) if "repository-file" in r["classes"]]
    assert [r["refuri"] for r in links] == [f"{URL}/blob/main/benchmarks/bench.py",
                                           f"{URL}/tree/main/benchmarks"]
    # the link holds the literal itself (still shown as code), in the same place
    assert [r.children[0].astext() for r in links] == ["benchmarks/bench.py", "benchmarks/"]
    assert doc[0].astext() == ("See benchmarks/bench.py and benchmarks/ but not "
                              "benchmarks/other.py")
    assert already["refuri"] == "https://example.org"     # an existing link is not nested


def test_the_chapters_evidence_files_are_linked():
    """Every file the English chapters name as their evidence exists, so each becomes a link."""
    named = ["benchmarks/drsae_ablation.py", "checkpoints/drsae-ablation.json",
             "benchmarks/locally_connected_pinwheels.py", "benchmarks/stacked_conv_digits.py",
             "checkpoints/lateral-benchmark.json"]
    for text in named:
        assert repo_links.repository_path(text) == text
