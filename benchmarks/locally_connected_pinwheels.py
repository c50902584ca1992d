"""Locally connected auto-encoder on whole whitened images: orientation map smoothness and pinwheels.

Whole "images" are 16x16 crops of scikit-image's photographs, ZCA-whitened
(:func:`sparselib.data.natural_patches`) and scaled to unit pixel variance. Each 8x8 window
(stride 4, 3x3 positions) holds a 4x4 block of units with their own filters, so the map of
units is 12x12; groups are 3x3 windows of that map. Prints the neighbour / random mean
orientation differences (issue 5 asks for a ratio <= 0.5) and the number of pinwheels (>= 2).

Status when written: NOT passing the smoothness criterion (ratio about 0.8 on these settings).

Run: SPARSELIB_OFFLINE=1 python benchmarks/locally_connected_pinwheels.py [--epochs 20]
"""
from __future__ import annotations

import argparse
import os
import time

import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.data import natural_patches  # noqa: E402
from sparselib.models.locally_connected import LocallyConnectedAutoencoder  # noqa: E402
from sparselib.train import fit  # noqa: E402

SETTINGS = dict(kernel_size=8, stride=4, units=4, size=3, lam=0.5)


def run(epochs: int = 20, n_images: int = 4000, side: int = 16, seeds=(0, 1, 2)) -> list[dict]:
    X = natural_patches(n_images, side, seed=0, verbose=True)
    X = (X / X.std()).reshape(-1, 1, side, side)                  # (n, 1, side, side)
    results = []
    for seed in seeds:
        torch.manual_seed(seed)
        model = LocallyConnectedAutoencoder((side, side), **SETTINGS)
        hist = fit(model, X, epochs=epochs, batch_size=32, lr=1e-2, seed=seed, device="cpu",
                   schedule="cosine")
        neighbour, random = model.smoothness()
        results.append(dict(seed=seed, neighbour=neighbour, random=random,
                            ratio=neighbour / random, pinwheels=len(model.pinwheels()),
                            sparsity=hist["sparsity"][-1]))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    for r in run(args.epochs):
        print(f"seed {r['seed']}: neighbour {r['neighbour']:.3f} rad, random {r['random']:.3f} rad, "
              f"ratio {r['ratio']:.2f} (need <= 0.5), pinwheels {r['pinwheels']} (need >= 2), "
              f"active {r['sparsity']:.2f}")
    print(f"{time.perf_counter() - start:.0f} s")
