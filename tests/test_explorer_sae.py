"""Chapter 6's explorer reads the recorded sweeps: each frame is the record's row, the levels
go from the least to the most sparse, and a wrong record is refused by name."""
from __future__ import annotations

import json

import pytest

from sparselib import checkpoints
from sparselib.explorers import SAEExplorer, sae_point
from sparselib.i18n import LANGUAGES


@pytest.fixture(scope="module")
def record():
    return json.loads(checkpoints.checkpoint("sae-bridge.json").read_text(encoding="utf-8"))


def test_every_frame_is_a_recorded_row_and_levels_get_sparser(record):
    explorer = SAEExplorer(record)
    assert [len(s.values) for s in explorer.sliders] == [3, 5]
    for family in ("relu_l1", "topk", "jumprelu"):
        points = [explorer.compute(family, level) for level in range(5)]
        l0 = [p.l0 for p in points]
        assert l0 == sorted(l0, reverse=True), family
        key = record["sweeps"][family]["argument"]
        rows = {row[key]: row for row in record["sweeps"][family]["rows"]}
        for p in points:
            row = rows[p.value]
            assert (p.l0, p.fvu, p.dead) == (row["l0"], row["fvu"], row["dead"])


def test_the_static_page_has_every_frame_and_an_alt_text_in_every_language(record):
    explorer = SAEExplorer(record)
    html = explorer.to_html()
    assert html.count("data:image/png;base64,") == 15 + 1   # the frames and the first image
    r = explorer.compute("topk", 4)
    for lang in LANGUAGES:
        text = explorer.alt(r, {"family": "topk", "level": 4}, lang)
        assert "κ = 2" in text and f"{100 * r.dead:.0f} %" in text, lang


def test_a_wrong_record_or_value_is_refused_by_name(record):
    with pytest.raises(TypeError, match="'record' parameter of SAEExplorer"):
        SAEExplorer({"sweeps": {}})
    with pytest.raises(ValueError, match="'levels' parameter of SAEExplorer"):
        SAEExplorer(record, levels=99)
    sweeps = {f: v["rows"] for f, v in record["sweeps"].items()}
    with pytest.raises(ValueError, match="'value' parameter of sae_point"):
        sae_point(sweeps, "topk", 3)
