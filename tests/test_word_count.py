"""The book stays short: Part I (with the intro) at most 6,000 words of
prose, the whole book at most 12,000 (scripts/word_count.py)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import word_count  # noqa: E402


def test_prose_leaves_out_code_maths_and_directives() -> None:
    page = (
        "Two words.\n\n```python\nprint('not prose')\n```\n\n"
        "$$\na = b\n$$\n\n::::{tab-set}\n:::{tab-item} Tab\n:alt: x y z\n"
        "Three more words.\n:::\n::::\n"
    )
    assert word_count.words(page) == 5


def test_every_page_of_the_toc_is_counted_once() -> None:
    counted = [doc for pages in word_count.counts().values() for doc in pages]
    assert len(counted) == len(set(counted))
    assert counted[0] == "book/intro"
    assert len(counted) >= 10


def test_part_one_and_the_book_keep_to_their_lengths() -> None:
    totals = {
        part: sum(pages.values())
        for part, pages in word_count.counts().items()
    }
    assert totals["Part I"] <= word_count.LIMITS["Part I"], totals
    assert sum(totals.values()) <= word_count.LIMITS["book"], totals
