"""Live-update times of the explorers (sparselib.widgets): compute, and compute + draw + PNG.

A live update is what happens when a reader moves a slider in Jupyter: the explorer's pure
compute function runs, then its figure is drawn and encoded. The budget (DESIGN.md §6) is
"well under 100 ms" for the compute; the total is printed beside it. Also prints the size
of every static (text/html) rendering and the time to precompute its frames.

    python benchmarks/bench_widgets.py [--repeat 5] [--no-html]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time

import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import recipes, widgets  # noqa: E402
from sparselib.data import load_digits  # noqa: E402
from sparselib.models.conv import ConvGroupSparseAutoencoder  # noqa: E402

EXPLORERS = [widgets.PenaltyExplorer, widgets.SparseCodeExplorer, widgets.DrSAEExplorer,
             widgets.GroupSparsityExplorer, widgets.InhibitionExplorer, widgets.PoolingExplorer,
             widgets.SAEExplorer]


def book_arguments() -> dict:
    """What a chapter passes to the explorers that take a model or data (timings on the
    book's sizes): a centred test digit and 128 centred training digits as unit-norm atoms,
    the committed DrSAE with the digits' test split and labels, 8 random 3 × 3 conv filters
    in groups of two (seed 0) with the first test digit, and chapter 6's recorded sweeps."""
    split = load_digits(verbose=False)
    mean = split.X_train.double().mean(0)
    W_d = torch.nn.functional.normalize((split.X_train[:128].double() - mean).T, dim=0)
    torch.manual_seed(0)
    conv = ConvGroupSparseAutoencoder(1, 8, 3, group_size=2, pool=2, pool_stride=1, padding=1,
                                      scale_init=1.0)
    return {
        "SparseCodeExplorer": ((split.X_test[1].double() - mean, W_d), {"mean": mean}),
        "DrSAEExplorer": ((recipes.load(recipes.checkpoint("drsae-digits.pt")), split.X_test,
                           split.y_test), {}),
        "PoolingExplorer": ((conv, split.X_test[0].reshape(1, 8, 8)), {}),
        "SAEExplorer": ((json.loads(recipes.checkpoint("sae-bridge.json").read_text()),), {}),
    }


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(1e3 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="slider positions timed per explorer")
    parser.add_argument("--no-html", action="store_true", help="skip the static renderings")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rng = random.Random(0)
    print(f"torch {torch.__version__}, 1 thread; medians over {args.repeat} random slider positions")
    print(f"{'explorer':24s} {'compute ms':>11s} {'max ms':>8s} {'+draw+png ms':>13s} "
          f"{'frames':>7s} {'html KiB':>9s} {'html s':>7s}")
    total, arguments = 0, book_arguments()
    for cls in EXPLORERS:
        given, named = arguments.get(cls.__name__, ((), {}))
        explorer = cls(*given, **named)
        grid = explorer.grid()
        points = [rng.choice(grid) for _ in range(args.repeat)]
        explorer.compute(**points[0])                               # warm-up
        compute = [median_ms(lambda: explorer.compute(**p), 1) for p in points]
        update = [median_ms(lambda: explorer.frame(**p), 1) for p in points]
        size, seconds = float("nan"), float("nan")
        if not args.no_html:
            start = time.perf_counter()
            size = len(explorer.to_html().encode()) / 1024
            seconds = time.perf_counter() - start
            total += size
        print(f"{cls.__name__:24s} {statistics.median(compute):11.1f} {max(compute):8.1f} "
              f"{statistics.median(update):13.1f} {len(grid):7d} {size:9.0f} {seconds:7.1f}")
    if not args.no_html:
        print(f"all {len(EXPLORERS)} static renderings together: {total:.0f} KiB "
              f"(limit per page {widgets.MAX_HTML_BYTES / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
