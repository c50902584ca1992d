"""The shape of the house: sparselib's modules import downwards only, in no cycle, and never
reach into another module's private names.

Layers, lowest first (a module may import from a lower layer, from a module of its own
subpackage, and a subpackage's module from that subpackage's ``__init__``):

0. ``_validation``, ``texts`` (the explorers' words), ``figures``, ``notebook``: no sparselib
   imports;
1. ``i18n`` (the one table of those words, and the language helpers); ``groups``, ``data``,
   ``checkpoints``: groupings, data, checkpoint files (which know no model: the recipes pass
   in the function that builds one); ``diagrams``: the chapters' diagram pieces (boxes,
   arrows, stacks of maps);
2. ``functional``: the lecture's equations, unchecked (``sae_functional``: chapter 6's); ``analysis``: the measurements made on
   trained models (it reads groupings, e.g. a ``Tree``, and never imports a model); ``train``:
   the training loop (it re-exports the checkpoint functions from their old home);
3. ``penalties``, ``prox``: the checked public forms; ``textbook``: the reference ISTA/FISTA loop;
4. ``proximal_gradient``: the solvers' fast path;
5. ``solvers``: the checked ISTA and FISTA;
6. ``models.*`` and ``viz``;
7. ``exercises.*``, ``recipes``; ``protocols.*``: the experiments behind the chapters'
   evidence (they train models; the benchmarks drive them);
8. ``explorers.*`` (one module per explorer: its compute, its result, its drawing; it takes
   its model and data from the caller and imports none of ``recipes``, ``data`` and
   ``checkpoints``, see tests/test_explorers_layout.py), ``__main__``;
9. ``widgets``, ``explore``: thin re-exports of ``explorers`` from their old homes; the
   package ``sparselib`` itself (layer 10) re-exports from every layer.

A private name is one that starts with ``_`` (not a dunder). ``_validation`` is a private
*module*: its public names are the package's shared checks.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sparselib"

LAYERS = {
    "_validation": 0, "texts": 0, "figures": 0, "notebook": 0, "i18n": 1,
    "groups": 1, "data": 1, "checkpoints": 1, "diagrams": 1,
    "functional": 2, "sae_functional": 2, "analysis": 2, "train": 2,
    "penalties": 3, "prox": 3, "textbook": 3,
    "proximal_gradient": 4,
    "solvers": 5,
    "models": 6, "viz": 6,
    "exercises": 7, "recipes": 7, "protocols": 7,
    "explorers": 8, "__main__": 8,
    "widgets": 9, "explore": 9,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def read_imports(path: Path, name: str | None = None) -> tuple[set[str], list[str]]:
    """The sparselib modules that ``path`` (the module ``name``) imports, anywhere in it, and
    its private reaches: ``from X import _name`` from another module, or ``alias._name`` on an
    imported module."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    deps, private, aliases = set(), [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in modules:  # `from . import prox`: a module
                    deps.add(full)
                    aliases[alias.asname or alias.name] = full
                else:
                    deps.add(target)
                    if alias.name.startswith("_") and not alias.name.startswith("__") and target != name:
                        private.append(f"from {target} import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sparselib"):
            deps.add(node.module)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            private.append(f"{node.value.id}.{node.attr} ({aliases[node.value.id]})")
    return {d for d in deps if d != name}, private


GRAPH = {module_name(p): read_imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    parts = module.split(".")
    return 10 if len(parts) == 1 else LAYERS[parts[1]]


def test_every_module_has_a_layer():
    assert all(m == "sparselib" or m.split(".")[1] in LAYERS for m in GRAPH), sorted(GRAPH)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_downwards(module):
    upward = []
    for dep in GRAPH[module][0]:
        same_subpackage = module.count(".") and module.split(".")[:2] == dep.split(".")[:2]
        if not same_subpackage and layer(dep) >= layer(module):
            upward.append(f"{module} (layer {layer(module)}) -> {dep} (layer {layer(dep)})")
    assert not upward, upward


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_private_name_of_another_module_is_used(module):
    assert not GRAPH[module][1], GRAPH[module][1]


def test_the_import_graph_has_no_cycle():
    edges = {m: deps for m, (deps, _) in GRAPH.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m: str, path: list[str]) -> bool:
        state[m] = 1
        for d in sorted(edges.get(m, ())):
            if state.get(d) == 1:
                cycle.extend(path + [m, d])
                return True
            if d not in state and visit(d, path + [m]):
                return True
        state[m] = 2
        return False

    for m in sorted(edges):
        if m not in state and visit(m, []):
            break
    assert not cycle, " -> ".join(cycle)


def test_the_reader_sees_a_private_reach(tmp_path):
    """The check can fail: a module that reaches into a private helper is named."""
    source = "from ..prox import _soft\nfrom .. import solvers as s\ns._objective\n"
    fake = tmp_path / "probe.py"
    fake.write_text(source, encoding="utf-8")
    deps, private = read_imports(fake, "sparselib.models.probe")
    assert "sparselib.prox" in deps and "sparselib.solvers" in deps
    assert private == ["from sparselib.prox import _soft", "s._objective (sparselib.solvers)"]
