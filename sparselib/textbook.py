"""ISTA and FISTA as the textbook writes them: the reference for :mod:`sparselib.solvers`.

Every sample of ``x`` is one problem ``min_z F(z) = ½‖x − z Dᵀ‖² + lam·h(z)``. These loops
take the whole batch through every iteration, with no chunks, no buffers reused and no
sample set aside; each line is one line of the method. :func:`sparselib.solvers.ista` and
:func:`sparselib.solvers.fista` compute the same iterates faster, and the tests hold them
to these loops row by row. Inputs are not checked: use the solvers from your own code.
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional

import torch
from torch import Tensor

from . import functional as sf

__all__ = ["iterates"]

# The monotone restart's margin: a rise of a sample's objective smaller than this many units
# of rounding (relative to |F|) is not evidence of overshoot. Near the optimum float32
# objectives jitter by about one unit, and restarting on that jitter would throw away a step
# of a large share of the samples in every iteration (measured: 6 % of them with a margin
# of 0) without changing where the solver ends.
RISE_ULPS = 8


def iterates(x: Tensor, D: Tensor, lam: float, L: float, n_iter: int,
             prox: Callable[[Tensor, float], Tensor] = sf.soft_threshold,
             penalty: Optional[Callable[[Tensor], Tensor]] = sf.l1_norm, *,
             accelerated: bool = False, restart: Optional[str] = None, z0: Optional[Tensor] = None,
             rise_ulps: float = RISE_ULPS) -> Iterator[tuple[int, Tensor, Tensor, Tensor]]:
    """Yield ``(k, z_k, F_k, undone_k)`` for ``k = 0 … n_iter``.

    ``F_k`` is every sample's objective (the data term alone when ``penalty`` is None) and
    ``undone_k`` marks the samples whose step ``k`` was undone. ISTA (``accelerated=False``)::

        z_{k+1} = prox(z_k + (x − z_k Dᵀ) D / L, lam / L)

    FISTA (Beck & Teboulle, 2009) takes that step from ``y = z_k + (t_k − 1)/t_{k+1}·(z_k − z_{k−1})``
    with ``t_{k+1} = (1 + √(1 + 4 t_k²)) / 2``, ``t_0 = 1``. ``restart``: None (the textbook
    method), ``"objective"`` (monotone: a step with momentum, ``t_k > 1``, that raises ``F``
    by more than ``rise_ulps`` units of rounding is undone, and the sample's momentum is
    reset, so its next step is an ISTA step, which is kept) or ``"gradient"`` (O'Donoghue &
    Candès, 2015: reset ``t`` when ``(y − z_{k+1})·(z_{k+1} − z_k) > 0``).

    Shape:
        x: ``(batch, n_features)``; D: ``(n_features, n_atoms)``; z_k: ``(batch, n_atoms)``;
        F_k, undone_k: ``(batch,)``.
    """
    def objective(z: Tensor) -> Tensor:
        return sf.energy(x, z, D, lam, penalty)

    def step(y: Tensor) -> Tensor:  # the proximal-gradient step of length 1/L from y
        return prox(y + (x - y @ D.T) @ D / L, lam / L)

    z = x.new_zeros(x.shape[0], D.shape[1]) if z0 is None else z0.clone()
    z_prev, t, F = z, torch.ones(x.shape[0], 1, dtype=x.dtype), objective(z)
    margin = rise_ulps * torch.finfo(x.dtype).eps
    yield 0, z, F, torch.zeros(x.shape[0], dtype=torch.bool)
    for k in range(1, n_iter + 1):
        undone = torch.zeros(x.shape[0], dtype=torch.bool)
        if not accelerated:
            z_new = step(z)
            F_new, t_new = objective(z_new), t
        else:
            t_new = (1 + torch.sqrt(1 + 4 * t * t)) / 2
            y = z + (t - 1) / t_new * (z - z_prev)
            z_new = step(y)
            F_new = objective(z_new)
            if restart == "objective":
                undone = (F_new > F + margin * F.abs()) & (t[:, 0] > 1)
                z_new = torch.where(undone[:, None], z, z_new)
                F_new = torch.where(undone, F, F_new)
                t_new = torch.where(undone[:, None], torch.ones_like(t_new), t_new)
            elif restart == "gradient":
                turned = ((y - z_new) * (z_new - z)).sum(-1, keepdim=True) > 0
                t_new = torch.where(turned, torch.ones_like(t_new), t_new)
        z_prev, z, t, F = z, z_new, t_new, F_new
        yield k, z, F, undone
