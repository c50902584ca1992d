"""Measurements made on trained models: the numbers the chapters report.

The models (:mod:`sparselib.models`) hold models; this package holds what is measured on
them. No function here trains anything or imports a model module: each reads a model
through its public protocol (``model(x)``, ``model.codes(x)``, ``model.classify(z)``, its
weights) or takes codes, reconstructions and filters directly.

- :mod:`~sparselib.analysis.classification`: a DrSAE's classes (chapter 2):
  :func:`accuracy_by_iteration`, :func:`ablation_accuracy`, :func:`activity_by_class`,
  :func:`part_units`, :func:`categorical_units`;
- :mod:`~sparselib.analysis.reconstruction`: :func:`relative_error`,
  :func:`explained_energy`;
- :mod:`~sparselib.analysis.orientation`: orientation maps and their pinwheels (chapter 3):
  :func:`filter_orientation`, :func:`orientation_difference`, :func:`map_smoothness`,
  :func:`smoothness_ratio`, :func:`pinwheels`, :func:`random_orientation_maps`,
  :func:`matched_wavelength`, :func:`pinwheel_null`;
- :mod:`~sparselib.analysis.inhibition`: active units and tree paths (chapter 5):
  :func:`active_units`, :func:`path_fraction`;
- :mod:`~sparselib.analysis.readout`: what a code retains, the best linear read-out of the
  input (chapter 2, ``benchmarks/drsae_ablation.py``): :func:`linear_readout`;
- :mod:`~sparselib.analysis.few_label`: the few-label protocol's pieces (chapter 4,
  :mod:`sparselib.protocols.stacked_conv`): :func:`carve_labelled`, :func:`fit_classifier`,
  :func:`correctness`, :func:`paired_bootstrap`;
- :mod:`~sparselib.analysis.invariance`: :func:`shift_change` (chapter 4);
- :mod:`~sparselib.analysis.sae_metrics`: today's SAEs (chapter 6): :func:`l0`, :func:`fvu`,
  :func:`explained_variance`, :func:`dead_fraction`, :func:`shrinkage`,
  :func:`spliced_metrics`, :func:`classes_per_unit`, :func:`polysemantic_units`,
  :func:`pca_fvu`.

The old homes (``sparselib.models.drsae``, ``.topographic``, ``.lateral`` and
``sparselib.models``) re-export the same functions.
"""
from .classification import (ablation_accuracy, accuracy_by_iteration, activity_by_class,
                             categorical_units, part_units)
from .few_label import carve_labelled, correctness, fit_classifier, paired_bootstrap
from .inhibition import active_units, path_fraction
from .invariance import shift_change
from .orientation import (filter_orientation, map_smoothness, matched_wavelength,
                          orientation_difference, pinwheel_null, pinwheels,
                          random_orientation_maps, smoothness_ratio)
from .readout import Readout, linear_readout
from .reconstruction import explained_energy, relative_error
from .sae_metrics import (SplicedMetrics, classes_per_unit, dead_fraction, explained_variance, fvu,
                          l0, pca_fvu, polysemantic_units, shrinkage, spliced_metrics)

__all__ = [
    "accuracy_by_iteration", "ablation_accuracy", "activity_by_class", "part_units",
    "categorical_units",
    "relative_error", "explained_energy",
    "filter_orientation", "orientation_difference", "map_smoothness", "smoothness_ratio",
    "pinwheels", "random_orientation_maps", "matched_wavelength", "pinwheel_null",
    "active_units", "path_fraction",
    "Readout", "linear_readout",
    "carve_labelled", "fit_classifier", "correctness", "paired_bootstrap",
    "shift_change",
    "l0", "fvu", "explained_variance", "dead_fraction", "shrinkage", "SplicedMetrics",
    "spliced_metrics", "classes_per_unit", "polysemantic_units", "pca_fvu",
]
