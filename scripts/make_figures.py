"""Draw the book's figures as SVG.

    .venv/bin/python scripts/make_figures.py               # all three
    .venv/bin/python scripts/make_figures.py lstm_cell     # one or more
    .venv/bin/python scripts/make_figures.py --out DIR     # files in DIR

- ``lstm_cell.svg``: the LSTM cell for one time step, its gates and states.
- ``batch_layout.svg``: rows of consecutive batches over time, the state
  carried across the window's edge and the gradient stopped there.
- ``fit.svg``: the trained network's prediction over a long stretch of x.

The two diagrams go into the notebooks that show them, as the attachment of
the Markdown cell that reads ``attachment:<name>.svg``: a notebook then
shows them wherever it is opened (JupyterLab, Colab, a download alone). An
attachment holds the PNG first, which JupyterLab shows (it shows only the
first type of an attachment, and no SVG), and the SVG, which the book shows
(book/_ext/figures.py). The fit goes to book/images/, for the book's first
page.

Every figure is drawn at the width an image gets in the book's content column
(672 px in a 1280 px window), so its text shows at the size set here, never
below 10 px; colours and line styles come from ``sincos.plotting``. The two
diagrams are the same bytes on every run (no date, fixed ids):
tests/test_figures.py checks that the notebooks' attachments are what this
script draws. The fit is trained here (about 500 iterations, a few seconds)
and its curves differ in the last digits from one CPU to another.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import MultipleLocator

from sincos.data import X_SCALE
from sincos.plotting import (
    BATCH_K,
    BATCH_NEXT,
    BLACK,
    CARRIED,
    GREY,
    INPUT,
    PREDICTION,
    PURPLE,
    SKY_BLUE,
    TARGET,
    YELLOW,
)

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "book" / "images"
NOTEBOOKS = ROOT / "notebooks"
SVG_MIME, PNG_MIME = "image/svg+xml", "image/png"

# The width of an image in a figure of the book's content column at a 1280 px
# window, in CSS pixels (the column is 688 px, the figure pads 8 px each
# side); SVG sizes are in points, 3/4 of a pixel.
COLUMN_PX = 672
PX_PER_INCH = 96
TEXT = 10  # points: 13.3 px on screen
SMALL = 8.5  # points: 11.3 px, the smallest text in any figure
BIG = 12  # points: 16 px, symbols; their subscripts are 11.2 px

# What makes the SVG bytes the same on every run: fixed ids, no date. Text
# stays text, as in the chapters' figures (scripts/ipython_kernel_config.py):
# sharp, searchable, and its size on screen can be checked in the page.
SVG_RC = {"svg.hashsalt": "sincos-figures", "svg.fonttype": "none"}
SVG_METADATA = {"Date": None, "Creator": "Matplotlib"}
PNG_METADATA = {"Software": None}

WHITE = "#FFFFFF"
TIMES = "\N{MULTIPLICATION SIGN}"

GRADIENT = {"color": PURPLE, "linestyle": (0, (4, 2)), "linewidth": 1.6}


def canvas(height_px: int) -> tuple[Figure, Axes]:
    """A figure one column wide whose data coordinates are pixels, (0, 0) at
    the bottom left, for diagrams drawn by hand."""
    fig = Figure(figsize=(COLUMN_PX / PX_PER_INCH, height_px / PX_PER_INCH))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xlim=(0, COLUMN_PX), ylim=(0, height_px))
    ax.set_axis_off()
    return fig, ax


def arrow(ax, points, head: bool = True, **style) -> None:
    """A polyline through ``points`` (pixels), with an arrow head at its
    end."""
    style = {"color": BLACK, "linewidth": 1.4, **style}
    linestyle = style.pop("linestyle", "-")
    ax.add_patch(
        FancyArrowPatch(
            path=MplPath(points),
            arrowstyle="-|>" if head else "-",
            mutation_scale=11,
            linestyle=linestyle,
            joinstyle="miter",
            capstyle="butt",
            **style,
        )
    )


def text(ax, x, y, words, size=TEXT, ha="center", **kw) -> None:
    """``words`` at (``x``, ``y``) pixels, centred vertically."""
    ax.text(x, y, words, fontsize=size, ha=ha, va="center", **kw)


# -- 1. the LSTM cell ---------------------------------------------------------

RADIUS = 11  # of the circles of the elementwise operations


def operation(ax, x, y, symbol) -> None:
    """An elementwise operation: a circle around ``symbol``."""
    ax.add_patch(
        Circle((x, y), RADIUS, facecolor=WHITE, edgecolor=BLACK, lw=1.3)
    )
    text(ax, x, y + (1 if symbol == "+" else 0.5), symbol, BIG)


def layer(ax, x, y, symbol, fill) -> None:
    """A layer with weights: a box centred on (``x``, ``y``) around
    ``symbol``."""
    ax.add_patch(
        FancyBboxPatch(
            (x - 26, y - 20),
            52,
            40,
            boxstyle="round,pad=0,rounding_size=5",
            facecolor=fill,
            edgecolor=BLACK,
            linewidth=1.2,
        )
    )
    text(ax, x, y, symbol, TEXT if symbol == "tanh" else BIG)


def lstm_cell() -> Figure:
    """One step of the LSTM cell: x_t and the state (h, c) of the step before
    go in, the gates i, f, o and the candidate values g act on the cell-state
    line, and the new state (h, c) comes out. The state lines have the
    carried-state colour."""
    fig, ax = canvas(440)
    state = {"color": CARRIED["color"], "linewidth": 2.2}
    c_y, h_y, layer_y, mix_y, gated_y = 330, 125, 180, 265, 225
    f_x, i_x, g_x, o_x = 200, 270, 340, 420
    mix_x, out_x, branch_x = 305, 480, 520
    ax.add_patch(
        FancyBboxPatch(
            (115, 58),
            440,
            300,
            boxstyle="round,pad=0,rounding_size=14",
            facecolor=(GREY, 0.12),
            edgecolor=GREY,
            linewidth=1.2,
        )
    )
    text(ax, 545, 72, "LSTM cell, time step t", SMALL, ha="right")

    # The state of the step before comes in on the left, the new one goes
    # out on the right; h_t is also the cell's output, read by out_hidden.
    arrow(ax, [(62, c_y), (f_x - RADIUS, c_y)], **state)
    arrow(ax, [(f_x + RADIUS, c_y), (mix_x - RADIUS, c_y)], **state)
    arrow(ax, [(mix_x + RADIUS, c_y), (620, c_y)], **state)
    arrow(ax, [(62, h_y), (150, h_y)], head=False, **state)
    arrow(ax, [(out_x, gated_y - RADIUS), (out_x, h_y), (620, h_y)], **state)
    arrow(ax, [(branch_x, h_y), (branch_x, 412)], **state)
    ax.add_patch(Circle((branch_x, h_y), 3, color=state["color"]))
    for x, y, words, ha in (
        (56, c_y, r"$c_{t-1}$", "right"),
        (56, h_y, r"$h_{t-1}$", "right"),
        (626, c_y, r"$c_t$", "left"),
        (626, h_y, r"$h_t$", "left"),
        (branch_x - 8, 404, r"output $h_t$", "right"),
    ):
        text(ax, x, y, words, BIG, ha=ha)
    text(ax, 40, c_y + 22, "cell state", SMALL)
    text(ax, 40, h_y + 22, "hidden state", SMALL)

    # x_t and h_{t-1} feed the four layers.
    arrow(ax, [(150, 18), (150, h_y), (o_x, h_y)], head=False)
    ax.add_patch(Circle((150, h_y), 3, color=BLACK))
    text(ax, 160, 20, r"$x_t$", BIG, ha="left")
    for x, symbol, fill, name in (
        (f_x, r"$\sigma$", SKY_BLUE, "forget\ngate"),
        (i_x, r"$\sigma$", SKY_BLUE, "input\ngate"),
        (g_x, "tanh", YELLOW, "candidate\nvalues"),
        (o_x, r"$\sigma$", SKY_BLUE, "output\ngate"),
    ):
        arrow(ax, [(x, h_y), (x, layer_y - 20)])
        layer(ax, x, layer_y, symbol, fill)
        text(ax, x, h_y - 28, name, SMALL, linespacing=1.15)

    # f scales the old cell state, i admits the candidate values g, and o
    # gates tanh(c_t) into h_t.
    top = layer_y + 20
    arrow(ax, [(f_x, top), (f_x, c_y - RADIUS)])
    arrow(ax, [(i_x, top), (i_x, mix_y), (mix_x - RADIUS, mix_y)])
    arrow(ax, [(g_x, top), (g_x, mix_y), (mix_x + RADIUS, mix_y)])
    arrow(ax, [(mix_x, mix_y + RADIUS), (mix_x, c_y - RADIUS)])
    arrow(ax, [(o_x, top), (o_x, gated_y), (out_x - RADIUS, gated_y)])
    arrow(ax, [(out_x, c_y), (out_x, 294)])
    ax.add_patch(
        Ellipse((out_x, 282), 46, 24, facecolor=WHITE, edgecolor=BLACK, lw=1.3)
    )
    text(ax, out_x, 282, "tanh", SMALL)
    arrow(ax, [(out_x, 270), (out_x, gated_y + RADIUS)])
    for x, y, symbol in (
        (f_x, c_y, TIMES),
        (mix_x, mix_y, TIMES),
        (mix_x, c_y, "+"),
        (out_x, gated_y, TIMES),
    ):
        operation(ax, x, y, symbol)
    for x, y, words, ha in (
        (f_x + 7, 235, r"$f_t$", "left"),
        (i_x - 7, 225, r"$i_t$", "right"),
        (g_x + 7, 225, r"$g_t$", "left"),
        (o_x + 7, 212, r"$o_t$", "left"),
    ):
        text(ax, x, y, words, BIG, ha=ha)

    for y, words in (
        (
            34,
            r"boxes: layers with weights $W, U, b$ ($\sigma$: sigmoid);"
            " circles, oval: elementwise",
        ),
        (
            14,
            r"candidate values $g$: called $\mathtt{j}$ in TF1's"
            r" BasicLSTMCell, $\mathtt{c}$ in Keras's LSTMCell",
        ),
    ):
        text(ax, 200, y, words, SMALL, ha="left")
    return fig


# -- 2. the batch layout ------------------------------------------------------


def carried(ax, x0, x1, y) -> None:
    """The state (h, c) passed on, an arrow from ``x0`` to ``x1``."""
    arrow(
        ax,
        [(x0, y), (x1, y)],
        color=CARRIED["color"],
        linewidth=CARRIED["linewidth"],
    )


def gradient(ax, x0, x1, y) -> None:
    """The gradient flowing back from ``x0`` to ``x1`` (left of ``x0``), where
    a bar stops it."""
    arrow(ax, [(x0, y), (x1 + 4, y)], **GRADIENT)
    ax.plot([x1, x1], [y - 6, y + 6], color=PURPLE, linewidth=2.4)


def batch_layout() -> Figure:
    """Rows 0, 1, 2 and 49 of three consecutive batches, time running left
    to right: row i of the next batch continues row i on the curve, the final
    state (h, c) of each row goes on to the same row of the next batch, and
    the gradient of each window stops at the window's left edge."""
    height = 420
    fig, ax = canvas(height)
    steps, rows = 20, (0, 1, 2, 49)
    k = 3  # a batch where the rows' curves bend within the three windows
    left, width, gap = 78, 160, 48
    box_h, row_h = 44, 64
    head_y = height - 18
    styles = (BATCH_K, BATCH_NEXT, BATCH_K)  # alternating, as in the widget
    columns = [left + b * (width + gap) for b in range(3)]
    for b, x0 in enumerate(columns):
        name = "batch k" + (f" + {b}" if b else "")
        text(ax, x0 + width / 2, head_y, name)
    # Row 49 one row lower, below the rows left out.
    centres = head_y - 46 - row_h * np.array([0, 1, 2, 3.6])
    for row, yc in zip(rows, centres, strict=True):
        text(ax, left - 12, yc, f"row {row}", ha="right")
        for b, (x0, style) in enumerate(zip(columns, styles, strict=True)):
            ax.add_patch(
                FancyBboxPatch(
                    (x0, yc - box_h / 2),
                    width,
                    box_h,
                    boxstyle="round,pad=0,rounding_size=4",
                    facecolor="none",
                    edgecolor=style["color"],
                    linestyle=style["linestyle"],
                    linewidth=1.2,
                )
            )
            # The window's input sin x: row i of batch k starts at index
            # 20 (k + i), batch k + b 20 b later.
            index = np.arange(steps) + steps * (k + row + b)
            xs = x0 + 8 + (width - 16) * np.arange(steps) / (steps - 1)
            ax.plot(
                xs,
                yc + (box_h / 2 - 5) * np.sin(index / X_SCALE),
                **style,
                markersize=2.8,
                linewidth=1.2,
            )
            gradient(ax, x0 + width - 4, x0 + 2, yc - box_h / 2 - 9)
            if b < 2:
                carried(ax, x0 + width + 4, x0 + width + gap - 4, yc)
                text(ax, x0 + width + gap / 2, yc + 11, "(h, c)", SMALL)
    dots_y = (centres[2] + centres[3]) / 2 + 4
    for x0 in columns:
        text(ax, x0 + width / 2, dots_y, "\N{VERTICAL ELLIPSIS}", BIG)
    text(ax, left - 34, dots_y, "\N{VERTICAL ELLIPSIS}", BIG)

    # The window edges, and time running left to right.
    low = centres[3] - box_h / 2 - 24
    for x0 in columns[1:]:
        x = x0 - gap / 2
        ax.plot(
            [x, x],
            [low + 6, head_y - 14],
            color=GREY,
            linestyle=":",
            linewidth=1.2,
            zorder=0,
        )
        text(ax, x, head_y, "window\nedge", SMALL, linespacing=1.1)
    right = columns[-1] + width
    arrow(ax, [(left, low), (right, low)])
    text(
        ax,
        (left + right) / 2,
        low - 15,
        "time: each box is one row's window of 20 time steps (input sin x)",
        SMALL,
    )

    # The key.
    key_y = low - 46
    carried(ax, left, left + 40, key_y)
    gradient(ax, left + 40, left + 2, key_y - 22)
    for y, words in (
        (
            key_y,
            "state (h, c) at the end of a row: the initial state of the same"
            " row in the next batch",
        ),
        (
            key_y - 22,
            "gradient: flows back through its own window only, stops at the"
            " window's edge",
        ),
    ):
        text(ax, left + 52, y, words, SMALL, ha="left")
    return fig


# -- 3. the fit ---------------------------------------------------------------


def fit(iterations: int = 500, windows: int = 30) -> Figure:
    """Row 0's input, target and prediction over ``windows`` consecutive
    windows after training ``sincos.fast.Trainer()`` (seed 1) for
    ``iterations`` iterations: the prediction is made window by window,
    starting from the state training ended in and carrying it on."""
    from sincos.experiments import rollout
    from sincos.fast import Trainer

    trainer = Trainer()
    trainer.run(iterations)
    batches, preds = rollout(trainer, windows, carry=True)
    xs = np.concatenate([b.xs[0] for b in batches])
    fig = Figure(
        figsize=(COLUMN_PX / PX_PER_INCH, 260 / PX_PER_INCH),
        layout="constrained",
    )
    ax = fig.add_subplot()
    ax.plot(xs, np.sin(xs), **{**INPUT, "alpha": 0.45})
    # The two curves nearly coincide: the target is a wide, lighter band and
    # the prediction's dashes run inside it, so both show, in greyscale too.
    ax.plot(
        xs,
        np.concatenate([b.res[0, :, 0] for b in batches]),
        **{**TARGET, "linewidth": 5, "alpha": 0.5},
    )
    ax.plot(xs, preds[:, 0, :, 0].ravel(), **PREDICTION)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(-1.25, 1.7)  # room for the legend above the curves
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_xlabel("x", fontsize=TEXT)
    ax.set_ylabel("value", fontsize=TEXT)
    ax.xaxis.set_major_locator(MultipleLocator(5))
    ax.tick_params(labelsize=SMALL)
    ax.grid(color=GREY, alpha=0.3)
    ax.legend(loc="upper center", ncols=3, fontsize=SMALL, frameon=False)
    return fig


FIGURES: dict[str, Callable[[], Figure]] = {
    "lstm_cell": lstm_cell,
    "batch_layout": batch_layout,
    "fit": fit,
}


def save(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as an SVG file whose bytes depend only on the figure."""
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(path, format="svg", metadata=SVG_METADATA)
    return path


def attached(name: str) -> dict[Path, bytes]:
    """The attachment ``<name>.svg`` of every notebook whose Markdown shows
    it, by notebook."""
    found = {}
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            bundle = cell.get("attachments", {}).get(f"{name}.svg")
            if bundle:
                found[notebook] = base64.b64decode("".join(bundle[SVG_MIME]))
    return found


def png_of(fig: Figure) -> bytes:
    """``fig`` as a PNG as wide as the SVG shows, its bytes depending only
    on the figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PX_PER_INCH, metadata=PNG_METADATA)
    return buffer.getvalue()


def attach(name: str, svg: bytes, png: bytes) -> list[Path]:
    """Put ``png`` and ``svg`` into every Markdown cell that reads
    ``attachment:<name>.svg``; the notebooks changed."""
    changed = []
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        book = json.loads(notebook.read_text(encoding="utf-8"))
        cells = [
            cell
            for cell in book["cells"]
            if cell["cell_type"] == "markdown"
            and f"attachment:{name}.svg" in "".join(cell["source"])
        ]
        for cell in cells:
            cell["attachments"] = {
                f"{name}.svg": {
                    PNG_MIME: base64.b64encode(png).decode(),
                    SVG_MIME: base64.b64encode(svg).decode(),
                }
            }
        if cells:
            text = json.dumps(
                book, indent=1, ensure_ascii=False, sort_keys=True
            )
            text += "\n"
            notebook.write_text(text, encoding="utf-8")
            changed.append(notebook)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "names", nargs="*", help=f"figures to draw: {', '.join(FIGURES)}"
    )
    parser.add_argument(
        "--out", type=Path, help="write every figure as a file into OUT"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in FIGURES]
    if unknown:
        parser.error(
            f"no figure named {', '.join(unknown)}; "
            f"choose from {', '.join(FIGURES)} (nothing was drawn)"
        )
    folder = args.out or IMAGES
    folder.mkdir(parents=True, exist_ok=True)
    for name in args.names or FIGURES:
        fig = FIGURES[name]()
        path = save(fig, folder / f"{name}.svg")
        homes = (
            [] if args.out else attach(name, path.read_bytes(), png_of(fig))
        )
        if homes:
            path.unlink()
        for home in homes or [path]:
            print(f"{name}: {home}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
