"""The code a chapter shows is the code the project runs.

Blocks of chapter code that start with ``# <path>: <name>`` show the source of
that function, class or method; scripts/chapter_code.py writes them, and these
tests fail when a chapter and the source have drifted apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import chapter_code  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BLOCKS = [b for nb in NOTEBOOKS for b in chapter_code.blocks(nb)]


@pytest.mark.parametrize(
    "block", BLOCKS, ids=lambda b: f"{b.notebook}-{b.cell}-{b.name}"
)
def test_chapter_shows_the_source_it_names(block) -> None:
    assert block.shown == block.source(), (
        f"{block.notebook} cell {block.cell} differs from {block.marker[2:]}:"
        " run .venv/bin/python scripts/chapter_code.py"
    )


def test_a_changed_source_is_caught_and_synced_back(tmp_path, monkeypatch):
    source = tmp_path / "pkg.py"
    source.write_text("def double(x):\n    return 2 * x\n")
    cell = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": [
            "# pkg.py: double\n",
            "def double(x):\n",
            "    return x + x\n",
        ],
    }
    fence = (
        "Text\n\n```python\n# pkg.py: double\ndef double(x):\n    pass\n```\n"
    )
    notebook = tmp_path / "chapter.ipynb"
    notebook.write_text(
        json.dumps(
            {
                "cells": [
                    cell,
                    {
                        "cell_type": "markdown",
                        "metadata": {},
                        "source": [fence],
                    },
                ]
            }
        )
    )
    monkeypatch.setattr(chapter_code, "ROOT", tmp_path)
    stale = [b for b in chapter_code.blocks(notebook) if b.shown != b.source()]
    assert [b.cell for b in stale] == [0, 1]
    chapter_code.sync(notebook)
    assert all(b.shown == b.source() for b in chapter_code.blocks(notebook))
    cells = json.loads(notebook.read_text())["cells"]
    assert "".join(cells[0]["source"]).endswith("return 2 * x")
    assert "Text\n\n```python\n# pkg.py: double\n" in "".join(
        cells[1]["source"]
    )


def test_methods_are_found_by_dotted_name_and_dedented(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "class A:\n    @staticmethod\n    def f():\n        return 1\n"
    )
    assert chapter_code.extract(source, "A.f") == (
        "@staticmethod\ndef f():\n    return 1\n"
    )
    with pytest.raises(LookupError, match=r"defines no A\.g"):
        chapter_code.extract(source, "A.g")
