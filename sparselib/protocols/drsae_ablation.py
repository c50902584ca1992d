"""DrSAE reconstruction-term ablation: classifier-only vs all three criteria (chapter 2).

Same model size, same number of epochs (the recipe's unsupervised pre-training epochs are
spent on the classifier-only loss instead), same optimiser. Measured on the test split: the
accuracy; what the final code retains about the input, the error of its best linear read-out
(:func:`~sparselib.analysis.linear_readout`, fitted on the training codes, so the two variants
are compared on their codes, not on a decoder one of them never trained); and, for "all
three", the model's own decoder error. ``benchmarks/drsae_ablation.py`` runs it over seeds.
"""
from __future__ import annotations

import time

import torch

from .._validation import check_choice
from ..analysis import linear_readout
from ..models.drsae import DrSAE
from ..train import fit

__all__ = ["VARIANTS", "train_variant", "measure", "run"]

VARIANTS = ("classifier-only", "all three")


def train_variant(variant: str, seed: int, split, spec: dict) -> DrSAE:
    """The recipe's DrSAE (``spec``: ``RECIPES["drsae"]``) trained on ``split`` as ``variant``:
    ``"all three"`` pre-trains without labels, then trains on the full loss, as the recipe
    does; ``"classifier-only"`` (``lam = 0``, no reconstruction) spends the same epochs, all
    supervised."""
    check_choice(variant, "variant", "train_variant", VARIANTS)
    kw = dict(spec["model_kwargs"])
    fit_kw = dict(spec["fit"])
    pre = fit_kw.pop("pretrain_epochs")
    if variant == "classifier-only":
        kw.update(lam=0.0, reconstruction=False)
    torch.manual_seed(seed)
    model = DrSAE(split.X_train.shape[1], kw.pop("n_atoms"), int(split.y_train.max()) + 1, **kw)
    if variant == "all three":
        fit(model, split.X_train, None, **{**fit_kw, "epochs": pre}, seed=seed + 1, device="cpu")
        fit(model, split.X_train, split.y_train, **fit_kw, seed=seed, device="cpu")
    else:   # same budget: every epoch supervised
        fit(model, split.X_train, split.y_train, **{**fit_kw, "epochs": pre + fit_kw["epochs"]},
            seed=seed, device="cpu")
    return model


@torch.no_grad()
def measure(model: DrSAE, split, own_decoder: bool = True) -> dict:
    """``acc`` (test accuracy), ``readout`` (:func:`~sparselib.analysis.linear_readout`'s
    error) and ``own`` (½ mean ‖x − x̂‖² of the model's own decoder on the test split, or NaN
    without ``own_decoder``)."""
    out = model(split.X_test)
    acc = float((out.logits.argmax(1) == split.y_test).float().mean())
    own = float(0.5 * (split.X_test - out.x_hat).pow(2).sum(1).mean())
    return {"acc": acc, "readout": linear_readout(model.encode, split.X_train, split.X_test).error,
            "own": own if own_decoder else float("nan")}


def run(variant: str, seed: int, split, spec: dict) -> dict:
    """:func:`train_variant`, then :func:`measure`; with the training time in ``seconds``."""
    start = time.perf_counter()
    model = train_variant(variant, seed, split, spec)
    seconds = time.perf_counter() - start
    return {**measure(model, split, own_decoder=variant == "all three"), "seconds": seconds}
