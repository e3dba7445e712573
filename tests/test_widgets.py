"""The widgets, driven through the methods their controls call (no kernel needed)."""

from __future__ import annotations

import asyncio
import base64
import io
import itertools
import subprocess
import sys

import matplotlib.image as mpimg
import numpy as np
import pytest

from sincos import Hyperparams, make_batch
from sincos.data import X_SCALE
from sincos.plotting import PngRenderer, TrainingFigure
from sincos.widgets import (
    BatchStepper,
    TimeStepViewer,
    TrainingExplorer,
    trace_steps,
)

# A smaller batch keeps every test fast; the widgets do not depend on its size.
HP = Hyperparams(batch_size=8)


@pytest.fixture(scope="module")
def shared_explorer() -> TrainingExplorer:
    return TrainingExplorer(HP)


@pytest.fixture
def explorer(shared_explorer) -> TrainingExplorer:
    """One explorer for the tests that keep its model (building one traces the training
    loop again), back at its defaults for each test."""
    shared_explorer.set_steps_per_click(1)
    shared_explorer.set_stateful(True)
    shared_explorer.click_reset()
    assert shared_explorer.hp == HP
    return shared_explorer


@pytest.fixture
def new_explorer() -> TrainingExplorer:
    return TrainingExplorer(HP)


def shown_image(widget) -> np.ndarray:
    """The image the widget's output area shows, as an RGBA array."""
    (output,) = widget.out.outputs
    png = base64.b64decode(output["data"]["image/png"])
    return mpimg.imread(io.BytesIO(png))


# -- TrainingExplorer ---------------------------------------------------------------------


def test_step_trains_steps_per_click_and_moves_the_lines_of_the_same_figure(
    explorer,
):
    figure, before = explorer.figure.fig, shown_image(explorer)
    explorer.set_steps_per_click(3)
    explorer.click_step()
    last = explorer.trainer.last
    assert explorer.trainer.iteration == 3 and last.iteration == 2
    assert explorer.figure.fig is figure
    np.testing.assert_array_equal(
        explorer.figure.pred.get_xdata(), last.batch.xs[0]
    )
    np.testing.assert_array_equal(
        explorer.figure.pred.get_ydata(), last.pred[0].ravel()
    )
    np.testing.assert_array_equal(
        explorer.figure.cost.get_ydata(), explorer.trainer.history
    )
    assert not np.array_equal(shown_image(explorer), before)
    assert "iteration</b> 3" in explorer.info.value
    # the cost panel's limits move in steps: round numbers of iterations, whole decades
    assert explorer.figure.ax_cost.get_xlim() == (0, 10)
    low, high = np.log10(explorer.figure.ax_cost.get_ylim())
    assert low == int(low) and high == int(high)
    assert (
        10**low
        < min(explorer.trainer.history)
        < max(explorer.trainer.history)
        < 10**high
    )


@pytest.mark.parametrize(
    ("setter", "value", "field"),
    [
        ("set_learning_rate", 0, "learning_rate"),
        ("set_learning_rate", -1, "learning_rate"),
        ("set_cell_size", 0, "cell_size"),
        ("set_cell_size", 100_000, "cell_size"),
    ],
)
def test_bad_value_is_explained_and_the_old_trainer_kept(
    explorer, setter, value, field
):
    explorer.click_step()
    trainer = explorer.trainer
    getattr(explorer, setter)(value)
    assert explorer.trainer is trainer
    assert explorer.status_message.startswith(f"{field} must be")
    assert f"got {value}" in explorer.status_message
    assert (
        explorer.lr_box.value == HP.learning_rate
        and explorer.cell_box.value == HP.cell_size
    )
    explorer.click_step()
    assert explorer.trainer.iteration == 2


def test_new_cell_size_builds_a_new_trainer_with_the_switches_kept(
    new_explorer,
):
    explorer = new_explorer
    explorer.set_stateful(False)
    explorer.click_step()
    explorer.set_cell_size(4)
    trainer = explorer.trainer
    assert (
        trainer.hp.cell_size == 4
        and trainer.iteration == 0
        and not trainer.stateful
    )
    assert trainer.model.lstm.units == 4
    explorer.click_step()
    assert trainer.iteration == 1
    assert "cell size 4" in explorer.summary()


def test_new_learning_rate_builds_a_new_trainer(new_explorer):
    explorer = new_explorer
    explorer.set_learning_rate(0.02)
    assert explorer.trainer.hp.learning_rate == 0.02
    assert explorer.trainer.adam.learning_rate == 0.02
    assert "learning rate 0.02" in explorer.summary()


def test_reset_restores_iteration_zero_and_the_same_first_cost(explorer):
    explorer.set_steps_per_click(2)
    explorer.click_step()
    explorer.click_step()
    first = explorer.trainer.history[0]
    explorer.click_reset()
    assert explorer.trainer.iteration == 0 and explorer.trainer.history == []
    assert explorer.summary().startswith("iteration 0, cost -")
    explorer.click_step()
    assert explorer.trainer.history[0] == first


def test_stateful_switch_flips_the_trainer_between_steps(explorer):
    explorer.set_stateful(False)
    assert explorer.trainer.stateful is False
    explorer.click_step()
    explorer.set_stateful(True)
    assert explorer.trainer.stateful is True
    assert "stateful on" in explorer.summary()


def test_play_trains_until_paused_while_the_loop_stays_free(explorer):
    explorer.set_steps_per_click(2)
    ticks = []

    async def session() -> None:
        async def ticker() -> None:  # runs only if Play yields to the loop
            while True:
                ticks.append(explorer.trainer.iteration)
                await asyncio.sleep(0.01)

        tick_task = asyncio.get_running_loop().create_task(ticker())
        explorer.set_playing(True)
        assert explorer.play_button.description == "Pause"
        await asyncio.sleep(0.25)
        explorer.set_playing(False)
        await asyncio.wait_for(explorer.play_task, timeout=2)
        tick_task.cancel()

    asyncio.run(session())
    trained = explorer.trainer.iteration
    assert trained > 0 and trained % 2 == 0
    assert (
        len(set(ticks)) > 1
    )  # other tasks saw training progress while it played
    assert explorer.play_button.description == "Play"
    assert explorer.status_message == f"Paused at iteration {trained}."


def test_play_without_an_event_loop_trains_one_click_instead(explorer):
    explorer.set_steps_per_click(3)
    explorer.set_playing(True)
    assert (
        explorer.play_button.value is False and explorer.trainer.iteration == 3
    )
    assert "event loop" in explorer.status_message


def test_non_finite_cost_stops_play_and_leaves_the_explorer_usable(
    new_explorer,
):
    explorer = new_explorer
    explorer.set_learning_rate(
        1e30
    )  # allowed, but the weights blow up at once
    explorer.set_steps_per_click(5)

    async def session() -> None:
        explorer.set_playing(True)
        await asyncio.wait_for(explorer.play_task, timeout=5)

    asyncio.run(session())
    assert explorer.play_button.value is False
    assert explorer.status_message.startswith("cost became")
    assert all(np.isfinite(explorer.trainer.history))
    explorer.set_learning_rate(HP.learning_rate)
    explorer.click_step()
    assert (
        explorer.trainer.iteration == 5
        and np.isfinite(explorer.trainer.history).all()
    )


def test_explorer_displays_as_its_widget(explorer):
    bundle = explorer._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.widget.model_id


# -- PngRenderer ----------------------------------------------------------------------------


def test_fast_image_matches_a_full_draw_of_the_same_layout():
    figure = TrainingFigure(20)
    renderer = PngRenderer(
        figure.fig,
        [
            figure.target,
            figure.pred,
            figure.cost,
            figure.ax_fit.xaxis,
            figure.ax_cost.xaxis,
            figure.ax_cost.yaxis,
        ],
        on_top=[figure.ax_fit.get_legend()],
    )
    history = list(30 * np.exp(-np.arange(60) / 15) + 0.1)
    xs = np.arange(20) / X_SCALE
    for n in (5, 60):
        figure.update(xs + n, np.cos(xs + n), np.sin(xs + n), history[:n])
        fast = mpimg.imread(io.BytesIO(renderer.png()))
        figure.fig.set_layout_engine(
            "none"
        )  # the layout the renderer laid out last
        full = mpimg.imread(io.BytesIO(PngRenderer(figure.fig).png()))
        figure.fig.set_layout_engine("constrained")
        differ = np.abs(fast - full).max(axis=2) > 0.05
        assert (
            differ.mean() < 0.003
        )  # a line drawn over a spine instead of under it


def test_wider_tick_labels_make_a_new_layout():
    figure = TrainingFigure(20)
    renderer = PngRenderer(figure.fig, [figure.cost, figure.ax_cost.yaxis])
    figure.update(np.arange(20.0), np.zeros(20), np.zeros(20), [10.0, 100.0])
    renderer.png()
    left = figure.ax_cost.get_position().x0
    figure.update(
        np.arange(20.0), np.zeros(20), np.zeros(20), [0.21, 0.33]
    )  # 2x10^-1, ...
    renderer.png()
    assert figure.ax_cost.get_position().x0 > left


# -- BatchStepper ---------------------------------------------------------------------------


def test_each_row_continues_where_it_ended_in_the_previous_batch():
    stepper = BatchStepper(HP, rows=3)
    figure = stepper.fig
    stepper.click_next()
    stepper.click_next()
    assert stepper.fig is figure and len(stepper.starts) == 3
    for row in stepper.rows:
        segments = stepper.segments(row)
        for earlier, later in itertools.pairwise(segments):
            assert later[0] - earlier[-1] == pytest.approx(1 / X_SCALE)
    (even_sin, even_cos), _ = stepper.lines[0]
    shown = even_sin.get_xdata()
    expected = np.concatenate(
        [stepper.segments(0)[0], [np.nan], stepper.segments(0)[2], [np.nan]]
    )
    np.testing.assert_array_equal(shown, expected)
    batch = make_batch(stepper.starts[2], HP.time_steps, HP.batch_size)
    np.testing.assert_allclose(
        even_cos.get_ydata()[-HP.time_steps - 1 : -1], batch.res[0, :, 0]
    )


def test_batch_stepper_reset_and_row_choice():
    stepper = BatchStepper(HP, rows=2)
    stepper.click_next()
    stepper.set_first_row(5)
    assert list(stepper.rows) == [5, 6]
    assert stepper.lines[0][0][0].axes.get_ylabel() == "row 5"
    stepper.click_reset()
    assert (
        stepper.starts == [HP.batch_start] and "batch 0" in stepper.info.value
    )


def test_batch_stepper_refuses_more_rows_than_the_batch_has():
    with pytest.raises(
        ValueError, match="rows must be between 1 and batch_size=8, got 9"
    ):
        BatchStepper(HP, rows=9)


# -- TimeStepViewer -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model():
    from sincos import LSTMRNN

    return LSTMRNN(HP)


def test_step_by_step_trace_matches_the_whole_window(model):
    batch = make_batch(0, HP.time_steps, HP.batch_size)
    rng = np.random.default_rng(0)
    h, c = (
        rng.normal(size=(HP.batch_size, HP.cell_size)).astype(np.float32)
        for _ in "hc"
    )
    pred, (h_end, c_end) = model(batch.seq, (h, c))
    trace = trace_steps(model, batch.seq[3], (h[3], c[3]))
    np.testing.assert_allclose(trace.pred, pred.numpy()[3, :, 0], atol=1e-5)
    np.testing.assert_allclose(trace.h[-1], h_end.numpy()[3], atol=1e-5)
    np.testing.assert_allclose(trace.c[-1], c_end.numpy()[3], atol=1e-5)


def test_slider_moves_the_prediction_and_the_state_strips(model):
    batch = make_batch(0, HP.time_steps, HP.batch_size)
    viewer = TimeStepViewer(model, batch, step=0)
    figure, trace = viewer.fig, viewer.trace
    viewer.set_step(7)
    assert viewer.fig is figure
    np.testing.assert_array_equal(
        viewer.parts.pred.get_ydata(), trace.pred[:8]
    )
    for image, values in zip(
        viewer.parts.images, (trace.h, trace.c), strict=True
    ):
        shown = image.get_array()
        assert shown.shape == (HP.cell_size, HP.time_steps)
        assert not shown.mask[:, :8].any() and shown.mask[:, 8:].all()
        np.testing.assert_array_equal(shown[:, :8], values.T[:, :8])
    assert "time step 7" in viewer.info.value


# -- the import ------------------------------------------------------------------------------


def test_importing_the_widgets_does_not_load_tensorflow():
    code = "import sys, sincos.widgets; print('tensorflow' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"
