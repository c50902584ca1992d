"""One explorer is one file: sparselib.explorers holds each explorer, its pure compute and its
result in a module of its own (base holds the shared machinery), and the old homes
(sparselib.widgets, sparselib.explore) re-export the very same objects.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import torch

import sparselib.explore as explore
import sparselib.explorers as explorers
import sparselib.widgets as widgets
from sparselib import functional, groups
from sparselib.groups import Tree

PACKAGE = Path(__file__).resolve().parent.parent / "sparselib"

HOMES = {  # module of sparselib.explorers -> its explorer and its compute
    "penalty": ["PenaltyExplorer", "PenaltyGeometry", "penalty_geometry", "PENALTIES"],
    "sparse_code": ["SparseCodeExplorer", "SparseCodeStep", "SparseCode", "sparse_code"],
    "drsae": ["DrSAEExplorer", "DrSAEFrame", "drsae_frame"],
    "group_sparsity": ["GroupSparsityExplorer", "GroupCode", "group_code"],
    "inhibition": ["InhibitionExplorer", "InhibitionFrame", "InhibitionCode", "inhibition_code",
                   "branch_pairs"],
    "pooling": ["PoolingExplorer", "PoolingShift", "pooling_shift", "shift_image", "l2_pool"],
}
EXPLORER_NAMES = [names[0] for names in HOMES.values()]


def test_each_explorer_lives_in_its_own_module():
    modules = {getattr(explorers, name).__module__ for name in EXPLORER_NAMES}
    assert len(modules) == len(EXPLORER_NAMES)
    for module, names in HOMES.items():
        for name in names:
            obj = getattr(explorers, name)
            if name == "PENALTIES":                      # a tuple: find it by identity
                assert obj is getattr(getattr(explorers, module), name)
            else:
                assert obj.__module__ == f"sparselib.explorers.{module}", name
    assert tuple(getattr(explorers, n) for n in EXPLORER_NAMES) == explorers.EXPLORERS


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_widgets_reexports_the_same_explorer(name):
    cls = getattr(widgets, name)
    assert cls is getattr(explorers, name)
    assert issubclass(cls, explorers.Explorer) and name in widgets.__all__


def test_the_old_homes_reexport_every_public_name():
    for name in ["Slider", "Explorer", "MAX_HTML_BYTES", "png_bytes", "SparseCodeStep", "InhibitionFrame"]:
        assert getattr(widgets, name) is getattr(explorers, name), name
    for name in explore.__all__:
        home = {"inhibition_prox_2d": functional, "block_groups": groups}.get(name, explorers)
        assert getattr(explore, name) is getattr(home, name), name


def test_every_file_is_small():
    for path in sorted((PACKAGE / "explorers").glob("*.py")):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 350, path.name
    for path in (PACKAGE / "widgets.py", PACKAGE / "explore.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 40, path.name


def test_tree_layout_places_leaves_and_centres_parents():
    tree = Tree([-1, 0, 0, 1, 1, 2, -1])             # leaves 3, 4, 5 and the lone root 6
    pos = tree.layout()
    assert pos.dtype == torch.float64 and pos.shape == (7, 2)
    assert pos[:, 0].tolist() == [1.25, 0.5, 2.0, 0.0, 1.0, 2.0, 3.0]
    assert pos[:, 1].tolist() == [0.0, -1.0, -1.0, -2.0, -2.0, -2.0, 0.0]
