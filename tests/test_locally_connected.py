"""LocallyConnectedAutoencoder: untied local filters, overlap-add decoder, map groups, errors."""
import os

import pytest
import torch
import torch.nn.functional as F

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.models import LocallyConnectedAutoencoder, map_groups  # noqa: E402
from sparselib.models.locally_connected import blurred_map_groups, fit_orientation_map  # noqa: E402
from sparselib.train import fit  # noqa: E402

# fast settings of the pinwheel test (the benchmark uses 30 / 4000 / 10)
TOPO_EPOCHS, N_IMAGES, LC_EPOCHS = 12, 2000, 3


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_shapes_and_protocol(dtype):
    torch.manual_seed(0)
    model = LocallyConnectedAutoencoder((12, 10), kernel_size=4, stride=2, units=2).to(dtype)
    assert (model.rows, model.cols, model.map_shape) == (5, 4, (10, 8))
    x = torch.randn(3, 1, 12, 10, dtype=dtype)
    out = model(x)
    assert out.z.shape == (3, 80) and out.z.dtype == dtype and out.x_hat.shape == x.shape
    total, parts = model.loss(x)
    assert total.ndim == 0 and set(parts) >= {"reconstruction", "penalty", "sparsity"}
    assert model.orientation_map().shape == (10, 8) and model.filters().shape == (10, 8, 1, 4, 4)


def test_each_unit_has_its_own_filter_over_its_own_window():
    torch.manual_seed(0)
    model = LocallyConnectedAutoencoder((6, 6), kernel_size=3, stride=3, units=1, size=1, lam=0.0)
    with torch.no_grad():
        model.theta.zero_()
    x = torch.randn(2, 1, 6, 6)
    z = model.encode(x)                                   # map 2 x 2, one unit per window
    # unit 3 = position (1, 1): rows 3-5, columns 3-5, its own W_e row
    torch.testing.assert_close(z[:, 3], (x[:, 0, 3:, 3:].flatten(1) * model.W_e[3]).sum(1))
    # decoder: overlap-add; with stride = kernel the windows tile the image
    x_hat = model.decode(z)
    torch.testing.assert_close(x_hat[:, 0, 3:, 3:].flatten(1), z[:, 3:4] * model.W_d[3])
    # no weight sharing: changing one unit's filter changes only its own output
    with torch.no_grad():
        model.W_e[0].add_(1.0)
    z2 = model.encode(x)
    torch.testing.assert_close(z2[:, 1:], z[:, 1:])


def test_decoder_is_adjoint_of_window_products():
    torch.manual_seed(0)
    model = LocallyConnectedAutoencoder((9, 9), kernel_size=5, stride=2, units=2)
    x, z = torch.randn(2, 1, 9, 9), torch.randn(2, model.n_atoms)
    lhs = ((model._windows(x) * model.W_d).sum(-1) * z).sum()
    torch.testing.assert_close(lhs, (x * model.decode(z)).sum())


def test_map_groups_and_penalty_by_hand():
    G = map_groups(3, 4, 2)
    assert G.shape == (6, 12)
    assert torch.equal(torch.nonzero(G[4]).flatten(), torch.tensor([5, 6, 9, 10]))  # r=1, c=1
    model = LocallyConnectedAutoencoder((4, 4), kernel_size=2, stride=1, size=2, eps=0.0)
    z = torch.randn(2, 9)
    expected = sum((z[:, G_row.bool()] ** 2).sum(1).sqrt() for G_row in map_groups(3, 3, 2))
    torch.testing.assert_close(model.penalty(z), expected)


def test_training_lowers_loss_and_keeps_unit_norm_filters():
    torch.manual_seed(0)
    x = F.avg_pool2d(torch.randn(256, 1, 14, 14), 3, 1)          # smooth 12 x 12 images
    model = LocallyConnectedAutoencoder((12, 12), kernel_size=6, stride=2, units=1, lam=0.05)
    hist = fit(model, x, epochs=5, batch_size=32, lr=1e-2, device="cpu")
    assert hist["loss"][-1] < 0.7 * hist["loss"][0]
    torch.testing.assert_close(model.W_d.detach().norm(dim=1), torch.ones(model.n_atoms))
    assert bool((model.theta >= 0).all())


def test_bad_inputs():
    with pytest.raises(ValueError, match="'image_shape' parameter of LocallyConnectedAutoencoder must fit the filters"):
        LocallyConnectedAutoencoder((10, 10), kernel_size=4, stride=4)        # 10 - 4 not a multiple of 4
    with pytest.raises(ValueError, match="'image_shape' parameter of LocallyConnectedAutoencoder must fit the filters"):
        LocallyConnectedAutoencoder((5, 12), kernel_size=6)                   # filter taller than image
    with pytest.raises(ValueError, match="'image_shape' parameter of LocallyConnectedAutoencoder must be a pair"):
        LocallyConnectedAutoencoder(12, kernel_size=6)
    with pytest.raises(ValueError, match=r"'groups' parameter of LocallyConnectedAutoencoder must have shape \(n_groups, 49\)"):
        LocallyConnectedAutoencoder((12, 12), kernel_size=6, groups=torch.ones(4, 48))
    with pytest.raises(ValueError, match="'size' parameter of LocallyConnectedAutoencoder must be at most"):
        LocallyConnectedAutoencoder((8, 8), kernel_size=6, size=4)
    model = LocallyConnectedAutoencoder((12, 12), kernel_size=6, stride=2)
    with pytest.raises(ValueError, match=r"'x' parameter of LocallyConnectedAutoencoder.forward must have shape \(batch, 1, 12, 12\)"):
        model(torch.zeros(2, 1, 12, 14))
    with pytest.raises(ValueError, match="'x' parameter of LocallyConnectedAutoencoder.loss must be a 4-D tensor"):
        model.loss(torch.zeros(2, 144))


def test_init_from_topographic_copies_untied_filters_and_rejects_bad_models():
    from sparselib.models import TopographicAutoencoder
    torch.manual_seed(0)
    topo = TopographicAutoencoder(36, side=4, size=3)
    model = LocallyConnectedAutoencoder((10, 10), kernel_size=6, stride=2, units=2)  # map 6 x 6
    assert model.init_from_topographic_(topo) is model
    # map unit (R, C) <- topographic unit (R mod 4, C mod 4); (5, 2) <- (1, 2) = unit 6
    torch.testing.assert_close(model.W_d[5 * 6 + 2], topo.W_d[:, 6].detach())
    torch.testing.assert_close(model.W_e[5 * 6 + 2], topo.W_e[6].detach())
    torch.testing.assert_close(model.theta[5 * 6 + 2], topo.theta[6].detach())
    with torch.no_grad():                                   # copies, not shared weights
        model.W_e[6].add_(1.0)
    assert not torch.equal(model.W_e[6], model.W_e[5 * 6 + 2])
    with pytest.raises(ValueError, match="'model' parameter of LocallyConnectedAutoencoder.init_from_topographic_"):
        model.init_from_topographic_(TopographicAutoencoder(64, side=4))         # 8x8 patches
    with pytest.raises(ValueError, match="'model' parameter of LocallyConnectedAutoencoder.init_from_topographic_"):
        model.init_from_topographic_(torch.nn.Linear(3, 3))


def test_orientation_map_is_smooth_with_pinwheels():
    """From a topographic initialisation, untied training on whole images keeps the map smooth.

    Whole map (every unit): neighbour / random mean orientation difference <= 0.5, and
    pinwheels present but far fewer than in white-noise maps of the same open sheet (a random
    map has about 40; a uniform map none, so a count alone would prove nothing).
    """
    from sparselib.data import natural_patches
    from sparselib.models import TopographicAutoencoder
    P = natural_patches(10000, 8, seed=0, verbose=False)
    P = P / P.norm(dim=1).mean() * 3
    torch.manual_seed(0)
    topo = TopographicAutoencoder(64, side=12, size=3, lam=0.1)
    fit(topo, P, epochs=TOPO_EPOCHS, batch_size=64, lr=1e-2, seed=0, device="cpu", progress=False)
    X = natural_patches(N_IMAGES, 16, seed=0, verbose=False)
    X = (X / X.std()).reshape(-1, 1, 16, 16)
    model = LocallyConnectedAutoencoder((16, 16), kernel_size=8, stride=4, units=4, size=3,
                                        lam=0.5).init_from_topographic_(topo)
    hist = fit(model, X, epochs=LC_EPOCHS, batch_size=32, lr=3e-3, seed=0, device="cpu",
               schedule="cosine", progress=False)
    assert hist["loss"][-1] < hist["loss"][0] and 0.01 < hist["sparsity"][-1] < 0.5
    neighbour, random = model.smoothness()
    n_pinwheels = len(model.pinwheels())
    assert neighbour <= 0.5 * random, (neighbour / random, n_pinwheels)
    from sparselib.models.topographic import pinwheel_null
    null = pinwheel_null(model.orientation_map(), torus=False, n_maps=100)
    assert null["count"] == n_pinwheels
    assert 1 <= n_pinwheels < float(null["white"].min()), (n_pinwheels, null["white"].min())
    # as smooth as band-pass noise of wavelength > 5 units, which has fewer pinwheels too
    assert null["wavelength"] > 5 and float(null["matched"].mean()) < 0.5 * float(null["white"].mean())


def test_the_old_import_paths_give_the_functions_from_their_homes():
    import sparselib.groups as groups
    import sparselib.models as models
    import sparselib.models.locally_connected as lc
    import sparselib.models.shrinking_pools as shrinking_pools

    assert lc.map_groups is models.map_groups is groups.map_groups
    assert lc.blurred_map_groups is groups.blurred_map_groups
    assert lc.fit_orientation_map is shrinking_pools.fit_orientation_map
    assert {"map_groups", "blurred_map_groups", "fit_orientation_map"} <= set(lc.__all__)


def test_set_pool_blur_and_fit_orientation_map_schedule():
    torch.manual_seed(0)
    x = F.avg_pool2d(torch.randn(64, 1, 14, 14), 3, 1)
    model = LocallyConnectedAutoencoder((12, 12), kernel_size=6, stride=2, units=1, lam=0.05)
    model.set_pool_blur_(2.0)
    torch.testing.assert_close(model.G, blurred_map_groups(4, 4, 3, 2.0))
    seen = []
    hist = fit_orientation_map(model, x, epochs=4, blur=2.0, anneal=0.5, polish_epochs=2,
                               batch_size=16, device="cpu",
                               callback=lambda phase, e, p: seen.append((phase, e)))
    assert hist["blur"] == [2.0, 1.0, 0.0, 0.0, 0.0, 0.0]           # linear to 0 over 2 epochs
    assert len(hist["loss"]) == 6 and seen[3] == ("anneal", 3) and seen[-1] == ("polish", 1)
    assert torch.equal(model.G, map_groups(4, 4, 3))                  # ends on the box windows
    custom = LocallyConnectedAutoencoder((12, 12), kernel_size=6, stride=2, groups=map_groups(4, 4, 2))
    with pytest.raises(ValueError, match="set_pool_blur_ needs the default map groups"):
        custom.set_pool_blur_(1.0)
    with pytest.raises(ValueError, match="'model' parameter of fit_orientation_map must use the default"):
        fit_orientation_map(custom, x, epochs=1)
    with pytest.raises(TypeError, match="'model' parameter of fit_orientation_map must be a"):
        fit_orientation_map(torch.nn.Linear(2, 2), x, epochs=1)
    with pytest.raises(ValueError, match="'anneal' parameter of fit_orientation_map"):
        fit_orientation_map(model, x, epochs=1, anneal=1.5)


def test_committed_random_start_record_matches_its_checkpoint_and_beats_the_nulls():
    """checkpoints/lc-orientation-map.*: written by benchmarks/locally_connected_pinwheels.py.

    Three seeds from a random start with the shrinking pools of fit_orientation_map. Every seed
    is far smoother than noise (ratio < 0.8; noise gives about 1) and has pinwheels, fewer
    than every white-noise map of the null; the stored map is the stored model's.
    """
    from sparselib.checkpoints import checkpoint, load_checkpoint, read_recipe
    from sparselib.models.topographic import pinwheel_null
    record = read_recipe(checkpoint("lc-orientation-map.json"))
    assert [r["seed"] for r in record["seeds"]] == [0, 1, 2]
    for r in record["seeds"]:
        assert r["ratio"] < 0.8 and r["ratio_start"] > 0.9, r["ratio"]
        assert 1 <= r["pinwheels"] < r["white_range"][0], r["pinwheels"]
        assert len(r["pinwheel_signs"]) == r["pinwheels"]
    model = LocallyConnectedAutoencoder((16, 16), **record["model"])
    load_checkpoint(model, checkpoint("lc-orientation-map.pt"))
    assert torch.equal(model.G, map_groups(12, 12, 3))             # trained to the plain windows
    phi = model.orientation_map().double()
    first = record["seeds"][0]
    torch.testing.assert_close(phi, torch.tensor(first["orientation_map"], dtype=torch.float64),
                               atol=1e-4, rtol=0)
    null = pinwheel_null(phi, torus=False, n_maps=200, seed=0)
    assert null["count"] == first["pinwheels"]
    assert null["ratio"] == pytest.approx(first["ratio"], abs=1e-6)
    assert float(null["matched"].mean()) == pytest.approx(first["matched_mean"], abs=1e-9)
