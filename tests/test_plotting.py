import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.lines import Line2D

from sincos import Hyperparams, SinCosBatches
from sincos.data import make_curves
from sincos.plotting import (
    BATCH_K,
    BATCH_NEXT,
    CARRIED,
    INPUT,
    PREDICTION,
    RESET,
    SERIES,
    TARGET,
    WARM_UP,
    TrainingFigure,
    plot_abs_errors,
    plot_batch_continuation,
    plot_cost_groups,
    plot_error_by_position,
    plot_fit_overview,
    plot_frequency_response,
    plot_predictions,
    plot_row,
    plot_window_sweep,
    prediction_animation,
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


# -- every series in its role's style, under its role's label -----------------
#
# A figure that draws several roles must draw each one's data in that role's
# colour and line style and name it with that role's label: swapping the
# styles, or the labels, of two series must fail here.


def line_style(style):
    """What matplotlib makes of a role's colour and line style, and of its
    marker if it has one (a figure may add markers to a role's lines)."""
    probe = Line2D([], [], **{k: v for k, v in style.items() if k != "label"})
    return (
        mcolors.to_rgba(probe.get_color()),
        probe.get_linestyle(),
        *([probe.get_marker()] if "marker" in style else []),
    )


def drawn_style(line, role):
    """``line``'s colour and line style, and its marker if ``role`` has
    one."""
    return (
        mcolors.to_rgba(line.get_color()),
        line.get_linestyle(),
        *([line.get_marker()] if "marker" in role else []),
    )


def assert_roles(ax, expected):
    """``expected``: ``{label: (role style, y data)}``. The line of ``ax``
    with each label is drawn in that role's style and shows that data; a
    legend entry with that label (the axes' or the figure's) is drawn in
    that style too."""
    labelled = {}
    for line in ax.get_lines():
        labelled.setdefault(line.get_label(), []).append(line)
    legends = [ax.get_legend(), *ax.figure.legends]
    entries = {
        text.get_text(): handle
        for legend in legends
        if legend is not None
        for handle, text in zip(
            legend.legend_handles, legend.get_texts(), strict=True
        )
    }
    for label, (role, data) in expected.items():
        assert label in labelled, (label, sorted(labelled))
        (line,) = labelled[label]
        want, got = line_style(role), drawn_style(line, role)
        assert got == want, f"{label!r} is drawn as {got}, its role is {want}"
        np.testing.assert_allclose(
            np.asarray(line.get_ydata(), np.float64),
            np.ravel(data),
            err_msg=f"the line labelled {label!r} shows other data",
        )
        if label in entries and isinstance(entries[label], Line2D):
            shown = drawn_style(entries[label], role)
            assert shown == want, (
                f"the legend shows {label!r} as {shown}, its role is {want}"
            )


def test_each_role_is_labelled_with_its_own_name():
    for role, name in (
        (TARGET, "target"),
        (PREDICTION, "prediction"),
        (INPUT, "input"),
        (CARRIED, "carried"),
        (RESET, "zeros"),
    ):
        assert name in role["label"], (name, role)


def distinct_curves(n=30):
    """Four curves that differ everywhere, all positive."""
    t = np.linspace(0, 3, n)
    return [np.exp(-t) + k for k in (1.0, 2.0, 3.0, 4.0)]


def test_plot_row_draws_each_role_with_its_label():
    batch, _ = two_batches()
    pred = 0.5 * batch.res[0]
    ax = plot_row(
        batch.xs[0], target=batch.res[0], pred=pred, inputs=batch.seq[0]
    )
    assert_roles(
        ax,
        {
            INPUT["label"]: (INPUT, batch.seq[0]),
            TARGET["label"]: (TARGET, batch.res[0]),
            PREDICTION["label"]: (PREDICTION, pred),
        },
    )


def test_training_figure_draws_target_and_prediction_in_their_roles():
    batch, _ = two_batches()
    figure = TrainingFigure(time_steps=batch.xs.shape[1])
    pred = 0.5 * batch.res[0]
    figure.update(batch.xs[0], batch.res[0], pred, [3.0, 2.0])
    assert_roles(
        figure.ax_fit,
        {
            TARGET["label"]: (TARGET, batch.res[0]),
            PREDICTION["label"]: (PREDICTION, pred),
        },
    )


def test_prediction_animation_draws_target_and_prediction_in_their_roles(
    monkeypatch,
):
    kept = []  # the player's figure, which it closes when done
    monkeypatch.setattr(plt, "close", kept.append)
    batch, _ = two_batches(Hyperparams(time_steps=5, batch_size=2))
    frames = [(batch.xs[0], batch.res[0], 0.5 * batch.res[0])] * 2
    prediction_animation(frames, costs=[2.0, 1.0])
    (fig,) = kept
    (ax,) = fig.axes
    assert_roles(
        ax,
        {
            TARGET["label"]: (TARGET, batch.res[0]),
            PREDICTION["label"]: (PREDICTION, 0.5 * batch.res[0]),
        },
    )


def test_fit_overview_names_each_histogram_after_its_role():
    batch, _ = two_batches()
    pred = 0.5 * batch.res + 0.2
    _, ax_hist = plot_fit_overview(batch, pred).axes
    handles, labels = ax_hist.get_legend_handles_labels()
    colours = {}
    for handle, label in zip(handles, labels, strict=True):
        patch = handle.patches[0] if hasattr(handle, "patches") else handle
        filled = patch.get_fill() and patch.get_facecolor()[3] > 0
        colours[label] = (
            patch.get_facecolor() if filled else patch.get_edgecolor()
        )
    assert set(colours) == {TARGET["label"], PREDICTION["label"]}
    for role in (TARGET, PREDICTION):
        assert same_color(colours[role["label"]][:3], role["color"]), role


def test_batch_continuation_names_each_batch_after_its_style():
    first, second = two_batches(Hyperparams(time_steps=5, batch_size=6))
    fig = plot_batch_continuation(first, second, rows=2)
    for i, ax in enumerate(fig.axes):
        assert_roles(
            ax,
            {
                "batch k": (BATCH_K, first.seq[i]),
                "batch k+1": (BATCH_NEXT, second.seq[i]),
            },
        )


def test_plot_predictions_draws_carried_and_zero_start_in_their_roles():
    carried, zeros, target, inputs = distinct_curves()
    names = "prediction, carried state", "prediction from zeros"
    ax = plot_predictions(
        target, dict(zip(names, (carried, zeros), strict=True)), inputs=inputs
    )
    assert_roles(
        ax,
        {
            INPUT["label"]: (INPUT, inputs),
            TARGET["label"]: (TARGET, target),
            names[0]: (PREDICTION, carried),
            names[1]: (RESET, zeros),
        },
    )


def test_plot_abs_errors_draws_carried_and_zero_start_in_their_roles():
    carried, zeros, _, _ = distinct_curves()
    names = "prediction, carried state", "prediction from zeros"
    ax = plot_abs_errors(
        dict(zip(names, (carried, -zeros), strict=True)), threshold=0.5
    )
    assert_roles(
        ax, {names[0]: (PREDICTION, carried), names[1]: (RESET, zeros)}
    )


def test_experiment_figures_draw_carried_and_reset_in_their_roles():
    carried, reset, _, _ = distinct_curves(20)
    groups = {"carried": np.array([carried]), "reset": np.array([reset])}
    styles = (CARRIED, RESET)
    ax = plot_cost_groups(groups, styles=styles)
    assert_roles(
        ax,
        {
            "carried: median of 1": (CARRIED, carried),
            "reset: median of 1": (RESET, reset),
        },
    )
    ax = plot_error_by_position(
        {"carried": carried, "reset": reset}, floor=0.5, styles=styles
    )
    assert_roles(ax, {"carried": (CARRIED, carried), "reset": (RESET, reset)})
    steps = (5, 10, 20)
    ax = plot_window_sweep(
        steps,
        {
            "carried": [np.full(2, v) for v in carried[:3]],
            "reset": [np.full(2, v) for v in reset[:3]],
        },
        styles=styles,
    )
    assert_roles(
        ax,
        {
            "carried: median": (CARRIED, carried[:3]),
            "reset: median": (RESET, reset[:3]),
        },
    )


def test_frequency_response_names_each_curve_after_its_role():
    k = np.array([0.5, 1.0, 2.0])
    fig = plot_frequency_response(k, [0.9, 1.0, 0.8], [-0.5, 0.0, 0.7])
    ax_amp, ax_late = fig.axes
    assert_roles(
        ax_amp,
        {
            "target cos kx: 1": (TARGET, np.ones(3)),
            "slope of sin kx: k": (SERIES[2], k),
            "prediction": (PREDICTION, [0.9, 1.0, 0.8]),
        },
    )
    assert_roles(
        ax_late,
        {
            "target: 0": (TARGET, np.zeros(3)),
            "k - 1": (SERIES[2], k - 1),
            "prediction": (PREDICTION, [-0.5, 0.0, 0.7]),
        },
    )


def test_the_animation_shows_its_first_frame_without_a_script():
    """Where no script runs (a notebook JupyterLab does not trust), the
    player's image still shows the first frame, and says what it is."""
    batch, _ = two_batches(Hyperparams(time_steps=5, batch_size=2))
    frames = [(batch.xs[0], batch.res[0], k * batch.res[0]) for k in (0, 1)]
    html = prediction_animation(frames, alt="Two frames of row 0")
    img = re.search(r"<img [^>]*>", html)[0]
    first = re.search(r'frames\[0\] = "(data:[^"]*)"', html, re.DOTALL)[1]
    assert 'alt="Two frames of row 0"' in img
    assert f'src="{first.replace(chr(92) + chr(10), "")}"' in img
    assert first.startswith("data:image/svg+xml;base64,")
    assert "font-awesome" not in html
