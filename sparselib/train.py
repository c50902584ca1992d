"""One training loop for every model.

Every model in :mod:`sparselib.models` follows one protocol (``loss(x, y) -> (total,
parts)`` and ``project_()``), so :func:`fit` trains them all: mini-batch Adam, seeded
shuffling, the model's optional ``before_step_()`` between ``backward()`` and every
optimiser step, ``project_()`` after it (constraints such as unit-norm decoder columns hold
at all times), and a per-epoch history of every named loss part.

Checkpoint files live in :mod:`sparselib.checkpoints`; ``save_checkpoint``,
``load_checkpoint`` and ``read_recipe`` are re-exported here from their old home.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Optional, Union

import torch
from torch import Tensor, nn
from tqdm.auto import tqdm

from .checkpoints import load_checkpoint, read_recipe, save_checkpoint
from ._validation import (fail, check_choice, check_instance, check_nonneg_scalar,
                          check_positive_int, check_tensor)

__all__ = ["fit", "default_device", "save_checkpoint", "load_checkpoint", "read_recipe"]


def default_device(device: Union[str, torch.device, None] = None) -> torch.device:
    """``device`` as given, else CUDA when it is available, else the CPU."""
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def _interactive() -> bool:
    """True in a terminal or a live Jupyter kernel; False in scripts, CI and book builds."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        # A live notebook shows bars; a book build can export SPARSELIB_PROGRESS=0.
        return os.environ.get("SPARSELIB_PROGRESS", "1") != "0"
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def _check_targets(y, n: int) -> Tensor:
    check_instance(y, "y", "fit", Tensor, "a torch.Tensor (labels or targets)")
    if y.ndim == 0 or y.shape[0] != n:
        fail(ValueError, "y", "fit", f"have {n} rows to match X", f"shape {tuple(y.shape)}")
    return y


def fit(model: nn.Module, X: Tensor, y: Optional[Tensor] = None, *, epochs: int,
        batch_size: int = 64, lr: float = 1e-3, seed: int = 0,
        device: Union[str, torch.device, None] = None, progress: Optional[bool] = None,
        weight_decay: float = 0.0, schedule: Optional[str] = None,
        callback: Optional[Callable[[int, dict], None]] = None) -> dict[str, list[float]]:
    """Train ``model`` with mini-batch Adam; return the per-epoch history.

    Parameters
    ----------
    model : nn.Module
        Any sparselib model (``loss(x, y=None) -> (Tensor, dict)``, ``project_()``). When it
        has ``param_groups(lr)``, those groups (e.g. per-parameter learning-rate scales) are
        given to the optimiser. When it has ``before_step_()``, that is called after every
        ``backward()`` and before the optimiser step (e.g. to project a gradient).
    X : Tensor of shape (n_samples, n_features) or (n_samples, channels, H, W)
    y : Tensor of shape (n_samples, ...), optional
        Labels (or target codes), passed on batch by batch to ``model.loss``, which checks them.
    epochs : int
        Passes over the data.
    batch_size : int, default 64
    lr : float, default 1e-3
    seed : int, default 0
        Seeds the shuffling (the model's initialisation is the caller's).
    device : str or torch.device, optional
        Default: CUDA when available, else CPU. The model is moved there and stays there.
    progress : bool, optional
        Show a progress bar; default: only when interactive.
    weight_decay : float, default 0.0
    schedule : {None, "cosine"}, default None
        ``"cosine"`` anneals every group's learning rate to 0 over the run (per step), which
        keeps the last epochs from undoing the training.
    callback : callable, optional
        Called as ``callback(epoch, parts)`` after every epoch.

    Returns
    -------
    dict of str to list of float
        For each named part of the loss (``"loss"`` is the total), its sample-weighted mean
        over every epoch, one entry per epoch.
    """
    if not isinstance(model, nn.Module) or not hasattr(model, "loss"):
        fail(TypeError, "model", "fit", "be a sparselib model (an nn.Module with loss() and project_())",
             type(model).__name__)
    X = check_tensor(X, "X", "fit", ndim=(2, 4))
    epochs = check_positive_int(epochs, "epochs", "fit")
    batch_size = check_positive_int(batch_size, "batch_size", "fit")
    lr = check_nonneg_scalar(lr, "lr", "fit", positive=True)
    weight_decay = check_nonneg_scalar(weight_decay, "weight_decay", "fit")
    check_choice(schedule, "schedule", "fit", (None, "cosine"))
    if y is not None:
        y = _check_targets(y, X.shape[0])
    device = default_device(device)
    model.to(device)
    dtype = next(model.parameters()).dtype
    X = X.to(device=device, dtype=dtype)
    if y is not None:
        y = y.to(device=device, dtype=dtype if y.is_floating_point() else y.dtype)

    before_step = getattr(model, "before_step_", None)
    params = model.param_groups(lr) if hasattr(model, "param_groups") else model.parameters()
    optimiser = torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    n_steps = epochs * -(-X.shape[0] // batch_size)
    scheduler = (torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=n_steps)
                 if schedule == "cosine" else None)
    generator = torch.Generator().manual_seed(seed)
    show = _interactive() if progress is None else bool(progress)
    history: dict[str, list[float]] = {}
    model.train()
    bar = tqdm(range(epochs), disable=not show, desc=type(model).__name__, leave=False)
    for epoch in bar:
        order = torch.randperm(X.shape[0], generator=generator).to(device)
        sums: dict[str, float] = {}
        for start in range(0, X.shape[0], batch_size):
            idx = order[start:start + batch_size]
            xb = X[idx]                                       # (b, n_features) or (b, C, H, W)
            total, parts = model.loss(xb, None if y is None else y[idx])
            optimiser.zero_grad(set_to_none=True)
            total.backward()
            if before_step is not None:
                before_step()                                 # e.g. a gradient projection
            optimiser.step()
            model.project_()                                  # constraints hold after every step
            if scheduler is not None:
                scheduler.step()
            parts = {"loss": total.detach().item(), **parts}
            for key, value in parts.items():
                sums[key] = sums.get(key, 0.0) + value * len(idx)
        means = {key: value / X.shape[0] for key, value in sums.items()}
        for key, value in means.items():
            history.setdefault(key, []).append(value)
        bar.set_postfix(loss=f"{means['loss']:.4g}")
        if callback is not None:
            callback(epoch, means)
    model.eval()
    return history
