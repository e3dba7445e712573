"""The kernel's side of the widgets (sincos/widgets.py): what it answers the
views, what Python code can do with them, and what a notebook stores where
no widget can be shown. The views themselves (sincos/widgets.js) are tested
under node (tests/js), in the built book (tests/book) and in JupyterLab
(tests/lab)."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest

from sincos import LSTMRNN, Hyperparams, SinCosBatches, Trainer, make_batch
from sincos.export import EXPLORER_CELL_SIZES
from sincos.widgets import (
    BatchStepper,
    TimeStepViewer,
    TrainingExplorer,
    trace_steps,
)

SMALL = Hyperparams(cell_size=2, batch_size=4, time_steps=5)


class Listening(TrainingExplorer):
    """An explorer that keeps what it sends instead of sending it."""

    def __init__(self, *args, **kwargs) -> None:
        self.sent: list[dict] = []
        super().__init__(*args, **kwargs)

    def send(self, content, buffers=None) -> None:
        self.sent.append(content)

    def ask(self, **content) -> dict | None:
        """What the kernel answers a view's request (None: no answer)."""
        before = len(self.sent)
        self._answer(self, content, [])
        return self.sent[-1] if len(self.sent) > before else None


@pytest.fixture
def explorer() -> Listening:
    return Listening(SMALL)


# -- the explorer: answering the view -----------------------------------------


def test_hello_answers_the_state_with_the_request_id(explorer) -> None:
    answer = explorer.ask(type="hello", id=7)
    assert answer["type"] == "answer" and answer["id"] == 7
    assert answer["history"] == []
    assert answer["settings"]["learning_rate"] == SMALL.learning_rate
    frame = answer["frame"]
    first = make_batch(SMALL.batch_start, SMALL.time_steps, SMALL.batch_size)
    assert frame["iteration"] is None  # untrained: the first batch
    assert frame["xs"] == first.xs[0].tolist()
    pred, _ = Trainer(SMALL).predict(first.seq)
    np.testing.assert_allclose(frame["pred"], pred[0, :, 0], atol=1e-6)


def test_train_answers_the_new_costs_and_row_0(explorer) -> None:
    answer = explorer.ask(type="train", id=1, k=3, stateful=True)
    assert answer["id"] == 1 and answer["non_finite"] is None
    expected = Trainer(SMALL).run(3)
    assert answer["costs"] == pytest.approx(expected, rel=1e-6)
    assert answer["seconds"] >= 0
    last = explorer.trainer.last
    assert answer["frame"]["iteration"] == 2 == last.iteration
    assert answer["frame"]["target"] == pytest.approx(
        np.ravel(last.batch.res[0]).tolist()
    )
    again = explorer.ask(type="train", id=2, k=2, stateful=True)
    assert len(again["costs"]) == 2 and explorer.trainer.iteration == 5


@pytest.mark.parametrize("stateful", [True, False])
def test_train_carries_the_state_or_not_as_asked(explorer, stateful) -> None:
    explorer.ask(type="train", id=1, k=2, stateful=stateful)
    twin = Trainer(SMALL, stateful=stateful)
    assert explorer.trainer.history == pytest.approx(twin.run(2), rel=1e-6)
    assert explorer.trainer.stateful is stateful


def test_a_cost_that_is_not_finite_stops_the_chunk_and_says_where() -> None:
    explorer = Listening(SMALL.replace(learning_rate=1e30))
    answer = explorer.ask(type="train", id=1, k=50, stateful=True)
    n = len(answer["costs"])
    assert 0 < n < 50 and answer["non_finite"] == n
    assert all(np.isfinite(answer["costs"]))


def test_configure_starts_a_new_untrained_model(explorer) -> None:
    explorer.ask(type="train", id=1, k=3, stateful=True)
    answer = explorer.ask(
        type="configure", id=2, learning_rate=0.02, cell_size=4
    )
    assert answer["history"] == [] and answer["frame"]["iteration"] is None
    assert answer["settings"]["learning_rate"] == 0.02
    assert explorer.hp.cell_size == 4 and explorer.trainer.iteration == 0


@pytest.mark.parametrize(
    ("rate", "size", "message"),
    [
        (-1, 10, "learning_rate must be a finite positive number"),
        (0.01, 3, "cell size must be one of 1, 2, 4, 10, 16, 32, got 3"),
        ("abc", 10, "could not convert"),
    ],
)
def test_a_bad_setting_is_an_error_and_keeps_the_model(
    explorer, rate, size, message
) -> None:
    explorer.ask(type="train", id=1, k=2, stateful=True)
    trainer = explorer.trainer
    answer = explorer.ask(
        type="configure", id=2, learning_rate=rate, cell_size=size
    )
    assert answer == {
        "type": "answer",
        "id": 2,
        "error": pytest.approx(answer["error"]),
    }
    assert message in answer["error"]
    assert explorer.trainer is trainer and trainer.iteration == 2


def test_each_chunk_says_where_its_costs_start(explorer) -> None:
    """The view puts a chunk's costs where the kernel says they start, so
    its history is always the kernel's."""
    one = explorer.ask(type="train", id=1, k=2, stateful=True)
    two = explorer.ask(type="train", id=2, k=3, stateful=True)
    assert (one["first"], len(one["costs"])) == (0, 2)
    assert (two["first"], len(two["costs"])) == (2, 3)
    assert one["costs"] + two["costs"] == explorer.trainer.history


def test_reset_goes_back_to_the_untrained_start(explorer) -> None:
    first = explorer.ask(type="train", id=1, k=2, stateful=True)["costs"]
    answer = explorer.ask(type="reset", id=2)
    assert answer["history"] == [] and answer["frame"]["iteration"] is None
    again = explorer.ask(type="train", id=3, k=2, stateful=True)["costs"]
    assert again == first


def test_an_interrupt_during_a_chunk_is_answered_as_such(
    explorer, monkeypatch
) -> None:
    def interrupted(n):
        raise KeyboardInterrupt

    monkeypatch.setattr(explorer.trainer, "run", interrupted)
    answer = explorer.ask(type="train", id=4, k=5, stateful=True)
    assert answer["id"] == 4 and answer["interrupted"] is True
    assert answer["costs"] == []


def test_what_is_no_request_gets_no_answer(explorer) -> None:
    assert explorer.ask(type="nudge") is None
    assert explorer.ask(something="else") is None


# -- the explorer: Python code drives it --------------------------------------


def test_click_step_trains_and_tells_the_views(explorer) -> None:
    explorer.set_steps_per_click(3)
    explorer.click_step()
    assert explorer.trainer.iteration == 3
    told = explorer.sent[-1]
    assert told["type"] == "state" and len(told["history"]) == 3
    assert told["settings"]["steps_per_click"] == 3
    assert told["playing"] is False
    explorer.set_playing(True)
    assert explorer.sent[-1]["playing"] is True


def test_set_stateful_and_reset(explorer) -> None:
    explorer.set_stateful(False)
    assert explorer.trainer.stateful is False
    assert explorer.sent[-1]["settings"]["stateful"] is False
    explorer.click_step()
    explorer.click_reset()
    assert explorer.trainer.iteration == 0
    assert explorer.sent[-1]["history"] == []


@pytest.mark.parametrize(
    ("method", "field", "value"),
    [
        ("set_learning_rate", "learning_rate", 0.02),
        ("set_cell_size", "cell_size", 4),
    ],
)
def test_a_new_model_keeps_training_stateless(explorer, method, field, value):
    # Stateful off, then a new learning rate or cell size from Python: the
    # new trainer must start every batch from zeros too.
    explorer.set_stateful(False)
    explorer.click_step()
    getattr(explorer, method)(value)
    told = explorer.sent[-1]["settings"]
    explorer.set_steps_per_click(3)
    explorer.click_step()
    hp = SMALL.replace(**{field: value})
    stateless = Trainer(hp, stateful=False).run(3)
    stateful = Trainer(hp).run(3)
    assert stateless != stateful
    assert explorer.trainer.history == stateless, (
        f"after stateful off and {method}({value}) the explorer trained "
        f"{explorer.trainer.history}: from zeros is {stateless}, carrying "
        f"the state {stateful}"
    )
    assert told["stateful"] is False  # what the views were told


@pytest.mark.parametrize(
    ("method", "value"),
    [
        ("set_learning_rate", 0),
        ("set_learning_rate", float("nan")),
        ("set_cell_size", 3),
        ("set_cell_size", True),
        ("set_steps_per_click", 0),
        ("set_steps_per_click", 501),
        ("set_steps_per_click", 2.5),
    ],
)
def test_a_bad_value_from_python_raises_and_keeps_everything(
    explorer, method, value
) -> None:
    explorer.click_step()
    trainer, steps = explorer.trainer, explorer.steps_per_click
    with pytest.raises(ValueError, match="must be"):
        getattr(explorer, method)(value)
    assert explorer.trainer is trainer and trainer.iteration == 1
    assert explorer.steps_per_click == steps


def test_a_new_learning_rate_or_cell_size_is_a_new_model(explorer) -> None:
    explorer.click_step()
    explorer.set_learning_rate(0.02)
    assert explorer.trainer.iteration == 0
    assert explorer.settings["learning_rate"] == 0.02
    explorer.set_cell_size(4)
    assert explorer.hp.cell_size == 4 and explorer.hp.learning_rate == 0.02


def test_summary_says_where_training_is(explorer) -> None:
    assert explorer.summary() == (
        "untrained (0 trained); stateful on, learning rate 0.006, cell size 2"
    )
    explorer.click_step()
    cost = explorer.trainer.history[-1]
    assert explorer.summary().startswith(f"iteration 0, cost {cost:.4g}")


def test_an_explorer_needs_a_cell_size_the_book_has_weights_for() -> None:
    assert 10 in EXPLORER_CELL_SIZES
    with pytest.raises(ValueError, match="cell size must be one of"):
        TrainingExplorer(Hyperparams(cell_size=3))


# -- what the notebook stores where no widget can be shown --------------------


def placeholder(widget) -> tuple[str, dict, str]:
    """The kind, settings and text of a widget's HTML placeholder."""
    data, _ = widget._repr_mimebundle_()
    match = re.fullmatch(
        r'<div class="sincos-widget" data-kind="([\w-]+)" '
        r'data-settings="([^"]*)">(.*)</div>',
        data["text/html"],
    )
    assert match, data["text/html"]
    return match[1], json.loads(html.unescape(match[2])), match[3]


def test_the_explorer_stores_a_line_and_a_placeholder(explorer) -> None:
    data, _ = explorer._repr_mimebundle_()
    assert data["text/plain"].startswith("Training explorer")
    assert "VBox" not in data["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in data
    kind, settings, text = placeholder(explorer)
    assert kind == "explorer" and "run this cell" in text
    assert settings == {
        "learning_rate": 0.006,
        "cell_size": 2,
        "stateful": True,
        "steps_per_click": 1,
        "time_steps": 5,
        "seed": 1,
    }


def test_the_view_is_the_package_file_as_a_module() -> None:
    from importlib import resources

    source = resources.files("sincos").joinpath("widgets.js").read_text()
    assert TrainingExplorer._esm.startswith(source)
    assert TrainingExplorer._esm.rstrip().endswith(
        "export default { render: sincosWidgets.render };"
    )


# -- the batch stepper --------------------------------------------------------


def test_the_batch_stepper_takes_batch_after_batch() -> None:
    hp = Hyperparams()
    stepper = BatchStepper(hp, rows=3)
    batches = SinCosBatches(hp)
    assert stepper.starts == [0]
    stepper.click_next()
    stepper.click_next()
    assert stepper.starts == [0, 20, 40]
    for start, got in zip(stepper.starts, stepper.segments(4), strict=True):
        np.testing.assert_array_equal(got, next(batches).xs[4])
        assert got[0] * 10 * np.pi == pytest.approx(start + 4 * 20)
    stepper.set_first_row(47)
    assert stepper.rows == range(47, 50)
    kind, settings, _ = placeholder(stepper)
    assert kind == "batch-stepper"
    assert settings == {
        "time_steps": 20,
        "batch_size": 50,
        "batch_start": 0,
        "rows": 3,
        "clicks": 2,
        "first_row": 47,
    }
    stepper.click_reset()
    assert stepper.starts == [0]


@pytest.mark.parametrize("row", [-1, 48, 2.5])
def test_the_batch_stepper_refuses_rows_it_cannot_show(row) -> None:
    stepper = BatchStepper(Hyperparams(), rows=3)
    with pytest.raises(ValueError, match="first row must be a whole number"):
        stepper.set_first_row(row)
    assert stepper.first_row == 0
    with pytest.raises(ValueError, match="rows must be"):
        BatchStepper(Hyperparams(), rows=51)


# -- the time-step viewer -----------------------------------------------------


def test_trace_steps_is_the_model_step_by_step() -> None:
    hp = Hyperparams(cell_size=4)
    model = LSTMRNN(hp)
    batch = next(SinCosBatches(hp))
    rng = np.random.default_rng(0)
    state = rng.normal(size=(2, hp.cell_size)).astype(np.float32)
    trace = trace_steps(model, batch.seq[3], state)
    pred, (h, c) = model(batch.seq[3:4], (state[:1], state[1:]))
    np.testing.assert_allclose(trace.pred, np.ravel(pred), atol=1e-5)
    np.testing.assert_allclose(trace.h[-1], np.ravel(h), atol=1e-5)
    np.testing.assert_allclose(trace.c[-1], np.ravel(c), atol=1e-5)
    assert trace.h.shape == trace.c.shape == (hp.time_steps, hp.cell_size)


def test_the_viewer_holds_the_window_and_moves_its_step() -> None:
    hp = Hyperparams()
    batch = next(SinCosBatches(hp))
    viewer = TimeStepViewer(LSTMRNN(hp), batch, row=2)
    assert viewer.step == hp.time_steps - 1
    assert viewer.window["pred"] == pytest.approx(viewer.trace.pred.tolist())
    assert viewer.window["res"] == pytest.approx(np.ravel(batch.res[2]))
    viewer.set_step(4)
    assert viewer.step == 4
    with pytest.raises(ValueError, match="step must be a whole number"):
        viewer.set_step(20)
    kind, settings, _ = placeholder(viewer)
    assert kind == "time-steps"
    assert settings == {
        "cell_size": 10,
        "seed": 1,
        "time_steps": 20,
        "start": 0,
        "row": 2,
        "step": 4,
    }


def test_the_book_redoes_only_the_untrained_network_from_zeros() -> None:
    hp = Hyperparams()
    batch = next(SinCosBatches(hp))
    trainer = Trainer(hp)
    trainer.run(2)
    for viewer in (
        TimeStepViewer(trainer, batch),
        TimeStepViewer(LSTMRNN(hp), batch, state=trainer.state),
    ):
        assert placeholder(viewer)[1] == {}
