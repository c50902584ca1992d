"""The equations of today's sparse auto-encoders, one function each, with no input checks.

The sibling of :mod:`sparselib.functional` for chapter 6 (interpretability SAEs): the
k-sparse projections (TopK, BatchTopK), the ℓ0 prox and its learned-threshold form JumpReLU
with its straight-through gradients, the geometric median that initialises a decoder bias,
and the gradient projection that keeps decoder atoms on the unit sphere. As in
:mod:`sparselib.functional`, nothing here validates; the models of
:mod:`sparselib.models.sae` check their inputs once and call these.

Shapes: pre-activations ``v`` ``(batch, n_latents)``, thresholds ``theta`` ``(n_latents,)``,
data ``x`` ``(batch, n_features)``, decoder ``W_d`` ``(n_features, n_latents)``.
"""
from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "topk_relu", "batch_topk_relu", "hard_threshold", "l0_prox", "rectangle", "jumprelu",
    "heaviside_step", "smoothed_jumprelu", "smoothed_step", "geometric_median",
    "remove_parallel_grad_", "normalized_squared_error",
]


# ------------------------------------------------------------------ k-sparse projections
def topk_relu(v: Tensor, k: int) -> Tensor:
    """Keep each row's ``k`` largest entries, rectified; zero the rest.

    This is the Euclidean projection onto non-negative codes with at most ``k`` non-zeros
    (Makhzani & Frey's k-sparse auto-encoder keeps the ``k`` largest; Gao et al., 2024, add
    the ReLU). It is not the ReLU of the signed k-sparse projection, which keeps the entries
    largest in absolute value. A row may end with fewer than ``k`` non-zeros. Ties are broken by
    :func:`torch.topk`. The gradient flows through the kept entries only.

    Shape:
        v: ``(batch, n_latents)``; output: as ``v``.
    """
    values, index = torch.topk(v, k, dim=-1)                          # (batch, k)
    return torch.zeros_like(v).scatter(-1, index, torch.relu(values))


def batch_topk_relu(v: Tensor, k: int) -> Tensor:
    """Keep the ``k · batch`` largest entries of the whole batch, rectified (BatchTopK,
    Bussmann et al., 2024): on average ``k`` per row, more for some rows, fewer for others.

    Shape:
        v: ``(batch, n_latents)``; output: as ``v``.
    """
    flat = v.reshape(-1)                                              # (batch · n_latents,)
    values, index = torch.topk(flat, min(k * v.shape[0], flat.numel()))
    return torch.zeros_like(flat).scatter(0, index, torch.relu(values)).reshape(v.shape)


# ------------------------------------------------------------------ the ℓ0 prox and JumpReLU
def hard_threshold(v: Tensor, t) -> Tensor:
    """``v · 1[|v| > t]``: keep an entry whole or not at all (no shrinkage).

    Shape:
        v: ``(*, n_latents)``; t: a float or broadcastable to ``v``; output: as ``v``.
    """
    return v * (v.abs() > t)


def l0_prox(v: Tensor, lam: float) -> Tensor:
    """Prox of ``λ‖·‖₀``: ``argmin_z ½‖z − v‖² + λ‖z‖₀ = v · 1[|v| > √(2λ)]``.

    Keeping ``v_i`` costs ``λ``, dropping it costs ``½ v_i²``: the break-even is
    ``|v_i| = √(2λ)``. JumpReLU is this prox on non-negative codes, with one learned
    threshold per latent instead of ``√(2λ)``.

    Shape:
        v: ``(*, n_latents)``; output: as ``v``.
    """
    return hard_threshold(v, (2.0 * lam) ** 0.5)


def rectangle(u: Tensor) -> Tensor:
    """The rectangle kernel ``K(u) = 1[−½ < u < ½]`` (integral 1), in ``u``'s dtype.

    Shape:
        u: any; output: as ``u``.
    """
    return ((u > -0.5) & (u < 0.5)).to(u.dtype)


def _sum_to(grad: Tensor, like: Tensor) -> Tensor:
    """``grad`` summed over the axes that broadcasting added to ``like``."""
    while grad.ndim > like.ndim:
        grad = grad.sum(0)
    for axis, n in enumerate(like.shape):
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis, keepdim=True)
    return grad


class _JumpReLU(torch.autograd.Function):
    """``v · H(v − θ)``; ``∂/∂v = H(v − θ)``; ``∂/∂θ ≈ −(θ/ε) K((v − θ)/ε)``."""

    @staticmethod
    def forward(ctx, v: Tensor, theta: Tensor, bandwidth: float) -> Tensor:
        ctx.save_for_backward(v, theta)
        ctx.bandwidth = bandwidth
        return v * (v > theta).to(v.dtype)

    @staticmethod
    def backward(ctx, grad: Tensor):
        v, theta = ctx.saved_tensors
        eps = ctx.bandwidth
        grad_v = grad * (v > theta).to(v.dtype)
        grad_theta = -(theta / eps) * rectangle((v - theta) / eps) * grad
        return grad_v, _sum_to(grad_theta, theta), None


class _Step(torch.autograd.Function):
    """``H(v − θ)``; ``∂/∂v = 0``; ``∂/∂θ ≈ −(1/ε) K((v − θ)/ε)``."""

    @staticmethod
    def forward(ctx, v: Tensor, theta: Tensor, bandwidth: float) -> Tensor:
        ctx.save_for_backward(v, theta)
        ctx.bandwidth = bandwidth
        return (v > theta).to(v.dtype)

    @staticmethod
    def backward(ctx, grad: Tensor):
        v, theta = ctx.saved_tensors
        eps = ctx.bandwidth
        grad_theta = -(1.0 / eps) * rectangle((v - theta) / eps) * grad
        return torch.zeros_like(v), _sum_to(grad_theta, theta), None


def jumprelu(v: Tensor, theta: Tensor, bandwidth: float) -> Tensor:
    """JumpReLU ``v · H(v − θ)`` with Rajamanoharan et al.'s (2024) straight-through gradient.

    The forward pass is exact. Backward: ``∂/∂v = H(v − θ)`` (exact away from the jump),
    and the threshold gets the pseudo-derivative ``∂/∂θ ≈ −(θ/ε) K((v − θ)/ε)`` with ``K``
    the :func:`rectangle` kernel and ``ε = bandwidth``: the exact θ-derivative of
    :func:`smoothed_jumprelu`, a kernel estimate of ``−θ δ(v − θ)``.

    Shape:
        v: ``(batch, n_latents)``; theta: ``(n_latents,)`` (or broadcastable); output: as ``v``.
    """
    return _JumpReLU.apply(v, theta, float(bandwidth))


def heaviside_step(v: Tensor, theta: Tensor, bandwidth: float) -> Tensor:
    """The step ``H(v − θ)`` (1 where a latent fires), whose sum is the ℓ0 norm, with the
    straight-through gradient ``∂/∂θ ≈ −(1/ε) K((v − θ)/ε)`` (the θ-derivative of
    :func:`smoothed_step`) and none to ``v``, as in Rajamanoharan et al. (2024).

    Shape:
        v: ``(batch, n_latents)``; theta: ``(n_latents,)`` (or broadcastable); output: as ``v``.
    """
    return _Step.apply(v, theta, float(bandwidth))


def smoothed_step(v: Tensor, theta: Tensor, bandwidth: float) -> Tensor:
    """``H`` replaced by the integral of the rectangle kernel: the ramp
    ``clamp((v − θ)/ε + ½, 0, 1)``, rising over ``|v − θ| < ε/2``.

    Shape:
        v: ``(batch, n_latents)``; theta: broadcastable to ``v``; output: as ``v``.
    """
    return torch.clamp((v - theta) / bandwidth + 0.5, 0.0, 1.0)


def smoothed_jumprelu(v: Tensor, theta: Tensor, bandwidth: float) -> Tensor:
    """The smooth function whose θ-derivative is JumpReLU's pseudo-derivative
    ``−(θ/ε) K((v − θ)/ε)``: ``v`` for ``θ ≤ v − ε/2``, ``0`` for ``θ ≥ v + ε/2``, and
    ``((v + ε/2)² − θ²) / (2ε)`` between.

    Shape:
        v: ``(batch, n_latents)``; theta: broadcastable to ``v``; output: as ``v``.
    """
    half = bandwidth / 2
    t = torch.minimum(torch.maximum(theta, v - half), v + half)      # θ clipped to the window
    return ((v + half) ** 2 - t ** 2) / (2 * bandwidth)


# ------------------------------------------------------------------ decoder bias and atoms
def geometric_median(X: Tensor, n_iter: int = 100, tol: float = 1e-7, eps: float = 1e-12) -> Tensor:
    """The geometric median ``argmin_m Σ_i ‖x_i − m‖`` by Weiszfeld's iterations.

    ``m ← Σ_i w_i x_i / Σ_i w_i`` with ``w_i = 1 / max(‖x_i − m‖, eps)``, from the mean,
    until ``m`` moves less than ``tol · (1 + ‖m‖)`` or after ``n_iter`` steps. At the
    optimum (away from the data points) ``Σ_i (x_i − m)/‖x_i − m‖ = 0``. Computed in
    float64, returned in ``X``'s dtype.

    Shape:
        X: ``(n_samples, n_features)``; output: ``(n_features,)``.
    """
    X64 = X.double()
    m = X64.mean(0)
    for _ in range(n_iter):
        w = 1.0 / (X64 - m).norm(dim=1).clamp_min(eps)                # (n_samples,)
        new = (w[:, None] * X64).sum(0) / w.sum()
        moved = float((new - m).norm())
        m = new
        if moved <= tol * (1.0 + float(m.norm())):
            break
    return m.to(X.dtype)


def remove_parallel_grad_(grad: Tensor, W: Tensor) -> Tensor:
    """Remove from each column of ``grad`` its component along the same column of ``W``
    (unit-norm columns): ``g_i ← g_i − ⟨g_i, w_i⟩ w_i``, in place; returns ``grad``.

    A step along ``w_i`` only changes the atom's norm, which the projection back onto the
    unit sphere undoes; removing it makes the step tangent to the sphere.

    Shape:
        grad, W: ``(n_features, n_latents)``; ``grad`` overwritten.
    """
    return grad.sub_(W * (W * grad).sum(0, keepdim=True))


def normalized_squared_error(e: Tensor, e_hat: Tensor, eps: float = 1e-12) -> Tensor:
    """``‖e − ê‖² / ‖e‖²`` per sample (AuxK's normalised error; 1 for ``ê = 0``).

    Shape:
        e, e_hat: ``(batch, n_features)``; output: ``(batch,)``.
    """
    return (e - e_hat).pow(2).sum(-1) / e.pow(2).sum(-1).clamp_min(eps)
