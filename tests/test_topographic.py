"""TopographicAutoencoder and the orientation tools: spectra, map smoothness, a trained map."""
import math
import os

import pytest
import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.data import natural_patches  # noqa: E402
from sparselib.groups import torus_groups  # noqa: E402
from sparselib.models.topographic import (TopographicAutoencoder, filter_orientation,  # noqa: E402
                                          map_smoothness, orientation_difference, pinwheels)
from sparselib.penalties import group_l2  # noqa: E402
from sparselib.train import fit  # noqa: E402



def grating(angle_deg, size=8, freq=0.25, phase=0.0):
    """Stripes running at ``angle_deg`` from the horizontal (y up), shape (size, size)."""
    a = math.radians(angle_deg)
    yy, xx = torch.meshgrid(torch.arange(size, dtype=torch.float64),
                            torch.arange(size, dtype=torch.float64), indexing="ij")
    across = -math.sin(a) * xx + math.cos(a) * (-yy)          # distance across the stripes
    return torch.cos(2 * math.pi * freq * across + phase)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_filter_orientation_of_gratings(dtype):
    angles = [0, 20, 45, 70, 90, 135, 160]
    filters = torch.stack([grating(a, phase=0.3 * i) for i, a in enumerate(angles)]).to(dtype)
    theta, selectivity = filter_orientation(filters.reshape(len(angles), -1), (8, 8))
    assert theta.dtype == dtype and theta.shape == (len(angles),)
    err = orientation_difference(theta.double(), torch.tensor(angles, dtype=torch.float64).deg2rad())
    assert float(err.max()) < math.radians(5)
    assert bool((selectivity > 0.5).all())
    blob = torch.exp(-((torch.arange(8.0) - 3.5) ** 2) / 4)
    _, sel_blob = filter_orientation((blob[:, None] * blob[None, :])[None], (8, 8))
    assert float(sel_blob) < 0.05                               # an isotropic blob has none


def test_orientation_difference_is_modulo_pi():
    a = torch.tensor([0.0, 0.1, math.pi - 0.1, 1.0])
    b = torch.tensor([math.pi, math.pi - 0.1, 0.1, 1.0 + math.pi / 2])
    torch.testing.assert_close(orientation_difference(a, b), torch.tensor([0.0, 0.2, 0.2, math.pi / 2]),
                               atol=1e-6, rtol=0)


def test_map_smoothness_smooth_versus_random():
    rows = torch.arange(10.0)
    smooth = (rows[:, None] + rows[None, :]) * math.pi / 10 % math.pi   # one turn across the torus
    nb, rnd = map_smoothness(smooth)
    assert nb == pytest.approx(math.pi / 10)
    assert rnd > 2 * nb
    shuffled = smooth.flatten()[torch.randperm(100, generator=torch.Generator().manual_seed(0))]
    nb_s, rnd_s = map_smoothness(shuffled.reshape(10, 10))
    assert nb_s > 0.7 * rnd_s
    nb_sheet, _ = map_smoothness(smooth, torus=False)
    assert nb_sheet == pytest.approx(math.pi / 10)


def test_pinwheels_of_synthetic_singularities():
    yy, xx = torch.meshgrid(torch.arange(12.0), torch.arange(12.0), indexing="ij")
    centres = [(3.5, 3.5, 1), (7.5, 8.5, -1)]                     # half-integer: between units
    theta = torch.zeros(12, 12)
    for r, c, s in centres:                                        # theta = ±½ polar angle
        theta = theta + s * 0.5 * torch.atan2(yy - r, xx - c)
    found = pinwheels(theta % math.pi)
    assert sorted(found.tolist()) == sorted([[r, c, float(s)] for r, c, s in centres])
    assert pinwheels(torch.full((5, 5), 0.3)).shape == (0, 3)


def test_model_is_a_group_sparse_autoencoder_on_torus_groups():
    torch.manual_seed(0)
    model = TopographicAutoencoder(64, side=6, size=3, lam=0.1)
    torch.testing.assert_close(model.G, torus_groups(6, 3))
    x = torch.randn(5, 64)
    out = model(x)
    assert out.z.shape == (5, 36) and out.x_hat.shape == (5, 64)
    torch.testing.assert_close(model.penalty(out.z), group_l2(out.z, torus_groups(6, 3), eps=1e-4))
    assert model.filters().shape == (6, 6, 8, 8) and model.orientation_map().shape == (6, 6)
    torch.testing.assert_close(model.filters()[1, 2].flatten(), model.W_d.detach()[:, 1 * 6 + 2])


def test_topographic_map_on_natural_patches_is_smooth():
    X = natural_patches(10000, 8, seed=0, verbose=False)
    X = X / X.norm(dim=1).mean() * 3
    torch.manual_seed(0)
    model = TopographicAutoencoder(64, side=12, size=3, lam=0.1)
    before = model.smoothness()
    fit(model, X, epochs=20, batch_size=64, lr=1e-2, device="cpu")
    nb, rnd = model.smoothness()
    assert before[0] > 0.7 * before[1]                        # random filters: no map
    assert nb <= 0.5 * rnd, (math.degrees(nb), math.degrees(rnd))


def test_bad_inputs():
    with pytest.raises(ValueError, match="'n_features' parameter of TopographicAutoencoder must be the pixel count"):
        TopographicAutoencoder(60, side=4)
    with pytest.raises(ValueError, match="'size' parameter of TopographicAutoencoder must be at most side=4"):
        TopographicAutoencoder(64, side=4, size=5)
    with pytest.raises(ValueError, match="'encoder' parameter of TopographicAutoencoder must be 'feedforward' or 'lista'"):
        TopographicAutoencoder(64, side=4, encoder="fista")
    with pytest.raises(ValueError, match=r"'x' parameter of TopographicAutoencoder.forward must have shape \(batch, 64\)"):
        TopographicAutoencoder(64, side=4)(torch.zeros(2, 63))
    with pytest.raises(ValueError, match="'image_shape' parameter of filter_orientation must match"):
        filter_orientation(torch.zeros(3, 64), (7, 7))
    with pytest.raises(ValueError, match="'theta' parameter of map_smoothness must be a 2-D tensor"):
        map_smoothness(torch.zeros(16))


def test_plots_draw_map_and_pinwheels():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sparselib import viz

    torch.manual_seed(0)
    model = TopographicAutoencoder(64, side=4, size=2)
    ax = viz.topographic_map(model.filters())
    assert ax.images[0].get_array().shape[:2] == (4 * 9 + 1, 4 * 9 + 1)
    theta = model.orientation_map()
    pw = pinwheels(theta, torus=True)
    ax = viz.orientation_map(theta, pw)
    assert ax.images[0].cmap.name == viz.CYCLIC
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(pw)
    plt.close("all")


# ----------------------------------------------------------------- null orientation maps

def test_white_noise_maps_are_uniform_and_a_third_of_their_loops_are_pinwheels():
    from sparselib.models.topographic import pinwheels, random_orientation_maps
    maps = random_orientation_maps((12, 12), 300, torus=True, seed=0)
    assert maps.shape == (300, 12, 12) and maps.dtype == torch.float64
    assert float(maps.min()) >= 0 and float(maps.max()) < math.pi
    # uniform on [0, pi): mean pi/2, variance pi^2/12 (closed forms), 43200 draws
    assert abs(float(maps.mean()) - math.pi / 2) < 0.02
    assert abs(float(maps.var()) - math.pi ** 2 / 12) < 0.02
    # independent neighbours: the mean orientation difference of neighbours is pi/4
    from sparselib.models.topographic import map_smoothness
    nb, rnd = map_smoothness(maps[0], torus=True)
    assert abs(nb - math.pi / 4) < 0.1 and abs(rnd - math.pi / 4) < 0.05
    # four independent uniform orientations round a loop wind through pi with probability
    # 1/3 (measured here: 48 of the 144 loops of a 12 x 12 torus, 40 of 121 on a sheet)
    for torus, n_loops in ((True, 144), (False, 121)):
        maps = random_orientation_maps((12, 12), 300, torus=torus, seed=1)
        counts = torch.tensor([float(len(pinwheels(t, torus=torus))) for t in maps])
        se = float(counts.std()) / math.sqrt(len(counts))
        assert abs(float(counts.mean()) - n_loops / 3) < 4 * se + 0.5, (torus, counts.mean())


def test_band_pass_maps_are_smooth_with_the_gaussian_field_pinwheel_density():
    from sparselib.models.topographic import pinwheels, random_orientation_maps, smoothness_ratio
    ratios = []
    for lam in (3.0, 6.0, 12.0):
        maps = random_orientation_maps((12, 12), 60, wavelength=lam, torus=True, seed=0)
        ratios.append(sum(smoothness_ratio(t) for t in maps) / len(maps))
    assert ratios[0] > ratios[1] > ratios[2] and ratios[2] < 0.4       # longer waves, smoother
    # Gaussian random orientation fields have about pi pinwheels per wavelength squared
    maps = random_orientation_maps((16, 16), 200, wavelength=8.0, torus=True, seed=2)
    mean = sum(len(pinwheels(t, torus=True)) for t in maps) / len(maps)
    assert abs(mean - math.pi * 16 * 16 / 64) < 0.2 * math.pi * 16 * 16 / 64, mean
    # on a torus the pinwheels of a map come in pairs of opposite signs
    pw = pinwheels(maps[0], torus=True)
    assert int(pw[:, 2].sum()) == 0
    # a sheet is cropped from a larger torus: same smoothness, no wrap-around constraint
    sheet = random_orientation_maps((12, 12), 60, wavelength=6.0, torus=False, seed=3)
    r_sheet = sum(smoothness_ratio(t, torus=False) for t in sheet) / len(sheet)
    assert abs(r_sheet - ratios[1]) < 0.06


def test_matched_wavelength_and_pinwheel_null():
    from sparselib.models.topographic import (matched_wavelength, pinwheel_null,
                                              random_orientation_maps, smoothness_ratio)
    lam = matched_wavelength(0.5, (12, 12), torus=False, seed=0)
    maps = random_orientation_maps((12, 12), 100, wavelength=lam, torus=False, seed=5)
    assert abs(sum(smoothness_ratio(t, torus=False) for t in maps) / 100 - 0.5) < 0.03, lam
    # a band-pass map is its own null: its count lies inside the matched null's range
    theta = random_orientation_maps((12, 12), 1, wavelength=6.0, torus=False, seed=9)[0]
    null = pinwheel_null(theta, torus=False, n_maps=100, seed=0)
    assert null["white"].shape == (100,) and null["matched"].shape == (100,)
    assert abs(null["matched_ratio"] - null["ratio"]) < 0.03
    assert float(null["matched"].min()) <= null["count"] <= float(null["matched"].max())
    assert float(null["white"].mean()) > 2.5 * float(null["matched"].mean())
    # a uniform map: ratio 0, no pinwheels, matched to the smoothest maps the search allows
    flat = pinwheel_null(torch.full((12, 12), 0.3), torus=False, n_maps=20)
    assert flat["count"] == 0 and flat["ratio"] == 0 and flat["wavelength"] == pytest.approx(96)


def test_null_maps_bad_inputs():
    from sparselib.models.topographic import pinwheel_null, random_orientation_maps
    with pytest.raises(ValueError, match="'shape' parameter of random_orientation_maps must be a pair"):
        random_orientation_maps(12)
    with pytest.raises(ValueError, match="'wavelength' parameter of random_orientation_maps"):
        random_orientation_maps((4, 4), wavelength=0.0)
    with pytest.raises(ValueError, match="'n_maps' parameter of random_orientation_maps"):
        random_orientation_maps((4, 4), 0)
    with pytest.raises(ValueError, match="'theta' parameter of pinwheel_null"):
        pinwheel_null(torch.zeros(16))
