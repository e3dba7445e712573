"""The table of contents and the notebooks folder agree (no build needed)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = (".md", ".ipynb")


def toc_entries() -> list[str]:
    """Every document _toc.yml lists, root first, without suffixes."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]

    def walk(items: list[dict]) -> None:
        for item in items:
            if "file" in item:
                entries.append(item["file"])
            for key in ("parts", "chapters", "sections"):
                walk(item.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return entries


def test_every_notebook_is_in_the_toc() -> None:
    listed = set(toc_entries())
    notebooks = sorted(p.relative_to(ROOT) for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks in notebooks/"
    missing = [str(p) for p in notebooks if p.with_suffix("").as_posix() not in listed]
    assert not missing, f"notebooks not listed in _toc.yml (the book would skip them): {missing}"


def test_every_toc_entry_exists() -> None:
    missing = [
        entry
        for entry in toc_entries()
        if not any((ROOT / f"{entry}{suffix}").is_file() for suffix in SUFFIXES)
    ]
    assert not missing, f"_toc.yml lists documents that do not exist: {missing}"


def test_no_toc_entry_is_listed_twice() -> None:
    entries = toc_entries()
    twice = sorted({entry for entry in entries if entries.count(entry) > 1})
    assert not twice, f"_toc.yml lists these more than once: {twice}"
