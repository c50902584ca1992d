"""pyproject.toml lists the package's modules explicitly: a new subpackage must be added there."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "sparselib").rglob("__init__.py")}
    missing = sorted(found - listed)
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml"
    assert config["package-dir"]["sparselib._checkpoints"] == "checkpoints"


def test_committed_checkpoints_are_found_and_small():
    from sparselib import recipes

    for path in (ROOT / "checkpoints").glob("*.pt"):
        assert recipes.checkpoint(path.name) == path
        assert path.stat().st_size <= 5 * 2**20, f"{path.name} is over 5 MB"
        assert path.with_suffix(".json").is_file(), f"{path.name} has no recipe beside it"


def test_checkpoint_rejects_paths_and_unknown_names():
    import pytest

    from sparselib import recipes

    with pytest.raises(ValueError, match=r"The 'name' parameter of checkpoint must be a file name"):
        recipes.checkpoint("../checkpoints/drsae-digits.pt")
    with pytest.raises(FileNotFoundError, match=r"No checkpoint named 'nope.pt'; available: \[.*drsae-digits.pt"):
        recipes.checkpoint("nope.pt")
