"""Chapter 5's new self-checks: the projected ascent step on the inhibition matrix V and one
inference step under tree inhibition written from the tree. Each passes an independent
correct solution, fails each typical mistake with the hint that names it (and no other
mistake's hint), and lets an unfinished stub's NotImplementedError through."""
from __future__ import annotations

import pytest
import torch

from sparselib.exercises import ch05
from sparselib.groups import Tree, tree_inhibition
from sparselib.i18n import LANGUAGES
from sparselib.models.lateral import LateralInhibitionCoder, project_inhibition
from sparselib.solvers import lipschitz


def stub(*args):
    raise NotImplementedError()


def assert_names_only(report, key, keys, lang):
    assert not report and report.passed < report.total
    assert ch05.HINTS[key][lang] in report.text, (key, lang)
    others = [k for k in keys if k != key and ch05.HINTS[k][lang] in report.text]
    assert not others, (key, lang, others)


# ------------------------------------------------------------------ the ascent step on V
def rows_by_coordinate_scaling(T, budget, n_iter=200):
    """Independent of Sinkhorn–Knopp: solve d_i (T d)_i = budget for d > 0 one coordinate at a
    time (each equation is a quadratic in d_i), sweeping until the row sums hold."""
    T = T.double()
    d = torch.ones(len(T), dtype=torch.float64)
    for _ in range(n_iter):
        for i in range(len(T)):
            c = float(T[i] @ d - T[i, i] * d[i])             # the other units' contribution
            a = float(T[i, i])
            d[i] = budget / c if a == 0 else (-c + (c * c + 4 * a * budget) ** 0.5) / (2 * a)
    return d[:, None] * T * d[None, :]


def ascent_by_autograd(S, z, eta, budget):
    """The envelope gradient by autograd on the energy's inhibition term at the fixed codes,
    then the feasible set by hand and the row sums by coordinate-wise scaling."""
    V = S.detach().double().clone().requires_grad_(True)
    a = z.detach().double().abs()
    F = (0.5 * ((a @ V) * a).sum(1)).mean()                  # the rest of E does not involve V
    (grad,) = torch.autograd.grad(F, V)
    T = (V.detach() + eta * grad).clamp_min(0)
    T = 0.5 * (T + T.T)
    T.fill_diagonal_(0)
    return rows_by_coordinate_scaling(T, budget).to(S.dtype)


def ascent_no_half(S, z, eta, budget):                        # differentiates |z|^T V |z|
    a = z.abs()
    T = S + eta * a.T @ a / len(z)
    return ch05.sinkhorn_scale(T * (1 - torch.eye(len(S), dtype=S.dtype)), budget)


def ascent_descent(S, z, eta, budget):
    a = z.abs()
    T = (S - eta * 0.5 * a.T @ a / len(z)).clamp_min(0)
    return ch05.sinkhorn_scale(T * (1 - torch.eye(len(S), dtype=S.dtype)), budget)


def ascent_signed(S, z, eta, budget):
    T = (S + eta * 0.5 * z.T @ z / len(z)).clamp_min(0)
    return ch05.sinkhorn_scale(T * (1 - torch.eye(len(S), dtype=S.dtype)), budget)


def ascent_summed(S, z, eta, budget):
    a = z.abs()
    T = S + eta * 0.5 * a.T @ a
    return ch05.sinkhorn_scale(T * (1 - torch.eye(len(S), dtype=S.dtype)), budget)


def ascent_keeps_diagonal(S, z, eta, budget):
    a = z.abs()
    return ch05.sinkhorn_scale(S + eta * 0.5 * a.T @ a / len(z), budget)


def ascent_no_budget(S, z, eta, budget):
    a = z.abs()
    T = S + eta * 0.5 * a.T @ a / len(z)
    return T * (1 - torch.eye(len(S), dtype=S.dtype))


ASCENT_MISTAKES = {"no ½ (|z|ᵀV|z| differentiated)": (ascent_no_half, "envelope_half"),
                   "descent": (ascent_descent, "ascent"),
                   "signed codes": (ascent_signed, "magnitudes"),
                   "batch summed": (ascent_summed, "batch_mean"),
                   "diagonal kept": (ascent_keeps_diagonal, "diagonal"),
                   "no budget": (ascent_no_budget, "budget")}
ASCENT_KEYS = sorted({key for _, key in ASCENT_MISTAKES.values()})


def test_the_reference_is_the_models_ascent_step():
    """learn_step with a frozen dictionary takes the same step, up to project_inhibition's
    small uniform share (floor), which the reference leaves out."""
    torch.manual_seed(0)
    coder = LateralInhibitionCoder(12, 6, lam=0.05, learn_S=True, budget=1.0, n_iter=50, tol=0.0)
    x = torch.randn(10, 12)
    S0 = coder.S.detach().clone()
    z = coder.encode(x)
    coder.learn_step(x, lr=0.0, lr_S=0.7)
    expected = project_inhibition(S0 + 0.7 * 0.5 * z.abs().T @ z.abs() / 10, 1.0)   # default floor
    torch.testing.assert_close(coder.S.detach(), expected, rtol=1e-5, atol=1e-6)
    assert (ch05.inhibition_ascent(S0, z, 0.7, 1.0) - coder.S.detach()).abs().max() < 1e-3


def test_sinkhorn_scale_meets_the_row_sums_of_an_independent_scaling():
    g = torch.Generator().manual_seed(3)
    A = torch.rand(6, 6, generator=g, dtype=torch.float64)
    T = (A + A.T) * (1 - torch.eye(6, dtype=torch.float64))
    scaled = ch05.sinkhorn_scale(T, 1.5)
    torch.testing.assert_close(scaled.sum(1), torch.full((6,), 1.5, dtype=torch.float64))
    torch.testing.assert_close(scaled, rows_by_coordinate_scaling(T, 1.5))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ascent_check_passes_an_independent_solution(seed, capsys):
    assert ch05.check_inhibition_ascent(ascent_by_autograd, seed=seed, lang="en")
    assert "All 5 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(ASCENT_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_ascent_check_names_each_mistake(mistake, seed):
    fn, key = ASCENT_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch05.check_inhibition_ascent(fn, seed=seed, lang=lang, quiet=True)
        assert_names_only(report, key, ASCENT_KEYS, lang)


def test_ascent_check_lets_a_stub_through():
    with pytest.raises(NotImplementedError):
        ch05.check_inhibition_ascent(stub, quiet=True)


# ------------------------------------------------------------------ one step under tree inhibition
def tree_step_by_matrix(x, z, W_d, lam, parent, alpha, eta):
    """Independent: V built by walking up from every node, then the thresholded step."""
    n = len(parent)
    related = torch.eye(n, dtype=torch.bool)
    for i in range(n):
        p = parent[i]
        while p >= 0:
            related[i, p] = related[p, i] = True
            p = parent[p]
    V = alpha * (~related).to(z.dtype)
    v = z + eta * (x - z @ W_d.T) @ W_d
    theta = eta * (lam + z.abs() @ V)
    return torch.sign(v) * torch.clamp(v.abs() - theta, min=0)


def tree_step_by_branch_sums(x, z, W_d, lam, parent, alpha, eta, *, signed=False, scaled=True,
                             count_self=False, descendants=True):
    """The chapter's route (total activity minus the branch's), with switches for the mistakes."""
    a = z if signed else z.abs()
    n = len(parent)
    on = torch.zeros(n, n, dtype=z.dtype)                     # on[i, j]: j is on i's branch
    for i in range(n):
        on[i, i] = 0.0 if count_self else 1.0
        p = parent[i]
        while p >= 0:
            on[i, p] = 1.0                                    # an ancestor of i
            if descendants:
                on[p, i] = 1.0                                # i is a descendant of p
            p = parent[p]
    theta = lam + alpha * (a.sum(1, keepdim=True) - a @ on.T)
    v = z + eta * (x - z @ W_d.T) @ W_d
    return torch.sign(v) * torch.clamp(v.abs() - (eta * theta if scaled else theta), min=0)


TREE_MISTAKES = {
    "signed codes": (lambda *a: tree_step_by_branch_sums(*a, signed=True), "tree_magnitudes"),
    "threshold not scaled by the step": (lambda *a: tree_step_by_branch_sums(*a, scaled=False), "step_scale"),
    "the unit inhibits itself (V's diagonal)": (lambda *a: tree_step_by_branch_sums(*a, count_self=True), "self"),
    "ancestors only": (lambda *a: tree_step_by_branch_sums(*a, descendants=False), "descendants"),
}
TREE_KEYS = sorted({key for _, key in TREE_MISTAKES.values()})


def test_tree_step_reference_is_the_chapters_step_at_eta_one_over_L():
    from sparselib.models.lateral import inhibition_step

    tree = Tree.complete(2, 3)
    g = torch.Generator().manual_seed(0)
    W = torch.nn.functional.normalize(torch.randn(9, tree.n_nodes, generator=g), dim=0)
    x, z, L = torch.randn(3, 9, generator=g), torch.randn(3, tree.n_nodes, generator=g), lipschitz(W)
    expected = inhibition_step(x, z, W, 0.1, tree_inhibition(tree, 0.4), L)
    torch.testing.assert_close(ch05.tree_step(x, z, W, 0.1, tree.parent.tolist(), 0.4, 1 / L), expected)
    torch.testing.assert_close(tree_step_by_branch_sums(x, z, W, 0.1, tree.parent.tolist(), 0.4, 1 / L),
                               expected)


@pytest.mark.parametrize("solution", [tree_step_by_matrix, tree_step_by_branch_sums])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tree_step_check_passes_independent_solutions(solution, seed, capsys):
    assert ch05.check_tree_step(solution, seed=seed, lang="en")
    assert "All 5 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(TREE_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_tree_step_check_names_each_mistake(mistake, seed):
    fn, key = TREE_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch05.check_tree_step(fn, seed=seed, lang=lang, quiet=True)
        assert_names_only(report, key, TREE_KEYS, lang)


def test_tree_step_check_lets_a_stub_through():
    with pytest.raises(NotImplementedError):
        ch05.check_tree_step(stub, quiet=True)


def test_new_hints_exist_in_every_language():
    for key in ASCENT_KEYS + TREE_KEYS:
        assert set(ch05.HINTS[key]) == set(LANGUAGES), key
