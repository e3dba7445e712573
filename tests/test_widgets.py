"""The widgets, driven through the methods their controls call (no kernel
needed), and the training explorer once in a real kernel, interrupted."""

from __future__ import annotations

import asyncio
import base64
import io
import itertools
import os
import re
import signal
import subprocess
import sys
import threading
import time

import matplotlib.colors as mcolors
import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.legend import Legend
from matplotlib.text import Text

from sincos import Hyperparams, make_batch
from sincos import plotting as palette
from sincos.data import X_SCALE
from sincos.plotting import PngRenderer, TrainingFigure
from sincos.widgets import (
    BLOW_UP_DISTANCE,
    MAX_CELL_SIZE,
    MAX_STEPS_PER_CLICK,
    BatchStepper,
    TimeStepViewer,
    TrainingExplorer,
    trace_steps,
)

# A smaller batch keeps every test fast; the widgets do not depend on its
# size.
HP = Hyperparams(batch_size=8)


@pytest.fixture(scope="module")
def shared_explorer() -> TrainingExplorer:
    return TrainingExplorer(HP)


@pytest.fixture
def explorer(shared_explorer) -> TrainingExplorer:
    """One explorer for the tests that keep its model (building one traces
    the training loop again), back at its defaults for each test."""
    shared_explorer.set_steps_per_click(1)
    shared_explorer.set_stateful(True)
    shared_explorer.click_reset()
    assert shared_explorer.hp == HP
    return shared_explorer


@pytest.fixture
def new_explorer() -> TrainingExplorer:
    return TrainingExplorer(HP)


def shown_png(out) -> tuple[np.ndarray, dict]:
    """The image an output widget shows, as an RGBA array, and its
    metadata."""
    (output,) = out.outputs
    png = base64.b64decode(output["data"]["image/png"])
    return mpimg.imread(io.BytesIO(png)), output["metadata"]["image/png"]


def shown_images(widget) -> list[np.ndarray]:
    outs = (
        [widget.out_fit, widget.out_cost]
        if isinstance(widget, TrainingExplorer)
        else [widget.out]
    )
    return [shown_png(out)[0] for out in outs]


def shown_iteration(explorer: TrainingExplorer) -> int | None:
    """The iteration the line above the figure names (None: untrained)."""
    match = re.search(r"<b>iteration (\d+)</b>", explorer.info.value)
    return int(match.group(1)) if match else None


def statuses_of(explorer: TrainingExplorer) -> list[str]:
    """Every status message from now on, as the front end receives them."""
    seen: list[str] = []
    explorer.status.observe(
        lambda _: seen.append(explorer.status_message), names="value"
    )
    return seen


def in_thread(target) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# -- TrainingExplorer: what a click does --------------------------------------


def test_a_new_explorer_says_ready_and_shows_the_untrained_network():
    fresh = TrainingExplorer(HP)
    assert fresh.status_message == "Ready: press Step or Play."
    assert "Ready: press Step or Play." in fresh.status.value
    assert "untrained" in fresh.info.value and shown_iteration(fresh) is None
    assert fresh.summary().startswith("untrained (0 iterations trained)")


def test_the_status_line_keeps_its_height_from_the_start(new_explorer):
    # reserved before any message, so a message never moves the figure down
    assert new_explorer.status.layout.min_height == "3em"


def test_step_trains_steps_per_click_and_moves_the_lines_of_the_same_figure(
    explorer,
):
    figure, before = explorer.figure.fig, shown_images(explorer)
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
    for old, new in zip(before, shown_images(explorer), strict=True):
        assert not np.array_equal(old, new)
    # the cost panel's limits move in steps: round iteration counts, decades
    assert explorer.figure.ax_cost.get_xlim() == (0, 10)
    low, high = np.log10(explorer.figure.ax_cost.get_ylim())
    assert low == int(low) and high == int(high)
    history = explorer.trainer.history
    assert 10**low < min(history) < max(history) < 10**high


def test_lines_and_messages_name_the_iteration_shown_from_0(explorer):
    explorer.set_steps_per_click(3)
    explorer.click_step()
    cost = explorer.trainer.history[-1]
    assert shown_iteration(explorer) == 2
    assert f"cost {cost:.4f}" in explorer.info.value
    assert "(3 iterations trained)" in explorer.info.value
    assert (
        explorer.status_message == "Trained 3 iterations: iterations 0 to 2."
    )
    assert explorer.summary().startswith(
        f"iteration 2, cost {cost:.4f} (3 iterations trained);"
    )
    explorer.set_steps_per_click(1)
    explorer.click_step()
    assert explorer.status_message == "Trained 1 iteration: iteration 3."
    explorer.set_playing(False)  # nothing plays: Pause changes nothing
    assert explorer.status_message == "Trained 1 iteration: iteration 3."


@pytest.mark.parametrize(
    ("setter", "text", "message"),
    [
        ("set_learning_rate", "abc", "learning rate must be a finite"),
        ("set_learning_rate", "", "learning rate must be a finite"),
        ("set_learning_rate", "inf", "learning rate must be a finite"),
        ("set_learning_rate", "nan", "learning rate must be a finite"),
        ("set_learning_rate", "1e400", "learning rate must be a finite"),
        ("set_learning_rate", "0", "learning rate must be a finite"),
        ("set_learning_rate", "-1", "learning rate must be a finite"),
        ("set_cell_size", "2.5", "cell size must be a whole number"),
        ("set_cell_size", "0", "cell size must be a whole number"),
        ("set_cell_size", str(MAX_CELL_SIZE + 1), "cell size must be"),
        ("set_cell_size", "ten", "cell size must be a whole number"),
        ("set_steps_per_click", "0", "steps/click must be a whole number"),
        ("set_steps_per_click", "2.5", "steps/click must be a whole number"),
        ("set_steps_per_click", str(MAX_STEPS_PER_CLICK + 1), "steps/click"),
    ],
)
def test_a_refused_value_is_named_with_the_value_kept(
    explorer, setter, text, message
):
    explorer.click_step()
    trainer = explorer.trainer
    getattr(explorer, setter)(text)
    assert explorer.status_message.startswith(message)
    assert f"got {text!r}" in explorer.status_message
    kept = {
        "set_learning_rate": f"{HP.learning_rate:g}",
        "set_cell_size": f"{HP.cell_size}",
        "set_steps_per_click": "1",
    }[setter]
    assert explorer.status_message.endswith(f"Kept {kept}.")
    assert explorer.trainer is trainer and explorer.steps_per_click == 1
    assert (explorer.lr_box.value, explorer.cell_box.value) == (
        f"{HP.learning_rate:g}",
        f"{HP.cell_size}",
    )
    assert explorer.steps_box.value == "1"
    explorer.click_step()
    assert explorer.trainer.iteration == 2


def test_a_whole_cell_size_written_as_a_decimal_is_accepted(new_explorer):
    new_explorer.set_cell_size("4.0")
    assert new_explorer.hp.cell_size == 4


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
    assert explorer.status_message == (
        "New model with cell size 4: back to the untrained network."
    )
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
    assert explorer.summary().startswith("untrained (0 iterations trained)")
    assert shown_iteration(explorer) is None
    explorer.click_step()
    assert explorer.trainer.history[0] == first


def test_stateful_switch_changes_where_the_next_batch_starts(explorer):
    from sincos import compute_cost

    explorer.click_step()  # the carried state is no longer zeros
    trainer = explorer.trainer
    for stateful in (False, True):
        explorer.set_stateful(stateful)
        batch = trainer.batches.peek()
        carried, _ = trainer.predict(batch.seq, trainer.state)
        zeros, _ = trainer.predict(batch.seq)
        expected, other = (carried, zeros) if stateful else (zeros, carried)
        explorer.click_step()
        cost = trainer.history[-1]
        assert cost == pytest.approx(
            float(compute_cost(expected, batch.res)), rel=1e-5
        )
        assert abs(cost - float(compute_cost(other, batch.res))) > 1e-3
    assert explorer.status_message.startswith("Trained")
    explorer.set_stateful(False)
    assert explorer.status_message.startswith("Stateful off")
    assert "stateful off" in explorer.summary()


# -- Play and Pause -----------------------------------------------------------


def test_play_trains_until_paused_while_the_loop_stays_free(explorer):
    explorer.set_steps_per_click(2)
    ticks, frames = [], []
    explorer.info.observe(
        lambda _: frames.append(shown_iteration(explorer)), names="value"
    )

    async def session() -> None:
        async def ticker() -> None:  # runs only if Play yields to the loop
            while True:
                ticks.append(explorer.trainer.iteration)
                await asyncio.sleep(0.01)

        tick_task = asyncio.get_running_loop().create_task(ticker())
        explorer.play_button.click()
        assert explorer.play_button.description == "Pause"
        assert explorer.status_message == "Playing: press Pause to stop."
        while explorer.trainer.iteration < 6:
            await asyncio.sleep(0.01)
        explorer.play_button.click()
        await asyncio.wait_for(explorer._task, timeout=5)
        tick_task.cancel()

    asyncio.run(session())
    shown = explorer.trainer.iteration - 1
    assert shown >= 5
    assert len(set(ticks)) > 1  # other tasks saw training while it played
    assert explorer.play_button.description == "Play"
    assert explorer.status_message == f"Paused at iteration {shown}."
    # a frame for every click's worth, 2 iterations (and one on Pause)
    assert frames[-1] == shown
    assert all(i % 2 == 1 for i in frames[:-1]) and len(frames) >= 3


def test_play_without_an_event_loop_says_so_and_trains_nothing(explorer):
    explorer.set_playing(True)
    assert explorer.trainer.iteration == 0
    assert explorer.play_button.description == "Play"
    assert "event loop" in explorer.status_message


def test_a_new_explorer_stops_the_play_of_an_older_one(new_explorer):
    old = new_explorer

    async def session() -> TrainingExplorer:
        old.set_playing(True)
        while old.trainer.iteration < 2:
            await asyncio.sleep(0.01)
        newer = TrainingExplorer(HP)  # the cell run again
        await asyncio.wait_for(old._task, timeout=10)
        return newer

    newer = asyncio.run(session())
    at = old.trainer.iteration
    assert old._run is None and old.play_button.description == "Play"
    assert old.status_message == (
        f"A newer explorer was made: Play stopped at iteration {at - 1}."
    )
    assert newer.status_message == "Ready: press Step or Play."


def test_sigint_where_it_is_ignored_stops_play():
    """ipykernel ignores SIGINT between cells; while an explorer made on the
    main thread trains in the background, SIGINT stops it instead. (In a
    real kernel: see the end of this file.)"""
    saved = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as between cells
    try:

        async def session() -> TrainingExplorer:
            explorer = TrainingExplorer(HP)  # made in the main thread's loop
            explorer.set_playing(True)
            while explorer.trainer.iteration < 2:
                await asyncio.sleep(0.01)
            assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGINT)
            await asyncio.wait_for(explorer._task, timeout=10)
            return explorer

        explorer = asyncio.run(session())
    finally:
        signal.signal(signal.SIGINT, saved)
    assert explorer.status_message.startswith("Kernel interrupt: Play stopped")


# -- one lock: clicks from other threads --------------------------------------


def test_pause_from_another_thread_names_the_iteration_shown(explorer):
    """Play trains on one thread while Pause arrives on another, as in
    ipykernel 7: training, figure and status line change together."""
    loop = asyncio.new_event_loop()
    player = in_thread(loop.run_forever)
    try:
        for round_ in range(5):
            task = explorer._task
            loop.call_soon_threadsafe(explorer.set_playing, True)
            wait_for(lambda t=task: explorer._task is not t)
            start = explorer.trainer.iteration
            wait_for(lambda s=start + round_: explorer.trainer.iteration >= s)
            explorer.set_playing(False)
            last = explorer.trainer.last
            shown = last.iteration if last else None
            assert explorer.status_message == (
                f"Paused at iteration {shown}."
                if last
                else "Paused before iteration 0."
            )
            assert shown_iteration(explorer) == shown
            asyncio.run_coroutine_threadsafe(
                asyncio.wait_for(explorer._task, 10), loop
            ).result()
            assert explorer.trainer.last is last  # nothing trained after
    finally:
        loop.call_soon_threadsafe(loop.stop)
        player.join()
        loop.close()


def test_reset_from_another_thread_stops_a_long_click_between_chunks():
    explorer = TrainingExplorer(HP.replace(cell_size=MAX_CELL_SIZE))
    explorer.set_steps_per_click(MAX_STEPS_PER_CLICK)
    statuses = statuses_of(explorer)
    clicking = in_thread(explorer.click_step)
    wait_for(lambda: any(s.startswith("Training:") for s in statuses))
    explorer.click_reset()
    clicking.join(timeout=30)
    assert not clicking.is_alive()
    assert explorer.trainer.iteration == 0  # no chunk after the reset
    assert explorer.status_message.startswith("Reset: back to the untrained")
    assert shown_iteration(explorer) is None


def test_a_long_click_trains_in_chunks_shows_progress_and_pauses():
    explorer = TrainingExplorer(HP.replace(cell_size=MAX_CELL_SIZE))
    explorer.set_steps_per_click(MAX_STEPS_PER_CLICK)
    statuses = statuses_of(explorer)
    images, chunks = [], []
    explorer.out_fit.observe(
        lambda change: images.append(change["new"]), names="outputs"
    )
    run = explorer.trainer.run

    def timed_run(n: int) -> list[float]:
        chunks.append(time.monotonic())
        return run(n)

    explorer.trainer.run = timed_run
    clicking = in_thread(explorer.click_step)
    wait_for(lambda: sum(s.startswith("Training:") for s in statuses) >= 2)
    pressed = time.monotonic()
    explorer.set_playing(False)  # the Pause button, while a click trains
    # Pause waited for the chunk in progress only: none started after it
    assert len(chunks) > 2 and max(chunks) < pressed
    clicking.join(timeout=30)
    trained = explorer.trainer.iteration
    assert 0 < trained < MAX_STEPS_PER_CLICK
    assert explorer.status_message == f"Paused at iteration {trained - 1}."
    progress = [s for s in statuses if s.startswith("Training:")]
    done = [int(s.split()[1]) for s in progress]
    assert done == sorted(done) and len(set(done)) == len(done)
    assert progress[0] == (
        f"Training: {done[0]} of {MAX_STEPS_PER_CLICK} iterations trained, "
        f"at iteration {done[0] - 1}. Pause stops."
    )
    assert len(images) >= len(progress)  # every chunk redrew the figure


def test_the_play_button_pauses_a_long_click_running_in_the_background():
    explorer = TrainingExplorer(HP.replace(cell_size=MAX_CELL_SIZE))
    explorer.set_steps_per_click(MAX_STEPS_PER_CLICK)

    async def session() -> None:
        explorer.step_button.click()  # returns at once: a background task
        assert explorer._task is not None and not explorer._task.done()
        assert explorer.play_button.description == "Pause"
        while explorer.trainer.iteration < 2:
            await asyncio.sleep(0.01)
        explorer.play_button.click()
        await asyncio.wait_for(explorer._task, timeout=10)

    asyncio.run(session())
    trained = explorer.trainer.iteration
    assert trained < MAX_STEPS_PER_CLICK
    assert explorer.status_message == f"Paused at iteration {trained - 1}."
    assert explorer.play_button.description == "Play"


# -- a learning rate that is too large ----------------------------------------


def test_a_cost_far_above_the_untrained_one_stops_play_and_names_the_rate(
    new_explorer,
):
    explorer = new_explorer
    explorer.set_learning_rate(1000)

    async def session() -> None:
        explorer.set_playing(True)
        await asyncio.wait_for(explorer._task, timeout=30)

    asyncio.run(session())
    history = explorer.trainer.history
    assert history[-1] > 1e4 * history[0]
    shown = explorer.trainer.iteration - 1
    distance = np.sqrt(history[-1] / HP.time_steps)
    assert distance > BLOW_UP_DISTANCE
    assert explorer.status_message.startswith(
        f"Play stopped at iteration {shown}: its cost, {history[-1]:.3g}, "
        f"means predictions about {distance:.0f} away from targets between "
        f"-1 and 1."
    )
    assert "Learning rate 1000 is too large" in explorer.status_message
    assert "type a smaller one" in explorer.status_message
    assert explorer.play_button.description == "Play"
    # the cost reads as a number, not 20 digits
    assert f"cost {history[-1]:.3g}" in explorer.info.value
    # the prediction left the chart, and the figure says so
    pred = explorer.figure.pred.get_ydata()
    assert np.abs(pred).max() > 1.6
    assert explorer.figure.off_chart.get_text().startswith(
        "prediction off the chart"
    )


def test_the_first_jump_of_a_large_network_trains_on():
    # measured: with these settings iteration 1 costs 3300 times iteration 0
    explorer = TrainingExplorer(
        Hyperparams(cell_size=128, learning_rate=0.05, seed=2)
    )
    explorer.set_steps_per_click(3)
    explorer.click_step()
    history = explorer.trainer.history
    assert max(history) > 1000 * history[0]
    assert (
        explorer.status_message == "Trained 3 iterations: iterations 0 to 2."
    )


def test_after_a_non_finite_cost_step_and_reset_say_what_to_change(
    new_explorer,
):
    explorer = new_explorer
    explorer.set_learning_rate(1e30)  # the weights blow up at once
    explorer.set_steps_per_click(5)
    explorer.click_step()
    assert explorer.trainer.iteration == 1  # iteration 0's cost was finite
    first = explorer.status_message
    assert first.startswith(
        "Step stopped at iteration 0: the next iteration's cost is not a "
        "finite number. Learning rate 1e+30 is too large"
    )
    explorer.click_step()
    assert explorer.status_message != first
    assert explorer.status_message.startswith("Step trained nothing")
    assert "type a smaller one" in explorer.status_message
    explorer.click_reset()
    assert "Learning rate 1e+30 is still the one that was too large" in (
        explorer.status_message
    )
    explorer.set_learning_rate(HP.learning_rate)
    explorer.click_step()
    assert explorer.trainer.iteration == 5
    assert np.isfinite(explorer.trainer.history).all()


def test_a_single_cost_is_drawn_as_a_dot(new_explorer):
    explorer = new_explorer
    explorer.set_learning_rate(1e30)
    explorer.click_step()
    assert len(explorer.trainer.history) == 1
    assert explorer.figure.cost.get_marker() == "o"
    _, with_dot = shown_images(explorer)
    explorer.figure.cost.set_visible(False)
    explorer.redraw()
    _, without = shown_images(explorer)
    assert not np.array_equal(with_dot, without)


# -- how the widgets look -----------------------------------------------------


@pytest.fixture(scope="module")
def model():
    from sincos import LSTMRNN

    return LSTMRNN(HP)


@pytest.fixture(scope="module")
def all_widgets(shared_explorer, model):
    batch = make_batch(0, HP.time_steps, HP.batch_size)
    return [shared_explorer, BatchStepper(HP), TimeStepViewer(model, batch)]


def test_every_widget_box_is_marked_for_the_book(all_widgets, explorer):
    for widget in all_widgets:
        assert "sincos-widget" in widget.widget._dom_classes
    assert "sincos-widget" in explorer.figure_view()._dom_classes


def test_controls_wrap_and_their_descriptions_fit_their_text(all_widgets):
    explorer, stepper, viewer = all_widgets
    for row in (*explorer.widget.children[:2], stepper.widget.children[0]):
        assert row.layout.flex_flow == "row wrap"
    controls = [
        explorer.steps_box,
        explorer.lr_box,
        explorer.cell_box,
        stepper.row_slider,
        viewer.slider,
    ]
    for control in controls:
        assert control.style.description_width == "initial"


def test_images_have_twice_the_pixels_of_their_css_size(all_widgets):
    for widget in all_widgets:
        outs = (
            [widget.out_fit, widget.out_cost]
            if isinstance(widget, TrainingExplorer)
            else [widget.out]
        )
        for out in outs:
            image, size = shown_png(out)
            assert image.shape[:2] == (2 * size["height"], 2 * size["width"])
    explorer = all_widgets[0]
    fit, cost = (shown_png(out)[1] for out in explorer.out.children)
    assert fit["width"] + cost["width"] <= 700  # side by side at 800 px


def test_text_in_the_figures_is_at_least_10_css_pixels(all_widgets):
    explorer, stepper, viewer = all_widgets
    for fig in (explorer.figure.fig, stepper.fig, viewer.fig):
        sizes = [
            text.get_fontsize() * PngRenderer.CSS_DPI / 72
            for text in fig.findobj(Text)
            if text.get_visible() and text.get_text()
        ]
        assert sizes and min(sizes) >= 10


def test_lines_take_their_colours_from_the_palette(all_widgets):
    colours = {
        mcolors.to_hex(value)
        for name, value in vars(palette).items()
        if name.isupper() and isinstance(value, str)
    }
    explorer, stepper, viewer = all_widgets
    for fig in (explorer.figure.fig, stepper.fig, viewer.fig):
        lines = [line for ax in fig.axes for line in ax.get_lines()]
        lines += [line for legend in fig.findobj(Legend) for line in
                  legend.get_lines()]  # fmt: skip
        assert lines
        for line in lines:
            assert mcolors.to_hex(line.get_color()) in colours, line


def test_explorer_displays_as_its_widget(explorer):
    bundle = explorer._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.widget.model_id


# -- PngRenderer --------------------------------------------------------------


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
        fast = png_array(renderer)
        # the layout the renderer laid out last
        figure.fig.set_layout_engine("none")
        full = png_array(PngRenderer(figure.fig))
        figure.fig.set_layout_engine("constrained")
        differ = np.abs(fast - full).max(axis=2) > 0.05
        # a line drawn over a spine instead of under it
        assert differ.mean() < 0.003


def png_array(renderer: PngRenderer, parts=()) -> np.ndarray:
    ((png, _),) = renderer.pngs(parts)
    return mpimg.imread(io.BytesIO(png))


def test_parts_cut_from_one_drawing_make_the_whole_image():
    figure = TrainingFigure(20)
    renderer = PngRenderer(figure.fig, [figure.pred])
    figure.update(np.arange(20.0), np.zeros(20), np.ones(20), [3.0, 2.0])
    parts = renderer.pngs([figure.fit_part, figure.cost_part])
    left, right = (mpimg.imread(io.BytesIO(png)) for png, _ in parts)
    np.testing.assert_array_equal(
        np.concatenate([left, right], axis=1), png_array(renderer)
    )
    (left_width, left_height), (right_width, right_height) = (
        size for _, size in parts
    )
    assert left_height == right_height == 300
    assert left_width + right_width == png_array(renderer).shape[1] // 2


def test_wider_tick_labels_make_a_new_layout():
    figure = TrainingFigure(20)
    renderer = PngRenderer(figure.fig, [figure.cost, figure.ax_cost.yaxis])
    figure.update(np.arange(20.0), np.zeros(20), np.zeros(20), [10.0, 100.0])
    renderer.pngs()
    left = figure.ax_cost.get_position().x0
    # 2x10^-1, ...
    figure.update(np.arange(20.0), np.zeros(20), np.zeros(20), [0.21, 0.33])
    renderer.pngs()
    assert figure.ax_cost.get_position().x0 > left


def test_a_prediction_off_the_chart_is_named_in_the_figure():
    figure = TrainingFigure(20)
    xs = np.arange(20.0)
    figure.update(xs, np.zeros(20), np.linspace(-3, 250, 20), [1.0])
    assert figure.off_chart.get_text() == (
        "prediction off the chart: -3 to 250"
    )
    figure.update(xs, np.zeros(20), np.zeros(20), [1.0])
    assert figure.off_chart.get_text() == ""


# -- BatchStepper -------------------------------------------------------------


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


# -- TimeStepViewer -----------------------------------------------------------


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


def test_the_prediction_at_time_step_0_is_drawn_as_a_dot(model):
    batch = make_batch(0, HP.time_steps, HP.batch_size)
    viewer = TimeStepViewer(model, batch, step=0)
    assert viewer.parts.pred.get_marker() == "o"
    (with_dot,) = shown_images(viewer)
    viewer.parts.pred.set_visible(False)
    viewer.redraw()
    (without,) = shown_images(viewer)
    assert not np.array_equal(with_dot, without)
    viewer.parts.pred.set_visible(True)
    viewer.set_step(1)
    assert viewer.parts.pred.get_marker() == "None"


# -- the import ---------------------------------------------------------------


def test_importing_the_widgets_does_not_load_tensorflow():
    code = "import sys, sincos.widgets; print('tensorflow' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


# -- in a real kernel: Kernel > Interrupt ------------------------------------


class Kernel:
    """A real IPython kernel, started through jupyter_client, with one
    subshell: code run there executes on another thread while the main
    thread stays between cells, as a widget click may in JupyterLab."""

    def __init__(self) -> None:
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3")
        self.messages: dict[str, list[dict]] = {}
        request = self.client.session.msg("create_subshell_request", {})
        self.client.control_channel.send(request)
        reply = self.client.control_channel.get_msg(timeout=60)
        self.subshell = reply["content"]["subshell_id"]

    def send(self, code: str, subshell: bool = False) -> str:
        request = self.client.session.msg(
            "execute_request",
            {"code": code, "silent": False, "store_history": False},
        )
        if subshell:
            request["header"]["subshell_id"] = self.subshell
        self.client.shell_channel.send(request)
        return request["header"]["msg_id"]

    def until(self, msg_id: str, kind: str, timeout: float = 120) -> list:
        """The request's messages up to the first of ``kind``."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.messages.setdefault(msg_id, [])
            for i, message in enumerate(seen):
                if kind in (message["msg_type"], _state(message)):
                    return seen[: i + 1]
            left = deadline - time.monotonic()
            assert left > 0, f"no {kind} for {msg_id}"
            message = self.client.get_iopub_msg(timeout=left)
            parent = message["parent_header"].get("msg_id", "")
            self.messages.setdefault(parent, []).append(message)

    def output(self, msg_id: str) -> tuple[str, list[str]]:
        """What the request printed, and the names of its errors."""
        messages = self.until(msg_id, "idle")
        text = "".join(
            m["content"]["text"] for m in messages if m["msg_type"] == "stream"
        )
        errors = [
            m["content"]["ename"] for m in messages if m["msg_type"] == "error"
        ]
        return text, errors

    def run(self, code: str, subshell: bool = False) -> str:
        text, errors = self.output(self.send(code, subshell))
        assert not errors, (code, errors, text)
        return text.strip()

    def wait_until(self, condition: str, timeout: float = 120) -> None:
        """Poll ``condition`` from the subshell: the main thread idles."""
        deadline = time.monotonic() + timeout
        while self.run(f"print(bool({condition}))", subshell=True) != "True":
            assert time.monotonic() < deadline, condition
            time.sleep(0.1)

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def _state(message: dict) -> str | None:
    return message["content"].get("execution_state")


@pytest.fixture(scope="module")
def kernel():
    kernel = Kernel()
    kernel.run(
        "import signal\n"
        "from sincos import Hyperparams\n"
        "from sincos.widgets import TrainingExplorer\n"
        "HP = Hyperparams(batch_size=8)"
    )
    yield kernel
    kernel.close()


def test_kernel_interrupt_between_cells_stops_play(kernel):
    # Between cells ipykernel ignores SIGINT (seen from the subshell while
    # the main thread waits for the next cell).
    ignored = "signal.getsignal(signal.SIGINT) is signal.SIG_IGN"
    assert kernel.run(f"print({ignored})", subshell=True) == "True"
    kernel.run("explorer = TrainingExplorer(HP)\nexplorer.set_playing(True)")
    kernel.wait_until("explorer.trainer.iteration >= 2")
    assert kernel.run(f"print({ignored})", subshell=True) == "False"
    kernel.manager.interrupt_kernel()
    kernel.wait_until("explorer._task.done()")
    status, iteration = kernel.run(
        "print(explorer.status_message)\nprint(explorer.trainer.iteration)",
        subshell=True,
    ).splitlines()
    assert status == (
        f"Kernel interrupt: Play stopped at iteration {int(iteration) - 1}."
    )
    assert kernel.run("print(explorer.trainer.iteration)") == iteration


def test_kernel_interrupt_during_a_cell_stops_play_on_another_thread(kernel):
    kernel.run("explorer = TrainingExplorer(HP)")
    # Play pressed, the click handled on the subshell's thread
    kernel.run("explorer.set_playing(True)", subshell=True)
    kernel.wait_until("explorer.trainer.iteration >= 2")
    cell = kernel.send(
        "import time\nprint('sleeping', flush=True)\ntime.sleep(60)"
    )
    kernel.until(cell, "stream")
    kernel.manager.interrupt_kernel()
    assert kernel.output(cell)[1] == ["KeyboardInterrupt"]
    kernel.wait_until("explorer._task.done()")
    assert kernel.run("print(explorer.status_message)").startswith(
        "Kernel interrupt: Play stopped at iteration"
    )
