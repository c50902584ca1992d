"""The MNIST path end to end on a small MNIST-format folder that this test writes itself.

Loader (torchvision's idx readers), command line in a subprocess, the recipe's record, the
checkpoint, ``recipes.load``. ``SPARSELIB_OFFLINE`` is unset here (a named local folder
must be read even online) and nothing is downloaded: the folder is all there is.
"""
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits as sk_digits

from sparselib import recipes
from sparselib.analysis import accuracy_by_iteration
from sparselib.data import load_mnist

N_TRAIN, N_TEST = 300, 100


def _write_idx(path: Path, array: np.ndarray) -> None:
    """An idx file as MNIST's: magic 0x0803 (images) or 0x0801 (labels), big-endian sizes."""
    magic = 0x0800 | array.ndim
    with open(path, "wb") as f:
        f.write(struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape))
        f.write(array.astype(np.uint8).tobytes())


def _mnist_like(root: Path) -> tuple[np.ndarray, np.ndarray]:
    """sklearn's 8×8 digits blown up to 24×24 and padded to 28×28, as uint8 idx files."""
    digits = sk_digits()
    images = np.kron(digits.images, np.ones((3, 3)))                    # (n, 24, 24) in 0..16
    images = np.pad(images, ((0, 0), (2, 2), (2, 2)))                    # (n, 28, 28)
    images = np.round(images * (255 / 16)).astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    parts = {"train": slice(0, N_TRAIN), "t10k": slice(N_TRAIN, N_TRAIN + N_TEST)}
    for part, rows in parts.items():
        _write_idx(raw / f"{part}-images-idx3-ubyte", images[rows])
        _write_idx(raw / f"{part}-labels-idx1-ubyte", labels[rows])
    return images[:N_TRAIN + N_TEST], labels[:N_TRAIN + N_TEST]


def test_mnist_folder_loader_cli_record_checkpoint_and_load(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SPARSELIB_OFFLINE", raising=False)
    images, labels = _mnist_like(tmp_path / "data")

    split = load_mnist(root=tmp_path / "data")
    line = capsys.readouterr().out.strip().splitlines()
    assert split.name == "mnist" and split.image_shape == (28, 28)
    assert len(line) == 1 and line[0].startswith(f"data: MNIST, 28x28, {N_TRAIN} train / {N_TEST} test")
    assert split.X_train.shape == (N_TRAIN, 784) and split.X_test.shape == (N_TEST, 784)
    expected = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255)
    torch.testing.assert_close(split.X_train, expected[:N_TRAIN])
    torch.testing.assert_close(split.X_test, expected[N_TRAIN:])
    assert split.y_test.tolist() == labels[N_TRAIN:].tolist()

    out = tmp_path / "ckpt" / "drsae-mnist.pt"
    env = {k: v for k, v in os.environ.items() if k != "SPARSELIB_OFFLINE"}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", SPARSELIB_PROGRESS="0",
               SPARSELIB_DATA=str(tmp_path / "no-download-here"))
    command = [sys.executable, "-m", "sparselib", "train", "drsae", "--data", "mnist",
               "--data-root", str(tmp_path / "data"), "--fast", "--epochs", "3",
               "--device", "cpu", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("data: MNIST, 28x28, 300 train / 100 test")
    assert not (tmp_path / "no-download-here").exists()

    record = json.loads(out.with_suffix(".json").read_text())
    assert record["data"] == "mnist" and record["seed"] == 0
    assert record["command"].startswith("python -m sparselib train drsae --data mnist --data-root")
    assert record["split"] == {"train": 240, "validation": 60, "test": N_TEST}
    settings = record["settings"]
    assert settings["n_features"] == 784 and settings["epochs"] == 3 and settings["n_iter"] == 3
    lr = record["logistic_regression"]
    assert lr["C"] in settings["logistic_C_grid"]
    assert lr["validation_accuracy"] == max(lr["validation_by_C"].values())
    assert 0.5 < lr["test_accuracy"] <= 1
    units = record["units"]
    assert units["n_atoms"] == 64 and 0 <= units["part"] + units["categorical"] <= 64
    assert 0 < units["active_mean"] <= 64
    assert len(record["accuracy_by_iteration"]) == 3
    assert record["accuracy_by_iteration"][-1] == round(record["test_accuracy"], 6)
    assert record["relative_error"] > 0
    assert abs(record["relative_error"] - record["reconstruction_error"]
               / record["mean_digit_error"]) < 1e-4
    assert 0 <= record["validation_accuracy"] <= 1 and record["train_seconds"] > 0

    assert out.stat().st_size == record["checkpoint_bytes"] <= recipes.MAX_CHECKPOINT_BYTES
    model = recipes.load(out)
    scale = settings["input_scale"]
    X_test = split.X_test * scale
    with torch.no_grad():
        result = model(X_test)
        accuracy = float((result.logits.argmax(1) == split.y_test).float().mean())
        by_iteration = accuracy_by_iteration(model, X_test, split.y_test)
    assert result.codes.shape == (3, N_TEST, 64) and result.x_hat.shape == (N_TEST, 784)
    assert abs(accuracy - record["test_accuracy"]) < 1e-6
    assert np.allclose(by_iteration.tolist(), record["accuracy_by_iteration"], atol=1e-6)
    error = float((X_test - result.x_hat).pow(2).sum(1).mean())
    assert abs(error - record["reconstruction_error"]) < 1e-4 * record["reconstruction_error"]
