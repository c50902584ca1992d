"""Data loaders: offline fallback, stratified split, whitened patches, synthetic data."""
import os
import struct

import numpy as np
import pytest
import torch

os.environ.setdefault("SPARSELIB_OFFLINE", "1")

from sparselib import data  # noqa: E402
from sparselib.groups import contiguous_groups  # noqa: E402


def test_offline_mnist_falls_back_to_digits_with_one_line(capsys, monkeypatch):
    monkeypatch.setenv("SPARSELIB_OFFLINE", "1")
    split = data.load_mnist(seed=0)
    lines = capsys.readouterr().out.strip().splitlines()
    assert split.name == "digits" and split.image_shape == (8, 8)
    assert lines[0].startswith("data: falling back to scikit-learn digits (SPARSELIB_OFFLINE=1)")
    assert split.X_train.shape == (1347, 64) and split.X_test.shape == (450, 64)
    assert 0.0 <= split.X_train.min() and split.X_train.max() <= 1.0


def test_unreachable_mnist_falls_back_without_traceback(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SPARSELIB_OFFLINE", "0")
    split = data.load_mnist(root=str(tmp_path), download=False)   # not on disk, no download
    out = capsys.readouterr()
    assert split.name == "digits"
    assert "MNIST not available (FileNotFoundError: no train-images-idx3-ubyte" in out.out
    assert "Traceback" not in out.out + out.err


def _write_idx(path, array):
    """An idx file as MNIST's: magic 0x00000803 (uint8 images) / 0x00000801 (labels)."""
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def _mnist_folder(root, n_train=12, n_test=5, magic_ok=True):
    rng = np.random.default_rng(0)
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    arrays = {}
    for part, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, size=(n, 28, 28))
        labels = np.arange(n) % 10
        _write_idx(raw / f"{part}-images-idx3-ubyte", images)
        _write_idx(raw / f"{part}-labels-idx1-ubyte", labels)
        arrays[part] = images, labels
    if not magic_ok:
        data = bytearray((raw / "train-images-idx3-ubyte").read_bytes())
        data[2] = 0x07                                           # type byte 0x07: no idx type
        (raw / "train-images-idx3-ubyte").write_bytes(bytes(data))
    return raw, arrays


@pytest.mark.parametrize("offline", ["1", "0"])
@pytest.mark.parametrize("level", ["root", "MNIST", "raw"])
def test_local_mnist_folder_is_read_without_download(tmp_path, capsys, monkeypatch, offline, level):
    import torchvision.datasets

    monkeypatch.setenv("SPARSELIB_OFFLINE", offline)

    def no_download(*args, **kwargs):
        raise AssertionError("a named folder must be read, not fetched with torchvision.MNIST")

    monkeypatch.setattr(torchvision.datasets, "MNIST", no_download)
    raw, arrays = _mnist_folder(tmp_path)
    root = {"root": tmp_path, "MNIST": tmp_path / "MNIST", "raw": raw}[level]
    split = data.load_mnist(root=str(root))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [f"data: MNIST, 28x28, 12 train / 5 test (idx files read from {raw})"]
    assert split.name == "mnist" and split.image_shape == (28, 28)
    images, labels = arrays["train"]
    torch.testing.assert_close(split.X_train, torch.tensor(images.reshape(12, 784) / 255.0,
                                                           dtype=torch.float32))
    assert split.y_train.dtype == torch.int64 and split.y_train.tolist() == labels.tolist()
    assert split.X_test.shape == (5, 784) and split.y_test.tolist() == arrays["t10k"][1].tolist()
    assert data.mnist_folder(root) == raw


def test_broken_mnist_folder_falls_back_and_says_why(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SPARSELIB_OFFLINE", "0")
    _mnist_folder(tmp_path, magic_ok=False)
    split = data.load_mnist(root=tmp_path)
    out = capsys.readouterr()
    assert split.name == "digits"
    assert "MNIST not available (ValueError: train idx files in" in out.out
    assert "Traceback" not in out.out + out.err
    with pytest.raises(FileNotFoundError, match="no train-images-idx3-ubyte"):
        data.mnist_folder(tmp_path / "empty")


def test_stratified_split_keeps_proportions_and_is_seeded():
    y = torch.arange(4).repeat_interleave(20)                     # 4 classes x 20
    X = torch.arange(80.0)[:, None]
    X_tr, X_te, y_tr, y_te = data.stratified_split(X, y, test_size=0.25, seed=0)
    assert torch.bincount(y_te).tolist() == [5, 5, 5, 5]
    assert sorted(torch.cat([X_tr, X_te])[:, 0].tolist()) == list(range(80))
    again = data.stratified_split(X, y, test_size=0.25, seed=0)[1]
    other = data.stratified_split(X, y, test_size=0.25, seed=1)[1]
    assert torch.equal(X_te, again) and not torch.equal(X_te, other)
    with pytest.raises(ValueError, match=r"'test_size' parameter of stratified_split must be in \(0, 1\)"):
        data.stratified_split(X, y, test_size=1.0)
    with pytest.raises(ValueError, match=r"'y' parameter of stratified_split must be a tensor of shape \(80,\)"):
        data.stratified_split(X, y[:10])


def test_natural_patches_are_zca_whitened(capsys):
    X = data.natural_patches(3000, 6, images=("camera", "coffee"), eps=1e-4, seed=0)
    assert "3000 6x6 patches from skimage camera, coffee (ZCA-whitened)" in capsys.readouterr().out
    assert X.shape == (3000, 36) and X.dtype == torch.float32
    cov = X.double().T @ X.double() / 3000
    # Mean removal leaves one zero direction; the others are white.
    evals = torch.linalg.eigvalsh(cov)[1:]
    assert evals.min() > 0.9 and evals.max() < 1.1
    raw = data.natural_patches(3000, 6, images=("camera", "coffee"), whiten=False, seed=0,
                               verbose=False).double()
    raw_evals = torch.linalg.eigvalsh(raw.T @ raw / 3000)[1:]
    assert raw_evals.max() / raw_evals.min() > 100           # natural images are far from white
    with pytest.raises(ValueError, match="'images' parameter of natural_patches must name skimage.data"):
        data.natural_patches(10, images=("nope",))


def test_synthetic_sparse_has_k_active_atoms_and_unit_dictionary():
    X, D, Z = data.synthetic_sparse(50, 10, 20, k=3, noise=0.0, nonneg=True, seed=1)
    torch.testing.assert_close(D.norm(dim=0), torch.ones(20))
    assert ((Z != 0).sum(1) == 3).all() and (Z >= 0).all()
    torch.testing.assert_close(X, Z @ D.T)
    _, _, Zg = data.synthetic_sparse(50, 10, 20, k=2, groups=contiguous_groups(20, 5), seed=1)
    active_groups = (Zg.abs().reshape(50, 4, 5).sum(-1) > 0).sum(1)
    assert (active_groups == 2).all() and ((Zg != 0).sum(1) == 10).all()


@pytest.mark.parametrize("kwargs,match", [
    ({"k": 30}, "'k' parameter of synthetic_sparse must be at most 20"),
    ({"noise": -1.0}, "'noise' parameter of synthetic_sparse"),
    ({"groups": torch.ones(2, 7)}, r"'groups' parameter of synthetic_sparse must have shape \(n_groups, 20\)"),
])
def test_synthetic_sparse_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.synthetic_sparse(5, 10, 20, **kwargs)
