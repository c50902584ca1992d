"""Penalties against explicit loops over samples, groups and atoms."""
import math

import numpy as np
import pytest
import torch

from sparselib import contiguous_groups, group_l2, l1, lateral_inhibition, torus_groups

DTYPES = [torch.float32, torch.float64]


def close(dtype):
    return dict(rtol=1e-5, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12)


def l1_loop(z):
    return [sum(abs(float(v)) for v in row) for row in z]


def group_l2_loop(z, G):
    out = []
    for row in z:
        total = 0.0
        for g in range(G.shape[0]):
            total += math.sqrt(sum(float(G[g, i]) * float(row[i]) ** 2 for i in range(G.shape[1])))
        out.append(total)
    return out


def lateral_loop(z, S):
    out = []
    for row in z:
        a = [abs(float(v)) for v in row]
        out.append(sum(a[i] * float(S[i, j]) * a[j] for i in range(len(a)) for j in range(len(a))))
    return out


def make_z(dtype, batch=6, n=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(batch, n, generator=g, dtype=dtype)
    z[z.abs() < 0.5] = 0  # realistic sparse codes, including exact zeros
    z[0] = 0  # one all-zero sample
    return z


@pytest.mark.parametrize("dtype", DTYPES)
def test_l1(dtype):
    z = make_z(dtype)
    got = l1(z)
    assert got.shape == (z.shape[0],) and got.dtype == dtype
    torch.testing.assert_close(got, torch.tensor(l1_loop(z), dtype=dtype), **close(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_group_l2_plain_groups(dtype):
    z = make_z(dtype)
    G = contiguous_groups(10, 5)
    got = group_l2(z, G)
    assert got.shape == (z.shape[0],) and got.dtype == dtype
    torch.testing.assert_close(got, torch.tensor(group_l2_loop(z, G), dtype=dtype), **close(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_group_l2_weighted_overlapping_and_unpenalised_atoms(dtype):
    rng = np.random.default_rng(1)
    z = make_z(dtype, n=9)
    G = torch.from_numpy(rng.uniform(0, 2, size=(5, 9)) * (rng.random((5, 9)) < 0.6))
    G[:, 8] = 0  # atom 8 is in no group: changing it must not change the penalty
    got = group_l2(z, G.to(dtype))
    assert got.shape == (z.shape[0],) and got.dtype == dtype
    torch.testing.assert_close(got, torch.tensor(group_l2_loop(z, G), dtype=dtype), **close(dtype))
    z2 = z.clone()
    z2[:, 8] += 10
    torch.testing.assert_close(group_l2(z2, G.to(dtype)), got)
    # a grouping of another dtype is cast to z's dtype
    assert group_l2(z, G.float()).dtype == dtype


def test_group_l2_hand_values():
    z = torch.tensor([[3.0, 4.0, 0.0, 2.0]], dtype=torch.float64)
    G = torch.tensor([[1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 1.0, 1.0], [4.0, 0.0, 0.0, 0.0]], dtype=torch.float64)
    # sqrt(9 + 16) + sqrt(16 + 0 + 4) + sqrt(4 * 9)
    torch.testing.assert_close(group_l2(z, G), torch.tensor([5.0 + math.sqrt(20.0) + 6.0], dtype=torch.float64))


def test_group_l2_torus():
    z = make_z(torch.float64, batch=3, n=16, seed=4)
    G = torus_groups(4, 2)
    torch.testing.assert_close(group_l2(z, G), torch.tensor(group_l2_loop(z, G), dtype=torch.float64))


@pytest.mark.parametrize("dtype", DTYPES)
def test_lateral_inhibition(dtype):
    rng = np.random.default_rng(2)
    z = make_z(dtype, n=8)
    S = rng.uniform(0, 1, size=(8, 8))
    S = torch.from_numpy(S + S.T)
    S.fill_diagonal_(0)
    got = lateral_inhibition(z, S.to(dtype))
    assert got.shape == (z.shape[0],) and got.dtype == dtype
    torch.testing.assert_close(got, torch.tensor(lateral_loop(z, S), dtype=dtype), **close(dtype))
    # |z| enters, not z: flipping signs changes nothing
    torch.testing.assert_close(lateral_inhibition(-z, S.to(dtype)), got)


def test_lateral_inhibition_nonsymmetric_S():
    z = torch.tensor([[1.0, -2.0]], dtype=torch.float64)
    S = torch.tensor([[0.0, 3.0], [5.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(lateral_inhibition(z, S), torch.tensor([1 * 3 * 2 + 2 * 5 * 1.0], dtype=torch.float64))


def test_one_dimensional_z_gives_scalars():
    z = torch.tensor([3.0, -4.0, 0.0, 1.0], dtype=torch.float64)
    G = contiguous_groups(4, 2)
    S = torch.ones(4, 4, dtype=torch.float64) - torch.eye(4, dtype=torch.float64)
    for value, expected in [
        (l1(z), 8.0),
        (group_l2(z, G), 5.0 + 1.0),
        (lateral_inhibition(z, S), 8.0 ** 2 - (9 + 16 + 0 + 1)),
    ]:
        assert value.ndim == 0 and value.dtype == torch.float64
        assert float(value) == pytest.approx(expected, rel=1e-12)
