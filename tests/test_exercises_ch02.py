"""Chapter 2's new self-checks: the three criteria of a DrSAE read from its weights, and the
few-label protocol on its codes. Each passes an independent correct solution, fails each
typical mistake with the hint that names it, and lets an unfinished stub's
NotImplementedError through."""
from __future__ import annotations

import pytest
import torch

from sparselib.exercises import ch02
from sparselib.i18n import LANGUAGES



def stub(*args):
    raise NotImplementedError()


# ------------------------------------------------------------------ the three criteria
def criteria_by_hand(model, x, y, *, half=0.5, sign=-1.0, on_input=False, weight=True,
                     normalise=True, steps=0):
    """Independent: the recurrence written with clamp from z^{(0)} = 0 (the first step's S z
    is then zero), the cross-entropy with logsumexp, no torch.nn.functional."""
    W_e, S, b = model.W_e.detach(), model.S.detach(), model.b.detach()
    z = torch.zeros(len(x), model.n_atoms, dtype=x.dtype)
    for _ in range(model.n_iter + steps):
        z = torch.clamp(x @ W_e.T + z @ S.T + sign * b, min=0)
    reconstruction = half * ((x - z @ model.W_d.detach().T) ** 2).sum(1).mean()
    sparsity = model.lam * (x if on_input else z).abs().sum(1).mean()
    u = z / z.norm(dim=1, keepdim=True).clamp_min(1e-8) if normalise else z
    logits = u @ model.W_c.detach().T + model.c.detach()
    ce = -(logits - logits.logsumexp(1, keepdim=True))[torch.arange(len(y)), y].mean()
    return torch.stack([reconstruction, sparsity, (model.gamma if weight else 1.0) * ce])


CRITERIA_MISTAKES = {
    "no ½": (lambda m, x, y: criteria_by_hand(m, x, y, half=1.0), "half"),
    "b added": (lambda m, x, y: criteria_by_hand(m, x, y, sign=1.0), "threshold"),
    "ℓ1 on the input": (lambda m, x, y: criteria_by_hand(m, x, y, on_input=True), "l1_code"),
    "γ left out": (lambda m, x, y: criteria_by_hand(m, x, y, weight=False), "gamma"),
    "code not normalised": (lambda m, x, y: criteria_by_hand(m, x, y, normalise=False), "classifier"),
    "one iteration too many": (lambda m, x, y: criteria_by_hand(m, x, y, steps=1), "first"),
    "one iteration too few": (lambda m, x, y: criteria_by_hand(m, x, y, steps=-1), "first"),
}


def test_criteria_sum_to_the_models_loss():
    """The reference's three terms add up to DrSAE.loss on the same batch."""
    g = torch.Generator().manual_seed(3)
    model = ch02._small_drsae(g, 8, 12, 4, 5, 0.2, 3.0, torch.float64)
    x = torch.rand(7, 8, generator=g, dtype=torch.float64)
    y = torch.randint(0, 4, (7,), generator=g)
    with torch.no_grad():
        total = model.loss(x, y)[0]
    torch.testing.assert_close(ch02.drsae_criteria(model, x, y).sum(), total)
    torch.testing.assert_close(ch02.drsae_criteria(model, x, y), criteria_by_hand(model, x, y))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_criteria_check_passes_an_independent_solution(seed, capsys):
    assert ch02.check_drsae_criteria(criteria_by_hand, seed=seed, lang="en")
    assert "All 4 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(CRITERIA_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_criteria_check_names_each_mistake(mistake, seed):
    fn, hint = CRITERIA_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch02.check_drsae_criteria(fn, seed=seed, lang=lang, quiet=True)
        assert not report and report.passed < report.total
        assert ch02.HINTS[hint][lang] in report.text, (mistake, lang)
        others = {h for _, h in CRITERIA_MISTAKES.values()} - {hint}
        assert not any(ch02.HINTS[h][lang] in report.text for h in others), (mistake, lang)


def test_criteria_check_explains_a_wrong_order_and_refuses_stubs():
    def swapped(m, x, y):                      # sparsity and classification swapped
        return criteria_by_hand(m, x, y)[[0, 2, 1]]
    report = ch02.check_drsae_criteria(swapped, lang="en", quiet=True)
    assert not report and ch02.HINTS["criteria"]["en"] in report.text
    report = ch02.check_drsae_criteria(lambda m, x, y: criteria_by_hand(m, x, y).sum(), lang="en", quiet=True)
    assert report.passed == 0 and "shape" in report.text
    with pytest.raises(NotImplementedError):
        ch02.check_drsae_criteria(stub, quiet=True)


# ------------------------------------------------------------------ the few-label protocol
def few_label_by_hand(model, X_train, y_train, X_test, y_test, n_per_class, k, *,
                      source="train", balanced=True, iteration=None, normalise=True):
    """Independent: a Python loop over the training order that keeps the first n digits of each
    class, the codes from an explicit recurrence, squared distances written out."""
    X_lab, y_lab = (X_train, y_train) if source == "train" else (X_test, y_test)
    C = model.n_classes
    if balanced:
        counts, pick = [0] * C, []
        for i, label in enumerate(y_lab.tolist()):
            if counts[label] < n_per_class:
                counts[label] += 1
                pick.append(i)
    else:
        pick = list(range(n_per_class * C))

    def code(X, k):
        W_e, S, b = model.W_e.detach(), model.S.detach(), model.b.detach()
        z = torch.zeros(len(X), model.n_atoms, dtype=X.dtype)
        for _ in range(k):
            z = torch.clamp(X @ W_e.T + z @ S.T - b, min=0)
        if normalise:
            z = z / z.norm(dim=1, keepdim=True).clamp_min(1e-8)
        return z.double()

    k = k if iteration is None else iteration(k, model.n_iter)
    Z, labels, Z_test = code(X_lab[pick], k), y_lab[pick], code(X_test, k)
    means = torch.stack([Z[labels == j].mean(0) for j in range(C)])          # (C, m)
    d2 = (Z_test ** 2).sum(1, keepdim=True) - 2 * Z_test @ means.T + (means ** 2).sum(1)
    d2 = torch.where(torch.isnan(d2), torch.full_like(d2, float("inf")), d2)
    return (d2.argmin(1) == y_test).double().mean()


FEW_MISTAKES = {
    "labelled digits from the test split": (dict(source="test"), "split"),
    "first n × classes digits": (dict(balanced=False), "balanced"),
    "final code z^{(T)}": (dict(iteration=lambda k, T: T), "iteration"),
    "z^{(k+1)} (codes[k])": (dict(iteration=lambda k, T: min(k + 1, T)), "iteration"),
    "codes not normalised": (dict(normalise=False), "normalise"),
}


def test_few_label_reference_on_a_problem_solved_by_hand():
    """Two well separated classes: one labelled digit each classifies every test digit."""
    model = ch02._small_drsae(torch.Generator().manual_seed(0), 4, 6, 2, 2, 0.1, 1.0)
    with torch.no_grad():
        model.W_e.copy_(torch.cat([torch.eye(4), torch.eye(4)[:2]]))
        model.S.zero_()
        model.b.zero_()
    X_train = torch.tensor([[1.0, 0, 0, 0], [0, 0, 1, 0], [1, 0.1, 0, 0]])
    X_test = torch.tensor([[2.0, 0.2, 0, 0], [0, 0, 3, 0.1], [0, 0.1, 1, 0]])
    y_train, y_test = torch.tensor([0, 1, 0]), torch.tensor([0, 1, 1])
    acc = ch02.few_label_accuracy(model, X_train, y_train, X_test, y_test, 1, 2)
    assert acc.dtype == torch.float64 and acc.ndim == 0 and float(acc) == 1.0
    y_test_wrong = torch.tensor([1, 1, 1])
    assert float(ch02.few_label_accuracy(model, X_train, y_train, X_test, y_test_wrong, 1, 2)) == pytest.approx(2 / 3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_few_label_check_passes_an_independent_solution(seed, capsys):
    assert ch02.check_few_label(few_label_by_hand, seed=seed, lang="en")
    assert "All 4 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(FEW_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_few_label_check_names_each_mistake(mistake, seed):
    options, hint = FEW_MISTAKES[mistake]

    def wrong(*args):
        return few_label_by_hand(*args, **options)

    report = ch02.check_few_label(wrong, seed=seed, lang="en", quiet=True)
    assert not report and report.passed < report.total
    for lang in LANGUAGES:
        text = ch02.check_few_label(wrong, seed=seed, lang=lang, quiet=True).text
        assert ch02.HINTS[hint][lang] in text, (mistake, lang)


def test_few_label_check_refuses_floats_and_stubs():
    report = ch02.check_few_label(lambda *args: float(few_label_by_hand(*args)), lang="en", quiet=True)
    assert report.passed == 0 and "torch.Tensor" in report.text
    with pytest.raises(NotImplementedError):
        ch02.check_few_label(stub, quiet=True)


def test_few_label_check_is_fast():
    import time

    start = time.perf_counter()
    ch02.check_few_label(ch02.few_label_accuracy, quiet=True)
    ch02.check_drsae_criteria(ch02.drsae_criteria, quiet=True)
    assert time.perf_counter() - start < 10  # about 1 s on a loaded 2-core machine
