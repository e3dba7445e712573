"""The initial weights the book's in-browser explorer starts from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sincos import Hyperparams, Trainer
from sincos.export import (
    EXPLORER_CELL_SIZES,
    WEIGHT_NAMES,
    read_weights_script,
    weights_script,
)
from sincos.fast import numpy_weights

ROOT = Path(__file__).resolve().parents[1]
STORED = ROOT / "book" / "assets" / "js" / "sincos-weights.js"


@pytest.fixture(scope="module")
def fresh() -> str:
    return weights_script()


def test_the_books_weights_file_is_a_fresh_export(fresh: str) -> None:
    assert STORED.read_text(encoding="utf-8") == fresh, (
        f"{STORED.relative_to(ROOT)} is out of date: run .venv/bin/python "
        f"-m sincos export-weights {STORED.relative_to(ROOT)}"
    )


def test_weights_read_back_as_the_python_trainers(fresh: str) -> None:
    data = read_weights_script(fresh)
    assert sorted(data["models"]) == sorted(EXPLORER_CELL_SIZES)
    assert data["names"] == list(WEIGHT_NAMES)
    for size, weights in data["models"].items():
        hp = Hyperparams(cell_size=size)
        expected = numpy_weights(Trainer(hp).model)
        assert len(weights) == len(expected)
        for got, want in zip(weights, expected, strict=True):
            assert got.dtype == np.float32 and got.shape == want.shape
            np.testing.assert_array_equal(got, want)


def test_the_explorer_trains_with_the_tutorials_settings(fresh: str) -> None:
    settings = read_weights_script(fresh)["hyperparams"]
    assert settings == Hyperparams().as_dict()


def sincos(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sincos", *args],
        capture_output=True,
        text=True,
    )


def test_command_line_writes_the_weights_file(tmp_path, fresh: str) -> None:
    path = tmp_path / "weights.js"
    run = sincos("export-weights", str(path))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert str(path) in run.stdout
    assert path.read_text(encoding="utf-8") == fresh


@pytest.mark.parametrize(
    "name, reason",
    [
        ("weights.json", "needs a .js file name, got"),
        ("missing/weights.js", "is not a writable directory"),
    ],
)
def test_command_line_refuses_a_bad_path(tmp_path, name, reason) -> None:
    run = sincos("export-weights", str(tmp_path / name))
    assert run.returncode == 2
    assert reason in run.stderr
    assert not list(tmp_path.iterdir())
