"""DrSAE reconstruction-term ablation: classifier-only vs all three criteria.

Same model size, same number of epochs (the recipe's unsupervised pre-training epochs are
spent on the classifier-only loss instead), same optimiser, three seeds. Reported on the
test split of the offline digits (stratified 75/25, seed 0), or MNIST with ``--data mnist``:

- test accuracy;
- the features' reconstruction error: ½‖x − ẑ‖² on test images, where ẑ is the best
  linear read-out of the final code (least squares fitted on the training codes), so the
  two variants are compared on what their codes retain, not on a decoder one of them
  never trained (ridge 1e-3 relative to the mean code energy); and, for "all three", the
  model's own decoder error.

Run: ``python benchmarks/drsae_ablation.py [--seeds 0 1 2] [--data digits] [--json PATH]``.
``--json`` also writes every run and the means to PATH; chapter 2 shows the numbers of
``checkpoints/drsae-ablation.json`` (shipped with the package like the checkpoints),
written by this script with its defaults and ``--json checkpoints/drsae-ablation.json``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

import torch

from sparselib.data import load_digits, load_mnist
from sparselib.models.drsae import DrSAE
from sparselib.recipes import RECIPES
from sparselib.train import fit


@torch.no_grad()
def linear_readout_error(model: DrSAE, split) -> float:
    Z_tr, Z_te = model.encode(split.X_train), model.encode(split.X_test)   # (n, n_atoms)
    ones_tr, ones_te = torch.ones(len(Z_tr), 1), torch.ones(len(Z_te), 1)
    A = torch.cat([Z_tr, ones_tr], 1).double()                            # (n, n_atoms + 1)
    # A little ridge (relative to the mean code energy): 400 codes from ~1300 images would
    # otherwise over-fit the read-out through dead or duplicated units.
    gram = A.T @ A
    ridge = 1e-3 * gram.diagonal().mean() * torch.eye(A.shape[1], dtype=A.dtype)
    W = torch.linalg.solve(gram + ridge, A.T @ split.X_train.double())  # (n_atoms + 1, n_features)
    X_hat = torch.cat([Z_te, ones_te], 1).double() @ W
    return float(0.5 * (split.X_test.double() - X_hat).pow(2).sum(1).mean())


def run(variant: str, seed: int, split, spec: dict) -> dict:
    kw = dict(spec["model_kwargs"])
    fit_kw = dict(spec["fit"])
    pre = fit_kw.pop("pretrain_epochs")
    if variant == "classifier-only":
        kw.update(lam=0.0, reconstruction=False)
    torch.manual_seed(seed)
    model = DrSAE(split.X_train.shape[1], kw.pop("n_atoms"), int(split.y_train.max()) + 1, **kw)
    start = time.perf_counter()
    if variant == "all three":
        fit(model, split.X_train, None, **{**fit_kw, "epochs": pre}, seed=seed + 1, device="cpu")
        fit(model, split.X_train, split.y_train, **fit_kw, seed=seed, device="cpu")
    else:   # same budget: every epoch supervised
        fit(model, split.X_train, split.y_train, **{**fit_kw, "epochs": pre + fit_kw["epochs"]},
            seed=seed, device="cpu")
    seconds = time.perf_counter() - start
    with torch.no_grad():
        out = model(split.X_test)
        acc = float((out.logits.argmax(1) == split.y_test).float().mean())
        own = float(0.5 * (split.X_test - out.x_hat).pow(2).sum(1).mean())
    return {"acc": acc, "readout": linear_readout_error(model, split),
            "own": own if variant == "all three" else float("nan"), "seconds": seconds}


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
    for variant in ("classifier-only", "all three"):
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
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1, allow_nan=True)
            f.write("\n")


if __name__ == "__main__":
    main()
