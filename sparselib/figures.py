"""How the book's figures leave matplotlib: SVG for drawings, 2x PNG for images, and the
smallest font size recorded in each, so that a browser check can compute how tall the
smallest label is on screen.

A label's height on screen, in CSS pixels, is ``font_pt * dpi / 72 * shown / natural``:
its size in points, the resolution the figure was rendered at, and the ratio of the width
the page shows the image at to the image's own width (pixels for a PNG, points for an
SVG, whose ``dpi`` is 72). Both numbers travel with the file: a PNG's text chunks
(:data:`FONT_KEY`, :data:`DPI_KEY`), the ``data-font-pt`` and ``data-dpi`` attributes of
an SVG's root element.

In a Jupyter kernel, importing :mod:`sparselib.viz` calls :func:`use_book_figures`, which
replaces the inline backend's PNG output by these two formats (the live notebook and the
book show the same figures).
"""
from __future__ import annotations

import io
import re
from typing import Optional

from matplotlib.figure import Figure
from matplotlib.image import _ImageBase
from matplotlib.offsetbox import OffsetImage
from matplotlib.text import Text

__all__ = ["FONT_KEY", "DPI_KEY", "PNG_SCALE", "SVG_LIMIT", "smallest_font_size", "has_images",
           "png_text", "figure_png", "figure_svg", "use_book_figures"]

FONT_KEY = "sparselib:font-pt"     # PNG text chunk: the smallest font size drawn, in points
DPI_KEY = "sparselib:dpi"          # PNG text chunk: the resolution the PNG was rendered at
PNG_SCALE = 2                      # image figures: pixels per CSS pixel of the page
SVG_LIMIT = 400_000                # bytes; a larger drawing (thousands of marks) goes out as PNG


def _drawn_texts(fig: Figure, draw: bool = True) -> list[Text]:
    """The figure's texts that a draw renders: visible, not empty, and for an axis's texts
    only its tick labels in view, its label and its offset text (when the axes are on)."""
    if draw:                                           # positions ticks, legends, layout
        fig.draw_without_rendering()
    hidden, shown = set(), set()
    for ax in fig.get_axes():
        for axis in (getattr(ax, name) for name in ("xaxis", "yaxis", "zaxis") if hasattr(ax, name)):
            hidden.update(id(t) for t in axis.findobj(Text))
            if ax.get_visible() and ax.axison and axis.get_visible():
                shown.update(id(t) for t in axis.get_majorticklabels() + axis.get_minorticklabels())
                shown.update((id(axis.label), id(axis.get_offset_text())))
    texts = []
    for text in fig.findobj(Text):
        if id(text) in hidden and id(text) not in shown:
            continue
        if not text.get_visible() or not text.get_text().strip():
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        texts.append(text)
    return texts


def smallest_font_size(fig: Figure, *, draw: bool = True) -> Optional[float]:
    """The smallest font size, in points, of the texts drawn in ``fig`` (None: no text).

    Tick labels count only where the axes are drawn and the tick is in view; invisible and
    empty texts do not count. Mathtext sub- and superscripts are drawn smaller than their
    text's font size; the size counted is the text's. ``draw=False`` when ``fig`` has just
    been drawn (its ticks are then in place), to save a second draw.
    """
    sizes = [float(t.get_fontsize()) for t in _drawn_texts(fig, draw)]
    return min(sizes) if sizes else None


def has_images(fig: Figure) -> bool:
    """Whether ``fig`` draws raster images (``imshow``, ``OffsetImage``): those go out as PNG."""
    return bool(fig.findobj(lambda a: isinstance(a, (_ImageBase, OffsetImage))))


def png_text(font_pt: Optional[float], dpi: float) -> dict[str, str]:
    """The text chunks that record a PNG's smallest font size and resolution."""
    return {FONT_KEY: "" if font_pt is None else f"{font_pt:g}", DPI_KEY: f"{float(dpi):g}"}


def figure_png(fig: Figure, *, scale: int = PNG_SCALE, **savefig) -> tuple[bytes, dict]:
    """``fig`` as PNG at ``scale`` times its dpi, with the font and dpi recorded, and the
    ``width``/``height`` (CSS pixels) to show it at."""
    from PIL import Image

    dpi = fig.dpi * scale
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata=png_text(smallest_font_size(fig), dpi), **savefig)
    data = buf.getvalue()
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
    return data, {"width": width // scale, "height": height // scale}


def figure_svg(fig: Figure, **savefig) -> str:
    """``fig`` as SVG (text drawn as paths, so it looks the same everywhere), with the font
    size and dpi (72: an SVG's unit is the point) on its root element."""
    font = smallest_font_size(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", **savefig)
    attrs = f' data-font-pt="{"" if font is None else f"{font:g}"}" data-dpi="72"'
    return re.sub(r"<svg\b", "<svg" + attrs, buf.getvalue(), count=1)


_TOO_BIG: set = set()     # ids of figures whose SVG was over SVG_LIMIT (SVG formatter runs first)


def _book_svg(fig: Figure):
    if (not fig.axes and not fig.texts) or has_images(fig):
        return None
    svg = figure_svg(fig, bbox_inches="tight")
    if len(svg) <= SVG_LIMIT:
        return svg
    _TOO_BIG.add(id(fig))
    return None


def _book_png(fig: Figure):
    if not fig.axes and not fig.texts:
        return None
    big = id(fig) in _TOO_BIG
    _TOO_BIG.discard(id(fig))
    if not (big or has_images(fig)):
        return None
    import base64

    data, size = figure_png(fig, bbox_inches="tight")
    return base64.b64encode(data).decode("ascii"), size


def use_book_figures(shell=None) -> bool:
    """Make the IPython kernel show matplotlib figures as SVG, or as 2x PNG when they hold
    images (or when the SVG would be large), each with its smallest font size recorded.

    Returns False (and changes nothing) outside IPython.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    try:                                # the inline backend installs its own formatters on
        import matplotlib_inline.backend_inline  # noqa: F401  first import: let it go first
    except ImportError:
        pass
    def install(*args) -> None:
        formatters = shell.display_formatter.formatters
        formatters["image/png"].for_type(Figure, _book_png)
        formatters["image/svg+xml"].for_type(Figure, _book_svg)

    install()
    # The inline backend may install its own formatters later (on its first import, or after
    # the cell that imported it): take them back before every cell.
    if not getattr(shell, "_sparselib_book_figures", False):
        shell.events.register("pre_run_cell", install)
        shell._sparselib_book_figures = True
    return True
