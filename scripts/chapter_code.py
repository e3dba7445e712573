"""Keep the code the chapters show identical to the code the project runs.

A chapter shows a function, class or method of the project in a code cell, or
in a fenced ```python block of a markdown cell, whose first line names it:

    # sincos/training.py: train_step
    # scripts/tf1_reference.py: TF1Model.add_cell
    # sincos/tutorial.py: The network

The rest of the block is that object's source, exactly (a method dedented),
or, where the file has a line ``# %% <name>``, the lines of that part, up to
the next ``# %%`` line.
This script rewrites every such block from the source files:

    .venv/bin/python scripts/chapter_code.py            # update the notebooks
    .venv/bin/python scripts/chapter_code.py --check    # only list differences

tests/test_chapter_code.py fails when a chapter and the source differ.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MARKER = re.compile(r"^# (?P<path>[\w./-]+\.py): (?P<name>\w[\w. ]*)$")
PART = "# %% "
FENCE = re.compile(
    r"^(?P<indent> *)```python\n(?P<body>.*?)^(?P=indent)```$",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Block:
    """A block of chapter code that names its source: where it is, what it
    names, what it shows and what the source says."""

    notebook: str
    cell: int
    path: str
    name: str
    shown: str

    @property
    def marker(self) -> str:
        return f"# {self.path}: {self.name}"

    def source(self) -> str:
        code = extract(ROOT / self.path, self.name)
        return f"{self.marker}\n{code}".rstrip("\n")


def extract(path: Path, name: str) -> str:
    """The lines of the part ``# %% name`` of the Python file ``path``, or
    the source of the function, class or method ``name`` (dotted for a
    method), decorators included, dedented."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if PART + name + "\n" in lines:
        first = lines.index(PART + name + "\n") + 1
        part = []
        for line in lines[first:]:
            if line.startswith(PART):
                break
            part.append(line)
        return "".join(part).strip("\n") + "\n"
    scope: list[ast.stmt] = ast.parse(text).body
    node = None
    for part in name.split("."):
        node = next((n for n in scope if _defines(n, part)), None)
        if node is None:
            raise LookupError(f"{path} defines no {name}")
        scope = getattr(node, "body", [])
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return textwrap.dedent("".join(lines[first - 1 : node.end_lineno]))


def _defines(node: ast.stmt, name: str) -> bool:
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return isinstance(node, kinds) and node.name == name


def blocks(notebook: Path) -> list[Block]:
    """Every block of ``notebook`` whose first line names its source."""
    found = []
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            candidates = [text]
        else:
            candidates = [
                textwrap.dedent(m["body"]) for m in FENCE.finditer(text)
            ]
        for shown in candidates:
            first, _, _ = shown.partition("\n")
            match = MARKER.match(first)
            if match:
                found.append(
                    Block(
                        notebook.name,
                        number,
                        match["path"],
                        match["name"],
                        shown.rstrip("\n"),
                    )
                )
    return found


def sync(notebook: Path) -> list[Block]:
    """Rewrite the blocks of ``notebook`` from their sources; return the
    blocks that changed."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    changed = []
    for block in blocks(notebook):
        source = block.source()
        if source == block.shown:
            continue
        cell = data["cells"][block.cell]
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            text = source
        else:
            text = _replace_fenced(text, block.shown, source)
        cell["source"] = text.splitlines(keepends=True)
        changed.append(block)
    if changed:
        notebook.write_text(
            json.dumps(data, indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return changed


def _replace_fenced(text: str, shown: str, source: str) -> str:
    for match in FENCE.finditer(text):
        if textwrap.dedent(match["body"]).rstrip("\n") == shown:
            indent = match["indent"]
            body = textwrap.indent(source + "\n", indent)
            start, end = match.span("body")
            return text[:start] + body + text[end:]
    raise LookupError(f"block {shown.splitlines()[0]!r} not found")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="list the blocks that differ, change nothing",
    )
    args = parser.parse_args(argv)
    stale = []
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        if args.check:
            stale += [b for b in blocks(notebook) if b.source() != b.shown]
        else:
            stale += sync(notebook)
    verb = "differs from" if args.check else "updated from"
    for block in stale:
        print(f"{block.notebook} cell {block.cell}: {verb} {block.marker[2:]}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
