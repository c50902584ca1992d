"""The experiments behind the chapters' evidence, written once: the benchmarks drive them,
the chapters read their records, and the tests run them on small grids.

- :mod:`~sparselib.protocols.stacked_conv`: stacked convolutional features against pixels and
  random filters with 10 labels per class, every setting selected on a validation split
  (chapter 4; ``benchmarks/stacked_conv_digits.py``), and the per-map gain ablation;
- :mod:`~sparselib.protocols.drsae_ablation`: a DrSAE trained on the classification term
  alone against all three criteria, same size and budget (chapter 2;
  ``benchmarks/drsae_ablation.py``);
- :mod:`~sparselib.protocols.lateral`: chapter 5's tree model retrained at several inhibition
  scales, and its learned inhibition matrix trained far longer than the chapter can
  (``benchmarks/topographic_and_lateral.py``);
- :mod:`~sparselib.protocols.sae_bridge`: ReLU + L1, TopK and JumpReLU SAEs on a digits MLP's
  hidden activations, with their baselines and sweeps (chapter 6; ``benchmarks/sae_bridge.py``).

The measurements they make live in :mod:`sparselib.analysis` (``carve_labelled``,
``fit_classifier``, ``paired_bootstrap``, ``linear_readout``, ...), where the chapters use
them too. These modules train models; nothing below them imports them. :func:`save_record`
writes a record as the committed ones are written.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Union

from . import drsae_ablation, lateral, sae_bridge, stacked_conv

__all__ = ["drsae_ablation", "lateral", "sae_bridge", "stacked_conv", "save_record"]


def save_record(record: dict, path: Union[str, Path]) -> None:
    """Write ``record`` to ``path`` as JSON (UTF-8, indent 1, a final newline), the format of
    the records in ``checkpoints/``."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
