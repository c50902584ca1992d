"""Explorers: sliders that work live in Jupyter/Colab and, precomputed, in the static book.

One object, two renderings. Displaying an :class:`Explorer` returns a mimebundle with

- ``application/vnd.jupyter.widget-view+json``: the live ipywidgets view (Jupyter and Colab
  prefer it); every slider move calls the explorer's pure compute function (see
  its module in :mod:`sparselib.explorers`) and redraws one small figure;
- ``text/html``: the same figure precomputed for every point of the slider grid (the product
  of the sliders' values), as PNG data URIs, with a few lines of inline JavaScript that
  swap frames when a ``<input type="range">`` moves. The book prefers this one
  (``nb_mime_priority_overrides`` in ``_config.yml``), so its sliders work without a kernel.

The static rendering carries its words in all six languages and switches to the page's
``<html lang>`` when it is one of them: translated pages reuse the English outputs (the
figures have no words). Sliders have an ``aria-label``, every frame an alt text with its
numbers; Persian puts ``dir="rtl"`` on the container while sliders, numbers and plots stay
left to right. Colours: ``cividis`` and the Okabe–Ito palette.

This module holds what every explorer shares: :class:`Slider`, :func:`png_bytes`, the
:class:`Explorer` base class (static HTML, live widget, mimebundle) and two small drawing
helpers (:func:`number_text`, :func:`draw_image`). Each explorer lives in its own module of
:mod:`sparselib.explorers`, with its pure compute function and result dataclass.
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
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import i18n
from ..figures import png_text, smallest_font_size
from ..i18n import LANGUAGES, direction, t

__all__ = ["Slider", "Explorer", "MAX_HTML_BYTES", "png_bytes", "number_text", "draw_image"]

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


def number_text(value: float, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals (the numbers of titles and alt texts)."""
    return f"{float(value):.{digits}f}"


def draw_image(ax, x, shape, lo, hi) -> None:
    """``x`` reshaped to ``shape`` on ``ax``, grey levels from ``lo`` (white) to ``hi`` (black), no ticks."""
    ax.imshow(x.reshape(shape).numpy(), cmap="gray_r", vmin=lo, vmax=hi)
    ax.set(xticks=[], yticks=[])
