"""Building blocks of the chapters' architecture diagrams: rounded boxes, labelled arrows and
stacks of feature maps, drawn in data coordinates on a matplotlib ``Axes``.

Chapters 3, 4 and 5 draw their models with these (``sparselib.viz`` re-exports them): a box
holds one operation or one term of the loss, an arrow carries a quantity between boxes (its
label sits just above its middle), a stack of offset squares stands for a set of feature maps.
Labels are maths only, as in every figure of the book. Each call draws and returns nothing.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from ._validation import check_nonneg_scalar, check_positive_int

__all__ = ["BOX_COLOR", "LOSS_COLOR", "box", "arrow", "map_stack"]

BOX_COLOR = "#E8F0FA"     # an operation of the model
LOSS_COLOR = "#FBEBD9"    # a term of the loss


def box(ax: Axes, x: float, y: float, text: str, w: float = 1.6, color: str = BOX_COLOR, *,
        height: float = 0.7, fontsize: float = 12) -> None:
    """A rounded box of width ``w`` and height ``height`` centred at ``(x, y)``, with ``text``
    in its middle (``fontsize`` points) and a grey edge; ``color`` fills it (:data:`LOSS_COLOR`
    for a term of the loss)."""
    w = check_nonneg_scalar(w, "w", "box", positive=True)
    height = check_nonneg_scalar(height, "height", "box", positive=True)
    ax.add_patch(FancyBboxPatch((x - w / 2, y - height / 2), w, height,
                                boxstyle="round,pad=0.08", fc=color, ec="0.3"))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def arrow(ax: Axes, start: Sequence[float], end: Sequence[float], text: str = "", *,
          style: str = "-|>", rad: float = 0.0, text_offset: float = 0.15) -> None:
    """An arrow from ``start`` to ``end`` with ``text`` above its middle.

    ``style`` is a matplotlib arrow style (``"-|>"`` a head at ``end``, ``"|-|"`` a mutual
    link); ``rad`` bends it into an arc (``connectionstyle="arc3,rad=..."``; negative bends
    it upwards when it runs to the right). The label sits ``text_offset`` above the middle of
    the two ends, raised further by the arc's height, ``|rad| · |end_x − start_x| / 2``.
    """
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(
        arrowstyle=style, color="0.3", connectionstyle=f"arc3,rad={rad}"))
    lift = 0.5 * abs(rad) * abs(end[0] - start[0])     # height of the arc's top above its ends
    ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + text_offset + lift, text,
            ha="center")


def map_stack(ax: Axes, x: float, y: float, n: int, color: str, *, size: float = 0.55,
              step: float = 0.12) -> None:
    """A stack of ``n`` feature maps drawn as squares of side ``size``, each ``step`` to the
    right of and below the one before; the first has its lower left corner at ``(x, y)``."""
    n = check_positive_int(n, "n", "map_stack")
    for i in range(n):
        ax.add_patch(plt.Rectangle((x + step * i, y - step * i), size, size, fc=color, ec="0.3",
                                   lw=0.6))
