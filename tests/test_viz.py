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


def test_diagram_pieces_draw_where_they_are_told():
    """box, arrow and map_stack (sparselib.diagrams, re-exported by viz): chapters 3, 4 and 5
    draw their architecture figures with them."""
    from matplotlib.patches import FancyBboxPatch
    from matplotlib.text import Annotation

    from sparselib import diagrams

    def labels(ax):                                  # the texts, not the arrows (annotations)
        return [t for t in ax.texts if not isinstance(t, Annotation)]

    assert (viz.box, viz.arrow, viz.map_stack) == (diagrams.box, diagrams.arrow, diagrams.map_stack)
    fig, ax = plt.subplots()
    viz.box(ax, 2.0, 1.0, "$x$", 1.2)
    viz.box(ax, 5.0, 1.0, r"$\lambda$", color=viz.LOSS_COLOR, height=0.5)
    (first, second), texts = ax.patches, labels(ax)
    assert isinstance(first, FancyBboxPatch)
    assert (first.get_x(), first.get_y(), first.get_width(), first.get_height()) == \
           pytest.approx((1.4, 0.65, 1.2, 0.7))
    assert second.get_width() == pytest.approx(1.6) and second.get_height() == pytest.approx(0.5)
    assert matplotlib.colors.to_hex(second.get_facecolor()) == viz.LOSS_COLOR.lower()
    assert [t.get_position() for t in texts] == [(2.0, 1.0), (5.0, 1.0)]
    viz.arrow(ax, (0, 0), (2, 0), "$W_d$")
    viz.arrow(ax, (0, 0), (2, 0), "$V$", style="|-|", rad=-0.5, text_offset=0.12)
    straight, arc = labels(ax)[-2:]
    assert len(ax.texts) == 6                        # two annotations, the arrows, were drawn too
    assert straight.get_position() == pytest.approx((1.0, 0.15))
    assert arc.get_position() == pytest.approx((1.0, 0.12 + 0.5))     # raised by the arc's height
    n = len(ax.patches)
    viz.map_stack(ax, 1.0, 2.0, 3, viz.OKABE_ITO[1])
    squares = ax.patches[n:]
    corners = [c for s in squares for c in (s.get_x(), s.get_y())]
    assert corners == pytest.approx([1.0, 2.0, 1.12, 1.88, 1.24, 1.76])
    assert all(s.get_width() == 0.55 for s in squares)
    no_prose(ax)
    with pytest.raises(ValueError, match="'w' parameter of box must be a positive finite number"):
        viz.box(ax, 0, 0, "$x$", 0)
    with pytest.raises(ValueError, match="'n' parameter of map_stack"):
        viz.map_stack(ax, 0, 0, 0, "red")
