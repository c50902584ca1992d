"""Chapter 5's lateral-inhibition experiments, run longer than the chapter can: the tree model
retrained at several inhibition scales, and the learned inhibition matrix trained far longer
than in the chapter (``benchmarks/topographic_and_lateral.py`` drives them and writes
``checkpoints/lateral-benchmark.json``, which chapter 5 shows).

Data (:func:`chapter_patches`): chapter 5's 10,000 whitened 8 x 8 patches scaled to mean norm
3, the first 6000 for training and the last 1000 for testing.
"""
from __future__ import annotations

import time

import torch

from ..analysis import explained_energy, path_fraction
from ..data import natural_patches
from ..groups import Tree
from ..models.lateral import LateralInhibitionCoder, project_inhibition
from ..train import fit

__all__ = ["TREE_SCALES", "LEARNED_V_CHECKPOINTS", "chapter_patches", "code_stats",
           "paired_difference", "tree_scales", "learned_v"]

TREE_SCALES = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
LEARNED_V_CHECKPOINTS = (100, 300, 1000, 3000, 10000, 20000)


def chapter_patches() -> tuple[torch.Tensor, torch.Tensor]:
    """Chapter 5's data: 10,000 whitened 8 x 8 patches, mean norm 3; train 6000, test 1000."""
    X = natural_patches(10000, 8, seed=0, verbose=False)
    X = X / X.norm(dim=1).mean() * 3
    return X[:6000], X[9000:]


def code_stats(model, x: torch.Tensor) -> tuple[torch.Tensor, dict]:
    """The codes of ``x`` and their ``active`` units per patch, ``explained`` energy and mean
    ``energy``."""
    z = model.encode(x)
    return z, {"active": float((z != 0).sum(1).float().mean()),
               "explained": explained_energy(x, z @ model.W_d.detach().T),
               "energy": float(model.energy(x, z).mean())}


def paired_difference(a: torch.Tensor, b: torch.Tensor) -> dict:
    """Mean and standard error of the per-patch difference a − b."""
    d = (a - b).double()
    return {"mean": float(d.mean()), "se": float(d.std() / len(d) ** 0.5)}


def tree_scales(scales=TREE_SCALES, verbose: bool = True) -> list[dict]:
    """Chapter 5's tree model (31 units, 4 epochs on 6000 patches) trained at each scale α
    (``V = α·tree_inhibition``): explained energy, active units, co-active pairs on one path."""
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
        if verbose:
            print(f"tree, alpha = {alpha}: explained {stats['explained']:.3f}, active "
                  f"{stats['active']:.2f}, on one path {rows[-1]['path_fraction']:.3f}", flush=True)
    return rows


def learned_v(lr_S: float, steps: int, checkpoints=LEARNED_V_CHECKPOINTS,
              verbose: bool = True) -> dict:
    """Chapter 5's alternating steps (learn_step, batches of 100) run for ``steps`` steps.

    At every checkpoint the learned V and the uniform matrix of the same budget (the
    learned V's starting point) code the test patches with the same, current W_d; the
    differences are paired over the test patches (:func:`paired_difference`).
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
                         "d_energy": paired_difference(learned.energy(test, z_l), uniform.energy(test, z_u)),
                         "d_active": paired_difference((z_l != 0).sum(1), (z_u != 0).sum(1)),
                         "d_sq_error": paired_difference(
                             (test - z_l @ learned.W_d.detach().T).pow(2).sum(1),
                             (test - z_u @ uniform.W_d.detach().T).pow(2).sum(1)),
                         "V_cv": float(off.std() / off.mean())})
            r = rows[-1]
            if verbose:
                print(f"learned V, lr_S = {lr_S}, step {k} ({r['seconds']:.0f} s): active "
                      f"{s_l['active']:.2f} vs uniform {s_u['active']:.2f}, explained "
                      f"{s_l['explained']:.4f} vs {s_u['explained']:.4f}, energy difference "
                      f"{r['d_energy']['mean']:+.4f} ± {r['d_energy']['se']:.4f}", flush=True)
    return {"lr_S": lr_S, "steps": steps, "rows": rows}
