"""Models sharing one protocol: ``encode(x) -> z``, ``forward(x)`` (a dataclass with at least
``z`` and ``x_hat``), ``loss(x, y=None) -> (Tensor, dict)`` and ``project_()``."""
from .lista import LISTA, LISTAOutput

__all__ = ["LISTA", "LISTAOutput"]
from .autoencoders import AutoencoderOutput, GroupSparseAutoencoder, SparseAutoencoder
from .drsae import DrSAE, DrSAEOutput, drsae_step
# Measurements on models live in sparselib.analysis; the names below are re-exported from it.
from ..analysis import (activity_by_class, categorical_units, filter_orientation, map_smoothness,
                        orientation_difference, part_units, path_fraction, pinwheels)

__all__ += ["AutoencoderOutput", "DrSAE", "DrSAEOutput", "GroupSparseAutoencoder",
            "SparseAutoencoder", "drsae_step",
            # now in sparselib.analysis (re-exported):
            "activity_by_class", "categorical_units", "part_units"]
from .conv import ConvGroupSparseAutoencoder, ConvOutput, StackedConvEncoder
from .lateral import LateralInhibitionCoder, LateralOutput, project_inhibition
from .topographic import TopographicAutoencoder

__all__ += ["ConvGroupSparseAutoencoder", "ConvOutput", "StackedConvEncoder",
            "LateralInhibitionCoder", "LateralOutput", "project_inhibition",
            "TopographicAutoencoder",
            # now in sparselib.analysis (re-exported):
            "path_fraction", "filter_orientation", "map_smoothness", "orientation_difference",
            "pinwheels"]
from .locally_connected import LocallyConnectedAutoencoder, LocallyConnectedOutput, map_groups

__all__ += ["LocallyConnectedAutoencoder", "LocallyConnectedOutput", "map_groups"]
from .sae import ReLUAutoencoder, SAEBase, SAEOutput
from .topk import TopKAutoencoder
from .jumprelu import JumpReLUAutoencoder

__all__ += ["SAEBase", "SAEOutput", "ReLUAutoencoder", "TopKAutoencoder", "JumpReLUAutoencoder"]
