"""The code a chapter shows is the code the project runs.

Blocks of chapter code that start with ``# <path>: <name>`` show the source of
that function, class or method; scripts/chapter_code.py writes them, and these
tests fail when a chapter and the source have drifted apart.
"""

from __future__ import annotations

import json
import re
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


# A first line that looks like a marker, by a pattern looser than
# chapter_code.MARKER and written apart from it: "# <path>.py: <anything>".
LOOSE_MARKER = re.compile(r"^\s*#\s*\S+\.py\s*:\s*\S")
LOOSE_FENCE = re.compile(
    r"^[ \t]*```python[ \t]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL
)


def marked_first_lines(notebook: Path) -> list[tuple[str, int, str]]:
    """(notebook, cell, first line) of every code cell and every fenced
    python block of a markdown cell whose first line looks like a marker."""
    found = []
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells):
        text = "".join(cell["source"])
        bodies = (
            [text]
            if cell["cell_type"] == "code"
            else LOOSE_FENCE.findall(text)
        )
        for body in bodies:
            first = body.split("\n", 1)[0].strip()
            if LOOSE_MARKER.match(first):
                found.append((notebook.name, number, first))
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_marked_block_is_checked(notebook) -> None:
    # A marker the drift check does not read leaves its block unchecked,
    # silently: every block that looks marked must be one it checks.
    looks_marked = marked_first_lines(notebook)
    checked = [
        (b.notebook, b.cell, b.marker) for b in chapter_code.blocks(notebook)
    ]
    missed = sorted(set(looks_marked) - set(checked))
    assert not missed, (
        f"chapter_code.blocks misses {len(missed)} marked block(s) of "
        f"{notebook.name}, which no test compares with the source: {missed}"
    )
    assert sorted(checked) == sorted(looks_marked)


@pytest.mark.parametrize(
    "marker",
    [
        "# pkg.py: double",
        "# pkg.py: A.f",  # a method: a dotted name
        "# pkg.py: The part",  # a part ("# %% The part"): spaces
        "# sub/dir/pkg.py: A.B.f",
        "# scripts/tf1-ref_erence.py: TF1Model.add_cell",
    ],
    ids=["function", "method", "part", "nested", "script"],
)
def test_every_kind_of_marker_is_read(tmp_path, marker) -> None:
    path, name = marker[2:].split(": ")
    cells = [
        {"cell_type": "code", "source": [f"{marker}\n", "pass\n"]},
        {
            "cell_type": "markdown",
            "source": [f"Text\n\n  ```python\n  {marker}\n  pass\n  ```\n"],
        },
    ]
    notebook = tmp_path / "chapter.ipynb"
    notebook.write_text(json.dumps({"cells": cells}))
    found = [(b.cell, b.path, b.name) for b in chapter_code.blocks(notebook)]
    assert found == [(0, path, name), (1, path, name)], (
        f"chapter_code.blocks reads {found} from a code cell and a fenced "
        f"block marked {marker!r}"
    )
    assert marked_first_lines(notebook) == [
        ("chapter.ipynb", 0, marker),
        ("chapter.ipynb", 1, marker),
    ]
