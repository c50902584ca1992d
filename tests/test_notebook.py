"""sparselib.notebook.glue: the text a chapter's prose shows is the formatted value."""
import nbformat
import pytest
from nbclient import NotebookClient

from sparselib.notebook import GLUE_PREFIX, glue


def test_glue_returns_the_formatted_text_outside_ipython():
    assert glue("acc", 0.98234, ".1%") == "98.2%"
    assert glue("n", 400, "d") == "400"
    assert glue("word", "ISTA") == "ISTA"


def test_glue_formats_zero_d_tensors_as_numbers():
    torch = pytest.importorskip("torch")
    assert glue("x", torch.tensor(0.25), ".2f") == "0.25"


@pytest.mark.parametrize("name", ["two words", "1st", "", 3])
def test_glue_refuses_bad_names(name):
    with pytest.raises(ValueError, match="'name' parameter of glue"):
        glue(name, 1)


def test_glue_refuses_bad_formats():
    with pytest.raises(TypeError, match="'fmt' parameter of glue"):
        glue("a", 1.0, 3)
    with pytest.raises(ValueError, match="could not format 'a'"):
        glue("a", "text", ".1%")


def test_glue_writes_the_output_myst_nb_reads():
    """In a kernel the cell carries one display_data with the prefixed text/plain."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from sparselib.notebook import glue\n"
                                          "print(glue('acc', 0.98234, '.1%'))")]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    shown = [o for o in outputs if o.output_type == "display_data"]
    assert len(shown) == 1
    assert shown[0].data == {GLUE_PREFIX + "text/plain": "98.2%"}
    assert shown[0].metadata["scrapbook"] == {"name": "acc", "mime_prefix": GLUE_PREFIX}
    assert [o.text for o in outputs if o.output_type == "stream"] == ["98.2%\n"]
