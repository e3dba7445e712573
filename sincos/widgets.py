"""Widgets: train the LSTM with buttons, step through the batches, watch the state move.

``TrainingExplorer`` is the chapter "Interactive explorer" (notebooks/05_explorer.ipynb);
``BatchStepper`` belongs to "Generating the data" and ``TimeStepViewer`` to "The LSTMRNN".
Every widget also works without a kernel: its ``click_*``/``set_*`` methods do what
its controls do, which is how the tests and the notebooks drive them.
"""

from __future__ import annotations

import asyncio
import base64
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .config import Hyperparams
from .data import X_SCALE, Batch, SinCosBatches, make_batch
from .plotting import (
    BATCH_K,
    BATCH_NEXT,
    INPUT,
    PREDICTION,
    TARGET,
    PngRenderer,
    TrainingFigure,
)

if TYPE_CHECKING:  # TensorFlow loads only when a widget that trains is created
    from .fast import Trainer
    from .model import LSTMRNN

MAX_STEPS_PER_CLICK = 500
MAX_CELL_SIZE = 256  # larger cells make every step slow without teaching more
FRAME_PAUSE = (
    0.03  # seconds Play yields to the kernel between frames, to handle clicks
)


def show_png(out: widgets.Output, png: bytes, text: str = "figure") -> None:
    """Make ``out`` show one PNG image, replacing what it showed.

    This sets the output widget's state directly (the output
    ``out.append_display_data(Image(png))`` makes), which looks the same under nbval,
    nbclient and in the built book, where ``with out: plt.show()`` does not; no
    IPython shell is needed, so it works in plain Python too."""
    data = {
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/plain": f"<{text}>",
    }
    out.outputs = (
        {"output_type": "display_data", "data": data, "metadata": {}},
    )


class _Displayable:
    """Shows ``self.widget`` when the object is the last expression of a cell."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _button(
    description: str, icon: str, tooltip: str, on_click: Callable
) -> widgets.Button:
    button = widgets.Button(
        description=description,
        icon=icon,
        tooltip=tooltip,
        layout=widgets.Layout(width="auto"),
    )
    button.on_click(lambda _: on_click())
    return button


# -- the training explorer ---------------------------------------------------------------


class TrainingExplorer(_Displayable):
    """Train the tutorial's LSTM one click at a time and watch row 0's fit and the cost.

    Controls: Step (``steps_per_click`` iterations, trained in one compiled call),
    the steps per click, Play/Pause (trains and redraws until paused, yielding to the
    kernel between frames), Reset (back to the initial weights, iteration 0), the
    stateful switch (carry the LSTM state between batches or start each batch from
    zeros; takes effect at the next iteration) and the learning rate and cell size
    (a new value starts a new model; a value that is not allowed is explained in the
    status line and the previous model is kept).

    Drive it from code with ``click_step()``, ``set_steps_per_click(k)``,
    ``set_playing(bool)``, ``click_reset()``, ``set_stateful(bool)``,
    ``set_learning_rate(x)``, ``set_cell_size(n)``; ``summary()`` describes the state.

    Explained in the chapter "Interactive explorer"."""

    def __init__(
        self,
        hp: Hyperparams | None = None,
        *,
        stateful: bool = True,
        steps_per_click: int = 1,
    ) -> None:
        from .fast import Trainer

        self.trainer: Trainer = Trainer(hp or Hyperparams(), stateful=stateful)
        self.play_task: asyncio.Task | None = None
        self.status_message = "Ready: press Step or Play."
        self._make_controls(steps_per_click)
        self.figure = TrainingFigure(self.hp.time_steps)
        plt.close(
            self.figure.fig
        )  # shown through self.out only, never by the backend
        self.renderer = PngRenderer(
            self.figure.fig,
            _moving_artists(self.figure),
            on_top=[self.figure.ax_fit.get_legend()],
        )
        self.out = widgets.Output()
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [
                        self.step_button,
                        self.steps_box,
                        self.play_button,
                        self.reset_button,
                    ]
                ),
                widgets.HBox([self.stateful_box, self.lr_box, self.cell_box]),
                self.info,
                self.status,
                self.out,
            ]
        )
        self._untrained = self._untrained_view()
        self.redraw()

    @property
    def hp(self) -> Hyperparams:
        """The hyperparameters of the model being trained."""
        return self.trainer.hp

    # -- what the controls do --------------------------------------------------------

    def click_step(self) -> None:
        """Train ``steps_per_click`` iterations, then redraw."""
        steps = self.steps_box.value
        if self._train(steps):
            self._set_status(f"Trained {steps} iteration{'s' * (steps > 1)}.")

    def click_reset(self) -> None:
        """Pause, and go back to the initial weights and the first batch."""
        self.set_playing(False)
        self.trainer.reset()
        self._set_status(
            "Reset: iteration 0, the same initial weights and first batch."
        )
        self.redraw()

    def set_playing(self, playing: bool) -> None:
        """Press Play (True) or Pause (False)."""
        self.play_button.value = bool(playing)

    def set_steps_per_click(self, steps: int) -> None:
        self.steps_box.value = steps

    def set_stateful(self, stateful: bool) -> None:
        self.stateful_box.value = bool(stateful)

    def set_learning_rate(self, learning_rate: float) -> None:
        self.lr_box.value = learning_rate

    def set_cell_size(self, cell_size: int) -> None:
        self.cell_box.value = cell_size

    def figure_view(self) -> widgets.VBox:
        """The iteration line and the figure alone, to show again further down a
        notebook; every view of them follows the explorer."""
        return widgets.VBox([self.info, self.out])

    def summary(self) -> str:
        """One line: iteration, last cost, settings and the status message."""
        history = self.trainer.history
        cost = f"{history[-1]:.4f}" if history else "-"
        return (
            f"iteration {self.trainer.iteration}, cost {cost}, "
            f"stateful {'on' if self.trainer.stateful else 'off'}, "
            f"learning rate {self.hp.learning_rate:g}, cell size {self.hp.cell_size}"
            f" | {self.status_message}"
        )

    # -- controls ---------------------------------------------------------------------

    def _make_controls(self, steps_per_click: int) -> None:
        self.step_button = _button(
            "Step", "step-forward", "train and redraw", self.click_step
        )
        self.reset_button = _button(
            "Reset", "undo", "back to iteration 0", self.click_reset
        )
        self.steps_box = widgets.BoundedIntText(
            value=steps_per_click,
            min=1,
            max=MAX_STEPS_PER_CLICK,
            description="steps/click",
            layout=widgets.Layout(width="170px"),
        )
        self.play_button = widgets.ToggleButton(
            description="Play", icon="play", tooltip="train until paused"
        )
        self.stateful_box = widgets.Checkbox(
            value=self.trainer.stateful,
            indent=False,
            description="stateful (carry the LSTM state)",
        )
        self.lr_box = widgets.FloatText(
            value=self.hp.learning_rate,
            description="learning rate",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="190px"),
        )
        self.cell_box = widgets.IntText(
            value=self.hp.cell_size,
            description="cell size",
            layout=widgets.Layout(width="150px"),
        )
        self.info = widgets.HTML()
        self.status = widgets.HTML()
        self.play_button.observe(self._on_play, names="value")
        self.stateful_box.observe(self._on_stateful, names="value")
        self.lr_box.observe(self._on_learning_rate, names="value")
        self.cell_box.observe(self._on_cell_size, names="value")

    def _on_play(self, change: dict) -> None:
        playing = change["new"]
        self.play_button.description = "Pause" if playing else "Play"
        self.play_button.icon = "pause" if playing else "play"
        if playing:
            self._start_playing()
        else:
            self._set_status(f"Paused at iteration {self.trainer.iteration}.")

    def _on_stateful(self, change: dict) -> None:
        self.trainer.stateful = bool(change["new"])
        self._set_status(
            "Stateful on: each batch starts from the state the previous one "
            "ended in."
            if change["new"]
            else "Stateful off: each batch starts from a zero state."
        )

    def _on_learning_rate(self, change: dict) -> None:
        self._rebuild("learning_rate", change["new"], self.lr_box)

    def _on_cell_size(self, change: dict) -> None:
        value = change["new"]
        if isinstance(value, int) and value > MAX_CELL_SIZE:
            self._refuse(
                f"cell_size must be at most {MAX_CELL_SIZE} here (larger cells make "
                f"every step slow), got {value}",
                "cell_size",
                self.cell_box,
            )
            return
        self._rebuild("cell_size", value, self.cell_box)

    # -- training and drawing ---------------------------------------------------------

    def _rebuild(
        self, name: str, value: Any, box: widgets.ValueWidget
    ) -> None:
        """A new trainer with one hyperparameter changed; keep the old one if not allowed."""
        if value == getattr(self.hp, name):
            return
        try:
            hp = self.hp.replace(**{name: value})
        except ValueError as err:
            self._refuse(str(err), name, box)
            return
        self.trainer = type(self.trainer)(hp, stateful=self.stateful_box.value)
        self._untrained = self._untrained_view()
        self._set_status(
            f"New model with {name.replace('_', ' ')} {value:g}: "
            f"training starts again at iteration 0."
        )
        self.redraw()

    def _refuse(
        self, message: str, name: str, box: widgets.ValueWidget
    ) -> None:
        kept = getattr(self.hp, name)
        self._set_status(
            f"{message}. Kept {name.replace('_', ' ')} {kept:g} and the model."
        )
        box.value = (
            kept  # back to the value in use; its observer sees no change
        )

    def _train(self, steps: int) -> bool:
        """Train and redraw; on a non-finite cost say so, stop playing, return False."""
        try:
            self.trainer.run(steps)
        except FloatingPointError as err:
            self.set_playing(False)
            self._set_status(f"{err}.")
            self.redraw()
            return False
        self.redraw()
        return True

    def _start_playing(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python: nothing would run the task
            self.play_button.value = False
            if self._train(self.steps_box.value):
                self._set_status(
                    "Play needs a running event loop (as in Jupyter); "
                    "trained one click's worth instead."
                )
            return
        self._set_status("Playing: press Pause to stop.")
        if self.play_task is None or self.play_task.done():
            self.play_task = loop.create_task(self._play())

    async def _play(self) -> None:
        """Train a click's worth, redraw, and let the kernel handle messages; repeat."""
        try:
            while self.play_button.value and self._train(self.steps_box.value):
                await asyncio.sleep(FRAME_PAUSE)
        except (
            Exception
        ) as err:  # a task has no caller to raise to: show it instead
            self.set_playing(False)
            self._set_status(f"Play stopped: {type(err).__name__}: {err}")

    def _untrained_view(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row 0 of the first batch with the untrained model's prediction."""
        batch = make_batch(
            self.hp.batch_start, self.hp.time_steps, self.hp.batch_size
        )
        pred, _ = self.trainer.predict(batch.seq[:1])
        return batch.xs[0], batch.res[0], pred[0]

    def redraw(self) -> None:
        """Move the figure's lines to the trainer's last result and show the image."""
        last, history = self.trainer.last, self.trainer.history
        if last is None:
            self.figure.update(*self._untrained, history)
        else:
            self.figure.show_result(last, history)
        self.figure.ax_cost.set(
            xlim=(0, _nice_ceiling(len(history))),
            ylim=_decades(history or [0.1, 10]),
        )
        cost = f"{history[-1]:.4f}" if history else "- (untrained)"
        self.info.value = (
            f"<b>iteration</b> {self.trainer.iteration} &nbsp; "
            f"<b>cost</b> {cost}"
        )
        show_png(
            self.out, self.renderer.png(), "TrainingFigure: row 0 and the cost"
        )

    def _set_status(self, message: str) -> None:
        self.status_message = message
        self.status.value = f"<i>{html.escape(message)}</i>"


def _moving_artists(figure: TrainingFigure) -> list:
    """What moves at every step of a ``TrainingFigure``: its three lines and the x axis
    of the fit, which scrolls. The cost panel's axes change in steps (see ``redraw``)."""
    return [figure.target, figure.pred, figure.cost, figure.ax_fit.xaxis]


def _nice_ceiling(count: int) -> int:
    """The x limit of the cost panel: 10, 20, 50, 100, 200, 500, ... at least ``count``.
    Limits that change in steps keep the panel still between them, which is steadier
    to watch and cheaper to draw."""
    scale = 10
    while True:
        for factor in (1, 2, 5):
            if factor * scale >= count:
                return factor * scale
        scale *= 10


def _decades(costs: Sequence[float]) -> tuple[float, float]:
    """y limits of the cost panel: whole powers of ten around the costs."""
    low, high = np.log10(min(costs) / 1.2), np.log10(max(costs) * 1.2)
    return 10.0 ** np.floor(low), 10.0 ** np.ceil(high)


# -- the batch stepper ---------------------------------------------------------------------


class BatchStepper(_Displayable):
    """Step through the batches and see each row continue where it stopped.

    One panel per row (``rows`` of them from ``first_row``); every batch adds its
    window of that row: the input sin x and the target cos x, batches alternating
    between two shades, one dot per time step. Row i of batch k+1 starts one step
    after row i of batch k ended.

    Drive it from code with ``click_next()``, ``click_reset()``, ``set_first_row(i)``.

    Used in the chapter "Generating the data"."""

    def __init__(self, hp: Hyperparams | None = None, rows: int = 3) -> None:
        self.hp = hp or Hyperparams()
        if not 1 <= rows <= self.hp.batch_size:
            raise ValueError(
                f"rows must be between 1 and batch_size={self.hp.batch_size}, "
                f"got {rows}"
            )
        self.batches = SinCosBatches(self.hp)
        self.starts: list[int] = []
        self.next_button = _button(
            "Next batch", "forward", "draw the next batch", self.click_next
        )
        self.reset_button = _button(
            "Reset", "undo", "back to the first batch", self.click_reset
        )
        self.row_slider = widgets.IntSlider(
            value=0,
            min=0,
            max=self.hp.batch_size - rows,
            description="first row",
            continuous_update=False,
        )
        self.row_slider.observe(lambda _: self.redraw(), names="value")
        self.info = widgets.HTML()
        self.fig, self.lines = _batch_figure(rows)
        plt.close(self.fig)
        self.renderer = PngRenderer(self.fig)
        self.out = widgets.Output()
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self.next_button, self.reset_button, self.row_slider]
                ),
                self.info,
                self.out,
            ]
        )
        self.click_next()

    @property
    def rows(self) -> range:
        """The rows shown, one panel each."""
        return range(
            self.row_slider.value, self.row_slider.value + len(self.lines)
        )

    def click_next(self) -> None:
        """Take the next batch and draw its windows."""
        self.starts.append(self.batches.start)
        next(self.batches)
        self.redraw()

    def click_reset(self) -> None:
        """Back to the first batch."""
        self.batches.reset()
        self.starts = []
        self.click_next()

    def set_first_row(self, row: int) -> None:
        self.row_slider.value = row

    def segments(self, row: int) -> list[np.ndarray]:
        """The x values of ``row`` in every batch taken so far, in order."""
        return [self._batch(start).xs[row] for start in self.starts]

    def _batch(self, start: int) -> Batch:
        return make_batch(start, self.hp.time_steps, self.hp.batch_size)

    def redraw(self) -> None:
        """Draw the windows of every batch taken so far, for the rows shown."""
        batches = [self._batch(start) for start in self.starts]
        for row, lines in zip(self.rows, self.lines, strict=True):
            for parity, (sin_line, cos_line) in enumerate(lines):
                chosen = batches[parity::2]
                sin_line.set_data(*_joined(chosen, row, "seq"))
                cos_line.set_data(*_joined(chosen, row, "res"))
            lines[0][0].axes.set_ylabel(f"row {row}")
        xs = np.concatenate([b.xs[list(self.rows)].ravel() for b in batches])
        self.lines[0][0][0].axes.set_xlim(
            xs.min() - 1 / X_SCALE, xs.max() + 1 / X_SCALE
        )
        self.info.value = self._describe(batches[-1])
        show_png(
            self.out,
            self.renderer.png(),
            "BatchStepper: windows of the rows shown",
        )

    def _describe(self, batch: Batch) -> str:
        k, row = len(self.starts) - 1, self.rows[0]
        first = self.starts[-1]
        text = (
            f"<b>batch {k}</b>: x indices {first} to {first + batch.xs.size - 1}; "
            f"row {row} covers {first + row * self.hp.time_steps} to "
            f"{first + (row + 1) * self.hp.time_steps - 1}"
        )
        if k:
            text += f", right after its window in batch {k - 1}"
        return text + "."


def _batch_figure(rows: int) -> tuple[Figure, list[tuple[tuple, tuple]]]:
    """Panels for ``BatchStepper``: per row, (sin, cos) lines for even and odd batches."""
    fig, axes = plt.subplots(
        rows,
        1,
        sharex=True,
        sharey=True,
        squeeze=False,
        figsize=(8, 1.25 * rows + 1.1),
        layout="constrained",
    )
    lines = []
    for ax in axes[:, 0]:
        pairs = []
        for name, batch in zip(
            ("even", "odd"), (BATCH_K, BATCH_NEXT), strict=True
        ):
            (sin_line,) = ax.plot(
                [],
                [],
                **batch,
                markersize=2,
                linewidth=1.2,
                label=f"sin x (input), {name} batches",
            )
            (cos_line,) = ax.plot(
                [],
                [],
                **{**batch, "color": TARGET["color"]},
                markersize=2,
                linewidth=1.8,
                label=f"cos x (target), {name} batches",
            )
            pairs.append((sin_line, cos_line))
        ax.set_ylim(-1.25, 1.25)
        ax.grid(alpha=0.3)
        lines.append(tuple(pairs))
    fig.legend(
        handles=[line for pair in lines[0] for line in pair],
        loc="outside upper center",
        ncols=2,
        fontsize=8,
        frameon=False,
    )
    axes[-1, 0].set_xlabel("x")
    return fig, lines


def _joined(
    batches: Sequence[Batch], row: int, field: str
) -> tuple[np.ndarray, np.ndarray]:
    """One row of several batches as one line, with a gap (NaN) between batches."""
    if not batches:
        return np.array([]), np.array([])
    gap = np.array([np.nan])
    xs = np.concatenate([part for b in batches for part in (b.xs[row], gap)])
    ys = np.concatenate(
        [
            part
            for b in batches
            for part in (np.ravel(getattr(b, field)[row]), gap)
        ]
    )
    return xs, ys


# -- the time-step viewer ------------------------------------------------------------------


@dataclass(frozen=True)
class StepTrace:
    """One row run through the LSTMRNN a time step at a time: the prediction (T,) and
    the LSTM's hidden state ``h`` and cell state ``c`` after each step (T, cell_size)."""

    pred: np.ndarray
    h: np.ndarray
    c: np.ndarray


def trace_steps(
    model: LSTMRNN, seq: np.ndarray, state: tuple | None = None
) -> StepTrace:
    """Run ``model`` on one sequence ``seq`` (time_steps, 1), one LSTM step at a time,
    from ``state`` (h, c), each (cell_size,), or zeros; the same numbers as
    ``model(seq[None], state)`` with every step's state kept.

    Used in the chapter "The LSTMRNN"."""
    units = model.hp.cell_size
    x = np.asarray(model.in_hidden(np.asarray(seq, np.float32)[np.newaxis]))
    if state is None:
        h = c = np.zeros((1, units), np.float32)
    else:
        h, c = (
            np.asarray(part, np.float32).reshape(1, units) for part in state
        )
    hs, cs, outs = [], [], []
    for t in range(x.shape[1]):
        out, (h, c) = model.lstm.cell(x[:, t], [h, c])
        hs.append(np.asarray(h)[0])
        cs.append(np.asarray(c)[0])
        outs.append(np.asarray(out)[0])
    pred = np.asarray(model.out_hidden(np.stack(outs)))[:, 0]
    return StepTrace(pred, np.stack(hs), np.stack(cs))


class TimeStepViewer(_Displayable):
    """A slider over the time steps of one window: the input sin x, the target cos x,
    the prediction up to step t, and the LSTM's ``h`` and ``c`` (one row of the strip
    per unit) up to step t. Everything is computed once; the slider only moves data.

    ``model_or_trainer`` is an ``LSTMRNN`` or a ``Trainer`` (its model); ``state`` is
    the (h, c) the window starts from, whole-batch arrays or one row's, zeros if None.
    Drive it from code with ``set_step(t)``.

    Used in the chapter "The LSTMRNN"."""

    def __init__(
        self,
        model_or_trainer: LSTMRNN | Trainer,
        batch: Batch,
        row: int = 0,
        state: tuple | None = None,
        step: int | None = None,
    ) -> None:
        model = getattr(model_or_trainer, "model", model_or_trainer)
        self.batch, self.row = batch, row
        if state is not None:
            state = tuple(
                np.asarray(part)[row] if np.ndim(part) == 2 else part
                for part in state
            )
        self.trace = trace_steps(model, batch.seq[row], state)
        steps = len(self.trace.pred)
        self.slider = widgets.IntSlider(
            value=steps - 1 if step is None else step,
            min=0,
            max=steps - 1,
            description="time step",
        )
        self.slider.observe(lambda _: self.redraw(), names="value")
        self.info = widgets.HTML()
        self.fig, self.parts = _time_step_figure(batch, row, self.trace)
        plt.close(self.fig)
        self.renderer = PngRenderer(
            self.fig, self.parts.moving(), on_top=[self.parts.legend]
        )
        self.out = widgets.Output()
        self.widget = widgets.VBox([self.slider, self.info, self.out])
        self.redraw()

    def set_step(self, step: int) -> None:
        self.slider.value = step

    def redraw(self) -> None:
        """Show the window up to the slider's time step."""
        t = self.slider.value
        self.parts.show(self.trace, t)
        seq, res = (
            np.ravel(self.batch.seq[self.row]),
            np.ravel(self.batch.res[self.row]),
        )
        self.info.value = (
            f"<b>time step {t}</b>: x = {self.batch.xs[self.row, t]:.3f}, "
            f"input sin x = {_signed(seq[t])}, target cos x = {_signed(res[t])}, "
            f"prediction = {_signed(self.trace.pred[t])}"
        )
        show_png(
            self.out,
            self.renderer.png(),
            "TimeStepViewer: one window, step by step",
        )


def _signed(value: float) -> str:
    """``+0.123``; a value that rounds to zero prints as +0.000, never -0.000."""
    return f"{round(float(value), 3) + 0.0:+.3f}"


@dataclass
class _TimeStepParts:
    """The artists of a ``TimeStepViewer`` figure that the slider moves."""

    pred: Any
    images: tuple
    markers: tuple
    legend: Any

    def moving(self) -> list:
        return [self.pred, *self.images, *self.markers]

    def show(self, trace: StepTrace, t: int) -> None:
        self.pred.set_data(np.arange(t + 1), trace.pred[: t + 1])
        for image, values in zip(self.images, (trace.h, trace.c), strict=True):
            later = np.arange(len(values)) > t
            image.set_data(
                np.ma.masked_array(
                    values.T, np.broadcast_to(later, values.T.shape)
                )
            )
        for marker in self.markers:
            marker.set_xdata([t, t])


def _time_step_figure(
    batch: Batch, row: int, trace: StepTrace
) -> tuple[Figure, _TimeStepParts]:
    fig, (ax, ax_h, ax_c) = plt.subplots(
        3,
        1,
        sharex=True,
        figsize=(8, 5.4),
        gridspec_kw={"height_ratios": [2, 1, 1]},
        layout="constrained",
    )
    steps = np.arange(len(trace.pred))
    ax.plot(steps, np.ravel(batch.seq[row]), **INPUT)
    ax.plot(steps, np.ravel(batch.res[row]), **TARGET)
    (pred,) = ax.plot([], [], **PREDICTION)
    ax.set(
        ylabel="value",
        ylim=(-1.6, 1.6),
        title=f"row {row}: x from "
        f"{batch.xs[row, 0]:.2f} to {batch.xs[row, -1]:.2f}",
    )
    legend = ax.legend(loc="lower left", fontsize=8, ncols=3)
    images = []
    for axis, values, name in (
        (ax_h, trace.h, "h (hidden state)"),
        (ax_c, trace.c, "c (cell state)"),
    ):
        limit = max(float(np.abs(values).max()), 1e-6)
        image = axis.imshow(
            values.T,
            aspect="auto",
            cmap="RdBu_r",
            vmin=-limit,
            vmax=limit,
            interpolation="nearest",
            extent=(-0.5, len(steps) - 0.5, values.shape[1] - 0.5, -0.5),
        )
        axis.set_ylabel(f"{name.split()[0]}: unit")
        fig.colorbar(image, ax=axis, label=name, pad=0.01)
        images.append(image)
    ax_c.set_xlabel("time step")
    ax_c.xaxis.set_major_locator(MaxNLocator(integer=True))
    markers = tuple(
        axis.axvline(0, color="0.2", linewidth=1, linestyle=":")
        for axis in (ax, ax_h, ax_c)
    )
    return fig, _TimeStepParts(pred, tuple(images), markers, legend)
