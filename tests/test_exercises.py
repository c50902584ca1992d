"""sparselib.exercises: the shared runner, the message tables, and every chapter's checkers.

Each checker must pass the reference solution and fail a wrong one (a test that cannot
fail is a defect), and an unfinished stub must raise NotImplementedError.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest
import torch

import sparselib.exercises as ex
from sparselib import ista, soft_threshold
from sparselib.exercises import Case, MESSAGES, check_messages, run_cases
from sparselib.i18n import LANGUAGES
from sparselib.models.lateral import project_inhibition

MODULES = sorted(m.name for m in pkgutil.iter_modules(ex.__path__) if m.name.startswith("ch"))


def checkers():
    """(module, name, checker) for every check_* of every chapter module."""
    for name in MODULES:
        module = importlib.import_module(f"sparselib.exercises.{name}")
        for attr in dir(module):
            if attr.startswith("check_"):
                yield module, attr, getattr(module, attr)


def stub(*args):
    raise NotImplementedError()


def test_messages_exist_in_every_language():
    assert check_messages(MESSAGES) == []
    for name in MODULES:
        module = importlib.import_module(f"sparselib.exercises.{name}")
        assert check_messages(getattr(module, "HINTS", {})) == [], name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_stub_raises_not_implemented_and_says_how_to_start(lang, capsys):
    with pytest.raises(NotImplementedError):
        run_cases("f_student", stub, lambda v: v, [Case("v", (torch.ones(2),))], lang=lang)
    assert "raise NotImplementedError()" in capsys.readouterr().out


def test_runner_reports_each_kind_of_mistake(capsys):
    v = torch.arange(6.0).reshape(2, 3)

    def in_place(v):
        return v.mul_(1.0).add_(1)

    cases = [Case("v", (v,), hint={lang: "HINT" for lang in LANGUAGES})]
    for fn, expected in [(lambda v: v.tolist(), "torch.Tensor"), (lambda v: v.T, "shape"),
                         (lambda v: v.double(), "dtype"), (lambda v: v + 1, "largest difference"),
                         (in_place, "in place"), (lambda v: 1 / 0, "ZeroDivisionError")]:
        report = run_cases("f_student", fn, lambda v: v.clone(), cases, lang="en")
        out = capsys.readouterr().out
        assert not report and report.passed == 0 and report.total == 1
        assert expected in out and "Hint: HINT" in out and "0 of 1" in out
    report = run_cases("f_student", lambda v: v.clone(), lambda v: v.clone(), cases, lang="en")
    assert report and "All 1 cases passed" in capsys.readouterr().out


def test_not_callable_is_explained(capsys):
    report = run_cases("f_student", 3.0, lambda v: v, [Case("v", (torch.ones(1),))], lang="en")
    assert not report and "not its result" in capsys.readouterr().out


def test_language_comes_from_the_notebook_then_the_environment(monkeypatch):
    import __main__

    monkeypatch.delenv("SPARSELIB_LANG", raising=False)
    monkeypatch.delattr(__main__, "LANG", raising=False)
    assert ex.language() == "en"
    monkeypatch.setenv("SPARSELIB_LANG", "ko")
    assert ex.language() == "ko"
    monkeypatch.setattr(__main__, "LANG", "fa", raising=False)
    assert ex.language() == "fa" and ex.language("es") == "es"
    with pytest.raises(ValueError, match="must be one of en, es"):
        ex.language("de")


def test_report_displays_nothing_more():
    report = run_cases("f", lambda v: v, lambda v: v, [Case("v", (torch.ones(1),))], quiet=True)
    assert report._ipython_display_() is None and str(report).startswith("Checking f")


# --------------------------------------------------------------------------- chapters
def _encode(x, W_e, S, b, n_iter):
    z = torch.relu(x @ W_e.T - b)
    for _ in range(n_iter - 1):
        z = torch.relu(x @ W_e.T + z @ S.T - b)
    return z


def _loss(x, y, z, W_d, W_c, c, lam, gamma):
    """Written out by hand, without torch.nn.functional."""
    logits = (z / z.norm(dim=1, keepdim=True)) @ W_c.T + c
    log_p = logits - logits.logsumexp(1, keepdim=True)
    ce = -log_p[torch.arange(len(y)), y].mean()
    return 0.5 * ((x - z @ W_d.T) ** 2).sum(1).mean() + lam * z.abs().sum(1).mean() + gamma * ce


def _criteria(m, x, y):
    """The three weighted terms as differences of the hand-written loss at λ, γ = 0 or not."""
    with torch.no_grad():
        z = _encode(x, m.W_e, m.S, m.b, m.n_iter)
        loss = lambda lam, gamma: _loss(x, y, z, m.W_d, m.W_c, m.c, lam, gamma)
        return torch.stack([loss(0.0, 0.0), loss(m.lam, 0.0) - loss(0.0, 0.0), loss(0.0, m.gamma) - loss(0.0, 0.0)])


def _few_label(model, X_lab, y_lab, X_test, y_test, n, k):
    """Nearest class mean of the normalised codes z^(k) of the first n labelled digits per class."""
    pick = torch.cat([torch.nonzero(y_lab == j).flatten()[:n] for j in range(model.n_classes)])
    with torch.no_grad():
        code = lambda X: torch.nn.functional.normalize(model(X).codes[k - 1], dim=1).double()
        Z, Z_test = code(X_lab[pick]), code(X_test)
    means = torch.stack([Z[y_lab[pick] == j].mean(0) for j in range(model.n_classes)])
    return (torch.cdist(Z_test, means).argmin(1) == y_test).double().mean()


def _l2_pool(z, group_size, pool, stride):
    """Written with unfold: every window's values, grouped maps side by side."""
    B, K, H, W = z.shape
    cols = torch.nn.functional.unfold(z * z, pool, stride=stride)  # (B, K*pool*pool, n_windows)
    sums = cols.reshape(B, K // group_size, -1, cols.shape[-1]).sum(2)
    return sums.sqrt().reshape(B, K // group_size, (H - pool) // stride + 1, (W - pool) // stride + 1)


def _tree_S(parent, scale):
    """Walk up from every node: S[i, j] = scale unless one is the other or its ancestor."""
    n = len(parent)
    related = torch.eye(n, dtype=torch.bool)
    for i in range(n):
        p = parent[i]
        while p >= 0:
            related[p, i] = related[i, p] = True
            p = parent[p]
    return scale * (~related).float()


def _inhibition_step(x, z, W_d, lam, S, L):
    v = z + (x - z @ W_d.T) @ W_d / L
    t = (lam + z.abs() @ S) / L
    return torch.sign(v) * torch.clamp(v.abs() - t, min=0)


def _block_soft(v, t, G):
    """Block soft-thresholding written with the group norms spread back over the atoms."""
    G = G.to(v.dtype)
    f = torch.clamp(1 - t / ((v * v) @ G.T).sqrt().clamp_min(1e-30), min=0)
    return v * (f @ G + 1 - G.sum(0))


def _lista(x, W_e, S, theta, T, soft=True):
    """T layers from z = 0, in the maths' column orientation."""
    z = torch.zeros(W_e.shape[0], len(x), dtype=x.dtype)
    for _ in range(T):
        u = W_e @ x.T + S @ z
        z = torch.sign(u) * torch.clamp(u.abs() - theta[:, None], min=0) if soft else u
    return z.T


def _torus(z, side, size):
    """Torus group-L2 with torch.roll: each group is a size x size window of the map."""
    sq = (z * z).reshape(-1, side, side)
    windows = sum(sq.roll((-a, -b), dims=(1, 2)) for a in range(size) for b in range(size))
    return windows.sqrt().reshape(len(z), -1).sum(1)


def _tree_levels(v, theta, tree, weight):
    """Deepest level first; the groups of one level are disjoint subtrees."""
    A = tree.ancestor_matrix()                      # A[u, i]: i is in u's subtree
    for level in reversed(tree.levels):
        for u in level.tolist():
            norm = v[:, A[u]].norm(dim=1, keepdim=True)
            f = torch.clamp(1 - theta * weight[u] / norm.clamp_min(1e-30), min=0)
            v = torch.where(A[u], v * f, v)
    return v


def _certificate(x, W_d, z, lam, G):
    """Distance from each pool's correlations to λ times the subdifferential of its norm."""
    G = G.to(z.dtype)
    c, zn = (x - z @ W_d.T) @ W_d, ((z * z) @ G.T).sqrt()
    active = ((c - lam * z / (zn @ G).clamp_min(1e-30)) ** 2 @ G.T).sqrt()
    return torch.where(zn > 0, active, torch.clamp(((c * c) @ G.T).sqrt() - lam, min=0))


REFERENCES = {
    "check_group_soft_threshold": _block_soft,
    "check_tree_prox": _tree_levels,
    "check_group_lasso_certificate": _certificate,
    "check_torus_penalty": _torus,
    "check_inhibition_step": _inhibition_step,
    "check_tree_inhibition": _tree_S,
    # chapter 5's new checkers: independent solutions and mistakes in tests/test_exercises_ch05.py
    "check_inhibition_ascent": lambda S, z, eta, b: project_inhibition(
        S + eta * 0.5 * z.abs().T @ z.abs() / len(z), b, floor=0.0),
    "check_tree_step": lambda x, z, W_d, lam, parent, alpha, eta: _inhibition_step(
        x, z, W_d, lam, _tree_S(parent, alpha).to(z.dtype), 1 / eta),
    "check_drsae_encode": _encode,
    "check_drsae_loss": _loss,
    "check_soft_threshold": lambda v, t: torch.sign(v) * torch.clamp(v.abs() - t, min=0),
    "check_ista_step": lambda x, z, W_d, lam, L: ista(x, W_d, lam, max_iter=1, tol=0, L=L, z0=z)[0],
    "check_conv_encoder": lambda x, W_e, b, g, padding: torch.einsum(  # b is subtracted
        "c,bchw->bchw", g, torch.relu(torch.nn.functional.conv2d(x, W_e, padding=padding)
                                      - b[:, None, None])),
    "check_l2_pool": _l2_pool,
    "check_quadrature_group": lambda a, phi: torch.stack(
        [torch.clamp(sign * a * f(phi), min=0) for f in (torch.cos, torch.sin) for sign in (1, -1)], -1),
    # chapter 4's new checkers: independent solutions and mistakes in tests/test_exercises_ch04.py
    "check_receptive_field": lambda sizes, strides: 1 + torch.cumsum((sizes - 1) * torch.cat(
        [torch.ones(1, dtype=strides.dtype), torch.cumprod(strides, 0)[:-1]]), 0),
    "check_stack_step": lambda x, W1, b1, g1, W2, b2, g2, r, w, s: REFERENCES["check_conv_encoder"](
        REFERENCES["check_l2_pool"](REFERENCES["check_conv_encoder"](x, W1, b1, g1, W1.shape[-1] // 2), r, w, s),
        W2, b2, g2, W2.shape[-1] // 2),
    # chapter 1's new checkers: independent solutions and mistakes in tests/test_exercises_ch01.py
    "check_fista_step": lambda x, z, zp, t, W_d, lam, L: ista(
        x, W_d, lam, max_iter=1, tol=0, L=L,
        z0=z + (t - 1) / ((1 + (1 + 4 * t * t) ** 0.5) / 2) * (z - zp))[0],
    "check_lista_forward": lambda x, W_e, S, theta, T: _lista(x, W_e, S, theta, T),
    # chapter 2's new checkers: independent solutions and mistakes in tests/test_exercises_ch02.py
    "check_drsae_criteria": lambda m, x, y: _criteria(m, x, y),
    "check_few_label": lambda m, Xtr, ytr, Xte, yte, n, k: _few_label(m, Xtr, ytr, Xte, yte, n, k),
    # chapter 6's checkers: independent solutions and mistakes in tests/test_exercises_ch06.py
    "check_jumprelu": lambda v, theta: torch.where(v > theta, v, torch.zeros_like(v)),
    "check_threshold_grad": lambda v, theta, g, c, eps: -(
        (theta * g + c) * (2 * (v - theta).abs() < eps).to(v.dtype)).sum(0) / eps,
    "check_pooled_fvu": lambda x, x_hat: ((x - x_hat) ** 2).sum() / ((x - x.mean(0)) ** 2).sum(),
}
WRONG = {
    "check_group_soft_threshold": lambda v, t, G: soft_threshold(v, t),
    # chapter 3's new checkers (their mistakes one by one in tests/test_exercises_ch03.py):
    # the group weights forgotten, and the l1 test |c_i| <= lam on every pool
    "check_tree_prox": lambda v, theta, tree, weight: _tree_levels(v, theta, tree, torch.ones_like(weight)),
    "check_group_lasso_certificate": lambda x, W_d, z, lam, G: torch.clamp(
        ((x - z @ W_d.T) @ W_d).abs()[:, None, :] * G - lam, min=0).amax(-1),
    "check_torus_penalty": lambda z, side, size: size ** 2 * z.abs().sum(1),
    "check_inhibition_step": lambda x, z, W_d, lam, S, L: _inhibition_step(x, z, W_d, lam, 0 * S, L),
    "check_tree_inhibition": lambda parent, scale: scale * (1 - torch.eye(len(parent))),
    "check_inhibition_ascent": lambda S, z, eta, b: project_inhibition(  # descent
        S - eta * 0.5 * z.abs().T @ z.abs() / len(z), b, floor=0.0),
    "check_tree_step": lambda x, z, W_d, lam, parent, alpha, eta: _inhibition_step(  # no step in theta
        x, z, W_d, lam / eta, _tree_S(parent, alpha).to(z.dtype) / eta, 1 / eta),
    "check_drsae_encode": lambda x, W_e, S, b, n_iter: torch.relu(x @ W_e.T - b),
    "check_drsae_loss": lambda x, y, z, W_d, W_c, c, lam, gamma: _loss(x, y, z, W_d, W_c, c, lam, 0.0),
    "check_soft_threshold": lambda v, t: torch.relu(v - t),
    "check_ista_step": lambda x, z, W_d, lam, L: soft_threshold(z + (x - z @ W_d.T) @ W_d / L, lam),
    "check_conv_encoder": lambda x, W_e, b, g, padding: torch.relu(
        g[:, None, None] * torch.nn.functional.conv2d(x, W_e, b, padding=padding)) + (g == 0)[:, None, None],
    "check_l2_pool": lambda z, group_size, pool, stride: _l2_pool(z, 1, pool, stride)[:, ::group_size],
    # the two typical mistakes: the bias added instead of the threshold subtracted, and a
    # quadrature pair of two rectified maps, which misses the phases where cos or sin < 0
    "check_conv_encoder_added_bias": lambda x, W_e, b, g, padding: torch.einsum(
        "c,bchw->bchw", g, torch.relu(torch.nn.functional.conv2d(x, W_e, b, padding=padding))),
    "check_quadrature_group": lambda a, phi: torch.stack(
        [torch.clamp(a * torch.cos(phi), min=0), torch.clamp(a * torch.sin(phi), min=0)] * 2, -1),
    "check_receptive_field": lambda sizes, strides: 1 + torch.cumsum(sizes - 1, 0),  # strides forgotten
    "check_stack_step": lambda x, W1, b1, g1, W2, b2, g2, r, w, s: REFERENCES["check_conv_encoder"](
        REFERENCES["check_l2_pool"](torch.nn.functional.conv2d(x, W1, padding=W1.shape[-1] // 2), r, w, s), W2, b2, g2, W2.shape[-1] // 2),  # pooled before the ReLU
    "check_fista_step": lambda x, z, zp, t, W_d, lam, L: ista(  # t_k shifted: the weight (t_k - 1)/t_k
        x, W_d, lam, max_iter=1, tol=0, L=L, z0=z + (t - 1) / t * (z - zp))[0],
    "check_lista_forward": lambda x, W_e, S, theta, T: soft_threshold(  # thresholded once, at the end
        _lista(x, W_e, S, 0 * theta, T, soft=False), theta),
    "check_drsae_criteria": lambda m, x, y: REFERENCES["check_drsae_criteria"](m, x, y)  # no ½
        * torch.tensor([2.0, 1.0, 1.0], dtype=x.dtype),
    "check_few_label": lambda m, Xtr, ytr, Xte, yte, n, k: _few_label(m, Xte, yte, Xte, yte, n, k),  # test split
    "check_jumprelu": lambda v, theta: torch.relu(v - theta),                 # a soft threshold
    "check_threshold_grad": lambda v, theta, g, c, eps: -(                    # no factor theta
        (g + c) * (2 * (v - theta).abs() < eps).to(v.dtype)).sum(0) / eps,
    "check_pooled_fvu": lambda x, x_hat: ((x - x_hat) ** 2).sum() / (x ** 2).sum(),  # uncentred
}
WRONG["check_conv_encoder"] = WRONG.pop("check_conv_encoder_added_bias")


def test_every_checker_has_a_correct_and_a_wrong_solution_here():
    names = {name for _, name, _ in checkers()}
    missing = sorted(names - (set(REFERENCES) & set(WRONG)))
    assert not missing, f"add a correct solution to REFERENCES and a wrong one to WRONG for {missing}"


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("module,name,check", list(checkers()), ids=lambda v: getattr(v, "__name__", str(v)))
def test_checker_passes_a_correct_solution_and_fails_a_wrong_one(module, name, check, seed, capsys):
    if name not in REFERENCES or name not in WRONG:
        pytest.skip(f"{name} has no entry in REFERENCES/WRONG (see the test above)")
    assert check(REFERENCES[name], seed=seed, lang="en")
    assert "All" in capsys.readouterr().out
    report = check(WRONG[name], seed=seed, lang="fr")
    assert not report and report.passed < report.total
    with pytest.raises(NotImplementedError):
        check(stub, seed=seed, quiet=True)
