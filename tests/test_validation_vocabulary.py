"""The error-message vocabulary of sparselib._validation: every function raises the library's
template with the right exception class and returns what it accepted, and no other module
spells the template by hand (the scan below)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import torch

from sparselib import _validation as v
from sparselib._validation import (
    check_at_most,
    check_bool,
    check_choice,
    check_divides,
    check_in_range,
    check_instance,
    check_shape,
    fail,
)
from sparselib.groups import Tree

PACKAGE = Path(__file__).resolve().parent.parent / "sparselib"
TEMPLATE = re.compile(r"^The '.+' parameters? of \S+ must .+\. Got .+ instead\.")

VOCABULARY = ["fail", "check_bool", "check_choice", "check_instance", "check_shape",
              "check_in_range", "check_at_most", "check_divides"]


def message(excinfo) -> str:
    return str(excinfo.value)


# ----------------------------------------------------------------------------- fail
def test_fail_writes_the_template_exactly():
    with pytest.raises(ValueError) as e:
        fail(ValueError, "group_size", "ConvGroupSparseAutoencoder", "divide n_maps=8", "3")
    assert message(e) == ("The 'group_size' parameter of ConvGroupSparseAutoencoder must divide "
                          "n_maps=8. Got 3 instead.")


def test_fail_appends_the_hint_and_keeps_the_class():
    with pytest.raises(FileNotFoundError) as e:
        fail(FileNotFoundError, "path", "load", "name a checkpoint", "'a.pt'", "a.json is missing.")
    assert message(e) == ("The 'path' parameter of load must name a checkpoint. Got 'a.pt' "
                          "instead. a.json is missing.")
    with pytest.raises(KeyError):
        fail(KeyError, "key", "t", "be a key", "'x'")


def test_fail_names_several_parameters():
    with pytest.raises(ValueError) as e:
        fail(ValueError, ("x", "z", "S"), "inhibition_step", "have matching shapes", "(2, 3)")
    assert message(e) == ("The 'x', 'z' and 'S' parameters of inhibition_step must have matching "
                          "shapes. Got (2, 3) instead.")


def test_fail_does_not_chain_the_error_it_replaces():
    with pytest.raises(ValueError) as e:
        try:
            int("pair")
        except ValueError:
            fail(ValueError, "shape", "f", "be a pair", "'pair'")
    assert e.value.__suppress_context__ and e.value.__cause__ is None


def test_private_fail_still_writes_be():
    with pytest.raises(TypeError, match=r"^The 'x' parameter of f must be a torch.Tensor. Got 1 "
                                        r"instead.$"):
        v._fail(TypeError, "x", "f", "a torch.Tensor", "1")


# ------------------------------------------------------------------------ check_bool
def test_check_bool():
    assert check_bool(True, "safeguard", "LISTA.encode") is True
    assert check_bool(False, "safeguard", "LISTA.encode") is False
    with pytest.raises(TypeError) as e:
        check_bool(1, "safeguard", "LISTA.encode")
    assert message(e) == ("The 'safeguard' parameter of LISTA.encode must be a bool. Got 1 "
                          "(type int) instead.")
    with pytest.raises(TypeError, match="must be a bool"):
        check_bool(None, "layer_steps", "LISTA")


# ---------------------------------------------------------------------- check_choice
def test_check_choice_lists_the_options():
    assert check_choice("exact", "method", "lipschitz", ("auto", "exact", "power")) == "exact"
    with pytest.raises(ValueError) as e:
        check_choice("fast", "method", "lipschitz", ("auto", "exact", "power"))
    assert message(e) == ("The 'method' parameter of lipschitz must be 'auto', 'exact' or "
                          "'power'. Got 'fast' instead.")


def test_check_choice_with_none_and_one_of():
    assert check_choice(None, "schedule", "fit", (None, "cosine")) is None
    assert check_choice("cosine", "schedule", "fit", (None, "cosine")) == "cosine"
    with pytest.raises(ValueError, match=r"must be None or 'cosine'\. Got 'step' instead\.$"):
        check_choice("step", "schedule", "fit", (None, "cosine"))
    with pytest.raises(ValueError, match=r"must be None or 'cosine'\. Got 3 \(type int\)"):
        check_choice(3, "schedule", "fit", (None, "cosine"))
    with pytest.raises(ValueError) as e:
        check_choice("ista", "encoder", "SparseAutoencoder", ("feedforward", "lista", "fista"),
                     one_of=True)
    assert message(e) == ("The 'encoder' parameter of SparseAutoencoder must be one of "
                          "'feedforward', 'lista' or 'fista'. Got 'ista' instead.")
    with pytest.raises(ValueError, match=r"must be 'a'\. Got 'b' instead\. Only one\.$"):
        check_choice("b", "x", "f", ("a",), hint="Only one.")


def test_check_choice_does_not_take_a_non_string_equal_to_a_choice():
    class Weird:
        def __eq__(self, other):
            return True
    with pytest.raises(ValueError):
        check_choice(Weird(), "x", "f", ("a", "b"))


# -------------------------------------------------------------------- check_instance
def test_check_instance():
    tree = Tree([-1, 0])
    assert check_instance(tree, "tree", "tree_prox", Tree, "a sparselib.groups.Tree") is tree
    with pytest.raises(TypeError) as e:
        check_instance([-1, 0], "tree", "tree_prox", Tree, "a sparselib.groups.Tree")
    assert message(e) == ("The 'tree' parameter of tree_prox must be a sparselib.groups.Tree. "
                          "Got [-1, 0] (type list) instead.")
    fmt = check_instance(None, "fmt", "glue", (str, type(None)), "a string or None")
    assert fmt is None


def test_check_instance_describes_a_module_by_its_type():
    model = torch.nn.Sequential(torch.nn.Linear(2, 2))
    with pytest.raises(TypeError, match=r"must be a ConvGroupSparseAutoencoder\. Got an object of "
                                        r"type Sequential instead\.$"):
        check_instance(model, "model", "PoolingExplorer", int, "a ConvGroupSparseAutoencoder")


# ----------------------------------------------------------------------- check_shape
def test_check_shape_exact_and_named_axes():
    x = torch.zeros(5, 64)
    assert check_shape(x, "x", "DrSAE.forward", ("batch", 64), "to match n_features") is x
    assert check_shape(x, "x", "f", (None, 64)) is x
    with pytest.raises(ValueError) as e:
        check_shape(torch.zeros(5, 63), "x", "DrSAE.forward", ("batch", 64), "to match n_features")
    assert message(e) == ("The 'x' parameter of DrSAE.forward must have shape (batch, 64) to match "
                          "n_features. Got shape (5, 63) instead.")
    with pytest.raises(ValueError, match=r"must have shape \(any, 64\)\. Got shape \(64,\)"):
        check_shape(torch.zeros(64), "x", "f", (None, 64))


def test_check_shape_lead_and_one_axis():
    with pytest.raises(ValueError) as e:
        check_shape(torch.zeros(5, 11), "z0", "fista", (5, 12), lead="be of shape")
    assert message(e) == ("The 'z0' parameter of fista must be of shape (5, 12). Got shape "
                          "(5, 11) instead.")
    with pytest.raises(ValueError, match=r"must have shape \(3,\) to match x\. Got shape \(2,\)"):
        check_shape(torch.zeros(2), "y", "DrSAE.loss", (3,), "to match x")


def test_check_shape_refuses_a_non_tensor_with_the_same_value_error():
    with pytest.raises(ValueError, match=r"must be a tensor of shape \(2,\) to match X\. Got "
                                         r"\[0, 1\] \(type list\) instead\."):
        check_shape([0, 1], "y", "stratified_split", (2,), "to match X", lead="be a tensor of shape")


# -------------------------------------------------------- check_in_range and friends
@pytest.mark.parametrize("interval,inside,outside", [
    ("()", [0.5], [0.0, 1.0]),
    ("[)", [0, 1], [-1, 2]),
    ("[]", [0.0, 1.0], [1.5]),
    ("(]", [1.0], [0.0]),
])
def test_check_in_range(interval, inside, outside):
    for value in inside:
        assert check_in_range(value, "t", "f", 0, 1 if interval != "[)" else 2, interval) == value
    for value in outside:
        with pytest.raises(ValueError, match=re.escape(f"must be in {interval[0]}0, ")):
            check_in_range(value, "t", "f", 0, 1 if interval != "[)" else 2, interval)


def test_check_in_range_exact_message():
    with pytest.raises(ValueError) as e:
        check_in_range(1.5, "anneal", "fit_orientation_map", 0, 1, "[]", "(a fraction of the epochs)")
    assert message(e) == ("The 'anneal' parameter of fit_orientation_map must be in [0, 1] (a "
                          "fraction of the epochs). Got 1.5 instead.")


def test_check_at_most():
    assert check_at_most(3, "size", "torus_groups", 3, "side") == 3
    with pytest.raises(ValueError) as e:
        check_at_most(4, "size", "torus_groups", 3, "side")
    assert message(e) == ("The 'size' parameter of torus_groups must be at most side=3. Got 4 "
                          "instead.")
    with pytest.raises(ValueError, match=r"must be at most 20\. Got 30 instead\.$"):
        check_at_most(30, "k", "synthetic_sparse", 20)


def test_check_divides():
    assert check_divides(5, "size", "contiguous_groups", 10, "n_atoms") == 5
    with pytest.raises(ValueError) as e:
        check_divides(3, "size", "contiguous_groups", 10, "n_atoms")
    assert message(e) == ("The 'size' parameter of contiguous_groups must divide n_atoms=10. "
                          "Got 3 instead.")


def test_check_labels_range_is_optional_and_the_shape_reason_is_the_callers():
    """DrSAE.loss checks labels against its classes; the analysis functions, which read only
    predictions, check the kind and one label per row (their wording)."""
    y = torch.tensor([0, 7, 2])
    assert v.check_labels(y.int(), "y", "f", 3).dtype == torch.int64          # no range asked
    with pytest.raises(ValueError) as e:
        v.check_labels(y, "y", "f", 3, 3)
    assert message(e) == "The 'y' parameter of f must hold labels in [0, 3). Got labels in [0, 7] instead."
    with pytest.raises(ValueError) as e:
        v.check_labels(y, "y", "f", 4, why="(one label per row of X)")
    assert message(e) == ("The 'y' parameter of f must have shape (4,) (one label per row of X). "
                          "Got shape (3,) instead.")
    with pytest.raises(ValueError, match=r"must have shape \(4,\) to match x\."):
        v.check_labels(y, "y", "f", 4, 3)
    with pytest.raises(TypeError, match="must be an integer tensor of class labels. Got torch.bool"):
        v.check_labels(y > 0, "y", "f", 3)


def test_every_message_of_the_vocabulary_fits_the_template():
    calls = [
        lambda: fail(ValueError, "a", "f", "be b", "c"),
        lambda: check_bool(0, "a", "f"),
        lambda: check_choice("z", "a", "f", ("x", "y")),
        lambda: check_instance(0, "a", "f", str, "a str"),
        lambda: check_shape(torch.zeros(2), "a", "f", (3,)),
        lambda: check_in_range(2, "a", "f", 0, 1),
        lambda: check_at_most(2, "a", "f", 1),
        lambda: check_divides(3, "a", "f", 10, "n"),
    ]
    for call in calls:
        with pytest.raises((TypeError, ValueError)) as e:
            call()
        assert TEMPLATE.match(message(e)), message(e)


def test_the_vocabulary_is_public_and_documented():
    for name in VOCABULARY:
        assert name in v.__all__, name
        assert getattr(v, name).__doc__, name
        assert "return" in getattr(v, name).__annotations__, name


# ---------------------------------------------------- no hand-written copy elsewhere
# i18n and notebook are bottom-layer modules (tests/test_import_graph.py): they may import
# nothing from sparselib, so they keep their own messages.
NOT_SCANNED = {"_validation.py", "i18n.py", "notebook.py"}


def string_texts(source: str) -> list[tuple[int, str]]:
    """Every string literal of ``source`` (an f-string's placeholders read as ``{}``), with its
    line; the pieces of an implicitly concatenated literal are read as one string."""
    tree = ast.parse(source)
    inner = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for part in node.values}
    texts = []
    for node in ast.walk(tree):
        if id(node) in inner:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            texts.append((node.lineno, "".join(p.value if isinstance(p, ast.Constant) else "{}"
                                               for p in node.values)))
    return texts


def template_copies(source: str) -> list[tuple[int, str]]:
    return [(line, text) for line, text in string_texts(source)
            if text.startswith("The '") and (" parameter of " in text or " parameters of " in text)]


def test_the_scan_finds_a_hand_written_copy():
    source = ('def f(func, x):\n'
              '    raise ValueError(f"The \'x\' parameter of {func} must be "\n'
              '                     f"positive. Got {x} instead.")\n'
              'NOTE = "The \'x\' option of f"\n')
    assert template_copies(source) == [(2, "The 'x' parameter of {} must be positive. Got {} instead.")]


def test_no_module_writes_the_template_by_hand():
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in NOT_SCANNED:
            continue
        for line, text in template_copies(path.read_text(encoding="utf-8")):
            copies.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text[:70]}")
    assert not copies, "raise through sparselib._validation instead:\n" + "\n".join(copies)
