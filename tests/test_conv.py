"""ConvGroupSparseAutoencoder: shapes, pooling by hand, decoder as the adjoint, stacking, errors."""
import os

import pytest
import torch
import torch.nn.functional as F

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib.data import load_digits  # noqa: E402
from sparselib.models.conv import ConvGroupSparseAutoencoder, StackedConvEncoder  # noqa: E402
from sparselib.train import fit  # noqa: E402



@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("padding,stride", [(0, 2), (1, 1), (1, 2)])
def test_shapes_and_output_shape(dtype, padding, stride):
    torch.manual_seed(0)
    model = ConvGroupSparseAutoencoder(2, 6, 3, group_size=3, pool=2, pool_stride=stride,
                                       padding=padding).to(dtype)
    x = torch.rand(4, 2, 9, 7, dtype=dtype)
    out = model(x)
    hz, wz = 9 + 2 * padding - 2, 7 + 2 * padding - 2
    assert out.z.shape == (4, 6, hz, wz) and out.z.dtype == dtype
    assert out.x_hat.shape == x.shape
    assert out.pooled.shape == (4, *model.output_shape(9, 7)) and out.pooled.shape[1] == 2
    assert bool((out.z >= 0).all())


def test_pooling_by_hand():
    model = ConvGroupSparseAutoencoder(1, 4, 3, group_size=2, pool=2, pool_stride=2, eps=0.0)
    z = torch.randn(1, 4, 4, 4)
    pooled = model.pooled(z)
    # group 1 = maps 2 and 3, pool (row 1, col 0) = rows 2-3, columns 0-1
    expected = z[0, 2:4, 2:4, 0:2].pow(2).sum().sqrt()
    torch.testing.assert_close(pooled[0, 1, 1, 0], expected)
    assert pooled.shape == (1, 2, 2, 2)


def test_encoder_is_scaled_relu_of_a_convolution_and_decoder_is_linear():
    torch.manual_seed(0)
    model = ConvGroupSparseAutoencoder(1, 4, 3, padding=1)
    with torch.no_grad():
        model.g.copy_(torch.tensor([0.5, 1.0, 2.0, 0.0]))
        model.b.copy_(torch.tensor([0.1, -0.1, 0.0, 0.3]))
    x = torch.randn(3, 1, 6, 6)
    # b is a threshold subtracted before the ReLU (the convolution's bias is -b)
    u = F.conv2d(x, model.W_e, padding=1) - model.b[:, None, None]
    ref = F.relu(u) * model.g[:, None, None]
    torch.testing.assert_close(model.encode(x), ref)
    assert bool((model.encode(x)[:, 3] == 0).all())
    with torch.no_grad():
        model.b.fill_(1e3)                                  # a high threshold silences every map
    assert bool((model.encode(x) == 0).all())
    # the decoder is the adjoint of the convolution with W_d: <W_d * x, z> = <x, decode(z)>
    z = torch.randn(3, 4, 6, 6)
    lhs = (F.conv2d(x, model.W_d, padding=1) * z).sum()
    torch.testing.assert_close(lhs, (x * model.decode(z)).sum())



def test_gain_only_reparameterises_a_relu_encoder():
    # g * ReLU(W * x - b) = ReLU((g W) * x - g b) for g > 0: a model without gains (g = 1)
    # and rescaled filters and thresholds computes the same maps. With tanh it would not.
    torch.manual_seed(0)
    model = ConvGroupSparseAutoencoder(1, 4, 3, padding=1).double()
    twin = ConvGroupSparseAutoencoder(1, 4, 3, padding=1).double()
    g = torch.tensor([0.1, 0.5, 2.0, 7.0], dtype=torch.float64)
    with torch.no_grad():
        model.g.copy_(g)
        model.b.copy_(torch.tensor([0.2, -0.1, 0.0, 0.3]))
        twin.g.fill_(1.0)
        twin.W_e.copy_(g[:, None, None, None] * model.W_e)
        twin.b.copy_(g * model.b)
    x = torch.randn(5, 1, 7, 6, dtype=torch.float64)
    torch.testing.assert_close(twin.encode(x), model.encode(x))
    u = F.conv2d(x, model.W_e, padding=1) - model.b[:, None, None]
    assert not torch.allclose(g[:, None, None] * torch.tanh(u), torch.tanh(g[:, None, None] * u))

def test_training_lowers_loss_and_keeps_constraints():
    split = load_digits(verbose=False)
    x = split.X_train[:256].reshape(-1, 1, 8, 8)
    torch.manual_seed(0)
    model = ConvGroupSparseAutoencoder(1, 8, 3, padding=1, lam=0.01)
    with torch.no_grad():
        model.g.fill_(-1.0)
    model.project_()
    assert bool((model.g >= 0).all())
    model.g.data.fill_(1.0)
    hist = fit(model, x, epochs=5, batch_size=32, lr=1e-2, device="cpu")
    assert hist["reconstruction"][-1] < 0.5 * hist["reconstruction"][0]
    norms = model.W_d.detach().flatten(1).norm(dim=1)
    torch.testing.assert_close(norms, torch.ones(8))
    assert bool((model.g >= 0).all())


def test_stacking_second_layer_on_pooled_output():
    split = load_digits(verbose=False)
    x = split.X_train[:128].reshape(-1, 1, 8, 8)
    torch.manual_seed(0)
    first = ConvGroupSparseAutoencoder(1, 8, 3, padding=1, group_size=2, pool=2, pool_stride=1)
    fit(first, x, epochs=1, batch_size=32, lr=1e-2, device="cpu")
    with torch.no_grad():
        h = first.pooled(first.encode(x))                          # (n, 4, 7, 7)
    second = first.next_layer(16, 3, padding=1, group_size=4, pool=2)
    assert second.in_channels == 4
    hist = fit(second, h, epochs=2, batch_size=32, lr=1e-2, device="cpu")
    assert hist["loss"][-1] < hist["loss"][0]
    stack = StackedConvEncoder([first, second])
    feats = stack.features(x)
    assert feats.shape == (128, 4 * 3 * 3)                          # 16 maps / 4 per group, 7 -> 3
    manual = second.pooled(second.encode(h)).flatten(1)
    torch.testing.assert_close(feats, manual.detach())
    assert not any(name.endswith("W_d") and p.requires_grad is False for name, p in stack.named_parameters())
    with pytest.raises(ValueError, match="'layers' parameter of StackedConvEncoder must chain"):
        StackedConvEncoder([first, ConvGroupSparseAutoencoder(3, 4)])
    with pytest.raises(TypeError, match="'layers' parameter of StackedConvEncoder must be a non-empty"):
        StackedConvEncoder([])


def test_bad_inputs():
    with pytest.raises(ValueError, match="'group_size' parameter of ConvGroupSparseAutoencoder must divide n_maps=6"):
        ConvGroupSparseAutoencoder(1, 6, group_size=4)
    with pytest.raises(ValueError, match="'padding' parameter of ConvGroupSparseAutoencoder must be less than kernel_size=3"):
        ConvGroupSparseAutoencoder(1, 6, 3, padding=3)
    model = ConvGroupSparseAutoencoder(1, 4, 5, pool=2)
    with pytest.raises(ValueError, match=r"'x' parameter of ConvGroupSparseAutoencoder.forward must have H and W >= 6"):
        model(torch.zeros(2, 1, 5, 8))
    with pytest.raises(ValueError, match="'x' parameter of ConvGroupSparseAutoencoder.encode must have 1 channels"):
        model.encode(torch.zeros(2, 3, 8, 8))
    with pytest.raises(ValueError, match="'x' parameter of ConvGroupSparseAutoencoder.loss must be a 4-D tensor"):
        model.loss(torch.zeros(2, 64))


def test_quadrature_exercise_needs_four_rectified_maps():
    """Rectified units pool an edge into a phase-invariant output with four maps (±cos, ±sin);
    two (+cos, +sin) lose it over a quarter of the phases. The exercise's self-check agrees."""
    import math

    from sparselib.exercises.ch04 import check_quadrature_group, quadrature_group

    phi = torch.linspace(-math.pi, math.pi, 181, dtype=torch.float64)
    z = quadrature_group(torch.tensor(2.0, dtype=torch.float64), phi)          # (181, 4)
    assert z.shape == (181, 4) and bool((z >= 0).all())
    torch.testing.assert_close(z.norm(dim=-1), torch.full((181,), 2.0, dtype=torch.float64))
    two = z[:, [0, 2]].norm(dim=-1)                                              # +f_c, +f_s only
    lost = (phi > -math.pi + 0.01) & (phi < -math.pi / 2 - 0.01)                 # cos < 0 and sin < 0
    assert bool((two[lost] == 0).all()) and bool((two[(phi >= 0) & (phi <= math.pi / 2)] - 2).abs().max() < 1e-12)
    # the model's own L2 pooling over a group of the four maps gives the same invariance
    model = ConvGroupSparseAutoencoder(1, 4, 1, group_size=4, pool=1, eps=0.0).double()
    pooled = model.pooled(z.T.reshape(1, 4, 181, 1))                             # (1, 1, 181, 1)
    torch.testing.assert_close(pooled.flatten(), torch.full((181,), 2.0, dtype=torch.float64))
    assert check_quadrature_group(quadrature_group, quiet=True)
    two_maps = lambda a, phi: torch.relu(torch.stack([a * torch.cos(phi), a * torch.sin(phi)], -1))  # noqa: E731
    assert not check_quadrature_group(two_maps, quiet=True)
    unrectified = lambda a, phi: torch.stack([a * torch.cos(phi), -a * torch.cos(phi),  # noqa: E731
                                              a * torch.sin(phi), -a * torch.sin(phi)], -1)
    assert not check_quadrature_group(unrectified, quiet=True)
