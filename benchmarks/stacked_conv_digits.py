"""Stacked convolutional group-sparse features vs raw pixels vs random filters, 10 labels per class.

Two ConvGroupSparseAutoencoder layers are trained without labels on the training images of
scikit-learn's 8x8 digits (the second on the first one's pooled output); a logistic
regression is then trained on 10 labelled images per class and scored on the test split.
The same classifier on raw pixels and on the same architecture with untrained (random)
filters are the baselines. Three seeds (a seed picks the labelled images and the
initialisation).

Selection protocol (nothing here reads the test split before the settings are fixed):

- For each seed, 10 images per class of the *training* split are the labelled set; the other
  1247 training images are the validation set (their labels are used only to score
  candidate settings). Pretraining uses all 1347 training images without labels; the test
  images are never seen by pretraining or selection.
- Every method gets the same treatment. Its candidates are scored by the validation accuracy
  of the classifier trained on the labelled set, averaged over the seeds, and the best one
  (first in grid order on ties) is kept: for the pixels and the random filters, the input
  preprocessing and the classifier's ``C``; for the pretrained stack, the preprocessing,
  ``lam`` (both layers), the pretraining epochs (both layers) and ``C``.
- Fixed in advance, for every method: the architecture (shared by the random and the
  pretrained stacks; random = the same initialisation, untrained), the features (the second
  layer's L2-pooled maps, flattened), standardisation on the labelled images,
  ``LogisticRegression``, Adam with ``lr = 1e-2``, batch 32 and a cosine schedule.
- Preprocessing candidates: ``raw`` (pixels in [0, 1]) and ``centred`` (each image minus its
  own mean, rescaled to norm 3, about the mean norm of the centred training images, so that
  ``lam`` keeps its meaning). Both are applied identically to the three methods.
- Only then is each method's selected setting scored once on the test split. The record
  keeps, per seed, which test images each method got right, so that the uncertainty of a
  difference can be computed from it (:func:`paired_bootstrap`: resampling the test images,
  the same resample for both methods and every seed).

Sections (``--sections``, default all three):

``main``
    The protocol above for the scored architectures (``--arch``): ``wide`` (16 + 32 maps,
    3x3 filters, 144 features) and ``narrow`` (8 + 16 maps, 72 features, about as many as the
    64 pixels). The narrow one was added after the wide one's test score was known (its lead
    over random filters was small), so for that question the test split has been used twice.
``widths``
    The comparison that picked ``narrow``: five architectures (``WIDTHS``) on the
    validation split only, with a smaller grid (``WIDTH_GRID``: centred images, ``lam`` 0.005
    or 0.02, 5 or 20 epochs, C 0.1 / 1 / 10; 5x5 first-layer filters with padding 2). No test
    score is computed in this section.
``gain``
    Does the per-map gain ``g`` help optimisation, although ``g·ReLU(u) = ReLU(g·u)`` makes it
    redundant? Chapter 4's first layer (16 maps, ``lam = 0.005``, raw images, 10 epochs) is
    trained three ways from the same initial maps: ``learned`` (g starts at 0.1 and is
    trained), ``frozen`` (g stays 0.1), ``none`` (no gain: g = 1 fixed and the filters start
    10 times smaller, so the initial maps are those of ``learned``; the same functions, only
    parameterised differently). Recorded: the final loss on the training and test images and
    the number of dead maps (active on fewer than 0.1 % of the test units).

``--json PATH`` writes everything measured (selected settings, every candidate's validation
scores, per-seed test accuracies and per-image correctness, paired bootstrap intervals,
timings) to PATH; chapter 4 shows the numbers of ``checkpoints/stacked-conv-digits.json``,
written by ``python benchmarks/stacked_conv_digits.py --json checkpoints/stacked-conv-digits.json``.
The latest numbers are in that record, not here.

History of the protocol (what was tried on validation and dropped): benchmarks/README.md.

Why ``scale_init = 0.1``: with ``g = 1`` at initialisation, 16 random half-active maps
reconstruct each image many times too large, so the first Adam steps push every threshold
up and most maps die for good (``tests/test_stacked_conv_evidence.py`` checks that none die
at 0.1).

Run: SPARSELIB_OFFLINE=1 OMP_NUM_THREADS=1 python benchmarks/stacked_conv_digits.py
     [--arch wide narrow] [--sections main,widths,gain] [--fast] [--json PATH]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import sys
import time

import numpy as np
import sklearn
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.data import load_digits  # noqa: E402
from sparselib.models.conv import ConvGroupSparseAutoencoder, StackedConvEncoder  # noqa: E402
from sparselib.train import fit  # noqa: E402

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
    layer1, layer2 = ARCHITECTURES[arch]
    torch.manual_seed(seed)
    first = ConvGroupSparseAutoencoder(**layer1, lam=lam)
    second = first.next_layer(**layer2, lam=lam)
    return StackedConvEncoder([first, second])


def pretrain(stack: StackedConvEncoder, images: torch.Tensor, epochs: int, seed: int) -> None:
    x = images
    for layer in stack.layers:
        fit(layer, x, epochs=epochs, batch_size=32, lr=LR, seed=seed, device="cpu",
            schedule="cosine")
        with torch.no_grad():
            x = layer.pooled(layer.encode(x))          # the next layer's training data


def carve(y_train: np.ndarray, seed: int, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices into the training split: ``per_class`` labelled images per class, and the rest
    (validation)."""
    rng = np.random.default_rng(seed)
    labelled = np.concatenate([rng.choice(np.flatnonzero(y_train == c), per_class, replace=False)
                               for c in np.unique(y_train)])
    return labelled, np.setdiff1d(np.arange(len(y_train)), labelled)


def classifier(feats: np.ndarray, y: np.ndarray, C: float):
    """Standardise on ``feats`` (the labelled images), then logistic regression."""
    scaler = StandardScaler().fit(feats)
    clf = LogisticRegression(max_iter=5000, C=C).fit(scaler.transform(feats), y)
    return lambda f: clf.predict(scaler.transform(f))


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
    keys = ("prep", "lam", "epochs") if method == "pretrained" else ("prep",)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[k] for k in keys))]


def run(grid: dict = GRID, seeds=(0, 1, 2), per_class: int = 10, verbose: bool = True,
        arch: str = "wide", score_test: bool = True) -> dict:
    """Select every method's settings on validation, then (``score_test``) score them once on
    the test split (the random and pretrained stacks both have architecture ``arch``).

    Returns ``{method: {"settings", "C", "val" (mean), "val_seeds", and with score_test
    "test" (mean), "test_seeds", "test_correct" (per seed, a string with one '1' or '0' per
    test image: right or wrong)}}``, ``"candidates"``: every method's list of ``{"settings",
    "C", "val", "val_seeds"}``, ``"n_features"``, ``"n_labelled"`` and ``"n_validation"``.
    """
    if arch not in ARCHITECTURES:
        raise ValueError(f"The 'arch' parameter of run must be one of {sorted(ARCHITECTURES)}. "
                         f"Got {arch!r} instead.")
    split = load_digits(verbose=verbose)
    X_tr, y_tr = split.X_train, split.y_train.numpy()
    n_tr = len(X_tr)
    X_all = torch.cat([X_tr, split.X_test])          # features computed once for both splits
    carved = {seed: carve(y_tr, seed, per_class) for seed in seeds}
    with torch.random.fork_rng(devices=[]):           # leaves the caller's random state alone
        n_features = build(0, 0.0, arch).features(X_tr[:1].reshape(-1, 1, 8, 8)).shape[1]
    out: dict = {"candidates": {}, "n_features": n_features, "n_labelled": len(carved[seeds[0]][0]),
                 "n_validation": len(carved[seeds[0]][1])}
    for method in METHODS:
        table = []                                    # (settings, C, mean val, per-seed val)
        feats = {}                                    # (settings, seed) -> (train, test) features
        for settings in candidates(method, grid):
            key = tuple(settings.items())
            val = {C: [] for C in grid["C"]}
            for seed in seeds:
                F = features(method, X_all, settings, seed, X_tr, arch)
                F_tr = F[:n_tr]
                feats[key, seed] = F_tr, F[n_tr:]
                lab, hold = carved[seed]
                for C in grid["C"]:
                    pred = classifier(F_tr[lab], y_tr[lab], C)(F_tr[hold])
                    val[C].append(float((pred == y_tr[hold]).mean()))
            for C in grid["C"]:
                table.append((settings, C, float(np.mean(val[C])), val[C]))
            if verbose:
                best_C = max(grid["C"], key=lambda C: np.mean(val[C]))
                print(f"  [validation] {method:>10} {settings}: "
                      + "  ".join(f"C={C:g} {np.mean(val[C]):.4f}" for C in grid["C"])
                      + f"   (best C={best_C:g})", flush=True)
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
            right = classifier(F_tr[lab], y_tr[lab], C)(F_te) == split.y_test.numpy()
            test_seeds.append(float(right.mean()))
            correct.append("".join("1" if r else "0" for r in right))
        out[method].update(test=float(np.mean(test_seeds)), test_seeds=test_seeds,
                           test_correct=correct)
    return out


def correctness(strings: list[str]) -> np.ndarray:
    """``test_correct`` strings (one per seed) -> a 0/1 array of shape (n_seeds, n_test)."""
    return np.array([[c == "1" for c in s] for s in strings], dtype=float)


def paired_bootstrap(correct_a: np.ndarray, correct_b: np.ndarray, n_boot: int = 10000,
                     seed: int = 0, level: float = 0.95) -> dict:
    """Accuracy of method a minus method b, averaged over seeds, with a bootstrap interval.

    ``correct_a`` and ``correct_b`` are 0/1 arrays of shape ``(n_seeds, n_test)``: whether
    each method got each test image right, per seed. The interval resamples the test images
    with replacement (the same resample for both methods and every seed, so the comparison
    stays paired) and takes the central ``level`` quantiles of the resampled differences. It
    covers the noise of a finite test set; the spread between seeds is in ``per_seed``.
    """
    a, b = np.asarray(correct_a, float), np.asarray(correct_b, float)
    if a.shape != b.shape or a.ndim != 2:
        raise ValueError(f"correct_a and correct_b must have the same shape (n_seeds, n_test). "
                         f"Got {a.shape} and {b.shape} instead.")
    per_image = (a - b).mean(0)                                    # (n_test,)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, per_image.size, size=(n_boot, per_image.size))
    boot = per_image[idx].mean(1)                                  # (n_boot,)
    low, high = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
    return dict(diff=float(per_image.mean()), low=float(low), high=float(high),
                per_seed=[float(d) for d in (a - b).mean(1)], n_boot=n_boot, level=level,
                seed=seed)


def paired_summary(result: dict) -> dict:
    """Pretrained against random filters and against pixels, from ``run``'s result."""
    pre = correctness(result["pretrained"]["test_correct"])
    return {f"pretrained-{m}": paired_bootstrap(pre, correctness(result[m]["test_correct"]))
            for m in ("random", "pixels")}


def gain_variant(seed: int, variant: str) -> ConvGroupSparseAutoencoder:
    """Chapter 4's first layer, untrained: ``learned`` (g = 0.1, trained), ``frozen`` (g = 0.1,
    not trained) or ``none`` (g = 1, not trained, filters multiplied by 0.1: the same initial
    maps as ``learned``)."""
    if variant not in GAIN_VARIANTS:
        raise ValueError(f"The 'variant' parameter of gain_variant must be one of {GAIN_VARIANTS}. "
                         f"Got {variant!r} instead.")
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
    """Chapter 4's first layer trained with a learned gain, a frozen one, and none (see the
    module docstring); one row per (seed, variant)."""
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


def report(result: dict, arch: str = "wide") -> None:
    print(f"\n[{arch}] selected on validation (10 labels/class from the training split; the other "
          "training images score):")
    for m in METHODS:
        r = result[m]
        print(f"  {m:>10}: {r['settings']}, C={r['C']:g}; validation {r['val']:.4f} "
              f"per seed {[round(v, 4) for v in r['val_seeds']]}")
    if "test" not in result["pretrained"]:
        print(f"  validation lead over random filters: "
              f"{100 * (result['pretrained']['val'] - result['random']['val']):+.1f} points")
        return
    print("test split, selected settings only:")
    for m in METHODS:
        r = result[m]
        print(f"  {m:>10}: mean accuracy {r['test']:.3f}  per seed "
              f"{[round(a, 3) for a in r['test_seeds']]}")
    for name, p in paired_summary(result).items():
        print(f"{name}: {100 * p['diff']:+.1f} points, {p['level']:.0%} bootstrap interval over test "
              f"images [{100 * p['low']:+.1f}, {100 * p['high']:+.1f}], per seed "
              f"{[round(100 * d, 1) for d in p['per_seed']]}")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", nargs="+", choices=SCORED, default=list(SCORED),
                        help="scored architectures of the random and pretrained stacks")
    parser.add_argument("--sections", default="main,widths,gain",
                        help="comma-separated: main, widths, gain (default all three)")
    parser.add_argument("--epochs", type=int, nargs="+", default=None,
                        help="candidate pretraining epochs of the main and widths sections "
                             "(default each grid's own)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--widths", nargs="+", choices=WIDTHS, default=list(WIDTHS),
                        help="architectures of the widths section (validation only)")
    parser.add_argument("--gain-epochs", type=int, default=10)
    parser.add_argument("--fast", action="store_true",
                        help="the tests' small grid for the main and widths sections (a speed check)")
    parser.add_argument("--json", help="also write the record to this JSON file")
    args = parser.parse_args(argv)
    sections = [s for s in args.sections.split(",") if s]
    unknown = set(sections) - {"main", "widths", "gain"}
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}")
    torch.set_num_threads(1)
    seeds = tuple(args.seeds)
    grid = dict(FAST_GRID if args.fast else GRID)
    if args.epochs:
        grid["epochs"] = tuple(args.epochs)
    width_grid = dict(FAST_GRID, C=WIDTH_GRID["C"]) if args.fast else dict(WIDTH_GRID)
    if args.epochs:
        width_grid["epochs"] = tuple(args.epochs)
    record = dict(command="python benchmarks/stacked_conv_digits.py " + " ".join(
                      sys.argv[1:] if argv is None else argv),
                  seeds=list(seeds), per_class=10, grid=grid, sections=sections,
                  threads=torch.get_num_threads(), torch=torch.__version__,
                  sklearn=sklearn.__version__, python=platform.python_version(),
                  load_average_start=list(os.getloadavg()), main={}, widths={}, gain=[])
    start = time.perf_counter()
    if "main" in sections:
        for arch in args.arch:
            print(f"\n== architecture {arch}: layer 1 {ARCHITECTURES[arch][0]}, layer 2 "
                  f"{ARCHITECTURES[arch][1]}", flush=True)
            t = time.perf_counter()
            result = run(grid, seeds=seeds, arch=arch)
            result.update(layers=ARCHITECTURES[arch], seconds=time.perf_counter() - t,
                          n_test=len(result["pretrained"]["test_correct"][0]),
                          paired=paired_summary(result))
            record["main"][arch] = result
    if "widths" in sections:
        record["width_grid"] = width_grid
        for arch in args.widths:
            print(f"\n== widths, validation only: {arch}", flush=True)
            t = time.perf_counter()
            result = run(width_grid, seeds=seeds, arch=arch, score_test=False)
            result.update(layers=ARCHITECTURES[arch], seconds=time.perf_counter() - t,
                          lead=result["pretrained"]["val"] - result["random"]["val"])
            record["widths"][arch] = result
    if "gain" in sections:
        print("\n== gain", flush=True)
        record["gain_layer"] = GAIN_LAYER
        record["gain"] = gain_ablation(seeds, args.gain_epochs)
    record["seconds"] = time.perf_counter() - start
    record["load_average_end"] = list(os.getloadavg())
    for arch, result in record["main"].items():
        report(result, arch)
    for arch, result in record["widths"].items():
        report(result, f"widths: {arch}, {result['n_features']} features")
    for variant in GAIN_VARIANTS if record["gain"] else ():
        rows = [r for r in record["gain"] if r["variant"] == variant]
        print(f"gain {variant:>7}: mean train loss {np.mean([r['train_loss'] for r in rows]):.4f}, "
              f"dead maps {[r['dead_maps'] for r in rows]}")
    print(f"{record['seconds']:.0f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1)
            f.write("\n")
        print(f"wrote {args.json}")
    return record


if __name__ == "__main__":
    main()
