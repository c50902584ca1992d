"""Chapter 6's self-checks: JumpReLU's forward pass, its straight-through threshold gradient
and the pooled FVU. Each passes an independent correct solution, fails each typical mistake
with the hint that names it, and lets an unfinished stub's NotImplementedError through; the
references agree with the library's own functions."""
from __future__ import annotations

import pytest
import torch

from sparselib import sae_functional as saef
from sparselib.analysis import fvu
from sparselib.exercises import ch06
from sparselib.i18n import LANGUAGES


def stub(*args):
    raise NotImplementedError()


def fails_with(report, key, lang="en"):
    assert not report and report.passed < report.total
    assert ch06.HINTS[key][lang] in report.text, (key, lang)


# ------------------------------------------------------------------ JumpReLU
def jumprelu_by_loop(v, theta):
    out = torch.zeros_like(v)
    for n in range(v.shape[0]):
        for i in range(v.shape[1]):
            if v[n, i] > theta[i]:
                out[n, i] = v[n, i]
    return out


def test_jumprelu_check_passes_a_loop_and_fails_each_mistake():
    assert ch06.check_jumprelu(jumprelu_by_loop, quiet=True)
    assert ch06.check_jumprelu(lambda v, t: saef.jumprelu(v, t, 0.1), quiet=True)
    fails_with(ch06.check_jumprelu(lambda v, t: (v - t) * (v > t), quiet=True), "keep_whole")
    for mistake, key in [(lambda v, t: v * (v >= t), "strict"),          # not strict
                         (lambda v, t: v * (v.abs() > t), "nonneg")]:    # the signed l0 prox
        report = ch06.check_jumprelu(mistake, quiet=True)
        fails_with(report, key)
        assert report.passed == report.total - 1  # only its case fails: only its hint is shown
    report = ch06.check_jumprelu(lambda v, t: v * (v > t[0]), quiet=True)  # one threshold
    fails_with(report, "per_latent")
    assert all(ok for _, ok, _ in report.results[:3])  # the cases with one threshold for all pass
    with pytest.raises(NotImplementedError):
        ch06.check_jumprelu(stub, quiet=True)


# ------------------------------------------------------------------ threshold gradient
def grad_by_hand(v, theta, q, lam, eps):
    """The two pseudo-derivatives written out, one latent and one sample at a time."""
    out = torch.zeros_like(theta)
    for n in range(v.shape[0]):
        for i in range(v.shape[1]):
            if abs(float(v[n, i] - theta[i])) < eps / 2:
                out[i] -= (theta[i] * q[n, i] + lam) / eps
    return out


def test_threshold_grad_check_passes_a_loop_and_fails_each_mistake():
    assert ch06.check_threshold_grad(grad_by_hand, quiet=True)

    def window(v, t, eps, half=0.5):
        return ((v - t).abs() < half * eps).to(v.dtype)

    fails_with(ch06.check_threshold_grad(
        lambda v, t, d, lam, e: -((d + lam) * window(v, t, e)).sum(0) / e, quiet=True), "jump_factor")
    fails_with(ch06.check_threshold_grad(
        lambda v, t, d, lam, e: -((t * d + lam) * window(v, t, e)).sum(0), quiet=True), "step_factor")
    report = ch06.check_threshold_grad(
        lambda v, t, d, lam, e: -((t * d + lam) * window(v, t, e, 1.0)).sum(0) / e, quiet=True)
    fails_with(report, "window")
    assert report.results[0][1] and report.results[1][1]   # the window's own case is the first to fail
    report = ch06.check_threshold_grad(
        lambda v, t, d, lam, e: -((t * d + lam) * window(v, t, e)).mean(0) / e, quiet=True)
    fails_with(report, "sum_batch")
    assert report.passed == 3                 # one-row cases cannot tell a mean from a sum
    with pytest.raises(NotImplementedError):
        ch06.check_threshold_grad(stub, quiet=True)


def test_the_reference_gradient_is_the_derivative_of_the_smoothed_loss():
    gen = torch.Generator().manual_seed(3)
    theta = torch.tensor([0.2, 0.6], dtype=torch.float64)
    v = theta + 0.1 * torch.randn(30, 2, generator=gen, dtype=torch.float64)
    q = torch.randn(30, 2, generator=gen, dtype=torch.float64)
    lam, eps, h = 0.4, 0.1, 1e-6

    def smoothed(th):
        return float((q * saef.smoothed_jumprelu(v, th, eps)
                      + lam * saef.smoothed_step(v, th, eps)).sum())

    fd = torch.tensor([(smoothed(theta + h * e) - smoothed(theta - h * e)) / (2 * h)
                       for e in torch.eye(2, dtype=torch.float64)], dtype=torch.float64)
    torch.testing.assert_close(ch06.threshold_grad(v, theta, q, lam, eps), fd, rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------ pooled FVU
def test_pooled_fvu_check_passes_the_library_and_fails_each_mistake():
    assert ch06.check_pooled_fvu(lambda x, x_hat: torch.tensor(fvu(x, x_hat), dtype=x.dtype),
                                 quiet=True)
    fails_with(ch06.check_pooled_fvu(lambda x, xh: (x - xh).pow(2).sum() / x.pow(2).sum(),
                                     quiet=True), "centre")
    per_sample = lambda x, xh: ((x - xh).pow(2).sum(1) / (x - x.mean(0)).pow(2).sum(1)).mean()
    report = ch06.check_pooled_fvu(per_sample, quiet=True)
    fails_with(report, "pooled")
    assert ch06.HINTS["centre"]["en"] not in report.text   # the centred cases pass
    with pytest.raises(NotImplementedError):
        ch06.check_pooled_fvu(stub, quiet=True)


def test_a_half_perfect_half_mean_reconstruction_has_fvu_one_half():
    x = torch.randn(30, 5, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    both, recon = torch.cat([x, x]), torch.cat([x, x.mean(0).expand_as(x)])
    assert float(ch06.pooled_fvu(both, recon)) == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_hint_is_written_in_every_language(lang):
    assert all(ch06.HINTS[key].get(lang, "").strip() for key in ch06.HINTS)
