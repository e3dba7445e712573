"""Every figure of the book passes the colour check of tests/figure_colours.py:
the figures stored in the chapters, the drawn diagrams, and every figure the
package draws (as tests/test_figure_layout.py draws them)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from figure_colours import ciede2000, colour_problems
from figure_layout import stored_figures
from test_figure_layout import FIGURES

from sincos import plotting

STORED = stored_figures()


def as_svg(fig) -> str:
    path = Path(plt.matplotlib.get_cachedir()) / "sincos-colour-check.svg"
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(path, format="svg")
    plt.close(fig)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu and Dalal (2005), table 1, pairs 1, 17 and 25
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_the_chapters_store_figures():
    assert len(STORED) >= 15, sorted(STORED)


@pytest.mark.parametrize("name", STORED)
def test_stored_figure_colours(name):
    found = colour_problems(STORED[name])
    assert not found, f"{name}: " + "; ".join(found)


@pytest.mark.parametrize("name", FIGURES)
def test_package_figure_colours(name):
    found = colour_problems(as_svg(FIGURES[name]()))
    assert not found, f"{name}: " + "; ".join(found)


def test_thin_lines_told_apart_by_colour_alone_fail():
    """The pair that shipped: sky blue and reddish purple at 35 % opacity,
    both thin solid lines (4.8 under protanopia)."""
    fig, ax = plt.subplots()
    for colour in (plotting.SKY_BLUE, plotting.PURPLE):
        ax.plot([0, 1, 2], [1, 2, 1], color=colour, alpha=0.35, lw=0.7)
    found = colour_problems(as_svg(fig))
    assert any("with protanomaly" in p for p in found), found
    fig, ax = plt.subplots()
    for colour, style in ((plotting.SKY_BLUE, "-"), (plotting.PURPLE, "--")):
        ax.plot([0, 1, 2], [1, 2, 1], color=colour, alpha=0.35, ls=style)
    assert colour_problems(as_svg(fig)) == []


def test_a_yellow_line_fails():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color=plotting.YELLOW)
    assert "is a yellow line" in " ".join(colour_problems(as_svg(fig)))
