"""sparselib: sparse coding and sparse auto-encoders in PyTorch.

Shape vocabulary, used everywhere in the package:

- ``x``: ``(batch, n_features)``, data (image models take ``(batch, channels, H, W)``);
- ``z``: ``(batch, n_atoms)``, codes;
- ``W_d`` (also accepted as ``D`` by the solvers): ``(n_features, n_atoms)``, a dictionary /
  decoder with unit-norm columns; the reconstruction is ``x_hat = z @ W_d.T`` (the orientation
  of ``nn.Linear(n_atoms, n_features).weight``);
- a grouping ``G``: ``(n_groups, n_atoms)``, membership weights of atoms in groups.

A 1-D ``z`` (or ``x``) is treated as one sample and gives 0-d penalties (or a 1-D code).
"""
from . import data, groups, models, penalties, prox, solvers, train
from .groups import Tree, contiguous_groups, torus_groups, tree_inhibition
from .penalties import group_l2, l1, lateral_inhibition
from .prox import group_soft_threshold, soft_threshold, tree_prox
from .solvers import ConvergenceWarning, fista, ista, lipschitz
from .train import fit
from .models import JumpReLUAutoencoder, ReLUAutoencoder, TopKAutoencoder

__version__ = "0.1.0"

if "IPython" in __import__("sys").modules:     # in a kernel: SVG drawings, 2x PNG images
    from .figures import use_book_figures as _use_book_figures
    _use_book_figures()

__all__ = [
    "ConvergenceWarning", "Tree", "contiguous_groups", "data", "fista", "fit", "models", "train", "group_l2", "group_soft_threshold",
    "groups", "ista", "l1", "lateral_inhibition", "lipschitz", "penalties", "prox", "soft_threshold",
    "solvers", "torus_groups", "tree_inhibition", "tree_prox",
    # chapter 6's sparse auto-encoders (sparselib.models)
    "JumpReLUAutoencoder", "ReLUAutoencoder", "TopKAutoencoder",
]
