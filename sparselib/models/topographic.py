"""Topographic maps: group sparsity over overlapping neighbourhoods of a 2-D map of units.

The code units sit on a ``side × side`` torus. Every ``size × size`` window of the torus is a
group (:func:`~sparselib.groups.torus_groups`), so every unit belongs to ``size²``
overlapping groups and the penalty ``λ Σ_g sqrt(eps + Σ_{i∈g} z_i²)`` is cheapest when the
active units of a sample are neighbours on the map. Trained on whitened natural-image
patches the decoder columns become edge detectors whose orientation varies smoothly across
the map (Hyvärinen et al., 2001; Kavukcuoglu et al., 2009).

The orientation tools used for maps (each filter's orientation read from its power
spectrum; a map is *smooth* when neighbours differ in orientation much less than random
pairs of units do; pinwheels and their null baselines) are measurements: they live in
:mod:`sparselib.analysis.orientation` and are re-exported here.
"""
from __future__ import annotations

import math

from torch import Tensor

from .._validation import fail, check_at_most, check_nonneg_scalar, check_positive_int
# Orientation measurements: they live in sparselib.analysis.orientation now, re-exported here.
from ..analysis import (filter_orientation, map_smoothness, matched_wavelength,
                        orientation_difference, pinwheel_null, pinwheels,
                        random_orientation_maps, smoothness_ratio)
from ..groups import torus_groups
from .autoencoders import GroupSparseAutoencoder

__all__ = ["TopographicAutoencoder",
           # now in sparselib.analysis (re-exported):
           "filter_orientation", "orientation_difference", "map_smoothness", "smoothness_ratio",
           "pinwheels", "random_orientation_maps", "matched_wavelength", "pinwheel_null"]


class TopographicAutoencoder(GroupSparseAutoencoder):
    """Group-sparse auto-encoder whose groups are overlapping windows of a torus of units.

    Parameters
    ----------
    n_features : int
        Pixels per patch (a square patch: ``n_features = p²``).
    side : int
        The map has ``side × side`` units (``n_atoms = side²``), numbered row-major.
    size : int, default 3
        Neighbourhood (group) width on the torus.
    lam : float, default 0.1
    eps : float, default 1e-4
        Smoothing of the group norms (the penalty is used by gradient training).
    encoder : {"feedforward", "lista"}, default "feedforward"
        Overlapping groups have no closed-form prox, so no FISTA inference.
    **kwargs
        Passed to :class:`GroupSparseAutoencoder` (``n_layers``, ``nonneg``).

    Attributes
    ----------
    W_d : Parameter of shape (n_features, side²); W_e, theta (feed-forward encoder);
    G : buffer of shape (side², side²), ``torus_groups(side, size)``.

    Shape:
        x: ``(batch, n_features)``; z: ``(batch, side²)``; maps: ``(side, side)``.

    Examples
    --------
    >>> import torch
    >>> model = TopographicAutoencoder(64, side=6, size=3)
    >>> model(torch.randn(5, 64)).z.shape, model.orientation_map().shape
    (torch.Size([5, 36]), torch.Size([6, 6]))
    """

    _name = "TopographicAutoencoder"

    def __init__(self, n_features: int, side: int, *, size: int = 3, lam: float = 0.1,
                 eps: float = 1e-4, encoder: str = "feedforward", **kwargs) -> None:
        side = check_positive_int(side, "side", self._name, minimum=2)
        size = check_positive_int(size, "size", self._name)
        check_at_most(size, "size", self._name, side, "side")
        if encoder == "fista":
            fail(ValueError, "encoder", self._name,
                 "be 'feedforward' or 'lista' (overlapping torus groups have no closed-form prox)",
                 "'fista'")
        p = math.isqrt(check_positive_int(n_features, "n_features", self._name))
        if p * p != n_features:
            fail(ValueError, "n_features", self._name, "be the pixel count of a square patch (p*p)",
                 repr(n_features))
        super().__init__(n_features, side * side, torus_groups(side, size), lam=lam,
                         eps=check_nonneg_scalar(eps, "eps", self._name), encoder=encoder,
                         **kwargs)
        self.side, self.size, self.patch_shape = side, size, (p, p)

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable: the torus groups are given by ``side``
        and ``size`` (the grouping is rebuilt, not written out)."""
        return dict(n_features=self.n_features, side=self.side, size=self.size, lam=self.lam,
                    eps=self.eps, encoder=self.encoder, n_layers=self.n_layers,
                    nonneg=self.nonneg, fista_iter=self.fista_iter)

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, side={self.side}, size={self.size}"

    def filters(self) -> Tensor:
        """Decoder columns as images on the map, shape ``(side, side, p, p)``."""
        p = self.patch_shape[0]
        return self.W_d.detach().T.reshape(self.side, self.side, p, p)  # (side², p²) -> map

    def orientation_map(self) -> Tensor:
        """Orientation of every decoder filter, shape ``(side, side)``, radians in ``[0, π)``."""
        theta, _ = filter_orientation(self.W_d.detach().T, self.patch_shape)  # (side²,)
        return theta.reshape(self.side, self.side)

    def smoothness(self) -> tuple[float, float]:
        """:func:`map_smoothness` of :meth:`orientation_map` on the torus."""
        return map_smoothness(self.orientation_map(), torus=True)
