"""Recipes: each one retrains in its fast setting; the committed checkpoint meets its numbers."""
import json
import os
from pathlib import Path

import pytest
import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import recipes  # noqa: E402
from sparselib.__main__ import main  # noqa: E402
from sparselib.data import load_digits  # noqa: E402
from sparselib.models.drsae import DrSAE, activity_by_class, categorical_units, part_units  # noqa: E402

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"


@pytest.mark.parametrize("name", sorted(recipes.RECIPES))
def test_fast_setting_of_each_recipe_retrains_and_reloads(name, tmp_path):
    out = tmp_path / f"{name}.pt"
    record = recipes.run(name, fast=True, out=out, device="cpu", progress=False)
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["recipe"] == name and meta["fast"] is True and meta["data"] == record["data"]
    assert meta["checkpoint_bytes"] == out.stat().st_size <= recipes.MAX_CHECKPOINT_BYTES
    assert meta["final_epoch"]["loss"] < float("inf")
    model = recipes.load(out)
    assert type(model).__name__ == recipes.RECIPES[name]["model"]
    x = torch.rand(3, meta["model_config"]["n_features"])
    assert model(x).x_hat.shape == x.shape


def test_command_line_trains_and_writes_the_pair(tmp_path, capsys):
    out = tmp_path / "cli.pt"
    assert main(["train", "sae", "--fast", "--data", "digits", "--epochs", "1", "--device", "cpu",
                 "--out", str(out)]) == 0
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["fit"]["epochs"] == 1 and meta["device"] == "cpu"
    assert meta["command"].startswith("python -m sparselib train sae --fast")
    assert '"test_reconstruction"' in capsys.readouterr().out


def test_command_line_errors():
    with pytest.raises(SystemExit):
        main(["train", "nope"])
    with pytest.raises(SystemExit):
        main(["train", "group-sae", "--data", "digits", "--fast"])
    with pytest.raises(ValueError, match="'data' parameter of run must be one of \\['patches'\\]"):
        recipes.run("group-sae", data="digits")


def test_committed_drsae_checkpoint_meets_its_numbers():
    path = CHECKPOINTS / "drsae-digits.pt"
    if not path.exists():
        pytest.fail("checkpoints/drsae-digits.pt is missing: run "
                    "`python -m sparselib train drsae --data digits`")
    meta = json.loads(path.with_suffix(".json").read_text())
    assert path.stat().st_size <= recipes.MAX_CHECKPOINT_BYTES
    model = recipes.load(path)
    assert isinstance(model, DrSAE) and meta["data"] == "digits" and meta["seed"] == 0
    split = load_digits(seed=0, verbose=False)
    acc = (model.predict(split.X_test) == split.y_test).float().mean().item()
    assert acc >= 0.97
    assert acc == pytest.approx(meta["metrics"]["test_accuracy"], abs=1e-6)
    A = activity_by_class(model, split.X_train, split.y_train)
    assert part_units(A).float().mean() >= 0.05
    assert categorical_units(A).float().mean() >= 0.05


def test_build_model_errors():
    with pytest.raises(ValueError, match="'name' parameter of build_model must be one of"):
        recipes.build_model("LISTA", {})
    with pytest.raises(ValueError, match="'groups' entry of a GroupSparseAutoencoder recipe"):
        recipes.build_model("GroupSparseAutoencoder",
                            {"n_features": 4, "n_atoms": 4, "groups": {"kind": "torus"}})
    with pytest.raises(ValueError, match="'recipe' parameter of run must be one of"):
        recipes.run("lista")
    with pytest.raises(FileNotFoundError, match="'path' parameter of load must name a checkpoint"):
        recipes.load("no/such/file.pt")


def test_committed_mnist_record_meets_its_targets():
    """The MNIST record (written by the CLI on mnist-6k, which CI does not have) and its model."""
    record = json.loads((CHECKPOINTS / "drsae-mnist.json").read_text())
    assert record["data"] == "mnist" and record["command"].startswith(
        "python -m sparselib train drsae --data mnist --data-root")
    assert record["split"] == {"train": 4000, "validation": 1000, "test": 1000}
    assert record["settings"]["n_atoms"] == 400 and record["settings"]["n_iter"] == 11
    lr = record["logistic_regression"]
    assert lr["validation_accuracy"] == max(lr["validation_by_C"].values())
    assert record["validation_accuracy"] >= lr["validation_accuracy"] + 0.03
    assert record["test_accuracy"] >= lr["test_accuracy"] + 0.03 - 1e-6   # float32 accuracy
    assert record["units"]["categorical"] >= 10 and record["units"]["n_atoms"] == 400
    assert len(record["accuracy_by_iteration"]) == 11
    assert record["accuracy_by_iteration"][-1] == round(record["test_accuracy"], 6)
    assert abs(record["relative_error"] - record["reconstruction_error"]
               / record["mean_digit_error"]) < 1e-4
    assert record["train_seconds"] < 600
    model = recipes.load(CHECKPOINTS / "drsae-mnist.pt")
    assert isinstance(model, DrSAE) and model.n_features == 784
    out = model(torch.rand(4, 784) * record["settings"]["input_scale"])
    assert out.codes.shape == (11, 4, 400) and out.logits.shape == (4, 10)
