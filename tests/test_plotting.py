import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from sincos import Hyperparams, SinCosBatches
from sincos.plotting import (
    BATCH_K,
    BATCH_NEXT,
    PREDICTION,
    TARGET,
    plot_batch_continuation,
    plot_fit_overview,
    plot_row,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def two_batches(hp=None):
    batches = SinCosBatches(hp)
    return next(batches), next(batches)


def same_color(a, b):
    return mcolors.to_rgba(a) == mcolors.to_rgba(b)


def test_plot_row_draws_target_red_and_prediction_blue_dashed():
    batch, _ = two_batches()
    ax = plot_row(batch.xs[0], target=batch.res[0], pred=batch.seq[0])
    target, pred = ax.get_lines()
    assert same_color(target.get_color(), TARGET["color"])
    assert same_color(pred.get_color(), PREDICTION["color"])
    assert pred.get_linestyle() == "--"
    np.testing.assert_array_equal(target.get_xdata(), batch.xs[0])
    np.testing.assert_array_equal(target.get_ydata(), batch.res[0, :, 0])
    assert ax.get_xlabel() == "x" and ax.get_ylabel()


def test_plot_row_leaves_out_what_is_not_given():
    batch, _ = two_batches()
    ax = plot_row(batch.xs[0], inputs=batch.seq[0], markers=True)
    (line,) = ax.get_lines()
    assert line.get_marker() == "o"


def test_continuation_panels_show_consecutive_windows():
    first, second = two_batches(Hyperparams(time_steps=5, batch_size=6))
    fig = plot_batch_continuation(first, second, rows=3)
    axes = fig.axes
    assert len(axes) == 3
    for i, ax in enumerate(axes):
        dark, green = (
            line for line in ax.get_lines() if line.get_marker() in "os"
        )
        assert same_color(dark.get_color(), BATCH_K["color"])
        assert same_color(green.get_color(), BATCH_NEXT["color"])
        # batch k+1's row starts one step after the dark one ends ...
        step = first.xs[0, 1] - first.xs[0, 0]
        assert green.get_xdata()[0] == pytest.approx(
            dark.get_xdata()[-1] + step
        )
        # ... and lies where the next panel's batch-k row lies
        if i + 1 < len(axes):
            next_dark = next(
                line
                for line in axes[i + 1].get_lines()
                if line.get_marker() == "o"
            )
            np.testing.assert_array_equal(
                green.get_xdata(), next_dark.get_xdata()
            )
    assert axes[-1].get_xlabel() == "x"


def test_fit_overview_draws_the_row_and_histograms_of_each_role():
    batch, _ = two_batches()
    pred = 0.5 * batch.res + 0.2  # apart from the target everywhere
    fig = plot_fit_overview(batch, pred, row=2, title="untrained")
    ax_row, ax_hist = fig.axes
    assert ax_row.get_title() == "row 2"
    target, prediction = ax_row.get_lines()
    assert same_color(target.get_color(), TARGET["color"])
    assert same_color(prediction.get_color(), PREDICTION["color"])
    np.testing.assert_array_equal(target.get_ydata(), batch.res[2, :, 0])
    np.testing.assert_array_equal(prediction.get_ydata(), pred[2, :, 0])
    # the filled bars count the targets, the dashed outline the predictions
    (bars,) = ax_hist.containers
    edges = [r.get_x() for r in bars] + [
        bars[-1].get_x() + bars[-1].get_width()
    ]
    assert same_color(bars[0].get_facecolor()[:3], TARGET["color"])
    np.testing.assert_array_equal(
        [r.get_height() for r in bars], np.histogram(batch.res, edges)[0]
    )
    outline = ax_hist.patches[-1]
    assert same_color(outline.get_edgecolor(), PREDICTION["color"])
    counts = np.histogram(pred, edges)[0]
    np.testing.assert_array_equal(
        outline.get_xy()[1 : 2 * len(counts) : 2, 1], counts
    )
    assert ax_hist.get_xlabel() == "value" and ax_hist.get_ylabel() == "count"
    assert ax_hist.get_title() == f"all {batch.res.size} values"
    assert fig.get_suptitle() == "untrained"
