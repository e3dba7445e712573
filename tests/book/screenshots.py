"""Save a screenshot of every page of the built book, for a person to look at.

    python tests/book/screenshots.py _build/screens              # whole pages
    python tests/book/screenshots.py _build/screens --viewport   # first screen
    python tests/book/screenshots.py _build/screens --width 390  # a phone
    python tests/book/screenshots.py _build/screens notebooks/04_training
    python tests/book/screenshots.py _build/screens --edition zh_CN  # Chinese

Pages are opened from file:// in Debian's headless Chromium after MathJax has
typeset them and widgets are drawn; files are named in reading order, e.g.
02_book-background.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bookpages import (
    EDITIONS,
    ENGLISH,
    launch_chromium,
    missing_build_message,
    open_rendered,
    page_path,
    toc_docnames,
)
from playwright.sync_api import sync_playwright


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument(
        "pages", nargs="*", help="docnames (default: every page in _toc.yml)"
    )
    parser.add_argument(
        "--viewport", action="store_true", help="first screen only"
    )
    parser.add_argument(
        "--edition",
        choices=sorted(EDITIONS),
        default=ENGLISH,
        help="the edition's pages (default: English)",
    )
    parser.add_argument(
        "--width", type=int, default=1280, help="window width in pixels"
    )
    parser.add_argument(
        "--height", type=int, default=900, help="window height in pixels"
    )
    args = parser.parse_intermixed_args(argv)

    message = missing_build_message()
    if message:
        print(message, file=sys.stderr)
        return 1
    toc = toc_docnames()
    pages = args.pages or toc
    args.out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(
            viewport={"width": args.width, "height": args.height}
        )
        folder = EDITIONS[args.edition]
        for docname in pages:
            number = toc.index(docname) + 1 if docname in toc else 0
            target = args.out / f"{number:02d}_{docname.replace('/', '-')}.png"
            name = f"{folder}/{docname}" if folder else docname
            open_rendered(page, page_path(name).as_uri())
            page.screenshot(path=target, full_page=not args.viewport)
            print(target)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
