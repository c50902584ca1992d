"""Chapter 2's explorer (DrSAEExplorer): the classifier's prediction, its probabilities and the
accuracy over k, each against a computation written here from the model's weights."""
from __future__ import annotations

import re

import pytest
import torch

from sparselib import widgets
from sparselib.i18n import LANGUAGES
from sparselib.models.drsae import DrSAE



def tiny():
    torch.manual_seed(0)
    model = DrSAE(16, 12, 3, n_iter=4).double().eval()
    with torch.no_grad():      # a strong signed S and a sharp classifier: predictions move with k
        model.S.copy_(0.4 * torch.randn(12, 12, dtype=torch.float64))
        model.W_c.copy_(3.0 * torch.randn(3, 12, dtype=torch.float64))
        model.c.copy_(torch.tensor([0.3, -0.2, 0.1], dtype=torch.float64))
    X = torch.rand(40, 16, dtype=torch.float64)
    return model, X, torch.arange(40) % 3


def codes_by_hand(model, X):
    """z^{(1)} = ReLU(W_e x − b), z^{(k+1)} = ReLU(W_e x + S z^{(k)} − b): (T, batch, m)."""
    W_e, S, b = model.W_e.detach(), model.S.detach(), model.b.detach()
    z, out = torch.zeros(len(X), model.n_atoms, dtype=X.dtype), []
    for _ in range(model.n_iter):
        z = torch.clamp(X @ W_e.T + z @ S.T - b, min=0)
        out.append(z)
    return torch.stack(out)


def logits_by_hand(model, z):
    """W_c z/‖z‖ + c, the classifier of the chapter's loss (a zero code reads only c)."""
    norm = z.norm(dim=-1, keepdim=True)
    u = torch.where(norm > 0, z / norm.clamp_min(1e-300), torch.zeros_like(z))
    return u @ model.W_c.detach().T + model.c.detach()


def test_accuracy_curve_equals_an_independent_computation():
    model, X, y = tiny()
    explorer = widgets.DrSAEExplorer(model, X, y, samples=(0, 1), image_shape=(4, 4))
    predictions = logits_by_hand(model, codes_by_hand(model, X)).argmax(-1)    # (T, batch)
    expected = (predictions == y).double().mean(1)
    torch.testing.assert_close(explorer.accuracy, expected)
    assert len(set(expected.tolist())) > 1, "the curve should move over k for this test to mean much"


@pytest.mark.parametrize("sample", [0, 1, 2])
def test_prediction_and_probabilities_at_every_k(sample):
    model, X, y = tiny()
    samples = (3, 7, 11)
    explorer = widgets.DrSAEExplorer(model, X, y, samples=samples, image_shape=(4, 4))
    logits = logits_by_hand(model, codes_by_hand(model, X[samples[sample]][None]))[:, 0]  # (T, 3)
    for k in range(1, model.n_iter + 1):
        frame = explorer.compute(k, sample)
        assert explorer.predicted(frame) == int(logits[k - 1].argmax())
        torch.testing.assert_close(explorer.probabilities(frame), logits[k - 1].softmax(-1))
        alt = explorer.alt_values(frame, {"t": k, "sample": sample}, "en")
        assert alt["pred"] == int(logits[k - 1].argmax())
        assert alt["prob"] == f"{100 * float(logits[k - 1].softmax(-1).max()):.0f}"
        assert alt["acc"] == f"{100 * float(explorer.accuracy[k - 1]):.1f}"


def test_the_prediction_changes_with_k_somewhere():
    """On the tiny model some input is read differently at k = 1 and k = T (else the tests
    above could not tell a prediction from z^{(k)} from one from z^{(T)})."""
    model, X, _ = tiny()
    predictions = logits_by_hand(model, codes_by_hand(model, X)).argmax(-1)
    assert bool((predictions[0] != predictions[-1]).any())


def test_a_given_accuracy_curve_is_used_and_checked():
    model, X, y = tiny()
    curve = torch.linspace(0.2, 0.9, model.n_iter, dtype=torch.float64)
    explorer = widgets.DrSAEExplorer(model, X, y, samples=(0,), image_shape=(4, 4), accuracy=curve)
    torch.testing.assert_close(explorer.accuracy, curve)
    frame = explorer.compute(2, 0)
    assert explorer.alt_values(frame, {"t": 2, "sample": 0}, "en")["acc"] == f"{100 * float(curve[1]):.1f}"
    with pytest.raises(ValueError, match=r"'accuracy' parameter of DrSAEExplorer must be a tensor of shape \(4,\)"):
        widgets.DrSAEExplorer(model, X, y, samples=(0,), image_shape=(4, 4), accuracy=curve[:3])
    with pytest.raises(ValueError, match="'accuracy' parameter of DrSAEExplorer"):
        widgets.DrSAEExplorer(model, X, y, samples=(0,), image_shape=(4, 4), accuracy=[0.5] * 4)


def test_alt_text_names_prediction_probability_and_accuracy_in_every_language():
    model, X, y = tiny()
    explorer = widgets.DrSAEExplorer(model, X, y, samples=(0, 1), image_shape=(4, 4))
    frame = explorer.compute(3, 1)
    values = explorer.alt_values(frame, {"t": 3, "sample": 1}, "en")
    for lang in LANGUAGES:
        text = explorer.alt(frame, {"t": 3, "sample": 1}, lang)
        for key in ("pred", "prob", "acc"):
            assert re.search(rf"(?<![\d.]){re.escape(str(values[key]))}(?![\d.])", text), (lang, key, text)


def test_frames_render_with_and_without_labels():
    model, X, y = tiny()
    png, _ = widgets.DrSAEExplorer(model, X, y, samples=(0,), image_shape=(4, 4)).frame(t=2, sample=0)
    assert png.startswith(b"\x89PNG")
    unlabelled = widgets.DrSAEExplorer(model, X, None, samples=(0,), image_shape=(4, 4))
    assert unlabelled.accuracy is None and unlabelled.labels is None
    png, frame = unlabelled.frame(t=2, sample=0)
    assert png.startswith(b"\x89PNG")
    assert unlabelled.alt_values(frame, {"t": 2, "sample": 0}, "en")["acc"] == "–"


def test_chapter_model_curve_matches_the_chapters_measurement():
    """The chapter passes its own accuracy_by_iteration; computing it again gives the same curve."""
    from sparselib import recipes
    from sparselib.analysis import accuracy_by_iteration
    from sparselib.data import load_digits

    split = load_digits(verbose=False)
    model = recipes.load(recipes.checkpoint("drsae-digits.pt")).eval()
    explorer = widgets.DrSAEExplorer(model, split.X_test, split.y_test, samples=(0,))
    with torch.no_grad():
        expected = (logits_by_hand(model, codes_by_hand(model, split.X_test)).argmax(-1)
                    == split.y_test).double().mean(1)
    torch.testing.assert_close(explorer.accuracy, expected)
    torch.testing.assert_close(explorer.accuracy, accuracy_by_iteration(model, split.X_test, split.y_test))
