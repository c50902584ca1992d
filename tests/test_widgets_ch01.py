"""Chapter 1's explorer (SparseCodeExplorer): the code of a digit as λ moves, checked against
scikit-learn's lasso, and ISTA's energy as its step η moves, checked against a hand-written
ISTA loop; the divergence above 2/L; the alt text follows the frame in every language."""
import os

import matplotlib
import numpy as np
import pytest
import torch

matplotlib.use("Agg")
os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import i18n, widgets  # noqa: E402

LAMS, ETAS = [0.03, 0.3], [0.5, 1.0, 1.9, 2.1, 2.5]


def chapter_one_digit():
    """Chapter 1's setting: a centred test digit (a 0) and 128 centred training digits as
    unit-norm atoms, shapes (64,) and (64, 128).

    On the explorer's default λ grid this digit's number of non-zeros falls at every step;
    that is not true of every input (the lasso path can gain an atom as λ grows).
    """
    from sparselib.data import load_digits

    split = load_digits(verbose=False)
    mean = split.X_train.double().mean(0)
    W_d = torch.nn.functional.normalize((split.X_train[:128].double() - mean).T, dim=0)
    return split.X_test[1].double() - mean, W_d


@pytest.fixture(scope="module")
def explorer():
    return widgets.SparseCodeExplorer(*chapter_one_digit(), lams=LAMS, etas=ETAS, n_iter=60)


def energy(x, W_d, z, lam):
    return 0.5 * float(((x - W_d @ z) ** 2).sum()) + lam * float(z.abs().sum())


def ista_by_hand(x, W_d, lam, eta, n_iter):
    """E(x, z^(k)), k = 1 … n_iter, of z ← soft_{ηλ/L}(z + (η/L) W_dᵀ(x − W_d z)), from 0."""
    L = float(np.linalg.norm(W_d.numpy(), 2) ** 2)
    step = eta / L
    z, out = torch.zeros(W_d.shape[1], dtype=torch.float64), []
    for _ in range(n_iter):
        v = z + step * (W_d.T @ (x - W_d @ z))
        z = torch.sign(v) * torch.clamp(v.abs() - step * lam, min=0)
        out.append(energy(x, W_d, z, lam))
    return torch.tensor(out, dtype=torch.float64)


def test_the_step_slider_is_in_units_of_one_over_L(explorer):
    eta = explorer.sliders[1]
    assert [eta.label(i) for i in range(len(ETAS))] == ["η = 0.5/L", "η = 1/L", "η = 1.9/L", "η = 2.1/L",
                                                       "η = 2.5/L"]
    assert explorer.defaults()["eta"] == 1.0
    assert explorer.L == pytest.approx(float(torch.linalg.eigvalsh(explorer.W_d.T @ explorer.W_d)[-1]))
    for lang in i18n.LANGUAGES:
        assert "η" in i18n.t("code.eta", lang) and "1/L" in i18n.t("code.eta", lang)


@pytest.mark.parametrize("lam", LAMS)
def test_the_code_is_the_lasso_solution(explorer, lam):
    """z* against scikit-learn (its objective is ours divided by n_features)."""
    from sklearn.linear_model import Lasso

    X, y = explorer.W_d.numpy(), explorer.x.numpy()
    ref = Lasso(alpha=lam / len(y), fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y).coef_
    c = explorer.compute(lam, 1.0).code
    np.testing.assert_allclose(c.z.numpy(), ref, atol=1e-5)
    assert c.n_active == int((np.abs(ref) > 1e-8).sum())
    assert c.rel_error == pytest.approx(float(((y - X @ ref) ** 2).sum() / (y ** 2).sum()), rel=1e-4)


def test_more_weight_fewer_units_larger_error(explorer):
    small, large = explorer.compute(LAMS[0], 1.0).code, explorer.compute(LAMS[1], 1.0).code
    assert small.n_active > large.n_active and small.rel_error < large.rel_error


@pytest.mark.parametrize("eta", ETAS)
@pytest.mark.parametrize("lam", LAMS)
def test_the_energy_curve_is_istas(explorer, lam, eta):
    r = explorer.compute(lam, eta)
    expected = ista_by_hand(explorer.x, explorer.W_d, lam, eta, 60)
    torch.testing.assert_close(r.energy, expected, rtol=1e-9, atol=1e-12)
    assert r.energy_zero == pytest.approx(0.5 * float((explorer.x ** 2).sum()))
    assert r.energy_star <= energy(explorer.x, explorer.W_d, r.code.z, lam) + 1e-12
    assert float(r.energy.min()) >= r.energy_star - 1e-12          # E* is a minimum


@pytest.mark.parametrize("lam", LAMS)
def test_below_two_over_L_the_energy_never_rises(explorer, lam):
    for eta in (0.5, 1.0, 1.9):
        r = explorer.compute(lam, eta)
        assert r.rises == 0 and not r.diverged
        assert bool((r.energy[1:] <= r.energy[:-1] * (1 + 1e-12)).all())


def test_above_two_over_L_ista_can_diverge(explorer):
    """On this digit, with the small λ, 2.5/L diverges; with the larger λ the threshold holds
    and 2.1/L still converges (the chapter's point about sparsity)."""
    r = explorer.compute(LAMS[0], 2.5)
    assert r.diverged and float(r.energy[-1]) > 1e6 * r.energy_zero and r.rises > 0
    held = explorer.compute(LAMS[1], 2.1)
    assert not held.diverged and held.rises == 0
    assert float(held.gap[-1]) < float(explorer.compute(LAMS[1], 1.0).gap[-1])      # and faster than 1/L


def test_pure_least_squares_diverges_exactly_above_two_over_L():
    """A diagonal dictionary with curvatures 1 and 1/4, and a tiny λ: the error along the top
    direction is multiplied by |1 − η| per step, so 1.9/L converges and 2.1/L diverges."""
    W_d = torch.tensor([[1.0, 0.0], [0.0, 0.5]], dtype=torch.float64)
    x = torch.tensor([1.0, 1.0], dtype=torch.float64)
    e = widgets.SparseCodeExplorer(x, W_d, lams=[1e-6], etas=[1.9, 2.1], n_iter=200, image_shape=(1, 2))
    assert not e.compute(1e-6, 1.9).diverged and e.compute(1e-6, 2.1).diverged


def test_the_alt_text_follows_the_frame(explorer):
    cases = {(LAMS[0], 2.5): "code.diverged", (LAMS[0], 1.9): "code.fell", (LAMS[1], 2.1): "code.fell"}
    for (lam, eta), key in cases.items():
        r = explorer.compute(lam, eta)
        values = {"lam": lam, "eta": eta}
        for lang in i18n.LANGUAGES:
            alt = explorer.alt(r, values, lang)
            assert f"η = {eta:g}/L" in alt and f"λ = {lam:.3g}" in alt and "{" not in alt
            assert f"{float(r.gap[-1]):.1e}" in alt and str(r.code.n_active) in alt
            assert i18n.t(key, lang) in alt, (lam, eta, lang)


def test_an_energy_that_rises_without_diverging_is_counted():
    """Curvatures 1 and 1/4, η = 2.1/L, three steps: the residual along the top direction grows
    by |1 − η L| = 1.1 per step, the energy rises twice, yet stays below E(x, 0) = 1."""
    W_d = torch.tensor([[1.0, 0.0], [0.0, 0.5]], dtype=torch.float64)
    e = widgets.SparseCodeExplorer(torch.ones(2, dtype=torch.float64), W_d, lams=[1e-9], etas=[2.1],
                                   n_iter=3, image_shape=(1, 2))
    r = e.compute(1e-9, 2.1)
    assert r.rises == 2 and not r.diverged
    for lang in i18n.LANGUAGES:
        alt = e.alt(r, {"lam": 1e-9, "eta": 2.1}, lang)
        assert i18n.t("code.rose", lang).format(rises=2, steps=2) in alt


def test_frames_differ_with_the_step_and_titles_are_maths(explorer):
    a, _ = explorer.frame(lam=LAMS[0], eta=1.0)
    b, _ = explorer.frame(lam=LAMS[0], eta=2.5)
    assert a != b
    fig = explorer.figure(explorer.compute(LAMS[0], 2.5), {})
    titles = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert any(r"\eta = 2.5/L" in t for t in titles) and any(r"\|z^*\|_0" in t for t in titles)


def test_bad_grids_are_refused():
    with pytest.raises(ValueError, match="The 'lams' parameter of SparseCodeExplorer must be"):
        widgets.SparseCodeExplorer(torch.ones(2), torch.eye(2), lams=[0.0, 0.1])
    with pytest.raises(ValueError, match="The 'etas' parameter of SparseCodeExplorer must be"):
        widgets.SparseCodeExplorer(torch.ones(2), torch.eye(2), etas=[])
