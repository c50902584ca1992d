"""Pure compute functions behind the explorers (:mod:`sparselib.widgets`).

Each function takes the slider values and the explorer's fixed data, returns a small
dataclass of tensors and numbers, and draws nothing, so it is tested without a display and
timed by ``benchmarks/bench_widgets.py`` (a live update must stay well under 100 ms).

They live beside their explorers in :mod:`sparselib.explorers` (one module each), and the
maths that is not about drawing below them (:func:`sparselib.functional.inhibition_prox_2d`,
:func:`sparselib.groups.block_groups`); this module re-exports them from their old home.
"""
from __future__ import annotations

from .explorers import (PENALTIES, DrSAEFrame, GroupCode, InhibitionCode, PenaltyGeometry,
                        PoolingShift, SparseCode, branch_pairs, drsae_frame, group_code,
                        inhibition_code, l2_pool, penalty_geometry, pooling_shift, shift_image,
                        sparse_code)
from .functional import inhibition_prox_2d
from .groups import block_groups

__all__ = ["inhibition_prox_2d", "penalty_geometry", "PenaltyGeometry", "sparse_code",
           "SparseCode", "drsae_frame", "DrSAEFrame", "block_groups", "group_code", "GroupCode",
           "branch_pairs", "inhibition_code", "InhibitionCode", "shift_image", "l2_pool",
           "pooling_shift", "PoolingShift", "PENALTIES"]
