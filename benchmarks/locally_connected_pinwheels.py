"""Whole images, local filters, no weight sharing, a random start: does a smooth orientation map
with pinwheels appear, and how does it compare with null maps on the same sheet?

Data: 4000 crops of 24x24 pixels cut from scikit-image's photographs, ZCA-whitened
(:func:`sparselib.data.natural_patches`, eps 0.1), the central 16x16 kept (so the whitening
has no edge effects) and scaled to pixel standard deviation 0.4. Model:
``LocallyConnectedAutoencoder((16, 16), kernel_size=8, stride=4, units=4, size=3, lam=0.1)``:
3x3 window positions with a 4x4 block of units each, a 12x12 sheet of units, every unit with
its own filter, random start. Training: :func:`fit_orientation_map` (pool windows blurred
by sigma = 3 map units, shrinking linearly to the plain 3x3 windows over the first 70 % of 80
epochs at lr 1e-2, then 40 epochs at lr 3e-3 with the plain windows).

Per seed the record holds the sheet's smoothness ratio (mean orientation difference of map
neighbours over that of random pairs; about 1 for noise), its pinwheel count, and the null
baselines of :func:`sparselib.models.topographic.pinwheel_null` on the same open 12x12
sheet: white-noise maps and band-pass maps of matched smoothness (200 each).

The recorded run's numbers are in ``checkpoints/lc-orientation-map.json`` and its log in
benchmarks/README.md (the target ratio <= 0.6 is not reached from a random start).

Run (one seed per process, then merge):
    python benchmarks/locally_connected_pinwheels.py --seed 0 --json /tmp/lc0.json --checkpoint checkpoints/lc-orientation-map.pt
    python benchmarks/locally_connected_pinwheels.py --seed 1 --json /tmp/lc1.json
    python benchmarks/locally_connected_pinwheels.py --seed 2 --json /tmp/lc2.json
    python benchmarks/locally_connected_pinwheels.py --merge /tmp/lc0.json /tmp/lc1.json /tmp/lc2.json --json checkpoints/lc-orientation-map.json
``--fast`` is a quick check of the pipeline (small data, few epochs; numbers meaningless).
"""
from __future__ import annotations

import argparse
import json
import os
import time

import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.checkpoints import save_checkpoint  # noqa: E402
from sparselib.data import natural_patches  # noqa: E402
from sparselib.models.locally_connected import (LocallyConnectedAutoencoder,  # noqa: E402
                                                fit_orientation_map)
from sparselib.models.topographic import pinwheel_null  # noqa: E402

MODEL = dict(kernel_size=8, stride=4, units=4, size=3, lam=0.1)
DATA = dict(n_images=4000, side=16, margin=4, eps=0.1, std=0.4)
TRAIN = dict(epochs=80, blur=3.0, anneal=0.7, lr=1e-2, polish_epochs=40, polish_lr=3e-3,
             batch_size=32)


def images(n_images: int, side: int, margin: int, eps: float, std: float) -> torch.Tensor:
    """Whitened crops, shape ``(n_images, 1, side, side)``, pixel std ``std``."""
    big = side + 2 * margin
    X = natural_patches(n_images, big, seed=0, eps=eps, verbose=False).reshape(-1, 1, big, big)
    X = X[:, :, margin:margin + side, margin:margin + side].contiguous()
    return X / X.std() * std


def run_seed(seed: int, X: torch.Tensor, train: dict,
             n_null: int = 200) -> tuple[dict, LocallyConnectedAutoencoder]:
    torch.manual_seed(seed)
    model = LocallyConnectedAutoencoder(tuple(X.shape[-2:]), **MODEL)
    before = model.smoothness()
    start = time.perf_counter()
    hist = fit_orientation_map(model, X, seed=seed, device="cpu", **train)
    seconds = time.perf_counter() - start
    phi = model.orientation_map()
    null = pinwheel_null(phi, torus=False, n_maps=n_null, seed=seed)
    q = torch.tensor([0.025, 0.975], dtype=torch.float64)
    record = dict(
        seed=seed, seconds=round(seconds, 1), ratio_start=before[0] / before[1],
        ratio=null["ratio"], pinwheels=null["count"],
        pinwheel_signs=[int(v) for v in model.pinwheels()[:, 2].tolist()],
        white_mean=float(null["white"].mean()), white_range=null["white"].quantile(q).tolist(),
        matched_mean=float(null["matched"].mean()),
        matched_range=null["matched"].quantile(q).tolist(),
        matched_wavelength=null["wavelength"], matched_ratio=null["matched_ratio"],
        active=hist["sparsity"][-1], reconstruction=hist["reconstruction"][-1],
        loss_first=hist["loss"][0], loss_last=hist["loss"][-1],
        orientation_map=[[round(v, 5) for v in row] for row in phi.tolist()])
    return record, model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="write the record here")
    parser.add_argument("--checkpoint", help="save the trained model's state_dict here")
    parser.add_argument("--merge", nargs="+", help="merge per-seed records into one")
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.merge:
        seeds = [json.load(open(path)) for path in args.merge]
        record = dict(model=MODEL, data=DATA, train=TRAIN, seeds=seeds,
                      command="python benchmarks/locally_connected_pinwheels.py (see its docstring)")
    else:
        data, train = dict(DATA), dict(TRAIN)
        if args.fast:
            data["n_images"], train["epochs"], train["polish_epochs"] = 256, 3, 1
        X = images(**data)
        record, model = run_seed(args.seed, X, train, n_null=20 if args.fast else 200)
        if args.checkpoint:      # weights only: the merged record is written by --merge
            save_checkpoint(model, args.checkpoint)
        r = record
        print(f"seed {r['seed']}: ratio {r['ratio']:.2f} (start {r['ratio_start']:.2f}), "
              f"{r['pinwheels']} pinwheels; white noise {r['white_mean']:.1f} "
              f"{r['white_range']}, matched smoothness (wavelength {r['matched_wavelength']:.1f}, "
              f"ratio {r['matched_ratio']:.2f}) {r['matched_mean']:.1f} {r['matched_range']}; "
              f"active {r['active']:.2f}; {r['seconds']:.0f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(record, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
