"""sparselib.analysis against direct computations on a small DrSAE."""
import pytest
import torch
import torch.nn.functional as F

from sparselib.analysis import ablation_accuracy, accuracy_by_iteration, relative_error
from sparselib.models.drsae import DrSAE


@pytest.fixture
def trained():
    torch.manual_seed(0)
    model = DrSAE(16, 12, 3, n_iter=4, init="lista").double().eval()
    X = torch.rand(40, 16, dtype=torch.float64)
    return model, X, torch.arange(40) % 3


def reference_accuracy(model, z, y):
    logits = (z / z.norm(dim=1, keepdim=True).clamp_min(1e-8)) @ model.W_c.T + model.c
    return (logits.argmax(1) == y).double().mean().item()


def test_accuracy_by_iteration_reads_each_code(trained):
    model, X, y = trained
    got = accuracy_by_iteration(model, X, y)
    assert got.shape == (4,)
    z = None
    with torch.no_grad():
        for k in range(4):  # the recurrence written out: z1 = ReLU(W_e x - b), then + S z
            drive = X @ model.W_e.T - model.b
            z = torch.relu(drive if z is None else drive + z @ model.S.T)
            assert got[k].item() == pytest.approx(reference_accuracy(model, z, y))
        assert got[-1].item() == pytest.approx((model.predict(X) == y).double().mean().item())


def test_ablation_zeroes_the_other_units(trained):
    model, X, y = trained
    first = torch.zeros(12, dtype=torch.bool)
    first[:6] = True
    got = ablation_accuracy(model, X, y, {"all": torch.ones(12, dtype=torch.bool), "first": first})
    with torch.no_grad():
        z = model.encode(X)
        assert got["all"] == pytest.approx(reference_accuracy(model, z, y))
        z[:, 6:] = 0
        assert got["first"] == pytest.approx(reference_accuracy(model, z, y))
    assert list(got) == ["all", "first"]


def test_relative_error_is_one_for_the_mean_and_zero_for_the_data():
    X = torch.randn(30, 5, dtype=torch.float64)
    mean = X.mean(0)
    assert relative_error(X, mean.expand_as(X), mean) == pytest.approx(1.0)
    assert relative_error(X, X, mean) == 0.0
    half = mean + 0.5 * (X - mean)  # halving every deviation leaves a quarter of the energy
    assert relative_error(X, half, mean) == pytest.approx(0.25)


def test_bad_input_is_named(trained):
    model, X, y = trained
    with pytest.raises(TypeError, match="'y' parameter of accuracy_by_iteration"):
        accuracy_by_iteration(model, X, y.double())
    with pytest.raises(ValueError, match="one label per row"):
        accuracy_by_iteration(model, X, y[:5])
    with pytest.raises(ValueError, match="mask 'bad' of ablation_accuracy"):
        ablation_accuracy(model, X, y, {"bad": torch.ones(5, dtype=torch.bool)})
    with pytest.raises(TypeError, match="'keep' parameter"):
        ablation_accuracy(model, X, y, {})
    with pytest.raises(ValueError, match="X_hat of shape"):
        relative_error(X, X[:, :3], X.mean(0))
    with pytest.raises(ValueError, match="undefined"):
        relative_error(torch.ones(3, 2), torch.zeros(3, 2), torch.ones(2))
