"""Models sharing one protocol: ``encode(x) -> z``, ``forward(x)`` (a dataclass with at least
``z`` and ``x_hat``), ``loss(x, y=None) -> (Tensor, dict)`` and ``project_()``."""
from .lista import LISTA, LISTAOutput

__all__ = ["LISTA", "LISTAOutput"]
from .autoencoders import AutoencoderOutput, GroupSparseAutoencoder, SparseAutoencoder
from .drsae import DrSAE, DrSAEOutput, activity_by_class, categorical_units, drsae_step, part_units

__all__ += ["AutoencoderOutput", "DrSAE", "DrSAEOutput", "GroupSparseAutoencoder",
            "SparseAutoencoder", "activity_by_class", "categorical_units", "drsae_step",
            "part_units"]
from .conv import ConvGroupSparseAutoencoder, ConvOutput, StackedConvEncoder
from .lateral import LateralInhibitionCoder, LateralOutput, path_fraction, project_inhibition
from .topographic import (TopographicAutoencoder, filter_orientation, map_smoothness,
                          orientation_difference, pinwheels)

__all__ += ["ConvGroupSparseAutoencoder", "ConvOutput", "StackedConvEncoder",
            "LateralInhibitionCoder", "LateralOutput", "path_fraction", "project_inhibition",
            "TopographicAutoencoder", "filter_orientation", "map_smoothness",
            "orientation_difference", "pinwheels"]
from .locally_connected import LocallyConnectedAutoencoder, LocallyConnectedOutput, map_groups

__all__ += ["LocallyConnectedAutoencoder", "LocallyConnectedOutput", "map_groups"]
