"""The output catalogs: printed lines rendered in the page's language at build time."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import book_outputs as bo  # noqa: E402
from sparselib.exercises import MESSAGES  # noqa: E402


def test_numbers_become_slots_and_come_back_in_order():
    key, numbers = bo.template("test accuracy 98.2%; 72 of 400 units, gap 1.4e-01, 1,372 digits of 8x8")
    assert key == "test accuracy #%; # of # units, gap #, # digits of #x#"
    assert numbers == ["98.2", "72", "400", "1.4e-01", "1,372", "8", "8"]
    # a digit glued to a letter is part of a name (l1); subscripts are numbers
    assert bo.template("l1: W_2 and z_{P_1}")[0] == "l1: W_# and z_{P_#}"  # subscripts vary
    assert bo.fill("exactitud #%; # de #", ["98.2", "72", "400"]) == "exactitud 98.2%; 72 de 400"
    assert bo.fill("#2 de #1", ["3", "4"]) == "4 de 3"
    with pytest.raises(ValueError, match="more # slots"):
        bo.fill("# # #", ["1", "2"])


def test_only_lines_with_prose_need_a_translation():
    assert bo.carries_words("test accuracy 98.2%")
    for line in ["tensor([[1, 0], [0, 1]], dtype=torch.int32)", "DrSAE(n_features=64, n_atoms=400)",
                 "W_e (128, 64) S (128, 128)", "X (10000, 64) torch.float32", "0.5 0.25", ""]:
        assert not bo.carries_words(line), line


def catalog(entries):
    return bo.Catalog("es", entries)


def test_catalog_renders_lines_and_collects_the_missing_ones():
    c = catalog({"test accuracy #%; # of # units active": "exactitud en prueba #%; # de # unidades activas"})
    text = "test accuracy 97.1%; 70 of 400 units active\nnew sentence here 3\ntensor([1, 2])\n"
    assert c.text(text, "02_drsae") == ("exactitud en prueba 97.1%; 70 de 400 unidades activas\n"
                                        "new sentence here 3\ntensor([1, 2])\n")
    assert c.missing == {"new sentence here #": "02_drsae"}


def test_self_check_lines_use_the_exercises_messages():
    c = catalog({"z optimal by construction, # pools of #": "z óptimo por construcción, # grupos de #"})
    english = ("Checking f_student against sparselib's reference on 2 cases:\n"
               "  ✓ z optimal by construction, 4 pools of 2: passed\n"
               "  ✓ v ∈ ℝ^{4×7}, θ = 0.5: passed\n"
               "All 2 cases passed. Well done!\n")
    assert c.text(english) == (MESSAGES["header"]["es"].format(name="f_student", n=2) + "\n"
                               + "  ✓ z óptimo por construcción, 4 grupos de 2: " + MESSAGES["passed"]["es"] + "\n"
                               + "  ✓ v ∈ ℝ^{4×7}, θ = 0.5: " + MESSAGES["passed"]["es"] + "\n"
                               + MESSAGES["all_passed"]["es"].format(n=2) + "\n")
    assert c.missing == {}


def test_right_to_left_lines_start_with_the_right_to_left_mark():
    """On a Persian page a line with Persian words starts with U+200F, so the output box's
    per-line direction (unicode-bidi: plaintext) reads it right to left; lines without
    Persian (numbers, tensors, untranslated code) and left-to-right languages are unchanged."""
    assert bo.direction("fa") == "rtl" and bo.direction("es") == "ltr"
    c = bo.Catalog("fa", {"lambda = #, gap after # steps #": "lambda = #، فاصله پس از # گام #"})
    text = "lambda = 0.3, gap after 100 steps 6.4e-02\ntensor([1, 2])\n"
    assert c.text(text) == "\u200flambda = 0.3، فاصله پس از 100 گام 6.4e-02\ntensor([1, 2])\n"
    checked = c.text("Checking f against sparselib's reference on 2 cases:\n")
    assert checked.startswith("\u200f") and checked.count("\u200f") == 1
    assert not catalog({"mean error #": "error medio #"}).line("mean error 1").startswith("\u200f")


def test_notebook_outputs_are_rendered_in_place():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(...)", outputs=[
        nbformat.v4.new_output("stream", text="mean error 0.5\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "'mean error 0.25'"}),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>mean error 1</p>"}),
    ])])
    catalog({"mean error #": "error medio #", "'mean error #'": "'error medio #'"}).notebook(nb)
    outputs = nb.cells[0].outputs
    assert outputs[0]["text"] == "error medio 0.5\n"
    assert outputs[1]["data"]["text/plain"] == "'error medio 0.25'"
    assert outputs[2]["data"]["text/html"] == "<p>mean error 1</p>"  # HTML carries its own languages


@pytest.mark.parametrize("path", sorted((ROOT / "book" / "outputs").glob("*.yml")), ids=lambda p: p.stem)
def test_catalog_entries_are_complete_and_keep_their_numbers(path):
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert entries, path
    for key, value in entries.items():
        assert value, f"{path.name}: no translation for {key!r}"
        slots = bo.SLOT.findall(value)
        count = key.count("#")
        if any(slots):
            assert sorted(int(s) for s in slots) == list(range(1, count + 1)), (key, value)
        else:
            assert len(slots) == count, (key, value)
        bo.fill(value, [str(i) for i in range(count)])
