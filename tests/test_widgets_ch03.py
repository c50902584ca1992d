"""Chapter 3's group-sparsity explorer: the question it asks (how many pools a 3 × 3 patch turns
on at each pool width) and the quantity its answer rests on, each pool's correlations with the
residual against λ, the optimality certificate of the code."""
import os

import matplotlib
import pytest
import torch

matplotlib.use("Agg")
os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import i18n, widgets  # noqa: E402



@pytest.fixture(scope="module")
def explorer():
    return widgets.GroupSparsityExplorer()


def correlations_by_loops(explorer, r):
    """Independent: the residual's correlation with every atom, then each pool's norm, over λ."""
    residual = explorer.x - sum(explorer.W_d[:, i] * r.z[i] for i in range(len(r.z)))
    out = []
    for row in r.G:
        members = torch.nonzero(row).flatten().tolist()
        out.append(sum(float(explorer.W_d[:, i] @ residual) ** 2 for i in members) ** 0.5 / r.lam)
    return torch.tensor(out, dtype=torch.float64)


@pytest.mark.parametrize("size,lam", [(1, 0.412), (2, 0.143), (4, 0.05)])
def test_correlations_are_each_pools_norm_over_lambda(explorer, size, lam):
    r = explorer.compute(size=size, lam=lam)
    torch.testing.assert_close(explorer.correlations(r), correlations_by_loops(explorer, r))


@pytest.mark.parametrize("size", [1, 2, 4])
def test_the_code_is_certified_active_pools_at_one_the_others_below(explorer, size):
    for lam in explorer.sliders[1].values:
        r = explorer.compute(size=size, lam=lam)
        ratio = explorer.correlations(r)
        assert r.group_on.any()
        torch.testing.assert_close(ratio[r.group_on], torch.ones(int(r.group_on.sum()), dtype=ratio.dtype),
                                   atol=2e-3, rtol=0)
        assert (ratio[~r.group_on] <= 1 + 1e-6).all(), (size, lam)


def test_the_questions_setting_turns_on_four_pools_then_one(explorer):
    """The predict-then-check prompt: λ = 0.412, the 3 × 3 patch in rows and columns 1 to 3."""
    assert 0.412 in explorer.sliders[1].values
    counts = {w: explorer.compute(size=w, lam=0.412) for w in (1, 2, 4)}
    assert int(explorer.z_true.ne(0).sum()) == 9
    assert [int(counts[w].group_on.sum()) for w in (1, 2, 4)] == [9, 4, 1]
    assert counts[2].n_active == 16 == counts[4].n_active        # whole pools are on


def test_alt_text_gives_the_largest_off_pool_in_every_language(explorer):
    r = explorer.compute(size=2, lam=0.412)
    off = explorer.largest_off(explorer.correlations(r), r.group_on)
    assert off is not None and 0 < off < 1
    for lang in i18n.LANGUAGES:
        alt = explorer.alt(r, {"size": 2, "lam": 0.412}, lang)
        assert f"{off:.2f}" in alt and "{" not in alt and "0.412" in alt, lang


def test_no_pool_off_is_said_so():
    one_pool = widgets.GroupSparsityExplorer(side=4, sizes=(4,), lams=[0.05], n_features=12)
    r = one_pool.compute(size=4, lam=0.05)
    assert bool(r.group_on.all())
    assert one_pool.largest_off(one_pool.correlations(r), r.group_on) is None
    assert one_pool.alt_values(r, {}, "en")["off"] == "—"
    png, _ = one_pool.frame(size=4, lam=0.05)                  # draws without an off pool
    assert png.startswith(b"\x89PNG")


def test_frames_show_the_certificate_panel(explorer):
    r = explorer.compute(size=2, lam=0.412)
    fig = explorer.figure(r, {"size": 2, "lam": 0.412})
    axes = fig.get_axes()
    assert len(axes) == 3
    bars = axes[2].patches
    assert len(bars) == len(r.group_on)
    heights = sorted(round(b.get_height(), 6) for b in bars)
    assert heights == sorted(round(float(v), 6) for v in explorer.correlations(r))
    assert "lambda" in axes[2].get_title()
