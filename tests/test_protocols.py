"""sparselib.protocols: the experiments the benchmarks drive, on tiny budgets (the stacked-conv
protocol has its own file, tests/test_stacked_conv_evidence.py)."""
from __future__ import annotations

import json
import math

import pytest
import torch

from sparselib.analysis import linear_readout
from sparselib.data import load_digits
from sparselib.models import DrSAE
from sparselib.protocols import drsae_ablation, lateral, save_record, stacked_conv


def test_save_record_writes_the_committed_records_format(tmp_path):
    path = tmp_path / "r.json"
    save_record({"a": [1, 2], "b": float("nan")}, path)
    text = path.read_text(encoding="utf-8")
    assert text == '{\n "a": [\n  1,\n  2\n ],\n "b": NaN\n}\n'
    assert json.loads(text)["a"] == [1, 2]


def test_drsae_ablation_measures_with_the_one_readout():
    split = load_digits(verbose=False)
    torch.manual_seed(0)
    model = DrSAE(64, 20, 10, n_iter=2)
    m = drsae_ablation.measure(model, split)
    assert m["readout"] == linear_readout(model.encode, split.X_train, split.X_test).error
    assert 0 <= m["acc"] <= 1 and m["own"] > 0
    assert math.isnan(drsae_ablation.measure(model, split, own_decoder=False)["own"])
    with pytest.raises(ValueError, match="'variant' parameter of train_variant must be"):
        drsae_ablation.train_variant("decoder only", 0, split, {})


def test_stacked_conv_preprocessing_is_per_image():
    x = torch.rand(5, 64)
    assert stacked_conv.preprocess(x, "raw") is x
    c = stacked_conv.preprocess(x, "centred")
    torch.testing.assert_close(c.mean(1), torch.zeros(5), atol=1e-6, rtol=0)
    torch.testing.assert_close(c.norm(dim=1), torch.full((5,), stacked_conv.CENTRED_NORM))
    torch.testing.assert_close(stacked_conv.preprocess(x[:2], "centred"), c[:2])   # no shared statistics
    with pytest.raises(ValueError, match="unknown preprocessing"):
        stacked_conv.preprocess(x, "whitened")


def test_lateral_learned_v_pairs_the_two_matrices_on_one_dictionary():
    out = lateral.learned_v(5.0, 2, checkpoints=(1,), verbose=False)
    assert out["lr_S"] == 5.0 and [r["step"] for r in out["rows"]] == [1, 2]
    for r in out["rows"]:
        assert r["d_energy"]["mean"] == pytest.approx(r["learned"]["energy"] - r["uniform"]["energy"], abs=1e-5)
        assert r["d_active"]["mean"] == pytest.approx(r["learned"]["active"] - r["uniform"]["active"], abs=1e-5)
        assert r["d_energy"]["se"] >= 0 and r["V_cv"] >= 0
    d = lateral.paired_difference(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.0, 0.0, 0.0]))
    assert d == pytest.approx({"mean": 2.0, "se": 1.0 / 3 ** 0.5})
