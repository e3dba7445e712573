"""Run chapters top to bottom with another seed, as a reader who changes it.

    .venv/bin/python scripts/run_with_seed.py 2 --notebooks notebooks/04_*
    .venv/bin/python scripts/run_with_seed.py 2 3          # every chapter

With several seeds, each seed runs in a process of its own, side by side.

Every chapter makes its hyperparameters with ``Hyperparams()``; this replaces
that with ``Hyperparams(seed=N)`` in a copy and runs every cell, the hidden
checks included, in a fresh kernel. The claims a chapter checks must hold
for other seeds too: an error in any cell fails the run. Nothing is written
back to the notebook.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import execute_notebooks  # beside this file
import nbformat
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = "Hyperparams()"


def with_seed(path: Path, seed: int) -> nbformat.NotebookNode:
    """The notebook with its ``Hyperparams()`` made with ``seed``."""
    notebook = nbformat.read(path, as_version=4)
    replaced = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and DEFAULT in cell.source:
            replaced += cell.source.count(DEFAULT)
            cell.source = cell.source.replace(
                DEFAULT, f"Hyperparams(seed={seed})"
            )
    if not replaced:
        raise ValueError(f"{path.name} makes no {DEFAULT}: nothing to seed")
    return notebook


def run(path: Path, seed: int) -> float:
    """Run the chapter with ``seed``; the seconds it took. Raises
    ``CellExecutionError`` on the first cell that fails."""
    return execute_notebooks.run(with_seed(path, seed), path.parent)


def run_all(seed: int, paths: list[Path]) -> list[str]:
    """Run every chapter with ``seed``; one line of report per chapter."""
    lines = []
    for path in paths:
        try:
            seconds = run(path, seed)
        except (CellExecutionError, ValueError) as err:
            last = str(err).strip().splitlines()[-1]
            lines.append(f"{path.name}, seed {seed}: FAILED: {last}")
        else:
            lines.append(f"{path.name}, seed {seed}: ran in {seconds:.0f} s")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="+", type=int)
    parser.add_argument(
        "--notebooks", nargs="*", type=Path, help="default: every chapter"
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    with ProcessPoolExecutor(len(args.seeds)) as pool:
        reports = pool.map(run_all, args.seeds, [paths] * len(args.seeds))
        lines = [line for report in reports for line in report]
    print("\n".join(lines))
    return 1 if any("FAILED" in line for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
