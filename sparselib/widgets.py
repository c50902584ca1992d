"""Explorers: sliders that work live in Jupyter/Colab and, precomputed, in the static book.

The explorers live in :mod:`sparselib.explorers`, one module each (``base`` holds the shared
slider and HTML machinery); this module re-exports them from their old home, so
``from sparselib.widgets import PenaltyExplorer`` keeps working (the same objects).
"""
from __future__ import annotations

from .explorers import (MAX_HTML_BYTES, DrSAEExplorer, Explorer, GroupSparsityExplorer,
                        InhibitionExplorer, InhibitionFrame, PenaltyExplorer, PoolingExplorer,
                        SAEExplorer, Slider, SparseCodeExplorer, SparseCodeStep, png_bytes)

__all__ = ["Slider", "Explorer", "MAX_HTML_BYTES", "png_bytes", "PenaltyExplorer",
           "SparseCodeExplorer", "SparseCodeStep", "DrSAEExplorer", "GroupSparsityExplorer", "InhibitionExplorer",
           "PoolingExplorer", "InhibitionFrame", "SAEExplorer"]
