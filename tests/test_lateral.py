"""LateralInhibitionCoder: monotone inference, the S constraint set, tree co-activation, pruning."""
import os

import pytest
import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.data import natural_patches, synthetic_sparse  # noqa: E402
from sparselib.groups import Tree, tree_inhibition  # noqa: E402
from sparselib.models.lateral import (LateralInhibitionCoder, active_units,  # noqa: E402
                                      path_fraction, project_inhibition)
from sparselib.solvers import fista  # noqa: E402
from sparselib.train import fit  # noqa: E402



def in_constraint_set(S, budget, atol=1e-4):
    return (bool((S >= 0).all()) and torch.allclose(S, S.T, atol=1e-6)
            and bool((S.diagonal() == 0).all())
            and torch.allclose(S.sum(1), torch.full((S.shape[0],), budget, dtype=S.dtype), atol=atol))


@pytest.fixture(scope="module")
def patches():
    X = natural_patches(1500, 8, seed=0, verbose=False)
    return X / X.norm(dim=1).mean() * 3                    # mean norm 3: a readable λ scale


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("kind", ["l1", "tree", "learned", "random"])
def test_energy_never_increases(kind, dtype):
    X, _, _ = synthetic_sparse(64, 12, 15, k=3, seed=1)
    torch.manual_seed(0)
    kwargs = {"l1": {}, "tree": {"tree": Tree.complete(2, 3), "scale": 3.0},
              "learned": {"learn_S": True, "budget": 5.0}}.get(kind, {})
    if kind == "random":                                   # dense, indefinite S: a hard case
        A = torch.rand(15, 15)
        kwargs = {"S": ((A + A.T) * (1 - torch.eye(15))).to(dtype)}
    model = LateralInhibitionCoder(12, 15, lam=0.05, n_iter=100, tol=0, **kwargs).to(dtype)
    out = model(X.to(dtype))
    assert out.energy.shape[1] == 64
    assert bool((out.energy[1:] <= out.energy[:-1]).all())
    assert out.energy[-1].mean() < 0.9 * out.energy[0].mean()
    torch.testing.assert_close(model.energy(X.to(dtype), out.z), out.energy[-1])


def test_zero_S_is_plain_l1_sparse_coding():
    X, _, _ = synthetic_sparse(32, 12, 15, k=3, seed=2)
    model = LateralInhibitionCoder(12, 15, lam=0.05, n_iter=5000, tol=0).double()
    z = model.encode(X.double())
    z_ref, _ = fista(X.double(), model.W_d.detach(), 0.05, max_iter=5000, tol=1e-15)
    # same minimum energy (ISTA-type steps approach the minimiser itself only slowly)
    torch.testing.assert_close(model.energy(X.double(), z), model.energy(X.double(), z_ref),
                               atol=1e-7, rtol=1e-7)
    torch.testing.assert_close(z, z_ref, atol=1e-2, rtol=0)


def test_fixed_point_thresholds_are_lambda_plus_inhibition():
    """At the minimiser, every inactive unit's correlation is below λ + (S|z|)_i (KKT)."""
    X, _, _ = synthetic_sparse(32, 12, 15, k=3, seed=3)
    tree = Tree.complete(2, 3)
    model = LateralInhibitionCoder(12, 15, lam=0.05, tree=tree, scale=0.5, n_iter=3000,
                                   tol=1e-12).double()
    z = model.encode(X.double())
    W_d, S = model.W_d.detach(), model.S
    corr = (X.double() - z @ W_d.T) @ W_d                      # (batch, n_atoms)
    thr = 0.05 + z.abs() @ S
    off = z == 0
    assert bool((corr.abs()[off] <= thr[off] + 1e-6).all())
    on = ~off
    torch.testing.assert_close(corr[on], (thr * z.sign())[on], atol=1e-5, rtol=0)


def test_project_inhibition_lands_in_the_constraint_set():
    gen = torch.Generator().manual_seed(0)
    for budget in (1.0, 3.5):
        S = project_inhibition(torch.randn(20, 20, generator=gen), budget)
        assert in_constraint_set(S, budget, atol=1e-5)
        again = project_inhibition(S, budget, floor=0.0)
        torch.testing.assert_close(again, S, atol=1e-5, rtol=0)      # a projection: idempotent


def test_learned_S_stays_in_constraint_set_after_every_step(patches):
    torch.manual_seed(0)
    model = LateralInhibitionCoder(64, 16, lam=0.2, learn_S=True, budget=2.0, n_iter=50, tol=1e-4)
    assert in_constraint_set(model.S.detach(), 2.0)
    checked = []
    original = model.project_

    def project_and_check():
        original()
        checked.append(in_constraint_set(model.S.detach(), 2.0))

    model.project_ = project_and_check
    S0 = model.S.detach().clone()
    fit(model, patches[:600], epochs=2, batch_size=100, lr=0.05, device="cpu")
    assert len(checked) == 12 and all(checked)
    assert (model.S.detach() - S0).abs().max() > 1e-3            # S did move
    for _ in range(3):                                            # the plain alternating step
        model.learn_step(patches[:200], lr=0.05, lr_S=0.5)
        assert in_constraint_set(model.S.detach(), 2.0)


def test_ascent_on_S_increases_inhibition_between_coactive_units():
    torch.manual_seed(0)
    model = LateralInhibitionCoder(12, 6, lam=0.05, learn_S=True, budget=1.0, n_iter=100)
    with torch.no_grad():
        model.W_d.copy_(torch.eye(12)[:, :6])
    X = torch.zeros(50, 12)
    X[:, 0], X[:, 1] = 1.0, 1.0                                   # units 0 and 1 always co-active
    model.learn_step(X, lr=0.0, lr_S=1.0)
    S = model.S.detach()
    assert S[0, 1] > S[0, 2] and S[0, 1] > 1.0 / 5


def test_tree_inhibition_keeps_coactive_pairs_on_one_path(patches):
    tree = Tree.complete(2, 3)
    torch.manual_seed(0)
    model = LateralInhibitionCoder(64, tree.n_nodes, lam=0.1, tree=tree, scale=2.0,
                                   n_iter=100, tol=1e-4)
    fit(model, patches[:1000], epochs=2, batch_size=100, lr=0.01, device="cpu")
    test = patches[1000:]
    frac_tree = path_fraction(model.encode(test), tree)
    plain = LateralInhibitionCoder(64, tree.n_nodes, lam=0.1, n_iter=100, tol=1e-4)
    with torch.no_grad():
        plain.W_d.copy_(model.W_d)
    frac_l1 = path_fraction(plain.encode(test), tree)
    assert frac_tree >= 0.95
    assert frac_l1 <= 0.5
    torch.testing.assert_close(model.S, tree_inhibition(tree, 2.0))


def test_path_fraction_and_active_units_by_hand():
    tree = Tree([-1, 0, 0])                                       # root with two leaves
    z = torch.tensor([[1.0, 0.5, 0.0], [0.0, 1.0, 0.005], [1.0, 1.0, 1.0]])
    act = active_units(z)
    assert act.tolist() == [[True, True, False], [False, True, False], [True, True, True]]
    # co-active pairs: (0,1) ; (0,1), (0,2), (1,2) -> 3 of 4 on a path (each counted twice)
    assert path_fraction(z, tree) == pytest.approx(3 / 4)


def test_pruning_removes_unused_branches():
    tree = Tree.complete(2, 2)                                    # 0 -> (1, 2), 1 -> (3, 4), 2 -> (5, 6)
    model = LateralInhibitionCoder(12, 7, lam=0.05, tree=tree, scale=2.0, n_iter=200)
    with torch.no_grad():
        model.W_d.copy_(torch.eye(12)[:, :7])                     # atom i is the i-th axis
    gen = torch.Generator().manual_seed(0)
    x = torch.zeros(100, 12)
    x[:, [0, 1]] = 1 + torch.rand(100, 2, generator=gen)          # the branch 0 -> 1 ...
    leaf = torch.where(torch.arange(100) % 2 == 0, 3, 4)          # ... then leaf 3 or leaf 4
    x[torch.arange(100), leaf] = 1.0
    usage = model.usage(x)
    torch.testing.assert_close(usage, torch.tensor([1.0, 1.0, 0.0, 0.5, 0.5, 0.0, 0.0]))
    small = model.pruned(x, min_usage=0.1)
    assert small.tree.parent.tolist() == [-1, 0, 1, 1]            # nodes 0, 1, 3, 4 renumbered
    torch.testing.assert_close(small.W_d, model.W_d[:, [0, 1, 3, 4]])
    torch.testing.assert_close(small.S, tree_inhibition(small.tree, 2.0))
    same = model.pruned(x, min_usage=0.0)
    assert same.tree.parent.tolist() == tree.parent.tolist()
    with pytest.raises(ValueError, match="needs tree-structured inhibition"):
        LateralInhibitionCoder(12, 7).pruned(x)
    with pytest.raises(ValueError, match="'min_usage' parameter of LateralInhibitionCoder.pruned must leave"):
        model.pruned(x, min_usage=1.5)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"'tree' parameter of LateralInhibitionCoder must have n_atoms=8"):
        LateralInhibitionCoder(10, 8, tree=Tree.complete(2, 2))
    with pytest.raises(TypeError, match="'tree' parameter of LateralInhibitionCoder must be a sparselib"):
        LateralInhibitionCoder(10, 7, tree=[-1, 0, 0])
    with pytest.raises(ValueError, match="'S' parameter of LateralInhibitionCoder must be a square, symmetric"):
        LateralInhibitionCoder(10, 3, S=-torch.ones(3, 3))
    with pytest.raises(ValueError, match="'S' parameter of LateralInhibitionCoder must be a square"):
        LateralInhibitionCoder(10, 3, S=torch.zeros(3, 4))
    with pytest.raises(ValueError, match="are alternatives"):
        LateralInhibitionCoder(10, 7, tree=Tree.complete(2, 2), learn_S=True)
    model = LateralInhibitionCoder(10, 7)
    with pytest.raises(ValueError, match=r"'x' parameter of LateralInhibitionCoder.infer must have shape \(batch, 10\)"):
        model.encode(torch.zeros(3, 11))
    with pytest.raises(TypeError, match="'x' parameter of LateralInhibitionCoder.loss must be a torch.Tensor"):
        model.loss([[0.0] * 10])


def test_inhibition_tree_plot_draws_every_filter():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sparselib import viz

    tree = Tree.complete(2, 2)
    model = LateralInhibitionCoder(64, 7, tree=tree)
    ax = viz.inhibition_tree(tree, model.W_d.detach().T)
    assert len(ax.artists) == 7 and len(ax.lines) == 6          # a filter per node, an edge per child
    with pytest.raises(ValueError, match="'filters' parameter of inhibition_tree must have one row per tree node"):
        viz.inhibition_tree(tree, model.W_d.detach().T[:5])
    plt.close("all")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_inhibition_step_is_a_drsae_step_for_nonnegative_codes(dtype):
    """ReLU(W_e x + S_rec z − b) with W_e = W_dᵀ/L, S_rec = I − W_dᵀW_d/L − V/L, b = λ/L."""
    from sparselib.models.drsae import drsae_step
    from sparselib.models.lateral import drsae_weights, inhibition_step
    from sparselib.solvers import lipschitz

    gen = torch.Generator().manual_seed(0)
    W_d = torch.nn.functional.normalize(torch.randn(10, 7, generator=gen, dtype=dtype), dim=0)
    V = tree_inhibition(Tree.complete(2, 2), 0.7).to(dtype)
    x = torch.randn(6, 10, generator=gen, dtype=dtype)
    L = lipschitz(W_d)
    W_e, S_rec, b = drsae_weights(W_d, 0.05, V, L)
    torch.testing.assert_close(S_rec, torch.eye(7, dtype=dtype) - W_d.T @ W_d / L - V / L)
    z, z_rec = torch.zeros(6, 7, dtype=dtype), None
    for _ in range(8):
        z = inhibition_step(x, z, W_d, 0.05, V, L, nonneg=True)
        z_rec = drsae_step(x, z_rec, W_e, S_rec, b)
        torch.testing.assert_close(z, z_rec)
    assert bool((z > 0).any())                                    # not the trivial all-zero code
    # signed codes: the two-sided step differs from the recurrence as soon as a unit goes negative
    z_signed = inhibition_step(x, -z, W_d, 0.05, V, L)
    assert not torch.allclose(z_signed, drsae_step(x, -z, W_e, S_rec, b))
    # drsae_weights defaults to L = lipschitz(W_d); V = 0 gives ISTA's recurrent matrix
    _, S_ista, _ = drsae_weights(W_d, 0.05, torch.zeros(7, 7, dtype=dtype))
    torch.testing.assert_close(S_ista, torch.eye(7, dtype=dtype) - W_d.T @ W_d / L)


def test_inhibition_step_matches_the_coders_first_step():
    tree = Tree.complete(2, 2)
    model = LateralInhibitionCoder(10, 7, lam=0.05, tree=tree, scale=0.2, n_iter=1, tol=0, nonneg=True).double()
    x = torch.randn(5, 10, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    from sparselib.models.lateral import inhibition_step
    from sparselib.solvers import lipschitz
    W_d = model.W_d.detach()
    step = inhibition_step(x, torch.zeros(5, 7, dtype=torch.float64), W_d, 0.05, model.S, lipschitz(W_d), nonneg=True)
    torch.testing.assert_close(model.encode(x), step)             # from z = 0 the 1/L step is taken


def test_explained_energy_and_new_functions_validate():
    from sparselib.models.lateral import drsae_weights, explained_energy, inhibition_step
    x = torch.tensor([[3.0, 4.0], [0.0, 1.0]])
    assert explained_energy(x, x) == pytest.approx(1.0)
    assert explained_energy(x, torch.zeros_like(x)) == pytest.approx(0.0)
    assert explained_energy(x, 0.5 * x) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="'x_hat' parameter of explained_energy must have the shape"):
        explained_energy(x, x[:1])
    with pytest.raises(ValueError, match="'S' parameter of drsae_weights must have shape"):
        drsae_weights(torch.eye(3), 0.1, torch.zeros(2, 2))
    with pytest.raises(ValueError, match="'lam' parameter of drsae_weights"):
        drsae_weights(torch.eye(3), -0.1, torch.zeros(3, 3))
    with pytest.raises(ValueError, match="'x', 'z' and 'S' parameters of inhibition_step"):
        inhibition_step(torch.zeros(2, 3), torch.zeros(2, 4), torch.eye(3), 0.1, torch.zeros(3, 3), 1.0)
    with pytest.raises(ValueError, match="'L' parameter of inhibition_step"):
        inhibition_step(torch.zeros(2, 3), torch.zeros(2, 3), torch.eye(3), 0.1, torch.zeros(3, 3), 0.0)


def test_project_inhibition_is_sinkhorn_scaling():
    """Inside the set's support the map is D S D with a positive diagonal D (floor 0)."""
    gen = torch.Generator().manual_seed(3)
    A = torch.rand(9, 9, generator=gen, dtype=torch.float64)
    A = (A + A.T) * (1 - torch.eye(9, dtype=torch.float64))
    P = project_inhibition(A, 2.0, floor=0.0)
    logr = (P / A.masked_fill(A == 0, 1.0)).log()                  # = log d_i + log d_j off the diagonal
    i, j = torch.triu_indices(9, 9, 1)
    M = torch.zeros(len(i), 9, dtype=torch.float64)
    M[torch.arange(len(i)), i] = 1
    M[torch.arange(len(i)), j] = 1
    sol = torch.linalg.lstsq(M, logr[i, j].unsqueeze(1)).solution
    torch.testing.assert_close(M @ sol, logr[i, j].unsqueeze(1), atol=1e-9, rtol=0)
    assert in_constraint_set(P, 2.0, atol=1e-9)
    B = A.clone()
    B[0, 1] *= 5                                                  # not symmetric: symmetrised first
    assert in_constraint_set(project_inhibition(B, 2.0, floor=0.0), 2.0, atol=1e-9)


def test_the_old_import_paths_give_the_functions_from_their_homes():
    import sparselib.functional as functional
    import sparselib.models as models
    import sparselib.models.drsae as drsae
    import sparselib.models.lateral as lateral

    assert lateral.project_inhibition is models.project_inhibition is functional.project_inhibition
    assert lateral.drsae_weights is drsae.drsae_weights
    assert {"project_inhibition", "drsae_weights", "inhibition_step"} <= set(lateral.__all__)
    assert "drsae_weights" in drsae.__all__
