"""Figures: filter grids, code histograms, codes over iterations, reconstructions.

Figure text is maths and numbers only (captions in the chapter's language carry the
words). Colour maps are colour-blind safe: ``cividis`` for magnitudes, ``PuOr`` for signed
filters, grey for images, and the Okabe–Ito palette for lines.
"""
from __future__ import annotations

from typing import Optional, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from torch import Tensor
from torchvision.utils import make_grid

from ._validation import fail, check_in_range, check_positive_int, check_shape, check_tensor
from .diagrams import BOX_COLOR, LOSS_COLOR, arrow, box, map_stack
from .figures import use_book_figures

use_book_figures()      # in a Jupyter kernel: SVG drawings, 2x PNG images (sparselib.figures)

__all__ = ["SEQUENTIAL", "DIVERGING", "OKABE_ITO", "filter_grid", "code_histogram",
           "code_over_iterations", "reconstructions", "class_activity"]

SEQUENTIAL = "cividis"
DIVERGING = "PuOr"
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000")


def _ax(ax: Optional[Axes], size=(4, 4)) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=size)[1]


def _tiles(images: Tensor, image_shape: Sequence[int], func: str, name: str) -> Tensor:
    """``(n, H*W)`` or ``(n, C, H, W)`` -> ``(n, C, H, W)``."""
    images = check_tensor(images, name, func, ndim=(2, 4)).detach().cpu().float()
    if images.ndim == 2:
        h, w = image_shape
        if h * w != images.shape[1]:
            fail(ValueError, "image_shape", func,
                 f"multiply to {images.shape[1]} (the size of one {name} row)", str(tuple(image_shape)))
        images = images.reshape(-1, 1, h, w)
    return images


def filter_grid(filters: Tensor, image_shape: Sequence[int] = (8, 8), *, nrow: Optional[int] = None,
                ax: Optional[Axes] = None, signed: bool = True) -> Axes:
    """Show filters as tiles, each scaled to its own maximum ``|value|``.

    Parameters
    ----------
    filters : Tensor of shape (n_filters, H*W) or (n_filters, C, H, W)
        E.g. the rows of ``W_e`` or ``W_d.T``.
    image_shape : (H, W), default (8, 8)
    nrow : int, optional
        Tiles per row (default: about the square root of ``n_filters``).
    signed : bool, default True
        Diverging map centred on 0; else grey levels.
    """
    tiles = _tiles(filters, image_shape, "filter_grid", "filters")    # (n, C, H, W)
    scale = tiles.flatten(1).abs().amax(1).clamp_min(1e-12)
    tiles = tiles / scale[:, None, None, None]                          # each in [-1, 1]
    nrow = nrow or max(1, round(len(tiles) ** 0.5))
    grid = make_grid(tiles, nrow=nrow, padding=1, pad_value=0.0)        # (3, H', W')
    ax = _ax(ax)
    if tiles.shape[1] == 3:
        ax.imshow(((grid + 1) / 2).permute(1, 2, 0).numpy())
    else:
        ax.imshow(grid[0].numpy(), cmap=DIVERGING if signed else "gray",
                  vmin=-1 if signed else None, vmax=1 if signed else None)
    ax.set_axis_off()
    return ax


def code_histogram(z: Tensor, *, bins: int = 50, ax: Optional[Axes] = None) -> Axes:
    """Histogram of the non-zero code values (log counts), titled with the zero fraction.

    Parameters
    ----------
    z : Tensor of shape (batch, n_atoms)
    """
    z = check_tensor(z, "z", "code_histogram", ndim=2).detach().cpu().float()
    bins = check_positive_int(bins, "bins", "code_histogram")
    nonzero = z[z != 0]
    ax = _ax(ax, (4, 3))
    if nonzero.numel():
        ax.hist(nonzero.numpy(), bins=bins, color=OKABE_ITO[4], log=True)
    ax.set_xlabel("$z_i$")
    ax.set_title(f"$P(z_i = 0) = {float((z == 0).float().mean()):.2f}$")
    return ax


def code_over_iterations(codes: Tensor, *, sample: int = 0, units: Optional[Sequence[int]] = None,
                         ax: Optional[Axes] = None) -> Axes:
    """Lines ``t -> z_i^{(t)}`` for one sample, from ``codes`` of shape (n_iter, batch, n_atoms).

    Default units: the 8 most active at the last iteration.
    """
    codes = check_tensor(codes, "codes", "code_over_iterations", ndim=3).detach().cpu().float()
    check_in_range(sample, "sample", "code_over_iterations", 0, codes.shape[1], "[)")
    traj = codes[:, sample]                                            # (n_iter, n_atoms)
    if units is None:
        units = traj[-1].argsort(descending=True)[:8].tolist()
    steps = torch.arange(1, codes.shape[0] + 1)
    ax = _ax(ax, (4, 3))
    for j, unit in enumerate(units):
        ax.plot(steps, traj[:, unit], marker="o", ms=3, color=OKABE_ITO[j % len(OKABE_ITO)],
                label=f"$i = {unit}$")
    ax.set_xlabel("$t$")
    ax.set_ylabel("$z_i^{(t)}$")
    ax.legend(fontsize="small", ncol=2)
    return ax


def reconstructions(x: Tensor, x_hat: Tensor, image_shape: Sequence[int] = (8, 8), *, n: int = 8,
                    ax: Optional[Axes] = None) -> Axes:
    """Inputs (top row) above their reconstructions (bottom row), grey levels.

    Parameters
    ----------
    x, x_hat : Tensor of shape (batch, H*W) or (batch, C, H, W)
    """
    x = _tiles(x, image_shape, "reconstructions", "x")[:n]
    x_hat = _tiles(x_hat, image_shape, "reconstructions", "x_hat")[:n]
    check_shape(x_hat, "x_hat", "reconstructions", tuple(x.shape), lead="have the shape of 'x',")
    lo, hi = float(torch.minimum(x.min(), x_hat.min())), float(torch.maximum(x.max(), x_hat.max()))
    grid = make_grid(torch.cat([x, x_hat]), nrow=len(x), padding=1, pad_value=hi)
    ax = _ax(ax, (len(x), 2.2))
    ax.imshow(grid[0].numpy(), cmap="gray", vmin=lo, vmax=hi)
    ax.set_axis_off()
    return ax


def class_activity(activity: Tensor, units: Sequence[int], *, ax: Optional[Axes] = None) -> Axes:
    """Heat map of mean activity per class and iteration for a few units, side by side.

    Parameters
    ----------
    activity : Tensor of shape (n_iter, n_classes, n_atoms)
        From :func:`sparselib.analysis.activity_by_class`.
    units : sequence of int
    """
    activity = check_tensor(activity, "activity", "class_activity", ndim=3).detach().cpu().float()
    n_iter, n_classes, _ = activity.shape
    block = activity[:, :, list(units)].permute(1, 2, 0).reshape(n_classes, -1)  # (k, u*n_iter)
    ax = _ax(ax, (1.2 * len(units) + 1, 3))
    ax.imshow(block.numpy(), cmap=SEQUENTIAL, aspect="auto")
    ax.set_xticks([n_iter * j + (n_iter - 1) / 2 for j in range(len(units))])
    ax.set_xticklabels([f"$i = {u}$" for u in units])
    ax.set_yticks(range(n_classes))
    ax.set_ylabel("$k$")
    for j in range(1, len(units)):
        ax.axvline(n_iter * j - 0.5, color="white", lw=2)
    return ax


# --- Topographic maps, orientation maps with pinwheels, inhibition trees (models II) ---

CYCLIC = "twilight"   # perceptually uniform and cyclic: orientation is an angle modulo π

__all__ += ["CYCLIC", "topographic_map", "orientation_map", "inhibition_tree"]


def topographic_map(filters: Tensor, *, ax: Optional[Axes] = None) -> Axes:
    """Filters drawn at their place on the map, each scaled to its own maximum ``|value|``.

    Parameters
    ----------
    filters : Tensor of shape (rows, cols, p, p)
        E.g. ``TopographicAutoencoder.filters()``.
    """
    filters = check_tensor(filters, "filters", "topographic_map", ndim=4).detach().cpu().float()
    rows, cols, p, q = filters.shape
    return filter_grid(filters.reshape(rows * cols, 1, p, q), (p, q), nrow=cols, ax=ax)


def orientation_map(theta: Tensor, pinwheels: Optional[Tensor] = None, *,
                    ax: Optional[Axes] = None) -> Axes:
    """Orientation map (cyclic colours, ``0`` to ``π``) with pinwheel centres marked.

    Parameters
    ----------
    theta : Tensor of shape (rows, cols), radians modulo π.
    pinwheels : Tensor of shape (n, 3), optional
        ``(row, col, sign)`` from :func:`sparselib.analysis.pinwheels`; drawn as
        white circles (``+1``) and black squares (``−1``).
    """
    import math

    theta = check_tensor(theta, "theta", "orientation_map", ndim=2).detach().cpu().float()
    ax = _ax(ax)
    image = ax.imshow(theta.numpy(), cmap=CYCLIC, vmin=0, vmax=math.pi, interpolation="nearest")
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, ticks=[0, math.pi / 2, math.pi])
    bar.ax.set_yticklabels(["$0$", r"$\pi/2$", r"$\pi$"])
    if pinwheels is not None and len(pinwheels):
        pw = check_tensor(pinwheels, "pinwheels", "orientation_map", ndim=2).detach().cpu()
        for sign, marker, face in ((1, "o", "white"), (-1, "s", "black")):
            sel = pw[:, 2] == sign
            ax.scatter(pw[sel, 1].numpy(), pw[sel, 0].numpy(), marker=marker, s=40,
                       facecolors=face, edgecolors="black" if face == "white" else "white")
    ax.set_title(rf"$\phi$, $n_{{pw}} = {0 if pinwheels is None else len(pinwheels)}$")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def inhibition_tree(tree, filters: Tensor, image_shape: Sequence[int] = (8, 8), *,
                    ax: Optional[Axes] = None, zoom: float = 2.0) -> Axes:
    """A tree with each unit's filter drawn at its node (leaves spread evenly, roots on top).

    Parameters
    ----------
    tree : sparselib.groups.Tree
    filters : Tensor of shape (n_nodes, H*W)
        E.g. ``coder.W_d.T``; each is scaled to its own maximum ``|value|``.
    image_shape : (H, W), default (8, 8)
    """
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage

    tiles = _tiles(filters, image_shape, "inhibition_tree", "filters")[:, 0]  # (n, H, W)
    if len(tiles) != tree.n_nodes:
        fail(ValueError, "filters", "inhibition_tree", f"have one row per tree node ({tree.n_nodes})",
             str(len(tiles)))
    x_pos = tree.layout()[:, 0].tolist()            # leaves left to right, parents centred
    n_leaves = sum(1 for u in range(tree.n_nodes) if not tree.children[u])
    depth = tree.depth.tolist()
    ax = _ax(ax, (max(4, 0.6 * n_leaves), 1.2 * (max(depth) + 1)))
    for u, p in enumerate(tree.parent.tolist()):
        if p >= 0:
            ax.plot([x_pos[p], x_pos[u]], [-depth[p], -depth[u]], color=OKABE_ITO[7], lw=0.8, zorder=1)
    for u in range(tree.n_nodes):
        tile = tiles[u] / tiles[u].abs().max().clamp_min(1e-12)
        box = OffsetImage(tile.numpy(), cmap=DIVERGING, zoom=zoom, norm=None)
        box.get_children()[0].set_clim(-1, 1)
        ax.add_artist(AnnotationBbox(box, (x_pos[u], -depth[u]), frameon=True, pad=0.05))
    ax.set_xlim(-0.7, n_leaves - 0.3)
    ax.set_ylim(-max(depth) - 0.7, 0.7)
    ax.set_axis_off()
    return ax


# --- Architecture diagrams (drawn with patches and arrows; labels are maths only) ---
# The chapters' own diagrams are drawn with box, arrow and map_stack (sparselib.diagrams).

__all__ += ["BOX_COLOR", "LOSS_COLOR", "box", "arrow", "map_stack", "drsae_diagram"]


def drsae_diagram(*, ax: Optional[Axes] = None) -> Axes:
    """The DrSAE unrolled over its iterations, with its three criteria on the final code.

    ``x`` enters through ``W_e`` at every step; step 1 is ``ReLU(W_e x - b)``, step ``t+1``
    adds ``S z^{(t)}``; the final code ``z^{(T)}`` feeds the decoder ``W_d``, the L1 penalty
    and the classifier ``W_c`` on ``z/‖z‖``.
    """
    ax = _ax(ax, (9, 3.6))
    box = dict(boxstyle="round,pad=0.35", fc="white", ec="0.25", lw=1)
    loss = dict(boxstyle="round,pad=0.35", fc="#FCE8D5", ec=OKABE_ITO[5], lw=1)
    arrow = dict(arrowstyle="-|>", color="0.25", lw=1, shrinkA=12, shrinkB=12)

    def node(xy, text, style=box, size=10, ha="center"):
        ax.text(*xy, text, ha=ha, va="center", fontsize=size, bbox=style)

    def link(a, b, label=None, offset=(0, 0.13), **kw):
        ax.annotate("", xy=b, xytext=a, arrowprops={**arrow, **kw})
        if label:
            ax.text((a[0] + b[0]) / 2 + offset[0], (a[1] + b[1]) / 2 + offset[1], label,
                    ha="center", va="bottom", fontsize=9)

    steps = [(2.2, r"$z^{(1)}$"), (4.4, r"$z^{(2)}$"), (6.6, r"$z^{(T)}$")]
    node((0, 0), "$x$")
    node((0.9, -1.1), r"$W_e x$", size=9)
    link((0, 0), (0.9, -1.1))
    for k, (cx, label) in enumerate(steps):
        relu = (cx - 0.8, 0)
        node(relu, r"$\mathrm{ReLU}(\,\cdot - b)$", size=9)
        node((cx + 0.35, 0), label)
        link(relu, (cx + 0.35, 0), shrinkA=30)
        link((0.9, -1.1), relu, connectionstyle="arc3,rad=0.0", color="0.55", ls="--")
        if k:
            prev = steps[k - 1][0] + 0.35
            link((prev, 0), relu, r"$S$" if k == 1 else r"$S\ \cdots\ S$", shrinkB=30)
    zT = (steps[-1][0] + 0.35, 0)
    heads = [((8.1, 1.2), r"$\frac{1}{2}\Vert x - W_d z\Vert_2^2$", r"$W_d$"),
             ((8.1, 0), r"$\lambda \Vert z\Vert_1$", None),
             ((8.1, -1.2), r"$\mathrm{CE}(W_c \frac{z}{\Vert z\Vert} + c,\ y)$", r"$W_c$")]
    for xy, text, label in heads:
        node(xy, text, loss, size=9, ha="left")
        link(zT, xy, label, offset=(-0.1, 0.05), shrinkB=6)
    ax.set(xlim=(-0.4, 10.0), ylim=(-1.6, 1.6))
    ax.set_axis_off()
    return ax
