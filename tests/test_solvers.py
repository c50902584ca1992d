"""Solvers against optimality certificates and scikit-learn.

Convention (DESIGN.md §3): ``x (batch, n_features)``, ``D (n_features, n_atoms)``,
``x_hat = z @ D.T``; the objective is the batch mean of ``½‖x − z Dᵀ‖² + lam·penalty(z)``.
"""
import warnings

import numpy as np
import pytest
import torch
from sklearn.decomposition import sparse_encode

from sparselib.textbook import iterates

import sparselib
from sparselib import (ConvergenceWarning, Tree, contiguous_groups, fista, group_l2, group_soft_threshold,
                       ista, lipschitz, soft_threshold, tree_prox)

DTYPES = [torch.float32, torch.float64]
SOLVERS = [ista, fista]


def make_problem(n_samples=16, n_features=24, n_atoms=48, density=0.1, noise=0.01, seed=0, dtype=torch.float64):
    """Unit-norm dictionary, sparse codes, noisy data (float64 generated, then cast)."""
    rng = np.random.default_rng(seed)
    D = rng.normal(size=(n_features, n_atoms))
    D /= np.linalg.norm(D, axis=0, keepdims=True)
    z = rng.normal(size=(n_samples, n_atoms)) * (rng.random((n_samples, n_atoms)) < density)
    x = z @ D.T + noise * rng.normal(size=(n_samples, n_features))
    return torch.from_numpy(x).to(dtype), torch.from_numpy(D).to(dtype)


def objective(x, D, z, lam, penalty):
    """Batch mean of ½‖x − z Dᵀ‖² + lam·penalty(z), in float64."""
    x, D, z = x.double(), D.double(), z.double()
    return float((0.5 * ((x - z @ D.T) ** 2).sum(-1) + lam * penalty(z)).mean())


def l1_pen(z):
    return z.abs().sum(-1)


def exact_L(D):
    return float(np.linalg.svd(D.double().numpy(), compute_uv=False)[0] ** 2)


# ----------------------------------------------------------------------------- lasso KKT and scikit-learn

def assert_lasso_kkt(x, D, z, lam, tol):
    corr = (x - z @ D.T) @ D  # (batch, n_atoms): D_iᵀ (x − D z) for every sample
    active = z != 0
    assert active.any() and (~active).any(), "the test problem should have both active and inactive atoms"
    dev_active = (corr - lam * torch.sign(z))[active].abs().max()
    dev_inactive = (corr[~active].abs() - lam).clamp(min=0).max()
    assert dev_active <= tol, f"active atoms: max |D_iᵀr − lam·sign(z_i)| = {float(dev_active):.3g} > {tol}"
    assert dev_inactive <= tol, f"inactive atoms: max |D_iᵀr| − lam = {float(dev_inactive):.3g} > {tol}"


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("lam", [0.05, 0.3])
def test_fista_lasso_kkt(seed, lam):
    x, D = make_problem(seed=seed)
    # tol=0: a fixed, generous number of steps (an objective-change rule stops when F no longer
    # changes in float64, i.e. with z only accurate to ~sqrt(eps))
    z, info = fista(x, D, lam, max_iter=1500, tol=0)
    assert z.dtype == torch.float64
    assert_lasso_kkt(x, D, z, lam, tol=1e-7)


def test_kkt_check_can_fail():
    x, D = make_problem(seed=0)
    z, _ = fista(x, D, 0.3, max_iter=1500, tol=0)
    with pytest.raises(AssertionError):
        assert_lasso_kkt(x, D, z, 0.3 * 1.01, tol=1e-7)
    with pytest.raises(AssertionError):
        assert_lasso_kkt(x, D, z * 1.001, 0.3, tol=1e-7)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_fista_matches_sklearn_lasso_cd(seed):
    rng = np.random.default_rng(seed)
    lam = float(rng.uniform(0.02, 0.5))
    x, D = make_problem(n_samples=20, n_features=30, n_atoms=60, density=0.08, seed=seed)
    X, dictionary = x.numpy(), D.numpy().T  # sklearn's dictionary is (n_components, n_features) = Dᵀ
    z_sk = torch.from_numpy(sparse_encode(X, dictionary, algorithm="lasso_cd", alpha=lam, max_iter=10000))
    # sklearn's lasso_cd fits Lasso(alpha=alpha / n_features) on n_features "samples", whose
    # objective is 1/(2 n_features)‖x − Dz‖² + alpha/n_features ‖z‖₁: n_features times ours with
    # lam = alpha. Check that numerically: sklearn's codes satisfy *our* KKT conditions with lam ...
    assert_lasso_kkt(x, D, z_sk, lam, tol=1e-5)
    # ... and not those of the other plausible scalings
    for other in (lam / x.shape[1], lam * x.shape[1], 2 * lam):
        with pytest.raises(AssertionError):
            assert_lasso_kkt(x, D, z_sk, other, tol=1e-5)
    z, _ = fista(x, D, lam, max_iter=1500, tol=0)
    f_ours, f_sk = objective(x, D, z, lam, l1_pen), objective(x, D, z_sk, lam, l1_pen)
    assert f_ours <= f_sk * (1 + 1e-6), (f_ours, f_sk)
    assert abs(f_ours - f_sk) <= 1e-6 * f_sk  # both are at the optimum
    torch.testing.assert_close(z, z_sk, rtol=0, atol=1e-4)


@pytest.mark.parametrize("dtype", DTYPES)
def test_fista_float32_reaches_sklearn_objective(dtype):
    lam = 0.1
    x, D = make_problem(n_samples=50, n_features=32, n_atoms=64, density=0.05, seed=9)
    z_sk = torch.from_numpy(sparse_encode(x.numpy(), D.numpy().T, algorithm="lasso_cd", alpha=lam))
    z, _ = fista(x.to(dtype), D.to(dtype), lam, max_iter=5000, tol=1e-9 if dtype == torch.float32 else 1e-14)
    assert z.dtype == dtype
    f_sk = objective(x, D, z_sk, lam, l1_pen)
    rel = 1e-6 if dtype == torch.float64 else 1e-5  # float32 rounding of a ~0.1 objective
    assert objective(x, D, z, lam, l1_pen) <= f_sk * (1 + rel)


# ----------------------------------------------------------------------------- ISTA monotonicity

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("prox, kw", [("l1", {}), ("nonneg_l1", {}), ("group", {"groups": "contiguous"}),
                                      ("tree", {"tree": "tree"})])
def test_ista_objective_never_increases(dtype, prox, kw):
    x, D = make_problem(n_samples=32, n_features=20, n_atoms=40, density=0.15, seed=4, dtype=dtype)
    if "groups" in kw:
        kw = {"groups": contiguous_groups(40, 4)}
    if "tree" in kw:
        kw = {"tree": Tree([-1] + [(i - 1) // 2 for i in range(1, 40)])}
    _, info = ista(x, D, 0.1, prox=prox, max_iter=300, tol=0, **kw)
    F = info["objective"].double()
    assert F.ndim == 1 and len(F) == 300
    eps = 1e-13 if dtype == torch.float64 else 2e-6
    rises = F[1:] - F[:-1]
    assert float(rises.max()) <= eps * float(F.abs().max()), f"largest rise {float(rises.max()):.3g}"
    assert float(F[-1]) < float(F[0])


# ----------------------------------------------------------------------------- lipschitz

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5, 3), (20, 50), (64, 256), (100, 40)])
def test_lipschitz_exact_branch(dtype, shape):
    rng = np.random.default_rng(shape[0])
    D = torch.from_numpy(rng.normal(size=shape)).to(dtype)
    L, L_true = lipschitz(D), exact_L(D)
    assert isinstance(L, float)
    assert L >= L_true * (1 - (1e-6 if dtype == torch.float32 else 1e-12))
    assert L <= 1.05 * L_true


def test_lipschitz_power_branch_small_forced():
    """The power-iteration method (forced), on matrices with a clear and a tight spectral gap."""
    rng = np.random.default_rng(3)
    for D in [rng.normal(size=(50, 80)), np.abs(rng.normal(size=(30, 30))), rng.normal(size=(200, 200))]:
        D = torch.from_numpy(D)
        L, L_true = lipschitz(D, method="power"), exact_L(D)
        assert L_true <= L <= 1.05 * L_true, (L, L_true)


def test_lipschitz_power_branch_auto_large():
    """min(D.shape) > 4096 takes the power-iteration branch; compare with Lanczos (ARPACK)."""
    from scipy.sparse.linalg import svds

    g = torch.Generator().manual_seed(0)
    D = torch.randn(4097, 4100, generator=g)
    D /= D.norm(dim=0, keepdim=True)
    L = lipschitz(D)
    s = svds(D.double().numpy(), k=1, tol=1e-12, return_singular_vectors=False, random_state=0)
    L_true = float(s[0]) ** 2
    assert L_true <= L <= 1.05 * L_true, (L, L_true)
    # the branch taken is the power iteration: its safety margin shows (the exact value would
    # equal L_true to float32 precision), and forcing the method gives the same number
    assert L > L_true * (1 + 1e-4), (L, L_true)
    assert L == lipschitz(D, method="power")


# ----------------------------------------------------------------------------- all prox kinds reach the optimum

def grad(x, D, z):
    return (z @ D.T - x) @ D


def fixed_point_residual(x, D, z, lam, prox_fn, L):
    """‖z − prox(z − ∇f(z)/L, lam/L)‖∞: zero exactly at a minimiser."""
    return float((z - prox_fn(z - grad(x, D, z) / L, lam / L)).abs().max())


def elastic_prox(mu):
    """Prox of t(‖z‖₁ + mu/2 ‖z‖²): soft-threshold then shrink; t may be a float or a tensor."""
    def prox(v, t):
        return torch.sign(v) * torch.clamp(v.abs() - t, min=0) / (1 + t * mu)
    return prox


def prox_cases():
    G = contiguous_groups(40, 5)
    tree = Tree([-1, 0, 0, 1, 1, 2, 2] + [3 + (i % 4) for i in range(33)])  # 40 nodes
    return {
        "l1": (dict(prox="l1"), lambda v, t: soft_threshold(v, t), l1_pen),
        "nonneg_l1": (dict(prox="nonneg_l1"), lambda v, t: torch.clamp(v - t, min=0), l1_pen),
        "group": (dict(prox="group", groups=G), lambda v, t: group_soft_threshold(v, t, G), lambda z: group_l2(z, G)),
        "tree": (dict(prox="tree", tree=tree), lambda v, t: tree_prox(v, t, tree),
                 lambda z: group_l2(z, tree.groups(dtype=z.dtype))),
        "callable": (dict(prox=elastic_prox(0.5)), elastic_prox(0.5),
                     lambda z: z.abs().sum(-1) + 0.25 * (z ** 2).sum(-1)),
    }


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", ["l1", "nonneg_l1", "group", "tree", "callable"])
def test_solvers_reach_fixed_point(solver, case):
    kw, prox_fn, pen = prox_cases()[case]
    x, D = make_problem(n_samples=12, n_features=20, n_atoms=40, density=0.15, seed=6)
    lam = 0.3
    L = exact_L(D)
    z, info = solver(x, D, lam, max_iter=1500 if solver is ista else 800, tol=0, L=L, **kw)
    assert fixed_point_residual(x, D, z, lam, prox_fn, L) <= 1e-8
    if case == "nonneg_l1":
        assert (z >= 0).all()
    if case != "callable":
        # the reported objective is the batch mean of ½‖x − zDᵀ‖² + lam·penalty(z)
        assert float(info["objective"][-1]) == pytest.approx(objective(x, D, z, lam, pen), rel=1e-10)
    # nonzero but not everything: a meaningful instance
    assert 0 < int((z != 0).sum()) < z.numel()


@pytest.mark.parametrize("case", ["l1", "nonneg_l1", "group", "tree", "callable"])
def test_ista_iterates_are_the_textbook_recursion(case):
    kw, prox_fn, _ = prox_cases()[case]
    x, D = make_problem(n_samples=12, n_features=20, n_atoms=40, density=0.15, seed=1)
    L, lam = exact_L(D), 0.15
    z = torch.zeros(12, 40, dtype=torch.float64)
    for _ in range(100):
        z = prox_fn(z - grad(x, D, z) / L, lam / L)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a callable prox without penalty may warn
        z_lib, _ = ista(x, D, lam, max_iter=100, tol=0, L=L, **kw)
    torch.testing.assert_close(z_lib, z, rtol=0, atol=1e-12)


def test_ista_and_fista_agree_and_fista_is_faster():
    x, D = make_problem(n_samples=20, seed=8)
    lam = 0.1
    z_star, _ = fista(x, D, lam, max_iter=1500, tol=0)
    f_star = objective(x, D, z_star, lam, l1_pen)
    _, info_i = ista(x, D, lam, max_iter=200, tol=0)
    _, info_f = fista(x, D, lam, max_iter=200, tol=0)
    gap_i = float(info_i["objective"][-1]) - f_star
    gap_f = float(info_f["objective"][-1]) - f_star
    assert gap_f >= -1e-12 and gap_i >= -1e-12
    assert gap_f < gap_i / 10


def test_callable_prox_soft_threshold_equals_l1():
    x, D = make_problem(seed=12)
    calls = []

    def st(v, t):
        calls.append(1)
        return torch.sign(v) * torch.clamp(v.abs() - t, min=0)

    for solver in SOLVERS:
        # the penalty keyword tells the solver h(z) for its objective (and FISTA's restarts)
        z_c, _ = solver(x, D, 0.2, prox=st, penalty=l1_pen, max_iter=50, tol=0)
        z_l, _ = solver(x, D, 0.2, prox="l1", max_iter=50, tol=0)
        torch.testing.assert_close(z_c, z_l)
    assert calls
    # ISTA never looks at the objective for its steps: no penalty needed for identical iterates
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        z_c, _ = ista(x, D, 0.2, prox=st, max_iter=50, tol=0)
    torch.testing.assert_close(z_c, ista(x, D, 0.2, prox="l1", max_iter=50, tol=0)[0])


def test_fista_callable_prox_with_penalty_reaches_fixed_point():
    x, D = make_problem(n_samples=12, n_features=20, n_atoms=40, density=0.15, seed=6)
    L, prox_fn = exact_L(D), elastic_prox(0.5)
    z, _ = fista(x, D, 0.15, prox=prox_fn, penalty=lambda z: z.abs().sum(-1) + 0.25 * (z ** 2).sum(-1),
                 max_iter=800, tol=0, L=L)
    assert fixed_point_residual(x, D, z, 0.15, prox_fn, L) <= 1e-8


# ----------------------------------------------------------------------------- stopping rule, warnings, info

@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_tol_zero_runs_exactly_max_iter_without_warning(solver, dtype):
    x, D = make_problem(dtype=dtype, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z, info = solver(x, D, 0.1, max_iter=37, tol=0)
    assert info["n_iter"] == 37
    assert len(info["objective"]) == 37
    # and max_iter=1 is exactly one thresholding of the gradient step from 0
    z1, info1 = solver(x, D, 0.1, max_iter=1, tol=0, L=3.0)
    torch.testing.assert_close(z1, soft_threshold(x @ D / 3.0, 0.1 / 3.0))


@pytest.mark.parametrize("solver", SOLVERS)
def test_max_iter_with_tol_warns(solver):
    x, D = make_problem(seed=2)
    with pytest.warns(ConvergenceWarning):
        _, info = solver(x, D, 0.05, max_iter=5, tol=1e-12)
    assert info["converged"] is False
    assert info["n_iter"] == 5
    assert issubclass(sparselib.ConvergenceWarning, UserWarning)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_convergence_info(solver, dtype):
    x, D = make_problem(seed=3, dtype=dtype)
    tol = 1e-4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z, info = solver(x, D, 0.1, max_iter=5000, tol=tol)
    assert set(info) >= {"objective", "n_iter", "converged"}
    assert isinstance(info["n_iter"], int) and isinstance(info["converged"], bool)
    assert isinstance(info["objective"], torch.Tensor) and info["objective"].ndim == 1
    assert info["converged"] is True
    assert 1 < info["n_iter"] < 5000 and len(info["objective"]) == info["n_iter"]
    F = info["objective"].double()
    # the stopping rule: |ΔF| ≤ tol·|F| at the last step, and not at the one before unless
    # that iteration undid some sample's step
    restarts = info["restarts"]
    assert restarts.dtype == torch.long and restarts.shape == (info["n_iter"],)
    assert abs(float(F[-1] - F[-2])) <= tol * abs(float(F[-1])) * (1 + 1e-6)
    assert (abs(float(F[-2] - F[-3])) > tol * abs(float(F[-2])) or info["n_iter"] == 2
            or int(restarts[-2]) > 0)
    assert int(restarts[-1]) == 0  # neither rule can end the solve on an undone step
    if solver is ista:
        assert int(restarts.sum()) == 0
    assert float(F[-1]) == pytest.approx(objective(x, D, z, 0.1, l1_pen), rel=1e-5 if dtype == torch.float32 else 1e-12)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_and_shapes_preserved(solver, dtype):
    x, D = make_problem(dtype=dtype, seed=5)
    z, info = solver(x, D, 0.1, max_iter=50, tol=0)
    assert z.dtype == dtype and z.device == x.device and z.shape == (x.shape[0], D.shape[1])
    # a 1-D x is one sample and gives a 1-D code, equal to the batched result's row
    z1, _ = solver(x[3], D, 0.1, max_iter=50, tol=0)
    assert z1.shape == (D.shape[1],) and z1.dtype == dtype
    torch.testing.assert_close(z1, z[3])


@pytest.mark.parametrize("solver", SOLVERS)
def test_warm_start(solver):
    x, D = make_problem(seed=7)
    z_star, _ = fista(x, D, 0.1, max_iter=1500, tol=0)
    z, info = solver(x, D, 0.1, z0=z_star, max_iter=3, tol=0)
    f_star = objective(x, D, z_star, 0.1, l1_pen)
    assert float(info["objective"][0]) == pytest.approx(f_star, rel=1e-12)
    torch.testing.assert_close(z, z_star, rtol=0, atol=1e-7)
    # and from a cold start, 3 steps are far from it
    z_cold, _ = solver(x, D, 0.1, max_iter=3, tol=0)
    assert float((z_cold - z_star).abs().max()) > 1e-3


def test_samples_are_independent():
    """The batch objective is a mean of separable problems: each sample's code depends on it alone."""
    x, D = make_problem(n_samples=10, seed=10)
    for solver in SOLVERS:
        # few steps: near the optimum, rounding-level differences (batch size changes the
        # matmul blocking) may flip FISTA's restart tests and move iterates at the 1e-8 level
        z_all, _ = solver(x, D, 0.1, max_iter=30, tol=0)
        z_half, _ = solver(x[:5], D, 0.1, max_iter=30, tol=0)
        torch.testing.assert_close(z_all[:5], z_half, rtol=0, atol=1e-10)


def test_restart_cannot_stall():
    """Without the rounding margin, float32 jitter makes many steps 'rise'. A sample whose
    momentum step was undone takes an ISTA step next, and that step is kept even if rounding
    makes it look like a rise: undoing it would repeat the same step forever."""
    x64, D64 = make_problem(n_samples=200, n_features=32, n_atoms=64, density=0.1, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a stalled solve would warn at max_iter
        _, info = fista(x64.float(), D64.float(), 0.1, max_iter=4000, tol=1e-6, rise_ulps=0)
    assert info["converged"] and info["n_iter"] < 4000
    assert int(info["restarts"].sum()) > 0


@pytest.mark.parametrize("rise_ulps, restarted", [(None, "few"), (0, "many")])
def test_restart_ignores_rounding_jitter(rise_ulps, restarted):
    """float32 at its optimum: the objective jitters by about one unit of rounding. A restart
    throws a step away; with the solver's margin almost none happen, while counting every
    rise (margin 0, shown for contrast) undoes a large share of the rows' steps in every
    iteration. Either way the reported objective does not rise beyond rounding."""
    x64, D64 = make_problem(n_samples=500, n_features=32, n_atoms=128, density=0.05, seed=12)
    z_star, _ = fista(x64, D64, 0.1, max_iter=5000, tol=1e-15)
    x, D, z0 = x64.float(), D64.float(), z_star.float()
    n_iter = 30
    margin = {} if rise_ulps is None else {"rise_ulps": rise_ulps}  # None: the default margin
    _, info = fista(x, D, 0.1, max_iter=n_iter, tol=0, z0=z0, **margin)
    share = int(info["restarts"].sum()) / (n_iter * x.shape[0])  # steps undone, per row and iteration
    if restarted == "few":
        assert share < 0.005, share  # measured: 0
    else:
        assert share > 0.02, share  # measured: 0.057
        _, plain = fista(x, D, 0.1, max_iter=n_iter, tol=0, z0=z0, restart=False)
        assert int(plain["restarts"].sum()) == 0  # the textbook method undoes nothing
    F = info["objective"].double()
    assert float((F[1:] - F[:-1]).max()) <= 8 * torch.finfo(torch.float32).eps * float(F.abs().max())


@pytest.mark.parametrize("solver", SOLVERS)
def test_converged_samples_are_frozen_and_keep_their_order(solver):
    """With tol > 0, samples that have stopped moving are set aside (the later iterations only
    touch the others); every code must still come back in its own row, optimal."""
    x, D = make_problem(n_samples=300, n_features=24, n_atoms=48, density=0.1, seed=11)
    # Very different speeds: zero rows are optimal at once, scaled rows need many more steps.
    x[::3] = 0
    x[1::3] *= 3.0
    x_before = x.clone()
    z, info = solver(x, D, 0.3, max_iter=50000, tol=1e-14)
    processed = info["active"].tolist()  # rows stepped in each iteration
    assert info["converged"], info["n_iter"]
    torch.testing.assert_close(x, x_before, rtol=0, atol=0)  # the caller's data is not reordered
    assert sum(processed) < 0.9 * info["n_iter"] * x.shape[0], "no sample was ever frozen"
    assert bool((z[::3] == 0).all())
    assert_lasso_kkt(x, D, z, 0.3, tol=1e-5)
    # each row reaches the objective of solving that sample alone, without freezing (the
    # scaled rows have many active atoms and nearly flat directions, so compare objectives)
    for i in (0, 1, 2, 299):
        z_i, _ = fista(x[i:i + 1], D, 0.3, max_iter=2000, tol=0)
        f, f_i = objective(x[i:i + 1], D, z[i:i + 1], 0.3, l1_pen), objective(x[i:i + 1], D, z_i, 0.3, l1_pen)
        assert f == pytest.approx(f_i, rel=1e-9, abs=1e-12)


# ----------------------------------------------------------------------------- freezing: exact bookkeeping

def reference_trajectory(x, D, lam, L, n_iter, prox_fn, pen, *, accelerated, restart="objective", z0=None):
    """The textbook recursion (sparselib.textbook.iterates) on the whole batch, without
    freezing or chunks: yields ``(k, z_k, F_k, undone_k)`` for k = 0..n_iter."""
    return iterates(x, D, lam, L, n_iter, prox_fn, pen, accelerated=accelerated,
                    restart=restart if accelerated else None, z0=z0)


def assert_rows_are_own_frozen_iterates(x, D, z, info, lam, L, tol, prox_fn, pen, rows=None, atol=1e-9, **kw):
    """Every returned row z_i must be an iterate z_i^(k) of its own sample's trajectory, with
    k = n_iter (still running at the end) or k an iteration at which the freezing rule held:
    |F_i^(j) − F_i^(j−1)| ≤ tol·|F_i^(j)| for j = k and j = k − 1. A row taken from another
    sample, or a row whose momentum / residual / objective bookkeeping was mixed up after the
    buffers were packed, follows no such trajectory."""
    rows = torch.arange(x.shape[0]) if rows is None else rows
    xs, zs = x[rows], z[rows]
    z0 = kw.pop("z0", None)
    n = info["n_iter"]
    best = torch.full((len(rows),), float("inf"), dtype=torch.float64)
    found = torch.full((len(rows),), -1, dtype=torch.long)  # first legitimate matching iteration
    F_1 = None  # the objective one iteration back
    calm_1 = torch.zeros(len(rows), dtype=torch.bool)  # the rule held at the previous step
    for k, zk, Fk, undone in reference_trajectory(xs, D, lam, L, n, prox_fn, pen, z0=None if z0 is None else z0[rows], **kw):
        Fk = Fk.double()
        calm = torch.zeros_like(calm_1) if F_1 is None else (Fk - F_1).abs() <= tol * Fk.abs() * (1 + 1e-6)
        calm &= ~undone  # an undone step is no evidence of convergence
        d = (zk - zs).abs().amax(-1).double()
        best = torch.minimum(best, d)
        legit = (calm & calm_1) | (k == n)
        found = torch.where((found < 0) & legit & (d <= atol), k, found)
        F_1, calm_1 = Fk, calm
    assert float(best.max()) <= atol, f"row {int(rows[best.argmax()])} matches none of its own iterates ({float(best.max()):.3g})"
    bad = (found < 0).nonzero().flatten()
    assert bad.numel() == 0, (f"rows {rows[bad].tolist()} equal their own iterates only at iterations where the "
                              "freezing rule did not hold")
    return found


def varied_speed_batch(n_samples=400, seed=6, dtype=torch.float64, **kw):
    """Samples converging at very different rates: zero rows (optimal at once), scaled-up rows
    (many active atoms, slow) and scaled-down ones, interleaved so packing has to reorder."""
    x, D = make_problem(n_samples=n_samples, n_features=20, n_atoms=40, density=0.15, seed=seed, dtype=dtype, **kw)
    x[::4] = 0
    x[1::4] *= 4.0
    x[2::4] *= 0.5
    return x, D


FREEZE_CASES = [(solver, case, {}) for solver in ("ista", "fista") for case in ("l1", "nonneg_l1", "group", "tree", "callable")]
FREEZE_CASES += [("fista", "l1", {"restart": False}), ("fista", "group", {"restart": False}),
                 ("fista", "callable-no-penalty", {}), ("fista", "callable-no-penalty", {"restart": False})]


@pytest.mark.parametrize("solver_name, case, extra", FREEZE_CASES,
                         ids=[f"{s}-{c}{'-norestart' if e else ''}" for s, c, e in FREEZE_CASES])
def test_frozen_rows_are_their_own_iterates(solver_name, case, extra):
    """tol > 0 with samples freezing at very different iterations and 24-row chunks (so the
    packed active block ends mid-chunk and shrinks across chunk boundaries): each returned row
    is exactly its own sample's iterate at a legitimate stopping point; info is consistent."""
    solver = {"ista": ista, "fista": fista}[solver_name]
    kw, prox_fn, pen = prox_cases()[case.replace("-no-penalty", "")]
    kw = dict(kw)
    if case == "callable":
        kw["penalty"] = pen
    if case == "callable-no-penalty":
        pen = None  # the objective (and the freezing rule) sees the data term only
    restart = None
    if solver is fista:
        restart = None if extra.get("restart", True) is False else ("gradient" if pen is None else "objective")
    x, D = varied_speed_batch()
    x_before = x.clone()
    lam, L, tol = 0.3, exact_L(D), 1e-7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # callable prox without penalty
        z, info = solver(x, D, lam, max_iter=5000, tol=tol, L=L, chunk_rows=24, **kw, **extra)
    processed = info["active"].tolist()
    torch.testing.assert_close(x, x_before, rtol=0, atol=0)
    n = info["n_iter"]
    assert info["converged"] is True and len(info["objective"]) == n
    assert sum(processed) < 0.8 * n * x.shape[0], "no sample was ever frozen"
    assert bool((z[::4] == 0).all())
    assert_rows_are_own_frozen_iterates(x, D, z, info, lam, L, tol, prox_fn, pen, accelerated=solver is fista,
                                        restart=restart)
    # info["objective"] is the batch mean of the returned codes' objectives (frozen ones included)
    F = info["objective"].double()
    F_z = 0.5 * ((x - z @ D.T) ** 2).sum(-1) + (0 if pen is None else lam * pen(z))
    assert float(F[-1]) == pytest.approx(float(F_z.mean()), rel=1e-12)
    # the batch stopping rule of the docstring holds at the last step
    assert abs(float(F[-1] - F[-2])) <= tol * abs(float(F[-1])) * (1 + 1e-9)
    if restart == "objective":  # the undo path was exercised (measured: most iterations for l1)
        assert int((info["restarts"] > 0).sum()) > 0
    else:
        assert int(info["restarts"].sum()) == 0
    if solver is ista or restart == "objective":  # monotone methods stay monotone with freezing
        assert float((F[1:] - F[:-1]).max()) <= 1e-13 * float(F.abs().max())


@pytest.mark.parametrize("solver", SOLVERS)
def test_freezing_with_warm_start(solver):
    """z0 with half the rows already optimal (frozen at once) and half cold; neither x nor z0
    is modified and every row follows its own trajectory from its own z0 row."""
    x, D = varied_speed_batch(n_samples=200, seed=3)
    lam, L, tol = 0.3, exact_L(D), 1e-7
    z_star, _ = fista(x, D, lam, max_iter=3000, tol=0, L=L)
    z0 = z_star.clone()
    z0[1::2] = 0
    x_before, z0_before = x.clone(), z0.clone()
    z, info = solver(x, D, lam, max_iter=5000, tol=tol, L=L, z0=z0)
    torch.testing.assert_close(x, x_before, rtol=0, atol=0)
    torch.testing.assert_close(z0, z0_before, rtol=0, atol=0)
    assert z.data_ptr() != z0.data_ptr()
    assert info["converged"] is True
    torch.testing.assert_close(z[::2], z_star[::2], rtol=0, atol=1e-7)
    assert_rows_are_own_frozen_iterates(x, D, z, info, lam, L, tol, soft_threshold, l1_pen, accelerated=solver is fista,
                                        z0=z0)


def test_freezing_across_several_real_chunks():
    """A batch several default chunks long (n_atoms=512): rows freeze in every chunk and the
    active block shrinks across chunk boundaries. Rows are independent, so the reference runs
    on a subset including the chunk-boundary rows."""
    n_samples, n_atoms = 2500, 512
    chunk = sparselib.solvers.default_chunk_rows(n_samples, n_atoms)
    assert 3 * chunk >= n_samples > 2 * chunk
    x, D = make_problem(n_samples=n_samples, n_features=8, n_atoms=n_atoms, density=0.004, seed=3)
    x[::3] = 0
    x[1::3] *= 5.0
    x_before = x.clone()
    lam, L, tol = 0.2, exact_L(D), 1e-5
    z, info = fista(x, D, lam, max_iter=3000, tol=tol, L=L)
    torch.testing.assert_close(x, x_before, rtol=0, atol=0)
    assert info["converged"] is True
    rows = torch.unique(torch.cat([torch.arange(0, n_samples, 41), torch.tensor([chunk - 1, chunk, 2 * chunk - 1,
                                                                                   2 * chunk, n_samples - 1])]))
    k = assert_rows_are_own_frozen_iterates(x, D, z, info, lam, L, tol, soft_threshold, l1_pen, rows=rows,
                                            accelerated=True)
    moving = x[rows].abs().amax(-1) > 0
    assert int((k[moving] < info["n_iter"]).sum()) > int(moving.sum()) // 2, "most sampled rows should freeze early"
    assert bool((z[::3] == 0).all())


@pytest.mark.parametrize("solver", SOLVERS)
def test_tol_zero_never_freezes(solver):
    """tol=0: every sample is updated in every one of the max_iter iterations."""
    x, D = varied_speed_batch(n_samples=120)
    z, info = solver(x, D, 0.3, max_iter=200, tol=0)
    assert info["n_iter"] == 200 and info["active"].tolist() == [120] * 200


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_single_sample_with_tol(solver, dtype):
    """A 1-D x (and a batch of one) with tol > 0: freezing cannot change anything, so the
    result is the tol=0 iterate after info['n_iter'] steps; 1-D and (1, n) inputs agree."""
    x, D = make_problem(n_samples=3, seed=13, dtype=dtype)
    z_star, _ = fista(x, D, 0.1, max_iter=2000, tol=0)
    for i in range(3):
        for z0 in (None, z_star[i] * 0.5):
            x_i = x[i].clone()
            z1, info1 = solver(x[i], D, 0.1, max_iter=5000, tol=1e-6, z0=z0)
            z2, info2 = solver(x[i:i + 1], D, 0.1, max_iter=5000, tol=1e-6, z0=None if z0 is None else z0[None])
            assert z1.shape == (D.shape[1],) and z2.shape == (1, D.shape[1])
            assert info1["converged"] and info1["n_iter"] == info2["n_iter"]
            torch.testing.assert_close(z1, z2[0], rtol=0, atol=0)
            z_ref, _ = solver(x[i], D, 0.1, max_iter=info1["n_iter"], tol=0, z0=z0)
            torch.testing.assert_close(z1, z_ref, rtol=0, atol=0)
            torch.testing.assert_close(x[i], x_i, rtol=0, atol=0)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", ["l1", "group"])
def test_freezing_float32(solver, case):
    """float32 with freezing over several chunks: the reported objective stays monotone and is
    the batch mean of the returned codes, and each row's objective is close to its own float64
    optimum (a row returned in another sample's place would be far off: the rows differ in
    scale by up to a factor of 8)."""
    kw, _, pen = prox_cases()[case]
    kw = {k: (v.float() if isinstance(v, torch.Tensor) else v) for k, v in kw.items()}
    x, D = varied_speed_batch(dtype=torch.float32)
    x_before = x.clone()
    z, info = solver(x, D, 0.3, max_iter=5000, tol=1e-6, chunk_rows=64, **kw)
    assert z.dtype == torch.float32 and info["objective"].dtype == torch.float32 and info["converged"] is True
    torch.testing.assert_close(x, x_before, rtol=0, atol=0)
    F = info["objective"].double()
    assert float((F[1:] - F[:-1]).max()) <= 1e-6 * float(F.max())
    x64, D64 = x.double(), D.double()
    f = 0.5 * ((x64 - z.double() @ D64.T) ** 2).sum(-1) + 0.3 * pen(z.double())
    assert float(F[-1]) == pytest.approx(float(f.mean()), rel=1e-5)
    z_star, _ = fista(x64, D64, 0.3, max_iter=600, tol=0, **{k: (v.double() if isinstance(v, torch.Tensor) else v)
                                                               for k, v in kw.items()})
    f_star = 0.5 * ((x64 - z_star @ D64.T) ** 2).sum(-1) + 0.3 * pen(z_star)
    assert bool((f >= f_star - 1e-5 * f_star.abs().clamp(min=1e-3)).all())
    assert float(((f - f_star) / f_star.clamp(min=1e-3)).max()) <= 2e-2


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("tol", [0, 1e-6])
def test_empty_batch_returns_at_once(solver, tol):
    _, D = make_problem()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning for an empty batch
        z, info = solver(torch.zeros(0, D.shape[0], dtype=D.dtype), D, 0.1, tol=tol, max_iter=50)
    assert z.shape == (0, D.shape[1]) and z.dtype == D.dtype
    assert info["n_iter"] == 0 and info["converged"] and info["objective"].numel() == 0


@pytest.mark.parametrize("case", ["l1", "nonneg_l1", "group", "tree", "callable"])
@pytest.mark.parametrize("solver, restart", [(ista, None), (fista, "objective"), (fista, None)])
def test_fast_path_follows_the_textbook_loop(case, solver, restart):
    """tol = 0, 40 iterations, chunks of 5 rows: the fast path's codes and objectives are the
    textbook loop's (sparselib.textbook.iterates) at every iteration, to rounding."""
    kw, prox_fn, pen = prox_cases()[case]
    x, D = make_problem(n_samples=12, n_features=20, n_atoms=40, density=0.15, seed=13)
    lam, L = 0.2, exact_L(D)
    extra = {} if solver is ista else {"restart": restart is not None}
    if case == "callable":
        kw = {**kw, "penalty": pen}
    z, info = solver(x, D, lam, max_iter=40, tol=0, L=L, chunk_rows=5, **kw, **extra)
    trajectory = list(iterates(x, D, lam, L, 40, prox_fn, pen, accelerated=solver is fista, restart=restart))
    _, z_ref, _, _ = trajectory[-1]
    torch.testing.assert_close(z, z_ref, rtol=0, atol=1e-10)
    means = torch.stack([F.mean() for _, _, F, _ in trajectory[1:]])
    torch.testing.assert_close(info["objective"], means, rtol=1e-10, atol=0)
    undone = torch.tensor([int(u.sum()) for _, _, _, u in trajectory[1:]])
    assert info["restarts"].tolist() == undone.tolist()
