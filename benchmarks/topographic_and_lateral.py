"""Topographic map smoothness (3 seeds), tree-structured lateral inhibition, and learned V.

Parts (``--part``, default ``topographic tree``):

- ``topographic``: smoothness of three topographic maps (30 epochs each);
- ``tree``: tree inhibition vs plain L1 on a longer run than chapter 5's;
- ``tree-scales``: chapter 5's tree model retrained at several inhibition scales α
  (:func:`sparselib.protocols.lateral.tree_scales`);
- ``learned-V``: chapter 5's learned inhibition matrix V (the code's ``S``) trained far
  longer than in the chapter, compared at checkpoints with its uniform starting point
  (:func:`sparselib.protocols.lateral.learned_v`).

``--json PATH`` writes the records of the ``tree-scales`` and ``learned-V`` parts; chapter 5
shows ``checkpoints/lateral-benchmark.json``, written by

    python benchmarks/topographic_and_lateral.py --part tree-scales learned-V \
        --json checkpoints/lateral-benchmark.json

(one thread; about half an hour on a shared laptop core).
Run: SPARSELIB_OFFLINE=1 python benchmarks/topographic_and_lateral.py [--figures DIR]
"""
from __future__ import annotations

import argparse
import math
import os
import time

import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.analysis import path_fraction, pinwheels  # noqa: E402
from sparselib.data import natural_patches  # noqa: E402
from sparselib.groups import Tree  # noqa: E402
from sparselib.models.lateral import LateralInhibitionCoder  # noqa: E402
from sparselib.models.topographic import TopographicAutoencoder  # noqa: E402
from sparselib.protocols import save_record  # noqa: E402
from sparselib.protocols.lateral import learned_v, tree_scales  # noqa: E402
from sparselib.train import fit  # noqa: E402


def main(figures: str | None, parts: list[str], record: str | None, steps: int) -> None:
    out = {"command": "python benchmarks/topographic_and_lateral.py --part " + " ".join(parts),
           "torch_threads": torch.get_num_threads()}
    if "tree-scales" in parts:
        out["tree_scales"] = tree_scales()
    if "learned-V" in parts:
        out["learned_V"] = [learned_v(5.0, steps), learned_v(0.5, steps)]
    if record:
        save_record(out, record)
        print("wrote", record)
    if "topographic" in parts:
        topographic(figures)
    if "tree" in parts:
        tree_vs_l1(figures)


def topographic(figures: str | None) -> None:
    X = natural_patches(20000, 8, seed=0, verbose=True)
    X = X / X.norm(dim=1).mean() * 3                       # mean patch norm 3
    train = X[:18000]
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


def tree_vs_l1(figures: str | None) -> None:
    X = natural_patches(20000, 8, seed=0, verbose=True)
    X = X / X.norm(dim=1).mean() * 3                       # mean patch norm 3
    train, test = X[:18000], X[18000:]
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
        from sparselib import viz
        os.makedirs(figures, exist_ok=True)
        ax = viz.inhibition_tree(tree, coder.W_d.detach().T)
        ax.figure.savefig(os.path.join(figures, "inhibition_tree.png"), dpi=100)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--figures", default=None)
    parser.add_argument("--part", nargs="+", default=["topographic", "tree"],
                        choices=["topographic", "tree", "tree-scales", "learned-V"])
    parser.add_argument("--json", default=None, help="write the tree-scales / learned-V records here")
    parser.add_argument("--steps", type=int, default=20000, help="alternating steps of learned-V")
    torch.set_num_threads(1)
    args = parser.parse_args()
    main(args.figures, args.part, args.json, args.steps)
