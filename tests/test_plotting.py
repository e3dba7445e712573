import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from sincos import Hyperparams, SinCosBatches
from sincos.data import make_curves
from sincos.plotting import (
    BATCH_K,
    BATCH_NEXT,
    INPUT,
    PREDICTION,
    RESET,
    SERIES,
    TARGET,
    WARM_UP,
    plot_abs_errors,
    plot_batch_continuation,
    plot_fit_overview,
    plot_frequency_response,
    plot_predictions,
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


def test_plot_predictions_shades_the_warm_up_and_draws_each_role():
    curves = make_curves(50)
    carried, zeros = curves.res + 0.01, np.zeros_like(curves.res)
    ax = plot_predictions(
        curves.res[0],
        {"carried": carried[0], "from zeros": zeros[0]},
        warm_up=7,
        inputs=curves.seq[0],
    )
    (shade,) = ax.patches
    assert shade.get_x() == 0 and shade.get_width() == 7
    assert same_color(shade.get_facecolor()[:3], WARM_UP["color"])
    lines = ax.get_lines()
    roles = (INPUT, TARGET, PREDICTION, RESET)
    for line, role in zip(lines, roles, strict=True):
        assert same_color(line.get_color(), role["color"])
        assert line.get_linestyle() == role["linestyle"]
    np.testing.assert_array_equal(lines[0].get_xdata(), np.arange(50))
    np.testing.assert_array_equal(lines[3].get_ydata(), zeros[0, :, 0])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "warm-up, 7 steps",
        INPUT["label"],
        TARGET["label"],
        "carried",
        "from zeros",
    ]
    assert ax.get_xlabel() == "time step"


def test_plot_predictions_takes_other_labels_and_leaves_out_the_input():
    curves = make_curves(30, frequency=2.0)
    ax = plot_predictions(
        curves.res[0],
        {"prediction": curves.res[0]},
        warm_up=10,
        target_label="target cos 2x",
    )
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["warm-up, 10 steps", "target cos 2x", "prediction"]


def test_plot_abs_errors_draws_sizes_on_a_log_scale_with_a_threshold():
    errors = {"a": np.array([-0.5, 0.2, -0.01]), "b": np.array([1, -2, 3])}
    ax = plot_abs_errors(errors, threshold=0.05, warm_up=1, styles=SERIES)
    first, second, threshold = ax.get_lines()
    np.testing.assert_array_equal(first.get_ydata(), [0.5, 0.2, 0.01])
    np.testing.assert_array_equal(second.get_ydata(), [1, 2, 3])
    assert same_color(second.get_color(), SERIES[1]["color"])
    assert list(threshold.get_ydata()) == [0.05, 0.05]
    assert ax.get_yscale() == "log"
    assert ax.patches[0].get_width() == 1


def test_frequency_response_compares_with_the_target_and_the_slope():
    k = np.array([0.5, 1.0, 2.0])
    fig = plot_frequency_response(k, [0.9, 1.0, 0.8], [-0.5, 0.0, 0.7])
    ax_amp, ax_late = fig.axes
    target, slope, measured = ax_amp.get_lines()[:3]
    np.testing.assert_array_equal(target.get_ydata(), [1, 1, 1])
    np.testing.assert_array_equal(slope.get_ydata(), k)
    np.testing.assert_array_equal(measured.get_ydata(), [0.9, 1.0, 0.8])
    assert same_color(target.get_color(), TARGET["color"])
    target, k_minus_1, measured = ax_late.get_lines()[:3]
    np.testing.assert_array_equal(target.get_ydata(), [0, 0, 0])
    np.testing.assert_array_equal(k_minus_1.get_ydata(), k - 1)
    np.testing.assert_array_equal(measured.get_ydata(), [-0.5, 0.0, 0.7])
    assert same_color(measured.get_color(), PREDICTION["color"])
