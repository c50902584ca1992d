"""The fast path of ISTA and FISTA: the iterates of :mod:`sparselib.textbook`, computed faster.

Both minimise, for every sample of ``x`` independently, ``F(z) = ½‖x − z Dᵀ‖² + lam·h(z)``
with step ``1/L``. The residual ``r = x − z Dᵀ`` is carried from one iteration to the next
(FISTA's extrapolated residual is a linear combination of two stored ones), so an iteration
costs two matrix products, a few fused element-wise passes, and the objective comes almost
for free. Rows are processed in cache-sized chunks. With ``tol > 0``, samples that have
converged are set aside and the remaining ones packed together, so the matrix products
shrink as the batch converges.

:func:`solve` takes a :class:`Problem` whose inputs are already checked (the public
:func:`sparselib.solvers.ista` and :func:`sparselib.solvers.fista` check them once; a model
that solves every training batch builds the problem itself).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable, Optional

import torch
from torch import Tensor

from . import functional as sf
from . import textbook

__all__ = ["ConvergenceWarning", "Problem", "solve", "default_chunk_rows"]


class ConvergenceWarning(UserWarning):
    """A solver stopped at ``max_iter`` before its stopping rule was met."""



@dataclass
class Problem:
    """A checked sparse-coding problem, ready for :func:`solve` (fields named as in the
    module docstring). The public solvers build it once from their arguments; a model that
    solves every training batch builds it itself and skips the checks."""
    x: Tensor                     # (batch, n_features), never modified
    D: Tensor                     # (n_features, n_atoms), x's dtype and device
    lam: float                    # sparsity weight
    L: float                      # Lipschitz constant: the step is 1/L
    z0: Tensor                    # (batch, n_atoms), the start; the solver works on a copy
    prox: Callable                # prox(v, t): may overwrite v and return it
    penalty: Optional[Callable]   # z -> (batch,) values of h; None: the data term alone
    max_iter: int
    tol: float


def _objective(r: Tensor, z: Tensor, lam: float, pen) -> Tensor:
    """Per-sample objective ``½‖r‖² + lam·h(z)`` from the residual, shape ``(batch,)``:
    :func:`sparselib.functional.energy` without recomputing ``r``."""
    f = sf.half_squared_norm(r)
    return f if pen is None else f.add_(pen(z), alpha=lam)


def default_chunk_rows(batch: int, n_atoms: int) -> int:
    """Rows per chunk: one chunk of float32 ``z`` is about 2 MiB, so the element-wise passes that
    follow a chunk's matrix product find it in cache (measured on 2 cores: 2 MiB chunks were
    8 % faster than 1 MiB ones and as fast as larger ones)."""
    return max(64, min(batch, (1 << 19) // max(n_atoms, 1)))


@dataclass
class _Iterates:
    """The solver's two buffers per variable: the current code and residual, and the ones
    before (FISTA's ``z_prev``, ``r_prev``), which the next iterate overwrites: the iterate
    before the previous one is dead once ``y`` is formed. That keeps the working set (for the
    benchmark problem, 28 MB instead of 41 MB) inside the last-level cache."""
    z: Tensor       # (rows, n_atoms)
    r: Tensor       # (rows, n_features), x − z Dᵀ
    z_prev: Tensor
    r_prev: Tensor

    def rows(self, c: slice) -> "_Iterates":
        return _Iterates(self.z[c], self.r[c], self.z_prev[c], self.r_prev[c])

    def swap(self) -> None:
        """The new iterate was written over the previous one: it becomes the current one."""
        self.z, self.z_prev = self.z_prev, self.z
        self.r, self.r_prev = self.r_prev, self.r


def _step(x: Tensor, it: _Iterates, w: Optional[Tensor], h_out: Tensor, p: Problem, DT: Tensor,
          grad_restart: bool) -> Optional[Tensor]:
    """One proximal-gradient step on a chunk of rows, from ``y = z_prev + w (z − z_prev)``
    (``w = 1 + beta``, shape ``(rows, 1)``; ``None``: ISTA, from ``y = z``).

    The new code and residual go into ``it.z_prev`` / ``it.r_prev`` and the new code's
    penalty ``h`` into ``h_out`` (the caller adds ``½‖r‖²`` for all chunks at once). With
    ``grad_restart``, returns the rows whose step turned against their momentum."""
    step, thr = 1.0 / p.L, p.lam / p.L
    zn, rn = it.z_prev, it.r_prev  # where the new iterate goes
    y = None
    if w is not None:
        rn.lerp_(it.r, w)  # r_y = x − y Dᵀ by linearity
        zn.lerp_(it.z, w)  # y, in place of z_prev
        if grad_restart:  # the gradient test below needs y itself
            y = zn.clone()
        zn.addmm_(rn, p.D, alpha=step)  # the gradient of ½‖x − y Dᵀ‖² is −r_y D
    else:
        torch.addmm(it.z, it.r, p.D, alpha=step, out=zn)
    res = p.prox(zn, thr)
    if res is not zn:
        zn.copy_(res)
    torch.addmm(x, zn, DT, alpha=-1, out=rn)  # new residual; r_y is dead
    if p.penalty is not None:
        h_out.copy_(p.penalty(zn))
    else:  # no penalty: the objective is ½‖r‖² alone
        h_out.zero_()
    if y is None:
        return None
    # Without the penalty the objective cannot judge a step: use the gradient test of
    # O'Donoghue & Candès instead (restart when the step turns against the momentum).
    return ((y - zn) * (zn - it.z)).sum(-1) > 0


# A sample is finished once its objective has been still (see `tol`) this many iterations in a row.
_PATIENCE = 2


class _Solve:
    """The fast path of ISTA and FISTA: one instance per call of :func:`solve`.

    Every iteration is :meth:`momentum`, :meth:`steps` over cache-sized chunks of rows,
    :meth:`undo_rises` (FISTA's monotone restart), :meth:`advance`, then the stopping rules:
    the batch's (:meth:`batch_settled`) and, with ``tol > 0``, every sample's
    (:meth:`set_aside_finished`: finished samples are packed out of the working buffers).
    """

    def __init__(self, p: Problem, accelerated: bool, restart: bool, chunk_rows: Optional[int],
                 rise_ulps: float):
        self.p, self.accelerated = p, accelerated
        self.x = p.x  # reordered when samples are set aside: then a copy
        batch, n_atoms = p.z0.shape
        self.batch = batch
        self.DT = p.D.T.contiguous()  # (n_atoms, n_features), for the residual product
        z = p.z0.clone()
        r = torch.addmm(p.x, z, self.DT, alpha=-1)
        self.it = _Iterates(z, r, z.clone(), r.clone())
        self.F = _objective(r, z, p.lam, p.penalty)  # (batch,) per-sample objective
        self.t = torch.ones_like(self.F).unsqueeze(1)  # per-sample momentum parameter
        self.rows = chunk_rows or default_chunk_rows(batch, n_atoms)
        self.grad_restart = accelerated and restart and p.penalty is None
        self.monotone = accelerated and restart and p.penalty is not None
        self.rise_tol = rise_ulps * torch.finfo(z.dtype).eps
        # Samples still running occupy storage rows 0..n_act−1; `order[j]` is the sample in row j.
        self.n_act, self.order, self.z_out = batch, None, None
        self.calm = torch.zeros(batch, dtype=torch.int32, device=z.device) if p.tol > 0 else None
        self.history, self.undone, self.active = [], [], []

    def momentum(self):
        """FISTA's ``t_{k+1}`` and ``w = 1 + beta = 1 + (t_k − 1)/t_{k+1}`` for the running rows."""
        if not self.accelerated:
            return None, None
        t_a = self.t[:self.n_act]
        t_new = self.t.clone()
        torch.sqrt(t_a * t_a * 4 + 1, out=t_new[:self.n_act]).add_(1).mul_(0.5)
        return t_new, (t_a - 1).div_(t_new[:self.n_act]).add_(1)

    def steps(self, w, t_new) -> Tensor:
        """Every running row's step, chunk by chunk; returns their new objectives."""
        a = slice(0, self.n_act)
        F_new = self.F.clone() if self.n_act < self.batch else torch.empty_like(self.F)
        for i in range(0, self.n_act, self.rows):
            c = slice(i, min(i + self.rows, self.n_act))
            turned = _step(self.x[c], self.it.rows(c), None if w is None else w[c], F_new[c], self.p,
                           self.DT, self.grad_restart)
            if turned is not None:
                t_new[c][turned] = 1.0
        # F = ½‖r‖² + lam·h(z) for all chunks at once (the chunks wrote h(z) into F_new)
        r_norm = torch.linalg.vector_norm(self.it.r_prev[a], 2, dim=-1)
        F_new[a].mul_(self.p.lam).addcmul_(r_norm, r_norm, value=0.5)
        return F_new

    def undo_rises(self, F_new: Tensor, t_new: Tensor) -> Optional[Tensor]:
        """Monotone restart: a row whose objective would rise (by more than rounding) after a
        step with momentum keeps its code, residual and objective (copied over the rejected
        step) and drops its momentum, so its next step is a plain ISTA step from that code,
        which never raises the objective in exact arithmetic. A step without momentum
        (``t = 1``) is that ISTA step and is always kept: undoing it would repeat it."""
        if not self.monotone:
            return None
        a, it, F = slice(0, self.n_act), self.it, self.F
        rose = torch.nonzero((F_new[a] > F[a] + self.rise_tol * F[a].abs()) & (self.t[a][:, 0] > 1)).flatten()
        if not rose.numel():
            return None
        it.z_prev[rose], it.r_prev[rose], F_new[rose] = it.z[rose], it.r[rose], F[rose]
        t_new[rose] = 1.0
        return rose

    def advance(self, F_new: Tensor, t_new, reverted) -> Tensor:
        """The new iterate becomes the current one; returns the previous objectives."""
        if self.accelerated:
            self.t = t_new
        self.it.swap()
        F_old, self.F = self.F, F_new
        self.history.append(float(self.F.mean()))
        self.undone.append(0 if reverted is None else reverted.numel())
        return F_old

    def set_aside_finished(self, F_old: Tensor, reverted) -> bool:
        """A row whose own objective changed by at most ``tol·|F_i|`` in ``_PATIENCE``
        iterations in a row (none of which undid its step) is finished. Once enough rows
        finished to pay for the copies, their codes go to ``z_out`` and the running rows are
        packed at the front of the buffers. Returns True when no row is left running."""
        a, tol = slice(0, self.n_act), self.p.tol
        still = (F_old[a] - self.F[a]).abs() <= tol * self.F[a].abs()
        if reverted is not None:
            still[reverted] = False
        calm = self.calm
        calm[a] = torch.where(still, (calm[a] + 1).clamp_(max=_PATIENCE), torch.zeros_like(calm[a]))
        done = calm[a] >= _PATIENCE
        n_done = int(done.sum())
        if not (n_done == self.n_act or n_done >= max(32, self.n_act // 16)):
            return False
        if self.order is None:
            self.order = torch.arange(self.batch, device=self.F.device)
            self.z_out = torch.empty_like(self.it.z)
            self.x = self.x.clone()  # the caller's x is never reordered
        keep, gone = (~done).nonzero().flatten(), done.nonzero().flatten()
        it = self.it
        self.z_out[self.order[gone]] = it.z[gone]
        n_keep = keep.numel()
        for buf in (it.z, it.z_prev, it.r, it.r_prev, self.x, self.t):
            buf[:n_keep] = buf[keep]
        perm = torch.cat([keep, gone])
        self.F[a], self.order[a], calm[a] = self.F[perm], self.order[perm], calm[perm]
        self.n_act = n_keep
        return n_keep == 0

    def codes(self) -> Tensor:
        """Every sample's code in its own row."""
        if self.order is None:
            return self.it.z
        self.z_out[self.order[:self.n_act]] = self.it.z[:self.n_act]
        return self.z_out

    def run(self) -> tuple[Tensor, bool]:
        p, converged, prev = self.p, False, float(self.F.mean())
        with torch.no_grad():
            for _ in range(p.max_iter):
                self.active.append(self.n_act)
                t_new, w = self.momentum()
                F_new = self.steps(w, t_new)
                reverted = self.undo_rises(F_new, t_new)
                F_old = self.advance(F_new, t_new, reverted)
                cur = self.history[-1]
                # An iteration that undid some rows' steps is no evidence that the batch has
                # settled: neither the batch nor those rows can stop on it.
                if p.tol > 0 and reverted is None and abs(prev - cur) <= p.tol * abs(cur):
                    converged = True
                    break
                prev = cur
                if p.tol > 0 and self.set_aside_finished(F_old, reverted):
                    converged = True
                    break
        return self.codes(), converged


def solve(p: Problem, *, accelerated: bool, restart: bool = True, chunk_rows: Optional[int] = None,
          rise_ulps: float = textbook.RISE_ULPS, func: str = "solve") -> tuple[Tensor, dict]:
    """ISTA (``accelerated=False``) or FISTA on a checked problem; no input checks.

    Returns the codes ``(batch, n_atoms)`` and the ``info`` of :func:`ista` / :func:`fista`.
    """
    if p.z0.shape[0] == 0:  # nothing to solve: no iteration, nothing to warn about
        return p.z0.clone(), {"objective": p.x.new_zeros(0).cpu(), "n_iter": 0, "converged": True,
                              "restarts": torch.zeros(0, dtype=torch.long),
                              "active": torch.zeros(0, dtype=torch.long)}
    solver = _Solve(p, accelerated, restart, chunk_rows, rise_ulps)
    z, converged = solver.run()
    if p.tol > 0 and not converged:
        warnings.warn(f"{func} stopped at max_iter={p.max_iter} before the relative objective change fell "
                      f"below tol={p.tol:g}; raise max_iter or tol.", ConvergenceWarning, stacklevel=3)
    info = {"objective": torch.tensor(solver.history, dtype=p.x.dtype), "n_iter": len(solver.history),
            "converged": converged, "restarts": torch.tensor(solver.undone, dtype=torch.long),
            "active": torch.tensor(solver.active, dtype=torch.long)}
    return z, info
