"""Locally connected auto-encoder: local filters without weight sharing, group-sparse over a map.

The model sees whole images. A ``kernel_size × kernel_size`` window slides over the image
with ``stride``; every window position holds its own ``units × units`` block of code units,
each with its **own** encoder and decoder filter over that window (no weight sharing, unlike
a convolution). The blocks are laid side by side into one 2-D map of units of shape
``(rows · units, cols · units)``, so map neighbours are neighbouring units of one position or
units of neighbouring positions.

- encoder: ``z_a = shrink(⟨W_e[a], window(a)⟩, θ_a)`` (soft threshold, learned ``θ ≥ 0``);
- decoder: every unit adds ``z_a · W_d[a]`` to its window (``x_hat`` = the sum, an
  overlap-add), with unit-norm ``W_d[a]``;
- penalty: ``λ Σ_g sqrt(eps + Σ_{a∈g} z_a²)`` over overlapping ``size × size`` windows of
  the map (a sheet: the windows that fit inside it, :func:`sparselib.groups.map_groups`), as
  in the topographic model.

The group penalty is cheapest when the active units of an image are map neighbours, so
neighbouring units learn similar filters and the preferred orientation varies smoothly over
the map, with pinwheels where it turns through 180° (Hyvärinen et al., 2001; Le et al., 2012).

Shapes: ``x: (batch, channels, H, W)``, ``z: (batch, n_atoms)`` with ``n_atoms =
map_rows · map_cols`` numbered row-major on the map, ``W_e, W_d: (n_atoms, channels · k²)``.

Here: the model. Re-exported from their homes: the groupings ``map_groups`` and
``blurred_map_groups`` (:mod:`sparselib.groups`) and the training schedule
``fit_orientation_map`` (:mod:`sparselib.models.shrinking_pools`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._validation import (fail, check_at_most, check_nonneg_scalar,
                           check_positive_int, check_shape, check_tensor, tensor_from_config)
from .. import functional as sf
from ..analysis import filter_orientation, map_smoothness, pinwheels
from ..groups import blurred_map_groups, map_groups
from .shrinking_pools import fit_orientation_map

__all__ = ["LocallyConnectedAutoencoder", "LocallyConnectedOutput",
           # re-exported from sparselib.groups and sparselib.models.shrinking_pools:
           "map_groups", "blurred_map_groups", "fit_orientation_map"]

_NAME = "LocallyConnectedAutoencoder"


@dataclass
class LocallyConnectedOutput:
    z: Tensor      # (batch, n_atoms) code, row-major over the map
    x_hat: Tensor  # (batch, channels, H, W) reconstruction


class LocallyConnectedAutoencoder(nn.Module):
    """Group-sparse auto-encoder of whole images with untied local filters.

    Parameters
    ----------
    image_shape : (H, W)
        Size of the input images; ``kernel_size`` must fit and ``(H − kernel_size)`` and
        ``(W − kernel_size)`` must be multiples of ``stride``.
    kernel_size : int, default 8
        Width of every unit's window (its receptive field).
    stride : int, default 1
        Step between neighbouring window positions.
    units : int, default 1
        Each position holds a ``units × units`` block of units (its own filters).
    size : int, default 3
        Width of the overlapping group windows on the map of units.
    groups : Tensor of shape (n_groups, n_atoms), or the same as a nested list, optional
        A grouping replacing the default ``map_groups(map_rows, map_cols, size)``. The nested
        list is the JSON form :meth:`config` writes.
    in_channels : int, default 1
    lam : float, default 0.1
        Weight of the group penalty.
    eps : float, default 1e-4
        Smoothing inside the group square roots.

    Attributes
    ----------
    W_e, W_d : Parameters of shape (n_atoms, in_channels · k²); ``W_d`` rows of unit norm.
    theta : Parameter of shape (n_atoms,), thresholds ≥ 0.
    G : buffer of shape (n_groups, n_atoms).
    map_shape : (map_rows, map_cols) = (rows · units, cols · units).

    Examples
    --------
    >>> import torch
    >>> model = LocallyConnectedAutoencoder((12, 12), kernel_size=6, stride=2, units=2)
    >>> out = model(torch.randn(3, 1, 12, 12))
    >>> model.map_shape, out.z.shape, out.x_hat.shape
    ((8, 8), torch.Size([3, 64]), torch.Size([3, 1, 12, 12]))
    """

    def __init__(self, image_shape: Sequence[int], kernel_size: int = 8, *, stride: int = 1,
                 units: int = 1, size: int = 3, groups: Optional[Tensor] = None,
                 in_channels: int = 1, lam: float = 0.1, eps: float = 1e-4) -> None:
        super().__init__()
        self.kernel_size = k = check_positive_int(kernel_size, "kernel_size", _NAME)
        self.stride = s = check_positive_int(stride, "stride", _NAME)
        self.units = u = check_positive_int(units, "units", _NAME)
        self.in_channels = check_positive_int(in_channels, "in_channels", _NAME)
        self.lam = check_nonneg_scalar(lam, "lam", _NAME)
        self.eps = check_nonneg_scalar(eps, "eps", _NAME)
        try:
            H, W = (int(v) for v in image_shape)
        except (TypeError, ValueError):
            fail(ValueError, "image_shape", _NAME, "be a pair (H, W)", repr(image_shape))
        if min(H, W) < k or (H - k) % s or (W - k) % s:
            fail(ValueError, "image_shape", _NAME,
                 f"fit the filters: H and W >= kernel_size={k}, and H - kernel_size, W - kernel_size "
                 f"multiples of stride={s}", str(tuple(image_shape)))
        self.image_shape = (H, W)
        self.rows, self.cols = (H - k) // s + 1, (W - k) // s + 1
        self.map_shape = (self.rows * u, self.cols * u)
        n_atoms = self.map_shape[0] * self.map_shape[1]
        if groups is None:
            self.size = check_positive_int(size, "size", _NAME)
            check_at_most(size, "size", _NAME, min(self.map_shape), "the map's smaller side")
            groups = map_groups(*self.map_shape, size)
        else:
            self.size = None
            groups = tensor_from_config(groups, "groups", _NAME)
            check_shape(groups, "groups", _NAME, ("n_groups", n_atoms),
                        f"to match the code size (map {self.map_shape})")
            if bool((groups < 0).any()):
                fail(ValueError, "groups", _NAME, "be non-negative", "negative entries")
        self.register_buffer("G", groups.detach().float().clone())
        # position (row-major window index) of every map unit
        mr, mc = torch.meshgrid(torch.arange(self.map_shape[0]), torch.arange(self.map_shape[1]),
                                indexing="ij")
        position = ((mr // u) * self.cols + mc // u).flatten()                   # (n_atoms,)
        self.register_buffer("position", position)
        self.register_buffer("assign", F.one_hot(position, self.rows * self.cols).float())
        n_pix = self.in_channels * k * k
        W = F.normalize(torch.randn(n_atoms, n_pix), dim=1)
        self.W_d = nn.Parameter(W.clone())                          # (n_atoms, C*k*k)
        self.W_e = nn.Parameter(W.clone())
        self.theta = nn.Parameter(torch.full((n_atoms,), 0.1 * self.lam))

    @property
    def n_atoms(self) -> int:
        return self.W_d.shape[0]

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable.

        With the default grouping, ``size`` stands for it (``groups=None``); the blurred
        groups of :meth:`set_pool_blur_`, a buffer of the same shape, come back with
        ``load_state_dict``. Custom ``groups`` are written as a nested list of their weights.
        """
        return dict(image_shape=list(self.image_shape), kernel_size=self.kernel_size,
                    stride=self.stride, units=self.units, size=self.size,
                    groups=None if self.size is not None else self.G.tolist(),
                    in_channels=self.in_channels, lam=self.lam, eps=self.eps)

    def extra_repr(self) -> str:
        return (f"image_shape={self.image_shape}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, units={self.units}, map_shape={self.map_shape}, "
                f"n_groups={self.G.shape[0]}, lam={self.lam:g}")

    def _check_x(self, x: Tensor, func: str) -> Tensor:
        where = f"{_NAME}.{func}"
        x = check_tensor(x, "x", where, ndim=4)
        want = (self.in_channels, *self.image_shape)
        check_shape(x, "x", where, ("batch", *want), "(image_shape fixed at construction)")
        return x.to(self.W_d.dtype)

    def _windows(self, x: Tensor) -> Tensor:
        """Each unit's window, shape ``(batch, n_atoms, C·k²)``."""
        cols = F.unfold(x, self.kernel_size, stride=self.stride)   # (batch, C*k*k, L)
        return cols[:, :, self.position].transpose(1, 2)

    def _encode(self, x: Tensor) -> Tensor:
        u = (self._windows(x) * self.W_e).sum(-1)                  # (batch, n_atoms)
        return sf.soft_threshold(u, self.theta)

    def encode(self, x: Tensor) -> Tensor:
        """Code, shape ``(batch, n_atoms)`` (row-major over :attr:`map_shape`)."""
        return self._encode(self._check_x(x, "encode"))

    def decode(self, z: Tensor) -> Tensor:
        """Overlap-add of ``z_a · W_d[a]`` into each unit's window, ``(batch, C, H, W)``."""
        parts = z[:, :, None] * self.W_d                            # (batch, n_atoms, C*k*k)
        cols = parts.transpose(1, 2) @ self.assign                  # (batch, C*k*k, L)
        return F.fold(cols, self.image_shape, self.kernel_size, stride=self.stride)

    def forward(self, x: Tensor) -> LocallyConnectedOutput:
        z = self._encode(self._check_x(x, "forward"))
        return LocallyConnectedOutput(z=z, x_hat=self.decode(z))

    def penalty(self, z: Tensor) -> Tensor:
        """``Σ_g sqrt(eps + Σ_i G[g, i] z_i²)``, shape ``(batch,)``."""
        return sf.group_norms(z, self.G.to(z.dtype), self.eps).sum(-1)

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict[str, float]]:
        """``½‖x − x_hat‖² + λ·penalty(z)`` per image, batch mean (``y`` ignored)."""
        x = self._check_x(x, "loss")
        z = self._encode(x)
        recon = sf.half_squared_error(x, self.decode(z)).mean()
        penalty = self.penalty(z).mean()
        total = recon + self.lam * penalty
        return total, {"reconstruction": recon.item(), "penalty": penalty.item(),
                       "sparsity": (z != 0).float().mean().item()}

    @torch.no_grad()
    def init_from_topographic_(self, model: nn.Module) -> "LocallyConnectedAutoencoder":
        """Start every unit from a trained topographic map's filter at the same map place.

        Map unit ``(R, C)`` gets copies of the decoder filter, encoder filter and threshold of
        unit ``(R mod side, C mod side)`` of ``model`` (a trained
        :class:`~sparselib.models.topographic.TopographicAutoencoder` with a signed feed-forward
        encoder, ``k × k`` patches and ``in_channels = 1``; the torus wraps, so any map size
        works, and ``side ≥ map`` lays the topographic map over the whole map of units). The
        copies are independent parameters: training afterwards is fully untied (no weight
        sharing), it only starts from a map in which neighbouring units are already similar.
        This is the usual "initialise from a patch-level model" trick. From a random start,
        :func:`fit_orientation_map` (shrinking pools) gives maps with pinwheels that are far
        smoother than noise but rougher than this start keeps.

        Returns ``self`` (in place).
        """
        where = f"{_NAME}.init_from_topographic_"
        side, patch = getattr(model, "side", None), getattr(model, "patch_shape", None)
        k = self.kernel_size
        if (side is None or patch is None or not hasattr(model, "W_e")
                or not hasattr(model, "theta") or getattr(model, "nonneg", False)
                or tuple(patch) != (k, k)
                or self.in_channels != 1):
            fail(ValueError, "model", where,
                 f"be a TopographicAutoencoder with a signed feed-forward encoder and {k}x{k} patches "
                 f"(and this model must have in_channels=1)", f"{type(model).__name__} with patch_shape={patch}")
        mr, mc = torch.meshgrid(torch.arange(self.map_shape[0]),
                                torch.arange(self.map_shape[1]), indexing="ij")
        src = ((mr % side) * side + mc % side).flatten().to(model.W_d.device)   # (n_atoms,)
        dev, dt = self.W_d.device, self.W_d.dtype
        self.W_d.copy_(model.W_d.detach().T[src].to(dev, dt))     # (n_atoms, k*k)
        self.W_e.copy_(model.W_e.detach()[src].to(dev, dt))
        self.theta.copy_(model.theta.detach()[src].to(dev, dt))
        self.project_()
        return self

    @torch.no_grad()
    def set_pool_blur_(self, sigma: float) -> "LocallyConnectedAutoencoder":
        """Replace the groups by :func:`blurred_map_groups` with blur ``sigma`` (0: the box
        windows). Only for the default grouping (``size`` given, no custom ``groups``)."""
        if self.size is None:
            raise ValueError(f"{_NAME}.set_pool_blur_ needs the default map groups; this model "
                             f"was built with custom 'groups'.")
        G = blurred_map_groups(*self.map_shape, self.size, sigma)
        self.G.copy_(G.to(self.G.device, self.G.dtype))
        return self

    @torch.no_grad()
    def project_(self) -> None:
        """Unit-norm decoder filters; non-negative thresholds."""
        sf.normalize_columns_(self.W_d.T)                     # the filters are W_d's rows
        self.theta.clamp_(min=0)

    def filters(self) -> Tensor:
        """Decoder filters on the map, shape ``(map_rows, map_cols, C, k, k)``."""
        k = self.kernel_size
        return self.W_d.detach().reshape(*self.map_shape, self.in_channels, k, k)

    def orientation_map(self) -> Tensor:
        """Preferred orientation of every unit, shape ``map_shape``, radians in ``[0, π)``."""
        k = self.kernel_size
        f = self.W_d.detach().reshape(self.n_atoms, self.in_channels, k * k).sum(1)
        theta, _ = filter_orientation(f, (k, k), pad=max(16, k))
        return theta.reshape(self.map_shape)

    def smoothness(self) -> tuple[float, float]:
        """:func:`map_smoothness` of :meth:`orientation_map` (a sheet, no wrap-around)."""
        return map_smoothness(self.orientation_map(), torus=False)

    def pinwheels(self) -> Tensor:
        """:func:`pinwheels` of :meth:`orientation_map`, shape ``(n_pinwheels, 3)``."""
        return pinwheels(self.orientation_map(), torus=False)
