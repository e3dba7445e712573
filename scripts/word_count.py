"""Count the words of prose in the book, page by page and part by part.

    .venv/bin/python scripts/word_count.py

Prose is the text of the notebooks' markdown cells and of the prose pages
(.md) that _toc.yml lists, without code blocks, display maths and directive
lines. The book keeps Part I (with the intro) to at most 6,000 words and the
whole book to at most 12,000; the script exits with 1 when a limit is passed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LIMITS = {"Part I": 6000, "book": 12000}

FENCE = re.compile(r"^(?P<mark>`{3,}|~{3,}).*?^(?P=mark)\s*$", re.M | re.S)
MATH = re.compile(r"\$\$.*?\$\$", re.S)
DIRECTIVE = re.compile(r"^\s*:{3,}.*$|^\s*:\w+:.*$", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)


def prose(markdown: str) -> str:
    """The text a reader reads as prose: no code, maths or directives."""
    for pattern in (COMMENT, FENCE, MATH, DIRECTIVE):
        markdown = pattern.sub(" ", markdown)
    return markdown


def words(text: str) -> int:
    return len(re.findall(r"\S+", prose(text)))


def page_text(docname: str) -> str:
    path = ROOT / f"{docname}.md"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    notebook = json.loads(
        (ROOT / f"{docname}.ipynb").read_text(encoding="utf-8")
    )
    return "\n\n".join(
        "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown"
    )


def parts() -> dict[str, list[str]]:
    """The documents of each part of _toc.yml, the root in Part I."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for part in toc["parts"]:
        name = part["caption"].split(":")[0]
        found[name] = [chapter["file"] for chapter in part["chapters"]]
    first = next(iter(found))
    found[first].insert(0, toc["root"])
    return found


def counts() -> dict[str, dict[str, int]]:
    return {
        part: {doc: words(page_text(doc)) for doc in docs}
        for part, docs in parts().items()
    }


def main() -> int:
    totals, failed = {}, False
    for part, pages in counts().items():
        print(part)
        for doc, count in pages.items():
            print(f"  {count:6,}  {doc}")
        totals[part] = sum(pages.values())
        print(f"  {totals[part]:6,}  in all")
    totals["book"] = sum(totals.values())
    print(f"book: {totals['book']:,}")
    for name, limit in LIMITS.items():
        if totals[name] > limit:
            print(f"{name} has {totals[name]:,} words, over {limit:,}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
