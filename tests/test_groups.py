"""Groupings against the conventions of DESIGN.md §3, built here with explicit loops."""
import math

import numpy as np
import pytest
import torch

from sparselib import Tree, contiguous_groups, torus_groups, tree_inhibition
from sparselib.groups import blurred_map_groups, map_groups


def dense(G):
    return np.asarray(torch.as_tensor(G).double().cpu().numpy())


# ----------------------------------------------------------------------------- references

def preorder(parent):
    """Depth-first preorder: roots by increasing index, children by increasing index."""
    n = len(parent)
    children = [[] for _ in range(n)]
    for i, p in enumerate(parent):
        if p >= 0:
            children[p].append(i)  # appended in increasing i
    order = []

    def visit(i):
        order.append(i)
        for c in children[i]:
            visit(c)

    for r in range(n):
        if parent[r] == -1:
            visit(r)
    return order


def ancestors(parent, i):
    out = set()
    j = parent[i]
    while j != -1:
        out.add(j)
        j = parent[j]
    return out


def random_forest_parent(n, rng, p_root=0.2):
    base = [-1] + [(-1 if rng.random() < p_root else int(rng.integers(0, i))) for i in range(1, n)]
    perm = rng.permutation(n)
    parent = [0] * n
    for i, p in enumerate(base):
        parent[perm[i]] = -1 if p < 0 else int(perm[p])
    return parent


# ----------------------------------------------------------------------------- contiguous / torus

@pytest.mark.parametrize("n_atoms, size", [(12, 1), (12, 3), (12, 4), (12, 12), (256, 16)])
def test_contiguous_groups(n_atoms, size):
    G = dense(contiguous_groups(n_atoms, size))
    expected = np.zeros((n_atoms // size, n_atoms))
    for g in range(n_atoms // size):
        for i in range(g * size, (g + 1) * size):
            expected[g, i] = 1
    np.testing.assert_array_equal(G, expected)


@pytest.mark.parametrize("side, size", [(1, 1), (4, 1), (4, 2), (5, 3), (6, 6), (8, 3)])
def test_torus_groups_convention(side, size):
    G = dense(torus_groups(side, size))
    n = side * side
    expected = np.zeros((n, n))
    for r in range(side):
        for c in range(side):
            for i in range(size):
                for j in range(size):
                    expected[r * side + c, ((r + i) % side) * side + (c + j) % side] = 1
    np.testing.assert_array_equal(G, expected)


def test_torus_groups_hand_example():
    G = dense(torus_groups(3, 2))
    # group of unit (2, 2): rows {2, 0} x columns {2, 0} -> units 8, 6, 2, 0
    assert set(np.flatnonzero(G[8])) == {0, 2, 6, 8}
    # group of unit (0, 1): rows {0, 1} x columns {1, 2} -> units 1, 2, 4, 5
    assert set(np.flatnonzero(G[1])) == {1, 2, 4, 5}
    # every unit belongs to size² groups
    np.testing.assert_array_equal(G.sum(0), np.full(9, 4.0))


# ----------------------------------------------------------------------------- Tree

def test_tree_groups_hand_example():
    #        0            5
    #      /   \          |
    #     1     2         6
    #    / \
    #   3   4
    parent = [-1, 0, 0, 1, 1, -1, 5]
    G = dense(Tree(parent).groups())
    expected_rows = [  # preorder: 0, 1, 3, 4, 2, 5, 6
        {0, 1, 2, 3, 4}, {1, 3, 4}, {3}, {4}, {2}, {5, 6}, {6},
    ]
    assert G.shape == (7, 7)
    for row, exp in zip(G, expected_rows):
        assert set(np.flatnonzero(row)) == exp
    np.testing.assert_array_equal(np.unique(G), [0.0, 1.0])


def test_tree_groups_children_by_increasing_index_not_by_position():
    # root 4; its children 0 and 3 (0 first); 3's children 1 and 2; a second root 5 -> (child 6)
    parent = [4, 3, 3, 4, -1, -1, 5]
    G = dense(Tree(parent).groups())
    expected_rows = [{0, 1, 2, 3, 4}, {0}, {1, 2, 3}, {1}, {2}, {5, 6}, {6}]  # 4, 0, 3, 1, 2, 5, 6
    for row, exp in zip(G, expected_rows):
        assert set(np.flatnonzero(row)) == exp


@pytest.mark.parametrize("seed", range(10))
def test_tree_groups_random_forests(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    parent = random_forest_parent(n, rng)
    for as_tensor in (False, True):
        tree = Tree(torch.tensor(parent) if as_tensor else parent)
        G = dense(tree.groups())
        assert G.shape == (n, n)
        for row, node in zip(G, preorder(parent)):
            members = {node} | {i for i in range(n) if node in ancestors(parent, i)}
            assert set(np.flatnonzero(row)) == members


def test_tree_groups_dtype():
    tree = Tree([-1, 0, 0])
    assert tree.groups().is_floating_point()
    assert tree.groups(dtype=torch.float64).dtype == torch.float64


def test_tree_single_node_and_all_roots():
    np.testing.assert_array_equal(dense(Tree([-1]).groups()), [[1.0]])
    np.testing.assert_array_equal(dense(Tree([-1, -1, -1]).groups()), np.eye(3))


# ----------------------------------------------------------------------------- tree_inhibition

@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("scale", [1.0, 0.25])
def test_tree_inhibition(seed, scale):
    rng = np.random.default_rng(50 + seed)
    n = int(rng.integers(2, 25))
    parent = random_forest_parent(n, rng)
    S = dense(tree_inhibition(Tree(parent), scale=scale) if scale != 1.0 else tree_inhibition(Tree(parent)))
    assert S.shape == (n, n)
    np.testing.assert_array_equal(S, S.T)
    np.testing.assert_array_equal(np.diag(S), np.zeros(n))
    for i in range(n):
        anc_i = ancestors(parent, i)
        for j in range(n):
            related = i == j or j in anc_i or i in ancestors(parent, j)
            assert S[i, j] == (0.0 if related else scale), (parent, i, j)


def test_tree_inhibition_hand_example():
    parent = [-1, 0, 0, 1, -1]  # 0 -> {1 -> 3, 2}; 4 alone
    S = dense(tree_inhibition(Tree(parent), scale=2.0))
    expected = np.array([
        [0, 0, 0, 0, 2],
        [0, 0, 2, 0, 2],
        [0, 2, 0, 2, 2],
        [0, 0, 2, 0, 2],
        [2, 2, 2, 2, 0],
    ], dtype=float)
    np.testing.assert_array_equal(S, expected)


# ----------------------------------------------------------------------------- sheet windows

@pytest.mark.parametrize("rows, cols, size", [(3, 4, 2), (5, 5, 1), (4, 6, 4), (7, 3, 3), (1, 1, 1)])
def test_map_groups_convention(rows, cols, size):
    G = map_groups(rows, cols, size)
    assert G.dtype == torch.get_default_dtype()
    expected = np.zeros(((rows - size + 1) * (cols - size + 1), rows * cols))
    for r in range(rows - size + 1):
        for c in range(cols - size + 1):
            for i in range(size):
                for j in range(size):
                    expected[r * (cols - size + 1) + c, (r + i) * cols + c + j] = 1
    np.testing.assert_array_equal(dense(G), expected)


def test_map_groups_is_the_torus_without_wrap_around():
    side, size = 6, 3
    T, M = dense(torus_groups(side, size)), dense(map_groups(side, side, size))
    fits = [r * side + c for r in range(side - size + 1) for c in range(side - size + 1)]
    np.testing.assert_array_equal(T[fits], M)              # torus group r*side + c starts at (r, c)


def test_map_groups_bad_inputs():
    with pytest.raises(ValueError, match="'size' parameter of map_groups must be at most"):
        map_groups(3, 5, 4)
    with pytest.raises(ValueError, match="'rows' parameter of map_groups"):
        map_groups(0, 5, 1)
    with pytest.raises(ValueError, match="'size' parameter of map_groups must be at most"):
        blurred_map_groups(3, 5, 4, 1.0)                   # the blurred windows check alike


def test_blurred_map_groups_closed_form_and_limits():
    assert torch.equal(blurred_map_groups(5, 6, 3, 0.0), map_groups(5, 6, 3))
    # a tiny blur is the box; the weights are the box convolved with a Gaussian, peak 1
    torch.testing.assert_close(blurred_map_groups(5, 6, 3, 1e-3), map_groups(5, 6, 3))
    sigma, G = 1.5, blurred_map_groups(7, 7, 3, 1.5)
    Phi = lambda t: 0.5 * (1 + math.erf(t / (sigma * math.sqrt(2))))  # noqa: E731

    def w(i, lo):                                   # one axis, window [lo, lo + 2]
        return Phi(i - lo + 0.5) - Phi(i - lo - 2.5)
    g = 2 * 5 + 3                                   # window at row 2, column 3 of the 5 x 5 positions
    peak = w(3, 2) * w(4, 3)                        # its centre unit (3, 4)
    for unit, (i, j) in ((0, (0, 0)), (3 * 7 + 4, (3, 4)), (6 * 7 + 6, (6, 6))):
        assert float(G[g, unit]) == pytest.approx(w(i, 2) * w(j, 3) / peak, rel=1e-5)
    assert torch.allclose(G.max(1).values, torch.ones(len(G)))
    assert float(G[g].sum()) > float(map_groups(7, 7, 3)[g].sum())        # reaches further
    with pytest.raises(ValueError, match="'sigma' parameter of blurred_map_groups"):
        blurred_map_groups(5, 5, 3, -1.0)


# ----------------------------------------------------------------------------- Tree.same_branch / induced

@pytest.mark.parametrize("seed", range(4))
def test_same_branch_is_one_path(seed):
    rng = np.random.default_rng(80 + seed)
    n = int(rng.integers(1, 20))
    parent = random_forest_parent(n, rng)
    B = Tree(parent).same_branch()
    assert B.dtype == torch.bool and B.shape == (n, n)
    for i in range(n):
        for j in range(n):
            on_one_path = i == j or j in ancestors(parent, i) or i in ancestors(parent, j)
            assert bool(B[i, j]) == on_one_path, (parent, i, j)


def test_induced_tree_hand_example_and_errors():
    tree = Tree([-1, 0, 0, 1, 1, 2, 2])                    # 0 -> (1, 2), 1 -> (3, 4), 2 -> (5, 6)
    assert tree.induced([0, 1, 3, 4]).parent.tolist() == [-1, 0, 1, 1]
    assert tree.induced([4, 1, 6]).parent.tolist() == [1, -1, -1]    # given order; cut parents: roots
    assert tree.induced(range(7)).parent.tolist() == tree.parent.tolist()
    for bad in ([], [0, 0], [0, 7], [-1]):
        with pytest.raises(ValueError, match="'nodes' parameter of Tree.induced must be distinct node indices"):
            tree.induced(bad)
