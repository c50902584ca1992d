"""The explorers' compute functions return what they claim (no display, no widgets)."""
import itertools
import os

import pytest
import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import explore  # noqa: E402
from sparselib.groups import Tree, tree_inhibition  # noqa: E402
from sparselib.models.drsae import DrSAE  # noqa: E402



# ----------------------------------------------------------------------- penalty geometry

@pytest.mark.parametrize("lam", [0.0, 0.3, 0.8, 1.7])
def test_penalty_prox_points_satisfy_their_optimality_conditions(lam):
    v = torch.tensor([1.5, 0.7], dtype=torch.float64)
    p = explore.penalty_geometry(lam, v).prox
    # L1: v - p = lam * sign(p) on the support, |v_i| <= lam off it.
    r = v - p["l1"]
    on = p["l1"] != 0
    torch.testing.assert_close(r[on], lam * torch.sign(p["l1"][on]))
    assert bool((r[~on].abs() <= lam + 1e-12).all())
    # Group L2 (one group of two): v - p = lam * p / ||p|| if p != 0, else ||v|| <= lam.
    g = p["group"]
    if g.norm() > 0:
        torch.testing.assert_close(v - g, lam * g / g.norm())
    else:
        assert v.norm() <= lam
    # Lateral inhibition s|z1||z2| (s = 1), non-convex: a stationary point and the global
    # minimiser over a fine grid.
    c = p["inhibition"]
    for i, j in ((0, 1), (1, 0)):
        if c[i] != 0:
            torch.testing.assert_close(v[i] - c[i], lam * torch.sign(c[i]) * c[j].abs())
        else:
            assert abs(v[i]) <= lam * abs(c[j]) + 1e-12
    axis = torch.linspace(-2, 2, 801, dtype=torch.float64)
    Z = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), -1).reshape(-1, 2)

    def objective(z):
        return 0.5 * ((z - v) ** 2).sum(-1) + lam * z[..., 0].abs() * z[..., 1].abs()

    assert float(objective(c)) <= float(objective(Z).min()) + 1e-9


def test_inhibition_prox_matches_brute_force_on_many_points():
    gen = torch.Generator().manual_seed(0)
    V = 3 * torch.rand(60, 2, generator=gen, dtype=torch.float64) - 1.5
    axis = torch.linspace(-2, 2, 241, dtype=torch.float64)    # the prox can only beat a grid
    Z = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), -1).reshape(-1, 2)   # (m, 2)
    for t, s in ((0.4, 1.0), (1.3, 1.0), (0.5, 3.0)):
        P = explore.inhibition_prox_2d(V, t, s)                                       # (60, 2)
        obj = 0.5 * ((P - V) ** 2).sum(-1) + t * s * P.abs().prod(-1)
        grid = 0.5 * ((Z[None] - V[:, None]) ** 2).sum(-1) + t * s * Z.abs().prod(-1)[None]
        assert bool((obj <= grid.min(1).values + 1e-9).all())
        assert bool((torch.sign(P) * torch.sign(V) >= 0).all())       # never changes a sign


def test_sparsifying_regions_grow_with_lambda():
    small, large = explore.penalty_geometry(0.2), explore.penalty_geometry(1.0)
    for name in explore.PENALTIES:
        assert bool((large.zeros[name] >= small.zeros[name]).all()), name
        assert int(large.zeros[name].sum()) > int(small.zeros[name].sum()), name
    # L1 and group L2 send the square / disc of radius lam to 0; the inhibition never does.
    axis = large.axis
    X, Y = torch.meshgrid(axis, axis, indexing="xy")
    torch.testing.assert_close(large.zeros["l1"] == 2, (X.abs() <= 1.0) & (Y.abs() <= 1.0))
    torch.testing.assert_close(large.zeros["group"] == 2, X**2 + Y**2 <= 1.0)
    assert int((large.zeros["inhibition"] == 2).sum()) <= 1           # only the origin itself


# ----------------------------------------------------------------------- sparse code vs λ

@pytest.fixture(scope="module")
def dictionary():
    gen = torch.Generator().manual_seed(1)
    W_d = torch.nn.functional.normalize(torch.randn(20, 40, generator=gen, dtype=torch.float64), dim=0)
    z = torch.zeros(40, dtype=torch.float64)
    z[[3, 11, 27]] = torch.tensor([1.0, -0.7, 0.5], dtype=torch.float64)
    return W_d, W_d @ z + 0.01 * torch.randn(20, generator=gen, dtype=torch.float64)


@pytest.mark.parametrize("lam", [0.01, 0.1, 0.5])
def test_sparse_code_satisfies_the_lasso_kkt_conditions(dictionary, lam):
    W_d, x = dictionary
    r = explore.sparse_code(x, W_d, lam)
    corr = W_d.T @ (x - r.x_hat)                                    # (n_atoms,)
    on = r.z != 0
    torch.testing.assert_close(corr[on], lam * torch.sign(r.z[on]), atol=1e-5, rtol=0)
    assert bool((corr[~on].abs() <= lam + 1e-5).all())
    assert r.n_active == int(on.sum())
    torch.testing.assert_close(torch.tensor(r.rel_error, dtype=torch.float64),
                               ((x - W_d @ r.z) ** 2).sum() / (x ** 2).sum())


def test_sparse_code_is_zero_past_the_largest_correlation(dictionary):
    W_d, x = dictionary
    lam_max = float((W_d.T @ x).abs().max())
    assert explore.sparse_code(x, W_d, 1.01 * lam_max).n_active == 0
    assert explore.sparse_code(x, W_d, 0.95 * lam_max).n_active >= 1


# ----------------------------------------------------------------------- DrSAE

def test_drsae_frame_is_the_models_code_at_iteration_t():
    torch.manual_seed(0)
    model = DrSAE(16, 12, 3, n_iter=5, init="lista").double()
    x = torch.rand(16, dtype=torch.float64)
    part = torch.zeros(12, dtype=torch.bool)
    part[:4] = True
    cat = torch.zeros(12, dtype=torch.bool)
    cat[4:6] = True
    codes = model(x[None]).codes[:, 0]                              # (5, 12)
    for t in (1, 3, 5):
        f = explore.drsae_frame(model, x, t, part, cat)
        torch.testing.assert_close(f.z, codes[t - 1])
        torch.testing.assert_close(f.part, codes[:, :4].mean(1))
        torch.testing.assert_close(f.categorical, codes[:, 4:6].mean(1))
        assert f.n_active == int((codes[t - 1] > 0).sum()) and f.t == t
    empty = explore.drsae_frame(model, x, 2, part, torch.zeros(12, dtype=torch.bool))
    assert bool((empty.categorical == 0).all())


# ----------------------------------------------------------------------- group sparsity

def test_block_groups_tile_the_grid():
    G = explore.block_groups(4, 2)
    assert G.shape == (4, 16)
    assert bool((G.sum(0) == 1).all()) and bool((G.sum(1) == 4).all())
    assert torch.nonzero(G[0]).flatten().tolist() == [0, 1, 4, 5]    # a 2 × 2 block, row-major
    with pytest.raises(ValueError, match="The 'size' parameter of block_groups must divide side=4"):
        explore.block_groups(4, 3)


@pytest.mark.parametrize("size", [1, 2, 4])
def test_group_code_switches_whole_groups_on_and_off(size):
    gen = torch.Generator().manual_seed(2)
    W_d = torch.nn.functional.normalize(torch.randn(30, 64, generator=gen, dtype=torch.float64), dim=0)
    x = W_d[:, [9, 10, 17, 18]].sum(1)
    counts = []
    for lam in (0.05, 0.2, 0.8):
        r = explore.group_code(x, W_d, lam, size, 8)
        nonzero = (r.z != 0).to(torch.float64)
        per_group = r.G @ nonzero                                   # non-zeros in each group
        assert bool(((per_group == 0) | (per_group == size * size)).all())   # all or nothing
        assert bool((r.z[(r.G[~r.group_on].sum(0) > 0)] == 0).all())          # zeroed groups: 0
        counts.append(int(r.group_on.sum()))
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_group_code_with_singleton_groups_is_the_l1_code():
    gen = torch.Generator().manual_seed(3)
    W_d = torch.nn.functional.normalize(torch.randn(12, 16, generator=gen, dtype=torch.float64), dim=0)
    x = torch.randn(12, generator=gen, dtype=torch.float64)
    torch.testing.assert_close(explore.group_code(x, W_d, 0.2, 1, 4).z,
                               explore.sparse_code(x, W_d, 0.2).z, atol=1e-6, rtol=0)


# ----------------------------------------------------------------------- lateral inhibition

def test_branch_pairs_are_the_zero_entries_of_tree_inhibition():
    tree = Tree.complete(2, 2)
    off = tree_inhibition(tree, 1.0) > 0
    same = explore.branch_pairs(tree)
    eye = torch.eye(tree.n_nodes, dtype=torch.bool)
    assert torch.equal(same | off | eye, torch.ones_like(same)) and not bool((same & off).any())
    assert bool(same[0, 6]) and not bool(same[3, 4])                 # root-leaf vs two leaves


def test_stronger_inhibition_leaves_fewer_off_branch_pairs():
    tree = Tree.complete(2, 2)                                     # 7 units: 0; 1, 2; 3..6
    gen = torch.Generator().manual_seed(4)
    W_d = torch.nn.functional.normalize(torch.randn(16, 7, generator=gen, dtype=torch.float64), dim=0)
    z = torch.zeros(12, 7, dtype=torch.float64)
    for b, (leaf, other) in enumerate(itertools.islice(itertools.cycle([(3, 5), (4, 6), (5, 3), (6, 2)]), 12)):
        z[b, [0, (leaf - 1) // 2, leaf]] = 1.0                     # one branch
        z[b, other] = 0.8                                          # and one unit off it
    X = z @ W_d.T
    results = [explore.inhibition_code(X, W_d, tree, s) for s in (0.0, 0.3, 1.0, 3.0)]
    off = [r.off_branch for r in results]
    assert off == sorted(off, reverse=True) and off[0] > 0 and off[-1] < off[0]
    for r in results:                                              # counts match the codes
        act = (r.z != 0).to(torch.float64)
        co = act.T @ act
        co.fill_diagonal_(0)
        assert int(r.co_active.sum()) == int(co.sum())
        assert r.off_branch + r.on_branch == int(co.sum()) // 2
        assert bool((r.z >= 0).all())


# ----------------------------------------------------------------------- L2 pooling and shifts

def delta_model(window=2):
    """One 3 × 3 identity filter (the map is the image), no bias, gain 1, groups of one, eps 0."""
    from sparselib.models.conv import ConvGroupSparseAutoencoder

    model = ConvGroupSparseAutoencoder(1, 1, 3, group_size=1, pool=window, pool_stride=1,
                                       padding=1, eps=0.0).double()
    with torch.no_grad():
        model.W_e.zero_()
        model.W_e[0, 0, 1, 1] = 1.0
        model.b.zero_()
        model.g.fill_(1.0)
    return model


def test_shift_image_moves_columns_and_fills_zeros():
    x = torch.arange(12.0).reshape(1, 3, 4)
    assert torch.equal(explore.shift_image(x, 0), x)
    assert torch.equal(explore.shift_image(x, 1)[..., 1:], x[..., :-1])
    assert bool((explore.shift_image(x, 1)[..., 0] == 0).all())
    assert torch.equal(explore.shift_image(x, -2)[..., :2], x[..., 2:])
    assert bool((explore.shift_image(x, 5) == 0).all())


def test_l2_pool_matches_the_models_pooling():
    from sparselib.models.conv import ConvGroupSparseAutoencoder

    torch.manual_seed(0)
    model = ConvGroupSparseAutoencoder(1, 6, 3, group_size=3, pool=2, pool_stride=1, padding=1)
    z = model.encode(torch.rand(2, 1, 7, 7)).detach()
    torch.testing.assert_close(explore.l2_pool(z, 3, 2, eps=model.eps), model.pooled(z))


@pytest.mark.parametrize("window", [1, 2, 3])
def test_zero_shift_changes_nothing(window):
    torch.manual_seed(0)
    x = torch.rand(1, 8, 8, dtype=torch.float64)
    r = explore.pooling_shift(delta_model(), x, 0, window)
    assert r.rel_x == r.rel_z == r.rel_pooled == 0.0
    assert r.x.shape == (1, 8, 8) and r.z.shape == (1, 8, 8)
    assert r.pooled.shape == (1, 9 - window, 9 - window)


@pytest.mark.parametrize("window", [2, 3, 4])
def test_pooling_a_dot_changes_less_than_its_feature_map(window):
    """A single bright pixel and an identity filter: the map is the pixel, so a one-pixel
    shift changes it by ‖δ_a − δ_b‖ / ‖δ‖ = √2. The dot lies in w² windows of width w, and
    w of them change (w² − w kept): the pooled change is √(2w) / w = √(2 / w) < √2."""
    x = torch.zeros(1, 11, 11, dtype=torch.float64)
    x[0, 5, 5] = 1.0
    for shift in (1, -1):
        r = explore.pooling_shift(delta_model(), x, shift, window)
        assert r.rel_z == pytest.approx(2 ** 0.5)
        assert r.rel_pooled == pytest.approx((2 / window) ** 0.5)
        assert r.rel_pooled < r.rel_z


def test_pooling_a_stroke_with_random_filters_changes_less_than_the_maps():
    """Not a theorem, a check on a fixed case: a vertical stroke, 8 random filters (seed 0)."""
    from sparselib.models.conv import ConvGroupSparseAutoencoder

    torch.manual_seed(0)
    model = ConvGroupSparseAutoencoder(1, 8, 3, group_size=2, pool=2, pool_stride=1, padding=1,
                                       scale_init=1.0)
    x = torch.zeros(1, 8, 8)
    x[0, 1:7, 3:5] = 1.0
    for shift in (-1, 1):
        r = explore.pooling_shift(model, x, shift, 2)
        assert 0 < r.rel_pooled < r.rel_z
