"""sparselib.figures: the smallest font size drawn, and the records the browser check reads."""
from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from sparselib import figures
from sparselib.widgets import InhibitionExplorer, png_bytes


def line_figure(**legend) -> Figure:
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="$a$")
    ax.set_title("$t$", fontsize=14)
    ax.legend(**legend)
    return fig


def test_smallest_font_is_the_smallest_drawn_text():
    assert figures.smallest_font_size(line_figure(fontsize=6.5)) == 6.5
    fig = line_figure(fontsize=12)
    fig.axes[0].tick_params(labelsize=11)
    assert figures.smallest_font_size(fig) == 11


def test_hidden_empty_and_axis_off_texts_do_not_count():
    fig = line_figure(fontsize=12)
    ax = fig.axes[0]
    ax.text(0.5, 0.5, "", fontsize=3)                    # empty
    ax.text(0.5, 0.5, "$x$", fontsize=4, visible=False)  # hidden
    ax.tick_params(labelsize=5)
    ax.set_axis_off()                                     # tick labels not drawn
    assert figures.smallest_font_size(fig) == 12
    assert figures.smallest_font_size(Figure()) is None


def test_only_ticks_in_view_count():
    fig = Figure()
    ax = fig.subplots()
    ax.set(xticks=[0, 1], xlim=(0, 1), yticks=[])
    ax.tick_params(axis="x", labelsize=13)
    ax.set_title("$t$", fontsize=15)
    assert figures.smallest_font_size(fig) == 13


def test_png_and_svg_carry_font_and_dpi():
    fig = line_figure(fontsize=7)
    fig.dpi = 100
    data, size = figures.figure_png(fig, bbox_inches="tight")
    with Image.open(io.BytesIO(data)) as im:
        assert im.text[figures.FONT_KEY] == "7" and im.text[figures.DPI_KEY] == "200"
        assert size["width"] == im.size[0] // 2
    svg = figures.figure_svg(line_figure(fontsize=8))
    assert re.search(r'<svg data-font-pt="8" data-dpi="72"', svg)


def test_images_go_out_as_png_and_drawings_as_svg():
    fig = Figure()
    fig.subplots().imshow(np.zeros((4, 4)))
    assert figures.has_images(fig) and not figures.has_images(line_figure())
    assert figures._book_svg(fig) is None
    b64, size = figures._book_png(fig)
    assert base64.b64decode(b64)[:4] == b"\x89PNG" and size["width"] > 0
    drawing = line_figure()
    assert figures._book_svg(drawing).lstrip().startswith("<?xml") and figures._book_png(drawing) is None


def test_explorer_frames_record_their_font_and_dpi():
    explorer = InhibitionExplorer(scales=[0.3], samples=1)   # it had 6 pt labels at 80 dpi
    png, _ = explorer.frame(scale=0.3, sample=0)
    with Image.open(io.BytesIO(png)) as im:
        assert float(im.text[figures.DPI_KEY]) == explorer.dpi
        assert float(im.text[figures.FONT_KEY]) * explorer.dpi / 72 >= 10
        assert abs(im.size[0] - explorer.figsize[0] * explorer.dpi) <= 1


@pytest.mark.parametrize("fontsize", [5, 9])
def test_png_bytes_font_record_follows_the_figure(fontsize):
    png = png_bytes(line_figure(fontsize=fontsize))
    with Image.open(io.BytesIO(png)) as im:
        assert float(im.text[figures.FONT_KEY]) == fontsize
