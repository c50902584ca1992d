"""Proximal operators against independent references.

- ``soft_threshold``: the closed form ``sign(v) max(|v| - t, 0)`` (and ``max(v - t, 0)``).
- ``group_soft_threshold``: singleton groups reduce to ``soft_threshold``; the group-lasso
  optimality conditions hold at its output.
- ``tree_prox``: compared with a slow, generic solver of the same problem (block-coordinate
  ascent on the dual in random order, stopped by a duality-gap certificate), which does not
  rely on the leaves-to-root theorem the library uses.
- Property tests (hypothesis) for every operator: non-expansive, ``t = 0`` is the identity,
  finite outputs.
"""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from sparselib import Tree, group_soft_threshold, soft_threshold, tree_prox

DTYPES = [torch.float32, torch.float64]


def tol_for(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- references

def random_forest_parent(n, rng, p_root=0.15):
    """A random forest on ``n`` nodes with arbitrary labels (parents may have larger indices)."""
    base = [-1] + [(-1 if rng.random() < p_root else int(rng.integers(0, i))) for i in range(1, n)]
    perm = rng.permutation(n)  # old label i -> new label perm[i]
    parent = [0] * n
    for i, p in enumerate(base):
        parent[perm[i]] = -1 if p < 0 else int(perm[p])
    return parent


def subtree_index_sets(parent):
    """For every node: the node and all its descendants (found by walking up from each node)."""
    n = len(parent)
    sets = [{i} for i in range(n)]
    for i in range(n):
        j = parent[i]
        while j != -1:
            sets[j].add(i)
            j = parent[j]
    return [np.array(sorted(s)) for s in sets]


def tree_objective(p, v, t, sets):
    return 0.5 * np.sum((p - v) ** 2) + t * sum(np.linalg.norm(p[s]) for s in sets)


def tree_prox_reference(v, t, sets, rng, max_sweeps=20000, gap_tol=1e-15):
    """Exact prox of ``t * sum_g ||p_g||`` by dual block-coordinate ascent, with a certificate.

    Dual: maximise ``½‖v‖² − ½‖v − Σ_g ξ_g‖²`` over ``ξ_g`` supported on group ``g`` with
    ``‖ξ_g‖ ≤ t``; the primal point is ``p = v − Σ_g ξ_g``. Each block update is a projection
    onto a ball; groups are visited in a fresh random order every sweep. The duality gap bounds
    ``P(p) − P*`` and hence ``½‖p − p*‖²`` (the primal is 1-strongly convex).
    """
    v = np.asarray(v, dtype=np.float64)
    xi = [np.zeros(len(s)) for s in sets]
    u = np.zeros_like(v)
    gap = np.inf
    for _ in range(max_sweeps):
        for g in rng.permutation(len(sets)):
            s = sets[g]
            w = v[s] - u[s] + xi[g]
            nw = np.linalg.norm(w)
            new = w if nw <= t else w * (t / nw)
            u[s] += new - xi[g]
            xi[g] = new
        p = v - u
        primal = tree_objective(p, v, t, sets)
        dual = 0.5 * v @ v - 0.5 * np.sum((v - u) ** 2)
        gap = primal - dual
        if gap <= gap_tol * max(1.0, abs(primal)):
            break
    assert gap <= 1e-13 * max(1.0, abs(primal)), f"reference did not certify optimality (gap {gap:.3g})"
    return v - u, gap


def compose_root_to_leaves(v, t, parent):
    """The wrong order: group soft-thresholds applied from the roots down to the leaves."""
    p = np.array(v, dtype=np.float64)
    sets = subtree_index_sets(parent)
    depth = np.zeros(len(parent), dtype=int)
    for i in range(len(parent)):
        j = parent[i]
        while j != -1:
            depth[i] += 1
            j = parent[j]
    for g in np.argsort(depth, kind="stable"):
        s = sets[g]
        nrm = np.linalg.norm(p[s])
        p[s] = 0.0 if nrm <= t else p[s] * (1 - t / nrm)
    return p


def group_matrix_from_labels(labels, n_groups, dtype):
    """0/1 grouping from per-atom labels; label ``n_groups`` means "in no group"."""
    n = len(labels)
    G = torch.zeros(n_groups, n, dtype=dtype)
    for i, g in enumerate(labels):
        if g < n_groups:
            G[g, i] = 1.0
    return G[G.sum(1) > 0]


# ----------------------------------------------------------------------------- soft_threshold

@pytest.mark.parametrize("dtype", DTYPES)
def test_soft_threshold_closed_form(dtype):
    g = torch.Generator().manual_seed(0)
    v = torch.randn(7, 13, generator=g, dtype=dtype) * 2
    for t in [0.0, 0.3, 1.0, 5.0]:
        expected = torch.sign(v) * torch.clamp(v.abs() - t, min=0)
        got = soft_threshold(v, t)
        assert got.dtype == dtype and got.shape == v.shape
        torch.testing.assert_close(got, expected, **tol_for(dtype))
        got_nn = soft_threshold(v, t, nonneg=True)
        torch.testing.assert_close(got_nn, torch.clamp(v - t, min=0), **tol_for(dtype))


def test_soft_threshold_hand_values():
    v = torch.tensor([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0], dtype=torch.float64)
    torch.testing.assert_close(soft_threshold(v, 1.0),
                               torch.tensor([-2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0], dtype=torch.float64))
    torch.testing.assert_close(soft_threshold(v, 1.0, nonneg=True),
                               torch.tensor([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0], dtype=torch.float64))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("t_shape", [(13,), (7, 1), (1, 13), (7, 13), ()])
def test_soft_threshold_tensor_t_broadcasts(dtype, t_shape):
    g = torch.Generator().manual_seed(1)
    v = torch.randn(7, 13, generator=g, dtype=dtype)
    t = torch.rand(t_shape, generator=g, dtype=dtype)
    for nonneg in (False, True):
        got = soft_threshold(v, t, nonneg=nonneg)
        if nonneg:
            expected = torch.clamp(v - t, min=0)
        else:
            expected = torch.sign(v) * torch.clamp(v.abs() - t, min=0)
        assert got.shape == v.shape and got.dtype == dtype
        torch.testing.assert_close(got, expected, **tol_for(dtype))


def test_soft_threshold_1d():
    v = torch.tensor([2.0, -0.2, -4.0])
    torch.testing.assert_close(soft_threshold(v, 0.5), torch.tensor([1.5, 0.0, -3.5]))


# ----------------------------------------------------------------------------- group_soft_threshold

@pytest.mark.parametrize("dtype", DTYPES)
def test_group_soft_threshold_singletons_equal_soft_threshold(dtype):
    g = torch.Generator().manual_seed(2)
    v = torch.randn(9, 11, generator=g, dtype=dtype)
    G = torch.eye(11, dtype=dtype)
    for t in [0.0, 0.2, 0.9, 3.0]:
        torch.testing.assert_close(group_soft_threshold(v, t, G), soft_threshold(v, t), **tol_for(dtype))
    # a per-sample threshold
    t = torch.rand(9, 1, generator=g, dtype=dtype)
    torch.testing.assert_close(group_soft_threshold(v, t, G), soft_threshold(v, t), **tol_for(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_group_soft_threshold_closed_form_and_optimality(dtype):
    rng = np.random.default_rng(3)
    n_atoms, n_groups = 17, 5
    labels = rng.integers(0, n_groups + 1, size=n_atoms)  # label n_groups: in no group
    labels[:n_groups] = np.arange(n_groups)  # every group non-empty
    labels[n_groups] = n_groups  # at least one unpenalised atom
    labels = rng.permutation(labels)
    G = group_matrix_from_labels(labels, n_groups, dtype)
    v = torch.from_numpy(rng.normal(size=(40, n_atoms)) * rng.uniform(0.2, 2, size=(40, 1))).to(dtype)
    t = 0.8
    p = group_soft_threshold(v, t, G)
    assert p.dtype == dtype and p.shape == v.shape
    tol = 1e-5 if dtype == torch.float32 else 1e-11
    in_group = G.sum(0) > 0
    # atoms in no group are left alone
    torch.testing.assert_close(p[:, ~in_group], v[:, ~in_group], rtol=0, atol=0)
    n_zero = n_active = 0
    for b in range(v.shape[0]):
        for row in G:
            idx = row > 0
            vg, pg = v[b, idx].double(), p[b, idx].double()
            if torch.all(pg == 0):
                # zero group: the subgradient condition ‖v_g‖ ≤ t
                assert vg.norm() <= t + tol
                n_zero += 1
            else:
                # active group: v_g − p_g = t p_g / ‖p_g‖
                torch.testing.assert_close(vg - pg, t * pg / pg.norm(), rtol=0, atol=tol * 10)
                n_active += 1
    assert n_zero > 10 and n_active > 10, "the test should exercise both cases"


def test_group_soft_threshold_hand_values():
    G = torch.tensor([[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]], dtype=torch.float64)
    v = torch.tensor([[3.0, 4.0, 0.3, 0.4]], dtype=torch.float64)  # group norms 5 and 0.5
    expected = torch.tensor([[3.0 * 0.8, 4.0 * 0.8, 0.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(group_soft_threshold(v, 1.0, G), expected)


def test_group_soft_threshold_per_sample_t():
    G = torch.tensor([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype=torch.float64)
    v = torch.tensor([[3.0, 4.0, -2.0], [3.0, 4.0, -2.0]], dtype=torch.float64)
    t = torch.tensor([[1.0], [2.5]], dtype=torch.float64)
    expected = torch.tensor([[2.4, 3.2, -1.0], [1.5, 2.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(group_soft_threshold(v, t, G), expected)


# ----------------------------------------------------------------------------- tree_prox

def test_tree_prox_two_node_chain_by_hand():
    # Root 0 with child 1: groups {0, 1} and {1}. v = (2, 2), t = 1.
    # Leaves first: {1}: 2 -> 1; then (2, 1) has norm √5, scaled by 1 − 1/√5.
    v = torch.tensor([2.0, 2.0], dtype=torch.float64)
    got = tree_prox(v, 1.0, Tree([-1, 0]))
    expected = torch.tensor([2.0, 1.0], dtype=torch.float64) * (1 - 1 / 5 ** 0.5)
    torch.testing.assert_close(got, expected)
    # Root first would give (1.2929, 0.2929), with a larger objective.
    wrong = compose_root_to_leaves(v.numpy(), 1.0, [-1, 0])
    np.testing.assert_allclose(wrong, [2 - 2 ** -0.5, 1 - 2 ** -0.5])
    sets = subtree_index_sets([-1, 0])
    assert tree_objective(wrong, v.numpy(), 1.0, sets) > tree_objective(got.numpy(), v.numpy(), 1.0, sets) + 0.05


@pytest.mark.parametrize("seed", range(8))
def test_tree_prox_matches_generic_solver(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(2, 13))
    parent = random_forest_parent(n, rng)
    sets = subtree_index_sets(parent)
    tree = Tree(parent)
    batch = 6
    v = rng.normal(size=(batch, n)) * rng.uniform(0.3, 3.0, size=(batch, 1))
    t = float(rng.uniform(0.1, 1.0))
    got = tree_prox(torch.from_numpy(v), t, tree).numpy()
    assert got.shape == v.shape
    for b in range(batch):
        ref, gap = tree_prox_reference(v[b], t, sets, rng)
        f_got = tree_objective(got[b], v[b], t, sets)
        f_ref = tree_objective(ref, v[b], t, sets)
        # f_ref − gap ≤ P* ≤ f_got: the library's point can be no better than the certificate allows
        assert f_got <= f_ref + 1e-12 * max(1.0, abs(f_ref)), (parent, v[b], t, got[b], ref)
        # ½‖p − p*‖² ≤ P(p) − P*, so the points agree too
        np.testing.assert_allclose(got[b], ref, rtol=0, atol=1e-7, err_msg=f"parent={parent}, t={t}")


@pytest.mark.parametrize("dtype", DTYPES)
def test_tree_prox_forest_dtype_and_per_sample_t(dtype):
    rng = np.random.default_rng(7)
    parent = [3, -1, 1, -1, 3, 1, 0, 6, -1]  # three roots (1, 3, 8), labels out of order
    sets = subtree_index_sets(parent)
    v = rng.normal(size=(5, len(parent)))
    t = rng.uniform(0.0, 1.2, size=(5, 1))
    got = tree_prox(torch.from_numpy(v).to(dtype), torch.from_numpy(t).to(dtype), Tree(parent))
    assert got.dtype == dtype and got.shape == v.shape
    for b in range(5):
        ref, _ = tree_prox_reference(v[b], float(t[b, 0]), sets, rng)
        atol = 1e-5 if dtype == torch.float32 else 1e-7
        np.testing.assert_allclose(got[b].double().numpy(), ref, rtol=0, atol=atol)


def test_root_to_leaves_composition_is_not_the_prox():
    """Composing in the wrong order gives a different point with a worse objective."""
    rng = np.random.default_rng(11)
    worse = 0
    for _ in range(10):
        n = int(rng.integers(4, 12))
        parent = random_forest_parent(n, rng, p_root=0.0)
        sets = subtree_index_sets(parent)
        v = rng.normal(size=n) * 2
        t = 0.7
        ours = tree_prox(torch.from_numpy(v[None]), t, Tree(parent))[0].numpy()
        ref, _ = tree_prox_reference(v, t, sets, rng)
        wrong = compose_root_to_leaves(v, t, parent)
        np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-7)
        f_ref, f_wrong = tree_objective(ref, v, t, sets), tree_objective(wrong, v, t, sets)
        assert f_wrong >= f_ref - 1e-12
        if f_wrong > f_ref + 1e-6 and np.abs(wrong - ours).max() > 1e-4:
            worse += 1
    assert worse >= 5, "root-to-leaves composition should usually be wrong"


def test_tree_prox_large_complete_tree_matches_direct_composition():
    """On a deeper tree, the O(n) lazy-scaling prox equals the direct O(n·depth) composition."""
    n = 2 ** 8 - 1  # complete binary tree, node i has children 2i+1, 2i+2
    parent = [-1] + [(i - 1) // 2 for i in range(1, n)]
    sets = subtree_index_sets(parent)
    depth = np.floor(np.log2(np.arange(n) + 1)).astype(int)
    rng = np.random.default_rng(5)
    v = rng.normal(size=(4, n))
    t = 0.3
    got = tree_prox(torch.from_numpy(v), t, Tree(parent)).numpy()
    for b in range(4):
        p = v[b].copy()
        for g in np.argsort(-depth, kind="stable"):  # leaves first
            s = sets[g]
            nrm = np.linalg.norm(p[s])
            p[s] = 0.0 if nrm <= t else p[s] * (1 - t / nrm)
        np.testing.assert_allclose(got[b], p, rtol=1e-10, atol=1e-12)
        assert 0 < np.count_nonzero(p) < n  # not a trivial instance


# ----------------------------------------------------------------------------- property tests

@st.composite
def vectors_pair(draw, n):
    elems = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)
    u = draw(st.lists(elems, min_size=n, max_size=n))
    w = draw(st.lists(elems, min_size=n, max_size=n))
    return torch.tensor([u, w], dtype=torch.float64)


@st.composite
def prox_case(draw):
    """(name, prox function of (v, t), v pair, t)."""
    kind = draw(st.sampled_from(["soft", "nonneg", "group", "tree"]))
    n = draw(st.integers(1, 12))
    uv = draw(vectors_pair(n))
    t = draw(st.floats(0.0, 100.0, allow_nan=False))
    if kind == "soft":
        return kind, (lambda v, t: soft_threshold(v, t)), uv, t
    if kind == "nonneg":
        return kind, (lambda v, t: soft_threshold(v, t, nonneg=True)), uv, t
    if kind == "group":
        n_groups = draw(st.integers(1, n))
        labels = draw(st.lists(st.integers(0, n_groups), min_size=n, max_size=n))
        G = group_matrix_from_labels(labels, n_groups, torch.float64)
        if G.shape[0] == 0:
            G = torch.ones(1, n, dtype=torch.float64)
        return kind, (lambda v, t: group_soft_threshold(v, t, G)), uv, t
    parent = [-1] + [draw(st.integers(-1, i - 1)) for i in range(1, n)]
    perm = draw(st.permutations(list(range(n))))
    relabelled = [0] * n
    for i, p in enumerate(parent):
        relabelled[perm[i]] = -1 if p < 0 else perm[p]
    tree = Tree(relabelled)
    return kind, (lambda v, t: tree_prox(v, t, tree)), uv, t


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(prox_case())
def test_prox_non_expansive(case):
    kind, prox, uv, t = case
    out = prox(uv, t)
    assert torch.isfinite(out).all()
    dist_in = (uv[0] - uv[1]).norm()
    dist_out = (out[0] - out[1]).norm()
    assert dist_out <= dist_in * (1 + 1e-12) + 1e-9, kind


@pytest.mark.parametrize("dtype, tiny", [(torch.float32, 1e-25), (torch.float64, 1e-200)])
def test_group_prox_t_zero_identity_tiny_values(dtype, tiny):
    """A group norm computed as sqrt(sum v²) underflows for tiny (normal, not subnormal) v;
    the prox with t = 0 must still return v."""
    v = torch.tensor([[tiny, -3 * tiny, 2 * tiny]], dtype=dtype)
    G = torch.ones(1, 3, dtype=dtype)
    torch.testing.assert_close(group_soft_threshold(v, 0.0, G), v, rtol=1e-6, atol=0)
    torch.testing.assert_close(tree_prox(v, 0.0, Tree([-1, 0, 1])), v, rtol=1e-6, atol=0)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(prox_case())
def test_prox_t_zero_is_identity(case):
    kind, prox, uv, _ = case
    out = prox(uv, 0.0)
    if kind == "nonneg":
        # the non-negative variant is the projection onto z ≥ 0 at t = 0
        torch.testing.assert_close(out, uv.clamp(min=0), rtol=0, atol=0)
    else:
        torch.testing.assert_close(out, uv, rtol=1e-15, atol=0)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(prox_case(), st.sampled_from([torch.float32, torch.float64]))
def test_prox_finite_and_dtype_preserved(case, dtype):
    kind, prox, uv, t = case
    out = prox(uv.to(dtype), t)
    assert out.dtype == dtype and out.shape == uv.shape
    assert torch.isfinite(out).all(), kind
    # a proximal point never moves away from the origin: ‖prox(v)‖ ≤ ‖v‖ for these penalties
    assert (out.double().norm(dim=-1) <= uv.to(dtype).double().norm(dim=-1) * (1 + 1e-6) + 1e-6).all()
