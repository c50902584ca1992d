"""Chapter 2 (DrSAE): the recurrent encoder, the three-term loss, the three criteria of a
model, and the few-label protocol on its codes.

Shapes follow :mod:`sparselib.models.drsae`: ``x: (batch, n_features)``,
``W_e: (n_atoms, n_features)``, ``S: (n_atoms, n_atoms)`` (applied as ``z @ S.T``),
``b: (n_atoms,)``, ``W_d: (n_features, n_atoms)``, ``W_c: (n_classes, n_atoms)``,
``c: (n_classes,)``, labels ``y: (batch,)`` int64.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from .. import functional as sf
from ..models.drsae import DrSAE
from . import FAIL, PASS, Case, Report, compare_outputs, copy_value, language, message, run_cases
from .hints.ch02 import HINTS

__all__ = ["check_drsae_encode", "check_drsae_loss", "check_drsae_criteria", "check_few_label",
           "drsae_encode", "drsae_loss", "drsae_criteria", "few_label_accuracy"]

def drsae_encode(x: Tensor, W_e: Tensor, S: Tensor, b: Tensor, n_iter: int) -> Tensor:
    """Reference encoder: ``n_iter`` ReLU steps, the final code of shape ``(batch, n_atoms)``."""
    z = None
    for _ in range(n_iter):
        z = sf.drsae_step(x, z, W_e, S, b)
    return z


def drsae_loss(x: Tensor, y: Tensor, z: Tensor, W_d: Tensor, W_c: Tensor, c: Tensor,
               lam: float, gamma: float) -> Tensor:
    """Reference loss, as :meth:`DrSAE.loss`: a 0-d tensor (batch means of each term)."""
    reconstruction = 0.5 * (x - z @ W_d.T).pow(2).sum(-1).mean()
    sparsity = z.abs().sum(-1).mean()
    logits = F.normalize(z, dim=-1, eps=1e-8) @ W_c.T + c            # (batch, n_classes)
    return reconstruction + lam * sparsity + gamma * F.cross_entropy(logits, y)


def _encoder(g, batch, n, m, dtype=torch.float32, lateral=True):
    x = torch.rand(batch, n, generator=g, dtype=dtype)
    W_e = torch.randn(m, n, generator=g, dtype=dtype) / n ** 0.5
    S = torch.randn(m, m, generator=g, dtype=dtype) / m ** 0.5 * float(lateral)
    b = 0.1 * torch.rand(m, generator=g, dtype=dtype)
    return x, W_e, S, b


def check_drsae_encode(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                       quiet: bool = False) -> Report:
    """Compare ``student_fn(x, W_e, S, b, n_iter)`` with the DrSAE encoder on four cases."""
    g = torch.Generator().manual_seed(seed)
    one = _encoder(g, 3, 6, 10)
    cases = [
        Case("n_iter = 1, x ∈ ℝ^{3×6}, z ∈ ℝ^{3×10}", (*one, 1), HINTS["first"]),
        Case("S = 0, n_iter = 4", (*_encoder(g, 3, 6, 10, lateral=False), 4), HINTS["rows"]),
        Case("n_iter = 3, x ∈ ℝ^{3×6}", (*one, 3), HINTS["rows"]),
        Case("n_iter = 6, x ∈ ℝ^{5×8} (float64), z ∈ ℝ^{5×12}",
             (*_encoder(g, 5, 8, 12, torch.float64), 6), HINTS["first"]),
    ]
    return run_cases("drsae_encode_student", student_fn, drsae_encode, cases,
                     arg_names=("x", "W_e", "S", "b", "n_iter"), lang=lang, quiet=quiet)


def _loss_problem(g, batch, n, m, k, dtype=torch.float32):
    x = torch.rand(batch, n, generator=g, dtype=dtype)
    z = torch.rand(batch, m, generator=g, dtype=dtype) * (torch.rand(batch, m, generator=g) < 0.5)
    z[:, 0] += 0.1                                       # no all-zero code
    W_d = F.normalize(torch.randn(n, m, generator=g, dtype=dtype), dim=0)
    W_c = torch.randn(k, m, generator=g, dtype=dtype)
    c = torch.randn(k, generator=g, dtype=dtype)
    y = torch.randint(0, k, (batch,), generator=g)
    return x, y, z, W_d, W_c, c


def check_drsae_loss(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                     quiet: bool = False) -> Report:
    """Compare ``student_fn(x, y, z, W_d, W_c, c, lam, gamma)`` with DrSAE's loss on four cases."""
    g = torch.Generator().manual_seed(seed)
    p = _loss_problem(g, 4, 6, 10, 3)
    cases = [
        Case("λ = 0, γ = 0: ½‖x − W_d z‖²", (*p, 0.0, 0.0), HINTS["reconstruction"]),
        Case("λ = 0.5, γ = 0", (*p, 0.5, 0.0), HINTS["l1"]),
        Case("λ = 0, γ = 2", (*p, 0.0, 2.0), HINTS["classifier"]),
        Case("λ = 0.1, γ = 5, batch 7 (float64)",
             (*_loss_problem(g, 7, 8, 12, 4, torch.float64), 0.1, 5.0), HINTS["classifier"]),
    ]
    return run_cases("drsae_loss_student", student_fn, drsae_loss, cases,
                     arg_names=("x", "y", "z", "W_d", "W_c", "c", "lam", "gamma"), lang=lang,
                     quiet=quiet)


# ------------------------------------------------------------------ the three criteria of a model
def drsae_criteria(model: DrSAE, x: Tensor, y: Tensor) -> Tensor:
    """Reference: the three weighted terms of ℒ on a batch, ``(½ mean‖x − W_d z‖², λ mean‖z‖₁,
    γ CE)``, shape ``(3,)``, with ``z = z^{(T)}`` computed from the model's weights."""
    with torch.no_grad():
        z = drsae_encode(x, model.W_e, model.S, model.b, model.n_iter)   # (batch, n_atoms)
        return _criteria(model, x, y, z)


def _criteria(model, x, y, z, *, half=0.5, sparse_input=False, gamma=True, normalise=True):
    reconstruction = half * (x - z @ model.W_d.T).pow(2).sum(-1).mean()
    sparsity = model.lam * (x if sparse_input else z).abs().sum(-1).mean()
    code = F.normalize(z, dim=-1, eps=1e-8) if normalise else z
    ce = F.cross_entropy(code @ model.W_c.T + model.c, y)
    return torch.stack([reconstruction, sparsity, (model.gamma if gamma else 1.0) * ce])


@torch.no_grad()
def _criteria_mistakes(model, x, y) -> dict:
    """The typical wrong answers, each under the key of the hint that names it."""
    T, W_e, S, b = model.n_iter, model.W_e, model.S, model.b
    z = drsae_encode(x, W_e, S, b, T)
    return {"half": _criteria(model, x, y, z, half=1.0),
            "threshold": _criteria(model, x, y, drsae_encode(x, W_e, S, -b, T)),
            "l1_code": _criteria(model, x, y, z, sparse_input=True),
            "gamma": _criteria(model, x, y, z, gamma=False),
            "classifier": _criteria(model, x, y, z, normalise=False),
            "first": [_criteria(model, x, y, drsae_encode(x, W_e, S, b, n)) for n in (T - 1, T + 1) if n > 0]}


def _diagnosed_cases(name: str, student_fn: Callable, reference_fn: Callable, mistakes_fn: Callable,
                     cases: list, fallback: str, *, lang: Optional[str], quiet: bool,
                     rtol: float = 1e-5, atol: float = 1e-7) -> Report:
    """Like :func:`run_cases`, but a wrong answer is matched against the typical mistakes
    (``mistakes_fn(*args)``: hint key -> wrong answer, or a list of them) and gets the hint of
    each mistake it equals; an answer that matches none gets the ``fallback`` hint."""
    lang = language(lang)
    report = Report(name)
    if not callable(student_fn):
        report.text = message("not_callable", lang, got=type(student_fn).__name__)
        if not quiet:
            print(report.text)
        return report
    lines = [message("header", lang, name=name, n=len(cases))]
    for label, args in cases:
        expected, wrongs = reference_fn(*args), mistakes_fn(*args)   # before the student's call
        try:
            got = student_fn(*tuple(copy_value(a) for a in args))
        except NotImplementedError:
            if not quiet:
                print(message("not_implemented", lang, name=name))
            raise
        except Exception as error:      # any other bug of the student's is a failed case
            problems = [message("raised", lang, error=f"{type(error).__name__}: {error}")]
        else:
            problems = compare_outputs(got, expected, lang, rtol, atol)
        if problems:
            keys = []
            if isinstance(got, Tensor) and got.shape == expected.shape:
                for key, wrong in wrongs.items():
                    for w in wrong if isinstance(wrong, list) else [wrong]:
                        if w.shape == got.shape and torch.allclose(got.detach().to(w.dtype), w, rtol=rtol, atol=atol):
                            keys.append(key)
                            break
            for key in keys or [fallback]:
                problems.append(message("hint", lang, hint=HINTS[key][lang]))
        report.results.append((label, not problems, problems))
        mark = PASS if not problems else FAIL
        lines.append(f"  {mark} {label}: " + ("; ".join(problems) if problems else message("passed", lang)))
    k, n = report.passed, report.total
    lines.append(message("all_passed", lang, n=n) if k == n else message("some_failed", lang, k=k, n=n))
    report.text = "\n".join(lines)
    if not quiet:
        print(report.text)
    return report


def _small_drsae(g, n, m, n_classes, n_iter, lam, gamma, dtype=torch.float32) -> DrSAE:
    """A small untrained DrSAE with a signed S and a threshold large enough to matter."""
    state = torch.random.get_rng_state()
    torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=g)))
    model = DrSAE(n, m, n_classes, n_iter=n_iter, lam=lam, gamma=gamma).to(dtype).eval()
    torch.random.set_rng_state(state)
    with torch.no_grad():
        model.S.copy_(0.9 * torch.randn(m, m, generator=g, dtype=dtype) / m ** 0.5)
        model.b.copy_(0.05 + 0.2 * torch.rand(m, generator=g, dtype=dtype))
        model.W_c.copy_(torch.randn(n_classes, m, generator=g, dtype=dtype))
        model.c.copy_(0.5 * torch.randn(n_classes, generator=g, dtype=dtype))
    return model


def check_drsae_criteria(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                         quiet: bool = False) -> Report:
    """Compare ``student_fn(model, x, y)`` with :func:`drsae_criteria` on four small models; a
    wrong answer that equals a typical mistake (no ½, b added, ℓ1 on the input, γ left out, the
    code not normalised, one iteration too few or too many) gets the hint that names it."""
    g = torch.Generator().manual_seed(seed)

    def case(n, m, k, T, lam, gamma, batch, dtype=torch.float32):
        model = _small_drsae(g, n, m, k, T, lam, gamma, dtype)
        x = torch.rand(batch, n, generator=g, dtype=dtype)
        return model, x, torch.randint(0, k, (batch,), generator=g)

    cases = [
        ("T = 1, λ = 0.1, γ = 2, x ∈ ℝ^{4×6}, z ∈ ℝ^{4×10}", case(6, 10, 3, 1, 0.1, 2.0, 4)),
        ("T = 3, λ = 0.5, γ = 5", case(6, 10, 3, 3, 0.5, 5.0, 4)),
        ("T = 4, λ = 0.05, γ = 10, x ∈ ℝ^{6×8}, z ∈ ℝ^{6×12}", case(8, 12, 4, 4, 0.05, 10.0, 6)),
        ("T = 5, λ = 0.2, γ = 3 (float64)", case(8, 12, 4, 5, 0.2, 3.0, 5, torch.float64)),
    ]
    return _diagnosed_cases("drsae_criteria_student", student_fn, drsae_criteria, _criteria_mistakes,
                            cases, "criteria", lang=lang, quiet=quiet, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------ the few-label protocol
def _nearest_mean_accuracy(Z_lab: Tensor, y_lab: Tensor, Z_test: Tensor, y_test: Tensor,
                           n_classes: int) -> Tensor:
    """Accuracy of the nearest class mean (a class with no labelled digit is never chosen)."""
    means = torch.stack([Z_lab[y_lab == j].mean(0) if bool((y_lab == j).any())
                         else torch.full_like(Z_lab[0], float("nan")) for j in range(n_classes)])
    dist = torch.cdist(Z_test.double(), means.double()).nan_to_num(float("inf"))   # (n_test, C)
    return (dist.argmin(1) == y_test).double().mean()


def _first_per_class(y: Tensor, n_per_class: int, n_classes: int) -> Tensor:
    return torch.cat([torch.nonzero(y == j).flatten()[:n_per_class] for j in range(n_classes)])


def _few_label(model, X_lab, y_lab, X_test, y_test, pick, k, normalise=True):
    with torch.no_grad():
        codes = lambda X: model(X).codes[k - 1]                          # z^{(k)}, (n, n_atoms)
        Z_lab, Z_test = codes(X_lab[pick]), codes(X_test)
        if normalise:
            Z_lab, Z_test = F.normalize(Z_lab, dim=-1, eps=1e-8), F.normalize(Z_test, dim=-1, eps=1e-8)
        return _nearest_mean_accuracy(Z_lab, y_lab[pick], Z_test, y_test, model.n_classes)


def few_label_accuracy(model: DrSAE, X_train: Tensor, y_train: Tensor, X_test: Tensor,
                       y_test: Tensor, n_per_class: int, k: int) -> Tensor:
    """Reference: the few-label protocol on DrSAE codes. The first ``n_per_class`` training
    digits of each class are the labelled ones; every test digit gets the class of the nearest
    mean of their normalised codes ``z^{(k)}/‖z^{(k)}‖``; returns the test accuracy (0-d, float64)."""
    pick = _first_per_class(y_train, n_per_class, model.n_classes)
    return _few_label(model, X_train, y_train, X_test, y_test, pick, k)


def _few_label_mistakes(model, X_train, y_train, X_test, y_test, n_per_class, k) -> dict:
    C, T = model.n_classes, model.n_iter
    pick = _first_per_class(y_train, n_per_class, C)
    other_k = [j for j in (T, k + 1, k - 1) if 1 <= j <= T and j != k]
    return {"split": _few_label(model, X_test, y_test, X_test, y_test, _first_per_class(y_test, n_per_class, C), k),
            "balanced": _few_label(model, X_train, y_train, X_test, y_test, torch.arange(n_per_class * C), k),
            "iteration": [_few_label(model, X_train, y_train, X_test, y_test, pick, j) for j in other_k],
            "normalise": _few_label(model, X_train, y_train, X_test, y_test, pick, k, normalise=False)}


def _few_label_problem(g, n_features, n_classes, n_train, n_test, n_iter, dtype=torch.float32):
    """Noisy class prototypes; the training split starts with one digit of each class followed by
    a run of class 0 (so the first n × n_classes digits are unbalanced), then shuffled labels."""
    model = _small_drsae(g, n_features, 3 * n_features, n_classes, n_iter, 0.1, 1.0, dtype)
    prototypes = torch.rand(n_classes, n_features, generator=g, dtype=dtype)
    rest = torch.randint(0, n_classes, (n_train - 4 * n_classes,), generator=g)
    y_train = torch.cat([torch.arange(n_classes), torch.zeros(3 * n_classes, dtype=torch.int64), rest])
    y_test = torch.randint(0, n_classes, (n_test,), generator=g)
    noisy = lambda y: prototypes[y] + 1.2 * torch.rand(len(y), n_features, generator=g, dtype=dtype)
    return model, noisy(y_train), y_train, noisy(y_test), y_test


def check_few_label(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                    quiet: bool = False) -> Report:
    """Compare ``student_fn(model, X_train, y_train, X_test, y_test, n_per_class, k)`` with
    :func:`few_label_accuracy` on four problems; a wrong answer equal to a typical mistake
    (labelled digits from the test split, the first digits whatever their class, the codes of
    another iteration, codes not normalised) gets the hint that names it."""
    g = torch.Generator().manual_seed(seed)
    one = _few_label_problem(g, 10, 3, 60, 2000, 4)
    cases = [
        ("k = T = 4, 3 classes, 2 labelled digits per class", (*one, 2, 4)),
        ("k = 1, 3 labelled digits per class", (*one, 3, 1)),
        ("k = 2, 5 labelled digits per class", (*one, 5, 2)),
        ("k = 3 of T = 5, 4 classes, 3 per class (float64)",
         (*_few_label_problem(g, 12, 4, 80, 2400, 5, torch.float64), 3, 3)),
    ]
    return _diagnosed_cases("few_label_student", student_fn, few_label_accuracy, _few_label_mistakes,
                            cases, "protocol", lang=lang, quiet=quiet, rtol=0, atol=1e-12)
