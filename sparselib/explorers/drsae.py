"""Explorer 3, a DrSAE's code iteration by iteration (:class:`DrSAEExplorer`, its compute
:func:`drsae_frame`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor

from .._validation import check_instance, check_labels, check_shape, check_tensor
from ..viz import OKABE_ITO
from .base import Explorer, Slider, draw_image

__all__ = ["DrSAEFrame", "drsae_frame", "DrSAEExplorer"]


@dataclass
class DrSAEFrame:
    t: int               # iteration, 1-based
    x: Tensor            # (n_features,) the input
    z: Tensor            # (n_atoms,) code after t ReLU applications
    part: Tensor         # (n_iter,) mean activity of the part units at every iteration
    categorical: Tensor  # (n_iter,) same for the categorical units
    n_active: int


@torch.no_grad()
def drsae_frame(model, x: Tensor, t: int, part: Tensor, categorical: Tensor) -> DrSAEFrame:
    """The code of one input ``x`` (``(n_features,)``) after ``t`` iterations of a DrSAE.

    ``part`` and ``categorical`` are boolean masks ``(n_atoms,)`` (see
    :func:`sparselib.analysis.part_units`); the frame also carries their mean activity at
    every iteration, so the curves show which group settles first.
    """
    codes = model(x[None].to(model.W_e.dtype)).codes[:, 0]          # (n_iter, n_atoms)
    z = codes[t - 1]

    def mean(mask):
        return codes[:, mask].mean(1) if bool(mask.any()) else codes.new_zeros(len(codes))

    return DrSAEFrame(int(t), x, z, mean(part), mean(categorical), int((z > 0).sum()))



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
    model : DrSAE
        A trained DrSAE; chapter 2 passes ``recipes.load(recipes.checkpoint("drsae-digits.pt"))``.
    X : Tensor of shape (n_samples, n_features)
        Inputs used to find part and categorical units; chapter 2 passes the digits' test
        split, ``split.X_test``.
    y : Tensor of shape (n_samples,), optional
        Their labels, integers in ``[0, model.n_classes)`` (default: the model's predictions,
        and no accuracy panel).
    samples : sequence of int, default (0, 1, 2, 3)
        Rows of ``X`` offered by the input slider.
    image_shape : (int, int), default (8, 8)
    accuracy : Tensor of shape (n_iter,), optional
        The accuracy after every iteration when the caller has it already (a chapter passes
        its own ``accuracy_by_iteration(model, X, y)``); computed from ``X, y`` otherwise.
    """

    prefix = "drsae"
    figsize = (7.8, 2.2)

    def __init__(self, model, X, y=None, *, samples: Sequence[int] = (0, 1, 2, 3),
                 image_shape=(8, 8), accuracy=None, lang: Optional[str] = None) -> None:
        from ..analysis import accuracy_by_iteration, activity_by_class, categorical_units, part_units
        from ..models.drsae import DrSAE

        super().__init__(lang)
        check_instance(model, "model", "DrSAEExplorer", DrSAE, "a trained sparselib DrSAE",
                       "Pass the chapter's model, e.g. "
                       "recipes.load(recipes.checkpoint('drsae-digits.pt')).")
        check_tensor(X, "X", "DrSAEExplorer", ndim=2)
        check_shape(X, "X", "DrSAEExplorer", ("n_samples", model.n_features),
                    "to match the model's n_features")
        if y is not None:
            check_labels(y, "y", "DrSAEExplorer", X.shape[0], model.n_classes)

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

    def compute(self, t: int, sample: int) -> DrSAEFrame:
        return drsae_frame(self.model, self.X[self.samples[sample]], t,
                                   self.part, self.categorical)

    def probabilities(self, r: DrSAEFrame) -> torch.Tensor:
        """``softmax(W_c z^{(k)}/‖z^{(k)}‖ + c)``, shape ``(n_classes,)``, for the frame's code."""
        with torch.no_grad():
            return self.model.classify(r.z[None])[0].softmax(-1)

    def predicted(self, r: DrSAEFrame) -> int:
        """The class the classifier reads from the frame's code ``z^{(k)}``."""
        with torch.no_grad():
            return int(self.model.classify(r.z[None]).argmax())

    def draw(self, fig: Figure, r: DrSAEFrame, values: dict) -> None:
        panels = 4 if self.accuracy is None else 5
        axes = fig.subplots(1, panels, width_ratios=[1, 3.5, 2, 2, 2][:panels], gridspec_kw=dict(
            left=0.03, right=0.99, bottom=0.2, top=0.87, wspace=0.35))
        ax_x, ax_z, ax_c, ax_p = axes[:4]
        draw_image(ax_x, r.x, self.image_shape, *self._range)
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
