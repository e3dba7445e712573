"""Figures drawn from arrays: the target and the prediction, the cost curve,
the scrolling view of training as an animation that plays without a kernel.

One palette for the whole book, Okabe and Ito's, which readers with any kind of
colour blindness can tell apart. Each role (target, prediction, input, carried
state, reset state) has one colour and one line style everywhere, so every pair
also differs in greyscale. As in the original tutorial, the target is red (here
vermillion) and the prediction blue dashes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatter

# Okabe & Ito (2008), "Color Universal Design".
BLACK, ORANGE, SKY_BLUE, GREEN = "#000000", "#E69F00", "#56B4E9", "#009E73"
YELLOW, BLUE, VERMILLION, PURPLE = "#F0E442", "#0072B2", "#D55E00", "#CC79A7"
GREY = "#999999"

# Default figure sizes fit the book's content column: 688 CSS pixels at a
# 1280-pixel window, where an SVG figure is shown at 96 pixels per inch, so
# 7.17 inches, less the margins of a notebook's saved figure and room for
# labels that stick out of the axes. There text of 8 points or more is at
# least 10.7 pixels on screen.
COLUMN_WIDTH = 6.7  # inches


class _PlainLog(LogFormatter):
    """Matplotlib's choice of labels on a log axis, written as plain numbers
    (0.01, 1, 100): a power of ten's small exponent would be the smallest
    text of the figure."""

    def _num_to_string(self, x, vmin, vmax):
        return f"{x:g}"


def _log_scale(ax, which: str = "y") -> None:
    """A log scale on the ``which`` axis of ``ax``, labelled in plain
    numbers."""
    for name in which:
        getattr(ax, f"set_{name}scale")("log")
        axis = getattr(ax, f"{name}axis")
        axis.set_major_formatter(_PlainLog())
        axis.set_minor_formatter(
            _PlainLog(labelOnlyBase=False, minor_thresholds=(1, 0.4))
        )


def _new_axes(height: float):
    """Axes of a new figure as wide as the book's column."""
    _, ax = plt.subplots(figsize=(COLUMN_WIDTH, height), layout="constrained")
    return ax


# The roles: matplotlib keyword arguments for a line of each.
TARGET = {
    "color": VERMILLION,
    "linestyle": "-",
    "linewidth": 2.0,
    "label": "target cos x",
}
PREDICTION = {
    "color": BLUE,
    "linestyle": "--",
    "linewidth": 2.0,
    "label": "prediction",
}
INPUT = {
    "color": BLACK,
    "linestyle": ":",
    "linewidth": 1.5,
    "label": "input sin x",
}
CARRIED = {
    "color": GREEN,
    "linestyle": "-",
    "linewidth": 1.8,
    "label": "carried state",
}
RESET = {
    "color": ORANGE,
    "linestyle": "-.",
    "linewidth": 1.8,
    "label": "reset to zeros",
}
COST = {"color": BLACK, "linestyle": "-", "linewidth": 1.2}

# Series that are not roles (one per value of a hyperparameter, say) take
# these in order: colours and line styles used by no role above, and not
# dotted, the style of reference lines (a threshold, a window's edge: grey
# dots). No yellow line: on white it has a contrast of 1.3 to 1.
SERIES = (
    {"color": BLACK, "linestyle": "-"},
    {"color": SKY_BLUE, "linestyle": "--"},
    {"color": PURPLE, "linestyle": (0, (5, 1.5, 1, 1.5, 1, 1.5))},
    {"color": GREY, "linestyle": "-."},
)


class TrainingFigure:
    """One figure, two panels: row 0's target and prediction over its x range,
    and the cost so far. ``update`` moves the existing lines; nothing is
    recreated. A prediction that leaves the chart is named in a note at the
    top of its panel; a cost history of one iteration is drawn as a dot."""

    def __init__(
        self,
        time_steps: int = 20,
        figsize: tuple[float, float] = (COLUMN_WIDTH, 3.0),
    ) -> None:
        self.fig, (self.ax_fit, self.ax_cost) = plt.subplots(
            1,
            2,
            figsize=figsize,
            layout="constrained",
            width_ratios=[1.6, 1],
        )
        empty = np.full(time_steps, np.nan)
        (self.target,) = self.ax_fit.plot(
            np.arange(time_steps), empty, **TARGET
        )
        (self.pred,) = self.ax_fit.plot(
            np.arange(time_steps), empty, **PREDICTION
        )
        self.ax_fit.set(
            xlabel="x",
            ylabel="value",
            ylim=(-1.6, 1.6),
            title="row 0 of the current batch",
        )
        # Above the panels, where no curve can run under it.
        self.fig.legend(loc="outside upper center", ncols=2, fontsize=8)
        self.off_chart = self.ax_fit.text(
            0.5,
            0.96,
            "",
            transform=self.ax_fit.transAxes,
            ha="center",
            va="top",
            fontsize=8,
            color=PREDICTION["color"],
            bbox={"facecolor": "white", "edgecolor": PREDICTION["color"]},
        )
        # The limits always hold the costs; unclipped, a dot at the first
        # iteration shows whole over the axis.
        (self.cost,) = self.ax_cost.plot([], [], **COST, clip_on=False)
        self.ax_cost.set(xlabel="iteration", ylabel="cost", title="cost")
        _log_scale(self.ax_cost)
        self.ax_cost.grid(alpha=0.3)

    def update(
        self,
        xs: np.ndarray,
        target: np.ndarray,
        pred: np.ndarray,
        history: Sequence[float],
    ) -> Figure:
        """Show one row (x values, target, prediction) and the cost history."""
        pred = np.ravel(pred)
        self.target.set_data(xs, np.ravel(target))
        self.pred.set_data(xs, pred)
        self.ax_fit.set_xlim(xs[0], xs[-1])
        low, high = self.ax_fit.get_ylim()
        outside = pred.size and (pred.min() < low or pred.max() > high)
        self.off_chart.set_text(
            f"prediction off the chart: {pred.min():.3g} to {pred.max():.3g}"
            if outside
            else ""
        )
        self.cost.set_marker("o" if len(history) == 1 else "None")
        if len(history):
            self.cost.set_data(np.arange(len(history)), history)
            self.ax_cost.set_xlim(0, max(len(history) - 1, 1))
            low, high = min(history), max(history)
            self.ax_cost.set_ylim(low / 1.5, high * 1.5)
        else:
            self.cost.set_data([], [])
        return self.fig

    def show_result(self, result, history: Sequence[float]) -> Figure:
        """``update`` from a ``StepResult``: row 0 of its batch and
        prediction."""
        return self.update(
            result.batch.xs[0], result.batch.res[0], result.pred[0], history
        )


def plot_costs(
    history: Sequence[float], ax=None, label: str | None = None, **style
):
    """The cost per iteration on a log scale."""
    ax = ax or _new_axes(height=3)
    ax.plot(np.arange(len(history)), history, label=label, **style)
    ax.set(xlabel="iteration", ylabel="cost")
    _log_scale(ax)
    ax.grid(alpha=0.3)
    return ax


BACKSLASH_NEWLINE = "\\\n"


def _frame_figure(figsize: tuple[float, float]):
    """The animation's figure: one panel with fixed margins (no relayout
    from frame to frame), the iteration and cost above it on the left, the
    legend above it on the right, off the curves. Returns the figure, the
    target and prediction lines and the title."""
    fig, ax = plt.subplots(figsize=figsize)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.17, top=0.84)
    (target,) = ax.plot([], [], **TARGET)
    (pred,) = ax.plot([], [], **PREDICTION)
    ax.set(xlabel="x", ylabel="value", ylim=(-1.6, 1.6))
    fig.legend(
        loc="lower right",
        bbox_to_anchor=(0.98, 0.84),
        ncols=2,
        frameon=False,
        borderaxespad=0,
    )
    title = ax.set_title("", loc="left")
    return fig, target, pred, title


def prediction_animation(
    frames: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    costs: Sequence[float] | None = None,
    iterations: Sequence[int] | None = None,
    interval: int = 120,
    figsize: tuple[float, float] = (COLUMN_WIDTH, 3),
    alt: str = "Animation: row 0's target and prediction as training advances",
) -> str:
    """An HTML player (matplotlib's ``to_jshtml``) of the original's scrolling
    view: each frame is (xs, target, prediction) for row 0 of one iteration's
    batch, titled with its iteration and cost when given. Frames are SVG, as
    sharp as the book's figures at any zoom.

    The player needs no kernel and no network: the link to a web font that
    ``to_jshtml`` adds for its button icons is removed (the book's theme
    provides the same icons)."""
    fig, target, pred, title = _frame_figure(figsize)

    def draw(k: int):
        xs, res, out = frames[k]
        target.set_data(xs, np.ravel(res))
        pred.set_data(xs, np.ravel(out))
        target.axes.set_xlim(xs[0], xs[-1])
        words = (
            [f"iteration {iterations[k]}"] if iterations is not None else []
        )
        words += [f"cost {costs[k]:.3g}"] if costs is not None else []
        title.set_text(", ".join(words) or f"frame {k + 1}")
        return target, pred, title

    animation = FuncAnimation(
        fig, draw, frames=len(frames), interval=interval, blit=False
    )
    with plt.rc_context({"animation.frame_format": "svg"}):
        html = animation.to_jshtml(default_mode="once")
    plt.close(fig)
    # The first frame in the <img> itself: a notebook that JupyterLab does
    # not trust (downloaded, not yet run) runs no script but shows it.
    first = re.search(r'frames\[0\] = "(data:[^"]*)"', html, re.DOTALL)
    # to_jshtml ends each line of a frame's base64 with a backslash.
    src = f' src="{first[1].replace(BACKSLASH_NEWLINE, "")}"' if first else ""
    html = html.replace("<img id=", f'<img alt="{alt}"{src} id=', 1)
    return re.sub(
        r'<link rel="stylesheet"[^>]*font-awesome[^>]*>\s*', "", html
    )


# -- figures for the chapters on data and the model ---------------------------

# Two consecutive batches: batch k, and batch k + 1 (in the data chapter).
BATCH_K = {"color": BLACK, "linestyle": "-", "marker": "o"}
BATCH_NEXT = {"color": SKY_BLUE, "linestyle": "--", "marker": "s"}


def plot_row(
    xs: np.ndarray,
    target=None,
    pred=None,
    inputs=None,
    ax=None,
    markers: bool = False,
):
    """One row of a batch over its x values: the input sin x, the target cos x
    and the prediction, each in its role's style; leave out any of the three.
    With ``markers`` every time step gets a dot. Returns the Axes.

    Used in the chapters "Generating the data" and "The LSTMRNN"."""
    ax = ax or _new_axes(height=3)
    dots = {"marker": "o", "markersize": 3} if markers else {}
    for values, style in (
        (inputs, INPUT),
        (target, TARGET),
        (pred, PREDICTION),
    ):
        if values is not None:
            ax.plot(xs, np.ravel(values), **style, **dots)
    ax.set(xlabel="x", ylabel="value")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def plot_batch_continuation(
    first,
    second,
    rows: int = 4,
    figsize: tuple[float, float] = (COLUMN_WIDTH, 5.2),
) -> Figure:
    """Rows ``0 .. rows-1`` of two consecutive batches (``Batch`` values), one
    panel per row on a shared x axis, each row's input sin x with a dot per
    time step.

    In panel i, row i of the second batch (green) starts one step after row i
    of the first (dark) ends: the same curve goes on, so the state the LSTM
    ends a row with is the right start for that row in the next batch. Dotted
    lines mark the windows; the green window of panel i sits exactly above the
    dark window of panel i+1, because row i of batch k+1 is row i+1 of batch k.

    Drawn in the chapter "Generating the data"."""
    fig, axes = plt.subplots(
        rows,
        1,
        sharex=True,
        sharey=True,
        figsize=figsize,
        layout="constrained",
        squeeze=False,
    )
    axes = axes[:, 0]
    half = (second.xs[0, 0] - first.xs[0, 0]) / first.xs.shape[1] / 2
    edges = set()
    for i, ax in enumerate(axes):
        for batch, style, name, note in (
            (first, BATCH_K, "batch k", f"row {i} of batch k"),
            (second, BATCH_NEXT, "batch k+1", f"= row {i + 1} of batch k"),
        ):
            xs = batch.xs[i]
            ax.plot(
                xs,
                np.ravel(batch.seq[i]),
                **style,
                markersize=2.5,
                linewidth=1.5,
                label=name,
            )
            edges.update((round(xs[0] - half, 9), round(xs[-1] + half, 9)))
            ax.text(
                xs.mean(),
                1.45,
                note,
                color=style["color"],
                ha="center",
                va="center",
                fontsize=8,
            )
        ax.set_ylabel(f"row {i}\nsin x")
        ax.set_ylim(-1.3, 1.8)
    for ax in axes:
        for x in sorted(edges):
            ax.axvline(x, color=GREY, linestyle=":", linewidth=1)
    axes[0].legend(loc="lower left", fontsize=8, ncols=2)
    axes[-1].set_xlabel("x")
    fig.suptitle(
        "Row i of batch k+1 continues row i of batch k and repeats row i+1 "
        "of batch k",
        fontsize=10,
    )
    return fig


def plot_fit_overview(
    batch,
    pred: np.ndarray,
    row: int = 0,
    title: str | None = None,
    figsize: tuple[float, float] = (COLUMN_WIDTH, 3.2),
) -> Figure:
    """Two panels: one row's target and prediction over x, and histograms of
    all the batch's target and predicted values, which show how far apart they
    are spread. ``title``, if given, goes above both panels.

    Drawn in the chapter "The LSTMRNN" for the untrained network."""
    fig, (ax_row, ax_hist) = plt.subplots(
        1,
        2,
        figsize=figsize,
        layout="constrained",
        gridspec_kw={"width_ratios": [1.4, 1]},
    )
    plot_row(
        batch.xs[row],
        target=batch.res[row],
        pred=np.asarray(pred)[row],
        ax=ax_row,
    )
    ax_row.set_title(f"row {row}")
    values = np.ravel(batch.res), np.ravel(pred)
    bins = np.linspace(
        min(v.min() for v in values), max(v.max() for v in values), 31
    )
    ax_hist.hist(
        values[0],
        bins=bins,
        color=TARGET["color"],
        alpha=0.5,
        label=TARGET["label"],
    )
    ax_hist.hist(
        values[1],
        bins=bins,
        color=PREDICTION["color"],
        histtype="step",
        linestyle="--",
        linewidth=1.5,
        label=PREDICTION["label"],
    )
    ax_hist.set(
        xlabel="value", ylabel="count", title=f"all {values[0].size} values"
    )
    ax_hist.legend(loc="upper right", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


# -- figures for the chapter "Experiments" ------------------------------------


def plot_cost_groups(
    groups: dict[str, np.ndarray],
    ax=None,
    title: str | None = None,
    styles: Sequence[dict] = SERIES,
):
    """Cost curves of groups of runs on a log scale: every run (a row of the
    group's (runs, iterations) array) as a thin line, the group's median per
    iteration bold, both in the group's style. Group k is drawn in
    ``styles[k]`` (pass ``(CARRIED, RESET)`` for those roles).

    Drawn in the chapter "Experiments"."""
    ax = ax or _new_axes(height=3.4)
    for (label, costs), style in zip(groups.items(), styles, strict=False):
        costs = np.atleast_2d(np.asarray(costs, np.float64))
        steps = np.arange(costs.shape[1])
        line = {
            k: v for k, v in style.items() if k not in ("label", "linewidth")
        }
        ax.plot(steps, costs.T, **line, linewidth=0.7, alpha=0.35)
        ax.plot(
            steps,
            np.median(costs, axis=0),
            **line,
            linewidth=2.2,
            label=f"{label}: median of {len(costs)}",
        )
    ax.set(xlabel="iteration", ylabel="cost", title=title)
    _log_scale(ax)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)  # costs fall from the upper left
    return ax


def plot_error_by_position(
    curves: dict[str, np.ndarray],
    floor: float | None = None,
    ax=None,
    styles: Sequence[dict] = SERIES,
):
    """The squared error at each position of the window, one line per curve
    (curve k in ``styles[k]``), log scale; ``floor`` draws the error of always
    predicting 0 as a grey dotted line.

    Drawn in the chapter "Experiments"."""
    ax = ax or _new_axes(height=3.4)
    for (label, errors), style in zip(curves.items(), styles, strict=False):
        line = {
            k: v for k, v in style.items() if k not in ("label", "linewidth")
        }
        ax.plot(
            np.arange(len(errors)),
            errors,
            **line,
            marker="o",
            markersize=3.5,
            linewidth=1.5,
            label=label,
        )
    if floor is not None:
        ax.axhline(
            floor,
            color=GREY,
            linestyle=":",
            linewidth=1.2,
            label="always predicting 0",
        )
    ax.set(
        xlabel="position in the window (time step)",
        ylabel="squared error",
    )
    _log_scale(ax)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    _legend_in_headroom(ax)
    return ax


def plot_window_sweep(
    time_steps: Sequence[int],
    mse: dict[str, Sequence[np.ndarray]],
    ax=None,
    styles: Sequence[dict] = SERIES,
):
    """The evaluation MSE over the window length: for each group of runs
    (group k in ``styles[k]``) every seed as a dot and the median as a line,
    log scales.

    Drawn in the chapter "Experiments"."""
    ax = ax or _new_axes(height=3.4)
    steps = np.asarray(time_steps)
    for (label, values), style in zip(mse.items(), styles, strict=False):
        line = {
            k: v for k, v in style.items() if k not in ("label", "linewidth")
        }
        for t, v in zip(steps, values, strict=True):
            ax.plot(
                np.full(len(v), t),
                v,
                "o",
                color=line["color"],
                alpha=0.5,
                markersize=4,
            )
        ax.plot(
            steps,
            [np.median(v) for v in values],
            **line,
            linewidth=1.8,
            label=f"{label}: median",
        )
    ax.set(
        xlabel="time_steps (window length)",
        ylabel="MSE per sample after training",
    )
    _log_scale(ax, "xy")
    ax.set_xticks(steps, [str(t) for t in steps])
    ax.minorticks_off()
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    return ax


# -- figures for the chapter "Using the trained model" ------------------------

# The first steps of a sequence, while the prediction finds its place.
WARM_UP = {"color": GREY, "alpha": 0.25, "linewidth": 0}


def _shade_warm_up(ax, end: float, label: str | None = None):
    """Shade the time steps before ``end`` in the warm-up style."""
    return ax.axvspan(0, end, **WARM_UP, label=label)


def _legend_in_headroom(ax, ncols: int = 2) -> None:
    """The legend across the top of the axes, and the y range raised until
    no data lies under it (the data's own range stays below the legend)."""
    legend = ax.legend(loc="upper center", ncols=ncols, fontsize=8)
    log = ax.get_yscale() == "log"
    scale = np.log10 if log else (lambda v: v)
    for _ in range(2):  # the second pass meets the first one's new ticks
        ax.figure.draw_without_rendering()
        box, panel = legend.get_window_extent(), ax.get_window_extent()
        free = (box.y0 - panel.y0 - 4) / panel.height  # 4 px below it
        low = ax.get_ylim()[0]
        top = scale(max(_line_tops(ax)))
        raised = scale(low) + (top - scale(low)) / free
        ax.set_ylim(low, 10**raised if log else raised)


def _line_tops(ax) -> list[float]:
    """The largest value of each line of ``ax`` that shows data (not a
    threshold across it); only positive values on a log scale."""
    tops = []
    for line in ax.get_lines():
        values = np.asarray(line.get_ydata(), np.float64)
        shown = np.isfinite(values) & (
            values > 0 if ax.get_yscale() == "log" else True
        )
        if len(values) > 2 and shown.any():
            tops.append(values[shown].max())
    return tops


def plot_predictions(
    target: np.ndarray,
    predictions: dict[str, np.ndarray],
    warm_up: int | None = None,
    inputs: np.ndarray | None = None,
    ax=None,
    styles: Sequence[dict] = (PREDICTION, RESET),
    target_label: str = TARGET["label"],
    input_label: str = INPUT["label"],
):
    """One long sequence over its time steps: the input and the target in
    their roles' styles, and each prediction (``label: values``, the k-th
    in ``styles[k]``). The first ``warm_up`` steps are shaded; the legend
    on top, above the curves. Returns the Axes.

    Drawn in the chapter "Using the trained model"."""
    ax = ax or plt.subplots(figsize=(7, 3), layout="constrained")[1]
    steps = np.arange(len(np.ravel(target)))
    if warm_up is not None:
        _shade_warm_up(ax, warm_up, f"warm-up, {warm_up} steps")
    if inputs is not None:
        ax.plot(steps, np.ravel(inputs), **{**INPUT, "label": input_label})
    ax.plot(steps, np.ravel(target), **{**TARGET, "label": target_label})
    for (label, values), style in zip(
        predictions.items(), styles, strict=False
    ):
        ax.plot(steps, np.ravel(values), **{**style, "label": label})
    ax.set(xlabel="time step", ylabel="value", xlim=(0, steps[-1]))
    ax.grid(alpha=0.3)
    _legend_in_headroom(ax)
    return ax


def plot_abs_errors(
    errors: dict[str, np.ndarray],
    threshold: float | None = None,
    warm_up: int | None = None,
    ax=None,
    styles: Sequence[dict] = (PREDICTION, RESET),
):
    """The size of each error (``label: prediction - target`` at every time
    step, the k-th in ``styles[k]``) on a log scale, with ``threshold`` as a
    grey dotted line and the first ``warm_up`` steps shaded; the legend on
    top, above the curves. Returns the Axes.

    Drawn in the chapter "Using the trained model"."""
    ax = ax or plt.subplots(figsize=(7, 3), layout="constrained")[1]
    if warm_up is not None:
        _shade_warm_up(ax, warm_up)
    steps = np.arange(len(np.ravel(next(iter(errors.values())))))
    for (label, error), style in zip(errors.items(), styles, strict=False):
        ax.plot(steps, np.abs(np.ravel(error)), **{**style, "label": label})
    if threshold is not None:
        ax.axhline(
            threshold,
            color=GREY,
            linestyle=":",
            linewidth=1.5,
            label=f"threshold {threshold:g}",
        )
    ax.set(
        xlabel="time step",
        ylabel="|prediction - target|",
        xlim=(0, steps[-1]),
    )
    _log_scale(ax)
    ax.grid(alpha=0.3)
    _legend_in_headroom(ax)
    return ax


def plot_frequency_response(
    frequencies: Sequence[float],
    amplitude: Sequence[float],
    lateness: Sequence[float],
    figsize: tuple[float, float] = (7, 3),
) -> Figure:
    """For inputs sin(k x) of several frequencies k: the amplitude of the
    prediction's cos-shaped part beside the target's (1) and that of the
    input's slope (k), and how late that part is, in radians (negative:
    early), beside k - 1.

    Drawn in the chapter "Using the trained model"."""
    fig, (ax_amp, ax_late) = plt.subplots(
        1, 2, figsize=figsize, layout="constrained"
    )
    k = np.asarray(frequencies, np.float64)
    measured = {**PREDICTION, "marker": "o", "label": "prediction"}
    ax_amp.plot(k, np.ones_like(k), **{**TARGET, "label": "target cos kx: 1"})
    ax_amp.plot(k, k, **{**SERIES[2], "label": "slope of sin kx: k"})
    ax_amp.plot(k, amplitude, **measured)
    ax_amp.set(xlabel="frequency k", ylabel="amplitude")
    ax_late.plot(k, np.zeros_like(k), **{**TARGET, "label": "target: 0"})
    ax_late.plot(k, k - 1, **{**SERIES[2], "label": "k - 1"})
    ax_late.plot(k, lateness, **measured)
    ax_late.set(xlabel="frequency k", ylabel="late by (radians)")
    for ax in (ax_amp, ax_late):
        ax.axvline(1, color=GREY, linestyle=":", linewidth=1)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
    return fig


# -- the original's live plot, in a notebook ---------------------------------


class LivePlot:
    """The original's live plot: row 0's target and prediction, and the cost
    so far, redrawn in place after every ``every`` iterations. Pass it to
    ``sincos.training.train`` as ``on_step``; it needs a notebook (IPython).

    Drawn in the chapter "Training"."""

    def __init__(self, time_steps: int = 20, every: int = 5) -> None:
        from IPython.display import display

        self.every = every
        self.figure = TrainingFigure(time_steps)
        plt.close(self.figure.fig)  # shown through the display handle only
        self.handle = display(self.figure.fig, display_id=True)

    def __call__(self, i, xs, res, pred, costs) -> None:
        if (i + 1) % self.every == 0:
            self.figure.update(xs[0], res[0], pred[0], costs)
            self.handle.update(self.figure.fig)
