"""The explorers' words in the course's six languages: one module per explorer (as in
:mod:`sparselib.explorers`) and one of words they share. :mod:`sparselib.i18n` merges them
into its single table ``TEXTS``; a key may live in one module only."""
from __future__ import annotations

from . import drsae, group_sparsity, inhibition, penalty, pooling, sae, shared, sparse_code

__all__ = ["MODULES", "merged_texts"]

MODULES = (penalty, sparse_code, drsae, group_sparsity, pooling, inhibition, sae, shared)


def merged_texts() -> dict[str, dict[str, str]]:
    """Every module's ``TEXTS`` in one dict; a key defined twice raises ``ValueError``."""
    merged: dict[str, dict[str, str]] = {}
    for module in MODULES:
        twice = sorted(set(merged) & set(module.TEXTS))
        if twice:
            raise ValueError(f"sparselib.texts: keys defined twice: {', '.join(twice)}")
        merged.update(module.TEXTS)
    return merged
