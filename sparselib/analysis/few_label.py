"""The few-label protocol's measurements (chapter 4): a labelled set and a validation set carved
out of the training split, the classifier trained on the labelled set, and a paired interval
on the difference between two methods' test accuracies.

:mod:`sparselib.protocols.stacked_conv` runs the whole experiment with them (features,
selection on validation, one test score); ``benchmarks/stacked_conv_digits.py`` drives it and
chapter 4 reads its record. Everything here works on NumPy arrays, as scikit-learn does.

Shapes: labels ``y`` are ``(n,)`` integers, features ``(n, n_features)``; per-image
correctness is ``(n_seeds, n_test)`` of 0/1.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .._validation import check_in_range, check_positive_int, describe, fail

__all__ = ["carve_labelled", "fit_classifier", "correctness", "paired_bootstrap"]


def carve_labelled(y_train: np.ndarray, seed: int, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices into the training split: ``per_class`` labelled images per class, and the rest.

    The labelled images of each class (in the order of ``np.unique(y_train)``) are drawn
    without replacement by ``np.random.default_rng(seed)``; every other training image is the
    validation set, whose labels only score candidate settings.

    Returns
    -------
    labelled : ndarray of shape (per_class * n_classes,)
    validation : ndarray of shape (n_train - per_class * n_classes,), sorted
    """
    y_train = np.asarray(y_train)
    if y_train.ndim != 1:
        fail(ValueError, "y_train", "carve_labelled", "be a 1-D array of class labels",
             f"shape {y_train.shape}")
    per_class = check_positive_int(per_class, "per_class", "carve_labelled")
    rng = np.random.default_rng(seed)
    labelled = np.concatenate([rng.choice(np.flatnonzero(y_train == c), per_class, replace=False)
                               for c in np.unique(y_train)])
    return labelled, np.setdiff1d(np.arange(len(y_train)), labelled)


def fit_classifier(features: np.ndarray, y: np.ndarray, C: float) -> Callable[[np.ndarray], np.ndarray]:
    """Standardise on ``features`` (the labelled images), then a logistic regression.

    The scaler's means and deviations come from the labelled images only;
    ``LogisticRegression(max_iter=5000, C=C)`` is trained on the standardised features.

    Returns
    -------
    callable
        Features ``(n, n_features)`` to predicted labels ``(n,)``, standardised the same way.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(features)
    clf = LogisticRegression(max_iter=5000, C=C).fit(scaler.transform(features), y)
    return lambda f: clf.predict(scaler.transform(f))


def correctness(strings: Sequence[str]) -> np.ndarray:
    """``test_correct`` strings of a record (one per seed, ``'1'`` right, ``'0'`` wrong per
    test image) -> a 0/1 float array of shape ``(n_seeds, n_test)``."""
    if isinstance(strings, str) or not all(isinstance(s, str) for s in strings):
        fail(TypeError, "strings", "correctness", "be a list of strings of '0' and '1'",
             describe(strings))
    return np.array([[c == "1" for c in s] for s in strings], dtype=float)


def paired_bootstrap(correct_a: np.ndarray, correct_b: np.ndarray, n_boot: int = 10000,
                     seed: int = 0, level: float = 0.95) -> dict:
    """Accuracy of method a minus method b, averaged over seeds, with a bootstrap interval.

    ``correct_a`` and ``correct_b`` are 0/1 arrays of shape ``(n_seeds, n_test)``: whether
    each method got each test image right, per seed. The interval resamples the test images
    with replacement (``np.random.default_rng(seed).integers(0, n_test, (n_boot, n_test))``:
    the same resample for both methods and every seed, so the comparison stays paired) and
    takes the central ``level`` quantiles of the resampled differences. It covers the noise of
    a finite test set; the spread between seeds is in ``per_seed``.

    Returns
    -------
    dict
        ``diff`` (the mean difference), ``low``, ``high`` (the interval), ``per_seed`` (the
        difference on each seed), and ``n_boot``, ``level``, ``seed`` as given.
    """
    a, b = np.asarray(correct_a, float), np.asarray(correct_b, float)
    if a.shape != b.shape or a.ndim != 2:
        raise ValueError(f"correct_a and correct_b must have the same shape (n_seeds, n_test). "
                         f"Got {a.shape} and {b.shape} instead.")
    n_boot = check_positive_int(n_boot, "n_boot", "paired_bootstrap")
    check_in_range(level, "level", "paired_bootstrap", 0, 1, "()")
    per_image = (a - b).mean(0)                                    # (n_test,)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, per_image.size, size=(n_boot, per_image.size))
    boot = per_image[idx].mean(1)                                  # (n_boot,)
    low, high = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
    return dict(diff=float(per_image.mean()), low=float(low), high=float(high),
                per_seed=[float(d) for d in (a - b).mean(1)], n_boot=n_boot, level=level,
                seed=seed)
