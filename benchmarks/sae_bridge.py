"""Today's sparse auto-encoders on a digits MLP's hidden activations (chapter 6).

The protocol is :mod:`sparselib.protocols.sae_bridge` (a 64-64-10 MLP on the offline digits,
stratified 75/25, seed 0; SAEs with 256 latents on its hidden activations; L0, FVU, dead
fraction, shrinkage and spliced accuracy on the test split; the amortisation gap; PCA, an
untrained-MLP and linear-probe baselines; sweeps for the Pareto figure and the explorer).
This script runs it on one thread, prints the table and writes the record.

Run: ``python benchmarks/sae_bridge.py [--seed 0] [--json PATH]``. Chapter 6 loads
``checkpoints/sae-bridge.json`` (shipped with the package like the checkpoints), written by
this script with its defaults and ``--json checkpoints/sae-bridge.json``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The chapters' numerical settings (one thread per kernel, MKL's reproducible code path), set
# before torch loads: chapter 6 retrains three of these SAEs and gets the record's rows bit for bit.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from chapter_cells import notebook_environment  # noqa: E402

notebook_environment()

import torch  # noqa: E402

from sparselib.data import load_digits  # noqa: E402
from sparselib.protocols import save_record  # noqa: E402
from sparselib.protocols.sae_bridge import run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="also write the record to this JSON file")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    record = run(load_digits(seed=0), seed=args.seed)
    record = {"command": "python benchmarks/sae_bridge.py", "data": "digits",
              "threads": args.threads, **record}
    mlp, abl = record["mlp"], record["ablation"]
    print(f"MLP test accuracy {mlp['test_accuracy']:.4f}, CE {mlp['test_cross_entropy']:.4f}; "
          f"polysemantic hidden units {mlp['polysemantic']}/64")
    print(f"zero-ablation accuracy {abl['zero_accuracy']:.4f} (CE {abl['zero_cross_entropy']:.3f}), "
          f"mean-ablation {abl['mean_accuracy']:.4f} (CE {abl['mean_cross_entropy']:.3f})")
    print(f"{'SAE':<22} {'L0':>6} {'FVU':>7} {'dead':>6} {'shrink':>7} {'acc':>7} {'CE':>7} {'s':>5}")
    rows = dict(record["table"])
    rows["random MLP, topk+auxk"] = record["baselines"]["random_mlp_topk_tied_auxk"]
    for name, r in rows.items():
        print(f"{name:<22} {r['l0']:>6.2f} {r['fvu']:>7.4f} {r['dead']:>6.3f} {r['shrinkage']:>7.4f} "
              f"{r['spliced_accuracy']:>7.4f} {r['spliced_cross_entropy']:>7.4f} {r['seconds']:>5.1f}")
    gap = record.get("amortisation")
    if gap:
        for key in ("encoder", "fista"):
            g = gap[key]
            print(f"amortisation {key:<8} L0 {g['l0']:.2f} FVU {g['fvu']:.4f} objective {g['objective']:.4f}")
    base = record["baselines"]
    print("PCA FVU:", {k: round(v, 4) for k, v in base["pca_fvu"].items()},
          "random-MLP PCA FVU:", {k: round(v, 4) for k, v in base["random_mlp_pca_fvu"].items()})
    print(f"linear probe on h {base['linear_probe_h']:.4f}, on pixels {base['linear_probe_pixels']:.4f}")
    for name, s in record["sweeps"].items():
        arg = s["argument"]
        print(f"sweep {name}: " + "; ".join(f"{arg}={r[arg]:g} L0 {r['l0']:.2f} FVU {r['fvu']:.4f} "
                                             f"dead {r['dead']:.2f}" for r in s["rows"]))
    print(f"total {record['seconds']:.0f} s")
    if args.json:
        save_record(record, args.json)


if __name__ == "__main__":
    main()
