"""Figures: they draw what they are given, text is maths and numbers, colour maps are safe."""
import re

import matplotlib
import pytest
import torch

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sparselib import viz  # noqa: E402

WORDS = re.compile(r"(?<![\\$a-z])[A-Za-z]{3,}")


def texts(ax):
    items = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    items += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    legend = ax.get_legend()
    items += [t.get_text() for t in legend.get_texts()] if legend else []
    return [t for t in items if t]


def no_prose(ax):
    for text in texts(ax):
        stripped = re.sub(r"\$[^$]*\$", "", text)            # maths is fine
        assert not WORDS.search(stripped), text


@pytest.fixture(autouse=True)
def close():
    yield
    plt.close("all")


def test_filter_grid_tiles_each_filter_scaled_to_its_max():
    filters = torch.zeros(4, 9)
    filters[0, 0], filters[1, 4], filters[2, 8], filters[3, 1] = 5.0, -0.1, 2.0, 1.0
    ax = viz.filter_grid(filters, (3, 3), nrow=2)
    img = ax.get_images()[0]
    arr = img.get_array()
    assert arr.shape == (2 * 3 + 3, 2 * 3 + 3)              # 2x2 tiles, 1-pixel padding
    assert arr[1, 1] == pytest.approx(1.0) and arr[1 + 1, 4 + 1 + 1] == pytest.approx(-1.0)
    assert img.get_cmap().name == viz.DIVERGING
    no_prose(ax)
    with pytest.raises(ValueError, match="'image_shape' parameter of filter_grid must multiply to 9"):
        viz.filter_grid(filters, (2, 2))


def test_code_histogram_counts_nonzeros_and_titles_sparsity():
    z = torch.zeros(10, 10)
    z[0, :5] = torch.arange(1.0, 6.0)
    ax = viz.code_histogram(z, bins=5)
    assert sum(p.get_height() for p in ax.patches) == 5
    assert "0.95" in ax.get_title()
    no_prose(ax)


def test_code_over_iterations_plots_the_most_active_units():
    codes = torch.zeros(4, 2, 6)
    codes[:, 1, 3] = torch.tensor([0.0, 1.0, 2.0, 3.0])
    codes[:, 1, 5] = torch.tensor([1.0, 1.0, 1.0, 1.0])
    ax = viz.code_over_iterations(codes, sample=1, units=None)
    first = ax.get_lines()[0]
    assert list(first.get_xdata()) == [1, 2, 3, 4] and list(first.get_ydata()) == [0, 1, 2, 3]
    no_prose(ax)
    with pytest.raises(ValueError, match=r"'sample' parameter of code_over_iterations must be in \[0, 2\)"):
        viz.code_over_iterations(codes, sample=2)


def test_reconstructions_show_inputs_above_outputs():
    x, x_hat = torch.zeros(3, 4), torch.ones(3, 4)
    ax = viz.reconstructions(x, x_hat, (2, 2))
    arr = ax.get_images()[0].get_array()
    assert arr.shape == (2 * 2 + 3, 3 * 2 + 4)
    assert arr[1, 1] == 0.0 and arr[4, 1] == 1.0
    with pytest.raises(ValueError, match="'x_hat' parameter of reconstructions must have the shape"):
        viz.reconstructions(x, torch.ones(2, 4), (2, 2))


def test_class_activity_heatmap_and_labels():
    A = torch.rand(3, 10, 5)
    ax = viz.class_activity(A, [0, 4])
    assert ax.get_images()[0].get_array().shape == (10, 6)
    assert ax.get_images()[0].get_cmap().name == viz.SEQUENTIAL
    no_prose(ax)


def test_palettes_are_colour_blind_safe_choices():
    assert viz.SEQUENTIAL in ("cividis", "viridis") and viz.DIVERGING in ("PuOr", "BrBG")
    assert viz.OKABE_ITO[0] == "#E69F00" and len(set(viz.OKABE_ITO)) == 8
