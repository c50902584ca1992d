"""SparseAutoencoder (feed-forward, LISTA, FISTA inference) and GroupSparseAutoencoder."""
import os

import pytest
import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.data import synthetic_sparse  # noqa: E402
from sparselib.groups import contiguous_groups, torus_groups  # noqa: E402
from sparselib.models.autoencoders import GroupSparseAutoencoder, SparseAutoencoder  # noqa: E402
from sparselib.penalties import group_l2, l1  # noqa: E402
from sparselib.solvers import fista  # noqa: E402
from sparselib.train import fit  # noqa: E402

ENCODERS = ["feedforward", "lista", "fista"]


@pytest.fixture(scope="module")
def data():
    X, D, Z = synthetic_sparse(256, 16, 24, k=2, noise=0.01, seed=123)  # not the init seed
    return X


def make(cls=SparseAutoencoder, **kwargs):
    torch.manual_seed(0)
    if cls is GroupSparseAutoencoder:
        kwargs.setdefault("groups", contiguous_groups(24, 3))
    return cls(16, 24, **kwargs)


@pytest.mark.parametrize("cls", [SparseAutoencoder, GroupSparseAutoencoder])
@pytest.mark.parametrize("encoder", ENCODERS)
def test_training_lowers_loss_and_keeps_unit_columns(data, cls, encoder):
    model = make(cls, lam=0.05, encoder=encoder, fista_iter=30)
    norms = []
    original = model.project_

    def project_and_record():
        original()
        norms.append((model.W_d.norm(dim=0) - 1).abs().max().item())

    model.project_ = project_and_record
    with torch.no_grad():
        before = model.loss(data)[0].item()
    fit(model, data, epochs=4, batch_size=32, lr=1e-2, device="cpu")
    with torch.no_grad():
        after = model.loss(data)[0].item()
    assert len(norms) == 4 * 8 and max(norms) < 1e-5
    assert after < 0.8 * before


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_loss_is_energy_of_forward(dtype):
    model = make(lam=0.1).to(dtype)
    x = torch.randn(5, 16, dtype=dtype)
    out = model(x)
    assert out.z.shape == (5, 24) and out.x_hat.dtype == dtype
    expected = 0.5 * ((x - out.z @ model.W_d.T) ** 2).sum(1).mean() + 0.1 * l1(out.z).mean()
    torch.testing.assert_close(model.loss(x)[0], expected)


def test_feedforward_encoder_is_shrinkage_of_linear_map():
    model = make(nonneg=True)
    x = torch.randn(5, 16)
    torch.testing.assert_close(model.encode(x), torch.relu(x @ model.W_e.T - model.theta))


def test_lista_encoder_uses_lista_module():
    model = make(encoder="lista", n_layers=2)
    x = torch.randn(5, 16)
    torch.testing.assert_close(model.encode(x), model.lista.encode(x))
    assert model.lista.n_layers == 2


def test_fista_codes_are_solver_codes_and_only_decoder_learns():
    model = make(encoder="fista", lam=0.1, fista_iter=50)
    x = torch.randn(5, 16)
    z_ref, _ = fista(x, model.W_d.detach(), 0.1, max_iter=50, tol=0)
    torch.testing.assert_close(model.encode(x), z_ref)
    assert [n for n, _ in model.named_parameters()] == ["W_d"]
    total, _ = model.loss(x)
    total.backward()
    assert model.W_d.grad is not None and model.W_d.grad.abs().sum() > 0


def test_group_penalty_matches_penalties_module():
    G = torus_groups(4, 2)
    torch.manual_seed(0)
    model = GroupSparseAutoencoder(16, 16, G, lam=0.1, eps=1e-6)
    z = torch.randn(3, 16)
    torch.testing.assert_close(model.penalty(z), group_l2(z, G, eps=1e-6))
    torch.testing.assert_close(model.group_norms(z) ** 2, z ** 2 @ G.T)


def test_group_fista_uses_block_prox():
    G = contiguous_groups(24, 3)
    model = make(GroupSparseAutoencoder, groups=G, lam=0.5, encoder="fista", fista_iter=100)
    z = model.encode(torch.randn(8, 16))
    blocks = z.reshape(8, 8, 3)
    zero = blocks.abs().sum(-1) == 0
    assert zero.any()                                        # whole groups switched off ...
    assert ((blocks != 0).sum(-1)[~zero] == 3).all()         # ... or fully on


def test_overlapping_groups_need_gradient_training():
    G = torus_groups(5, 2)                                   # overlapping
    torch.manual_seed(0)
    GroupSparseAutoencoder(16, 25, G, encoder="feedforward")  # fine: smooth penalty
    with pytest.raises(ValueError, match="'groups' parameter of GroupSparseAutoencoder must be "
                                         "non-overlapping groups"):
        GroupSparseAutoencoder(16, 25, G, encoder="fista")


@pytest.mark.parametrize("kwargs,exc,match", [
    ({"lam": -0.1}, ValueError, "'lam' parameter of SparseAutoencoder must be a non-negative"),
    ({"encoder": "ista"}, ValueError, "'encoder' parameter of SparseAutoencoder must be one of"),
    ({"n_layers": 0}, ValueError, "'n_layers' parameter of SparseAutoencoder must be an int"),
    ({"fista_iter": 1.5}, TypeError, "'fista_iter' parameter of SparseAutoencoder must be an int"),
])
def test_bad_constructor_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make(encoder=kwargs.pop("encoder", "lista"), **kwargs)


def test_bad_group_arguments():
    with pytest.raises(ValueError, match=r"'groups' parameter of GroupSparseAutoencoder must be "
                                         r"of shape \(n_groups, 24\)"):
        make(GroupSparseAutoencoder, groups=contiguous_groups(12, 3))
    with pytest.raises(ValueError, match="'lam' parameter of GroupSparseAutoencoder"):
        make(GroupSparseAutoencoder, lam=-1.0)
    with pytest.raises(ValueError, match="'eps' parameter of GroupSparseAutoencoder"):
        make(GroupSparseAutoencoder, eps=-1.0)
    with pytest.raises(ValueError, match="'nonneg' parameter of GroupSparseAutoencoder must be False"):
        make(GroupSparseAutoencoder, encoder="fista", nonneg=True)


def test_wrong_feature_size():
    model = make()
    with pytest.raises(ValueError, match=r"'x' parameter of SparseAutoencoder.forward must have "
                                         r"shape \(batch, 16\)"):
        model(torch.randn(3, 15))
    with pytest.raises(ValueError, match="'x' parameter of SparseAutoencoder.encode must be a 2-D"):
        model.encode(torch.randn(16))
