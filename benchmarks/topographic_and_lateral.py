"""Topographic map smoothness (3 seeds), tree-structured lateral inhibition, and learned V.

Parts (``--part``, default ``topographic tree``):

- ``topographic``: smoothness of three topographic maps (30 epochs each);
- ``tree``: tree inhibition vs plain L1 on a longer run than chapter 5's;
- ``tree-scales``: chapter 5's tree model retrained at several inhibition scales α
  (``V = α·tree_inhibition``): explained energy, active units, co-active pairs on one path;
- ``learned-V``: chapter 5's learned inhibition matrix V (the code's ``S``) trained far
  longer than in the chapter, compared at checkpoints with its uniform starting point at
  the same budget and with the same dictionary (paired over the test patches).

``--json PATH`` writes the records of the ``tree-scales`` and ``learned-V`` parts; chapter 5
shows ``checkpoints/lateral-benchmark.json``, written by

    python benchmarks/topographic_and_lateral.py --part tree-scales learned-V \
        --json checkpoints/lateral-benchmark.json

(one thread; about half an hour on a shared laptop core).
Run: SPARSELIB_OFFLINE=1 python benchmarks/topographic_and_lateral.py [--figures DIR]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time

import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.data import natural_patches  # noqa: E402
from sparselib.groups import Tree  # noqa: E402
from sparselib.models.lateral import (LateralInhibitionCoder, explained_energy,  # noqa: E402
                                      path_fraction, project_inhibition)
from sparselib.models.topographic import TopographicAutoencoder, pinwheels  # noqa: E402
from sparselib.train import fit  # noqa: E402


def chapter_patches():
    """Chapter 5's data: 10,000 whitened 8 x 8 patches, mean norm 3; train 6000, test 1000."""
    X = natural_patches(10000, 8, seed=0, verbose=False)
    X = X / X.norm(dim=1).mean() * 3
    return X[:6000], X[9000:]


def code_stats(model, x):
    z = model.encode(x)
    return z, {"active": float((z != 0).sum(1).float().mean()),
               "explained": explained_energy(x, z @ model.W_d.detach().T),
               "energy": float(model.energy(x, z).mean())}


def paired(a, b):
    """Mean and standard error of the per-patch difference a − b."""
    d = (a - b).double()
    return {"mean": float(d.mean()), "se": float(d.std() / len(d) ** 0.5)}


def tree_scales(scales=(0.0, 0.25, 0.5, 1.0, 2.0, 4.0)) -> list[dict]:
    """Chapter 5's tree model (31 units, 4 epochs on 6000 patches) trained at each scale α."""
    train, test = chapter_patches()
    tree, rows = Tree.complete(2, 4), []
    for alpha in scales:
        torch.manual_seed(0)
        coder = LateralInhibitionCoder(64, tree.n_nodes, lam=0.1, tree=tree, scale=alpha,
                                       n_iter=100, tol=1e-4)
        start = time.perf_counter()
        fit(coder, train, epochs=4, batch_size=100, lr=0.01, seed=0, device="cpu")
        z, stats = code_stats(coder, test)
        rows.append({"alpha": alpha, **stats, "path_fraction": path_fraction(z, tree),
                     "seconds": time.perf_counter() - start})
        print(f"tree, alpha = {alpha}: explained {stats['explained']:.3f}, active "
              f"{stats['active']:.2f}, on one path {rows[-1]['path_fraction']:.3f}", flush=True)
    return rows


def learned_v(lr_S: float, steps: int, checkpoints=(100, 300, 1000, 3000, 10000, 20000)) -> dict:
    """Chapter 5's alternating steps (learn_step, batches of 100) run for ``steps`` steps.

    At every checkpoint the learned V and the uniform matrix of the same budget (the
    learned V's starting point) code the test patches with the same, current W_d.
    """
    train, test = chapter_patches()
    torch.manual_seed(0)
    learned = LateralInhibitionCoder(64, 31, lam=0.1, learn_S=True, budget=1.0, n_iter=100, tol=1e-4)
    uniform = LateralInhibitionCoder(64, 31, lam=0.1, S=project_inhibition(torch.zeros(31, 31), 1.0),
                                     n_iter=100, tol=1e-4)
    gen = torch.Generator().manual_seed(0)
    rows, start = [], time.perf_counter()
    for k in range(1, steps + 1):
        learned.learn_step(train[torch.randint(6000, (100,), generator=gen)], lr=0.05, lr_S=lr_S)
        if k in checkpoints or k == steps:
            with torch.no_grad():
                uniform.W_d.copy_(learned.W_d)
            z_l, s_l = code_stats(learned, test)
            z_u, s_u = code_stats(uniform, test)
            V = learned.S.detach()
            off = V[~torch.eye(31, dtype=torch.bool)]
            rows.append({"step": k, "seconds": time.perf_counter() - start, "learned": s_l,
                         "uniform": s_u,
                         "d_energy": paired(learned.energy(test, z_l), uniform.energy(test, z_u)),
                         "d_active": paired((z_l != 0).sum(1), (z_u != 0).sum(1)),
                         "d_sq_error": paired((test - z_l @ learned.W_d.detach().T).pow(2).sum(1),
                                              (test - z_u @ uniform.W_d.detach().T).pow(2).sum(1)),
                         "V_cv": float(off.std() / off.mean())})
            r = rows[-1]
            print(f"learned V, lr_S = {lr_S}, step {k} ({r['seconds']:.0f} s): active "
                  f"{s_l['active']:.2f} vs uniform {s_u['active']:.2f}, explained "
                  f"{s_l['explained']:.4f} vs {s_u['explained']:.4f}, energy difference "
                  f"{r['d_energy']['mean']:+.4f} ± {r['d_energy']['se']:.4f}", flush=True)
    return {"lr_S": lr_S, "steps": steps, "rows": rows}


def main(figures: str | None, parts: list[str], record: str | None, steps: int) -> None:
    out = {"command": "python benchmarks/topographic_and_lateral.py --part " + " ".join(parts),
           "torch_threads": torch.get_num_threads()}
    if "tree-scales" in parts:
        out["tree_scales"] = tree_scales()
    if "learned-V" in parts:
        out["learned_V"] = [learned_v(5.0, steps), learned_v(0.5, steps)]
    if record:
        with open(record, "w") as f:
            json.dump(out, f, indent=1)
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
