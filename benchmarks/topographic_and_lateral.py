"""Topographic map smoothness (3 seeds) and tree-structured lateral inhibition vs plain L1.

Run: SPARSELIB_OFFLINE=1 python benchmarks/topographic_and_lateral.py [--figures DIR]
"""
from __future__ import annotations

import argparse
import math
import os
import time

import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.data import natural_patches  # noqa: E402
from sparselib.groups import Tree  # noqa: E402
from sparselib.models.lateral import LateralInhibitionCoder, path_fraction  # noqa: E402
from sparselib.models.topographic import TopographicAutoencoder, pinwheels  # noqa: E402
from sparselib.train import fit  # noqa: E402


def main(figures: str | None) -> None:
    X = natural_patches(20000, 8, seed=0, verbose=True)
    X = X / X.norm(dim=1).mean() * 3                       # mean patch norm 3
    train, test = X[:18000], X[18000:]
    for seed in (0, 1, 2):
        torch.manual_seed(seed)
        model = TopographicAutoencoder(64, side=12, size=3, lam=0.1)
        start = time.perf_counter()
        fit(model, train, epochs=30, batch_size=64, lr=1e-2, seed=seed, device="cpu")
        nb, rnd = model.smoothness()
        print(f"topographic seed {seed}: neighbours {math.degrees(nb):.1f} deg, random pairs "
              f"{math.degrees(rnd):.1f} deg, ratio {nb / rnd:.2f}, "
              f"pinwheels {len(pinwheels(model.orientation_map(), torus=True))}, "
              f"{time.perf_counter() - start:.0f} s")
    tree = Tree.complete(2, 4)                               # 31 units, depth 4
    torch.manual_seed(0)
    coder = LateralInhibitionCoder(64, tree.n_nodes, lam=0.1, tree=tree, scale=2.0, n_iter=200,
                                   tol=1e-5)
    fit(coder, train[:8000], epochs=5, batch_size=100, lr=0.01, device="cpu")
    plain = LateralInhibitionCoder(64, tree.n_nodes, lam=0.1, n_iter=200, tol=1e-5)
    with torch.no_grad():
        plain.W_d.copy_(coder.W_d)
    z_tree, z_l1 = coder.encode(test), plain.encode(test)
    print(f"lateral inhibition, tree of {tree.n_nodes}: co-active pairs on one path "
          f"{path_fraction(z_tree, tree):.3f} (tree S) vs {path_fraction(z_l1, tree):.3f} (plain L1); "
          f"active units per patch {float((z_tree != 0).sum(1).float().mean()):.2f} vs "
          f"{float((z_l1 != 0).sum(1).float().mean()):.2f}")
    if figures:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from sparselib import viz
        os.makedirs(figures, exist_ok=True)
        fig, axes = plt.subplots(1, 2, figsize=(9, 4))
        viz.topographic_map(model.filters(), ax=axes[0])
        theta = model.orientation_map()
        viz.orientation_map(theta, pinwheels(theta, torus=True), ax=axes[1])
        fig.savefig(os.path.join(figures, "topographic.png"), dpi=100)
        ax = viz.inhibition_tree(tree, coder.W_d.detach().T)
        ax.figure.savefig(os.path.join(figures, "inhibition_tree.png"), dpi=100)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--figures", default=None)
    torch.set_num_threads(1)
    main(parser.parse_args().figures)
