"""fit: history, seeding, device, project_ after every step, param groups; checkpoints."""
import os

import pytest
import torch
from torch import nn

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.models.autoencoders import SparseAutoencoder  # noqa: E402
from sparselib.models.drsae import DrSAE  # noqa: E402
from sparselib.train import (default_device, fit, load_checkpoint, read_recipe,  # noqa: E402
                             save_checkpoint)



class Counting(nn.Module):
    """A least-squares toy that counts project_ calls and sees every sample once per epoch."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(3))
        self.projections, self.seen = 0, []

    def loss(self, x, y=None):
        self.seen.append(x[:, 0].detach().clone())
        total = ((x @ self.w - x.sum(1)) ** 2).mean()
        return total, {"mse": total.item()}

    def project_(self):
        self.projections += 1


def test_history_per_epoch_and_project_after_every_step():
    model = Counting()
    X = torch.randn(50, 3)
    X[:, 0] = torch.arange(50.0)
    hist = fit(model, X, epochs=3, batch_size=16, lr=0.1, device="cpu")
    assert set(hist) == {"loss", "mse"} and all(len(v) == 3 for v in hist.values())
    assert model.projections == 3 * 4                       # ceil(50/16) steps per epoch
    first_epoch = torch.cat(model.seen[:4]).sort().values
    torch.testing.assert_close(first_epoch, torch.arange(50.0))  # every sample once
    assert hist["loss"][-1] < hist["loss"][0]


def test_seed_makes_runs_repeatable_and_changes_order():
    X = torch.randn(40, 3)
    runs = []
    for seed in (0, 0, 1):
        model = Counting()
        fit(model, X, epochs=1, batch_size=8, seed=seed, device="cpu")
        runs.append(model.w.detach().clone())
    torch.testing.assert_close(runs[0], runs[1])
    assert not torch.allclose(runs[0], runs[2])


def test_device_default_and_model_moved():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert default_device().type == expected
    assert default_device("cpu").type == "cpu"
    model = Counting()
    fit(model, torch.randn(8, 3), epochs=1, device="cpu")
    assert model.w.device.type == "cpu"


def test_cosine_schedule_shrinks_the_last_steps():
    X = torch.randn(64, 3)
    last_steps = {}
    for schedule in (None, "cosine"):
        model = Counting()
        trace = []
        model.project_ = lambda: trace.append(model.w.detach().clone())
        fit(model, X, epochs=2, batch_size=8, lr=0.1, schedule=schedule, device="cpu")
        last_steps[schedule] = (trace[-1] - trace[-2]).abs().max().item()
    # Adam's step is about lr; cosine's last lr is 0.1 * (1 + cos(15π/16)) / 2 ≈ 0.001.
    assert last_steps["cosine"] < 0.1 * last_steps[None]


def test_labels_reach_the_model_and_float_targets_are_allowed():
    torch.manual_seed(0)
    model = DrSAE(8, 6, 3, n_iter=2)
    hist = fit(model, torch.rand(12, 8), torch.randint(0, 3, (12,)), epochs=1, device="cpu")
    assert "cross_entropy" in hist
    with pytest.raises(ValueError, match=r"'y' parameter of DrSAE.loss must hold labels in \[0, 3\)"):
        fit(model, torch.rand(4, 8), torch.tensor([0, 1, 2, 5]), epochs=1, device="cpu")


@pytest.mark.parametrize("kwargs,exc,match", [
    ({"epochs": 0}, ValueError, "'epochs' parameter of fit must be an int >= 1"),
    ({"epochs": 1, "batch_size": 0}, ValueError, "'batch_size' parameter of fit"),
    ({"epochs": 1, "lr": -1.0}, ValueError, "'lr' parameter of fit must be a positive"),
    ({"epochs": 1, "schedule": "step"}, ValueError, "'schedule' parameter of fit must be None or"),
    ({"epochs": 1, "y": torch.zeros(3)}, ValueError, "'y' parameter of fit must have 8 rows"),
    ({"epochs": 1, "y": [0] * 8}, TypeError, "'y' parameter of fit must be a torch.Tensor"),
])
def test_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        fit(Counting(), torch.randn(8, 3), **kwargs)


def test_bad_model_and_data():
    with pytest.raises(TypeError, match="'model' parameter of fit must be a sparselib model"):
        fit(nn.Linear(3, 3), torch.randn(8, 3), epochs=1)
    with pytest.raises(ValueError, match="'X' parameter of fit must be a 2-D or 4-D tensor"):
        fit(Counting(), torch.randn(8), epochs=1)


def test_checkpoint_round_trip(tmp_path):
    torch.manual_seed(0)
    model = SparseAutoencoder(8, 5, encoder="lista")
    path = save_checkpoint(model, tmp_path / "m.pt", {"recipe": "toy", "lr": 0.1})
    assert read_recipe(path) == {"lr": 0.1, "recipe": "toy"}
    torch.manual_seed(1)
    other = SparseAutoencoder(8, 5, encoder="lista")
    assert not torch.equal(other.W_d, model.W_d)
    load_checkpoint(other, path)
    for (name, a), (_, b) in zip(model.state_dict().items(), other.state_dict().items()):
        torch.testing.assert_close(a, b, msg=name)
    with pytest.raises(FileNotFoundError, match="'path' parameter of load_checkpoint"):
        load_checkpoint(other, tmp_path / "missing.pt")


def test_checkpoint_is_loaded_with_weights_only(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"W_d": torch.zeros(1), "payload": Counting}, path)   # a pickled class
    with pytest.raises(Exception, match="[Ww]eights only"):
        load_checkpoint(SparseAutoencoder(8, 5), path)
