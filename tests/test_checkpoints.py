"""sparselib.checkpoints: every committed checkpoint loads through it unchanged, the old homes
(train, recipes) re-export the same functions, and a record is written in one format."""
from pathlib import Path

import pytest
import torch

from sparselib import checkpoints, recipes, train
from sparselib.models.autoencoders import SparseAutoencoder
from sparselib.models.locally_connected import LocallyConnectedAutoencoder

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"
COMMITTED = sorted(p.name for p in CHECKPOINTS.glob("*.pt"))
# Checkpoints written by a benchmark rather than a recipe: how to build their model from the record.
BUILT_BY_HAND = {
    "lc-orientation-map.pt": lambda record: LocallyConnectedAutoencoder((16, 16), **record["model"]),
}


def test_the_committed_checkpoints_are_all_covered():
    assert {"drsae-digits.pt", "drsae-mnist.pt", "lc-orientation-map.pt"} <= set(COMMITTED)
    for name in COMMITTED:
        record = checkpoints.read_recipe(CHECKPOINTS / name)
        assert "model_config" in record or name in BUILT_BY_HAND, name


@pytest.mark.parametrize("name", COMMITTED)
def test_every_committed_checkpoint_loads_unchanged(name, tmp_path):
    """Loaded through the module, the model holds exactly the file's tensors, and saving it
    again through the module writes the same tensors (names, dtypes, values)."""
    path = checkpoints.checkpoint(name)
    record = checkpoints.read_recipe(path)
    if name in BUILT_BY_HAND:
        model = checkpoints.load_checkpoint(BUILT_BY_HAND[name](record), path)
    else:
        model = checkpoints.load(path, recipes.build_model)
        assert type(model).__name__ == record["model"]
        assert model.config() == record["model_config"]
    assert not model.training
    stored = torch.load(path, map_location="cpu", weights_only=True)
    state = model.state_dict()
    assert list(state) == list(stored)
    for key, value in stored.items():
        assert state[key].dtype == value.dtype and torch.equal(state[key], value), key
    again = torch.load(checkpoints.save_checkpoint(model, tmp_path / name), weights_only=True)
    assert list(again) == list(stored)
    for key, value in stored.items():
        assert again[key].dtype == value.dtype and torch.equal(again[key], value), key


def test_the_old_homes_reexport_the_same_functions():
    for name in ("save_checkpoint", "load_checkpoint", "read_recipe"):
        assert getattr(train, name) is getattr(checkpoints, name), name
    assert recipes.checkpoint is checkpoints.checkpoint
    model = recipes.load(recipes.checkpoint("drsae-digits.pt"))
    assert model.config() == checkpoints.read_recipe(recipes.checkpoint("drsae-digits.json"))["model_config"]


def test_a_record_is_written_once_in_one_format(tmp_path):
    path = checkpoints.save_checkpoint(SparseAutoencoder(4, 3), tmp_path / "sub" / "m.pt",
                                       {"b": 1, "a": [2, 3]})
    assert path == tmp_path / "sub" / "m.pt" and path.is_file()
    assert path.with_suffix(".json").read_text() == '{\n  "a": [\n    2,\n    3\n  ],\n  "b": 1\n}\n'
    assert checkpoints.read_recipe(path) == {"a": [2, 3], "b": 1}
    assert checkpoints.write_recipe(path, {"c": 0}) == path.with_suffix(".json")
    assert checkpoints.read_recipe(path) == {"c": 0}


def test_bad_arguments_are_named(tmp_path):
    lc = checkpoints.checkpoint("lc-orientation-map.pt")
    with pytest.raises(TypeError, match="'build' parameter of load must be a function build"):
        checkpoints.load(lc, "build_model")
    with pytest.raises(ValueError, match="'path' parameter of load must name a checkpoint whose "
                                         "recipe records 'model'"):
        checkpoints.load(lc, recipes.build_model)
    with pytest.raises(FileNotFoundError, match="'path' parameter of load must name a checkpoint "
                                                "with its recipe beside it"):
        checkpoints.load(tmp_path / "none.pt", recipes.build_model)
    with pytest.raises(TypeError, match="'model' parameter of save_checkpoint must be a torch.nn.Module"):
        checkpoints.save_checkpoint({"W": torch.zeros(1)}, tmp_path / "m.pt")
    with pytest.raises(TypeError, match="'model' parameter of load_checkpoint must be a torch.nn.Module"):
        checkpoints.load_checkpoint(None, lc)
    with pytest.raises(TypeError, match="'recipe' parameter of write_recipe must be a dict"):
        checkpoints.write_recipe(tmp_path / "m.pt", [1, 2])
