"""Chapter 4's pooling explorer: the book's notation (δ a shift, z_i maps, b subtracted) and
the quantity its question asks about, the pooled change over the feature maps' change."""
import os

import matplotlib
import pytest
import torch

matplotlib.use("Agg")
os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import explore, i18n, widgets  # noqa: E402
from sparselib.models.conv import ConvGroupSparseAutoencoder  # noqa: E402



@pytest.fixture(scope="module")
def explorer():
    torch.manual_seed(0)
    model = ConvGroupSparseAutoencoder(1, 4, 3, group_size=2, pool=2, pool_stride=1, padding=1,
                                       scale_init=1.0)
    x = torch.zeros(1, 8, 8)
    x[0, 2:6, 3] = 1.0                                           # a vertical stroke
    return widgets.PoolingExplorer(model, x, shifts=[0, 1, 2], windows=[1, 3])


def test_slider_and_alt_use_delta_for_the_shift(explorer):
    shift = explorer.sliders[0]
    assert [shift.label(i) for i in range(3)] == ["δ = 0", "δ = +1", "δ = +2"]
    for lang in i18n.LANGUAGES:
        assert "δ" in i18n.t("pooling.shift", lang) and " s " not in i18n.t("pooling.shift", lang)
        alt = explorer.alt(explorer.compute(1, 3), {"shift": 1, "window": 3}, lang)
        assert "δ = +1" in alt and "s =" not in alt and "{" not in alt


def test_docstring_writes_the_threshold_subtracted():
    doc = widgets.PoolingExplorer.__doc__
    assert "− b_i" in doc and "+ b" not in doc and "z_k" not in doc


def test_ratio_is_the_pooled_change_over_the_maps_change(explorer):
    r = explorer.compute(1, 3)
    assert explorer.ratio(r) == pytest.approx(r.rel_pooled / r.rel_z)
    assert explorer.alt_values(r, {}, "en")["ratio"] == f"{r.rel_pooled / r.rel_z:.2f}"
    still = explorer.compute(0, 3)
    assert explorer.ratio(still) is None and explorer.alt_values(still, {}, "en")["ratio"] == "—"


def test_a_wider_window_absorbs_more_of_the_shift(explorer):
    """Only the pooled change depends on w; it falls as w grows, the maps' change does not move."""
    narrow, wide = explorer.compute(1, 1), explorer.compute(1, 3)
    assert narrow.rel_z == pytest.approx(wide.rel_z) and narrow.rel_x == pytest.approx(wide.rel_x)
    assert explorer.ratio(wide) < explorer.ratio(narrow) <= 1.0 + 1e-6


def test_frames_differ_between_windows(explorer):
    a, _ = explorer.frame(shift=1, window=1)
    b, _ = explorer.frame(shift=1, window=3)
    assert a != b and isinstance(explorer.compute(1, 1), explore.PoolingShift)
