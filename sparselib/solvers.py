"""Proximal-gradient solvers for sparse coding: ISTA and FISTA.

Both minimise, for every sample of ``x`` independently,

    F(z) = ½‖x − z Dᵀ‖² + lam · h(z)

with step ``1/L``, ``L = lipschitz(D)`` the Lipschitz constant of the smooth part's gradient.
``x`` is ``(batch, n_features)``, ``D`` is ``(n_features, n_atoms)`` and ``z`` is
``(batch, n_atoms)``. The residual ``r = x − z Dᵀ`` is carried from one iteration to the
next (FISTA's extrapolated residual is a linear combination of two stored ones), so an
iteration costs two matrix products, a few fused element-wise passes, and the objective
comes almost for free. With ``tol > 0``, samples that have converged are set aside and the
remaining ones packed together, so the matrix products shrink as the batch converges.
"""
from __future__ import annotations

import warnings
from typing import Callable, Optional, Union

import torch
from torch import Tensor

from . import functional as sf
from ._validation import (
    describe,
    check_grouping,
    check_nonneg_scalar,
    check_positive_int,
    check_same_features,
    check_tensor,
)
from .groups import Tree

__all__ = ["ConvergenceWarning", "lipschitz", "ista", "fista"]


class ConvergenceWarning(UserWarning):
    """A solver stopped at ``max_iter`` before its stopping rule was met."""


_EXACT_LIMIT = 4096


def lipschitz(D: Tensor, *, method: str = "auto", n_iter: int = 100) -> float:
    """Lipschitz constant of ``z ↦ (z Dᵀ − x) D``: the largest eigenvalue of ``DᵀD``.

    ``method="auto"`` computes it exactly (``matrix_norm(D, 2) ** 2``) when
    ``min(D.shape) <= 4096``, otherwise by ``n_iter`` power iterations from a fixed start,
    with a 2 % margin so the step ``1/L`` stays safe. ``"exact"`` and ``"power"`` force a method.

    Parameters
    ----------
    D : Tensor of shape (n_features, n_atoms)

    Returns
    -------
    float
    """
    D = check_tensor(D, "D", "lipschitz", ndim=2)
    if method not in ("auto", "exact", "power"):
        raise ValueError(f"The 'method' parameter of lipschitz must be 'auto', 'exact' or 'power'. Got {method!r} instead.")
    n_iter = check_positive_int(n_iter, "n_iter", "lipschitz")
    if method == "exact" or (method == "auto" and min(D.shape) <= _EXACT_LIMIT):
        return float(torch.linalg.matrix_norm(D.double(), 2) ** 2)
    # Power iteration on DᵀD from a fixed, deterministic start vector.
    gen = torch.Generator(device="cpu").manual_seed(0)
    u = torch.randn(D.shape[1], generator=gen, dtype=D.dtype).to(D.device)
    u /= u.norm()
    est = 0.0
    for _ in range(n_iter):
        w = D.T @ (D @ u)
        est = float(w.norm())
        if est == 0.0:
            return 0.0
        u = w / est
    return est * 1.02


def _penalty_and_prox(prox, groups, tree, penalty, x: Tensor, n_atoms: int, func: str):
    """Return ``(penalty_fn, prox_fn)`` with validated operands; ``prox_fn(v, t)``."""
    if callable(prox):
        if penalty is not None and not callable(penalty):
            raise TypeError(f"The 'penalty' parameter of {func} must be a callable z -> (batch,) or None. Got {describe(penalty)} instead.")
        return penalty, prox
    if prox == "l1":
        return sf.l1_norm, sf.soft_threshold_
    if prox == "nonneg_l1":  # codes stay >= 0, so h(z) = Σ z
        return (lambda z: z.sum(-1)), sf.nonneg_soft_threshold_
    if prox == "group":
        if groups is None:
            raise ValueError(f"The 'groups' parameter of {func} must be given when prox='group'. Got None instead.")
        G = check_grouping(groups, "groups", func, n_atoms, x, binary=True, disjoint=True)
        return (lambda z: sf.group_norms(z, G).sum(-1)), (lambda v, t: sf.group_soft_threshold(v, t, G))
    if prox == "tree":
        if not isinstance(tree, Tree):
            raise TypeError(f"The 'tree' parameter of {func} must be a sparselib.groups.Tree when prox='tree'. Got {describe(tree)} instead.")
        if tree.n_nodes != n_atoms:
            raise ValueError(f"The 'tree' parameter of {func} must have {n_atoms} nodes (one per atom). Got {tree.n_nodes} instead.")
        return (lambda z: tree.subtree_sums(z * z).sqrt().sum(-1)), (lambda v, t: sf.tree_prox(v, t, tree))
    raise ValueError(
        f"The 'prox' parameter of {func} must be 'l1', 'nonneg_l1', 'group', 'tree' or a callable prox(v, t). "
        f"Got {prox!r} instead."
    )


def _setup(x, D, lam, prox, groups, tree, max_iter, tol, L, z0, penalty, func):
    x = check_tensor(x, "x", func, ndim=(1, 2))
    D = check_tensor(D, "D", func, ndim=2)
    check_same_features(x, D, func)
    D = D.to(dtype=x.dtype, device=x.device)
    lam = check_nonneg_scalar(lam, "lam", func)
    max_iter = check_positive_int(max_iter, "max_iter", func)
    tol = check_nonneg_scalar(tol, "tol", func)
    L = lipschitz(D) if L is None else check_nonneg_scalar(L, "L", func, positive=True)
    single = x.ndim == 1
    xb = x.unsqueeze(0) if single else x  # (batch, n_features)
    n_atoms = D.shape[1]
    if z0 is None:
        z = xb.new_zeros(xb.shape[0], n_atoms)
    else:
        z0 = check_tensor(z0, "z0", func, ndim=(1, 2))
        z = (z0.unsqueeze(0) if z0.ndim == 1 else z0).to(dtype=x.dtype, device=x.device).clone()
        if z.shape != (xb.shape[0], n_atoms):
            raise ValueError(f"The 'z0' parameter of {func} must be of shape {(xb.shape[0], n_atoms)}. Got shape {tuple(z0.shape)} instead.")
    pen, prox_fn = _penalty_and_prox(prox, groups, tree, penalty, xb, n_atoms, func)
    if pen is None and tol > 0:
        warnings.warn(f"{func}: a callable prox without 'penalty' makes the objective (and the stopping rule) "
                      "use ½‖x − z Dᵀ‖² only; pass penalty=... to include lam·h(z).", UserWarning, stacklevel=3)
    return xb, D, lam, max_iter, tol, L, z, pen, prox_fn, single


def _objective(r: Tensor, z: Tensor, lam: float, pen) -> Tensor:
    """Per-sample objective ``½‖r‖² + lam·h(z)`` from the residual, shape ``(batch,)``:
    :func:`sparselib.functional.energy` without recomputing ``r``."""
    f = sf.half_squared_norm(r)
    return f if pen is None else f.add_(pen(z), alpha=lam)


def _chunk_rows(batch: int, n_atoms: int) -> int:
    """Rows per chunk: one chunk of float32 ``z`` is about 2 MiB, so the element-wise passes that
    follow a chunk's matrix product find it in cache (measured on 2 cores: 2 MiB chunks were
    8 % faster than 1 MiB ones and as fast as larger ones)."""
    return max(64, min(batch, (1 << 19) // max(n_atoms, 1)))


def _step(x, D, DT, step, thr, pen, prox_fn, z, zb, r, rb, w, pen_out, grad_restart: bool):
    """One proximal-gradient step on a chunk of rows from ``y = z + beta (z − z_prev)``
    (``w`` is ``1 + beta``, shape ``(rows, 1)``, or None for ISTA).

    ``zb`` / ``rb`` hold the code and residual before ``z`` / ``r`` (FISTA's ``z_prev`` and
    ``r_prev``; unused by ISTA) and are overwritten with the new code and residual: the
    previous iterate is dead once ``y`` is formed, so two buffers per variable suffice. That
    keeps the solver's working set (for the benchmark problem, 28 MB instead of 41 MB) inside
    the last-level cache. The new code's penalty ``h`` goes into ``pen_out`` (the caller adds
    ``½‖r‖²`` for all chunks at once); with ``grad_restart`` the samples that must drop their
    momentum are returned."""
    y = turned = None
    if w is not None:
        rb.lerp_(r, w)  # r_y = x − y Dᵀ by linearity: y = z_prev + (1 + beta)(z − z_prev)
        zb.lerp_(z, w)  # y, in place of z_prev, (rows, n_atoms)
        if grad_restart:  # the gradient restart below needs y itself
            y = zb.clone()
        # gradient step: the gradient of ½‖x − y Dᵀ‖² is −r_y D, accumulated in place
        zb.addmm_(rb, D, alpha=step)  # (rows, n_atoms)
    else:
        torch.addmm(z, r, D, alpha=step, out=zb)
    res = prox_fn(zb, thr)
    if res is not zb:
        zb.copy_(res)
    torch.addmm(x, zb, DT, alpha=-1, out=rb)  # new residual, (rows, n_features); r_y is dead
    if pen is not None:
        pen_out.copy_(pen(zb))
    else:  # no penalty: the objective is ½‖r‖² alone
        pen_out.zero_()
    if y is not None:
        # Without the penalty the objective cannot judge a step: use the gradient test of
        # O'Donoghue & Candès instead (restart when the step turns against the momentum).
        turned = ((y - zb) * (zb - z)).sum(-1) > 0
    return turned


# A sample is finished once its objective has been still (see `tol`) this many iterations in a row.
_PATIENCE = 2
# A rise of a sample's objective smaller than this many units of rounding (relative to |F_i|)
# is not evidence of overshoot: near the optimum float32 objectives jitter by about one unit,
# and restarting on that jitter would throw away a step of a large share of the samples in
# every iteration (measured: 6 % of them with a margin of 0) without changing where the
# solver ends.
_RISE_ULPS = 8


def _run(xb, D, lam, max_iter, tol, L, z, pen, prox_fn, single, accelerated: bool, restart: bool, func: str):
    step, thr = 1.0 / L, lam / L
    batch, n_atoms = z.shape
    if batch == 0:  # nothing to solve: no iteration, nothing to warn about
        return z, {"objective": xb.new_zeros(0).cpu(), "n_iter": 0, "converged": True,
                   "restarts": torch.zeros(0, dtype=torch.long)}
    DT = D.T.contiguous()  # (n_atoms, n_features), for the residual product
    r = torch.addmm(xb, z, DT, alpha=-1)  # (batch, n_features)
    F = _objective(r, z, lam, pen)  # (batch,)
    t_k = torch.ones_like(F).unsqueeze(1)  # per-sample momentum parameter, (batch, 1)
    # Two buffers for z and r: the new iterate overwrites the one before the current.
    z_prev, r_prev = z.clone(), r.clone()
    # Rows are processed in cache-sized chunks within each iteration: identical arithmetic,
    # but every element-wise pass of a chunk hits memory that is already in cache.
    rows = _chunk_rows(batch, n_atoms)
    # Per-sample freezing (tol > 0): a sample whose own objective has changed by at most
    # tol·|F_i| for _PATIENCE iterations in a row is finished. Its code is written to `z_out`
    # and the samples still running are packed at the front of the buffers, so later
    # iterations only touch them. `order[j]` is the sample held in storage row j.
    freeze = tol > 0
    grad_restart = accelerated and restart and pen is None
    n_act, order, z_out, x_own = batch, None, None, False
    calm = torch.zeros(batch, dtype=torch.int32, device=z.device) if freeze else None
    history, undone, converged, prev = [], [], False, float(F.mean())
    rise_tol = _RISE_ULPS * torch.finfo(z.dtype).eps
    with torch.no_grad():
        for _ in range(max_iter):
            a = slice(0, n_act)
            F_new = F.clone() if n_act < batch else torch.empty_like(F)
            w = None
            if accelerated:  # momentum for every running sample at once
                t_a = t_k[a]
                t_new = t_k.clone()
                torch.sqrt(t_a * t_a * 4 + 1, out=t_new[a]).add_(1).mul_(0.5)
                w = (t_a - 1).div_(t_new[a]).add_(1)  # 1 + beta, (n_act, 1)
            for i in range(0, n_act, rows):
                c = slice(i, min(i + rows, n_act))
                turned = _step(xb[c], D, DT, step, thr, pen, prox_fn, z[c], z_prev[c], r[c], r_prev[c],
                               None if w is None else w[c], F_new[c], grad_restart)
                if turned is not None:
                    t_new[c][turned] = 1.0
            # F = ½‖r‖² + lam·h(z) for all chunks at once (the chunks wrote h(z) into F_new)
            r_norm = torch.linalg.vector_norm(r_prev[a], 2, dim=-1)
            F_new[a].mul_(lam).addcmul_(r_norm, r_norm, value=0.5)
            reverted = None
            if accelerated and restart and pen is not None:
                # Monotone restart: a sample whose objective would rise (by more than rounding,
                # see _RISE_ULPS) after a step with momentum keeps its current code, residual
                # and objective (the rejected step is undone by copying them over it) and drops
                # its momentum, so its next step is a plain ISTA step from that code, which
                # never raises the objective in exact arithmetic. A step without momentum
                # (t = 1) is that ISTA step and is always kept: undoing it would repeat it.
                rose = torch.nonzero((F_new[a] > F[a] + rise_tol * F[a].abs()) & (t_a[:, 0] > 1)).flatten()
                if rose.numel():
                    z_prev[rose], r_prev[rose], F_new[rose] = z[rose], r[rose], F[rose]
                    t_new[rose] = 1.0
                    reverted = rose
            if accelerated:
                t_k = t_new
            # swap buffers: the new iterate was written over the one before the current
            z_prev, z = z, z_prev
            r_prev, r = r, r_prev
            F_old, F = F, F_new
            cur = float(F.mean())
            history.append(cur)
            undone.append(0 if reverted is None else reverted.numel())
            # An iteration that undid some samples' steps is no evidence that the batch has
            # settled: neither the batch nor those samples can stop on it.
            if tol > 0 and reverted is None and abs(prev - cur) <= tol * abs(cur):
                converged = True
                break
            prev = cur
            if freeze:
                a = slice(0, n_act)
                still = (F_old[a] - F[a]).abs() <= tol * F[a].abs()
                if reverted is not None:
                    still[reverted] = False
                calm[a] = torch.where(still, (calm[a] + 1).clamp_(max=_PATIENCE), torch.zeros_like(calm[a]))
                done = calm[a] >= _PATIENCE
                n_done = int(done.sum())
                # Pack only when enough samples finished to pay for the copies.
                if n_done == n_act or n_done >= max(32, n_act // 16):
                    if order is None:
                        order = torch.arange(batch, device=z.device)
                        z_out = torch.empty_like(z)
                    if not x_own:
                        xb, x_own = xb.clone(), True  # the caller's x is never reordered
                    keep, gone = (~done).nonzero().flatten(), done.nonzero().flatten()
                    z_out[order[gone]] = z[gone]
                    n_keep = keep.numel()
                    for buf in (z, z_prev, r, r_prev, xb, t_k):
                        buf[:n_keep] = buf[keep]
                    perm = torch.cat([keep, gone])
                    F[a], order[a], calm[a] = F[perm], order[perm], calm[perm]
                    n_act = n_keep
                    if n_act == 0:
                        converged = True
                        break
    if tol > 0 and not converged:
        warnings.warn(f"{func} stopped at max_iter={max_iter} before the relative objective change fell "
                      f"below tol={tol:g}; raise max_iter or tol.", ConvergenceWarning, stacklevel=3)
    if order is not None:
        z_out[order[:n_act]] = z[:n_act]
        z = z_out
    info = {"objective": torch.tensor(history, dtype=xb.dtype), "n_iter": len(history),
            "converged": converged, "restarts": torch.tensor(undone, dtype=torch.long)}
    return (z.squeeze(0) if single else z), info


_DOC_PARAMS = """
    Parameters
    ----------
    x : Tensor of shape (batch, n_features) or (n_features,)
        Data; a 1-D ``x`` is one sample and gives a 1-D code.
    D : Tensor of shape (n_features, n_atoms)
        Dictionary (decoder ``W_d``), cast to ``x``'s dtype and device.
    lam : float
        Sparsity weight ``lam >= 0``.
    prox : {"l1", "nonneg_l1", "group", "tree"} or callable, default "l1"
        Penalty ``h``; a callable is used as ``prox(v, t)`` (pass ``penalty=`` so the
        objective includes it).
    groups : Tensor of shape (n_groups, n_atoms), needed for ``prox="group"`` (0/1, disjoint).
    tree : Tree with n_atoms nodes, needed for ``prox="tree"``.
    max_iter : int, default 1000
    tol : float, default 1e-6
        Stop when ``|F_k − F_{k−1}| <= tol·|F_k|`` (``F`` the batch-mean objective) in an
        iteration that undid no sample's step (see ``restart`` of :func:`fista`).
        With ``tol > 0`` a sample whose own objective has changed by at most ``tol·|F_i|``
        in two successive iterations, neither of which undid its step, is finished.
        Finished samples are set aside in groups (once at least 32 of them, or a sixteenth
        of the running ones, have finished; so a batch of fewer than 32 samples simply runs
        to the stopping rule): their codes are kept and later iterations skip them, so a
        large batch costs little more than its slowest samples need.
        ``tol=0`` runs exactly ``max_iter`` iterations on every sample and never warns.
    L : float, optional
        Lipschitz constant; ``lipschitz(D)`` by default.
    z0 : Tensor of shape (batch, n_atoms), optional
        Warm start (zeros by default).
    penalty : callable, optional
        ``z -> (batch,)`` values of ``h`` for a callable ``prox``.

    Returns
    -------
    z : Tensor of shape (batch, n_atoms) (or (n_atoms,))
    info : dict
        ``objective`` (1-D tensor, the batch-mean objective after every iteration),
        ``n_iter`` (int), ``converged`` (bool) and ``restarts`` (1-D int64 tensor, the number
        of samples whose step was undone in each iteration; zeros for ``ista``, without
        ``restart``, and with the gradient test of a callable ``prox`` without ``penalty``,
        which resets momentum but undoes nothing).

    Warns
    -----
    ConvergenceWarning
        When ``tol > 0`` and ``max_iter`` is reached first.
"""


def ista(x: Tensor, D: Tensor, lam: float, *, prox: Union[str, Callable] = "l1", groups: Optional[Tensor] = None,
         tree: Optional[Tree] = None, max_iter: int = 1000, tol: float = 1e-6, L: Optional[float] = None,
         z0: Optional[Tensor] = None, penalty: Optional[Callable] = None) -> tuple[Tensor, dict]:
    """Iterative shrinkage-thresholding: ``z ← prox(z + (x − z Dᵀ) D / L, lam / L)``.

    The objective never increases (step ``1/L``); convergence is O(1/k).
    """
    args = _setup(x, D, lam, prox, groups, tree, max_iter, tol, L, z0, penalty, "ista")
    return _run(*args, accelerated=False, restart=False, func="ista")


def fista(x: Tensor, D: Tensor, lam: float, *, prox: Union[str, Callable] = "l1", groups: Optional[Tensor] = None,
          tree: Optional[Tree] = None, max_iter: int = 1000, tol: float = 1e-6, L: Optional[float] = None,
          z0: Optional[Tensor] = None, penalty: Optional[Callable] = None, restart: bool = True) -> tuple[Tensor, dict]:
    """FISTA (Beck & Teboulle, 2009): ISTA's step taken from an extrapolated point.

    With ``restart`` (default), a step with momentum that would raise a sample's objective
    is undone: the sample keeps its code and drops its momentum, so its next step is a plain
    ISTA step from that code (a monotone variant of Beck & Teboulle's method with the
    adaptive restart of O'Donoghue & Candès, 2015). The objective never increases beyond
    rounding and the ripples of plain FISTA disappear. An iteration that undid a sample's
    step counts towards neither that sample's nor the batch's stopping rule, so a rejected
    step cannot end the solve; in a large batch some step is undone in most iterations, so
    the batch usually ends when its samples have finished one by one (see ``tol``). A rise of
    at most 8 units of rounding of the dtype (relative to the sample's objective) counts as
    no rise: in float32 that is the size of the objective's own jitter near the optimum.
    With a callable ``prox`` and no ``penalty`` the objective cannot judge a step, and the
    momentum is reset instead when the step turns against it (the gradient test of
    O'Donoghue & Candès; nothing is undone). ``restart=False`` is the textbook method.
    """
    args = _setup(x, D, lam, prox, groups, tree, max_iter, tol, L, z0, penalty, "fista")
    return _run(*args, accelerated=True, restart=bool(restart), func="fista")


ista.__doc__ += _DOC_PARAMS
fista.__doc__ += _DOC_PARAMS
