"""Bad input gets a clear ValueError/TypeError naming the argument: one test per message."""
import math

import numpy as np
import pytest
import torch

import sparselib as sl
from sparselib.models import LISTA


@pytest.fixture
def problem():
    g = torch.Generator().manual_seed(0)
    D = torch.randn(8, 12, generator=g)
    D = D / D.norm(dim=0)
    x = torch.randn(5, 8, generator=g)
    return x, D


# ---------------------------------------------------------------- tensors and scalars
@pytest.mark.parametrize("solver", [sl.ista, sl.fista])
def test_solver_rejects_non_tensor_data(solver, problem):
    x, D = problem
    with pytest.raises(TypeError, match=r"The 'x' parameter of (ista|fista) must be a torch.Tensor.*torch.as_tensor"):
        solver(x.numpy(), D, 0.1)


@pytest.mark.parametrize("solver", [sl.ista, sl.fista])
def test_solver_rejects_wrong_rank(solver, problem):
    x, D = problem
    with pytest.raises(ValueError, match=r"The 'x' parameter of .* must be a 1-D or 2-D tensor. Got a 3-D tensor"):
        solver(x[None], D, 0.1)
    with pytest.raises(ValueError, match=r"The 'D' parameter of .* must be a 2-D tensor. Got a 1-D tensor"):
        solver(x, D[:, 0], 0.1)


def test_solver_rejects_feature_mismatch(problem):
    x, D = problem
    with pytest.raises(ValueError, match=r"The 'D' parameter of fista must be of shape \(n_features, n_atoms\) "
                                         r"with n_features = 8.*Got shape \(12, 8\).*try D.T"):
        sl.fista(x, D.T.contiguous(), 0.1)


@pytest.mark.parametrize("lam", [-1.0, math.nan, math.inf])
def test_solver_rejects_bad_lam(lam, problem):
    x, D = problem
    with pytest.raises(ValueError, match=r"The 'lam' parameter of ista must be a non-negative finite number"):
        sl.ista(x, D, lam)


def test_solver_rejects_non_numeric_lam(problem):
    x, D = problem
    with pytest.raises(TypeError, match=r"The 'lam' parameter of ista must be a real number. Got '0.1'"):
        sl.ista(x, D, "0.1")


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_solver_rejects_non_finite_data(bad, problem):
    x, D = problem
    x = x.clone()
    x[0, 0] = bad
    with pytest.raises(ValueError, match=r"The 'x' parameter of fista must be finite \(no NaN or inf\). Got 1 non-finite"):
        sl.fista(x, D, 0.1)
    D = D.clone()
    D[1, 1] = bad
    with pytest.raises(ValueError, match=r"The 'D' parameter of lipschitz must be finite"):
        sl.lipschitz(D)


def test_solver_rejects_integer_data(problem):
    _, D = problem
    with pytest.raises(TypeError, match=r"The 'x' parameter of ista must be a floating-point tensor.*Got dtype torch.int64"):
        sl.ista(torch.ones(3, 8, dtype=torch.long), D, 0.1)


def test_solver_rejects_bad_iteration_settings(problem):
    x, D = problem
    with pytest.raises(ValueError, match=r"The 'max_iter' parameter of fista must be an int >= 1. Got 0"):
        sl.fista(x, D, 0.1, max_iter=0)
    with pytest.raises(TypeError, match=r"The 'max_iter' parameter of fista must be an int. Got 10.0"):
        sl.fista(x, D, 0.1, max_iter=10.0)
    with pytest.raises(ValueError, match=r"The 'tol' parameter of fista must be a non-negative finite number. Got -1e-06"):
        sl.fista(x, D, 0.1, tol=-1e-6)
    with pytest.raises(ValueError, match=r"The 'L' parameter of fista must be a positive finite number. Got 0.0"):
        sl.fista(x, D, 0.1, L=0.0)
    with pytest.raises(ValueError, match=r"The 'z0' parameter of fista must be of shape \(5, 12\). Got shape \(5, 11\)"):
        sl.fista(x, D, 0.1, z0=torch.zeros(5, 11))


def test_solver_rejects_unknown_prox(problem):
    x, D = problem
    with pytest.raises(ValueError, match=r"The 'prox' parameter of ista must be 'l1', 'nonneg_l1', 'group', 'tree' "
                                         r"or a callable prox\(v, t\). Got 'l2'"):
        sl.ista(x, D, 0.1, prox="l2")


def test_solver_group_and_tree_need_their_structure(problem):
    x, D = problem
    with pytest.raises(ValueError, match=r"The 'groups' parameter of fista must be given when prox='group'"):
        sl.fista(x, D, 0.1, prox="group")
    with pytest.raises(TypeError, match=r"The 'tree' parameter of fista must be a sparselib.groups.Tree when prox='tree'"):
        sl.fista(x, D, 0.1, prox="tree", tree=[-1, 0])
    with pytest.raises(ValueError, match=r"The 'tree' parameter of fista must have 12 nodes \(one per atom\). Got 3"):
        sl.fista(x, D, 0.1, prox="tree", tree=sl.Tree([-1, 0, 0]))
    with pytest.raises(ValueError, match=r"The 'groups' parameter of fista must be of shape \(n_groups, 12\)"):
        sl.fista(x, D, 0.1, prox="group", groups=sl.contiguous_groups(10, 5))


def test_solver_callable_prox_checks(problem):
    x, D = problem
    with pytest.raises(TypeError, match=r"The 'penalty' parameter of ista must be a callable"):
        sl.ista(x, D, 0.1, prox=lambda v, t: v, penalty=3)
    with pytest.warns(UserWarning, match=r"callable prox without 'penalty'"):
        sl.ista(x, D, 0.1, prox=lambda v, t: sl.soft_threshold(v, t), max_iter=5, tol=0.5)


def test_lipschitz_rejects_unknown_method(problem):
    _, D = problem
    with pytest.raises(ValueError, match=r"The 'method' parameter of lipschitz must be 'auto', 'exact' or 'power'"):
        sl.lipschitz(D, method="svd")


# ---------------------------------------------------------------- proximal operators
@pytest.mark.parametrize("t", [-0.5, math.nan])
def test_prox_rejects_bad_threshold(t):
    with pytest.raises(ValueError, match=r"The 't' parameter of soft_threshold must be a non-negative finite number"):
        sl.soft_threshold(torch.ones(3), t)


def test_prox_rejects_bad_tensor_threshold():
    v = torch.ones(4, 6)
    with pytest.raises(ValueError, match=r"The 't' parameter of soft_threshold must be non-negative and finite"):
        sl.soft_threshold(v, torch.tensor([-1.0]))
    with pytest.raises(ValueError, match=r"The 't' parameter of soft_threshold must be a float or a tensor broadcastable "
                                         r"to shape \(4, 6\). Got shape \(5,\)"):
        sl.soft_threshold(v, torch.ones(5))
    G = sl.contiguous_groups(6, 2)
    with pytest.raises(ValueError, match=r"The 't' parameter of group_soft_threshold must be a float or a tensor of "
                                         r"shape \(\.\.\., 1\).*one threshold for a whole group"):
        sl.group_soft_threshold(v, torch.ones(6), G)


def test_group_prox_refuses_overlapping_groups():
    G = sl.torus_groups(3, 2)
    with pytest.raises(ValueError, match=r"The 'G' parameter of group_soft_threshold must be non-overlapping groups.*"
                                         r"smooth penalty.*GroupSparseAutoencoder.*prox='tree'"):
        sl.group_soft_threshold(torch.ones(2, 9), 0.1, G)


def test_group_prox_refuses_weighted_groups():
    G = 0.5 * sl.contiguous_groups(6, 2)
    with pytest.raises(ValueError, match=r"The 'G' parameter of group_soft_threshold must be a 0/1 membership matrix"):
        sl.group_soft_threshold(torch.ones(2, 6), 0.1, G)


def test_grouping_rejects_negative_or_mismatched():
    z = torch.ones(2, 6)
    with pytest.raises(ValueError, match=r"The 'G' parameter of group_l2 must be a matrix of non-negative finite weights"):
        sl.group_l2(z, -sl.contiguous_groups(6, 3))
    with pytest.raises(ValueError, match=r"The 'G' parameter of group_l2 must be of shape \(n_groups, 6\) to match the "
                                         r"code's 6 atoms. Got shape \(2, 8\)"):
        sl.group_l2(z, sl.contiguous_groups(8, 4))
    with pytest.raises(ValueError, match=r"The 'G' parameter of group_l2 must be a 2-D tensor"):
        sl.group_l2(z, torch.ones(6))


def test_tree_prox_checks_tree_and_size():
    with pytest.raises(TypeError, match=r"The 'tree' parameter of tree_prox must be a sparselib.groups.Tree"):
        sl.tree_prox(torch.ones(3), 0.1, [-1, 0, 0])
    with pytest.raises(ValueError, match=r"The 'v' parameter of tree_prox must have 3 atoms \(one per tree node\)"):
        sl.tree_prox(torch.ones(4), 0.1, sl.Tree([-1, 0, 0]))


# ---------------------------------------------------------------- penalties
def test_penalties_reject_bad_shapes():
    with pytest.raises(ValueError, match=r"The 'z' parameter of l1 must be a 1-D or 2-D tensor"):
        sl.l1(torch.ones(2, 2, 2))
    with pytest.raises(ValueError, match=r"The 'S' parameter of lateral_inhibition must be of shape \(4, 4\)"):
        sl.lateral_inhibition(torch.ones(2, 4), torch.ones(3, 3))
    with pytest.raises(TypeError, match=r"The 'z' parameter of l1 must be a torch.Tensor"):
        sl.l1([1.0, 2.0])
    with pytest.raises(ValueError, match=r"The 'eps' parameter of group_l2 must be a non-negative finite number"):
        sl.group_l2(torch.ones(4), sl.contiguous_groups(4, 2), eps=-1.0)


# ---------------------------------------------------------------- groupings and trees
def test_contiguous_groups_size_must_divide():
    with pytest.raises(ValueError, match=r"The 'size' parameter of contiguous_groups must divide n_atoms=10. Got 3"):
        sl.contiguous_groups(10, 3)
    with pytest.raises(ValueError, match=r"The 'size' parameter of contiguous_groups must be an int >= 1. Got 0"):
        sl.contiguous_groups(10, 0)


def test_torus_groups_size_bounds():
    with pytest.raises(ValueError, match=r"The 'size' parameter of torus_groups must be at most side=3. Got 4"):
        sl.torus_groups(3, 4)


@pytest.mark.parametrize("parent,pattern", [
    ([-1, 0, 5], r"parent\[2\] = 5"),
    ([-1, -2], r"parent\[1\] = -2"),
    ([0], r"parent\[0\] = 0"),
])
def test_tree_rejects_out_of_range_parents(parent, pattern):
    with pytest.raises(ValueError, match=r"The 'parent' parameter of Tree must hold -1 or a node index.*" + pattern):
        sl.Tree(parent)


def test_tree_rejects_cycles():
    with pytest.raises(ValueError, match=r"The 'parent' parameter of Tree must describe a forest \(no cycles\). "
                                         r"Got a cycle through nodes \[1, 2\]"):
        sl.Tree([-1, 2, 1])


def test_tree_rejects_non_integer_parents():
    with pytest.raises(TypeError, match=r"The 'parent' parameter of Tree must be a 1-D sequence of ints"):
        sl.Tree([-1, 0.5])
    with pytest.raises(TypeError, match=r"The 'parent' parameter of Tree must be a 1-D sequence of ints"):
        sl.Tree(torch.tensor([-1.0, 0.0]))
    with pytest.raises(ValueError, match=r"The 'parent' parameter of Tree must have at least one node"):
        sl.Tree([])


def test_tree_accepts_numpy_and_tensor_parents():
    assert sl.Tree(np.array([-1, 0, 0])).n_nodes == 3
    assert sl.Tree(torch.tensor([-1, 0, 1])).n_nodes == 3


def test_tree_inhibition_checks():
    with pytest.raises(TypeError, match=r"The 'tree' parameter of tree_inhibition must be a sparselib.groups.Tree"):
        sl.tree_inhibition([-1, 0])
    with pytest.raises(ValueError, match=r"The 'scale' parameter of tree_inhibition must be a non-negative finite number"):
        sl.tree_inhibition(sl.Tree([-1, 0]), scale=-1.0)


# ---------------------------------------------------------------- LISTA
def test_lista_checks(problem):
    x, D = problem
    with pytest.raises(ValueError, match=r"The 'n_layers' parameter of LISTA must be an int >= 1. Got 0"):
        LISTA(D, 0.1, 0)
    with pytest.raises(ValueError, match=r"The 'lam' parameter of LISTA must be a non-negative finite number"):
        LISTA(D, -0.1, 3)
    model = LISTA(D, 0.1, 3)
    with pytest.raises(ValueError, match=r"The 'model.W_d' parameter of LISTA.forward must be of shape "
                                         r"\(n_features, n_atoms\) with n_features = 7"):
        model(torch.ones(2, 7))
    with pytest.raises(ValueError, match=r"The 'y' parameter of LISTA.loss must be target codes of shape \(5, 12\)"):
        model.loss(x, torch.zeros(5, 11))


# ---------------------------------------------------------------- dtype and device are kept
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dtype_preserved(dtype, problem):
    x, D = problem
    x, D = x.to(dtype), D.to(dtype)
    z, info = sl.fista(x, D, 0.1)
    assert z.dtype == dtype and info["objective"].dtype == dtype
    assert sl.soft_threshold(x, 0.1).dtype == dtype
    assert sl.group_l2(x, sl.contiguous_groups(8, 2)).dtype == dtype
    assert sl.tree_prox(x, 0.1, sl.Tree.complete(1, 7)).dtype == dtype
    # a float64 dictionary with float32 data gives float32 codes (the data's dtype wins)
    z32, _ = sl.ista(x.float(), D.double(), 0.1, max_iter=3, tol=0)
    assert z32.dtype == torch.float32
