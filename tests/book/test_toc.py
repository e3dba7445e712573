"""The table of contents and the notebooks folder agree (no build needed)."""

from bookpages import ROOT, toc_docnames

SUFFIXES = (".md", ".ipynb")


def test_every_notebook_is_in_the_toc() -> None:
    listed = set(toc_docnames())
    notebooks = sorted(
        p.relative_to(ROOT) for p in (ROOT / "notebooks").glob("*.ipynb")
    )
    assert notebooks, "no notebooks in notebooks/"
    missing = [
        str(p) for p in notebooks if p.with_suffix("").as_posix() not in listed
    ]
    assert not missing, (
        "notebooks not listed in _toc.yml (the book would skip them): "
        f"{missing}"
    )


def test_every_toc_entry_exists() -> None:
    missing = [
        entry
        for entry in toc_docnames()
        if not any(
            (ROOT / f"{entry}{suffix}").is_file() for suffix in SUFFIXES
        )
    ]
    assert not missing, (
        f"_toc.yml lists documents that do not exist: {missing}"
    )


def test_no_toc_entry_is_listed_twice() -> None:
    entries = toc_docnames()
    twice = sorted({entry for entry in entries if entries.count(entry) > 1})
    assert not twice, f"_toc.yml lists these more than once: {twice}"
