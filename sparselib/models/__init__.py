"""Models sharing one protocol: ``encode(x) -> z``, ``forward(x)`` (a dataclass with at least
``z`` and ``x_hat``), ``loss(x, y=None) -> (Tensor, dict)`` and ``project_()``."""
from .lista import LISTA, LISTAOutput

__all__ = ["LISTA", "LISTAOutput"]
