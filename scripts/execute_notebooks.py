"""Execute notebooks in place and store their outputs.

    .venv/bin/python scripts/execute_notebooks.py notebooks/*.ipynb

The book is built from these stored outputs; nbval re-executes the notebooks
and compares against them. The kernel draws figures as the book shows them
(SVG, and PNG beside it: see scripts/ipython_kernel_config.py), so the
chapters' code cells need no set-up of their own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL_CONFIG = Path(__file__).with_name("ipython_kernel_config.py")


def run(notebook: nbformat.NotebookNode, folder: Path) -> float:
    """Run every cell of ``notebook`` in a fresh kernel started in
    ``folder``, keeping its outputs; the seconds it took. Widgets keep no
    state in the notebook: their output's HTML placeholder is what the book
    shows. Raises ``CellExecutionError`` at the first cell that fails."""
    started = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        extra_arguments=[f"--config={KERNEL_CONFIG}"],
        store_widget_state=False,
        resources={"metadata": {"path": str(folder)}},
    ).execute()
    return time.perf_counter() - started


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    seconds = run(notebook, path.parent)
    nbformat.write(notebook, path)
    return seconds


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {execute(Path(name)):.1f} s", flush=True)
