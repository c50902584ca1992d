"""DrSAE reconstruction-term ablation: classifier-only vs all three criteria.

The protocol is :mod:`sparselib.protocols.drsae_ablation` (same size, same epochs, same
optimiser; accuracy, linear read-out error and own decoder error on the test split); this
script runs it for three seeds on the offline digits (stratified 75/25, seed 0), or MNIST
with ``--data mnist``, and prints each run and the means.

Run: ``python benchmarks/drsae_ablation.py [--seeds 0 1 2] [--data digits] [--json PATH]``.
``--json`` also writes every run and the means to PATH; chapter 2 shows the numbers of
``checkpoints/drsae-ablation.json`` (shipped with the package like the checkpoints),
written by this script with its defaults and ``--json checkpoints/drsae-ablation.json``.
"""
from __future__ import annotations

import argparse
import statistics

import torch

from sparselib.data import load_digits, load_mnist
from sparselib.protocols import save_record
from sparselib.protocols.drsae_ablation import VARIANTS, run
from sparselib.recipes import RECIPES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--data", choices=["digits", "mnist"], default="digits")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    record = {"command": "python benchmarks/drsae_ablation.py", "data": args.data,
              "seeds": args.seeds, "runs": {}, "mean": {}, "sd": {}}
    torch.set_num_threads(args.threads)
    split = load_mnist() if args.data == "mnist" else load_digits(seed=0)
    spec = RECIPES["drsae"]
    print(f"{'variant':<16} {'seed':>4} {'test acc':>9} {'readout err':>12} {'own decoder':>12} {'time s':>7}")
    for variant in VARIANTS:
        rows = []
        for seed in args.seeds:
            r = run(variant, seed, split, spec)
            rows.append(r)
            record["runs"].setdefault(variant, []).append({"seed": seed, **r})
            print(f"{variant:<16} {seed:>4} {r['acc']:>9.4f} {r['readout']:>12.4f} "
                  f"{r['own']:>12.4f} {r['seconds']:>7.1f}", flush=True)
        mean = {k: statistics.mean(r[k] for r in rows) for k in rows[0]}
        sd = {k: statistics.pstdev(r[k] for r in rows) for k in ("acc", "readout")}
        record["mean"][variant], record["sd"][variant] = mean, sd
        print(f"{variant:<16} {'mean':>4} {mean['acc']:>9.4f} {mean['readout']:>12.4f} "
              f"{mean['own']:>12.4f} {mean['seconds']:>7.1f}   (sd acc {sd['acc']:.4f}, "
              f"sd readout {sd['readout']:.4f})")
    if args.json:
        save_record(record, args.json)


if __name__ == "__main__":
    main()
