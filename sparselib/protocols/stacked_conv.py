"""Stacked convolutional group-sparse features vs raw pixels vs random filters, 10 labels per class.

Two :class:`~sparselib.models.ConvGroupSparseAutoencoder` layers are trained without labels on
the training images of scikit-learn's 8x8 digits (the second on the first one's pooled
output); a logistic regression is then trained on 10 labelled images per class and scored on
the test split. The same classifier on raw pixels and on the same architecture with untrained
(random) filters are the baselines. Three seeds (a seed picks the labelled images and the
initialisation). ``benchmarks/stacked_conv_digits.py`` runs it; chapter 4 reads its record.

Selection protocol (nothing reads the test split before the settings are fixed):

- For each seed, 10 images per class of the *training* split are the labelled set; the other
  1247 training images are the validation set (their labels only score candidate settings;
  :func:`~sparselib.analysis.carve_labelled`). Pretraining uses all 1347 training images
  without labels; the test images are never seen by pretraining or selection.
- Every method gets the same treatment. Its candidates are scored by the validation accuracy
  of the classifier trained on the labelled set, averaged over the seeds, and the best one
  (first in grid order on ties) is kept: for the pixels and the random filters, the input
  preprocessing and the classifier's ``C``; for the pretrained stack, the preprocessing,
  ``lam`` (both layers), the pretraining epochs (both layers) and ``C``.
- Fixed in advance, for every method: the architecture (shared by the random and the
  pretrained stacks; random = the same initialisation, untrained), the features (the second
  layer's L2-pooled maps, flattened), standardisation on the labelled images and
  ``LogisticRegression`` (:func:`~sparselib.analysis.fit_classifier`), Adam with
  ``lr = 1e-2``, batch 32 and a cosine schedule (:func:`train_layer`).
- Preprocessing candidates (:func:`preprocess`): ``raw`` (pixels in [0, 1]) and ``centred``
  (each image minus its own mean, rescaled to norm 3, about the mean norm of the centred
  training images, so that ``lam`` keeps its meaning), the same for the three methods.
- Only then is each method's selected setting scored once on the test split. The record keeps,
  per seed, which test images each method got right, so that the uncertainty of a difference
  can be computed from it (:func:`~sparselib.analysis.paired_bootstrap`).

The record's sections (:func:`record`): ``main``, the protocol for the scored architectures
(:data:`SCORED`: ``wide``, 16 + 32 maps, 144 features; ``narrow``, 8 + 16 maps, 72 features,
added after the wide one's test score was known, so for that question the test split has been
used twice); ``widths``, the comparison that picked ``narrow``, on validation only
(:data:`WIDTHS`, :data:`WIDTH_GRID`); ``gain``, the per-map gain learned, frozen or removed
(:func:`gain_ablation`).

Why ``scale_init = 0.1``: with ``g = 1`` at initialisation, 16 random half-active maps
reconstruct each image many times too large, so the first Adam steps push every threshold up
and most maps die for good (``tests/test_stacked_conv_evidence.py`` checks that none die at 0.1).
"""
from __future__ import annotations

import itertools
import os
import platform
import time
from typing import Optional, Sequence

import numpy as np
import sklearn
import torch

from .._validation import check_choice
from ..analysis import carve_labelled, correctness, fit_classifier, paired_bootstrap
from ..data import load_digits
from ..models.conv import ConvGroupSparseAutoencoder, StackedConvEncoder
from ..train import fit

__all__ = ["LR", "ARCHITECTURES", "SCORED", "WIDTHS", "CENTRED_NORM", "CS", "GRID", "WIDTH_GRID",
           "FAST_GRID", "METHODS", "SECTIONS", "GAIN_LAYER", "GAIN_VARIANTS", "preprocess", "build",
           "train_layer", "pretrain", "features", "candidates", "run", "paired_summary",
           "gain_variant", "gain_ablation", "grids", "record"]

LR = 1e-2
LAYER1 = dict(in_channels=1, n_maps=16, kernel_size=3, group_size=2, pool=2, pool_stride=1,
              padding=1)
LAYER2 = dict(n_maps=32, kernel_size=3, group_size=2, pool=2, pool_stride=2, padding=1)
FIVE = dict(kernel_size=5, padding=2)              # 5x5 first-layer filters, maps keep their size
# 16 groups x 9 positions = 144 features for "wide", 8 x 9 = 72 for "narrow", 4 x 9 = 36 for "tiny".
ARCHITECTURES = {
    "wide": (LAYER1, LAYER2),
    "narrow": ({**LAYER1, "n_maps": 8}, {**LAYER2, "n_maps": 16}),
    "wide-5x5": ({**LAYER1, **FIVE}, LAYER2),
    "narrow-5x5": ({**LAYER1, **FIVE, "n_maps": 8}, {**LAYER2, "n_maps": 16}),
    "tiny-5x5": ({**LAYER1, **FIVE, "n_maps": 4}, {**LAYER2, "n_maps": 8}),
}
SCORED = ("wide", "narrow")                        # selected and scored on the test split
WIDTHS = ("wide", "wide-5x5", "narrow", "narrow-5x5", "tiny-5x5")   # compared on validation
CENTRED_NORM = 3.0
CS = (0.01, 0.1, 1.0, 10.0, 100.0)
# The full grid of the benchmark; tests pass a smaller one.
GRID = dict(prep=("raw", "centred"), lam=(0.005, 0.02), epochs=(5, 10, 20, 40), C=CS)
WIDTH_GRID = dict(prep=("centred",), lam=(0.005, 0.02), epochs=(5, 20), C=(0.1, 1.0, 10.0))
FAST_GRID = dict(prep=("centred",), lam=(0.005,), epochs=(5, 10), C=CS)
METHODS = ("pixels", "random", "pretrained")
SECTIONS = ("main", "widths", "gain")
# Chapter 4's first layer, for the gain section.
GAIN_LAYER = dict(n_maps=16, kernel_size=3, group_size=2, pool=2, pool_stride=1, padding=1,
                  lam=0.005)
GAIN_VARIANTS = ("learned", "frozen", "none")


def preprocess(x: torch.Tensor, prep: str) -> torch.Tensor:
    """Images (n, 64) in [0, 1] -> the same, ``raw`` or ``centred`` (per image, no statistics
    shared between images, so nothing is fitted on any split)."""
    if prep == "raw":
        return x
    if prep == "centred":
        x = x - x.mean(1, keepdim=True)
        return CENTRED_NORM * x / x.norm(dim=1, keepdim=True).clamp_min(1e-6)
    raise ValueError(f"unknown preprocessing {prep!r}")


def build(seed: int, lam: float, arch: str = "wide") -> StackedConvEncoder:
    """The two-layer stack of architecture ``arch``, initialised from ``seed``, untrained."""
    layer1, layer2 = ARCHITECTURES[arch]
    torch.manual_seed(seed)
    first = ConvGroupSparseAutoencoder(**layer1, lam=lam)
    second = first.next_layer(**layer2, lam=lam)
    return StackedConvEncoder([first, second])


def train_layer(layer: ConvGroupSparseAutoencoder, inputs: torch.Tensor, seed: int,
                epochs: int = 10) -> torch.Tensor:
    """Train one layer without labels (Adam, lr 1e-2, batch 32, cosine schedule, on the CPU);
    return its pooled output on ``inputs``, the next layer's input."""
    fit(layer, inputs, epochs=epochs, batch_size=32, lr=LR, seed=seed, device="cpu",
        schedule="cosine")
    with torch.no_grad():
        return layer.pooled(layer.encode(inputs))


def pretrain(stack: StackedConvEncoder, images: torch.Tensor, epochs: int, seed: int) -> None:
    """Train the stack's layers in turn, each on the pooled output of the one below."""
    x = images
    for layer in stack.layers:
        x = train_layer(layer, x, seed, epochs)


def features(method: str, x: torch.Tensor, settings: dict, seed: int,
             x_train: torch.Tensor, arch: str = "wide") -> np.ndarray:
    """Features of images ``x`` (n, 64); the stacks (architecture ``arch``) are built (and
    pretrained on ``x_train``, without labels) from ``seed``. Call once per setting with
    ``x`` = train and test stacked."""
    x = preprocess(x, settings["prep"])
    if method == "pixels":
        return x.numpy()
    stack = build(seed, settings.get("lam", 0.0), arch)
    if method == "pretrained":
        pretrain(stack, preprocess(x_train, settings["prep"]).reshape(-1, 1, 8, 8),
                 settings["epochs"], seed)
    return stack.features(x.reshape(-1, 1, 8, 8)).numpy()


def candidates(method: str, grid: dict) -> list[dict]:
    """The settings of ``method`` in ``grid`` (all but ``C``), in grid order."""
    keys = ("prep", "lam", "epochs") if method == "pretrained" else ("prep",)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[k] for k in keys))]


def _select(method, grid, seeds, X_all, X_tr, y_tr, carved, arch, verbose):
    """Every candidate's validation scores; returns the table and the features computed."""
    table, feats = [], {}                             # (settings, C, mean val, per-seed val)
    n_tr = len(X_tr)
    for settings in candidates(method, grid):
        key = tuple(settings.items())
        val = {C: [] for C in grid["C"]}
        for seed in seeds:
            F = features(method, X_all, settings, seed, X_tr, arch)
            F_tr = F[:n_tr]
            feats[key, seed] = F_tr, F[n_tr:]
            lab, hold = carved[seed]
            for C in grid["C"]:
                pred = fit_classifier(F_tr[lab], y_tr[lab], C)(F_tr[hold])
                val[C].append(float((pred == y_tr[hold]).mean()))
        for C in grid["C"]:
            table.append((settings, C, float(np.mean(val[C])), val[C]))
        if verbose:
            best_C = max(grid["C"], key=lambda C: np.mean(val[C]))
            print(f"  [validation] {method:>10} {settings}: "
                  + "  ".join(f"C={C:g} {np.mean(val[C]):.4f}" for C in grid["C"])
                  + f"   (best C={best_C:g})", flush=True)
    return table, feats


def run(grid: dict = GRID, seeds=(0, 1, 2), per_class: int = 10, verbose: bool = True,
        arch: str = "wide", score_test: bool = True) -> dict:
    """Select every method's settings on validation, then (``score_test``) score them once on
    the test split (the random and pretrained stacks both have architecture ``arch``).

    Returns ``{method: {"settings", "C", "val" (mean), "val_seeds", and with score_test
    "test" (mean), "test_seeds", "test_correct" (per seed, a string with one '1' or '0' per
    test image: right or wrong)}}``, ``"candidates"``: every method's list of ``{"settings",
    "C", "val", "val_seeds"}``, ``"n_features"``, ``"n_labelled"`` and ``"n_validation"``.
    """
    check_choice(arch, "arch", "run", sorted(ARCHITECTURES), one_of=True)
    split = load_digits(verbose=verbose)
    X_tr, y_tr = split.X_train, split.y_train.numpy()
    X_all = torch.cat([X_tr, split.X_test])          # features computed once for both splits
    carved = {seed: carve_labelled(y_tr, seed, per_class) for seed in seeds}
    with torch.random.fork_rng(devices=[]):           # leaves the caller's random state alone
        n_features = build(0, 0.0, arch).features(X_tr[:1].reshape(-1, 1, 8, 8)).shape[1]
    out: dict = {"candidates": {}, "n_features": n_features, "n_labelled": len(carved[seeds[0]][0]),
                 "n_validation": len(carved[seeds[0]][1])}
    for method in METHODS:
        table, feats = _select(method, grid, seeds, X_all, X_tr, y_tr, carved, arch, verbose)
        settings, C, val_mean, val_seeds = max(table, key=lambda row: row[2])  # first on ties
        out[method] = dict(settings=settings, C=C, val=val_mean, val_seeds=val_seeds)
        out["candidates"][method] = [dict(settings=s, C=c, val=v, val_seeds=vs)
                                     for s, c, v, vs in table]
        if verbose:
            print(f"selected for {method}: {settings}, C={C:g} (mean validation {val_mean:.4f}, "
                  f"per seed {[round(v, 4) for v in val_seeds]})", flush=True)
        if not score_test:
            continue
        # ---- the test labels are read from here on, for the selected setting only ----
        test_seeds, correct = [], []
        for seed in seeds:
            F_tr, F_te = feats[tuple(settings.items()), seed]
            lab, _ = carved[seed]
            right = fit_classifier(F_tr[lab], y_tr[lab], C)(F_te) == split.y_test.numpy()
            test_seeds.append(float(right.mean()))
            correct.append("".join("1" if r else "0" for r in right))
        out[method].update(test=float(np.mean(test_seeds)), test_seeds=test_seeds,
                           test_correct=correct)
    return out


def paired_summary(result: dict) -> dict:
    """Pretrained against random filters and against pixels, from :func:`run`'s result:
    :func:`~sparselib.analysis.paired_bootstrap` with its defaults."""
    pre = correctness(result["pretrained"]["test_correct"])
    return {f"pretrained-{m}": paired_bootstrap(pre, correctness(result[m]["test_correct"]))
            for m in ("random", "pixels")}


def gain_variant(seed: int, variant: str) -> ConvGroupSparseAutoencoder:
    """Chapter 4's first layer, untrained: ``learned`` (g = 0.1, trained), ``frozen`` (g = 0.1,
    not trained) or ``none`` (g = 1, not trained, filters multiplied by 0.1: the same initial
    maps as ``learned``; the same functions, only parameterised differently, since
    ``g·ReLU(u) = ReLU(g·u)``)."""
    check_choice(variant, "variant", "gain_variant", GAIN_VARIANTS, one_of=True)
    torch.manual_seed(seed)
    model = ConvGroupSparseAutoencoder(1, **GAIN_LAYER)            # g = scale_init = 0.1
    if variant == "none":                                          # same initial maps, no gain
        with torch.no_grad():
            model.W_e.mul_(model.g[:, None, None, None])
            model.g.fill_(1.0)
    if variant != "learned":
        model.g.requires_grad_(False)
    return model


def gain_ablation(seeds=(0, 1, 2), epochs: int = 10, verbose: bool = True) -> list[dict]:
    """Does the per-map gain help optimisation, although it is redundant? Chapter 4's first
    layer (raw images) trained from the same initial maps with each of :data:`GAIN_VARIANTS`
    (:func:`gain_variant`), as :func:`train_layer` trains it. One row per (seed, variant): the
    final loss on the training and test images and the dead maps (active on fewer than 0.1 %
    of the test units)."""
    split = load_digits(verbose=False)
    X, X_te = split.X_train.reshape(-1, 1, 8, 8), split.X_test.reshape(-1, 1, 8, 8)
    rows = []
    for seed, variant in itertools.product(seeds, GAIN_VARIANTS):
        model = gain_variant(seed, variant)
        start = time.perf_counter()
        fit(model, X, epochs=epochs, batch_size=32, lr=LR, seed=seed, device="cpu",
            schedule="cosine")
        with torch.no_grad():
            train_loss, _ = model.loss(X)
            test_loss, parts = model.loss(X_te)
            active = (model.encode(X_te) > 0).float().mean((0, 2, 3))   # per map
        rows.append(dict(seed=seed, variant=variant, epochs=epochs,
                         train_loss=float(train_loss), test_loss=float(test_loss),
                         test_reconstruction=parts["reconstruction"], test_penalty=parts["penalty"],
                         dead_maps=int((active < 1e-3).sum()), n_maps=GAIN_LAYER["n_maps"],
                         mean_gain=float(model.g.detach().mean()),
                         seconds=time.perf_counter() - start))
        if verbose:
            r = rows[-1]
            print(f"  [gain] seed {seed} {variant:>7}: train loss {r['train_loss']:.4f}, test loss "
                  f"{r['test_loss']:.4f}, dead maps {r['dead_maps']}", flush=True)
    return rows


def grids(fast: bool = False, epochs: Optional[Sequence[int]] = None) -> tuple[dict, dict]:
    """The grids of the ``main`` and ``widths`` sections: :data:`GRID` and :data:`WIDTH_GRID`,
    or with ``fast`` the tests' small grid (:data:`FAST_GRID`; the widths keep their three
    ``C``); ``epochs`` replaces both grids' candidate pretraining epochs."""
    grid = dict(FAST_GRID if fast else GRID)
    width_grid = dict(FAST_GRID, C=WIDTH_GRID["C"]) if fast else dict(WIDTH_GRID)
    if epochs:
        grid["epochs"] = width_grid["epochs"] = tuple(epochs)
    return grid, width_grid


def record(*, sections: Sequence[str] = SECTIONS, archs: Sequence[str] = SCORED,
           seeds: Sequence[int] = (0, 1, 2), grid: dict = GRID, width_grid: dict = WIDTH_GRID,
           widths: Sequence[str] = WIDTHS, gain_epochs: int = 10, command: str = "") -> dict:
    """Everything the benchmark measures, as one JSON-ready record (chapter 4 reads it).

    ``main`` runs :func:`run` for every architecture of ``archs`` on ``grid``; ``widths`` runs
    it on validation only for every architecture of ``widths`` on ``width_grid``; ``gain``
    runs :func:`gain_ablation` for ``gain_epochs``. The record
    also keeps the settings, the versions, the timings and the load average, and ``command``
    (how it was made).
    """
    for s in sections:
        check_choice(s, "sections", "record", SECTIONS)
    seeds = tuple(seeds)
    out = dict(command=command, seeds=list(seeds), per_class=10, grid=grid, sections=list(sections),
               threads=torch.get_num_threads(), torch=torch.__version__,
               sklearn=sklearn.__version__, python=platform.python_version(),
               load_average_start=list(os.getloadavg()), main={}, widths={}, gain=[])
    start = time.perf_counter()
    if "main" in sections:
        for arch in archs:
            print(f"\n== architecture {arch}: layer 1 {ARCHITECTURES[arch][0]}, layer 2 "
                  f"{ARCHITECTURES[arch][1]}", flush=True)
            t = time.perf_counter()
            result = run(grid, seeds=seeds, arch=arch)
            result.update(layers=ARCHITECTURES[arch], seconds=time.perf_counter() - t,
                          n_test=len(result["pretrained"]["test_correct"][0]),
                          paired=paired_summary(result))
            out["main"][arch] = result
    if "widths" in sections:
        out["width_grid"] = width_grid
        for arch in widths:
            print(f"\n== widths, validation only: {arch}", flush=True)
            t = time.perf_counter()
            result = run(width_grid, seeds=seeds, arch=arch, score_test=False)
            result.update(layers=ARCHITECTURES[arch], seconds=time.perf_counter() - t,
                          lead=result["pretrained"]["val"] - result["random"]["val"])
            out["widths"][arch] = result
    if "gain" in sections:
        print("\n== gain", flush=True)
        out["gain_layer"] = GAIN_LAYER
        out["gain"] = gain_ablation(seeds, gain_epochs)
    out["seconds"] = time.perf_counter() - start
    out["load_average_end"] = list(os.getloadavg())
    return out
