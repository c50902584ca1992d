"""Chapter 1's new self-checks: one FISTA iteration and a LISTA forward pass. Each passes an
independent correct solution, fails each typical mistake with the hint that names it, and lets
an unfinished stub's NotImplementedError through."""
from __future__ import annotations

import pytest
import torch

from sparselib import fista
from sparselib.exercises import ch01
from sparselib.i18n import LANGUAGES
from sparselib.models import LISTA



def stub(*args):
    raise NotImplementedError()


def soft(v, theta):
    return torch.sign(v) * torch.clamp(v.abs() - theta, min=0)


# ------------------------------------------------------------------ one FISTA iteration
def fista_independent(x, z, z_prev, t_k, W_d, lam, L):
    """Written from the recursion with the Gram matrix, not the residual."""
    t_next = 0.5 + (0.25 + t_k ** 2) ** 0.5                     # (1 + √(1 + 4t²)) / 2
    y = (1 + (t_k - 1) / t_next) * z - (t_k - 1) / t_next * z_prev
    grad = y @ (W_d.T @ W_d) - x @ W_d                           # ∇f(y), rows
    return soft(y - grad / L, lam / L)


def fista_shifted(x, z, z_prev, t_k, W_d, lam, L):            # t_{k+1} used where t_k belongs
    t_next = (1 + (1 + 4 * t_k ** 2) ** 0.5) / 2
    t_after = (1 + (1 + 4 * t_next ** 2) ** 0.5) / 2
    y = z + (t_next - 1) / t_after * (z - z_prev)
    return ch01.ista_step(x, y, W_d, lam, L)


def fista_same_t(x, z, z_prev, t_k, W_d, lam, L):             # (t_k − 1)/t_k: t_{k+1} never computed
    y = z + (t_k - 1) / t_k * (z - z_prev)
    return ch01.ista_step(x, y, W_d, lam, L)


def fista_wrong_sign(x, z, z_prev, t_k, W_d, lam, L):         # extrapolates backwards
    t_next = (1 + (1 + 4 * t_k ** 2) ** 0.5) / 2
    y = z - (t_k - 1) / t_next * (z - z_prev)
    return ch01.ista_step(x, y, W_d, lam, L)


def fista_threshold_lam(x, z, z_prev, t_k, W_d, lam, L):      # soft_λ instead of soft_{λ/L}
    t_next = (1 + (1 + 4 * t_k ** 2) ** 0.5) / 2
    y = z + (t_k - 1) / t_next * (z - z_prev)
    return soft(y + (x - y @ W_d.T) @ W_d / L, lam)


FISTA_MISTAKES = {"t_k shifted by one": (fista_shifted, "momentum_index"),
                  "t_k in the denominator": (fista_same_t, "momentum_index"),
                  "wrong sign": (fista_wrong_sign, "momentum_sign"),
                  "threshold without 1/L": (fista_threshold_lam, "momentum_threshold")}


def test_fista_reference_iterated_is_the_library_fista():
    """Iterating the reference from z^(-1) = z^(0) = 0, t_0 = 1 is fista(restart=False)."""
    g = torch.Generator().manual_seed(3)
    W_d = torch.nn.functional.normalize(torch.randn(8, 20, generator=g, dtype=torch.float64), dim=0)
    x = torch.randn(6, 8, generator=g, dtype=torch.float64)
    L = ch01.lipschitz(W_d)
    z = z_prev = torch.zeros(6, 20, dtype=torch.float64)
    t_k = 1.0
    for _ in range(25):
        z, z_prev = ch01.fista_step(x, z, z_prev, t_k, W_d, 0.1, L), z
        t_k = (1 + (1 + 4 * t_k ** 2) ** 0.5) / 2
    expected, _ = fista(x, W_d, 0.1, max_iter=25, tol=0, L=L, restart=False)
    torch.testing.assert_close(z, expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fista_check_passes_an_independent_solution(seed, capsys):
    assert ch01.check_fista_step(fista_independent, seed=seed, lang="en")
    assert "All 4 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(FISTA_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_fista_check_names_each_mistake(mistake, seed):
    fn, hint = FISTA_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch01.check_fista_step(fn, seed=seed, lang=lang, quiet=True)
        assert not report and report.passed < report.total
        assert ch01.HINTS[hint][lang] in report.text, (mistake, lang)


def test_fista_check_lets_a_stub_through():
    with pytest.raises(NotImplementedError):
        ch01.check_fista_step(stub, quiet=True)


# ------------------------------------------------------------------ LISTA forward pass
def lista_independent(x, W_e, S, theta, T):
    """Written with columns (the maths' orientation), then transposed back to rows."""
    drive = W_e @ x.T                                            # (m, batch)
    z = torch.zeros_like(drive)
    for _ in range(T):
        z = soft(drive + S @ z, theta[:, None])
    return z.T


def lista_transposed(x, W_e, S, theta, T):                    # z @ S instead of z @ S.T
    z = torch.zeros(len(x), len(S), dtype=x.dtype)
    for _ in range(T):
        z = soft(x @ W_e.T + z @ S, theta)
    return z


def lista_W_e_transposed(x, W_e, S, theta, T):               # x @ W_e: fits the shapes only when n = m
    z = torch.zeros(len(x), len(S), dtype=x.dtype)
    for _ in range(T):
        z = soft(x @ W_e + z @ S.T, theta)
    return z


def lista_threshold_once(x, W_e, S, theta, T):                # a linear recurrence, one threshold
    u = torch.zeros(len(x), len(S), dtype=x.dtype)
    for _ in range(T):
        u = x @ W_e.T + u @ S.T
    return soft(u, theta)


def lista_S_on_input(x, W_e, S, theta, T):                    # S applied to the drive W_e x
    drive = x @ W_e.T
    z = torch.zeros_like(drive)
    for _ in range(T):
        z = soft(drive + drive @ S.T, theta)
    return z


def lista_one_too_many(x, W_e, S, theta, T):                  # starts at soft(W_e x), then T more
    z = soft(x @ W_e.T, theta)
    for _ in range(T):
        z = soft(x @ W_e.T + z @ S.T, theta)
    return z


def lista_one_too_few(x, W_e, S, theta, T):
    z = torch.zeros(len(x), len(S), dtype=x.dtype)
    for _ in range(T - 1):
        z = soft(x @ W_e.T + z @ S.T, theta)
    return z


LISTA_MISTAKES = {"S transposed": (lista_transposed, "lista_transpose"),
                  "W_e transposed": (lista_W_e_transposed, "lista_transpose"),
                  "threshold once at the end": (lista_threshold_once, "lista_every_layer"),
                  "S on the input": (lista_S_on_input, "lista_first_layer"),
                  "T + 1 layers": (lista_one_too_many, "lista_layers"),
                  "T - 1 layers": (lista_one_too_few, "lista_layers")}


def test_lista_reference_is_the_model_with_any_weights():
    """The reference is what sparselib.models.LISTA computes, also with weights that are not ISTA's."""
    g = torch.Generator().manual_seed(0)
    W_d = torch.nn.functional.normalize(torch.randn(6, 10, generator=g, dtype=torch.float64), dim=0)
    model = LISTA(W_d, 0.2, n_layers=4)
    with torch.no_grad():
        model.W_e.add_(0.1 * torch.randn(model.W_e.shape, generator=g, dtype=torch.float64))
        model.S.add_(0.1 * torch.randn(model.S.shape, generator=g, dtype=torch.float64))
        model.theta.mul_(1 + torch.rand(model.theta.shape, generator=g, dtype=torch.float64))
        x = torch.randn(7, 6, generator=g, dtype=torch.float64)
        expected = model.encode(x)
        got = ch01.lista_forward(x, model.W_e, model.S, model.theta, 4)
    torch.testing.assert_close(got, expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lista_check_passes_an_independent_solution(seed, capsys):
    assert ch01.check_lista_forward(lista_independent, seed=seed, lang="en")
    assert "All 4 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(LISTA_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_lista_check_names_each_mistake(mistake, seed):
    fn, hint = LISTA_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch01.check_lista_forward(fn, seed=seed, lang=lang, quiet=True)
        assert not report and report.passed < report.total
        assert ch01.HINTS[hint][lang] in report.text, (mistake, lang)


def test_lista_check_lets_a_stub_through():
    with pytest.raises(NotImplementedError):
        ch01.check_lista_forward(stub, quiet=True)
