"""Live-update times of the explorers (sparselib.widgets): compute, and compute + draw + PNG.

A live update is what happens when a reader moves a slider in Jupyter: the explorer's pure
compute function runs, then its figure is drawn and encoded. The budget (DESIGN.md §6) is
"well under 100 ms" for the compute; the total is printed beside it. Also prints the size
of every static (text/html) rendering and the time to precompute its frames.

    python benchmarks/bench_widgets.py [--repeat 5] [--no-html]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import widgets  # noqa: E402

EXPLORERS = [widgets.PenaltyExplorer, widgets.SparseCodeExplorer, widgets.DrSAEExplorer,
             widgets.GroupSparsityExplorer, widgets.InhibitionExplorer, widgets.PoolingExplorer]


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
    total = 0
    for cls in EXPLORERS:
        explorer = cls()
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
        print(f"all five static renderings together: {total:.0f} KiB "
              f"(limit per page {widgets.MAX_HTML_BYTES / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
