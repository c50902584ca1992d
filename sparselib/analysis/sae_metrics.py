"""The measurements of today's sparse auto-encoders (chapter 6), defined as the field's
reference tools define them.

Each takes codes, inputs and reconstructions (or a network's head), never a model, and
evaluates a large set in chunks of ``chunk_size`` rows with float64 sums:

- :func:`l0`: mean number of non-zeros per sample;
- :func:`fvu`: fraction of variance unexplained, pooled over the set,
  ``Σ_n ‖x_n − x̂_n‖² / Σ_n ‖x_n − x̄‖²`` (``= E‖x − x̂‖² / (E‖x‖² − ‖E x‖²)``, not the mean
  of per-sample ratios); :func:`explained_variance` is ``1 − fvu``;
- :func:`dead_fraction`: latents that are zero on every sample of the set;
- :func:`shrinkage`: the relative reconstruction bias ``E‖x̂‖² / E⟨x, x̂⟩``, the scale ``s``
  minimising ``E‖x̂/s − x‖²``; below 1 is L1's shrinkage, 1 is none;
- :func:`spliced_metrics`: a network's accuracy and cross-entropy with the reconstruction
  spliced in place of its activations, against zero- and mean-ablation;
- :func:`classes_per_unit`, :func:`polysemantic_units`: the rule by which a hidden unit is
  called polysemantic;
- :func:`pca_fvu`: the FVU of the best ``k``-dimensional linear reconstruction, the baseline
  at ``L0 = k``.

Shapes: ``x``, ``x_hat`` ``(n_samples, n_features)``, ``z`` ``(n_samples, n_latents)``,
labels ``y`` ``(n_samples,)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor

from .._validation import (check_in_range, check_labels, check_nonneg_scalar, check_positive_int,
                           check_shape, check_tensor, fail)

__all__ = ["l0", "fvu", "explained_variance", "dead_fraction", "shrinkage", "SplicedMetrics",
           "spliced_metrics", "classes_per_unit", "polysemantic_units", "pca_fvu"]

CHUNK = 4096


def _chunks(n: int, chunk_size: int):
    for start in range(0, n, chunk_size):
        yield slice(start, min(start + chunk_size, n))


def _pair(x, x_hat, func: str) -> tuple[Tensor, Tensor]:
    x = check_tensor(x, "x", func, ndim=2)
    x_hat = check_tensor(x_hat, "x_hat", func, ndim=2)
    check_shape(x_hat, "x_hat", func, tuple(x.shape), lead="have the shape of x,")
    if x.shape[0] == 0:
        fail(ValueError, "x", func, "hold at least one sample", "shape (0, ...)")
    return x, x_hat.detach()


def l0(z: Tensor, *, chunk_size: int = CHUNK) -> float:
    """Mean number of non-zero entries per sample, ``E ‖z‖₀``."""
    z = check_tensor(z, "z", "l0", ndim=2, floating=False)
    chunk_size = check_positive_int(chunk_size, "chunk_size", "l0")
    count = sum(int((z[s] != 0).sum()) for s in _chunks(z.shape[0], chunk_size))
    return count / max(z.shape[0], 1)


def fvu(x: Tensor, x_hat: Tensor, *, chunk_size: int = CHUNK) -> float:
    """Fraction of variance unexplained, pooled: ``Σ_n ‖x_n − x̂_n‖² / Σ_n ‖x_n − x̄‖²``.

    ``x̄`` is the mean of ``x`` over the set. Two passes in float64 (the mean, then the sums),
    so the denominator does not suffer the cancellation of ``E‖x‖² − ‖E x‖²``.
    Raises ``ValueError`` when every row of ``x`` is the same (no variance).
    """
    x, x_hat = _pair(x, x_hat, "fvu")
    chunk_size = check_positive_int(chunk_size, "chunk_size", "fvu")
    n = x.shape[0]
    mean = sum(x[s].double().sum(0) for s in _chunks(n, chunk_size)) / n      # (n_features,)
    err = var = 0.0
    for s in _chunks(n, chunk_size):
        xs = x[s].double()
        err += float((xs - x_hat[s].double()).pow(2).sum())
        var += float((xs - mean).pow(2).sum())
    if var == 0:
        fail(ValueError, "x", "fvu", "vary over its rows (FVU divides by the variance)",
             "identical rows")
    return err / var


def explained_variance(x: Tensor, x_hat: Tensor, *, chunk_size: int = CHUNK) -> float:
    """``1 − fvu(x, x_hat)``, the pooled explained variance."""
    return 1.0 - fvu(x, x_hat, chunk_size=chunk_size)


def dead_fraction(z: Tensor, *, chunk_size: int = CHUNK) -> float:
    """Fraction of latents (columns of ``z``) that are zero on every sample."""
    z = check_tensor(z, "z", "dead_fraction", ndim=2, floating=False)
    chunk_size = check_positive_int(chunk_size, "chunk_size", "dead_fraction")
    fired = torch.zeros(z.shape[1], dtype=torch.bool, device=z.device)
    for s in _chunks(z.shape[0], chunk_size):
        fired |= (z[s] != 0).any(0)
    return 1.0 - float(fired.double().mean())


def shrinkage(x: Tensor, x_hat: Tensor, *, chunk_size: int = CHUNK) -> float:
    """Relative reconstruction bias ``E‖x̂‖² / E⟨x, x̂⟩`` (Rajamanoharan et al., 2024).

    1 when the reconstructions are unbiased in scale (e.g. ``x̂ = x``, or ``x̂`` the
    orthogonal projection of ``x`` on any subspace); ``c`` for ``x̂ = c·x``; below 1 when
    they are shrunk towards 0, as an L1 penalty does.
    """
    x, x_hat = _pair(x, x_hat, "shrinkage")
    chunk_size = check_positive_int(chunk_size, "chunk_size", "shrinkage")
    num = den = 0.0
    for s in _chunks(x.shape[0], chunk_size):
        xs, hs = x[s].double(), x_hat[s].double()
        num += float(hs.pow(2).sum())
        den += float((xs * hs).sum())
    if den == 0:
        fail(ValueError, "x_hat", "shrinkage", "have a non-zero mean inner product with x",
             "E⟨x, x_hat⟩ = 0")
    return num / den


@dataclass
class SplicedMetrics:
    """A head's accuracy and mean cross-entropy with its activations replaced."""
    accuracy: float            # with the reconstruction spliced in
    cross_entropy: float
    clean_accuracy: float      # with the activations themselves
    clean_cross_entropy: float
    zero_accuracy: float       # activations replaced by 0
    zero_cross_entropy: float
    mean_accuracy: float       # activations replaced by their mean over the set
    mean_cross_entropy: float

    def as_dict(self) -> dict:
        return dict(vars(self))


@torch.no_grad()
def spliced_metrics(head: Callable[[Tensor], Tensor], h: Tensor, h_hat: Tensor, y: Tensor, *,
                    chunk_size: int = CHUNK) -> SplicedMetrics:
    """Downstream fidelity: ``head``'s accuracy and cross-entropy on ``h_hat`` (the
    reconstruction of the activations ``h``), on ``h`` itself, on zeros, and on the mean of
    ``h`` over the set (zero- and mean-ablation, the references a reconstruction must beat).

    Parameters
    ----------
    head : callable
        Activations ``(n, n_features)`` to logits ``(n, n_classes)``: the rest of the network.
    h, h_hat : Tensor of shape (n_samples, n_features)
    y : Tensor of shape (n_samples,), integer labels
    """
    func = "spliced_metrics"
    if not callable(head):
        fail(TypeError, "head", func, "be a function from activations to logits", type(head).__name__)
    h, h_hat = _pair(h, h_hat, func)
    y = check_labels(y, "y", func, h.shape[0], why="to match h")
    chunk_size = check_positive_int(chunk_size, "chunk_size", func)
    mean = h.double().mean(0).to(h.dtype)

    def score(make: Callable[[slice], Tensor]) -> tuple[float, float]:
        correct, ce = 0, 0.0
        for s in _chunks(h.shape[0], chunk_size):
            logits = head(make(s)).double()                                   # (chunk, n_classes)
            correct += int((logits.argmax(1) == y[s].to(logits.device)).sum())
            ce += float(F.cross_entropy(logits, y[s].to(logits.device), reduction="sum"))
        return correct / h.shape[0], ce / h.shape[0]

    spliced, clean = score(lambda s: h_hat[s]), score(lambda s: h[s])
    zero = score(lambda s: torch.zeros_like(h[s]))
    mean_ = score(lambda s: mean.expand_as(h[s]))
    return SplicedMetrics(*spliced, *clean, *zero, *mean_)


def classes_per_unit(h: Tensor, y: Tensor, *, ratio: float = 0.5) -> Tensor:
    """For every unit, the number of classes whose mean activation exceeds ``ratio`` times
    the unit's largest class mean (0 for a unit that is never positive on average).

    Returns
    -------
    Tensor of shape (n_units,), int64
    """
    func = "classes_per_unit"
    h = check_tensor(h, "h", func, ndim=2)
    y = check_labels(y, "y", func, h.shape[0], why="to match h")
    ratio = check_in_range(check_nonneg_scalar(ratio, "ratio", func), "ratio", func, 0, 1, "[)")
    classes = torch.unique(y)
    means = torch.stack([h[y == c].double().mean(0) for c in classes])       # (n_classes, n_units)
    top = means.max(0).values                                                 # (n_units,)
    count = (means > ratio * top).sum(0)
    return torch.where(top > 0, count, torch.zeros_like(count))


def polysemantic_units(h: Tensor, y: Tensor, *, ratio: float = 0.5, min_classes: int = 3) -> Tensor:
    """Bool mask ``(n_units,)``: a unit is polysemantic when its mean activation exceeds
    ``ratio`` times its largest class mean for at least ``min_classes`` classes
    (:func:`classes_per_unit`)."""
    min_classes = check_positive_int(min_classes, "min_classes", "polysemantic_units", minimum=2)
    return classes_per_unit(h, y, ratio=ratio) >= min_classes


def pca_fvu(x_train: Tensor, x_test: Tensor, k: int) -> float:
    """FVU on ``x_test`` of the projection onto the top ``k`` principal components of
    ``x_train`` (centred at ``x_train``'s mean): the best ``k``-dimensional linear code,
    a baseline with ``L0 = k``."""
    func = "pca_fvu"
    x_train = check_tensor(x_train, "x_train", func, ndim=2)
    x_test = check_tensor(x_test, "x_test", func, ndim=2)
    check_shape(x_test, "x_test", func, ("n_test", x_train.shape[1]), "to match x_train")
    k = check_positive_int(k, "k", func)
    if k > x_train.shape[1]:
        fail(ValueError, "k", func, f"be at most n_features={x_train.shape[1]}", repr(k))
    mean = x_train.double().mean(0)
    _, _, Vh = torch.linalg.svd(x_train.double() - mean, full_matrices=False)
    V = Vh[:k].T                                                              # (n_features, k)
    centred = x_test.double() - mean
    return fvu(x_test.double(), centred @ V @ V.T + mean)
