"""Explorers: sliders that work live in Jupyter/Colab and, precomputed, in the static book.

One object, two renderings. Displaying an :class:`Explorer` returns a mimebundle with

- ``application/vnd.jupyter.widget-view+json``: the live ipywidgets view (Jupyter and Colab
  prefer it); every slider move calls the explorer's pure compute function (see
  :mod:`sparselib.explore`) and redraws one small figure;
- ``text/html``: the same figure precomputed for every point of the slider grid (the product
  of the sliders' values), as PNG data URIs, with a few lines of inline JavaScript that
  swap frames when a ``<input type="range">`` moves. The book prefers this one
  (``nb_mime_priority_overrides`` in ``_config.yml``), so its sliders work without a kernel.

The static rendering carries its words in all six languages and switches to the page's
``<html lang>`` when it is one of them: translated pages reuse the English outputs (the
figures have no words). Sliders have an ``aria-label``, every frame an alt text with its
numbers; Persian puts ``dir="rtl"`` on the container while sliders, numbers and plots stay
left to right. Colours: ``cividis`` and the Okabe–Ito palette.
"""
from __future__ import annotations

import base64
import html
import io
import itertools
import json
import uuid
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np
import torch
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap, to_hex
from matplotlib.figure import Figure

from . import explore, i18n
from .figures import png_text, smallest_font_size
from .groups import Tree
from .i18n import LANGUAGES, direction, t
from .viz import OKABE_ITO, SEQUENTIAL
from ._validation import fail, check_instance, check_shape

__all__ = ["Slider", "Explorer", "MAX_HTML_BYTES", "png_bytes", "PenaltyExplorer",
           "SparseCodeExplorer", "SparseCodeStep", "DrSAEExplorer", "GroupSparsityExplorer", "InhibitionExplorer",
           "PoolingExplorer"]

MAX_HTML_BYTES = 3 * 2**20          # a whole page; keep each explorer well below it


@dataclass
class Slider:
    name: str                        # keyword argument of Explorer.compute
    key: str                         # i18n key of the label
    values: Sequence                 # the grid, in slider order
    text: Callable = str             # value -> short display text (maths and numbers)
    default: int = 0                 # index of the initial value

    def label(self, i: int) -> str:
        return self.text(self.values[i])


def png_bytes(fig: Figure, *, colors: int = 96) -> bytes:
    """Render ``fig`` to a palette PNG (``colors`` colours): frames stay a few kB each."""
    from PIL import Image

    from PIL.PngImagePlugin import PngInfo

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    info = PngInfo()                 # the smallest font and the dpi, for the legibility check
    for key, value in png_text(smallest_font_size(fig, draw=False), fig.dpi).items():
        info.add_text(key, value)
    rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
    buf = io.BytesIO()
    rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT).save(buf, "png", optimize=True,
                                                                       pnginfo=info)
    return buf.getvalue()


_JS = """(function () {
  var root = document.getElementById("%(id)s");
  var data = JSON.parse(document.getElementById("%(id)s-data").textContent);
  var lang = (document.documentElement.lang || "").split("-")[0];
  var words = data.words[lang] || data.words[root.lang];
  var inputs = root.querySelectorAll("input[type=range]"), outs = root.querySelectorAll("output");
  var img = root.querySelector("img");
  if (data.words[lang] && lang !== root.lang) {
    root.lang = lang; root.dir = words.dir;
    root.querySelector(".sparselib-explorer-title").textContent = words.title;
    root.querySelectorAll("label").forEach(function (el, i) { el.textContent = words.labels[i]; });
    inputs.forEach(function (el, i) { el.setAttribute("aria-label", words.labels[i]); });
  }
  function show() {
    var k = 0;
    inputs.forEach(function (el, i) {
      var j = +el.value, text = data.values[i][j];
      k = k * data.sizes[i] + j;
      outs[i].textContent = text;
      el.setAttribute("aria-valuetext", text);
    });
    img.src = data.frames[k];
    img.alt = words.alts[k];
  }
  inputs.forEach(function (el) {
    el.addEventListener("input", show);
    el.addEventListener("change", show);
  });
  show();
})();"""


class Explorer:
    """Base class: sliders, a pure ``compute``, a ``draw`` into a figure, localized alt text.

    Subclasses set ``prefix`` (their i18n keys are ``prefix + ".title"`` and ``".alt"``) and
    ``sliders``, and implement :meth:`compute` (pure, fast), :meth:`draw` (maths and numbers
    only) and :meth:`alt_values` (the numbers of the alt-text template).

    Parameters
    ----------
    lang : {"en", "es", "it", "fr", "fa", "ko"}, default "en"
        Language of the labels (the static rendering also carries the other five).
    """

    prefix: str = ""
    figsize: tuple = (6.4, 2.3)
    dpi: int = 96                    # shown 1:1 in the book's column (about 757 px): ≤ 7.8 in wide

    def __init__(self, lang: Optional[str] = None) -> None:
        self.lang = i18n.notebook_language(lang, type(self).__name__)
        self.sliders: list[Slider] = []
        self._html: Optional[str] = None
        self._widget = None

    def __repr__(self) -> str:
        grid = " × ".join(str(len(s.values)) for s in self.sliders)
        return f"{type(self).__name__}(lang={self.lang!r}, grid={grid})"

    # -- to implement
    def compute(self, **values):
        raise NotImplementedError

    def draw(self, fig: Figure, result, values: dict) -> None:
        raise NotImplementedError

    def alt_values(self, result, values: dict, lang: str) -> dict:
        raise NotImplementedError

    # -- shared
    def defaults(self) -> dict:
        return {s.name: s.values[s.default] for s in self.sliders}

    def grid(self) -> list[dict]:
        """Every slider combination, row-major (the last slider varies fastest)."""
        return [dict(zip([s.name for s in self.sliders], combo))
                for combo in itertools.product(*[s.values for s in self.sliders])]

    def figure(self, result, values: dict) -> Figure:
        # Fixed margins (set in each draw): a constrained layout would triple the drawing time.
        fig = Figure(figsize=self.figsize, dpi=self.dpi)
        self.draw(fig, result, values)
        return fig

    def frame(self, **values) -> tuple[bytes, object]:
        """PNG bytes of the figure at ``values`` (missing sliders at their defaults), and the result."""
        values = {**self.defaults(), **values}
        result = self.compute(**values)
        return png_bytes(self.figure(result, values)), result

    def alt(self, result, values: dict, lang: Optional[str] = None) -> str:
        lang = lang or self.lang
        return t(f"{self.prefix}.alt", lang).format(**self.alt_values(result, values, lang))

    # -- static rendering
    def to_html(self) -> str:
        """The kernel-free rendering: every frame of the slider grid and the JavaScript that swaps them."""
        if self._html is not None:
            return self._html
        uid = f"sparselib-explorer-{uuid.uuid4().hex[:12]}"
        frames, alts = [], {lang: [] for lang in LANGUAGES}
        for values in self.grid():
            png, result = self.frame(**values)
            frames.append("data:image/png;base64," + base64.b64encode(png).decode("ascii"))
            for lang in LANGUAGES:
                alts[lang].append(self.alt(result, values, lang))
        data = {
            "frames": frames,
            "sizes": [len(s.values) for s in self.sliders],
            "values": [[s.label(i) for i in range(len(s.values))] for s in self.sliders],
            "words": {lang: {"title": t(f"{self.prefix}.title", lang), "dir": direction(lang),
                             "labels": [t(s.key, lang) for s in self.sliders], "alts": alts[lang]}
                      for lang in LANGUAGES},
        }
        first = 0
        for s in self.sliders:
            first = first * len(s.values) + s.default
        esc = html.escape
        controls = []
        for i, s in enumerate(self.sliders):
            label, value = esc(t(s.key, self.lang)), esc(s.label(s.default))
            controls.append(
                f'<div class="sparselib-explorer-slider"><label for="{uid}-s{i}">{label}</label> '
                f'<input type="range" id="{uid}-s{i}" min="0" max="{len(s.values) - 1}" step="1" '
                f'value="{s.default}" aria-label="{label}" aria-valuetext="{value}" dir="ltr" '
                f'style="vertical-align: middle; width: min(60%, 20em)"> '
                f'<output for="{uid}-s{i}" dir="ltr">{value}</output></div>')
        blob = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        self._html = (
            f'<div class="sparselib-explorer" id="{uid}" lang="{self.lang}" '
            f'dir="{direction(self.lang)}" role="group" aria-labelledby="{uid}-title">'
            f'<p class="sparselib-explorer-title" id="{uid}-title"><strong>'
            f'{esc(t(self.prefix + ".title", self.lang))}</strong></p>'
            + "".join(controls) +
            f'<div dir="ltr"><img src="{frames[first]}" alt="{esc(alts[self.lang][first])}" '
            f'style="max-width: 100%; height: auto"></div></div>\n'
            f'<script type="application/json" id="{uid}-data">{blob}</script>\n'
            f"<script>{_JS % {'id': uid}}</script>")
        return self._html

    # -- live rendering
    def widget(self):
        """The live ipywidgets view (built once): sliders, the figure, its alt text below."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        rtl = direction(self.lang) == "rtl"
        sliders = [w.SelectionSlider(options=[(s.label(i), i) for i in range(len(s.values))],
                                     value=s.default, description=t(s.key, self.lang),
                                     continuous_update=True, style={"description_width": "initial"},
                                     layout=w.Layout(width="min(100%, 36em)"))
                   for s in self.sliders]
        title = w.HTML(f'<strong dir="{direction(self.lang)}">'
                       f'{html.escape(t(self.prefix + ".title", self.lang))}</strong>')
        image, caption = w.Image(format="png"), w.HTML()

        def update(change=None):
            values = {s.name: s.values[sl.value] for s, sl in zip(self.sliders, sliders)}
            png, result = self.frame(**values)
            text = self.alt(result, values)
            image.value, image.tooltip = png, text
            caption.value = f'<small dir="{"rtl" if rtl else "ltr"}">{html.escape(text)}</small>'

        for sl in sliders:
            sl.observe(update, names="value")
        update()
        self._widget = w.VBox([title, *sliders, image, caption])
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = {"text/plain": repr(self), "text/html": self.to_html()}
        try:
            view = self.widget()._repr_mimebundle_()
        except ImportError:                     # no ipywidgets: the static rendering only
            return bundle
        bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle


def _num(value: float, digits: int = 2) -> str:
    return f"{float(value):.{digits}f}"


def _image(ax, x, shape, lo, hi) -> None:
    ax.imshow(x.reshape(shape).numpy(), cmap="gray_r", vmin=lo, vmax=hi)
    ax.set(xticks=[], yticks=[])


# ------------------------------------------------------------------- 1. penalty geometry

class PenaltyExplorer(Explorer):
    """Level sets of ``‖z‖₁``, ``‖z‖₂`` (a group of two) and ``½|z|ᵀS|z|`` in 2-D, and where
    the prox of ``λh`` sends the point ``v`` (shaded: points sent onto an axis or to 0).

    Parameters
    ----------
    v : (float, float), default (1.5, 0.7)
    s : float, default 1.0
        Off-diagonal entry of the 2 × 2 inhibition matrix ``S``.
    lams : sequence of float, default 0, 0.1, ..., 2
    """

    prefix = "penalty"
    figsize = (6.6, 2.5)
    # 0, 1 or 2 coordinates set to zero by the prox: white, light and mid cividis.
    SHADES = ListedColormap(["#ffffff", *(to_hex(c) for c in colormaps[SEQUENTIAL]([0.85, 0.55]))])
    TITLES = {"l1": r"$\|z\|_1$", "group": r"$\|z\|_2$",
              "inhibition": r"$\frac{1}{2}|z|^\top S|z| = s|z_1||z_2|$"}

    def __init__(self, *, v=(1.5, 0.7), s: float = 1.0, lams: Optional[Sequence[float]] = None,
                 lang: Optional[str] = None) -> None:
        super().__init__(lang)
        self.v, self.s = tuple(float(a) for a in v), float(s)
        lams = [round(0.1 * i, 2) for i in range(21)] if lams is None else list(lams)
        start = min(range(len(lams)), key=lambda i: abs(lams[i] - 0.5))   # λ nearest 0.5
        self.sliders = [Slider("lam", "penalty.lam", lams, lambda a: f"λ = {a:.2f}", default=start)]

    def compute(self, lam: float) -> explore.PenaltyGeometry:
        return explore.penalty_geometry(lam, self.v, s=self.s, resolution=61)

    def draw(self, fig: Figure, r: explore.PenaltyGeometry, values: dict) -> None:
        axes = fig.subplots(1, 3, sharey=True, gridspec_kw=dict(left=0.07, right=0.99, bottom=0.14,
                                                                top=0.84, wspace=0.12))
        ext = [float(r.axis[0]), float(r.axis[-1])] * 2
        for ax, name in zip(axes, explore.PENALTIES):
            ax.imshow(r.zeros[name].numpy(), origin="lower", extent=ext, cmap=self.SHADES,
                      vmin=0, vmax=2, interpolation="nearest")
            ax.contour(r.axis, r.axis, r.levels[name], levels=[0.25, 0.5, 1, 1.5, 2],
                       colors="0.35", linewidths=0.7)
            p = r.prox[name]
            ax.annotate("", xy=(float(p[0]), float(p[1])), xytext=self.v,
                        arrowprops=dict(arrowstyle="->", color=OKABE_ITO[7], lw=1))
            ax.plot(*self.v, "o", color=OKABE_ITO[7], ms=4)
            ax.plot(float(p[0]), float(p[1]), "o", color=OKABE_ITO[5], ms=6)
            ax.set_title(self.TITLES[name], fontsize=9)
            ax.set(xticks=[-2, 0, 2], yticks=[-2, 0, 2], aspect="equal")
            ax.set_xlabel("$z_1$", labelpad=0)
        axes[0].set_ylabel("$z_2$", labelpad=0)
        fig.suptitle(rf"$\lambda = {r.lam:.2f}$", fontsize=10)

    def alt_values(self, r, values, lang) -> dict:
        out = {"lam": _num(r.lam), "v1": _num(self.v[0]), "v2": _num(self.v[1])}
        for tag, name in zip("abc", explore.PENALTIES):
            out[tag + "1"], out[tag + "2"] = (_num(c) for c in r.prox[name].tolist())
        return out


# ------------------------------------------------------------------- 2. sparse code vs λ, and ISTA's step

def _digits_dictionary():
    """Chapter 1's setting: 128 centred training digits as unit-norm atoms, a test digit (a 0).

    On the default λ grid this digit's number of non-zeros falls at every step; that is not
    true of every input (the lasso path can gain an atom as λ grows).
    """
    from .data import load_digits

    split = load_digits(verbose=False)
    mean = split.X_train.double().mean(0)
    W_d = torch.nn.functional.normalize((split.X_train[:128].double() - mean).T, dim=0)
    return split.X_test[1].double() - mean, W_d                  # (64,), (64, 128)


@dataclass
class SparseCodeStep:
    """One frame of :class:`SparseCodeExplorer`: the code at λ, and ISTA with step ``eta / L``."""

    code: explore.SparseCode    # the minimiser z* at λ (FISTA), its sparsity and reconstruction
    eta: float                  # the step, in units of 1/L
    energy: Tensor              # (n_iter,) E(x, z^(k)) of ISTA with step eta / L, k = 1 … n_iter
    energy_star: float          # E(x, z*)
    energy_zero: float          # E(x, 0) = ½‖x‖², which no descent from z^(0) = 0 can exceed
    rises: int                  # steps k at which the energy rose

    @property
    def gap(self) -> Tensor:
        """``(E(x, z^(k)) − E*) / E*``, shape ``(n_iter,)``."""
        return (self.energy - self.energy_star) / self.energy_star

    @property
    def diverged(self) -> bool:
        """The last energy is above that of ``z = 0`` (or not finite)."""
        last = float(self.energy[-1])
        return not np.isfinite(last) or last > self.energy_zero


def _sci(value: float) -> str:
    """``3.2×10^{-8}`` in mathtext (``0`` for zero, ``∞`` when not finite)."""
    value = float(value)
    if not np.isfinite(value):
        return r"\infty"
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    return rf"{mantissa}\times10^{{{int(exponent)}}}"


class SparseCodeExplorer(Explorer):
    """The sparse code of one input as λ moves, and ISTA's convergence as its step moves.

    Two sliders: the sparsity weight λ, and the step ``η`` of ISTA in units of ``1/L``
    (``L = ‖W_d‖₂²``). Left: the input, its reconstruction ``W_d z*`` and the code ``z*``
    (the minimiser of ``E(x, z) = ½‖x − W_d z‖² + λ‖z‖₁``, by FISTA), with ``‖z*‖₀`` and the
    relative error ``‖x − W_d z*‖² / ‖x‖²``. Right: the relative energy gap
    ``(E(x, z^(k)) − E*) / E*`` of ``n_iter`` ISTA steps ``z^(k+1) = soft_{ηλ}(z^(k) − η∇f(z^(k)))``
    from ``z^(0) = 0``, with the step ``1/L`` in grey for reference. Below ``1/L`` the
    majoriser holds; below ``2/L`` the energy still falls at every step; above ``2/L`` nothing
    is guaranteed and the curve leaves the top of the panel when ISTA diverges.

    Parameters
    ----------
    x : Tensor of shape (n_features,), optional
        Default: a centred test digit (scikit-learn's 8 × 8 digits, second test image).
    W_d : Tensor of shape (n_features, n_atoms), optional
        Default: 128 centred training digits, unit norm (as in chapter 1).
    lams : sequence of float, default 0.03, 0.1, 0.3, 1
    etas : sequence of float, default 0.5, 1, 1.9, 2.1, 2.5
        Steps of ISTA in units of ``1/L``: one below ``1/L``, two in ``[1/L, 2/L)``, two above.
    n_iter : int, default 100
        ISTA steps per curve.
    mean : Tensor of shape (n_features,), optional
        Added to ``x`` and ``W_d z*`` for display only (the mean digit of a centred data set).
    image_shape : (int, int), default (8, 8)
    """

    prefix = "code"
    figsize = (7.6, 2.3)

    def __init__(self, x=None, W_d=None, *, lams: Optional[Sequence[float]] = None,
                 etas: Optional[Sequence[float]] = None, n_iter: int = 100, mean=None,
                 image_shape=(8, 8), lang: Optional[str] = None) -> None:
        from .solvers import lipschitz

        super().__init__(lang)
        if x is None or W_d is None:
            x, W_d = _digits_dictionary()
        self.x, self.W_d = x.detach().double().flatten(), W_d.detach().double()
        self.mean = (torch.zeros_like(self.x) if mean is None
                     else torch.as_tensor(mean).detach().double().flatten())
        self.image_shape, self.n_iter = tuple(image_shape), int(n_iter)
        self.L = lipschitz(self.W_d)
        lams = [0.03, 0.1, 0.3, 1.0] if lams is None else [float(a) for a in lams]
        etas = [0.5, 1.0, 1.9, 2.1, 2.5] if etas is None else [float(a) for a in etas]
        for name, grid in (("lams", lams), ("etas", etas)):
            if not grid or min(grid) <= 0:
                fail(ValueError, name, "SparseCodeExplorer", "be a non-empty sequence of positive numbers",
                     repr(grid))
        self.sliders = [Slider("lam", "code.lam", lams, lambda a: f"λ = {a:.3g}", default=len(lams) // 2),
                        Slider("eta", "code.eta", etas, lambda a: f"η = {a:g}/L",
                               default=min(range(len(etas)), key=lambda i: abs(etas[i] - 1)))]
        self._codes = self._minimisers(lams)
        self._runs: dict = {}
        self._zmax = max(float(c.z.abs().max()) for c in self._codes.values()) * 1.05 or 1.0
        shown = self.x + self.mean
        self._range = (min(0.0, float(shown.min())), float(shown.max()))

    def _minimisers(self, lams) -> dict:
        """z* for every λ in one batched FISTA solve, to near machine precision (the gaps go
        down to 1e-10): the code of ``x`` at ``λ`` is ``λ`` times the code of ``x/λ`` at 1."""
        from .solvers import fista

        scale = torch.tensor([float(a) for a in lams], dtype=torch.float64)[:, None]   # (n_lams, 1)
        z, _ = fista(self.x[None] / scale, self.W_d, 1.0, max_iter=3000, tol=1e-15)
        codes = {}
        for lam, z_lam in zip(lams, z * scale):
            x_hat = self.W_d @ z_lam
            err = float(((self.x - x_hat) ** 2).sum() / (self.x ** 2).sum().clamp_min(1e-30))
            codes[lam] = explore.SparseCode(float(lam), z_lam, x_hat, int((z_lam != 0).sum()), err)
        return codes

    def _code(self, lam: float) -> explore.SparseCode:
        if lam not in self._codes:                    # a λ off the grid (live use only)
            self._codes.update(self._minimisers([lam]))
        return self._codes[lam]

    def _ista(self, lam: float, eta: float) -> Tensor:
        from .solvers import ista

        if (lam, eta) not in self._runs:
            _, info = ista(self.x[None], self.W_d, lam, max_iter=self.n_iter, tol=0, L=self.L / eta)
            self._runs[lam, eta] = info["objective"].double()
        return self._runs[lam, eta]

    def compute(self, lam: float, eta: float) -> SparseCodeStep:
        code = self._code(lam)
        energy = self._ista(lam, eta)
        e_star = float(0.5 * ((self.x - code.x_hat) ** 2).sum() + lam * code.z.abs().sum())
        e_star = min(e_star, float(energy.nan_to_num(float("inf")).min()))  # ISTA may end lower
        rises = int((energy[1:] > energy[:-1] * (1 + 1e-12)).sum())
        return SparseCodeStep(code, float(eta), energy, e_star, float(0.5 * (self.x ** 2).sum()), rises)

    def draw(self, fig: Figure, r: SparseCodeStep, values: dict) -> None:
        c = r.code
        ax_x, ax_h, ax_z, ax_e = fig.subplots(1, 4, width_ratios=[1.1, 1.1, 2.4, 2.4], gridspec_kw=dict(
            left=0.01, right=0.99, bottom=0.17, top=0.78, wspace=0.3))
        _image(ax_x, self.x + self.mean, self.image_shape, *self._range)
        _image(ax_h, c.x_hat + self.mean, self.image_shape, *self._range)
        ax_x.set_title("$x$", fontsize=9)
        ax_h.set_title(r"$W_d z^*$", fontsize=9)
        z = c.z.numpy()
        nz = np.flatnonzero(z)
        ax_z.axhline(0, color="0.6", lw=0.6)
        ax_z.vlines(nz, 0, z[nz], color=OKABE_ITO[4], lw=1.2)
        ax_z.plot(nz, z[nz], "o", color=OKABE_ITO[4], ms=2.5)
        ax_z.set(xlim=(-1, len(z)), ylim=(-self._zmax, self._zmax), yticks=[])
        ax_z.set_xlabel("$j$", labelpad=0)
        ax_z.set_title(rf"$\|z^*\|_0 = {c.n_active},\ \|x - W_d z^*\|^2/\|x\|^2 = {c.rel_error:.2f}$",
                       fontsize=8)
        k = np.arange(1, len(r.energy) + 1)
        floor, top = 1e-10, 1e3
        if r.eta != 1.0:
            reference = self.compute(c.lam, 1.0).gap.clamp(floor, 10 * top).numpy()
            ax_e.semilogy(k, reference, color="0.7", lw=1)
        ax_e.semilogy(k, r.gap.nan_to_num(10 * top).clamp(floor, 10 * top).numpy(), color=OKABE_ITO[5], lw=1.4)
        ax_e.set(ylim=(floor, top), xlim=(1, k[-1]), yticks=[1e-9, 1e-6, 1e-3, 1])
        ax_e.tick_params(labelsize=8)
        ax_e.set_xlabel("$k$", labelpad=0)
        ax_e.set_title(rf"$\eta = {r.eta:g}/L:\ (E_{{{k[-1]}}} - E^*)/E^* = {_sci(r.gap[-1])}$", fontsize=8)
        fig.suptitle(rf"$\lambda = {c.lam:.3g}$", fontsize=10, y=0.99)

    def alt_values(self, r, values, lang) -> dict:
        c = r.code
        if r.diverged:
            state = t("code.diverged", lang)
        elif r.rises:
            state = t("code.rose", lang).format(rises=r.rises, steps=len(r.energy) - 1)
        else:
            state = t("code.fell", lang)
        return {"lam": f"{c.lam:.3g}", "n": c.n_active, "m": len(c.z), "err": _num(c.rel_error),
                "eta": f"{r.eta:g}", "k": len(r.energy), "gap": f"{float(r.gap[-1]):.1e}", "state": state}


# ------------------------------------------------------------------- 3. DrSAE iterations

class DrSAEExplorer(Explorer):
    """A trained DrSAE's code after ``k`` iterations, for a few inputs.

    Units are ordered part units (blue), categorical units (vermillion), then the others
    (grey); the third panel follows the mean activity of the first two groups over ``k``.
    The input's title is the classifier's prediction ``ŷ^{(k)}`` from ``z^{(k)}`` (and the
    label ``y`` when known); the fourth panel is the classifier's probabilities
    ``softmax(W_c z^{(k)}/‖z^{(k)}‖ + c)`` over the classes, the prediction in vermillion and
    the label's bar outlined; with labels ``y``, the last panel is the accuracy on ``X`` of
    the classifier read after every iteration
    (:func:`sparselib.analysis.accuracy_by_iteration`, computed once), the current ``k`` marked.

    Parameters
    ----------
    model : DrSAE, optional
        Default: ``checkpoints/drsae-digits.pt`` of the course repository.
    X : Tensor of shape (n_samples, n_features), optional
        Inputs used to find part and categorical units (default: the digits' test split).
    y : Tensor of shape (n_samples,), optional
        Their labels (default: the model's predictions, and no accuracy panel).
    samples : sequence of int, default (0, 1, 2, 3)
        Rows of ``X`` offered by the input slider.
    image_shape : (int, int), default (8, 8)
    accuracy : Tensor of shape (n_iter,), optional
        The accuracy after every iteration when the caller has it already (a chapter passes
        its own ``accuracy_by_iteration(model, X, y)``); computed from ``X, y`` otherwise.
    """

    prefix = "drsae"
    figsize = (7.8, 2.2)

    def __init__(self, model=None, X=None, y=None, *, samples: Sequence[int] = (0, 1, 2, 3),
                 image_shape=(8, 8), accuracy=None, lang: Optional[str] = None) -> None:
        from .analysis import activity_by_class, categorical_units, part_units

        super().__init__(lang)
        if model is None:
            from .recipes import checkpoint, load
            model = load(checkpoint("drsae-digits.pt"))
        if X is None:
            from .data import load_digits
            X, y = load_digits(verbose=False).X_test, None
        from .analysis import accuracy_by_iteration

        self.model = model.eval()
        self.X = X.detach().to(model.W_e.dtype)
        self.labels = None if y is None else [int(y[i]) for i in samples]
        if y is None:
            self.accuracy = None
        elif accuracy is None:
            self.accuracy = accuracy_by_iteration(model, self.X, y)
        else:
            check_shape(accuracy, "accuracy", "DrSAEExplorer", (model.n_iter,),
                        "(one accuracy per iteration)", lead="be a tensor of shape")
            self.accuracy = accuracy.detach().double().cpu()
        with torch.no_grad():
            y = model.predict(self.X) if y is None else y
            activity = activity_by_class(model, self.X, y)
        self.part, self.categorical = part_units(activity), categorical_units(activity) & ~part_units(activity)
        other = ~(self.part | self.categorical)
        self.order = torch.cat([torch.nonzero(m).flatten() for m in (self.part, self.categorical, other)])
        self.image_shape, self.samples = tuple(image_shape), list(samples)
        with torch.no_grad():
            codes = model(self.X[self.samples]).codes                   # (n_iter, n, n_atoms)
        self._zmax = float(codes.max()) * 1.05 or 1.0
        self._range = (float(self.X.min()), float(self.X.max()))
        n_iter = model.n_iter
        self.sliders = [Slider("t", "drsae.t", list(range(1, n_iter + 1)), lambda v: f"k = {v}"),
                        Slider("sample", "drsae.sample", list(range(len(self.samples))),
                               lambda v: f"{v + 1} / {len(self.samples)}")]

    def compute(self, t: int, sample: int) -> explore.DrSAEFrame:
        return explore.drsae_frame(self.model, self.X[self.samples[sample]], t,
                                   self.part, self.categorical)

    def probabilities(self, r: explore.DrSAEFrame) -> torch.Tensor:
        """``softmax(W_c z^{(k)}/‖z^{(k)}‖ + c)``, shape ``(n_classes,)``, for the frame's code."""
        with torch.no_grad():
            return self.model.classify(r.z[None])[0].softmax(-1)

    def predicted(self, r: explore.DrSAEFrame) -> int:
        """The class the classifier reads from the frame's code ``z^{(k)}``."""
        with torch.no_grad():
            return int(self.model.classify(r.z[None]).argmax())

    def draw(self, fig: Figure, r: explore.DrSAEFrame, values: dict) -> None:
        panels = 4 if self.accuracy is None else 5
        axes = fig.subplots(1, panels, width_ratios=[1, 3.5, 2, 2, 2][:panels], gridspec_kw=dict(
            left=0.03, right=0.99, bottom=0.2, top=0.87, wspace=0.35))
        ax_x, ax_z, ax_c, ax_p = axes[:4]
        _image(ax_x, r.x, self.image_shape, *self._range)
        pred = self.predicted(r)
        label = None if self.labels is None else self.labels[values["sample"]]
        ax_x.set_title(rf"$\hat y^{{({r.t})}} = {pred}$", fontsize=9)
        if label is not None:
            ax_x.set_xlabel(f"$y = {label}$", fontsize=9)
        p = self.probabilities(r).numpy()
        classes = np.arange(len(p))
        ax_p.bar(classes, p, width=0.8, color=["0.6"] * len(p))
        ax_p.bar([pred], [p[pred]], width=0.8, color=OKABE_ITO[5])
        if label is not None:
            ax_p.bar([label], [p[label]], width=0.8, fill=False, edgecolor="black", lw=0.8)
        ax_p.set(xlabel="$j$", xticks=[0, len(p) - 1], ylim=(0, 1), yticks=[0, 1])
        ax_p.set_title(rf"$p_{{{pred}}} = {p[pred]:.2f}$", fontsize=9)
        z = r.z[self.order].numpy()
        colors = np.array([OKABE_ITO[4]] * int(self.part.sum()) + [OKABE_ITO[5]] * int(self.categorical.sum())
                          + ["0.6"] * (len(z) - int(self.part.sum()) - int(self.categorical.sum())))
        nz = np.flatnonzero(z)
        ax_z.vlines(nz, 0, z[nz], colors=colors[nz], lw=1)
        ax_z.set(xlim=(-1, len(z)), ylim=(0, self._zmax), xlabel="$i$")
        ax_z.set_title(rf"$z^{{({r.t})}},\ \|z^{{({r.t})}}\|_0 = {r.n_active}$", fontsize=9)
        steps = np.arange(1, len(r.part) + 1)
        ax_c.plot(steps, r.part.numpy(), "o-", ms=2.5, color=OKABE_ITO[4], label=r"$\mathcal{P}$")
        ax_c.plot(steps, r.categorical.numpy(), "s--", ms=2.5, color=OKABE_ITO[5], label=r"$\mathcal{C}$")
        ax_c.axvline(r.t, color=OKABE_ITO[7], lw=0.8)
        ax_c.set(xlabel="$k$", xticks=[1, len(steps)])
        ax_c.set_title(r"$\overline{z}^{(k)}$", fontsize=9)
        ax_c.legend(fontsize=8, frameon=False)
        if self.accuracy is not None:
            ax_a = axes[4]
            ax_a.plot(steps, 100 * self.accuracy.numpy(), "o-", ms=2.5, color=OKABE_ITO[2])
            ax_a.plot([r.t], [100 * float(self.accuracy[r.t - 1])], "o", ms=6, color=OKABE_ITO[5])
            ax_a.set(xlabel="$k$", xticks=[1, len(steps)], ylim=(0, 100))
            ax_a.set_title(rf"${100 * float(self.accuracy[r.t - 1]):.1f}\,\%$", fontsize=9)

    def alt_values(self, r, values, lang) -> dict:
        def pct(curve):
            return round(100 * float(curve[r.t - 1] / curve[-1])) if float(curve[-1]) > 0 else 0
        acc = "–" if self.accuracy is None else f"{100 * float(self.accuracy[r.t - 1]):.1f}"
        pred = self.predicted(r)
        return {"sample": values["sample"] + 1, "t": r.t, "T": len(r.part), "n": r.n_active,
                "part": pct(r.part), "cat": pct(r.categorical), "pred": pred,
                "prob": f"{100 * float(self.probabilities(r)[pred]):.0f}", "acc": acc}


# ------------------------------------------------------------------- 4. group sparsity

class GroupSparsityExplorer(Explorer):
    """Which units switch on together under group sparsity with ``w × w`` blocks of units.

    The units sit on a ``side × side`` grid; the input was made by a random dictionary from
    a code active on a 3 × 3 neighbourhood of units (inside one 4 × 4 block, across four
    2 × 2 blocks). With ``w = 1`` the penalty is plain L1 and units switch on one by one;
    with larger blocks whole blocks switch on and off together.

    The third panel is the optimality certificate of the code, pool by pool: the norm of the
    pool's correlations with the residual, ``‖(W_dᵀ(x − W_d z))_{P_j}‖₂ / λ``
    (:meth:`correlations`). At the minimum every active pool sits at 1 and every pool that is
    off at or below 1, which is why it is off.

    Parameters
    ----------
    side : int, default 8
    sizes : sequence of int, default (1, 2, 4)
        Block sizes; each must divide ``side``.
    lams : sequence of float, default 8 values from 0.05 to 2, log-spaced
    n_features : int, default 40
    seed : int, default 0
    """

    prefix = "group"
    figsize = (7.4, 2.5)

    def __init__(self, *, side: int = 8, sizes: Sequence[int] = (1, 2, 4),
                 lams: Optional[Sequence[float]] = None, n_features: int = 40, seed: int = 0,
                 lang: Optional[str] = None) -> None:
        super().__init__(lang)
        for k in sizes:
            explore.block_groups(side, k)                         # validates that k divides side
        gen = torch.Generator().manual_seed(seed)
        self.side = side
        self.W_d = torch.nn.functional.normalize(
            torch.randn(n_features, side * side, generator=gen, dtype=torch.float64), dim=0)
        z_true = torch.zeros(side, side, dtype=torch.float64)
        r0 = c0 = 1                                               # a 3 × 3 patch in one 4 × 4 block
        z_true[r0:r0 + 3, c0:c0 + 3] = 0.5 + torch.rand(3, 3, generator=gen, dtype=torch.float64)
        self.z_true = z_true.flatten()
        self.x = self.W_d @ self.z_true + 0.02 * torch.randn(n_features, generator=gen,
                                                              dtype=torch.float64)
        lams = np.geomspace(0.05, 2, 8).round(3).tolist() if lams is None else list(lams)
        self.sliders = [Slider("size", "group.size", list(sizes), lambda k: f"w = {k}",
                               default=min(1, len(sizes) - 1)),
                        Slider("lam", "group.lam", lams, lambda a: f"λ = {a:.3g}",
                               default=len(lams) // 2)]
        self._zmax = float(self.z_true.abs().max())

    def compute(self, size: int, lam: float) -> explore.GroupCode:
        return explore.group_code(self.x, self.W_d, lam, size, self.side)

    def correlations(self, r: explore.GroupCode) -> torch.Tensor:
        """``(n_groups,)``: ``‖(W_dᵀ(x − W_d z))_{P_j}‖₂ / λ``, the pools' correlations with the
        residual in units of λ (at the minimum: 1 for an active pool, at most 1 for a zero one)."""
        c = self.W_d.T @ (self.x - self.W_d @ r.z)               # (side²,)
        return (r.G @ (c * c)).sqrt() / r.lam

    @staticmethod
    def largest_off(ratio: torch.Tensor, on: torch.Tensor) -> Optional[float]:
        """The largest ratio among the pools that are off (None when every pool is on)."""
        return float(ratio[~on].max()) if bool((~on).any()) else None

    def draw(self, fig: Figure, r: explore.GroupCode, values: dict) -> None:
        ax_z, ax_t, ax_c = fig.subplots(1, 3, width_ratios=[1, 1, 1.5], gridspec_kw=dict(
            left=0.01, right=0.99, bottom=0.1, top=0.8, wspace=0.12))
        n = self.side
        for ax, z in ((ax_z, r.z), (ax_t, self.z_true)):
            ax.imshow(z.abs().reshape(n, n).numpy(), cmap=SEQUENTIAL, vmin=0, vmax=self._zmax)
            ax.set(xticks=[], yticks=[])
        for b in range(0, n + 1, r.size):                        # block borders
            ax_z.axhline(b - 0.5, color=OKABE_ITO[1], lw=0.8)
            ax_z.axvline(b - 0.5, color=OKABE_ITO[1], lw=0.8)
        groups_on = int(r.group_on.sum())
        ax_z.set_title(rf"$|z|,\ w = {r.size},\ \lambda = {r.lam:.3g}$" "\n"
                       rf"$\|z\|_0 = {r.n_active},\ {groups_on}/{len(r.group_on)}$", fontsize=8)
        ax_t.set_title(r"$|z_{\mathrm{true}}|$", fontsize=8)
        ratio, on = self.correlations(r).numpy(), r.group_on.numpy()
        j = np.arange(len(ratio))
        ax_c.bar(j[~on], ratio[~on], width=0.8, color="0.65")
        ax_c.bar(j[on], ratio[on], width=0.8, color=OKABE_ITO[5])
        ax_c.axhline(1.0, color="0.2", lw=0.8, ls="--")
        ax_c.set(xlim=(-0.6, len(ratio) - 0.4), ylim=(0, 1.35), xticks=[], yticks=[0, 1])
        ax_c.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax_c.spines[side].set_visible(False)
        off = self.largest_off(self.correlations(r), r.group_on)
        text = "" if off is None else rf",\ \mathrm{{max}}_{{\mathrm{{off}}}} = {off:.2f}"
        ax_c.set_title(rf"$\|W_{{d,P_j}}^\top (x - W_d z)\|_2 / \lambda{text}$", fontsize=8)
        ax_c.set_xlabel("$j$", fontsize=8, labelpad=1)

    def alt_values(self, r, values, lang) -> dict:
        off = self.largest_off(self.correlations(r), r.group_on)
        return {"w": r.size, "lam": f"{r.lam:.3g}", "n": r.n_active, "m": len(r.z),
                "g": int(r.group_on.sum()), "G": len(r.group_on),
                "off": "—" if off is None else _num(off)}


# ------------------------------------------------------------------- 5. lateral inhibition

def _tree_layout(tree: Tree) -> np.ndarray:
    """``(n, 2)`` positions: leaves evenly spaced left to right, parents above their children."""
    pos = np.zeros((tree.n_nodes, 2))
    next_leaf = [0.0]

    def place(u):
        kids = sorted(tree.children[u])
        for c in kids:
            place(c)
        pos[u, 0] = np.mean([pos[c, 0] for c in kids]) if kids else next_leaf[0]
        if not kids:
            next_leaf[0] += 1
        pos[u, 1] = -float(tree.depth[u])

    for root in tree.roots:
        place(root)
    return pos


@dataclass
class InhibitionFrame(explore.InhibitionCode):
    """One frame of :class:`InhibitionExplorer`: the codes at ``α`` and what they cost.

    The errors are ``‖X − Z W_dᵀ‖_F / ‖X‖_F`` over all the explorer's inputs, ``Z`` the codes
    as drawn (units below ``rel`` of a code's largest set to 0), with the explorer's one
    dictionary; ``*_free`` are the same at ``α = 0`` (plain L1).
    """

    rel_error: float = 0.0        # with the inhibition V = α·tree_inhibition
    rel_error_free: float = 0.0   # α = 0, same dictionary
    active: float = 0.0           # mean number of active units per input, at α
    active_free: float = 0.0      # the same at α = 0


class InhibitionExplorer(Explorer):
    """Which units of a tree can be co-active as the inhibition ``V = α·tree_inhibition`` grows,
    and what that costs in reconstruction.

    The energy's inhibition term is ``½|z|ᵀV|z|`` (half of ``penalties.lateral_inhibition``);
    the book writes the matrix ``V`` and its strength ``α`` (the argument ``scale``). Each
    input mixes the atoms of one root-to-leaf branch with one atom off that branch. With
    ``α = 0`` (plain L1) the off-branch unit switches on with the branch; as ``α`` grows,
    units on different branches stop being active together. Each frame also shows, over all
    inputs, the relative reconstruction error ``‖X − Z W_dᵀ‖_F / ‖X‖_F`` and the mean number
    of active units, at ``α`` and at ``α = 0`` with the same dictionary (:class:`InhibitionFrame`).

    Parameters
    ----------
    tree : Tree, default ``Tree.complete(2, 3)`` (15 units)
    scales : sequence of float, default 0, 0.1, ..., 1
        The strengths α offered by the slider.
    n_inputs : int, default 24
        Inputs over which co-active pairs are counted.
    samples : int, default 3
        Inputs offered by the input slider.
    n_features : int, default 24
    seed : int, default 0
    """

    prefix = "inhibition"
    figsize = (5.6, 2.8)

    def __init__(self, *, tree: Optional[Tree] = None, scales: Optional[Sequence[float]] = None,
                 n_inputs: int = 24, samples: int = 3, n_features: int = 24, seed: int = 0,
                 lang: Optional[str] = None) -> None:
        super().__init__(lang)
        self.tree = tree = Tree.complete(2, 3) if tree is None else tree
        n = tree.n_nodes
        gen = torch.Generator().manual_seed(seed)
        self.W_d = torch.nn.functional.normalize(
            torch.randn(n_features, n, generator=gen, dtype=torch.float64), dim=0)
        leaves = [u for u in range(n) if not tree.children[u]]
        A = tree.ancestor_matrix()
        Z = torch.zeros(n_inputs, n, dtype=torch.float64)
        for b in range(n_inputs):
            leaf = leaves[int(torch.randint(len(leaves), (1,), generator=gen))]
            branch = A[:, leaf]                                      # the leaf and its ancestors
            off = torch.nonzero(~(branch | A[leaf])).flatten()
            Z[b, branch] = 0.5 + 0.5 * torch.rand(int(branch.sum()), generator=gen, dtype=torch.float64)
            Z[b, off[int(torch.randint(len(off), (1,), generator=gen))]] = 0.8
        self.X = Z @ self.W_d.T + 0.02 * torch.randn(n_inputs, n_features, generator=gen,
                                                      dtype=torch.float64)
        self.layout = _tree_layout(tree)
        self.same = explore.branch_pairs(tree)
        self._free = self._cost(explore.inhibition_code(self.X, self.W_d, tree, 0.0))  # α = 0
        scales = [round(0.1 * i, 2) for i in range(11)] if scales is None else list(scales)
        self.sliders = [Slider("scale", "inhibition.scale", scales, lambda a: f"α = {a:.2f}",
                               default=min(3, len(scales) - 1)),
                        Slider("sample", "inhibition.sample", list(range(samples)),
                               lambda v: f"{v + 1} / {samples}")]

    def _cost(self, code: explore.InhibitionCode) -> tuple[float, float]:
        """Relative reconstruction error over all inputs and mean active units per input."""
        error = float((self.X - code.z @ self.W_d.T).norm() / self.X.norm())
        return error, float((code.z != 0).sum(1).double().mean())

    def compute(self, scale: float, sample: int) -> InhibitionFrame:
        code = explore.inhibition_code(self.X, self.W_d, self.tree, scale)
        (error, active), (error_0, active_0) = self._cost(code), self._free
        return InhibitionFrame(**vars(code), rel_error=error, rel_error_free=error_0,
                               active=active, active_free=active_0)

    def draw(self, fig: Figure, r: InhibitionFrame, values: dict) -> None:
        ax_t, ax_c = fig.subplots(1, 2, width_ratios=[1.4, 1], gridspec_kw=dict(
            left=0.01, right=0.97, bottom=0.17, top=0.89, wspace=0.08))
        z = r.z[values["sample"]].numpy()
        pos = self.layout
        for u in range(self.tree.n_nodes):
            p = int(self.tree.parent[u])
            if p >= 0:
                ax_t.plot(*pos[[u, p]].T, color="0.6", lw=0.8, zorder=1)
        ax_t.scatter(pos[:, 0], pos[:, 1], c=z, cmap=SEQUENTIAL, vmin=0, vmax=max(z.max(), 1e-9),
                     s=110, edgecolors=OKABE_ITO[7], linewidths=0.6, zorder=2)
        for u, (a, b) in enumerate(pos):
            ax_t.text(a, b - 0.38, str(u), ha="center", va="top", fontsize=8)
        ax_t.set(xticks=[], yticks=[], ylim=(pos[:, 1].min() - 0.8, 0.5))
        ax_t.set_title(rf"$\alpha = {r.scale:.2f},\ z > 0$", fontsize=9)
        ax_c.imshow(r.co_active.numpy(), cmap=SEQUENTIAL, vmin=0, vmax=max(int(r.co_active.max()), 1))
        i, j = np.nonzero(self.same.numpy())
        ax_c.plot(j, i, ".", color=OKABE_ITO[1], ms=1.5)
        ax_c.set(xticks=[], yticks=[], xlabel="$j$", ylabel="$i$")
        ax_c.set_title(rf"$n_{{\neq}} = {r.off_branch},\ n_{{=}} = {r.on_branch}$", fontsize=9)
        fig.text(0.5, 0.03, rf"$\|X - Z W_d^\top\|_F / \|X\|_F = {_num(r.rel_error, 3)}\ "
                 rf"(\alpha = 0:\ {_num(r.rel_error_free, 3)}),\quad \overline{{\|z\|_0}} = "
                 rf"{_num(r.active, 1)}\ (\alpha = 0:\ {_num(r.active_free, 1)})$",
                 ha="center", va="bottom", fontsize=8)

    def alt_values(self, r, values, lang) -> dict:
        units = torch.nonzero(r.z[values["sample"]]).flatten().tolist()
        return {"alpha": _num(r.scale), "sample": values["sample"] + 1, "B": len(r.z),
                "units": ", ".join(map(str, units)) or t("explorer.none", lang),
                "off": r.off_branch, "on": r.on_branch, "err": _num(r.rel_error, 3),
                "err0": _num(r.rel_error_free, 3), "act": _num(r.active, 1),
                "act0": _num(r.active_free, 1)}


# ------------------------------------------------------------------- 6. L2 pooling and shifts

def _mosaic(maps: np.ndarray, ncol: int) -> np.ndarray:
    """``(n, h, w)`` maps tiled ``ncol`` to a row, NaN (drawn blank) between and around them."""
    n, h, w = maps.shape
    nrow = -(-n // ncol)
    out = np.full((nrow * (h + 1) + 1, ncol * (w + 1) + 1), np.nan)
    for i, m in enumerate(maps):
        r, c = divmod(i, ncol)
        out[1 + r * (h + 1):1 + r * (h + 1) + h, 1 + c * (w + 1):1 + c * (w + 1) + w] = m
    return out


class PoolingExplorer(Explorer):
    """Shift an input by ``δ`` pixels: its feature maps move with it, its L2-pooled outputs
    change less.

    The frame shows the shifted input ``x_δ``, its feature maps ``z_i = g_i ReLU(W_{e,i} * x_δ − b_i)``
    (``b`` a subtracted threshold) and its pooled outputs (groups of the model's ``group_size``
    maps × ``w × w`` windows of positions, stride 1), with the relative change
    ``ρ_f = ‖f(x_δ) − f(x)‖ / ‖f(x)‖`` of each (bars, numbers on top) and the ratio
    ``ρ_P / ρ_z`` of the pooled outputs' change to the feature maps' (top right of the bars,
    for ``δ ≠ 0``): below 1 the pooling absorbs part of the shift. Zeros are shifted in (see
    :func:`sparselib.explore.pooling_shift`).

    Parameters
    ----------
    model : ConvGroupSparseAutoencoder, optional
        Default: 8 random 3 × 3 filters in groups of two, padding 1, gains 1 (seed 0), untrained.
    x : Tensor of shape (C, H, W) or (H, W), optional
        Default: the first test digit, ``(1, 8, 8)``.
    shifts : sequence of int, default −2, …, 2
    windows : sequence of int, default (1, 2, 3)
        Pooling window widths offered by the second slider.
    """

    prefix = "pooling"
    figsize = (7.0, 2.4)

    def __init__(self, model=None, x=None, *, shifts: Sequence[int] = (-2, -1, 0, 1, 2),
                 windows: Sequence[int] = (1, 2, 3), lang: Optional[str] = None) -> None:
        from .models.conv import ConvGroupSparseAutoencoder

        super().__init__(lang)
        if model is None:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(0)
                model = ConvGroupSparseAutoencoder(1, 8, 3, group_size=2, pool=2, pool_stride=1,
                                                   padding=1, scale_init=1.0)
        check_instance(model, "model", "PoolingExplorer", ConvGroupSparseAutoencoder,
                       "a ConvGroupSparseAutoencoder")
        if x is None:
            from .data import load_digits
            x = load_digits(verbose=False).X_test[0].reshape(1, 8, 8)
        x = x.detach()
        x = x[None] if x.ndim == 2 else x
        check_shape(x, "x", "PoolingExplorer", (model.in_channels, "H", "W"))
        self.model, self.x = model.eval(), x.to(model.W_e.dtype)
        shifts, windows = [int(a) for a in shifts], [int(w) for w in windows]
        self.sliders = [
            Slider("shift", "pooling.shift", shifts, lambda a: f"δ = {a:+d}" if a else "δ = 0",
                   default=min(range(len(shifts)), key=lambda i: abs(shifts[i]))),
            Slider("window", "pooling.window", windows, lambda w: f"w = {w}",
                   default=min(range(len(windows)), key=lambda i: abs(windows[i] - model.pool)))]
        # Fixed colour and bar scales over the whole grid (the s = 0 maps and the largest change).
        rs = [self.compute(**v) for v in self.grid()]
        self._zmax = max(float(r.z.max()) for r in rs) or 1.0
        self._pmax = {w: max(float(r.pooled.max()) for r in rs if r.window == w) or 1.0 for w in windows}
        self._rmax = max(max(r.rel_x, r.rel_z, r.rel_pooled) for r in rs) * 1.25 or 1.0
        self._range = (float(self.x.min()), float(self.x.max()))

    def compute(self, shift: int, window: int) -> explore.PoolingShift:
        return explore.pooling_shift(self.model, self.x, shift, window)

    def draw(self, fig: Figure, r: explore.PoolingShift, values: dict) -> None:
        ax_x, ax_z, ax_p, ax_b = fig.subplots(1, 4, width_ratios=[1, 2.2, 2.2, 1.5], gridspec_kw=dict(
            left=0.01, right=0.99, bottom=0.12, top=0.84, wspace=0.1))
        ax_x.imshow(r.x.mean(0).numpy(), cmap="gray_r", vmin=self._range[0], vmax=self._range[1])
        K, G = r.z.shape[0], r.pooled.shape[0]
        cols = 4 if K % 4 == 0 else max(1, int(np.ceil(np.sqrt(K))))
        rows = -(-K // cols)                                      # pooled maps: as many rows
        ax_z.imshow(_mosaic(r.z.numpy(), cols), cmap=SEQUENTIAL, vmin=0, vmax=self._zmax)
        ax_p.imshow(_mosaic(r.pooled.numpy(), -(-G // rows)), cmap=SEQUENTIAL,
                    vmin=0, vmax=self._pmax[r.window])
        for ax in (ax_x, ax_z, ax_p):
            ax.set(xticks=[], yticks=[])
        ax_x.set_title(rf"$x_\delta,\ \delta = {r.shift}$", fontsize=9)
        ax_z.set_title(r"$z_i$", fontsize=9)
        ax_p.set_title(rf"$\|z_{{P_j}}\|_2,\ {r.window} \times {r.window}$", fontsize=9)
        rel = [r.rel_x, r.rel_z, r.rel_pooled]
        ax_b.bar(range(3), rel, color=["0.6", OKABE_ITO[1], OKABE_ITO[4]])
        for i, v in enumerate(rel):
            ax_b.text(i, v + 0.02 * self._rmax, _num(v), ha="center", va="bottom", fontsize=8)
        ax_b.set(xticks=range(3), ylim=(0, self._rmax), yticks=[])
        ax_b.set_xticklabels(["$x$", "$z$", r"$\|z_P\|$"], fontsize=8)
        for side in ("top", "right", "left"):
            ax_b.spines[side].set_visible(False)
        ax_b.set_title(r"$\rho_f = \|f(x_\delta) - f(x)\| / \|f(x)\|$", fontsize=8)
        ratio = self.ratio(r)
        if ratio is not None:                                     # the top fifth is free of bars
            ax_b.text(1.0, 1.0, rf"$\rho_P / \rho_z = {_num(ratio)}$", transform=ax_b.transAxes,
                      ha="right", va="top", fontsize=8)

    @staticmethod
    def ratio(r: explore.PoolingShift) -> Optional[float]:
        """``ρ_P / ρ_z``: the pooled outputs' relative change over the feature maps' (None at δ = 0)."""
        return r.rel_pooled / r.rel_z if r.rel_z > 0 else None

    def alt_values(self, r, values, lang) -> dict:
        ratio = self.ratio(r)
        return {"d": f"{r.shift:+d}" if r.shift else "0", "w": r.window, "x": _num(r.rel_x),
                "z": _num(r.rel_z), "p": _num(r.rel_pooled), "M": r.z.shape[0],
                "n_pooled": r.pooled.shape[0], "ratio": "—" if ratio is None else _num(ratio)}
