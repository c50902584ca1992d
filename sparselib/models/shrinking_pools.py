"""Training a map of units from a random start with pools that shrink (chapter 3).

Plain training with the box windows of :func:`sparselib.groups.map_groups` leaves a random
start's map rough: each window only couples units a few steps apart, and distant parts of the
map settle on unrelated orientations before they can agree. :func:`fit_orientation_map`
starts the windows wide and shrinks them, as Kohonen's self-organising maps shrink their
neighbourhood during training.

The schedule reads the model through two names: ``model.set_pool_blur_(sigma)``, which puts
the groups of :func:`sparselib.groups.blurred_map_groups` in place (``sigma = 0``: the box
windows), and ``model.size``, ``None`` for a model built with custom groups, as
:class:`~sparselib.models.locally_connected.LocallyConnectedAutoencoder` has them. It imports
no model, so that module re-exports it.
"""
from __future__ import annotations

from typing import Callable, Optional

from torch import Tensor, nn

from .._validation import (fail, check_in_range, check_nonneg_scalar, check_positive_int,
                           describe)
from ..train import fit

__all__ = ["fit_orientation_map"]


def fit_orientation_map(model: nn.Module, X: Tensor, *, epochs: int = 80,
                        blur: float = 3.0, anneal: float = 0.7, lr: float = 1e-2,
                        polish_epochs: int = 40, polish_lr: float = 3e-3, batch_size: int = 32,
                        seed: int = 0, device=None,
                        callback: Optional[Callable] = None) -> dict[str, list[float]]:
    """Train a locally connected model on whole images from a random start into a smooth map.

    1. ``epochs`` epochs at learning rate ``lr`` (cosine schedule) with the groups of
       :func:`~sparselib.groups.blurred_map_groups`; the blur falls linearly from ``blur``
       to 0 over the first ``anneal · epochs`` epochs and stays 0 after;
    2. ``polish_epochs`` epochs at ``polish_lr`` (cosine) with the plain box windows.

    ``model`` is a :class:`~sparselib.models.locally_connected.LocallyConnectedAutoencoder`
    with the default grouping; ``X`` is ``(n_images, C, H, W)`` as its ``loss`` expects.
    ``callback(phase, epoch, parts)`` is called after every epoch (phase ``"anneal"`` or
    ``"polish"``). Returns the concatenated per-epoch history of :func:`~sparselib.train.fit`
    plus ``"blur"`` (the blur used in each epoch). The model ends with the box windows in place.
    """
    func = "fit_orientation_map"
    if not (callable(getattr(model, "set_pool_blur_", None)) and hasattr(model, "size")):
        fail(TypeError, "model", func, "be a LocallyConnectedAutoencoder", describe(model))
    if model.size is None:
        fail(ValueError, "model", func, "use the default map groups (built with 'size', not custom 'groups')",
             "a model built with custom 'groups'")
    epochs = check_positive_int(epochs, "epochs", func)
    polish_epochs = check_positive_int(polish_epochs, "polish_epochs", func, minimum=0)
    blur = check_nonneg_scalar(blur, "blur", func)
    anneal = check_nonneg_scalar(anneal, "anneal", func)
    check_in_range(anneal, "anneal", func, 0, 1, "[]", "(a fraction of the epochs)")
    n_anneal = max(1, round(anneal * epochs))

    def blur_at(epoch: int) -> float:
        return blur * max(0.0, 1 - epoch / n_anneal)

    used = [blur_at(0)]
    model.set_pool_blur_(used[0])

    def step(epoch: int, parts: dict) -> None:
        if callback is not None:
            callback("anneal", epoch, parts)
        if epoch + 1 < epochs:
            used.append(blur_at(epoch + 1))
            model.set_pool_blur_(used[-1])

    hist = fit(model, X, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, device=device,
               schedule="cosine", progress=False, callback=step)
    model.set_pool_blur_(0.0)
    if polish_epochs:
        more = fit(model, X, epochs=polish_epochs, batch_size=batch_size, lr=polish_lr,
                   seed=seed + 1, device=device, schedule="cosine", progress=False,
                   callback=None if callback is None else
                   (lambda e, p: callback("polish", e, p)))
        for key in hist:
            hist[key] = hist[key] + more[key]
        used += [0.0] * polish_epochs
    hist["blur"] = used
    return hist
