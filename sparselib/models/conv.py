"""Convolutional group-sparse auto-encoders, stacked into a feature extractor.

One layer (the lecture's "stacked convolutional auto-encoders with group sparsity"): the
pooled group-sparsity penalty of Kavukcuoglu et al. (2009, learned invariant features
through topographic filter maps) applied to a convolutional auto-encoder; Kavukcuoglu et
al. (2010) train convolutional PSD with an L1 penalty instead.

- encoder: ``z_i = g_i · ReLU(W_{e,i} * x − b_i)``, a convolution, a subtracted threshold
  ``b_i`` (the convolution's bias is ``−b``), a ReLU and a learned, non-negative gain ``g_i``
  per feature map ``i``. For ``g_i > 0`` the gain is redundant (``g·ReLU(u) = ReLU(g·u)``):
  it reparameterises the map, a scale apart from the filter's direction, as PSD's
  ``g·tanh`` encoder did (where, tanh saturating, it is not redundant);
- decoder: ``x_hat = Σ_i W_{d,i} ⋆ z_i``, a transposed convolution with a unit-norm filter
  per map (the linear decoder of sparse coding, applied at every position);
- penalty: L2 pooling. Feature maps are cut into groups of ``group_size`` consecutive maps,
  and a pool is a group × a ``pool × pool`` window of positions (stride ``pool_stride``):
  ``Ω(z) = Σ_pools sqrt(eps + Σ_{i, u ∈ pool} z_{i,u}²)``.

The pooled values ``sqrt(Σ z²)`` over every pool are the layer's output: invariant to
small shifts and to which map of a group responds. Stacking trains a second layer on the
first one's pooled output; :class:`StackedConvEncoder` keeps the encoders and poolings (the
decoders are dropped) as a multi-layer feature extractor.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .. import functional as sf
from .._validation import (fail, check_divides, check_nonneg_scalar, check_positive_int,
                           check_shape, check_tensor)

__all__ = ["ConvOutput", "ConvGroupSparseAutoencoder", "StackedConvEncoder"]

_NAME = "ConvGroupSparseAutoencoder"


@dataclass
class ConvOutput:
    z: Tensor       # (batch, n_maps, H_z, W_z) feature maps
    x_hat: Tensor   # (batch, in_channels, H, W) reconstruction
    pooled: Tensor  # (batch, n_maps // group_size, H_p, W_p) L2-pooled output


class ConvGroupSparseAutoencoder(nn.Module):
    """Convolutional auto-encoder with L2-pooled group sparsity.

    Parameters
    ----------
    in_channels : int
    n_maps : int
        Number of feature maps (filters).
    kernel_size : int, default 3
    group_size : int, default 2
        Consecutive maps pooled together; must divide ``n_maps``.
    pool : int, default 2
        Width of the pooling window over positions.
    pool_stride : int, optional
        Default ``pool`` (non-overlapping pools).
    padding : int, default 0
        Zero padding of the encoder convolution (and cropping of the decoder's).
    lam : float, default 0.1
        Weight of the pooled penalty.
    eps : float, default 1e-6
        Smoothing inside the pooled square roots.
    scale_init : float, default 0.1
        Initial value of every per-map gain ``g``. Small on purpose: with ``n_maps`` random
        filters half-active at every position, ``g = 1`` makes the first reconstructions
        many times too large, the reconstruction gradient then drives every threshold ``b``
        up and most maps die (a ReLU that is never active never recovers). With 16
        maps on the digits, ``g = 1`` left about 10 of 16 maps dead; ``0.1`` leaves none.

    Attributes
    ----------
    W_e : Parameter of shape (n_maps, in_channels, k, k).
    b : Parameter of shape (n_maps,), the thresholds subtracted before the ReLU (the
        convolution's bias is ``−b``).
    g : Parameter of shape (n_maps,) ≥ 0, the gains.
    W_d : Parameter of shape (n_maps, in_channels, k, k), each map's filter of unit norm.

    Shape:
        x: ``(batch, in_channels, H, W)``; z: ``(batch, n_maps, H + 2·padding − k + 1, ...)``;
        pooled: ``(batch, n_maps // group_size, ⌊(H_z − pool)/pool_stride⌋ + 1, ...)``.

    Examples
    --------
    >>> import torch
    >>> model = ConvGroupSparseAutoencoder(1, 8, 3, padding=1)
    >>> out = model(torch.rand(2, 1, 8, 8))
    >>> out.z.shape, out.x_hat.shape, out.pooled.shape
    (torch.Size([2, 8, 8, 8]), torch.Size([2, 1, 8, 8]), torch.Size([2, 4, 4, 4]))
    """

    def __init__(self, in_channels: int, n_maps: int, kernel_size: int = 3, *,
                 group_size: int = 2, pool: int = 2, pool_stride: Optional[int] = None,
                 padding: int = 0, lam: float = 0.1, eps: float = 1e-6,
                 scale_init: float = 0.1) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels", _NAME)
        self.n_maps = check_positive_int(n_maps, "n_maps", _NAME)
        self.kernel_size = k = check_positive_int(kernel_size, "kernel_size", _NAME)
        self.group_size = check_positive_int(group_size, "group_size", _NAME)
        check_divides(group_size, "group_size", _NAME, n_maps, "n_maps")
        self.pool = check_positive_int(pool, "pool", _NAME)
        self.pool_stride = check_positive_int(pool if pool_stride is None else pool_stride,
                                              "pool_stride", _NAME)
        self.padding = check_positive_int(padding, "padding", _NAME, minimum=0)
        if padding >= k:
            fail(ValueError, "padding", _NAME, f"be less than kernel_size={k}", repr(padding))
        self.lam = check_nonneg_scalar(lam, "lam", _NAME)
        self.eps = check_nonneg_scalar(eps, "eps", _NAME)
        self.scale_init = scale_init = check_nonneg_scalar(scale_init, "scale_init", _NAME)
        fan_in = in_channels * k * k
        W = torch.randn(n_maps, in_channels, k, k) / math.sqrt(fan_in)
        self.W_e = nn.Parameter(W)                                  # (n_maps, C, k, k)
        self.b = nn.Parameter(torch.zeros(n_maps))
        self.g = nn.Parameter(torch.full((n_maps,), scale_init))
        self.W_d = nn.Parameter(W / W.flatten(1).norm(dim=1)[:, None, None, None])

    @property
    def n_groups(self) -> int:
        return self.n_maps // self.group_size

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable (``scale_init`` is the gains' starting
        value; trained gains come back with ``load_state_dict``)."""
        return dict(in_channels=self.in_channels, n_maps=self.n_maps, kernel_size=self.kernel_size,
                    group_size=self.group_size, pool=self.pool, pool_stride=self.pool_stride,
                    padding=self.padding, lam=self.lam, eps=self.eps, scale_init=self.scale_init)

    def extra_repr(self) -> str:
        return (f"in_channels={self.in_channels}, n_maps={self.n_maps}, "
                f"kernel_size={self.kernel_size}, group_size={self.group_size}, pool={self.pool}, "
                f"pool_stride={self.pool_stride}, padding={self.padding}, lam={self.lam:g}")

    def output_shape(self, H: int, W: int) -> tuple[int, int, int]:
        """Shape ``(channels, H_p, W_p)`` of the pooled output for ``H × W`` inputs."""
        hz, wz = (s + 2 * self.padding - self.kernel_size + 1 for s in (H, W))
        hp, wp = ((s - self.pool) // self.pool_stride + 1 for s in (hz, wz))
        return self.n_groups, hp, wp

    def _check_x(self, x: Tensor, func: str) -> Tensor:
        where = f"{_NAME}.{func}"
        x = check_tensor(x, "x", where, ndim=4)
        check_shape(x, "x", where, ("batch", self.in_channels, "H", "W"),
                    lead=f"have {self.in_channels} channels, shape")
        need = self.kernel_size - 2 * self.padding + self.pool - 1
        if min(x.shape[2:]) < need:
            fail(ValueError, "x", where, f"have H and W >= {need} so that kernel_size={self.kernel_size} "
                 f"(padding={self.padding}) and pool={self.pool} fit", f"shape {tuple(x.shape)}")
        return x.to(self.W_e.dtype)

    def _encode(self, x: Tensor) -> Tensor:
        return sf.conv_encode(x, self.W_e, self.b, self.g, self.padding)  # (batch, n_maps, H_z, W_z)

    def encode(self, x: Tensor) -> Tensor:
        """Feature maps, shape ``(batch, n_maps, H_z, W_z)``."""
        return self._encode(self._check_x(x, "encode"))

    def decode(self, z: Tensor) -> Tensor:
        """Transposed convolution with ``W_d``, shape ``(batch, in_channels, H, W)``."""
        return F.conv_transpose2d(z, self.W_d, padding=self.padding)

    def pool_energy(self, z: Tensor) -> Tensor:
        """``Σ z²`` over every pool, shape ``(batch, n_groups, H_p, W_p)``."""
        return sf.pool_energy(z, self.group_size, self.pool, self.pool_stride)

    def pooled(self, z: Tensor) -> Tensor:
        """L2-pooled output ``sqrt(eps + Σ_pool z²)``, shape ``(batch, n_groups, H_p, W_p)``."""
        return sf.l2_pool(z, self.group_size, self.pool, self.pool_stride, self.eps)

    def forward(self, x: Tensor) -> ConvOutput:
        return self._forward(self._check_x(x, "forward"))

    def _forward(self, x: Tensor) -> ConvOutput:
        z = self._encode(x)
        return ConvOutput(z=z, x_hat=self.decode(z), pooled=self.pooled(z))

    def loss(self, x: Tensor, y: Optional[Tensor] = None) -> tuple[Tensor, dict[str, float]]:
        """``½‖x − x_hat‖² + λ·Σ_pools sqrt(eps + Σ z²)`` per image, batch mean (``y`` ignored)."""
        x = self._check_x(x, "loss")
        out = self._forward(x)
        recon = sf.half_squared_error(x, out.x_hat).mean()
        penalty = out.pooled.flatten(1).sum(1).mean()
        total = recon + self.lam * penalty
        return total, {"reconstruction": recon.item(), "penalty": penalty.item(),
                       "sparsity": (out.z != 0).float().mean().item()}

    @torch.no_grad()
    def project_(self) -> None:
        """Unit-norm decoder filters per map; non-negative gains ``g``."""
        self.W_d.div_(self.W_d.flatten(1).norm(dim=1).clamp_min(1e-12)[:, None, None, None])
        self.g.clamp_(min=0)

    def next_layer(self, n_maps: int, kernel_size: int = 3, **kwargs) -> "ConvGroupSparseAutoencoder":
        """A fresh layer that takes this one's pooled output (``n_groups`` channels) as input."""
        return ConvGroupSparseAutoencoder(self.n_groups, n_maps, kernel_size, **kwargs)


class StackedConvEncoder(nn.Module):
    """The encoders and poolings of trained layers, decoders dropped: a feature extractor.

    Parameters
    ----------
    layers : sequence of ConvGroupSparseAutoencoder (or of their ``config()`` dicts)
        Layer ``l + 1`` takes layer ``l``'s pooled output (``in_channels`` must match). A
        dict builds a fresh layer ``ConvGroupSparseAutoencoder(**dict)`` (the form
        :meth:`config` writes; the weights come back with ``load_state_dict``).

    Shape:
        x: ``(batch, C, H, W)``; output: ``(batch, n_features_out)``, the last pooled maps
        flattened (or ``(batch, C_L, H_L, W_L)`` with ``flatten=False``).
    """

    def __init__(self, layers: Sequence[ConvGroupSparseAutoencoder]) -> None:
        super().__init__()
        layers = [ConvGroupSparseAutoencoder(**m) if isinstance(m, Mapping) else m for m in layers]
        if not layers or not all(isinstance(m, ConvGroupSparseAutoencoder) for m in layers):
            fail(TypeError, "layers", "StackedConvEncoder",
                 "be a non-empty sequence of ConvGroupSparseAutoencoder",
                 str([type(m).__name__ for m in layers]))
        for i, (a, b) in enumerate(zip(layers, layers[1:])):
            if b.in_channels != a.n_groups:
                fail(ValueError, "layers", "StackedConvEncoder",
                     f"chain: layer {i + 1} needs in_channels={a.n_groups} (layer {i}'s pooled channels)",
                     str(b.in_channels))
        self.layers = nn.ModuleList(layers)

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable: every layer's :meth:`config`."""
        return {"layers": [layer.config() for layer in self.layers]}

    def forward(self, x: Tensor, *, flatten: bool = True) -> Tensor:
        for layer in self.layers:
            x = layer.pooled(layer.encode(x))          # (batch, n_groups, H_p, W_p)
        return x.flatten(1) if flatten else x

    @torch.no_grad()
    def features(self, x: Tensor, batch_size: int = 512) -> Tensor:
        """:meth:`forward` in batches without gradients, shape ``(batch, n_features_out)``."""
        return torch.cat([self(x[i:i + batch_size]) for i in range(0, len(x), batch_size)])
