"""LISTA: exactly ISTA before training; much better than FISTA at equal depth after training."""
import warnings

import numpy as np
import pytest
import torch

from sparselib import fista, ista, lipschitz, soft_threshold
from sparselib.models import LISTA

DTYPES = [torch.float32, torch.float64]


def make_dictionary(n_features, n_atoms, seed, offset=0.0):
    """Unit-norm atoms; ``offset`` adds a shared component (coherent atoms, like the DC part
    of a natural-image dictionary), which is what makes plain ISTA/FISTA slow."""
    rng = np.random.default_rng(seed)
    D = rng.normal(size=(n_features, n_atoms)) + offset
    return torch.from_numpy(D / np.linalg.norm(D, axis=0, keepdims=True))


def sparse_data(D, n, density, rng, noise=0.01):
    z = rng.normal(size=(n, D.shape[1])) * (rng.random((n, D.shape[1])) < density)
    return torch.from_numpy(z @ D.numpy().T + noise * rng.normal(size=(n, D.shape[0])))


def code_error(z, z_star):
    """Relative L2 distance to the optimum, averaged over samples whose optimum is not 0."""
    z, z_star = z.detach().double(), z_star.double()
    norms = z_star.norm(dim=1)
    keep = norms > 0
    return float(((z - z_star).norm(dim=1)[keep] / norms[keep]).mean())


# ----------------------------------------------------------------------------- before training

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("K", [1, 2, 16])
@pytest.mark.parametrize("variant", [{}, {"layer_thresholds": True}, {"layer_steps": True}, {"layer_momentum": True}])
def test_lista_equals_ista_before_training(dtype, K, variant):
    D = make_dictionary(20, 50, seed=0).to(dtype)
    x = sparse_data(D.double(), 30, 0.1, np.random.default_rng(1)).to(dtype)
    lam = 0.1
    model = LISTA(D, lam, n_layers=K, **variant)
    assert model.theta.shape == ((K, 50) if variant else (50,))
    if "layer_steps" in variant or "layer_momentum" in variant:
        assert model.gamma.shape == (K,) and bool((model.gamma == 1).all())
    if "layer_momentum" in variant:
        assert model.beta.shape == (K - 1,) and bool((model.beta == 0).all())
    z_ista, _ = ista(x, D, lam, max_iter=K, tol=0, L=model.L)
    out = model(x)
    assert out.z.dtype == dtype and out.z.shape == (30, 50)
    torch.testing.assert_close(out.z, z_ista)
    torch.testing.assert_close(model.encode(x), z_ista)
    torch.testing.assert_close(out.x_hat, out.z @ D.T)
    # and 1-D input is one sample
    torch.testing.assert_close(model(x[4]).z, z_ista[4])


@pytest.mark.parametrize("dtype", DTYPES)
def test_lista_initialisation(dtype):
    D = make_dictionary(12, 30, seed=2).to(dtype)
    model = LISTA(D, 0.2, n_layers=3)
    L = model.L
    assert L == pytest.approx(lipschitz(D), rel=1e-12)
    assert model.W_e.shape == (30, 12) and model.S.shape == (30, 30) and model.theta.shape == (30,)
    torch.testing.assert_close(model.W_e.detach(), D.T / L)
    torch.testing.assert_close(model.S.detach(), torch.eye(30, dtype=dtype) - D.T @ D / L)
    torch.testing.assert_close(model.theta.detach(), torch.full((30,), 0.2 / L, dtype=dtype))
    for p in (model.W_e, model.S, model.theta):
        assert p.dtype == dtype and p.requires_grad


def test_lista_by_hand_two_layers():
    """z1 = soft(W_e x, θ); z2 = soft(W_e x + z1 Sᵀ, θ), written out with the closed-form soft-threshold."""
    D = make_dictionary(8, 16, seed=3)
    x = sparse_data(D, 5, 0.2, np.random.default_rng(4))
    lam, L = 0.05, 4.0
    model = LISTA(D, lam, n_layers=2, L=L)
    b = x @ D / L
    z1 = torch.sign(b) * torch.clamp(b.abs() - lam / L, min=0)
    v = b + z1 @ (torch.eye(16, dtype=torch.float64) - D.T @ D / L).T
    z2 = torch.sign(v) * torch.clamp(v.abs() - lam / L, min=0)
    torch.testing.assert_close(model(x).z, z2)
    torch.testing.assert_close(model(x).z, soft_threshold(z1 + (x - z1 @ D.T) @ D / L, lam / L))


def test_lista_is_trainable_end_to_end():
    D = make_dictionary(10, 20, seed=5).float()
    x = sparse_data(D.double(), 16, 0.2, np.random.default_rng(6)).float()
    model = LISTA(D, 0.1, n_layers=4)
    loss = (model(x).z ** 2).sum()
    loss.backward()
    for name in ("W_e", "S", "theta"):
        g = getattr(model, name).grad
        assert g is not None and torch.isfinite(g).all() and g.abs().sum() > 0, name


def test_layer_thresholds_act_per_layer():
    """With one threshold vector per layer, layer k uses row k: raising only the last row's
    thresholds changes the output, and matches the recursion written out by hand."""
    D = make_dictionary(10, 20, seed=3).double()
    x = sparse_data(D, 8, 0.2, np.random.default_rng(4))
    model = LISTA(D, 0.1, n_layers=3, layer_thresholds=True)
    with torch.no_grad():
        model.theta[2] += 0.05
    W_e, S, th = model.W_e.detach(), model.S.detach(), model.theta.detach()
    soft = lambda v, t: torch.sign(v) * torch.relu(v.abs() - t)  # noqa: E731
    b = x @ W_e.T
    z = soft(b, th[0])
    z = soft(b + z @ S.T, th[1])
    z = soft(b + z @ S.T, th[2])
    torch.testing.assert_close(model.encode(x).detach(), z)
    z_shared, _ = ista(x, D, 0.1, max_iter=3, tol=0, L=model.L)
    assert float((z - z_shared).abs().max()) > 1e-3
    with pytest.raises(TypeError, match="'layer_thresholds' parameter of LISTA must be a bool"):
        LISTA(D, 0.1, n_layers=3, layer_thresholds="yes")


def test_layer_steps_act_per_layer():
    """With learned step sizes, layer k is z ← soft(z + γ_k (b + z Sᵀ − z), γ_k θ_k), b = W_e x:
    the recursion written out by hand, with every γ_k and θ_k different; γ and θ get gradients,
    and project_ keeps both non-negative."""
    D = make_dictionary(10, 20, seed=3).double()
    x = sparse_data(D, 8, 0.2, np.random.default_rng(4))
    model = LISTA(D, 0.1, n_layers=3, layer_steps=True)
    assert model.layer_thresholds and "layer_steps=True" in repr(model)
    with torch.no_grad():
        model.gamma.copy_(torch.tensor([0.5, 1.5, 2.5], dtype=torch.float64))
        model.theta += torch.tensor([[0.0], [0.01], [0.03]], dtype=torch.float64)
    W_e, S, th, g = model.W_e.detach(), model.S.detach(), model.theta.detach(), model.gamma.detach()
    soft = lambda v, t: torch.sign(v) * torch.relu(v.abs() - t)  # noqa: E731
    b = x @ W_e.T
    z = soft(g[0] * b, g[0] * th[0])
    for k in (1, 2):
        z = soft(z + g[k] * (b + z @ S.T - z), g[k] * th[k])
    torch.testing.assert_close(model.encode(x).detach(), z)
    # the same layers without steps (γ = 1) give another code
    plain = LISTA(D, 0.1, n_layers=3, layer_thresholds=True)
    with torch.no_grad():
        plain.theta.copy_(model.theta)
    assert float((plain.encode(x).detach() - z).abs().max()) > 1e-3
    (model(x).z ** 2).sum().backward()
    for name in ("W_e", "S", "theta", "gamma"):
        grad = getattr(model, name).grad
        assert grad is not None and torch.isfinite(grad).all() and grad.abs().sum() > 0, name
    with torch.no_grad():
        model.gamma[1] = -0.3
        model.theta[0, 0] = -0.1
    model.project_()
    assert float(model.gamma.detach().min()) == 0.0 and float(model.theta.detach().min()) == 0.0
    with pytest.raises(TypeError, match="'layer_steps' parameter of LISTA must be a bool"):
        LISTA(D, 0.1, n_layers=3, layer_steps=1)


def test_layer_momentum_act_per_layer():
    """With learned momentum, layer k + 1 starts from y = z_k + β_k (z_k − z_{k−1}) (z_{−1} = 0)
    and takes the learned-step layer from there: the recursion written out by hand with
    distinct β_k, γ_k and θ_k; β = 0 is the learned-step model; β gets gradients."""
    D = make_dictionary(10, 20, seed=5).double()
    x = sparse_data(D, 8, 0.2, np.random.default_rng(6))
    model = LISTA(D, 0.1, n_layers=4, layer_momentum=True)
    assert model.layer_steps and model.layer_thresholds and "layer_momentum=True" in repr(model)
    steps_only = LISTA(D, 0.1, n_layers=4, layer_steps=True)
    with torch.no_grad():
        model.gamma.copy_(torch.tensor([0.8, 1.2, 1.7, 2.0], dtype=torch.float64))
        model.theta += torch.tensor([[0.0], [0.01], [0.02], [0.04]], dtype=torch.float64)
        steps_only.gamma.copy_(model.gamma)
        steps_only.theta.copy_(model.theta)
    torch.testing.assert_close(model.encode(x), steps_only.encode(x))  # β = 0
    with torch.no_grad():
        model.beta.copy_(torch.tensor([0.3, 0.9, 0.6], dtype=torch.float64))
    W_e, S, th, g, be = (p.detach() for p in (model.W_e, model.S, model.theta, model.gamma, model.beta))
    soft = lambda v, t: torch.sign(v) * torch.relu(v.abs() - t)  # noqa: E731
    b = x @ W_e.T
    z_prev, z = torch.zeros_like(b), soft(g[0] * b, g[0] * th[0])
    for k in (1, 2, 3):
        y = z + be[k - 1] * (z - z_prev)
        z_prev, z = z, soft(y + g[k] * (b + y @ S.T - y), g[k] * th[k])
    torch.testing.assert_close(model.encode(x).detach(), z)
    assert float((steps_only.encode(x).detach() - z).abs().max()) > 1e-3
    (model(x).z ** 2).sum().backward()
    assert model.beta.grad is not None and model.beta.grad.abs().sum() > 0
    assert LISTA(D, 0.1, n_layers=1, layer_momentum=True).beta.shape == (0,)
    with pytest.raises(TypeError, match="'layer_momentum' parameter of LISTA must be a bool"):
        LISTA(D, 0.1, n_layers=3, layer_momentum=1)


# ----------------------------------------------------------------------------- safeguard

def _energy(x, z, D, lam):
    return 0.5 * (x - z @ D.T).square().sum(-1) + lam * z.abs().sum(-1)


@pytest.mark.parametrize("variant", [{}, {"layer_steps": True}, {"layer_momentum": True}])
def test_safeguard_changes_nothing_before_training(variant):
    D = make_dictionary(16, 32, seed=4)
    x = sparse_data(D, 64, 0.2, np.random.default_rng(5))
    model = LISTA(D, 0.1, n_layers=6, **variant)
    torch.testing.assert_close(model.encode(x, safeguard=True), model.encode(x))
    torch.testing.assert_close(model.encode(x[3], safeguard=True), model.encode(x[3]))


def test_safeguard_replaces_codes_worse_than_zero():
    D = make_dictionary(16, 32, seed=6)
    lam = 0.1
    x = sparse_data(D, 200, 0.2, np.random.default_rng(7))
    model = LISTA(D, lam, n_layers=6, layer_steps=True)
    with torch.no_grad():
        model.gamma[-1] = 40.0  # a last step far beyond 2/L: it overshoots
    with torch.no_grad():
        codes = model(x).codes  # (6, 200, 32)
        z_raw, z_safe = codes[-1], model.encode(x, safeguard=True)
    e0 = 0.5 * x.square().sum(-1)
    bad = _energy(x, z_raw, D, lam) > e0
    assert 0 < int(bad.sum()) < len(x)  # the overshoot fails some samples, not all
    # good codes are untouched; every rejected one is the lowest-energy layer's code (or 0)
    torch.testing.assert_close(z_safe[~bad], z_raw[~bad])
    e_layers = _energy(x.unsqueeze(0), codes, D, lam)  # (6, 200)
    for i in torch.nonzero(bad).flatten().tolist():
        k = int(e_layers[:, i].argmin())
        expect = codes[k, i] if e_layers[k, i] <= e0[i] else torch.zeros_like(codes[k, i])
        torch.testing.assert_close(z_safe[i], expect)
    assert bool((_energy(x, z_safe, D, lam) <= e0).all())
    # one sample at a time gives the same codes
    torch.testing.assert_close(model.encode(x[int(torch.nonzero(bad)[0])], safeguard=True),
                               z_safe[int(torch.nonzero(bad)[0])])


def test_safeguard_falls_back_to_zero_when_no_layer_beats_it():
    D = make_dictionary(8, 16, seed=8)
    model = LISTA(D, 0.1, n_layers=3)
    with torch.no_grad():
        model.W_e.mul_(-50.0)  # every layer's code points the wrong way, far too large
    x = sparse_data(D, 20, 0.3, np.random.default_rng(9))
    with torch.no_grad():
        z = model.encode(x, safeguard=True)
    assert torch.count_nonzero(z) == 0


def test_safeguard_must_be_bool():
    model = LISTA(make_dictionary(8, 16, seed=1), 0.1, n_layers=2)
    with pytest.raises(TypeError, match="'safeguard' parameter of LISTA.encode must be a bool"):
        model.encode(torch.zeros(3, 8, dtype=torch.float64), safeguard=1)


# ----------------------------------------------------------------------------- after training

def test_trained_lista16_beats_fista16_by_half():
    n_features, n_atoms, lam, density = 32, 64, 0.1, 0.1
    D = make_dictionary(n_features, n_atoms, seed=10, offset=1.0)
    rng = np.random.default_rng(11)
    X_train, X_test = sparse_data(D, 2048, density, rng), sparse_data(D, 1000, density, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # float64 optima: the targets and the yardstick
        Z_train, _ = fista(X_train, D, lam, max_iter=4000, tol=1e-13)
        Z_test, _ = fista(X_test, D, lam, max_iter=4000, tol=1e-13)
    err_fista16 = code_error(fista(X_test.float(), D.float(), lam, max_iter=16, tol=0)[0], Z_test)

    torch.manual_seed(0)
    model = LISTA(D.float(), lam, n_layers=16)
    err_init = code_error(model(X_test.float()).z, Z_test)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(0)
    Xf, Zf = X_train.float(), Z_train.float()
    for _ in range(1000):
        idx = torch.randint(0, len(Xf), (256,), generator=g)
        loss = ((model(Xf[idx]).z - Zf[idx]) ** 2).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        model.project_()
    with torch.no_grad():
        err_lista16 = code_error(model(X_test.float()).z, Z_test)
    print(f"code error: ISTA-16 {err_init:.4f}, FISTA-16 {err_fista16:.4f}, LISTA-16 {err_lista16:.4f}")
    assert err_init > err_fista16  # untrained LISTA-16 is ISTA-16, worse than FISTA-16
    assert err_lista16 <= 0.5 * err_fista16, (err_lista16, err_fista16)
