"""Sphinx extension: a repository file named in the prose is a link to that file.

The chapters name their evidence as inline code: ``benchmarks/drsae_ablation.py``,
``checkpoints/drsae-ablation.json``. In a notebook (Jupyter, Colab) that stays code; on
the site, an inline literal whose whole text is the path of a file or folder of the
repository (relative to its root, with at least one ``/``) becomes a link to it on the
repository's host, ``<repository_url>/blob/<branch>/<path>`` (``tree`` for a folder).
Nothing is marked up by hand, so a translation gets the links with its words, and a
renamed file stops being a link instead of becoming a broken one. Text that is not an
existing path (``students/<language>/NN_topic.ipynb``, ``z.shape``) is left alone.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

ROOT = Path(__file__).resolve().parent.parent
# A relative path of plain parts: no spaces, no placeholders, no parent steps.
PATH = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*/?$")


def repository_path(text: str, root: Path = ROOT) -> str | None:
    """``text`` as a repository path (``"dir/"`` for a folder) if it names one, else None."""
    text = text.strip()
    if "/" not in text or not PATH.match(text) or ".." in text.split("/"):
        return None
    target = root / text
    if target.is_file() and not text.endswith("/"):
        return text
    if target.is_dir():
        return text.rstrip("/") + "/"
    return None


def repository_url(config) -> tuple[str, str]:
    options = config.html_theme_options
    return options["repository_url"].rstrip("/"), options.get("repository_branch") or "main"


def link_repository_files(doctree: nodes.Node, url: str, branch: str, root: Path = ROOT) -> int:
    """Wrap each inline literal naming a repository path in a link; return how many."""
    linked = 0
    for literal in list(doctree.findall(nodes.literal)):
        if any(isinstance(a, (nodes.reference, nodes.literal_block)) for a in _ancestors(literal)):
            continue
        path = repository_path(literal.astext(), root)
        if path is None:
            continue
        kind = "tree" if path.endswith("/") else "blob"
        reference = nodes.reference("", "", internal=False,
                                    refuri=f"{url}/{kind}/{branch}/{path.rstrip('/')}",
                                    classes=["repository-file"])
        literal.replace_self(reference)
        reference += literal
        linked += 1
    return linked


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


class RepositoryFileLinks(SphinxPostTransform):
    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs):
        url, branch = repository_url(self.config)
        link_repository_files(self.document, url, branch)


def setup(app):
    app.add_post_transform(RepositoryFileLinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
