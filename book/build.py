"""Build the book into _build/html, with warnings as errors, and print where it
is.

    .venv/bin/python book/build.py

Fetches the offline JavaScript first (book/fetch_assets.sh; a no-op when done),
then runs Jupyter Book on the notebooks' stored outputs (nothing is executed).
Every page is read and written again each time (about 15 s): Sphinx copies
static files (the book's CSS and JS) and the package's wheel only when it
writes a page, so after a change to those alone an incremental build would
keep the old copies.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "_build" / "html" / "index.html"


def jupyter_book() -> str:
    """The jupyter-book next to this Python (the venv's), else the one on
    PATH."""
    beside = Path(sys.executable).with_name("jupyter-book")
    return (
        str(beside)
        if beside.is_file()
        else (shutil.which("jupyter-book") or "jupyter-book")
    )


def main() -> int:
    subprocess.run(
        ["bash", str(ROOT / "book" / "fetch_assets.sh")], check=True
    )
    # No page of an earlier build outlives its source.
    shutil.rmtree(INDEX.parent, ignore_errors=True)
    command = [
        jupyter_book(),
        "build",
        str(ROOT),
        "-W",
        "-n",
        "--keep-going",
        "-q",
        "--all",
    ]
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        print(
            "book: the build failed; see the warnings above", file=sys.stderr
        )
        return 1
    print(f"book: {INDEX}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
