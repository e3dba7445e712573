"""Widgets: train the LSTM with buttons, step through the batches, watch the
state move, in Jupyter and in the built book.

Each widget is an anywidget whose view is ``widgets.js``, beside this file:
the controls, the checks of what the reader types, the rule that stops
training when the predictions fly off, and the drawing are that JavaScript,
the code the built book runs too. The kernel answers with numbers only.
``TrainingExplorer`` trains with ``sincos.fast.Trainer``, one chunk each time
its view asks: nothing runs in the kernel unless a view asks for it. Without
a view (tests, nbval) the ``click_*``/``set_*`` methods do what the controls
do.

A widget's output also holds a line of text and a placeholder in HTML for
where no widget can be shown: the built book replaces the placeholder with
the same widget, live in the page (book/_ext/offline_assets.py).

``TrainingExplorer`` is explained in the chapter "Interactive explorer",
``BatchStepper`` in "Generating the data", ``TimeStepViewer`` in "The
LSTMRNN".
"""

from __future__ import annotations

import html
import json
import numbers
import time
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import anywidget
import numpy as np
import traitlets

from .config import Hyperparams
from .data import X_SCALE, Batch, make_batch
from .export import EXPLORER_CELL_SIZES

if TYPE_CHECKING:  # TensorFlow loads only when a widget that needs it is made
    from .fast import Trainer
    from .model import LSTMRNN

VIEW = resources.files(__package__).joinpath("widgets.js").read_text("utf-8")
MAX_STEPS_PER_CLICK = 500  # as in widgets.js


class _Widget(anywidget.AnyWidget):
    """A widget of widgets.js; ``kind`` chooses which view."""

    _esm = VIEW + "\nexport default { render: sincosWidgets.render };\n"
    kind = traitlets.Unicode().tag(sync=True)
    what = ""  # one line: what the widget shows

    def _repr_mimebundle_(self, **kwargs: Any):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = f"{self.what} (it needs a running kernel)"
        settings = html.escape(json.dumps(self._book_settings()), quote=True)
        data["text/html"] = (
            f'<div class="sincos-widget" data-kind="{self.kind}" '
            f'data-settings="{settings}">{html.escape(self.what)}: in the '
            "book it runs in the page; in Jupyter, run this cell.</div>"
        )
        return data, metadata

    def _book_settings(self) -> dict:
        """What the book needs to rebuild the widget in the page."""
        raise NotImplementedError


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not float(value).is_integer()
        or not low <= value <= high
    ):
        raise ValueError(
            f"{name} must be a whole number from {low} to {high}, "
            f"got {value!r}"
        )
    return int(value)


class TrainingExplorer(_Widget):
    """Train the tutorial's LSTM a click at a time; watch row 0's fit and
    the cost. The view asks for a chunk of iterations when it has drawn the
    last; the kernel's ``Trainer`` trains them. Python code drives it with
    ``click_step()``, ``set_steps_per_click(k)``, ``set_playing(flag)``,
    ``click_reset()``, ``set_stateful(flag)``, ``set_learning_rate(x)`` and
    ``set_cell_size(n)`` (a bad value raises ``ValueError``)."""

    kind = traitlets.Unicode("explorer").tag(sync=True)
    settings = traitlets.Dict().tag(sync=True)
    cell_sizes = traitlets.List(list(EXPLORER_CELL_SIZES)).tag(sync=True)
    what = "Training explorer"

    def __init__(
        self,
        hp: Hyperparams | None = None,
        *,
        stateful: bool = True,
        steps_per_click: int = 1,
    ) -> None:
        from .fast import Trainer

        hp = hp or Hyperparams()
        _cell_size(hp.cell_size)
        self.steps_per_click = _whole(
            steps_per_click, "steps_per_click", 1, MAX_STEPS_PER_CLICK
        )
        self.playing = False
        self.trainer: Trainer = Trainer(hp, stateful=stateful)
        super().__init__()
        self._sync()
        self.on_msg(self._answer)

    @property
    def hp(self) -> Hyperparams:
        return self.trainer.hp

    def click_step(self) -> None:
        self._train(self.steps_per_click)
        self._tell()

    def set_playing(self, playing: bool) -> None:
        self.playing = bool(playing)
        self._tell()

    def click_reset(self) -> None:
        self.trainer.reset()
        self._tell()

    def set_stateful(self, stateful: bool) -> None:
        self.trainer.stateful = bool(stateful)
        self._tell()

    def set_steps_per_click(self, steps: int) -> None:
        self.steps_per_click = _whole(
            steps, "steps_per_click", 1, MAX_STEPS_PER_CLICK
        )
        self._tell()

    def set_learning_rate(self, rate: float) -> None:
        self._new_model(learning_rate=rate)
        self._tell()

    def set_cell_size(self, size: int) -> None:
        self._new_model(cell_size=_cell_size(size))
        self._tell()

    def summary(self) -> str:
        """One line: the last iteration and its cost, and the settings."""
        history, last = self.trainer.history, self.trainer.last
        shown = (
            f"iteration {last.iteration}, cost {history[-1]:.4g}"
            if last
            else "untrained"
        )
        return (
            f"{shown} ({len(history)} trained); stateful "
            f"{'on' if self.trainer.stateful else 'off'}, learning rate "
            f"{self.hp.learning_rate:g}, cell size {self.hp.cell_size}"
        )

    # -- the kernel's side of the conversation --------------------------------

    def _answer(self, _: Any, content: dict, buffers: Any) -> None:
        """Answer a request of the view, with its id."""
        kind = content.get("type")
        try:
            if kind == "train":
                self.trainer.stateful = bool(content["stateful"])
                reply = self._train(int(content["k"]))
            elif kind == "configure":
                self._new_model(
                    learning_rate=float(content["learning_rate"]),
                    cell_size=_cell_size(content["cell_size"]),
                )
                reply = self._state()
            elif kind == "reset":
                self.trainer.reset()
                reply = self._state()
            elif kind == "hello":
                reply = self._state()
            else:
                return
        except KeyboardInterrupt:  # Kernel > Interrupt during a chunk
            reply = {
                "first": self.trainer.iteration,
                "costs": [],
                "frame": self._frame(),
                "interrupted": True,
            }
        except (KeyError, TypeError, ValueError) as err:
            reply = {"error": str(err)}
        self.send({"type": "answer", "id": content.get("id"), **reply})

    def _train(self, k: int) -> dict:
        before, non_finite = self.trainer.iteration, None
        started = time.perf_counter()
        try:
            self.trainer.run(_whole(k, "k", 0, 10_000))
        except FloatingPointError:  # nothing of that iteration was kept
            non_finite = self.trainer.iteration
        return {
            "first": before,
            "costs": self.trainer.history[before:],
            "frame": self._frame(),
            "non_finite": non_finite,
            "seconds": time.perf_counter() - started,  # to size the chunks
        }

    def _new_model(self, **changes: Any) -> None:
        from .fast import Trainer

        hp = self.hp.replace(**changes)  # a bad value raises ValueError
        self.trainer = Trainer(hp, stateful=self.trainer.stateful)
        self._sync()

    def _frame(self) -> dict:
        """Row 0 of the batch trained last, or the untrained prediction on
        the first batch."""
        last = self.trainer.last
        if last is None:
            hp = self.hp
            batch = make_batch(hp.batch_start, hp.time_steps, 1)
            return _row(None, batch, self.trainer.predict(batch.seq)[0])
        return _row(last.iteration, last.batch, last.pred)

    def _state(self) -> dict:
        return {
            "settings": self.settings,
            "history": list(self.trainer.history),
            "frame": self._frame(),
        }

    def _tell(self) -> None:
        """Show what Python code did in every view of the explorer."""
        self._sync()
        self.send({"type": "state", **self._state(), "playing": self.playing})

    def _sync(self) -> None:
        hp = self.hp
        self.settings = {
            "learning_rate": hp.learning_rate,
            "cell_size": hp.cell_size,
            "stateful": self.trainer.stateful,
            "steps_per_click": self.steps_per_click,
            "time_steps": hp.time_steps,
            "seed": hp.seed,
        }

    def _book_settings(self) -> dict:
        return dict(self.settings)


def _cell_size(size: Any) -> int:
    if size not in EXPLORER_CELL_SIZES or isinstance(size, bool):
        sizes = ", ".join(map(str, EXPLORER_CELL_SIZES))
        raise ValueError(f"cell size must be one of {sizes}, got {size!r}")
    return int(size)


def _row(iteration: int | None, batch: Batch, pred: np.ndarray) -> dict:
    return {
        "iteration": iteration,
        "xs": batch.xs[0].tolist(),
        "target": np.ravel(batch.res[0]).tolist(),
        "pred": np.ravel(pred[0]).tolist(),
    }


class BatchStepper(_Widget):
    """Step through the batches and see each row continue where it stopped:
    one panel per row (``rows`` of them from ``first_row``), every batch
    adding its window of that row. Python code drives it with
    ``click_next()``, ``click_reset()`` and ``set_first_row(i)``."""

    kind = traitlets.Unicode("batch-stepper").tag(sync=True)
    shape = traitlets.Dict().tag(sync=True)
    starts = traitlets.List(traitlets.Int()).tag(sync=True)
    first_row = traitlets.Int(0).tag(sync=True)
    what = "Batch stepper"

    def __init__(self, hp: Hyperparams | None = None, rows: int = 3) -> None:
        self.hp = hp = hp or Hyperparams()
        rows = _whole(rows, "rows", 1, hp.batch_size)
        super().__init__(
            shape={
                "time_steps": hp.time_steps,
                "batch_size": hp.batch_size,
                "batch_start": hp.batch_start,
                "rows": rows,
            },
            starts=[hp.batch_start],
        )

    @property
    def rows(self) -> range:
        """The rows shown, one panel each."""
        return range(self.first_row, self.first_row + self.shape["rows"])

    def click_next(self) -> None:
        self.starts = [*self.starts, self.starts[-1] + self.hp.time_steps]

    def click_reset(self) -> None:
        self.starts = [self.hp.batch_start]

    def set_first_row(self, row: int) -> None:
        last = self.hp.batch_size - self.shape["rows"]
        self.first_row = _whole(row, "first row", 0, last)

    def segments(self, row: int) -> list[np.ndarray]:
        """The x values of ``row`` in every batch taken so far, in order."""
        hp = self.hp
        return [
            make_batch(start, hp.time_steps, hp.batch_size).xs[row]
            for start in self.starts
        ]

    def _book_settings(self) -> dict:
        return {
            **self.shape,
            "clicks": len(self.starts) - 1,
            "first_row": self.first_row,
        }


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
    numbers as ``model(seq[None], state)`` with every step's state kept."""
    units = model.hp.cell_size
    x = np.asarray(model.in_hidden(np.asarray(seq, np.float32)[np.newaxis]))
    h = c = np.zeros((1, units), np.float32)
    if state is not None:
        h, c = (np.asarray(s, np.float32).reshape(1, units) for s in state)
    hs, cs, outs = [], [], []
    for t in range(x.shape[1]):
        out, (h, c) = model.lstm.cell(x[:, t], [h, c])
        hs.append(np.asarray(h)[0])
        cs.append(np.asarray(c)[0])
        outs.append(np.asarray(out)[0])
    pred = np.asarray(model.out_hidden(np.stack(outs)))[:, 0]
    return StepTrace(pred, np.stack(hs), np.stack(cs))


class TimeStepViewer(_Widget):
    """A slider over the time steps of one window of one row: the input sin
    x, the target cos x, the prediction up to step t, and the LSTM's ``h``
    and ``c`` (one row of the strip per unit) up to step t. The kernel
    computes the trace once; the slider only moves in the view.

    ``model_or_trainer`` is an ``LSTMRNN`` or a ``Trainer`` (its model);
    ``state`` is the (h, c) the window starts from, whole-batch arrays or one
    row's, zeros if None. Python code drives it with ``set_step(t)``."""

    kind = traitlets.Unicode("time-steps").tag(sync=True)
    window = traitlets.Dict().tag(sync=True)
    step = traitlets.Int().tag(sync=True)
    what = "Time-step viewer"

    def __init__(
        self,
        model_or_trainer: LSTMRNN | Trainer,
        batch: Batch,
        row: int = 0,
        state: tuple | None = None,
        step: int | None = None,
    ) -> None:
        from .model import LSTMRNN

        model = getattr(model_or_trainer, "model", model_or_trainer)
        self.batch, self.row, self.hp = batch, row, model.hp
        if state is not None:
            state = tuple(
                np.asarray(s)[row] if np.ndim(s) == 2 else s for s in state
            )
        self.trace = trace_steps(model, batch.seq[row], state)
        steps = len(self.trace.pred)
        # The book can redo the trace only for the seeded, untrained network
        # from zeros: the weights it holds (sincos-weights.js).
        self._initial = state is None and all(
            np.array_equal(a, b)
            for a, b in zip(
                model.get_weights(),
                LSTMRNN(model.hp).get_weights(),
                strict=True,
            )
        )
        super().__init__(
            window={
                "xs": batch.xs[row].tolist(),
                "seq": np.ravel(batch.seq[row]).tolist(),
                "res": np.ravel(batch.res[row]).tolist(),
                "pred": self.trace.pred.tolist(),
                "h": self.trace.h.tolist(),
                "c": self.trace.c.tolist(),
            },
            step=steps - 1
            if step is None
            else _whole(step, "step", 0, steps - 1),
        )

    def set_step(self, step: int) -> None:
        self.step = _whole(step, "step", 0, len(self.trace.pred) - 1)

    def _book_settings(self) -> dict:
        if not self._initial:
            return {}
        return {
            "cell_size": self.hp.cell_size,
            "seed": self.hp.seed,
            "time_steps": self.hp.time_steps,
            "start": round(float(self.batch.xs[0, 0]) * X_SCALE),
            "row": self.row,
            "step": self.step,
        }
