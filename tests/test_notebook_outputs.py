"""Stored notebook outputs are clean: no errors, stderr, warnings or
TensorFlow logs.

The book shows these outputs as they are stored, so anything noisy here is
what a reader sees. Checks the .ipynb files directly; no build or execution
needed.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

NOISE = {
    "a traceback": re.compile(r"Traceback \(most recent call last\)"),
    "a Python warning": re.compile(r"\w*Warning: "),
    "a WARNING log line": re.compile(r"\bWARNING\b"),
    "an absl/C++ log line": re.compile(
        r"^[IWEF]\d{4} \d\d:\d\d:\d\d", re.MULTILINE
    ),
    "a TensorFlow log line": re.compile(
        r"tensorflow/core|tensorflow/compiler|cpu_feature_guard|oneDNN|TF_ENABLE_ONEDNN_OPTS"
        r"|\bcuda|cuDNN|cuFFT|cuBLAS|TF-TRT|XLA service|StreamExecutor",
        re.IGNORECASE,
    ),
}
# Text outputs that are checked. Images and base64 data inside HTML are
# not text.
TEXT_MIME = ("text/plain", "text/markdown", "text/html", "text/latex")
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def problems(notebook: Path) -> list[str]:
    found = []
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells, start=1):
        for output in cell.get("outputs", []):
            where = f"cell {number}"
            kind = output["output_type"]
            if kind == "error":
                name, value = output.get("ename"), output.get("evalue")
                found.append(f"{where}: error output {name}: {value}")
                continue
            if kind == "stream":
                if output.get("name") == "stderr":
                    text = _text(output["text"])[:120]
                    found.append(f"{where}: stderr stream: {text!r}")
                texts = [_text(output.get("text", ""))]
            else:
                data = output.get("data", {})
                texts = [
                    DATA_URI.sub("", _text(data[m]))
                    for m in TEXT_MIME
                    if m in data
                ]
            for text in texts:
                for what, pattern in NOISE.items():
                    match = pattern.search(text)
                    if match:
                        line = text[
                            text.rfind("\n", 0, match.start()) + 1 :
                        ].split("\n")[0]
                        found.append(f"{where}: {what}: {line[:120]!r}")
    return found


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "no notebooks in notebooks/"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_clean(notebook: Path) -> None:
    found = problems(notebook)
    assert not found, f"{notebook.name} stores noisy outputs:\n" + "\n".join(
        found
    )


HIDDEN_CHECK = "remove-cell"


def _visible_asserts(notebook: Path) -> list[str]:
    """Code cells the reader sees that assert something."""
    found = []
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells, start=1):
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        lines = "".join(cell["source"]).splitlines()
        if HIDDEN_CHECK not in tags and any(
            line.lstrip().startswith("assert ") for line in lines
        ):
            found.append(f"cell {number}")
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_checks_stay_out_of_the_readers_path(notebook: Path) -> None:
    """Every assert lives in a check cell that the book removes and
    JupyterLab shows collapsed."""
    visible = _visible_asserts(notebook)
    assert not visible, (
        f"{notebook.name}: asserts in cells the reader sees: {visible}; "
        f"move them to a cell tagged {HIDDEN_CHECK!r}"
    )
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells, start=1):
        meta = cell.get("metadata", {})
        if HIDDEN_CHECK in meta.get("tags", []):
            assert meta.get("jupyter", {}).get("source_hidden"), (
                f"{notebook.name} cell {number}: a check cell that "
                "JupyterLab would show open (jupyter.source_hidden)"
            )
            assert not cell.get("outputs"), (
                f"{notebook.name} cell {number}: a check cell with output "
                "(the book removes it; the reader would miss it)"
            )
