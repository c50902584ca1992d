"""Data for the chapters and tests: digits, natural-image patches, synthetic sparse data.

Every loader returns tensors and prints one line naming the data it actually used. With
``SPARSELIB_OFFLINE=1`` (tests, CI, the book build) nothing tries the network: MNIST then
falls back to scikit-learn's bundled 8×8 digits, unless a local MNIST folder is named
(``load_mnist(root=...)``, ``--data-root`` on the command line), which is read from disk.
"""
from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from ._validation import (fail, check_at_most, check_in_range, check_nonneg_scalar,
                          check_positive_int, check_shape, check_tensor)

__all__ = ["Split", "offline", "load_mnist", "mnist_folder", "load_digits", "stratified_split",
           "natural_patches", "synthetic_sparse", "PATCH_IMAGES"]

PATCH_IMAGES = ("astronaut", "camera", "coffee", "grass", "gravel", "brick")


@dataclass
class Split:
    X_train: Tensor           # (n_train, n_features), float32 in [0, 1]
    y_train: Tensor           # (n_train,), int64
    X_test: Tensor            # (n_test, n_features)
    y_test: Tensor            # (n_test,)
    name: str                 # "mnist" or "digits": the data actually used
    image_shape: tuple        # (H, W) of one image, H * W = n_features


def offline() -> bool:
    """True when ``SPARSELIB_OFFLINE`` is set to anything but ``""``/``"0"``."""
    return os.environ.get("SPARSELIB_OFFLINE", "") not in ("", "0")


def stratified_split(X: Tensor, y: Tensor, *, test_size: float = 0.25,
                     seed: int = 0) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Split keeping class proportions; returns ``X_train, X_test, y_train, y_test``.

    Parameters
    ----------
    X : Tensor of shape (n_samples, ...)
    y : Tensor of shape (n_samples,), integer labels
    test_size : float in (0, 1), default 0.25
    seed : int, default 0
    """
    from sklearn.model_selection import train_test_split

    X = check_tensor(X, "X", "stratified_split", floating=False)
    check_shape(y, "y", "stratified_split", (X.shape[0],), "to match X", lead="be a tensor of shape")
    test_size = check_nonneg_scalar(test_size, "test_size", "stratified_split")
    check_in_range(test_size, "test_size", "stratified_split", 0, 1, "()")
    idx_train, idx_test = train_test_split(np.arange(X.shape[0]), test_size=test_size,
                                           stratify=y.cpu().numpy(), random_state=seed)
    idx_train, idx_test = torch.as_tensor(idx_train), torch.as_tensor(idx_test)
    return X[idx_train], X[idx_test], y[idx_train], y[idx_test]


def load_digits(*, test_size: float = 0.25, seed: int = 0, verbose: bool = True) -> Split:
    """scikit-learn's bundled 8×8 digits (1797 images), scaled to [0, 1], stratified split."""
    from sklearn.datasets import load_digits as _sk_digits

    data = _sk_digits()
    X = torch.tensor(data.data / 16.0, dtype=torch.float32)           # (1797, 64)
    y = torch.tensor(data.target, dtype=torch.int64)
    X_tr, X_te, y_tr, y_te = stratified_split(X, y, test_size=test_size, seed=seed)
    if verbose:
        print(f"data: scikit-learn digits, 8x8, {len(X_tr)} train / {len(X_te)} test "
              f"(stratified {1 - test_size:.0%}/{test_size:.0%}, seed {seed})")
    return Split(X_tr, y_tr, X_te, y_te, "digits", (8, 8))


MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def _split_from(images: list, labels: list) -> Split:
    X_tr, X_te = (im.reshape(len(im), -1).float() / 255.0 for im in images)   # (n, 784)
    return Split(X_tr, labels[0].long(), X_te, labels[1].long(), "mnist", (28, 28))


def _mnist(root: Path, download: bool) -> Split:
    from torchvision.datasets import MNIST

    parts = [MNIST(str(root), train=train, download=download) for train in (True, False)]
    return _split_from([ds.data for ds in parts], [ds.targets for ds in parts])


def mnist_folder(root) -> Path:
    """The folder holding the four raw MNIST idx files under ``root``.

    ``root`` may be torchvision's root (the files in ``root/MNIST/raw``), its ``MNIST``
    folder (files in ``root/raw``) or the folder of the files itself.

    Raises
    ------
    FileNotFoundError
        When none of the three holds all of ``train-images-idx3-ubyte``,
        ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``.
    """
    root = Path(root).expanduser()
    for folder in (root / "MNIST" / "raw", root / "raw", root):
        if all((folder / name).is_file() for name in MNIST_FILES):
            return folder
    raise FileNotFoundError(f"no {MNIST_FILES[0]} and the three other idx files in {root}, "
                            "its raw/ or its MNIST/raw/")


def _read_mnist_folder(folder: Path) -> Split:
    """The idx files of ``folder``, read with torchvision's own readers and checked."""
    from torchvision.datasets.mnist import read_image_file, read_label_file

    images, labels = [], []
    for part in ("train", "t10k"):
        try:
            im = read_image_file(str(folder / f"{part}-images-idx3-ubyte"))     # (n, 28, 28) uint8
            lab = read_label_file(str(folder / f"{part}-labels-idx1-ubyte"))    # (n,)
        except AssertionError:   # torchvision checks the magic numbers with asserts
            raise ValueError(f"{part} idx files in {folder} are not MNIST idx files "
                             "(wrong magic number or size)") from None
        if im.ndim != 3 or tuple(im.shape[1:]) != (28, 28) or lab.shape != (len(im),):
            raise ValueError(f"{part} idx files in {folder} hold images of shape "
                             f"{tuple(im.shape)} and labels of shape {tuple(lab.shape)}; "
                             "expected (n, 28, 28) and (n,)")
        if len(im) == 0 or int(lab.min()) < 0 or int(lab.max()) > 9:
            raise ValueError(f"{part} idx files in {folder} must hold at least one image "
                             "and labels in 0..9")
        images.append(im)
        labels.append(lab)
    return _split_from(images, labels)


def _reason(err: Exception) -> str:
    message = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return type(err).__name__ + (f": {message[:160]}" if message else "")


def load_mnist(*, root: Optional[str] = None, download: Optional[bool] = None, seed: int = 0,
               verbose: bool = True) -> Split:
    """MNIST (28×28) from a local folder or via torchvision, else the bundled digits.

    Parameters
    ----------
    root : str or path, optional
        A folder that already holds MNIST's raw idx files in torchvision's layout
        (``root/MNIST/raw/train-images-idx3-ubyte`` and the three others; the ``MNIST``
        folder or the ``raw`` folder itself is accepted too). It is read as it is, with
        torchvision's idx readers, whatever its size (e.g. a subset of MNIST), and nothing
        is downloaded, even where ``SPARSELIB_OFFLINE=1`` (that setting forbids the
        network, not the disk). Default: torchvision's copy in ``$SPARSELIB_DATA`` or
        ``~/.cache/sparselib``, downloaded there when missing and allowed.
    download : bool, optional
        Allow torchvision to download into the default folder (default: True there;
        never for a ``root`` you name, unless you pass ``download=True``).
    seed : int, default 0
        Seed of the digits' split when falling back.
    verbose : bool, default True

    Returns
    -------
    Split
        ``name == "mnist"`` (``X`` of shape ``(n, 784)`` in [0, 1], the "train" files as
        the training set and "t10k" as the test set) or, when MNIST cannot be had, or
        with ``SPARSELIB_OFFLINE=1`` and no ``root``, :func:`load_digits` ``(seed=seed)``:
        check ``split.name``. Either way one line says which data is used; no traceback
        is shown.
    """
    explicit = root is not None
    if download is None:
        download = not explicit
    folder = Path(root if explicit else os.environ.get("SPARSELIB_DATA", "~/.cache/sparselib"))
    folder = folder.expanduser()
    reason = "SPARSELIB_OFFLINE=1"
    if explicit and not download:
        try:
            raw = mnist_folder(folder)
            split = _read_mnist_folder(raw)
            if verbose:
                print(f"data: MNIST, 28x28, {len(split.X_train)} train / {len(split.X_test)} "
                      f"test (idx files read from {raw})")
            return split
        except (OSError, ValueError, RuntimeError) as err:
            reason = f"MNIST not available ({_reason(err)})"
    elif not offline():
        sink = io.StringIO()
        try:
            # torchvision prints its download attempts; keep them out of the output.
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                split = _mnist(folder, download)
            if verbose:
                print(f"data: MNIST, 28x28, {len(split.X_train)} train / {len(split.X_test)} test")
            return split
        except Exception as err:  # noqa: BLE001 -- any failure means "no MNIST here"
            reason = f"MNIST not available ({type(err).__name__})"
    if verbose:
        print(f"data: falling back to scikit-learn digits ({reason})")
    return load_digits(seed=seed, verbose=verbose)


def natural_patches(n_patches: int = 10000, patch_size: int = 8, *,
                    images: Sequence[str] = PATCH_IMAGES, whiten: bool = True, eps: float = 0.01,
                    seed: int = 0, verbose: bool = True) -> Tensor:
    """Grey-level patches cut at random from scikit-image's bundled photographs.

    Each patch has its mean removed; with ``whiten`` the set is ZCA-whitened
    (``U (Λ + eps·mean(Λ))^{-1/2} Uᵀ``), which flattens the 1/f spectrum so that learned
    filters look like edges rather than blobs.

    Parameters
    ----------
    n_patches : int, default 10000
    patch_size : int, default 8
    images : sequence of str
        Names of ``skimage.data`` images.
    whiten : bool, default True
    eps : float, default 0.01
        Regulariser of the whitening, relative to the mean eigenvalue.
    seed : int, default 0

    Returns
    -------
    Tensor of shape (n_patches, patch_size * patch_size), float32.
    """
    import skimage.data
    from skimage.color import rgb2gray
    from skimage.util import img_as_float

    n_patches = check_positive_int(n_patches, "n_patches", "natural_patches")
    p = check_positive_int(patch_size, "patch_size", "natural_patches", minimum=2)
    eps = check_nonneg_scalar(eps, "eps", "natural_patches")
    unknown = [name for name in images if not hasattr(skimage.data, name)]
    if unknown or not images:
        fail(ValueError, "images", "natural_patches", f"name skimage.data images such as {PATCH_IMAGES}",
             repr(list(images)))
    rng = np.random.default_rng(seed)
    pictures = []
    for name in images:
        img = img_as_float(getattr(skimage.data, name)())
        pictures.append(rgb2gray(img[..., :3]) if img.ndim == 3 else img)   # (H, W) in [0, 1]
    which = rng.integers(len(pictures), size=n_patches)
    patches = np.empty((n_patches, p * p))
    for i, k in enumerate(which):
        img = pictures[k]
        r, c = rng.integers(img.shape[0] - p + 1), rng.integers(img.shape[1] - p + 1)
        patches[i] = img[r:r + p, c:c + p].ravel()
    X = torch.tensor(patches, dtype=torch.float64)
    X = X - X.mean(1, keepdim=True)                                          # (n, p*p)
    if whiten:
        cov = X.T @ X / n_patches                                            # (p*p, p*p)
        evals, U = torch.linalg.eigh(cov)
        scale = (evals.clamp_min(0) + eps * evals.mean()).rsqrt()
        X = X @ (U * scale) @ U.T                                            # ZCA
    if verbose:
        print(f"data: {n_patches} {p}x{p} patches from skimage {', '.join(images)}"
              f"{' (ZCA-whitened)' if whiten else ''}")
    return X.float()


def synthetic_sparse(n_samples: int, n_features: int, n_atoms: int, *, k: int = 3,
                     noise: float = 0.01, nonneg: bool = False, groups: Optional[Tensor] = None,
                     seed: int = 0) -> tuple[Tensor, Tensor, Tensor]:
    """Data made from a known dictionary and known sparse codes: ``X = Z Dᵀ + noise``.

    Parameters
    ----------
    n_samples, n_features, n_atoms : int
    k : int, default 3
        Active atoms per sample (or active groups, with ``groups``).
    noise : float, default 0.01
        Standard deviation of the added Gaussian noise.
    nonneg : bool, default False
        Non-negative codes.
    groups : Tensor of shape (n_groups, n_atoms), optional
        Activate ``k`` whole groups per sample instead of ``k`` atoms.
    seed : int, default 0

    Returns
    -------
    X : Tensor of shape (n_samples, n_features)
    D : Tensor of shape (n_features, n_atoms), unit-norm columns
    Z : Tensor of shape (n_samples, n_atoms)
    """
    n_samples = check_positive_int(n_samples, "n_samples", "synthetic_sparse")
    n_features = check_positive_int(n_features, "n_features", "synthetic_sparse")
    n_atoms = check_positive_int(n_atoms, "n_atoms", "synthetic_sparse")
    noise = check_nonneg_scalar(noise, "noise", "synthetic_sparse")
    units = n_atoms if groups is None else groups.shape[0]
    if groups is not None:
        check_shape(groups, "groups", "synthetic_sparse", ("n_groups", n_atoms))
    k = check_positive_int(k, "k", "synthetic_sparse")
    check_at_most(k, "k", "synthetic_sparse", units)
    gen = torch.Generator().manual_seed(seed)
    D = F.normalize(torch.randn(n_features, n_atoms, generator=gen), dim=0)
    active = torch.rand(n_samples, units, generator=gen).argsort(1)[:, :k]   # (n, k)
    mask = torch.zeros(n_samples, units).scatter_(1, active, 1.0)
    if groups is not None:
        mask = (mask @ groups.float() > 0).float()                              # (n, n_atoms)
    values = torch.randn(n_samples, n_atoms, generator=gen)
    values = values.abs() + 0.5 if nonneg else values.sign() * (values.abs() + 0.5)
    Z = mask * values
    X = Z @ D.T + noise * torch.randn(n_samples, n_features, generator=gen)
    return X, D, Z
