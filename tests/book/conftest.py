from pathlib import Path

import pytest
from bookpages import (
    BUILD_HTML,
    CHROMIUM,
    launch_chromium,
    missing_build_message,
)


@pytest.fixture(scope="session")
def build_html() -> Path:
    """The built book's HTML folder; fails with a hint when the book is not
    built."""
    message = missing_build_message()
    if message:
        pytest.fail(message, pytrace=False)
    return BUILD_HTML


@pytest.fixture(scope="session")
def browser(build_html: Path):
    """Debian's headless Chromium, shared by the browser tests."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the playwright package is missing: pip install -e '.[test]'",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
