"""Proximal-gradient solvers for sparse coding: ISTA and FISTA, with their input checks.

Both minimise, for every sample of ``x`` independently,

    F(z) = ½‖x − z Dᵀ‖² + lam · h(z)

with step ``1/L``, ``L = lipschitz(D)`` the Lipschitz constant of the smooth part's gradient.
``x`` is ``(batch, n_features)``, ``D`` is ``(n_features, n_atoms)`` and ``z`` is
``(batch, n_atoms)``. This module checks the arguments once and hands a
:class:`~sparselib.proximal_gradient.Problem` to the fast path,
:func:`sparselib.proximal_gradient.solve`; :func:`sparselib.textbook.iterates` is the
plain loop that both follow.
"""
from __future__ import annotations

import warnings
from typing import Callable, Optional, Union

import torch
from torch import Tensor

from . import functional as sf
from . import textbook
from .proximal_gradient import ConvergenceWarning, Problem, default_chunk_rows, solve
from ._validation import (
    describe,
    fail,
    check_choice,
    check_grouping,
    check_instance,
    check_nonneg_scalar,
    check_positive_int,
    check_same_features,
    check_tensor,
)
from .groups import Tree

__all__ = ["ConvergenceWarning", "lipschitz", "ista", "fista", "Problem", "operators", "solve",
           "default_chunk_rows"]


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
    check_choice(method, "method", "lipschitz", ("auto", "exact", "power"))
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


def operators(prox: Union[str, Callable] = "l1", *, groups: Optional[Tensor] = None,
              tree: Optional[Tree] = None, penalty: Optional[Callable] = None, n_atoms: int,
              like: Tensor, func: str = "operators") -> tuple[Optional[Callable], Callable]:
    """``(penalty, prox)`` for :class:`Problem` from the solvers' ``prox`` choice (see
    :func:`ista`), with the grouping or tree checked against ``n_atoms`` and cast like ``like``.

    ``prox(v, t)`` may overwrite ``v``; ``penalty(z)`` gives ``(batch,)`` values of ``h``.
    """
    if callable(prox):
        if penalty is not None and not callable(penalty):
            fail(TypeError, "penalty", func, "be a callable z -> (batch,) or None", describe(penalty))
        return penalty, prox
    if prox == "l1":
        return sf.l1_norm, sf.soft_threshold_
    if prox == "nonneg_l1":  # codes stay >= 0, so h(z) = Σ z
        return (lambda z: z.sum(-1)), sf.nonneg_soft_threshold_
    if prox == "group":
        if groups is None:
            fail(ValueError, "groups", func, "be given when prox='group'", "None")
        G = check_grouping(groups, "groups", func, n_atoms, like, binary=True, disjoint=True)
        return (lambda z: sf.group_norms(z, G).sum(-1)), (lambda v, t: sf.group_soft_threshold(v, t, G))
    if prox == "tree":
        check_instance(tree, "tree", func, Tree, "a sparselib.groups.Tree when prox='tree'")
        if tree.n_nodes != n_atoms:
            fail(ValueError, "tree", func, f"have {n_atoms} nodes (one per atom)", str(tree.n_nodes))
        return (lambda z: tree.subtree_sums(z * z).sqrt().sum(-1)), (lambda v, t: sf.tree_prox(v, t, tree))
    fail(ValueError, "prox", func, "be 'l1', 'nonneg_l1', 'group', 'tree' or a callable prox(v, t)",
         repr(prox))


def _setup(x, D, lam, prox, groups, tree, max_iter, tol, L, z0, penalty, func) -> tuple[Problem, bool]:
    """Check the public solvers' arguments; returns the problem and whether ``x`` was 1-D."""
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
        z = (z0.unsqueeze(0) if z0.ndim == 1 else z0).to(dtype=x.dtype, device=x.device)
        if z.shape != (xb.shape[0], n_atoms):
            fail(ValueError, "z0", func, f"be of shape {(xb.shape[0], n_atoms)}", f"shape {tuple(z0.shape)}")
    pen, prox_fn = operators(prox, groups=groups, tree=tree, penalty=penalty, n_atoms=n_atoms,
                             like=xb, func=func)
    if pen is None and tol > 0:
        warnings.warn(f"{func}: a callable prox without 'penalty' makes the objective (and the stopping rule) "
                      "use ½‖x − z Dᵀ‖² only; pass penalty=... to include lam·h(z).", UserWarning, stacklevel=3)
    return Problem(xb, D, lam, L, z, prox_fn, pen, max_iter, tol), single


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
    chunk_rows : int, optional
        Rows per cache-sized chunk of every iteration (the arithmetic is the same for any
        value); by default about 2 MiB of float32 codes, at least 64 rows.

    Returns
    -------
    z : Tensor of shape (batch, n_atoms) (or (n_atoms,))
    info : dict
        ``objective`` (1-D tensor, the batch-mean objective after every iteration),
        ``n_iter`` (int), ``converged`` (bool) and ``restarts`` (1-D int64 tensor, the number
        of samples whose step was undone in each iteration; zeros for ``ista``, without
        ``restart``, and with the gradient test of a callable ``prox`` without ``penalty``,
        which resets momentum but undoes nothing) and ``active`` (1-D int64 tensor, the
        number of samples still running in each iteration; with ``tol > 0`` finished
        samples are set aside and it falls).

    Warns
    -----
    ConvergenceWarning
        When ``tol > 0`` and ``max_iter`` is reached first.
"""


def ista(x: Tensor, D: Tensor, lam: float, *, prox: Union[str, Callable] = "l1", groups: Optional[Tensor] = None,
         tree: Optional[Tree] = None, max_iter: int = 1000, tol: float = 1e-6, L: Optional[float] = None,
         z0: Optional[Tensor] = None, penalty: Optional[Callable] = None,
         chunk_rows: Optional[int] = None) -> tuple[Tensor, dict]:
    """Iterative shrinkage-thresholding: ``z ← prox(z + (x − z Dᵀ) D / L, lam / L)``.

    The objective never increases (step ``1/L``); convergence is O(1/k).
    """
    problem, single = _setup(x, D, lam, prox, groups, tree, max_iter, tol, L, z0, penalty, "ista")
    chunk_rows = None if chunk_rows is None else check_positive_int(chunk_rows, "chunk_rows", "ista")
    z, info = solve(problem, accelerated=False, restart=False, chunk_rows=chunk_rows, func="ista")
    return (z.squeeze(0) if single else z), info


def fista(x: Tensor, D: Tensor, lam: float, *, prox: Union[str, Callable] = "l1", groups: Optional[Tensor] = None,
          tree: Optional[Tree] = None, max_iter: int = 1000, tol: float = 1e-6, L: Optional[float] = None,
          z0: Optional[Tensor] = None, penalty: Optional[Callable] = None, restart: bool = True,
          chunk_rows: Optional[int] = None, rise_ulps: float = textbook.RISE_ULPS) -> tuple[Tensor, dict]:
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
    ``rise_ulps`` is that margin in units of rounding (0 counts every rise). The iterates
    are those of :func:`sparselib.textbook.iterates`, computed faster.
    """
    problem, single = _setup(x, D, lam, prox, groups, tree, max_iter, tol, L, z0, penalty, "fista")
    chunk_rows = None if chunk_rows is None else check_positive_int(chunk_rows, "chunk_rows", "fista")
    rise_ulps = check_nonneg_scalar(rise_ulps, "rise_ulps", "fista")
    z, info = solve(problem, accelerated=True, restart=bool(restart), chunk_rows=chunk_rows,
                    rise_ulps=rise_ulps, func="fista")
    return (z.squeeze(0) if single else z), info


ista.__doc__ += _DOC_PARAMS
fista.__doc__ += _DOC_PARAMS
