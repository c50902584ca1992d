"""Stacked convolutional group-sparse features vs raw pixels vs random filters, 10 labels per class.

The protocol, its selection on a validation split and its sections are
:mod:`sparselib.protocols.stacked_conv` (see its docstring); this script runs them and prints
a summary. Sections (``--sections``, default all three): ``main``, the protocol for the scored
architectures (``--arch``: ``wide``, 16 + 32 maps, and ``narrow``, 8 + 16); ``widths``, five
architectures on the validation split only (no test score); ``gain``, chapter 4's first layer
with its per-map gain learned, frozen or removed.

``--json PATH`` writes everything measured (selected settings, every candidate's validation
scores, per-seed test accuracies and per-image correctness, paired bootstrap intervals,
timings) to PATH; chapter 4 shows the numbers of ``checkpoints/stacked-conv-digits.json``,
written by ``python benchmarks/stacked_conv_digits.py --json checkpoints/stacked-conv-digits.json``.
The latest numbers are in that record, not here; the history of the protocol (what was tried
on validation and dropped) is in benchmarks/README.md.

Run: SPARSELIB_OFFLINE=1 OMP_NUM_THREADS=1 python benchmarks/stacked_conv_digits.py
     [--arch wide narrow] [--sections main,widths,gain] [--fast] [--json PATH]
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.protocols import save_record  # noqa: E402
from sparselib.protocols.stacked_conv import (GAIN_VARIANTS, METHODS, SCORED, SECTIONS,  # noqa: E402
                                              WIDTHS, grids, paired_summary, record)


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
    parser.add_argument("--sections", default=",".join(SECTIONS),
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
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}")
    torch.set_num_threads(1)
    grid, width_grid = grids(args.fast, args.epochs)
    command = "python benchmarks/stacked_conv_digits.py " + " ".join(
        sys.argv[1:] if argv is None else argv)
    out = record(sections=sections, archs=args.arch, seeds=args.seeds, grid=grid,
                 width_grid=width_grid, widths=args.widths, gain_epochs=args.gain_epochs,
                 command=command)
    for arch, result in out["main"].items():
        report(result, arch)
    for arch, result in out["widths"].items():
        report(result, f"widths: {arch}, {result['n_features']} features")
    for variant in GAIN_VARIANTS if out["gain"] else ():
        rows = [r for r in out["gain"] if r["variant"] == variant]
        print(f"gain {variant:>7}: mean train loss {np.mean([r['train_loss'] for r in rows]):.4f}, "
              f"dead maps {[r['dead_maps'] for r in rows]}")
    print(f"{out['seconds']:.0f} s")
    if args.json:
        save_record(out, args.json)
        print(f"wrote {args.json}")
    return out


if __name__ == "__main__":
    main()
