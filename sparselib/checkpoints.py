"""Checkpoint files: a model's weights, the recipe record beside them, and the committed ones.

A checkpoint is a pair of files: ``<name>.pt``, a plain ``state_dict`` (float32, on the
CPU), and ``<name>.json``, the record of how it was made (for the recipes of
:mod:`sparselib.recipes`: the data, every setting, the metrics reached, and the model's name
and ``config()`` under ``"model"`` and ``"model_config"``). Weights are read back with
``torch.load(..., weights_only=True)``, so loading never runs pickled code.

This module knows no model: :func:`load` takes the function that builds one from a record
(:func:`sparselib.recipes.build_model`; ``recipes.load(path)`` passes it), so that the
training loop and the recipes can both sit above it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Optional, Union

import torch
from torch import nn

from ._validation import check_instance, describe, fail

__all__ = ["save_checkpoint", "write_recipe", "read_recipe", "load_checkpoint", "load",
           "checkpoint"]

PathLike = Union[str, Path]


def save_checkpoint(model: nn.Module, path: PathLike, recipe: Optional[dict] = None) -> Path:
    """Write ``model.state_dict()`` (float32, on the CPU) to ``path``.

    Parameters
    ----------
    model : nn.Module
    path : str or Path
        The ``.pt`` file; missing folders are made.
    recipe : dict, optional
        Written beside it as JSON (same name, ``.json``; see :func:`write_recipe`).

    Returns
    -------
    Path
        ``path``.
    """
    check_instance(model, "model", "save_checkpoint", nn.Module, "a torch.nn.Module")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: (v.detach().cpu().float() if v.is_floating_point() else v.detach().cpu())
             for k, v in model.state_dict().items()}
    torch.save(state, path)
    if recipe is not None:
        write_recipe(path, recipe)
    return path


def write_recipe(path: PathLike, recipe: dict) -> Path:
    """Write ``recipe`` as JSON beside the checkpoint ``path`` (``<name>.json`` next to
    ``<name>.pt``; sorted keys, indented); return the JSON file's path."""
    check_instance(recipe, "recipe", "write_recipe", dict, "a dict")
    meta_path = Path(path).with_suffix(".json")
    meta_path.write_text(json.dumps(recipe, indent=2, sort_keys=True) + "\n")
    return meta_path


def read_recipe(path: PathLike) -> dict:
    """The recipe recorded beside a checkpoint (``<name>.json`` next to ``<name>.pt``)."""
    return json.loads(Path(path).with_suffix(".json").read_text())


def load_checkpoint(model: nn.Module, path: PathLike) -> nn.Module:
    """Load the ``state_dict`` at ``path`` into ``model`` and return it, in eval mode.

    The file is read with ``weights_only=True`` (a file holding pickled objects other than
    tensors is refused) and its floating-point tensors are cast to the model's dtype.
    """
    check_instance(model, "model", "load_checkpoint", nn.Module, "a torch.nn.Module")
    path = Path(path)
    if not path.is_file():
        fail(FileNotFoundError, "path", "load_checkpoint", "name an existing checkpoint file",
             repr(str(path)))
    state = torch.load(path, map_location="cpu", weights_only=True)
    dtype = next(model.parameters()).dtype
    model.load_state_dict({k: v.to(dtype) if v.is_floating_point() else v for k, v in state.items()})
    model.eval()
    return model


def load(path: PathLike, build: Callable[[str, dict], nn.Module]) -> nn.Module:
    """Rebuild the model of a recipe checkpoint: ``build(record["model"],
    record["model_config"])``, then its weights.

    Parameters
    ----------
    path : str or Path
        The ``.pt`` file, with its record (``.json``) beside it.
    build : callable
        ``build(name, config) -> nn.Module``, e.g. :func:`sparselib.recipes.build_model`.
    """
    if not callable(build):
        fail(TypeError, "build", "load", "be a function build(name, config) -> nn.Module, such as "
             "sparselib.recipes.build_model", describe(build))
    path = Path(path)
    meta_path = path.with_suffix(".json")
    if not meta_path.is_file():
        fail(FileNotFoundError, "path", "load", "name a checkpoint with its recipe beside it",
             repr(str(path)), f"{meta_path} is missing.")
    record = read_recipe(path)
    if not isinstance(record.get("model"), str) or not isinstance(record.get("model_config"), dict):
        fail(ValueError, "path", "load", "name a checkpoint whose recipe records 'model' (a name) "
             "and 'model_config'", repr(str(path)),
             "Build the model yourself and read its weights with load_checkpoint(model, path).")
    return load_checkpoint(build(record["model"], record["model_config"]), path)


def checkpoint(name: str) -> Path:
    """Path of a committed checkpoint or its recipe, e.g. ``checkpoint("drsae-digits.pt")``.

    Found in the course repository's ``checkpoints/`` folder (a clone or an editable
    install), or in the copy shipped inside the installed package (``pip install`` from the
    repository, as the chapters do in Colab).
    """
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        fail(ValueError, "name", "checkpoint", "be a file name such as 'drsae-digits.pt'", repr(name))
    here = Path(__file__).resolve().parent
    folders = (here / "_checkpoints", here.parent / "checkpoints")
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    available = sorted(p.name for folder in folders if folder.is_dir()
                       for p in folder.iterdir() if p.suffix in (".pt", ".json"))
    raise FileNotFoundError(f"No checkpoint named {name!r}; available: {available}. "
                            "Make one with `python -m sparselib train <recipe>`.")
