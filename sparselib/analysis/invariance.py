"""How much a representation changes when its input image moves (chapter 4).

Shapes: ``images`` is ``(n, channels, H, W)``; ``f`` maps it to any ``(n, ...)`` output.
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor

from .._validation import check_positive_int, check_tensor, describe, fail

__all__ = ["shift_change"]


@torch.no_grad()
def shift_change(f: Callable[[Tensor], Tensor], images: Tensor, shift: int = 1) -> float:
    """Mean relative change of ``f(x)`` when ``x`` moves by ``shift`` pixels (down, then right).

    ``‖f(x_δ) − f(x)‖ / ‖f(x)‖`` per image, with ``x_δ`` the image rolled by ``shift``
    pixels along its rows and then along its columns (``torch.roll``: what leaves one side
    comes back on the other), averaged over both directions and all images. 0 means the
    output did not change; a strided layer whose output merely moved still counts as changed.

    Parameters
    ----------
    f : callable
        Images ``(n, channels, H, W)`` to outputs ``(n, ...)``: an encoder, a pooling, a
        stack, or ``lambda x: x`` for the pixels themselves.
    images : Tensor of shape (n, channels, H, W)
    shift : int, default 1

    Returns
    -------
    float
    """
    if not callable(f):
        fail(TypeError, "f", "shift_change", "be a callable (images to outputs)", describe(f))
    images = check_tensor(images, "images", "shift_change", ndim=4)
    shift = check_positive_int(shift, "shift", "shift_change")
    base = f(images).flatten(1)
    changes = [(f(images.roll(shift, dims=d)).flatten(1) - base).norm(dim=1) / base.norm(dim=1)
               for d in (2, 3)]
    return torch.stack(changes).mean().item()
