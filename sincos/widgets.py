"""Widgets: train the LSTM with buttons, step through the batches, watch the
state move.

``TrainingExplorer`` is the chapter "Interactive explorer"
(notebooks/05_explorer.ipynb); ``BatchStepper`` belongs to "Generating the
data" and ``TimeStepViewer`` to "The LSTMRNN". Every widget also works
without a kernel: its ``click_*``/``set_*`` methods do what its controls do,
which is how the tests and the notebooks drive them.
"""

from __future__ import annotations

import asyncio
import base64
import html
import math
import signal
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython import get_ipython
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .config import Hyperparams
from .data import X_SCALE, Batch, SinCosBatches, make_batch
from .plotting import (
    BATCH_K,
    BATCH_NEXT,
    GREY,
    INPUT,
    PREDICTION,
    TARGET,
    PngRenderer,
    TrainingFigure,
)

if TYPE_CHECKING:  # TensorFlow loads only when a widget that trains is made
    from .fast import Trainer
    from .model import LSTMRNN

MAX_STEPS_PER_CLICK = 500
MAX_CELL_SIZE = 256  # larger cells make every step slow without teaching more
# Training runs in chunks of about this many seconds; Pause, Reset and the
# other controls act between chunks.
CHUNK_SECONDS = 0.2
# During a long click, the figure and the status line show how far it is
# at least this often (and Play after every click's worth of iterations).
# A Step click of 500 iterations at cell size 256 took 27 s in one call, 39
# s redrawn after every chunk, 32 s with these frames (measured).
FRAME_SECONDS = 0.5
# Seconds that training in the background waits after showing a frame, for
# the kernel to send it (Play would otherwise flood the front end).
FRAME_PAUSE = 0.03
# A cost means predictions about sqrt(cost / time_steps) away from the
# targets (the cost is time_steps times the mean squared error). Farther
# than this, for targets between -1 and 1, the learning rate is too large.
# Measured over seeds 1 to 3 in the first 60 to 500 iterations: at most 71
# with learning rates up to 0.05 (cell size 256 at iteration 1), 44 at 10
# and 120 to 500 at 100, over 1000 at learning rates of 1000 and more.
BLOW_UP_DISTANCE = 300


def show_png(
    out: widgets.Output, image: tuple[bytes, tuple], text: str
) -> None:
    """Make ``out`` show one image from ``PngRenderer.pngs`` at its CSS size,
    replacing what it showed.

    This sets the output widget's state directly (the output
    ``out.append_display_data(Image(png))`` makes), which looks the same under
    nbval, nbclient and in the built book, where ``with out: plt.show()``
    does not; no IPython shell is needed, so it works in plain Python too."""
    png, (width, height) = image
    data = {
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/plain": f"<{text}>",
    }
    metadata = {"image/png": {"width": width, "height": height}}
    out.outputs = (
        {"output_type": "display_data", "data": data, "metadata": metadata},
    )


class _Displayable:
    """Shows ``self.widget`` when the object is the last expression of a
    cell."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _box(children: Sequence[widgets.Widget]) -> widgets.VBox:
    """A widget's top-level box, marked for the book's styles."""
    box = widgets.VBox(list(children))
    box.add_class("sincos-widget")
    return box


def _row(children: Sequence[widgets.Widget]) -> widgets.HBox:
    """Controls side by side that wrap onto more lines when narrow."""
    return widgets.HBox(
        list(children),
        layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
    )


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


def _labelled(widget_type: type, description: str, **kwargs):
    """A control whose description is as wide as its text."""
    return widget_type(
        description=description,
        style={"description_width": "initial"},
        **kwargs,
    )


def _lines(text: str) -> str:
    """HTML for a widgets.HTML that may wrap: lines spaced like text, not
    like controls."""
    return f'<div style="line-height: 1.5">{text}</div>'


# A slider's width: its usual one, or on a narrow screen the screen's less
# the slider's margins (2 px on each side).
_SHRINKS = {"max_width": "calc(100% - 4px)"}


def _count(n: int) -> str:
    return f"{n} iteration{'s' * (n != 1)}"


def _cost_text(cost: float) -> str:
    return f"{cost:.4f}" if cost < 1e4 else f"{cost:.3g}"


@dataclass(frozen=True)
class _Number:
    """What a text box of the explorer accepts: a number above 0 and at most
    ``high``, whole or not."""

    label: str
    whole: bool
    high: float = math.inf

    @property
    def rule(self) -> str:
        if self.whole:
            return f"a whole number from 1 to {self.high:g}"
        return "a finite positive number"

    def read(self, text: str) -> float | None:
        """The number in ``text``, or None if it is not allowed."""
        try:
            value = float(text)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(value) and 0 < value <= self.high):
            return None
        if self.whole:
            return int(value) if value.is_integer() else None
        return value


STEPS = _Number("steps/click", whole=True, high=MAX_STEPS_PER_CLICK)
LEARNING_RATE = _Number("learning rate", whole=False)
CELL_SIZE = _Number("cell size", whole=True, high=MAX_CELL_SIZE)


class _FairLock:
    """The explorer's one lock: reentrant, and fair to the threads that wait
    for it while training takes it chunk after chunk. A lock released and
    taken again at once by the same thread may never wake a waiting one
    (measured: Pause from another thread sometimes waited through two
    chunks), so between chunks training calls ``let_waiting_in``."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._changed = threading.Condition()
        self._waiting = 0

    def __enter__(self) -> None:
        with self._changed:
            self._waiting += 1
        try:
            self._lock.acquire()
        finally:
            with self._changed:
                self._waiting -= 1
                self._changed.notify_all()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    def let_waiting_in(self) -> None:
        """Without the lock: return once every thread waiting for it has
        taken it."""
        with self._changed:
            self._changed.wait_for(lambda: self._waiting == 0)


@dataclass
class _Run:
    """Training in chunks: one Step click (``total`` iterations) or Play
    (``total`` None: until stopped)."""

    total: int | None
    done: int = 0
    # Why to stop at the next chunk. Set without the explorer's lock, by
    # Kernel > Interrupt or a newer explorer; the run reports it.
    stop: str | None = None

    @property
    def name(self) -> str:
        return "Play" if self.total is None else "Step"


# -- the training explorer ----------------------------------------------------


class TrainingExplorer(_Displayable):
    """Train the tutorial's LSTM one click at a time and watch row 0's fit
    and the cost.

    Controls: Step (``steps/click`` iterations), Play/Pause (train until
    paused; while a click trains, the button pauses it), Reset (back to the
    untrained network and the first batch), the stateful switch (carry the
    LSTM state between batches or start each batch from zeros; from the next
    iteration on) and the learning rate and cell size (a new value starts a
    new model). A value that is not allowed is named in the status line, with
    the value kept.

    Training runs in chunks of about ``CHUNK_SECONDS``, shown at least every
    ``FRAME_SECONDS`` (Play: after every click's worth) and when it stops;
    the controls act between chunks, whichever thread their clicks arrive on.
    The buttons train in the background when an event loop runs (as in
    Jupyter), each chunk in a worker thread. A cost that is not finite, or
    one that puts the predictions farther than ``BLOW_UP_DISTANCE`` from the
    targets, stops training and says what to change. Making a new explorer
    stops the older ones, and Kernel > Interrupt stops them all.

    Drive it from code with ``click_step()`` (trains and returns when done),
    ``set_steps_per_click(k)``, ``set_playing(bool)``, ``click_reset()``,
    ``set_stateful(bool)``, ``set_learning_rate(x)``, ``set_cell_size(n)``;
    ``summary()`` describes the state.

    Explained in the chapter "Interactive explorer"."""

    # Every explorer made in this process, to stop them all on an interrupt.
    _explorers: ClassVar[weakref.WeakSet] = weakref.WeakSet()

    def __init__(
        self,
        hp: Hyperparams | None = None,
        *,
        stateful: bool = True,
        steps_per_click: int = 1,
    ) -> None:
        from .fast import Trainer

        steps = STEPS.read(str(steps_per_click))
        if steps is None:
            raise ValueError(
                f"steps_per_click must be {STEPS.rule}, "
                f"got {steps_per_click!r}"
            )
        _stop_all("A newer explorer was made")
        TrainingExplorer._explorers.add(self)
        _watch_interrupted_cells()
        self._main_loop = _main_thread_loop()
        self._lock = _FairLock()
        self._run: _Run | None = None
        self._task: asyncio.Task | None = None
        self._failed = False
        self._seconds_per_iteration = 0.0
        # What redraw() showed last (a StepResult, None before training),
        # and when.
        self._drawn, self._drawn_at = None, 0.0
        self.steps_per_click = int(steps)
        self.trainer: Trainer = Trainer(hp or Hyperparams(), stateful=stateful)
        self._make_controls()
        self.figure = TrainingFigure(self.hp.time_steps)
        plt.close(self.figure.fig)  # shown through self.out only
        self.renderer = PngRenderer(
            self.figure.fig,
            _moving_artists(self.figure),
            on_top=[self.figure.ax_fit.get_legend()],
        )
        # The two panels as two images, side by side or below each other.
        self.out_fit, self.out_cost = widgets.Output(), widgets.Output()
        self.out = _row([self.out_fit, self.out_cost])
        self.widget = _box(
            [
                _row(
                    [
                        self.step_button,
                        self.steps_box,
                        self.play_button,
                        self.reset_button,
                    ]
                ),
                _row([self.stateful_box, self.lr_box, self.cell_box]),
                self.status,
                self.info,
                self.out,
            ]
        )
        self._untrained = self._untrained_view()
        self._set_status("Ready: press Step or Play.")
        self.redraw()

    @property
    def hp(self) -> Hyperparams:
        """The hyperparameters of the model being trained."""
        return self.trainer.hp

    # -- what the controls do -------------------------------------------------

    def click_step(self) -> None:
        """Train ``steps_per_click`` iterations in chunks, showing each, and
        return when done (or when Pause or Reset, from another thread, stopped
        it)."""
        self._train_now(self._begin(self.steps_per_click))

    def click_reset(self) -> None:
        """Stop training; back to the untrained network and the first
        batch."""
        with self._lock:
            self._stop_run()
            self.trainer.reset()
            message = "Reset: back to the untrained network and first batch."
            if self._failed:
                message += (
                    f" Learning rate {self.hp.learning_rate:g} is still the "
                    f"one that was too large: {_smaller_rate()}"
                )
            self._set_status(message)
            self.redraw()

    def set_playing(self, playing: bool) -> None:
        """Press Play (True) or Pause (False)."""
        with self._lock:
            if not playing:
                self._pause()
            elif self._run is None or self._run.total is not None:
                self._start(None)

    def set_steps_per_click(self, steps: int | str) -> None:
        self.steps_box.value = str(steps)

    def set_stateful(self, stateful: bool) -> None:
        self.stateful_box.value = bool(stateful)

    def set_learning_rate(self, learning_rate: float | str) -> None:
        self.lr_box.value = str(learning_rate)

    def set_cell_size(self, cell_size: int | str) -> None:
        self.cell_box.value = str(cell_size)

    def figure_view(self) -> widgets.VBox:
        """The iteration line and the figure alone, to show again further
        down a notebook; every view of them follows the explorer."""
        return _box([self.info, self.out])

    def summary(self) -> str:
        """One line: the iteration shown, the settings and the status."""
        with self._lock:
            self._catch_up()
            last = self.trainer.last
            shown = (
                f"iteration {last.iteration}, cost {_cost_text(last.cost)}"
                if last
                else "untrained"
            )
            return (
                f"{shown} ({_count(self.trainer.iteration)} trained); "
                f"stateful {'on' if self.trainer.stateful else 'off'}, "
                f"learning rate {self.hp.learning_rate:g}, "
                f"cell size {self.hp.cell_size} | {self.status_message}"
            )

    # -- controls -------------------------------------------------------------

    def _make_controls(self) -> None:
        self.step_button = _button(
            "Step", "step-forward", "train steps/click iterations", self._step
        )
        self.play_button = _button(
            "Play", "play", "train until paused", self._on_play_button
        )
        self.reset_button = _button(
            "Reset", "undo", "back to the untrained network", self.click_reset
        )
        self.stateful_box = widgets.Checkbox(
            value=self.trainer.stateful,
            indent=False,
            description="stateful (carry the LSTM state)",
            layout=widgets.Layout(width="auto"),
        )
        self.steps_box = self._number_box(STEPS, self.steps_per_click)
        self.lr_box = self._number_box(LEARNING_RATE, self.hp.learning_rate)
        self.cell_box = self._number_box(CELL_SIZE, self.hp.cell_size)
        self.info = widgets.HTML()
        # Two lines' height from the start: a message never moves the figure.
        self.status = widgets.HTML(layout=widgets.Layout(min_height="3em"))
        self.stateful_box.observe(self._on_stateful, names="value")
        self.steps_box.observe(self._on_steps, names="value")
        self.lr_box.observe(
            lambda _: self._on_hyperparameter("learning_rate"), names="value"
        )
        self.cell_box.observe(
            lambda _: self._on_hyperparameter("cell_size"), names="value"
        )

    @staticmethod
    def _number_box(number: _Number, value: float) -> widgets.Text:
        # A Text box: the front end's number boxes silently drop what they
        # cannot parse (and turn 2.5 into 25 in an integer box), so the kernel
        # could not say what was refused.
        return _labelled(
            widgets.Text,
            number.label,
            value=f"{value:g}",
            continuous_update=False,
            layout=widgets.Layout(width=f"{len(number.label) * 0.6 + 5}em"),
        )

    def _step(self) -> None:  # the Step button
        self._start(self.steps_per_click)

    def _on_play_button(self) -> None:
        with self._lock:
            self.set_playing(self._run is None)

    def _on_stateful(self, change: dict) -> None:
        with self._lock:
            self.trainer.stateful = bool(change["new"])
            self._set_status(
                "Stateful on: from the next iteration, each batch starts "
                "from the state the previous one ended in."
                if change["new"]
                else "Stateful off: from the next iteration, each batch "
                "starts from a zero state."
            )

    def _on_steps(self, change: dict) -> None:
        steps = self._read(STEPS, self.steps_box, self.steps_per_click)
        if steps is not None and steps != self.steps_per_click:
            with self._lock:
                self.steps_per_click = steps
                self._set_status(f"Each click now trains {_count(steps)}.")

    def _on_hyperparameter(self, name: str) -> None:
        number, box = {
            "learning_rate": (LEARNING_RATE, self.lr_box),
            "cell_size": (CELL_SIZE, self.cell_box),
        }[name]
        kept = getattr(self.hp, name)
        value = self._read(number, box, kept)
        if value is not None and value != kept:
            self._rebuild(name, value)

    def _read(
        self, number: _Number, box: widgets.Text, kept: float
    ) -> float | None:
        """The number typed into ``box``; if it is not allowed, None, the
        status line says why, and the box shows ``kept`` again."""
        text = box.value
        value = number.read(text)
        if value is None:
            with self._lock:
                self._set_status(
                    f"{number.label} must be {number.rule}, got {text!r}. "
                    f"Kept {kept:g}."
                )
            box.value = f"{kept:g}"  # its observer sees the kept value
        return value

    # -- training in chunks ---------------------------------------------------

    def _rebuild(self, name: str, value: float) -> None:
        """A new model with one hyperparameter changed."""
        from .fast import Trainer

        with self._lock:
            self._stop_run()
            self.trainer = Trainer(
                self.hp.replace(**{name: value}),
                stateful=self.trainer.stateful,
            )
            self._failed, self._seconds_per_iteration = False, 0.0
            self._untrained = self._untrained_view()
            self._set_status(
                f"New model with {name.replace('_', ' ')} {value:g}: "
                f"back to the untrained network."
            )
            self.redraw()

    def _start(self, total: int | None) -> None:
        """Step (``total`` iterations) or Play (None): as a task of this
        thread's event loop, so that later clicks are handled between chunks;
        a Step trains at once where no loop runs."""
        loop = _running_loop()
        if loop is None and total is None:
            with self._lock:
                self._set_status(
                    "Play needs a running event loop, as in Jupyter; "
                    "press Step instead."
                )
            return
        run = self._begin(total)
        if loop is None:
            self._train_now(run)
        else:
            self._task = loop.create_task(self._train_in_background(run))

    def _begin(self, total: int | None) -> _Run:
        with self._lock:
            self._stop_run()
            self._run = _Run(total)
            self._show_training(True)
            if total is None:
                self._set_status("Playing: press Pause to stop.")
            return self._run

    def _train_now(self, run: _Run) -> None:
        try:
            while self._chunk(run):
                self._lock.let_waiting_in()
        except KeyboardInterrupt:  # a cell that trains was interrupted
            with self._lock:
                self._catch_up()
                self._finish(run, f"Interrupted {self._at()}.")
            raise

    async def _train_in_background(self, run: _Run) -> None:
        """Each chunk in a worker thread, so the event loop handles clicks
        while it trains; after each frame the loop gets ``FRAME_PAUSE`` to
        send it before the next."""
        try:
            while True:
                loop = self._main_loop
                if loop is not None and not loop.is_closed():
                    loop.call_soon_threadsafe(_catch_sigint)
                drawn_at = self._drawn_at
                if not await asyncio.to_thread(self._chunk, run):
                    return
                if self._drawn_at != drawn_at:
                    await asyncio.sleep(FRAME_PAUSE)
        except Exception as err:  # a task has no caller: show it instead
            with self._lock:
                self._finish(run, f"{run.name} stopped: {err!r}")

    def _chunk(self, run: _Run) -> bool:
        """Train one chunk of ``run`` and, when a frame is due or the run
        ends, show it and say how far it is; False when the run is over.
        Under the lock, so the figure and the status line always change
        together and name the iteration shown."""
        with self._lock:
            if run is not self._run:  # paused, reset or replaced
                return False
            stopped = run.stop and f"{run.stop}: {run.name} stopped"
            problem = None if stopped else self._train_chunk(run)
            done = run.total is not None and run.done >= run.total
            if not (stopped or problem or done or self._frame_due(run)):
                return True
            self._catch_up()
            if stopped:
                return self._finish(run, f"{stopped} {self._at()}.")
            if problem:
                return self._fail(run, problem)
            if done:
                return self._finish(
                    run, f"Trained {_count(run.done)}: {self._span(run.done)}."
                )
            if run.total is not None:
                self._set_status(
                    f"Training: {run.done} of {_count(run.total)} trained, "
                    f"{self._at()}. Pause stops."
                )
            return True

    def _frame_due(self, run: _Run) -> bool:
        """Play shows every click's worth of iterations; any run shows
        itself at least every ``FRAME_SECONDS``."""
        click_done = run.total is None and run.done % self.steps_per_click == 0
        waited = time.perf_counter() - self._drawn_at
        return click_done or waited >= FRAME_SECONDS

    def _train_chunk(self, run: _Run) -> str | None:
        """Train one chunk; what went wrong, if anything."""
        before, started = self.trainer.iteration, time.perf_counter()
        try:
            self.trainer.run(self._chunk_size(run))
        except FloatingPointError:
            problem = "the next iteration's cost is not a finite number"
        else:
            problem = self._blow_up()
        trained = self.trainer.iteration - before
        run.done += trained
        if trained and not problem:
            elapsed = time.perf_counter() - started
            self._seconds_per_iteration = elapsed / trained
        return problem

    def _chunk_size(self, run: _Run) -> int:
        """As many iterations as fit in ``CHUNK_SECONDS`` at the speed
        measured last (one at first), no more than the click has left."""
        if run.total is None:  # Play: up to the end of this click's worth
            left = self.steps_per_click - run.done % self.steps_per_click
        else:
            left = run.total - run.done
        if not self._seconds_per_iteration:
            return 1
        return max(
            1, min(left, int(CHUNK_SECONDS / self._seconds_per_iteration))
        )

    def _blow_up(self) -> str | None:
        cost = self.trainer.history[-1]
        distance = math.sqrt(cost / self.hp.time_steps)
        if distance <= BLOW_UP_DISTANCE:
            return None
        far = f"{distance:.0f}" if distance < 1e6 else f"{distance:.1e}"
        return (
            f"its cost, {cost:.3g}, means predictions about {far} away from "
            f"targets between -1 and 1"
        )

    def _fail(self, run: _Run, problem: str) -> bool:
        self._failed = True
        what = f"stopped {self._at()}" if run.done else "trained nothing"
        return self._finish(
            run,
            f"{run.name} {what}: {problem}. Learning rate "
            f"{self.hp.learning_rate:g} is too large: {_smaller_rate()}",
        )

    def _finish(self, run: _Run, message: str) -> bool:
        """End ``run`` (if it is still the current one) with ``message``;
        False, for ``_chunk`` to return."""
        if run is self._run:
            self._stop_run()
            self._set_status(message)
        return False

    def _pause(self) -> None:
        if self._run is not None:
            self._stop_run()
            self._catch_up()
            self._set_status(f"Paused {self._at()}.")

    def _stop_run(self) -> None:
        """The current run does no further chunk."""
        if self._run is not None:
            self._run = None
            self._show_training(False)

    def _ask_to_stop(self, reason: str) -> None:
        """Stop the current run at its next chunk; safe without the lock (in
        a signal handler, say)."""
        run = self._run
        if run is not None:
            run.stop = reason

    def _show_training(self, training: bool) -> None:
        self.play_button.description = "Pause" if training else "Play"
        self.play_button.icon = "pause" if training else "play"
        self.play_button.tooltip = (
            "stop after the current chunk"
            if training
            else "train until paused"
        )

    # -- drawing --------------------------------------------------------------

    def _untrained_view(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row 0 of the first batch with the untrained model's prediction."""
        batch = make_batch(
            self.hp.batch_start, self.hp.time_steps, self.hp.batch_size
        )
        pred, _ = self.trainer.predict(batch.seq[:1])
        return batch.xs[0], batch.res[0], pred[0]

    def redraw(self) -> None:
        """Move the figure's lines to the trainer's last result, show the
        image and say which iteration it shows."""
        with self._lock:
            last, history = self.trainer.last, self.trainer.history
            self._drawn, self._drawn_at = last, time.perf_counter()
            if last is None:
                self.figure.update(*self._untrained, history)
                self.info.value = _lines(
                    "<b>untrained</b>: the first batch, before iteration 0"
                )
            else:
                self.figure.show_result(last, history)
                self.info.value = _lines(
                    f"<b>iteration {last.iteration}</b> &nbsp; "
                    f"cost {_cost_text(last.cost)} &nbsp; "
                    f"({_count(self.trainer.iteration)} trained)"
                )
            self.figure.ax_cost.set(
                xlim=(0, _nice_ceiling(len(history))),
                ylim=_decades(history or [0.1, 10]),
            )
            fit, cost = self.renderer.pngs(
                [self.figure.fit_part, self.figure.cost_part]
            )
            show_png(self.out_fit, fit, "row 0 of the current batch")
            show_png(self.out_cost, cost, "the cost so far")

    def _catch_up(self) -> None:
        """Redraw if training went on since the last redraw (between
        frames)."""
        if self._drawn is not self.trainer.last:
            self.redraw()

    def _at(self) -> str:
        """Where training stands: "at iteration 7" (the one shown)."""
        last = self.trainer.last
        return (
            f"at iteration {last.iteration}" if last else "before iteration 0"
        )

    def _span(self, n: int) -> str:
        """The last ``n`` iterations: "iteration 7" or "iterations 5 to 7"."""
        end = self.trainer.iteration - 1
        return (
            f"iteration {end}"
            if n == 1
            else f"iterations {end - n + 1} to {end}"
        )

    def _set_status(self, message: str) -> None:
        self.status_message = message
        self.status.value = _lines(html.escape(message))


def _smaller_rate() -> str:
    return (
        f"type a smaller one, such as {Hyperparams().learning_rate:g} "
        f"(the tutorial's)."
    )


def _moving_artists(figure: TrainingFigure) -> list:
    """What moves at every step of a ``TrainingFigure``: its three lines, the
    note that the prediction is off the chart and the x axis of the fit,
    which scrolls. The cost panel's axes change in steps (see ``redraw``)."""
    return [
        figure.target,
        figure.pred,
        figure.cost,
        figure.off_chart,
        figure.ax_fit.xaxis,
    ]


def _nice_ceiling(count: int) -> int:
    """The x limit of the cost panel: 10, 20, 50, 100, 200, 500, ... at least
    ``count``. Limits that change in steps keep the panel still between them,
    which is steadier to watch and cheaper to draw."""
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


# -- stopping every explorer on Kernel > Interrupt ----------------------------
#
# Kernel > Interrupt sends SIGINT to the kernel. ipykernel turns it into a
# KeyboardInterrupt only while a cell (or a click's handler) executes on the
# main thread; between cells SIGINT is ignored (SIG_IGN), so training in the
# background would go on. While an explorer trains in the background, the
# main thread's event loop puts ``_interrupt`` in place of that ignored
# handler (only the main thread may set one); ipykernel saves and restores
# it around every cell, so it stays. A cell that an interrupt stopped stops
# the explorers too.


def _stop_all(reason: str) -> None:
    for explorer in list(TrainingExplorer._explorers):
        explorer._ask_to_stop(reason)


def _interrupt(signum: int, frame: Any) -> None:
    _stop_all("Kernel interrupt")


def _catch_sigint() -> None:
    """On the main thread: let SIGINT stop training where it is ignored."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, _interrupt)


def _after_cell(result: Any) -> None:
    if isinstance(result.error_in_exec, KeyboardInterrupt):
        _stop_all("Kernel interrupt")


def _watch_interrupted_cells() -> None:
    shell = get_ipython()
    callbacks = shell.events.callbacks["post_run_cell"] if shell else []
    if shell is not None and _after_cell not in callbacks:
        shell.events.register("post_run_cell", _after_cell)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _main_thread_loop() -> asyncio.AbstractEventLoop | None:
    if threading.current_thread() is not threading.main_thread():
        return None
    return _running_loop()


# -- the batch stepper -------------------------------------------------------


class BatchStepper(_Displayable):
    """Step through the batches and see each row continue where it stopped.

    One panel per row (``rows`` of them from ``first_row``); every batch adds
    its window of that row: the input sin x and the target cos x, batches
    alternating between two shades, one dot per time step. Row i of batch k+1
    starts one step after row i of batch k ended.

    Drive it from code with ``click_next()``, ``click_reset()``,
    ``set_first_row(i)``.

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
        self.row_slider = _labelled(
            widgets.IntSlider,
            "first row",
            value=0,
            min=0,
            max=self.hp.batch_size - rows,
            continuous_update=False,
            layout=_SHRINKS,
        )
        self.row_slider.observe(lambda _: self.redraw(), names="value")
        self.info = widgets.HTML()
        self.fig, self.lines = _batch_figure(rows)
        plt.close(self.fig)
        self.renderer = PngRenderer(self.fig)
        self.out = widgets.Output()
        self.widget = _box(
            [
                _row([self.next_button, self.reset_button, self.row_slider]),
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
        self.info.value = _lines(self._describe(batches[-1]))
        (image,) = self.renderer.pngs()
        show_png(self.out, image, "BatchStepper: windows of the rows shown")

    def _describe(self, batch: Batch) -> str:
        k, row = len(self.starts) - 1, self.rows[0]
        first = self.starts[-1]
        text = (
            f"<b>batch {k}</b>: x indices {first} to "
            f"{first + batch.xs.size - 1}; "
            f"row {row} covers {first + row * self.hp.time_steps} to "
            f"{first + (row + 1) * self.hp.time_steps - 1}"
        )
        if k:
            text += f", right after its window in batch {k - 1}"
        return text + "."


def _batch_figure(rows: int) -> tuple[Figure, list[tuple[tuple, tuple]]]:
    """Panels for ``BatchStepper``: per row, (sin, cos) lines for even and
    odd batches."""
    fig, axes = plt.subplots(
        rows,
        1,
        sharex=True,
        sharey=True,
        squeeze=False,
        figsize=(7.0, 1.25 * rows + 1.1),
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
    """One row of several batches as one line, with a gap (NaN) between
    batches."""
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


# -- the time-step viewer ----------------------------------------------------


@dataclass(frozen=True)
class StepTrace:
    """One row run through the LSTMRNN a time step at a time: the prediction
    (T,) and the LSTM's hidden state ``h`` and cell state ``c`` after each
    step (T, cell_size)."""

    pred: np.ndarray
    h: np.ndarray
    c: np.ndarray


def trace_steps(
    model: LSTMRNN, seq: np.ndarray, state: tuple | None = None
) -> StepTrace:
    """Run ``model`` on one sequence ``seq`` (time_steps, 1), one LSTM step
    at a time, from ``state`` (h, c), each (cell_size,), or zeros; the same
    numbers as ``model(seq[None], state)`` with every step's state kept.

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
    """A slider over the time steps of one window: the input sin x, the target
    cos x, the prediction up to step t, and the LSTM's ``h`` and ``c`` (one
    row of the strip per unit) up to step t. Everything is computed once; the
    slider only moves data.

    ``model_or_trainer`` is an ``LSTMRNN`` or a ``Trainer`` (its model);
    ``state`` is the (h, c) the window starts from, whole-batch arrays or one
    row's, zeros if None.
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
        self.slider = _labelled(
            widgets.IntSlider,
            "time step",
            value=steps - 1 if step is None else step,
            min=0,
            max=steps - 1,
            layout=_SHRINKS,
        )
        self.slider.observe(lambda _: self.redraw(), names="value")
        self.info = widgets.HTML()
        self.fig, self.parts = _time_step_figure(batch, row, self.trace)
        plt.close(self.fig)
        self.renderer = PngRenderer(
            self.fig, self.parts.moving(), on_top=[self.parts.legend]
        )
        self.out = widgets.Output()
        self.widget = _box([self.slider, self.info, self.out])
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
        self.info.value = _lines(
            f"<b>time step {t}</b>: x = {self.batch.xs[self.row, t]:.3f}, "
            f"input sin x = {_signed(seq[t])}, "
            f"target cos x = {_signed(res[t])}, "
            f"prediction = {_signed(self.trace.pred[t])}"
        )
        (image,) = self.renderer.pngs()
        show_png(self.out, image, "TimeStepViewer: one window, step by step")


def _signed(value: float) -> str:
    """``+0.123``; a value that rounds to zero prints as +0.000, never
    -0.000."""
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
        self.pred.set_marker("o" if t == 0 else "None")  # a single point
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
        figsize=(7.0, 5.0),
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
        axis.axvline(0, color=GREY, linewidth=1, linestyle=":")
        for axis in (ax, ax_h, ax_c)
    )
    return fig, _TimeStepParts(pred, tuple(images), markers, legend)
