"""Chapter 4's new self-checks: the receptive field of a stacked unit and the greedy stacking
step. Each passes an independent correct solution, fails each typical mistake with the hint
that names it, and lets an unfinished stub's NotImplementedError through."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from sparselib.exercises import ch04
from sparselib.i18n import LANGUAGES


def stub(*args):
    raise NotImplementedError()


# ------------------------------------------------------------------ receptive field
def rf_by_impulse(sizes, strides):
    """Independent: push the all-ones linear version of the stack through a long 1-D signal
    and measure how many input positions reach the unit at the centre of each stage's output."""
    out = []
    n = 200
    for stage in range(1, len(sizes) + 1):
        x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
        h = x
        for k, s in zip(sizes[:stage].tolist(), strides[:stage].tolist()):
            h = F.conv1d(h, torch.ones(1, 1, int(k), dtype=torch.float64), stride=int(s))
        h[0, 0, h.shape[-1] // 2].backward()
        support = torch.nonzero(x.grad[0, 0]).flatten()
        out.append(int(support.max() - support.min() + 1))
    return torch.tensor(out, dtype=torch.int64)


def rf_sum_of_sizes(sizes, strides):           # off by one: windows do not share pixels
    return torch.cumsum(sizes, 0)


def rf_one_plus_sizes(sizes, strides):         # off by one the other way
    return 1 + torch.cumsum(sizes, 0)


def rf_no_stride(sizes, strides):              # strides forgotten
    return 1 + torch.cumsum(sizes - 1, 0)


def rf_own_stride(sizes, strides):             # a stage's own stride widens its window
    side, step, out = 1, 1, []
    for k, s in zip(sizes.tolist(), strides.tolist()):
        step *= s
        side += (k - 1) * step
        out.append(side)
    return torch.tensor(out, dtype=torch.int64)


def rf_float(sizes, strides):                  # right numbers, wrong dtype
    return ch04.receptive_field(sizes, strides).float()


RF_MISTAKES = {"sum of sizes": (rf_sum_of_sizes, "overlap"), "1 + sum": (rf_one_plus_sizes, "overlap"),
               "no stride": (rf_no_stride, "rf_stride"), "own stride": (rf_own_stride, "own_stride")}


def test_receptive_field_reference_matches_the_impulse_response():
    for sizes, strides in [([3], [1]), ([3, 2, 3, 2], [1, 1, 1, 2]), ([3, 2, 3, 2], [1, 2, 1, 2]),
                           ([5, 3, 1, 3], [1, 3, 1, 1]), ([2, 2, 2], [2, 2, 2])]:
        sizes, strides = torch.tensor(sizes), torch.tensor(strides)
        assert torch.equal(ch04.receptive_field(sizes, strides), rf_by_impulse(sizes, strides))


def test_receptive_field_of_the_chapters_stack():
    # 3 × 3 conv, 2 × 2 pool stride 1, 3 × 3 conv, 2 × 2 pool stride 2: a 7 × 7 window
    assert ch04.receptive_field(torch.tensor([3, 2, 3, 2]), torch.tensor([1, 1, 1, 2])).tolist() == [3, 4, 6, 7]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_receptive_field_check_passes_an_independent_solution(seed, capsys):
    assert ch04.check_receptive_field(rf_by_impulse, seed=seed, lang="en")
    assert "All 6 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(RF_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_receptive_field_check_names_each_mistake(mistake, seed):
    fn, hint = RF_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch04.check_receptive_field(fn, seed=seed, lang=lang, quiet=True)
        assert not report and report.passed < report.total
        assert ch04.HINTS[hint][lang] in report.text, (mistake, lang)


def test_hint_keys_are_unique():
    """A repeated key in a HINTS literal silently replaces the first hint (it once did: the
    receptive field's stride hint had replaced L2 pooling's). Every chapter's hints module is
    read: its ``HINTS = {...}`` and any ``HINTS.update({...})`` together."""
    import ast
    import importlib
    import inspect

    for chapter in ("ch01", "ch02", "ch03", "ch04", "ch05"):
        module = importlib.import_module(f"sparselib.exercises.hints.{chapter}")
        tree = ast.parse(inspect.getsource(module))
        literals = [node.value for node in tree.body if isinstance(node, ast.Assign)
                    and getattr(node.targets[0], "id", None) == "HINTS"]
        literals += [node.value.args[0] for node in tree.body if isinstance(node, ast.Expr)
                     and isinstance(node.value, ast.Call)
                     and ast.unparse(node.value.func) == "HINTS.update"]
        assert len(literals) >= 1, chapter
        keys = [k.value for literal in literals for k in literal.keys]
        assert len(keys) == len(set(keys)), (chapter, sorted(k for k in keys if keys.count(k) > 1))
        assert set(keys) == set(module.HINTS), chapter
    assert "windows start every" in ch04.HINTS["stride"]["en"]


def test_receptive_field_check_refuses_floats_and_stubs():
    report = ch04.check_receptive_field(rf_float, lang="en", quiet=True)
    assert report.passed == 0 and "dtype" in report.text
    with pytest.raises(NotImplementedError):
        ch04.check_receptive_field(stub, quiet=True)


# ------------------------------------------------------------------ the stacking step
def encoder_by_unfold(x, W, b, g):
    """Independent encoder: 'same' padding, im2col and a matrix product, threshold subtracted."""
    h = W.shape[-1]
    B, C, H, Wd = x.shape
    cols = F.unfold(x, h, padding=h // 2)                        # (B, C*h*h, H*W)
    u = (W.reshape(len(W), -1) @ cols).reshape(B, len(W), H, Wd)  # W * x
    return g[:, None, None] * torch.clamp(u - b[:, None, None], min=0)


def pool_by_loops(z, r, w, stride):
    B, M, H, W = z.shape
    Hp, Wp = (H - w) // stride + 1, (W - w) // stride + 1
    out = torch.empty(B, M // r, Hp, Wp, dtype=z.dtype)
    for j in range(M // r):
        for a in range(Hp):
            for c in range(Wp):
                block = z[:, j * r:(j + 1) * r, a * stride:a * stride + w, c * stride:c * stride + w]
                out[:, j, a, c] = block.pow(2).sum((1, 2, 3)).sqrt()
    return out


def stack_independent(x, W1, b1, g1, W2, b2, g2, r, w, stride):
    return encoder_by_unfold(pool_by_loops(encoder_by_unfold(x, W1, b1, g1), r, w, stride), W2, b2, g2)


def stack_pool_before_relu(x, W1, b1, g1, W2, b2, g2, r, w, stride):
    u = g1[:, None, None] * (F.conv2d(x, W1, padding=W1.shape[-1] // 2) - b1[:, None, None])
    return ch04.conv_encoder(ch04.l2_pool(u, r, w, stride), W2, b2, g2, W2.shape[-1] // 2)


def stack_added_bias(x, W1, b1, g1, W2, b2, g2, r, w, stride):
    def enc(v, W, b, g):
        return g[:, None, None] * torch.relu(F.conv2d(v, W, b, padding=W.shape[-1] // 2))
    return enc(ch04.l2_pool(enc(x, W1, b1, g1), r, w, stride), W2, b2, g2)


def stack_stride_one(x, W1, b1, g1, W2, b2, g2, r, w, stride):
    return ch04.stack_step(x, W1, b1, g1, W2, b2, g2, r, w, 1)


def stack_unpooled(x, W1, b1, g1, W2, b2, g2, r, w, stride):   # feeds the feature maps themselves
    return ch04.conv_encoder(ch04.conv_encoder(x, W1, b1, g1, 1), W2, b2, g2, W2.shape[-1] // 2)


STACK_MISTAKES = {"pool before the ReLU": (stack_pool_before_relu, "stack_order"),
                  "bias added": (stack_added_bias, "threshold"),
                  "stride ignored": (stack_stride_one, "stack_stride"),
                  "feature maps fed unpooled": (stack_unpooled, "stack_order")}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stack_step_check_passes_an_independent_solution(seed, capsys):
    assert ch04.check_stack_step(stack_independent, seed=seed, lang="en")
    assert "All 4 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("mistake", sorted(STACK_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_stack_step_check_names_each_mistake(mistake, seed):
    fn, hint = STACK_MISTAKES[mistake]
    for lang in LANGUAGES:
        report = ch04.check_stack_step(fn, seed=seed, lang=lang, quiet=True)
        assert not report and report.passed < report.total
        assert ch04.HINTS[hint][lang] in report.text, (mistake, lang)


def test_stack_step_reference_is_the_models_stack():
    """The reference is what the chapter's stack computes (up to the model's ε in the pool)."""
    from sparselib.models import ConvGroupSparseAutoencoder

    torch.manual_seed(0)
    first = ConvGroupSparseAutoencoder(1, 4, 3, group_size=2, pool=2, pool_stride=2, padding=1, eps=0.0)
    second = first.next_layer(6, 3, padding=1)
    x = torch.rand(3, 1, 8, 8)
    with torch.no_grad():
        expected = second.encode(first.pooled(first.encode(x)))
        got = ch04.stack_step(x, first.W_e, first.b, first.g, second.W_e, second.b, second.g, 2, 2, 2)
    torch.testing.assert_close(got, expected)


def test_stack_step_check_lets_a_stub_through():
    with pytest.raises(NotImplementedError):
        ch04.check_stack_step(stub, quiet=True)
