"""Explorer of chapter 6, today's SAEs: sparsity against fidelity and dead latents along the
recorded sweeps of three activations (:class:`SAEExplorer`, its compute :func:`sae_point`).

The explorer trains nothing: it reads the sweeps that ``benchmarks/sae_bridge.py`` recorded
(``record["sweeps"][name]["rows"]``, each row with the knob's value, ``l0``, ``fvu`` and
``dead``), which the chapter passes in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from matplotlib.figure import Figure

from .._validation import fail
from ..viz import OKABE_ITO
from .base import Explorer, Slider, number_text

__all__ = ["FAMILIES", "SAEPoint", "sae_point", "SAEExplorer"]

# sweep name -> (display name, knob in the record, knob in the maths, colour)
FAMILIES = {
    "relu_l1": ("ReLU + ℓ1", "lam", "λ", OKABE_ITO[5]),
    "topk": ("TopK", "k", "κ", OKABE_ITO[2]),
    "jumprelu": ("JumpReLU", "l0_coef", "λ", OKABE_ITO[4]),
}
LATEX = {"ReLU + ℓ1": r"ReLU + $\ell_1$", "λ": r"\lambda", "κ": r"\kappa"}


@dataclass
class SAEPoint:
    family: str
    value: float         # the knob: λ (ReLU + ℓ1, JumpReLU) or κ (TopK)
    l0: float            # mean number of active latents per test input
    fvu: float           # pooled fraction of variance unexplained
    dead: float          # fraction of latents never active on the test inputs


def sae_point(sweeps: Mapping[str, Sequence[Mapping]], family: str, value) -> SAEPoint:
    """The recorded SAE of ``family`` whose knob equals ``value`` (``sweeps`` maps a family to
    its rows)."""
    for row in sweeps[family]:
        if row[FAMILIES[family][1]] == value:
            return SAEPoint(family, float(value), float(row["l0"]), float(row["fvu"]),
                            float(row["dead"]))
    fail(ValueError, "value", "sae_point", f"be one of the recorded values of {family!r}", repr(value))


class SAEExplorer(Explorer):
    """Choose an activation and a sparsity level: the recorded SAE's place on the curves of
    fidelity (FVU) and of dead latents against sparsity (mean active latents).

    Parameters
    ----------
    record : mapping
        The record of ``benchmarks/sae_bridge.py`` (``checkpoints/sae-bridge.json``): its
        ``"sweeps"`` and ``"n_latents"`` are read.
    levels : int, default 5
        Sparsity levels per activation: each sweep's ``levels`` SAEs with the most active
        latents, ordered from the least sparse to the sparsest.
    """

    prefix = "sae"
    figsize = (6.6, 2.6)

    def __init__(self, record: Mapping, *, levels: int = 5, lang: Optional[str] = None) -> None:
        super().__init__(lang)
        if not isinstance(record, Mapping) or not all(f in record.get("sweeps", {}) for f in FAMILIES):
            fail(TypeError, "record", "SAEExplorer",
                 "be the record of benchmarks/sae_bridge.py, with sweeps " + ", ".join(FAMILIES),
                 type(record).__name__)
        self.sweeps = {f: sorted(record["sweeps"][f]["rows"], key=lambda r: -r["l0"])
                       for f in FAMILIES}
        if any(len(rows) < levels for rows in self.sweeps.values()):
            fail(ValueError, "levels", "SAEExplorer", "be at most the length of every sweep", repr(levels))
        self.n_latents = int(record["n_latents"])
        self.values = {f: [rows[i][FAMILIES[f][1]] for i in range(levels)]
                       for f, rows in self.sweeps.items()}
        self.sliders = [Slider("family", "sae.family", list(FAMILIES), lambda f: FAMILIES[f][0],
                               default=1),
                        Slider("level", "sae.level", list(range(levels)), lambda i: str(i + 1),
                               default=2)]

    def compute(self, family: str, level: int) -> SAEPoint:
        return sae_point(self.sweeps, family, self.values[family][level])

    def draw(self, fig: Figure, r: SAEPoint, values: dict) -> None:
        ax_f, ax_d = fig.subplots(1, 2, gridspec_kw=dict(left=0.09, right=0.99, bottom=0.17,
                                                         top=0.86, wspace=0.3))
        for family, (name, key, _, color) in FAMILIES.items():
            rows = self.sweeps[family]
            chosen = family == r.family
            style = dict(color=color, lw=2 if chosen else 0.9, alpha=1 if chosen else 0.55,
                         marker="o", ms=3)
            l0 = [row["l0"] for row in rows]
            ax_f.plot(l0, [row["fvu"] for row in rows], label=LATEX.get(name, name), **style)
            ax_d.plot(l0, [row["dead"] for row in rows], **style)
        color = FAMILIES[r.family][3]
        ax_f.plot(r.l0, r.fvu, "o", ms=9, mfc="none", mec=OKABE_ITO[7], mew=1.5)
        ax_d.plot(r.l0, r.dead, "o", ms=9, mfc="none", mec=OKABE_ITO[7], mew=1.5)
        ax_f.set(xscale="log", yscale="log", ylabel="FVU")
        ax_f.set_yticks([0.01, 0.03, 0.1, 0.3], labels=["0.01", "0.03", "0.1", "0.3"])
        ax_d.set(xscale="log", ylim=(-0.03, 1.03), ylabel="$m_0/m$")
        ticks = [2, 4, 8, 16, 32, 64]
        for ax in (ax_f, ax_d):
            ax.set_xticks(ticks, labels=[str(a) for a in ticks])
            ax.minorticks_off()
            ax.set_xlabel(r"$\overline{\|z\|_0}$", labelpad=0)
            ax.tick_params(labelsize=8)
        ax_f.legend(fontsize=8, loc="upper right")
        name, _, knob, _ = FAMILIES[r.family]
        fig.suptitle(rf"{LATEX.get(name, name)}, ${LATEX[knob]} = {r.value:g}$: "
                     rf"$\overline{{\|z\|_0}} = {r.l0:.1f}$, FVU $= {r.fvu:.3f}$, "
                     rf"$m_0/m = {100 * r.dead:.0f}\,\%$", fontsize=9, color=color)

    def alt_values(self, r, values, lang) -> dict:
        name, _, knob, _ = FAMILIES[r.family]
        return {"family": name, "param": knob, "value": f"{r.value:g}", "l0": number_text(r.l0, 1),
                "fvu": number_text(r.fvu, 3), "dead": f"{100 * r.dead:.0f} %", "m": self.n_latents}
