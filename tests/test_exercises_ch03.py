"""Chapter 3's new self-checks: the tree prox by composition of group thresholds, and the
certificate of a group-lasso solution. Each passes an independent correct solution, fails each
typical mistake with the hint that names it (in every language), and lets an unfinished
stub's NotImplementedError through."""
from __future__ import annotations

import pytest
import torch

from sparselib import Tree, fista, tree_prox
from sparselib.exercises import ch03
from sparselib.groups import contiguous_groups
from sparselib.i18n import LANGUAGES



def stub(*args):
    raise NotImplementedError()


# ------------------------------------------------------------------ the tree prox
def tree_by_levels(v, theta, tree, weight):
    """Independent: deepest level first (groups of one level are disjoint, so a whole level is
    one block soft-threshold), each subtree's norm from its members found by walking up."""
    n = tree.n_nodes
    member = torch.zeros(n, n, dtype=torch.bool)          # member[u, i]: i is in u's subtree
    for i in range(n):
        a = i
        while a >= 0:
            member[a, i] = True
            a = int(tree.parent[a])
    u = v.clone()
    for level in reversed(tree.levels):
        factor = torch.ones_like(u)
        for node in level.tolist():
            norm = u[:, member[node]].norm(dim=1, keepdim=True)
            f = 1 - theta * weight[node] / torch.where(norm > 0, norm, torch.ones_like(norm))
            factor[:, member[node]] = torch.where(norm > 0, f.clamp(min=0), torch.zeros_like(norm))
        u = u * factor
    return u


def tree_root_first(v, theta, tree, weight):                 # thresholds composed root-first
    u = v.clone()
    for level in tree.levels:
        for node in level.tolist():
            g = tree.groups(dtype=torch.bool)[tree.position[node]]
            norm = u[:, g].norm(dim=1, keepdim=True).clamp_min(1e-30)
            u[:, g] = u[:, g] * (1 - theta * weight[node] / norm).clamp(min=0)
    return u


def tree_on_original(v, theta, tree, weight):               # every group thresholded on v itself
    out = v.clone()
    for node in range(tree.n_nodes):
        g = tree.groups(dtype=torch.bool)[tree.position[node]]
        norm = v[:, g].norm(dim=1, keepdim=True).clamp_min(1e-30)
        out[:, g] = out[:, g] * (1 - theta * weight[node] / norm).clamp(min=0)
    return out


def tree_without_weight(v, theta, tree, weight):            # θ for every group
    return tree_by_levels(v, theta, tree, torch.ones_like(weight))


def tree_nodes_alone(v, theta, tree, weight):               # one group per node, the node alone
    return torch.sign(v) * (v.abs() - theta * weight).clamp(min=0)


def tree_nan_on_zero(v, theta, tree, weight):               # divides by a zero norm
    u = v.clone()
    for level in reversed(tree.levels):
        for node in level.tolist():
            g = tree.groups(dtype=torch.bool)[tree.position[node]]
            u[:, g] = u[:, g] * (1 - theta * weight[node] / u[:, g].norm(dim=1, keepdim=True)).clamp(min=0)
    return u


TREE_MISTAKES = {"root first": (tree_root_first, "tree_order"),
                 "original v": (tree_on_original, "tree_running"),
                 "no weight": (tree_without_weight, "tree_weight"),
                 "nodes alone": (tree_nodes_alone, "tree_nodes")}


def dual_prox(v, theta, tree, weight, n_iter=20000):
    """The prox of θ Σ_u ω_u ‖·_{T(u)}‖ through its dual (projected gradient on one dual vector
    per group, each in its ball of radius θ ω_u), with the duality gap of the result."""
    G = tree.groups(dtype=v.dtype)                           # (n, n), rows in preorder
    radius = theta * weight[torch.tensor(tree.preorder)]     # (n,)
    xi = torch.zeros(len(v), *G.shape, dtype=v.dtype)        # (batch, groups, atoms)
    step = 1 / G.sum(0).max()
    for _ in range(n_iter):
        xi = xi + step * G * (v[:, None, :] - xi.sum(1, keepdim=True))
        norm = xi.norm(dim=2, keepdim=True)
        xi = xi * (radius[None, :, None] / norm.clamp_min(1e-300)).clamp(max=1)
    u = v - xi.sum(1)
    primal = 0.5 * ((u - v) ** 2).sum(1) + (radius * ((u[:, None, :] ** 2) * G).sum(2).sqrt()).sum(1)
    dual = 0.5 * (v ** 2).sum(1) - 0.5 * (u ** 2).sum(1)
    return u, primal - dual


def test_tree_reference_is_the_librarys_tree_prox_with_unit_weights():
    gen = torch.Generator().manual_seed(3)
    for tree in [Tree([-1, 0, 1]), Tree.complete(2, 2), Tree([-1, 0, 0, -1, 3, 4]), Tree.complete(3, 3)]:
        v = torch.randn(6, tree.n_nodes, generator=gen, dtype=torch.float64)
        ones = torch.ones(tree.n_nodes, dtype=torch.float64)
        torch.testing.assert_close(ch03.tree_prox_weighted(v, 0.3, tree, ones), tree_prox(v, 0.3, tree))


def test_tree_reference_with_weights_is_the_exact_prox():
    """Against the dual solver: the same point, and a duality gap at rounding level."""
    gen = torch.Generator().manual_seed(4)
    for tree in [Tree([-1, 0, 1, 2, 0, -1, 5]), Tree.complete(2, 2)]:
        v = 1.5 * torch.randn(3, tree.n_nodes, generator=gen, dtype=torch.float64)
        weight = 1 + tree.depth.to(torch.float64)
        u, gap = dual_prox(v, 0.35, tree, weight)
        assert gap.abs().max() < 1e-9
        torch.testing.assert_close(ch03.tree_prox_weighted(v, 0.35, tree, weight), u, atol=1e-6, rtol=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tree_check_passes_an_independent_solution(seed, capsys):
    assert ch03.check_tree_prox(tree_by_levels, seed=seed, lang="en")
    assert "All 6 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(TREE_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_tree_check_names_each_mistake(mistake, seed):
    fn, hint = TREE_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch03.check_tree_prox(fn, seed=seed, lang=lang, quiet=True)
        assert not report and report.passed < report.total
        assert ch03.HINTS[hint][lang] in report.text, (mistake, lang)
        others = {h for _, h in TREE_MISTAKES.values()} - {hint}
        assert not any(ch03.HINTS[h][lang] in report.text for h in others), (mistake, lang)


def test_tree_check_catches_a_nan_on_a_zero_subtree_and_a_stub():
    report = ch03.check_tree_prox(tree_nan_on_zero, lang="en", quiet=True)
    assert not report and report.passed == report.total - 1
    assert ch03.HINTS["tree_zero"]["en"] in report.text
    assert not any(ch03.HINTS[h]["en"] in report.text for _, h in TREE_MISTAKES.values())
    with pytest.raises(NotImplementedError):
        ch03.check_tree_prox(stub, quiet=True)


# ------------------------------------------------------------------ the certificate
def certificate_by_loops(x, W_d, z, lam, G):
    """Independent: one sample and one pool at a time, the distance from c_P to λ·∂‖z_P‖."""
    c = W_d.T @ (x - z @ W_d.T).T                            # (m, batch)
    out = torch.zeros(len(z), len(G), dtype=z.dtype)
    for b in range(len(z)):
        for j in range(len(G)):
            idx = G[j].bool()
            cP, zP = c[idx, b], z[b, idx]
            if zP.abs().max() == 0:                          # unit ball: project c_P onto it
                out[b, j] = max(float(cP.norm()) - lam, 0.0)
            else:                                            # a single point
                out[b, j] = (cP - lam * zP / zP.norm()).norm()
    return out


def certificate_per_unit(x, W_d, z, lam, G):                # the l1 test on a zero pool
    c = (x - z @ W_d.T) @ W_d
    ref = certificate_by_loops(x, W_d, z, lam, G)
    for j in range(len(G)):
        idx = G[j].bool()
        zero = (z[:, idx] == 0).all(1)
        ref[zero, j] = (c[zero][:, idx].abs() - lam).clamp(min=0).amax(1)
    return ref


def certificate_norm_only(x, W_d, z, lam, G):               # ‖c_P‖ ≤ λ on every pool, active or not
    c = (x - z @ W_d.T) @ W_d
    return ((c * c) @ G.T.to(c.dtype)).sqrt().sub(lam).clamp(min=0)


def certificate_sign(x, W_d, z, lam, G):                    # the residual W_d z − x
    return certificate_by_loops(2 * z @ W_d.T - x, W_d, z, lam, G)


def certificate_nan(x, W_d, z, lam, G):                     # divides by ‖z_P‖ = 0
    G = G.to(z.dtype)
    c = (x - z @ W_d.T) @ W_d
    zn, cn = ((z * z) @ G.T).sqrt(), ((c * c) @ G.T).sqrt()
    gap = (((c - lam * z / (zn @ G)) ** 2) @ G.T).sqrt()
    return torch.where(zn > 0, gap, (cn - lam).clamp(min=0)) + 0 * gap


CERT_MISTAKES = {"per unit": (certificate_per_unit, "cert_norm"),
                 "norm only": (certificate_norm_only, "cert_direction"),
                 "residual sign": (certificate_sign, "cert_sign")}


def test_certificate_of_fista_is_small_and_of_a_perturbed_code_is_not():
    gen = torch.Generator().manual_seed(0)
    W = torch.nn.functional.normalize(torch.randn(20, 12, generator=gen, dtype=torch.float64), dim=0)
    G = contiguous_groups(12, 3, dtype=torch.float64)
    x = torch.randn(4, 20, generator=gen, dtype=torch.float64)
    z, _ = fista(x, W, 1.2, prox="group", groups=G, max_iter=3000, tol=0)
    cert = ch03.group_lasso_certificate(x, W, z, 1.2, G)
    assert cert.max() < 1e-6 and ((z * z) @ G.T == 0).any() and ((z * z) @ G.T > 0).any()
    torch.testing.assert_close(cert, certificate_by_loops(x, W, z, 1.2, G), atol=1e-9, rtol=0)
    assert ch03.group_lasso_certificate(x, W, 1.1 * z, 1.2, G).max() > 1e-3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_certificate_check_passes_an_independent_solution(seed, capsys):
    assert ch03.check_group_lasso_certificate(certificate_by_loops, seed=seed, lang="en")
    assert "All 5 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(CERT_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_certificate_check_names_each_mistake(mistake, seed):
    fn, hint = CERT_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch03.check_group_lasso_certificate(fn, seed=seed, lang=lang, quiet=True)
        assert not report and report.passed < report.total
        assert ch03.HINTS[hint][lang] in report.text, (mistake, lang)
        others = {h for _, h in CERT_MISTAKES.values()} - {hint}
        assert not any(ch03.HINTS[h][lang] in report.text for h in others), (mistake, lang)


def test_certificate_check_catches_a_nan_and_a_stub():
    report = ch03.check_group_lasso_certificate(certificate_nan, lang="en", quiet=True)
    assert not report and ch03.HINTS["cert_zero"]["en"] in report.text
    assert not any(ch03.HINTS[h]["en"] in report.text for _, h in CERT_MISTAKES.values())
    with pytest.raises(NotImplementedError):
        ch03.check_group_lasso_certificate(stub, quiet=True)


def test_every_new_hint_exists_in_every_language():
    for key in ("tree_order", "tree_running", "tree_weight", "tree_nodes", "tree_zero",
                "cert_norm", "cert_direction", "cert_sign", "cert_zero"):
        assert set(ch03.HINTS[key]) == set(LANGUAGES), key
