"""Orientation maps: the preferred orientation of filters and how smoothly it varies on a map.

Used for the maps of topographic and locally connected models (chapter 3): each filter's
orientation is read from its power spectrum (:func:`filter_orientation`), and a map is
*smooth* when neighbours differ in orientation much less than random pairs of units do
(:func:`map_smoothness`, :func:`smoothness_ratio`). Pinwheels are the points around which
the orientation turns through 180° (:func:`pinwheels`); random maps of a given smoothness
(:func:`random_orientation_maps`, :func:`matched_wavelength`) give the null baselines of
their count (:func:`pinwheel_null`).

Shapes: filters ``(n_filters, H*W)`` or ``(n_filters, H, W)``; orientation maps
``(rows, cols)`` in radians modulo π.
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import Tensor

from .._validation import fail, check_nonneg_scalar, check_positive_int, check_tensor

__all__ = ["filter_orientation", "orientation_difference", "map_smoothness", "smoothness_ratio",
           "pinwheels", "random_orientation_maps", "matched_wavelength", "pinwheel_null"]


def filter_orientation(filters: Tensor, image_shape: Sequence[int], *, pad: int = 16
                       ) -> tuple[Tensor, Tensor]:
    """Preferred orientation of each filter, from its power spectrum.

    The spectrum ``P(k)`` (zero-padded to ``pad × pad``, DC removed) votes for the doubled
    angle of every frequency ``k``: ``θ = ½ arg Σ_k P(k) e^{2i∠k} + π/2``. The ``+ π/2`` turns
    the direction of the dominant wave vector into the direction of the edge (the stripes).

    Parameters
    ----------
    filters : Tensor of shape (n_filters, H*W) or (n_filters, H, W)
    image_shape : (H, W)
    pad : int, default 16
        FFT size (at least H and W); more padding gives a finer frequency grid.

    Returns
    -------
    theta : Tensor of shape (n_filters,)
        Orientation in ``[0, π)``, measured from the horizontal axis, anticlockwise with rows
        going down (image convention).
    selectivity : Tensor of shape (n_filters,)
        ``|Σ P e^{2i∠k}| / Σ P`` in ``[0, 1]``: 1 for a pure grating, 0 for an isotropic blob.
    """
    filters = check_tensor(filters, "filters", "filter_orientation", ndim=(2, 3)).detach()
    h, w = (int(s) for s in image_shape)
    pad = check_positive_int(pad, "pad", "filter_orientation")
    if filters[0].numel() != h * w or pad < max(h, w):
        fail(ValueError, "image_shape", "filter_orientation",
             f"match the filters' {filters[0].numel()} pixels, with pad >= H, W",
             f"{tuple(image_shape)} and pad={pad}")
    f = filters.reshape(-1, h, w).double()
    f = f - f.mean((1, 2), keepdim=True)
    power = torch.fft.fft2(f, s=(pad, pad)).abs() ** 2           # (n, pad, pad)
    k = torch.fft.fftfreq(pad, dtype=torch.float64)
    ky, kx = torch.meshgrid(k, k, indexing="ij")                 # rows: y down, columns: x
    angle = torch.atan2(-ky, kx)                                 # y up, like a plot
    vote = torch.polar(torch.ones_like(angle), 2 * angle)        # e^{2i∠k}, (pad, pad)
    vote[0, 0] = 0
    resultant = (power * vote).sum((1, 2))                        # (n,)
    total = (power.sum((1, 2)) - power[:, 0, 0]).clamp_min(1e-30)
    theta = (0.5 * torch.angle(resultant) + math.pi / 2) % math.pi
    return theta.to(filters.dtype), (resultant.abs() / total).to(filters.dtype)


def orientation_difference(a: Tensor, b: Tensor) -> Tensor:
    """Smallest angle between orientations (defined modulo π), in ``[0, π/2]``."""
    d = (a - b).abs() % math.pi
    return torch.minimum(d, math.pi - d)


def map_smoothness(theta: Tensor, *, torus: bool = True, n_random: int = 20000, seed: int = 0
                   ) -> tuple[float, float]:
    """Mean orientation difference between map neighbours and between random pairs.

    Parameters
    ----------
    theta : Tensor of shape (rows, cols)
        Orientation map in radians (modulo π).
    torus : bool, default True
        Neighbours wrap around the edges (a topographic map's torus); False for a sheet.
    n_random : int, default 20000
        Random pairs of distinct units.
    seed : int, default 0

    Returns
    -------
    (neighbour_mean, random_mean) : tuple of float, radians. A smooth map has
    ``neighbour_mean`` well below ``random_mean`` (which is about π/4 for uniform orientations).
    """
    theta = check_tensor(theta, "theta", "map_smoothness", ndim=2).detach().double()
    if torus:
        pairs = [(theta, theta.roll(-1, 0)), (theta, theta.roll(-1, 1))]
    else:
        pairs = [(theta[:-1], theta[1:]), (theta[:, :-1], theta[:, 1:])]   # down, right
    neighbour = torch.cat([orientation_difference(a, b).flatten() for a, b in pairs])
    flat = theta.flatten()
    gen = torch.Generator().manual_seed(seed)
    i = torch.randint(len(flat), (n_random,), generator=gen)
    j = (i + torch.randint(1, len(flat), (n_random,), generator=gen)) % len(flat)  # j != i
    return float(neighbour.mean()), float(orientation_difference(flat[i], flat[j]).mean())


def pinwheels(theta: Tensor, *, torus: bool = False) -> Tensor:
    """Orientation singularities: 2×2 loops around which the orientation turns through ±180°.

    Going round each elementary square of the map (four neighbouring units), the orientation
    steps (wrapped to ``(−π/2, π/2]``) add up to 0 or ±π; a total of ±π is a pinwheel centre.

    Parameters
    ----------
    theta : Tensor of shape (rows, cols), radians modulo π.
    torus : bool, default False
        Also test the squares that wrap around the edges.

    Returns
    -------
    Tensor of shape (n_pinwheels, 3)
        ``(row, col, sign)``: the square's centre (``row + 0.5``, ``col + 0.5``) and ``+1``
        (anticlockwise turn) or ``−1``.
    """
    theta = check_tensor(theta, "theta", "pinwheels", ndim=2).detach().double()

    def step(a: Tensor, b: Tensor) -> Tensor:                      # b − a wrapped to (−π/2, π/2]
        return (b - a + math.pi / 2) % math.pi - math.pi / 2

    t00, t01 = theta, theta.roll(-1, 1)
    t11, t10 = theta.roll((-1, -1), (0, 1)), theta.roll(-1, 0)
    winding = step(t00, t01) + step(t01, t11) + step(t11, t10) + step(t10, t00)  # (rows, cols)
    if not torus:
        winding = winding[:-1, :-1]
    sign = torch.round(winding / math.pi)                           # 0 or ±1
    rows, cols = torch.nonzero(sign, as_tuple=True)
    return torch.stack([rows + 0.5, cols + 0.5, sign[rows, cols]], 1).to(theta.dtype)


def smoothness_ratio(theta: Tensor, *, torus: bool = True) -> float:
    """``neighbour_mean / random_mean`` of :func:`map_smoothness`: about 1 for noise, 0 for a
    smooth map; 0 for a uniform map (whose random pairs differ by 0 too)."""
    neighbour, random = map_smoothness(theta, torus=torus)
    return neighbour / random if random > 0 else 0.0


def random_orientation_maps(shape: Sequence[int], n_maps: int = 1, *,
                            wavelength: float | None = None, torus: bool = True, seed: int = 0
                            ) -> Tensor:
    """Random orientation maps: white noise, or band-pass filtered noise of a given smoothness.

    With ``wavelength=None`` every unit's orientation is drawn independently and uniformly
    from ``[0, π)`` (white noise). With a wavelength Λ (in units of the map), a complex
    Gaussian white-noise field is filtered by a Gaussian ring around spatial frequency 1/Λ
    (standard deviation 0.3/Λ) and the orientation is half its phase, ``arg(field) / 2``:
    a map that varies smoothly on the scale Λ, with pinwheels where the field vanishes
    (the classic model of cortical maps; its pinwheel density is about π per Λ²). On a
    sheet (``torus=False``) the field is drawn on a larger torus and cropped, so the map has
    no wrap-around structure.

    Parameters
    ----------
    shape : (rows, cols)
    n_maps : int, default 1
    wavelength : float > 0, optional
    torus : bool, default True
    seed : int, default 0

    Returns
    -------
    Tensor of shape (n_maps, rows, cols), float64 radians in ``[0, π)``.
    """
    func = "random_orientation_maps"
    try:
        rows, cols = (int(v) for v in shape)
    except (TypeError, ValueError):
        fail(ValueError, "shape", func, "be a pair (rows, cols)", repr(shape))
    rows = check_positive_int(rows, "shape", func)
    cols = check_positive_int(cols, "shape", func)
    n_maps = check_positive_int(n_maps, "n_maps", func)
    gen = torch.Generator().manual_seed(int(seed))
    if wavelength is None:
        return math.pi * torch.rand(n_maps, rows, cols, generator=gen, dtype=torch.float64)
    lam = check_nonneg_scalar(wavelength, "wavelength", func, positive=True)
    pad = 0 if torus else int(math.ceil(2 * lam))
    R, C = rows + pad, cols + pad
    noise = torch.complex(torch.randn(n_maps, R, C, generator=gen, dtype=torch.float64),
                          torch.randn(n_maps, R, C, generator=gen, dtype=torch.float64))
    fr = torch.fft.fftfreq(R, dtype=torch.float64)[:, None]
    fc = torch.fft.fftfreq(C, dtype=torch.float64)[None, :]
    radius = (fr ** 2 + fc ** 2).sqrt()                                   # (R, C) cycles/unit
    ring = torch.exp(-0.5 * ((radius - 1 / lam) / (0.3 / lam)) ** 2)
    field = torch.fft.ifft2(torch.fft.fft2(noise) * ring)[:, :rows, :cols]
    return (torch.angle(field) / 2) % math.pi


def matched_wavelength(ratio: float, shape: Sequence[int], *, torus: bool = True,
                       n_maps: int = 40, seed: int = 0) -> float:
    """The wavelength Λ whose band-pass maps (:func:`random_orientation_maps`) have, on
    average over ``n_maps`` maps, the smoothness ratio ``ratio`` (bisection on log Λ between
    1.5 and 8 times the map's larger side; the ends are returned when ``ratio`` lies outside).
    """
    func = "matched_wavelength"
    ratio = check_nonneg_scalar(ratio, "ratio", func)

    def mean_ratio(lam: float) -> float:
        maps = random_orientation_maps(shape, n_maps, wavelength=lam, torus=torus, seed=seed)
        return sum(smoothness_ratio(t, torus=torus) for t in maps) / n_maps

    lo, hi = math.log(1.5), math.log(8 * max(int(v) for v in shape))
    if ratio >= mean_ratio(math.exp(lo)):
        return math.exp(lo)
    if ratio <= mean_ratio(math.exp(hi)):
        return math.exp(hi)
    for _ in range(20):                            # the mean ratio falls as Λ grows
        mid = (lo + hi) / 2
        if mean_ratio(math.exp(mid)) > ratio:
            lo = mid
        else:
            hi = mid
    return math.exp((lo + hi) / 2)


def pinwheel_null(theta: Tensor, *, torus: bool = True, n_maps: int = 200, seed: int = 0
                  ) -> dict:
    """Pinwheel counts of two null baselines on the same map (shape and edges as ``theta``).

    - ``"white"``: white-noise orientation maps (independent uniform orientations);
    - ``"matched"``: band-pass maps whose wavelength is :func:`matched_wavelength` of the
      map's own smoothness ratio, so they are as smooth as ``theta`` but random.

    Returns a dict with the map's ``"count"`` and ``"ratio"``, the two nulls' counts
    (``"white"``, ``"matched"``: float64 tensors of shape ``(n_maps,)``), the matched
    ``"wavelength"`` and the matched maps' mean ``"matched_ratio"``. A smooth learned map has
    far fewer pinwheels than white noise; whether it has as many as a random map of the same
    smoothness is the question the matched null answers.
    """
    func = "pinwheel_null"
    theta = check_tensor(theta, "theta", func, ndim=2).detach().double()
    n_maps = check_positive_int(n_maps, "n_maps", func)
    shape = tuple(theta.shape)
    ratio = smoothness_ratio(theta, torus=torus)
    white = random_orientation_maps(shape, n_maps, torus=torus, seed=seed)
    lam = matched_wavelength(ratio, shape, torus=torus, seed=seed + 1)
    matched = random_orientation_maps(shape, n_maps, wavelength=lam, torus=torus, seed=seed + 2)

    def counts(maps: Tensor) -> Tensor:
        return torch.tensor([float(len(pinwheels(t, torus=torus))) for t in maps],
                            dtype=torch.float64)

    return {"count": len(pinwheels(theta, torus=torus)), "ratio": ratio,
            "white": counts(white), "matched": counts(matched), "wavelength": lam,
            "matched_ratio": sum(smoothness_ratio(t, torus=torus) for t in matched) / n_maps}
