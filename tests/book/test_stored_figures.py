"""The figures the chapters store, and the drawn diagrams, pass the layout
check of tests/figure_layout.py as Chromium lays them out at their drawn
size (the package's own figures are checked without a browser, in
tests/test_figure_layout.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from figure_layout import from_svg_page, problems, stored_figures

pytestmark = pytest.mark.browser

STORED = stored_figures()


@pytest.fixture(scope="module")
def svg_page(browser):
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    yield page
    page.close()


@pytest.mark.parametrize("name", STORED)
def test_stored_figure_layout(svg_page, tmp_path, name):
    path = tmp_path / "figure.svg"
    path.write_text(STORED[name], encoding="utf-8")
    svg_page.goto(path.as_uri())
    found = problems(from_svg_page(svg_page))
    assert not found, f"{name}: " + "; ".join(found)


def test_the_check_fails_on_a_broken_figure(svg_page, tmp_path):
    import matplotlib.pyplot as plt
    from test_figure_layout import (
        assert_broken,
        broken_three_panels,
        kernel_rc,
    )

    path = tmp_path / "broken.svg"
    with plt.rc_context(kernel_rc()):
        broken_three_panels().savefig(path, format="svg")
    svg_page.goto(path.as_uri())
    assert_broken(problems(from_svg_page(svg_page)))
