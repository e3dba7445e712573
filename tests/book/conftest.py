from pathlib import Path

import pytest
from bookpages import BUILD_HTML, missing_build_message


@pytest.fixture(scope="session")
def build_html() -> Path:
    """The built book's HTML folder; fails with a hint when the book is not built."""
    message = missing_build_message()
    if message:
        pytest.fail(message, pytrace=False)
    return BUILD_HTML
