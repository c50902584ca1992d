"""sparselib.functional, equation by equation, against closed forms, optimality conditions
and references written here with loops (no sparselib code in the references)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from sparselib import functional as sf
from sparselib.groups import Tree, contiguous_groups

DT = torch.float64


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_soft_threshold_closed_form_and_in_place_forms():
    v = torch.tensor([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0], dtype=DT)
    assert sf.soft_threshold(v, 1.0).tolist() == [-2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]
    assert sf.soft_threshold(v, 1.0, nonneg=True).tolist() == [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]
    w = torch.randn(50, 20, generator=gen(), dtype=DT) * 2
    out = sf.soft_threshold_(w.clone(), 0.7)
    assert torch.equal(out, sf.soft_threshold(w, 0.7))  # the fused pass is the same function
    buf = w.clone()
    assert sf.nonneg_soft_threshold_(buf, 0.7) is buf
    assert torch.equal(buf, sf.soft_threshold(w, 0.7, nonneg=True))


def test_soft_threshold_is_the_prox_of_l1():
    """KKT of argmin ½‖z − v‖² + t‖z‖₁: v − z = t·sign(z) where z ≠ 0, |v| ≤ t where z = 0."""
    v = torch.randn(200, 30, generator=gen(1), dtype=DT)
    t = 0.4
    z = sf.soft_threshold(v, t)
    on = z != 0
    assert torch.allclose((v - z)[on], t * torch.sign(z[on]))
    assert bool((v[~on].abs() <= t).all())


def loop_group_soft(v, t, groups):
    out = v.clone()
    for idx in groups:
        norm = math.sqrt(sum(float(v[i]) ** 2 for i in idx))
        scale = max(0.0, 1 - t / norm) if norm > 0 else 0.0
        for i in idx:
            out[i] = v[i] * scale
    return out


def test_group_soft_threshold_matches_the_per_group_formula():
    v = torch.randn(5, 12, generator=gen(2), dtype=DT)
    v[0, :4] = 0.0  # a zero group stays zero
    groups = [[0, 1, 2, 3], [4, 5, 6], [7, 8]]  # atoms 9, 10, 11 in no group
    G = torch.zeros(3, 12, dtype=DT)
    for g, idx in enumerate(groups):
        G[g, idx] = 1.0
    out = sf.group_soft_threshold(v, 0.8, G)
    for b in range(5):
        assert torch.allclose(out[b], loop_group_soft(v[b], 0.8, groups))
    assert torch.equal(out[:, 9:], v[:, 9:])
    # scale invariance of the factors: tiny inputs do not underflow
    tiny = sf.group_soft_threshold(v * 1e-200, 0.8e-200, G)
    assert torch.allclose(tiny * 1e200, out)


def test_tree_prox_is_the_composition_leaves_to_root():
    """Jenatton et al. (2011): for nested groups the prox is the group soft-thresholds
    applied from the smallest groups (leaves) to the largest (root)."""
    parent = [-1, 0, 0, 1, 1, 2, 5]
    tree = Tree(parent)
    subtrees = []
    for node in range(7):
        members, frontier = [node], [node]
        while frontier:
            frontier = [c for c, p in enumerate(parent) if p in frontier]
            members += frontier
        subtrees.append(sorted(members))
    order = sorted(range(7), key=lambda n: -len_depth_of(n, parent))
    v = torch.randn(4, 7, generator=gen(3), dtype=DT) * 2
    out = sf.tree_prox(v, 0.5, tree)
    for b in range(4):
        ref = v[b].clone()
        for node in order:  # deepest first
            ref = loop_group_soft(ref, 0.5, [subtrees[node]])
        assert torch.allclose(out[b], ref)
    assert torch.allclose(sf.tree_prox(v[1], 0.5, tree), out[1])  # one sample, 1-D


def len_depth_of(node, parent):
    d = 0
    while parent[node] >= 0:
        node, d = parent[node], d + 1
    return d


def test_norms_and_energies():
    z = torch.randn(6, 8, generator=gen(4), dtype=DT)
    x = torch.randn(6, 5, generator=gen(5), dtype=DT)
    W = torch.randn(5, 8, generator=gen(6), dtype=DT)
    S = torch.rand(8, 8, generator=gen(7), dtype=DT)
    G = contiguous_groups(8, 4).to(DT)
    zn, xn, Wn, Sn = z.numpy(), x.numpy(), W.numpy(), S.numpy()
    assert np.allclose(sf.l1_norm(z).numpy(), np.abs(zn).sum(1))
    assert np.allclose(sf.group_norms(z, G).numpy(),
                       np.stack([np.linalg.norm(zn[:, :4], axis=1), np.linalg.norm(zn[:, 4:], axis=1)], 1))
    assert np.allclose(sf.group_norms(z, G, eps=0.5).numpy() ** 2,
                       np.stack([(zn[:, :4] ** 2).sum(1), (zn[:, 4:] ** 2).sum(1)], 1) + 0.5)
    a = np.abs(zn)
    assert np.allclose(sf.inhibition_energy(z, S).numpy(), np.einsum("bi,ij,bj->b", a, Sn, a))
    r = xn - zn @ Wn.T
    assert np.allclose(sf.half_squared_norm(torch.as_tensor(r)).numpy(), 0.5 * (r ** 2).sum(1))
    assert np.allclose(sf.half_squared_error(x, z @ W.T).numpy(), 0.5 * (r ** 2).sum(1))
    assert np.allclose(sf.energy(x, z, W, 0.3).numpy(), 0.5 * (r ** 2).sum(1) + 0.3 * np.abs(zn).sum(1))
    assert np.allclose(sf.energy(x, z, W, 0.3, None).numpy(), 0.5 * (r ** 2).sum(1))
    images = torch.randn(3, 2, 4, 4, generator=gen(8), dtype=DT)
    assert np.allclose(sf.half_squared_error(images, 0 * images).numpy(),
                       0.5 * (images.numpy() ** 2).reshape(3, -1).sum(1))


def test_ista_step_is_the_prox_of_the_gradient_step_and_lowers_the_energy():
    x = torch.randn(40, 10, generator=gen(9), dtype=DT)
    W = torch.randn(10, 16, generator=gen(10), dtype=DT)
    W /= W.norm(dim=0)
    L = float(torch.linalg.matrix_norm(W, 2) ** 2)
    z = torch.zeros(40, 16, dtype=DT)
    lam = 0.2
    for _ in range(30):
        new = sf.ista_step(x, z, W, lam, L)
        grad = (z @ W.T - x) @ W
        assert torch.allclose(new, sf.soft_threshold(z - grad / L, lam / L))
        assert bool((sf.energy(x, new, W, lam) <= sf.energy(x, z, W, lam) + 1e-12).all())
        z = new
    # with S = 0 the inhibition step is ISTA's step; nonneg gives the one-sided one
    zero = torch.zeros(16, 16, dtype=DT)
    assert torch.allclose(sf.inhibition_step(x, z, W, lam, zero, L), sf.ista_step(x, z, W, lam, L))
    assert torch.allclose(sf.inhibition_step(x, z, W, lam, zero, L, nonneg=True),
                          sf.ista_step(x, z, W, lam, L, nonneg=True))


def test_inhibition_step_thresholds_by_the_current_code():
    x = torch.randn(3, 4, generator=gen(11), dtype=DT)
    W = torch.randn(4, 5, generator=gen(12), dtype=DT)
    z = torch.randn(3, 5, generator=gen(13), dtype=DT)
    S = torch.rand(5, 5, generator=gen(14), dtype=DT)
    out = sf.inhibition_step(x, z, W, 0.1, S, 7.0)
    for b in range(3):
        for i in range(5):
            v = float(z[b, i] + ((x[b] - W @ z[b]) @ W[:, i]) / 7.0)
            thr = (0.1 + sum(abs(float(z[b, j])) * float(S[j, i]) for j in range(5))) / 7.0
            assert math.isclose(float(out[b, i]), math.copysign(max(abs(v) - thr, 0.0), v), abs_tol=1e-12)


def test_drsae_step():
    x = torch.randn(3, 4, generator=gen(15), dtype=DT)
    W_e = torch.randn(6, 4, generator=gen(16), dtype=DT)
    S = torch.randn(6, 6, generator=gen(17), dtype=DT)
    b = torch.rand(6, generator=gen(18), dtype=DT)
    z0 = sf.drsae_step(x, None, W_e, S, b)
    assert torch.allclose(z0, torch.clamp(x @ W_e.T - b, min=0))
    z1 = sf.drsae_step(x, z0, W_e, S, b)
    assert torch.allclose(z1, torch.clamp(x @ W_e.T + z0 @ S.T - b, min=0))
    assert torch.allclose(sf.drsae_step(x, torch.zeros_like(z0), W_e, S, b), z0)


@pytest.mark.parametrize("pool,stride", [(2, 2), (3, 1), (2, 1)])
def test_l2_pool_sums_squares_over_maps_and_windows(pool, stride):
    z = torch.randn(2, 6, 7, 7, generator=gen(19), dtype=DT)
    out = sf.l2_pool(z, 3, pool, stride, eps=0.25)
    n = (7 - pool) // stride + 1
    assert out.shape == (2, 2, n, n)
    zn = z.numpy()
    for b in range(2):
        for g in range(2):
            for i in range(n):
                for j in range(n):
                    block = zn[b, 3 * g:3 * g + 3, i * stride:i * stride + pool, j * stride:j * stride + pool]
                    assert math.isclose(float(out[b, g, i, j]), math.sqrt((block ** 2).sum() + 0.25), rel_tol=1e-12)
    assert torch.allclose(sf.pool_energy(z, 3, pool, stride), out ** 2 - 0.25)


def test_conv_encode_is_a_gained_rectified_correlation():
    x = torch.randn(2, 1, 5, 5, generator=gen(20), dtype=DT)
    W = torch.randn(3, 1, 3, 3, generator=gen(21), dtype=DT)
    b = torch.rand(3, generator=gen(22), dtype=DT)
    g = torch.rand(3, generator=gen(23), dtype=DT) + 0.5
    out = sf.conv_encode(x, W, b, g, padding=0)
    assert out.shape == (2, 3, 3, 3)
    for n in range(2):
        for k in range(3):
            for i in range(3):
                for j in range(3):
                    u = float((x[n, 0, i:i + 3, j:j + 3] * W[k, 0]).sum() - b[k])
                    assert math.isclose(float(out[n, k, i, j]), float(g[k]) * max(u, 0.0), abs_tol=1e-12)


def test_normalize_columns_in_place():
    W = torch.randn(7, 4, generator=gen(24), dtype=DT)
    W[:, 2] = 0.0
    out = sf.normalize_columns_(W)
    assert out is W
    norms = W.norm(dim=0)
    assert torch.allclose(norms[[0, 1, 3]], torch.ones(3, dtype=DT)) and float(norms[2]) == 0.0


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_sinkhorn_scale_is_d_s_d_with_the_row_sums_of_the_budget(dtype):
    n, budget = 8, 1.5
    A = torch.rand(n, n, generator=gen(27), dtype=DT) + 0.1
    A = ((A + A.T) * (1 - torch.eye(n, dtype=DT))).to(dtype)
    P = sf.sinkhorn_scale(A, budget)
    assert P.dtype == dtype and torch.equal(P, P.T)
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    torch.testing.assert_close(P.sum(1), torch.full((n,), budget, dtype=dtype), atol=tol, rtol=0)
    R = (P.double() / A.double()).masked_fill(torch.eye(n, dtype=torch.bool), 1.0)
    # R[i, j] = d_i d_j off the diagonal: every 2 x 2 minor over distinct indices vanishes
    for i, j, k, l in [(0, 1, 2, 3), (4, 5, 6, 7), (0, 7, 3, 4)]:
        assert R[i, j] * R[k, l] == pytest.approx(float(R[i, l] * R[k, j]), rel=10 * tol)
    torch.testing.assert_close(sf.sinkhorn_scale(A, budget, n_iter=0), A)   # D = I


def test_project_inhibition_keeps_a_matrix_of_the_set_and_zeros_without_budget():
    n = 6
    A = torch.rand(n, n, generator=gen(28), dtype=DT)
    P = sf.sinkhorn_scale((A + A.T) * (1 - torch.eye(n, dtype=DT)), 2.0)   # in the set
    torch.testing.assert_close(sf.project_inhibition(P, 2.0, floor=0.0), P, atol=1e-12, rtol=0)
    assert torch.equal(sf.project_inhibition(A, 0.0), torch.zeros_like(A))
    assert torch.equal(sf.project_inhibition(torch.ones(1, 1), 1.0), torch.zeros(1, 1))


def test_the_solvers_report_the_energy_of_the_code_they_return():
    """The solvers' fast objective (from their residual) is the functional energy."""
    from sparselib.solvers import fista

    x = torch.randn(30, 10, generator=gen(25), dtype=DT)
    W = torch.randn(10, 20, generator=gen(26), dtype=DT)
    W /= W.norm(dim=0)
    z, info = fista(x, W, 0.1, max_iter=50, tol=0)
    assert math.isclose(float(info["objective"][-1]), float(sf.energy(x, z, W, 0.1).mean()), rel_tol=1e-12)
