"""Execute notebooks in place and store their outputs and widget state.

    .venv/bin/python scripts/execute_notebooks.py notebooks/*.ipynb

The book is built from these stored outputs; nbval re-executes the notebooks
and compares against them. The kernel draws figures as the book shows them
(SVG, see scripts/ipython_kernel_config.py), so the chapters' code cells need
no set-up of their own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL_CONFIG = Path(__file__).with_name("ipython_kernel_config.py")


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        extra_arguments=[f"--config={KERNEL_CONFIG}"],
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    nbformat.write(notebook, path)
    return time.perf_counter() - started


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {execute(Path(name)):.1f} s", flush=True)
