"""The book's explorers, one module each: its pure compute function, its result dataclass and
its drawing class (an :class:`~sparselib.explorers.base.Explorer`).

- :mod:`.base`: :class:`Slider`, :func:`png_bytes`, :class:`Explorer` (static HTML, live widget);
- :mod:`.penalty`: :class:`PenaltyExplorer`, :func:`penalty_geometry`;
- :mod:`.sparse_code`: :class:`SparseCodeExplorer`, :func:`sparse_code`;
- :mod:`.drsae`: :class:`DrSAEExplorer`, :func:`drsae_frame`;
- :mod:`.group_sparsity`: :class:`GroupSparsityExplorer`, :func:`group_code`;
- :mod:`.inhibition`: :class:`InhibitionExplorer`, :func:`inhibition_code`, :func:`branch_pairs`;
- :mod:`.pooling`: :class:`PoolingExplorer`, :func:`pooling_shift`, :func:`shift_image`, :func:`l2_pool`;
- :mod:`.sae`: :class:`SAEExplorer`, :func:`sae_point` (chapter 6, from a recorded sweep).

An explorer takes its model and data from the caller (the chapter passes its own); no module
here loads a checkpoint or a data set. The maths that is not about drawing lives below:
:func:`sparselib.functional.inhibition_prox_2d`, :func:`sparselib.groups.block_groups`,
:meth:`sparselib.groups.Tree.layout`.
:mod:`sparselib.widgets` and :mod:`sparselib.explore` re-export these names from their old homes.
"""
from .base import MAX_HTML_BYTES, Explorer, Slider, draw_image, number_text, png_bytes
from .drsae import DrSAEExplorer, DrSAEFrame, drsae_frame
from .group_sparsity import GroupCode, GroupSparsityExplorer, group_code
from .inhibition import InhibitionCode, InhibitionExplorer, InhibitionFrame, branch_pairs, inhibition_code
from .penalty import PENALTIES, PenaltyExplorer, PenaltyGeometry, penalty_geometry
from .pooling import PoolingExplorer, PoolingShift, l2_pool, pooling_shift, shift_image
from .sae import SAEExplorer, SAEPoint, sae_point
from .sparse_code import SparseCode, SparseCodeExplorer, SparseCodeStep, sparse_code

EXPLORERS = (PenaltyExplorer, SparseCodeExplorer, DrSAEExplorer, GroupSparsityExplorer,
             InhibitionExplorer, PoolingExplorer, SAEExplorer)

__all__ = [
    "Slider", "Explorer", "MAX_HTML_BYTES", "png_bytes", "number_text", "draw_image", "EXPLORERS",
    "PenaltyExplorer", "PenaltyGeometry", "penalty_geometry", "PENALTIES",
    "SparseCodeExplorer", "SparseCodeStep", "SparseCode", "sparse_code",
    "DrSAEExplorer", "DrSAEFrame", "drsae_frame",
    "GroupSparsityExplorer", "GroupCode", "group_code",
    "InhibitionExplorer", "InhibitionFrame", "InhibitionCode", "inhibition_code", "branch_pairs",
    "PoolingExplorer", "PoolingShift", "pooling_shift", "shift_image", "l2_pool",
    "SAEExplorer", "SAEPoint", "sae_point",
]
