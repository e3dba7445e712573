import subprocess
import sys

import keras
import numpy as np
import pytest

from sincos import (
    Hyperparams,
    SinCosBatches,
    Trainer,
    compute_cost,
    make_batch,
)
from sincos.fast import BatchAngles, weight_variables
from sincos.model import tf


@pytest.fixture(scope="module")
def trainer():
    return Trainer()


def test_step_result_describes_the_iteration(trainer):
    trainer.reset()
    first = trainer.step()
    second = trainer.step()
    assert (first.iteration, second.iteration) == (0, 1)
    assert trainer.history == [first.cost, second.cost]
    assert first.pred.shape == (50, 20, 1)
    np.testing.assert_array_equal(second.batch.xs, make_batch(20, 20, 50).xs)
    # the cost is the tutorial's cost of the prediction made before the update
    assert first.cost == pytest.approx(
        float(compute_cost(first.pred, first.batch.res)), rel=1e-5
    )
    assert trainer.last is second


def test_reset_restores_weights_optimizer_data_and_state(trainer):
    trainer.reset()
    before = [w.numpy() for w in weight_variables(trainer.model)]
    first = trainer.run(30)
    trainer.reset()
    assert (
        trainer.iteration == 0
        and trainer.batches.start == 0
        and trainer.last is None
    )
    assert not np.any(trainer.state[0]) and not np.any(trainer.state[1])
    assert all(not np.any(s.numpy()) for s in trainer.adam.slots())
    for w, b in zip(weight_variables(trainer.model), before, strict=True):
        np.testing.assert_array_equal(w.numpy(), b)
    assert trainer.run(30) == first


def test_run_equals_repeated_steps(trainer):
    trainer.reset()
    looped = trainer.run(25)
    looped_state = [s.numpy() for s in trainer.state]
    trainer.reset()
    stepped = [trainer.step().cost for _ in range(25)]
    assert stepped == looped
    for a, b in zip(trainer.state, looped_state, strict=True):
        np.testing.assert_array_equal(a.numpy(), b)


def test_callback_sees_every_iteration(trainer):
    trainer.reset()
    seen = []
    costs = trainer.run(5, callback=seen.append)
    assert [r.iteration for r in seen] == [0, 1, 2, 3, 4]
    assert [r.cost for r in seen] == costs


def test_loop_is_traced_once(trainer):
    trainer.reset()
    for n in (1, 3, 7):
        trainer.run(n)
    trainer.step()
    trainer.stateful = False
    trainer.step()
    trainer.stateful = True
    assert trainer._run_fn.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("start", [0, 20, 980, 123_460, 10**7])
def test_in_graph_batches_match_make_batch(start):
    seq, res = BatchAngles(20, 50).batch(tf.constant(start, tf.int64))
    batch = make_batch(start, 20, 50)
    np.testing.assert_allclose(
        np.transpose(seq.numpy(), (1, 0, 2)), batch.seq, atol=2e-7
    )
    np.testing.assert_allclose(
        np.transpose(res.numpy(), (1, 0, 2)), batch.res, atol=2e-7
    )


def test_stateless_trainer_starts_every_batch_from_zeros():
    hp = Hyperparams(seed=4)
    stateless = Trainer(hp, stateful=False)
    stateless.run(3)
    batch = stateless.batches.peek()
    expected = compute_cost(stateless.predict(batch.seq)[0], batch.res)
    assert stateless.step().cost == pytest.approx(float(expected), rel=1e-5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_carrying_the_state_lowers_the_cost_at_least_five_fold(seed):
    hp = Hyperparams(seed=seed)
    carried = np.mean(Trainer(hp).run(200)[-20:])
    reset = np.mean(Trainer(hp, stateful=False).run(200)[-20:])
    assert reset >= 5 * carried, (carried, reset)


def test_the_fused_trainer_follows_the_keras_model_trained_with_keras_adam():
    """200 iterations of the Keras LSTMRNN, its own layers, GradientTape and
    keras.optimizers.Adam(epsilon=1e-8), against the trainer's fused loop."""
    hp = Hyperparams(seed=2)
    trainer = Trainer(hp)
    model = trainer.model
    variables = model.trainable_variables
    optimizer = keras.optimizers.Adam(hp.learning_rate, epsilon=1e-8)

    @tf.function
    def keras_step(seq, res, h, c):
        with tf.GradientTape() as tape:
            pred, state = model(seq, (h, c))
            cost = compute_cost(pred, res)
        optimizer.apply_gradients(
            zip(tape.gradient(cost, variables), variables, strict=True)
        )
        return cost, state

    state = trainer.state
    keras_costs = []
    for batch in (
        b for b, _ in zip(SinCosBatches(hp), range(200), strict=False)
    ):
        cost, state = keras_step(batch.seq, batch.res, *state)
        keras_costs.append(float(cost))
    trainer.reset()  # same initial weights, now through the fused loop
    fused_costs = np.array(trainer.run(200))
    relative = np.abs(fused_costs - keras_costs) / np.abs(keras_costs)
    assert relative.max() < 1e-3, relative.max()


def test_non_finite_cost_stops_with_a_clear_error_and_keeps_the_weights():
    trainer = Trainer(Hyperparams(learning_rate=1e30))
    trainer.run(1)  # the first update is finite but throws the weights far off
    weights = [w.numpy() for w in weight_variables(trainer.model)]
    state, start, history = (
        [s.numpy() for s in trainer.state],
        trainer.batches.start,
        list(trainer.history),
    )
    with pytest.raises(
        FloatingPointError, match=r"at iteration \d+ with learning_rate=1e\+30"
    ):
        trainer.run(50)
    stopped_at = trainer.iteration
    assert stopped_at >= 1 and trainer.history[:1] == history
    assert trainer.batches.start == stopped_at * 20
    # the failed iteration changed nothing: stepping again fails the same way
    weights_now = [w.numpy() for w in weight_variables(trainer.model)]
    with pytest.raises(
        FloatingPointError, match=f"at iteration {stopped_at} "
    ):
        trainer.step()
    for a, b in zip(weight_variables(trainer.model), weights_now, strict=True):
        np.testing.assert_array_equal(a.numpy(), b)
    assert trainer.iteration == stopped_at
    del weights, state, start


def test_same_seed_gives_identical_costs_in_fresh_processes():
    code = "from sincos import Trainer; print(repr(Trainer().run(60)))"
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and len(eval(runs[0])) == 60


def test_run_rejects_a_bad_count(trainer):
    for n in (-1, 2.5, True):
        with pytest.raises(
            ValueError, match="n must be a non-negative integer"
        ):
            trainer.run(n)
    assert trainer.run(0) == []


def test_save_and_load_resume_exactly(tmp_path):
    uninterrupted = Trainer(Hyperparams(seed=3))
    uninterrupted.run(70)
    expected = uninterrupted.run(50)

    first_half = Trainer(Hyperparams(seed=3))
    first_half.run(70)
    path = first_half.save(tmp_path / "trainer.npz")
    resumed = Trainer.load(path)
    assert resumed.iteration == 70 and resumed.batches.start == 70 * 20
    assert resumed.run(50) == expected
    resumed.reset()  # the reset point travels with the file
    assert resumed.run(70) == Trainer(Hyperparams(seed=3)).run(70)


def test_load_reports_missing_and_corrupt_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint at"):
        Trainer.load(tmp_path / "missing.npz")
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a checkpoint")
    with pytest.raises(
        ValueError, match="is not a readable sincos checkpoint"
    ):
        Trainer.load(garbage)
    other = tmp_path / "other.npz"
    np.savez(other, meta=np.array('{"format": "something else"}'))
    with pytest.raises(ValueError, match="is not a sincos checkpoint"):
        Trainer.load(other)
    path = Trainer().save(tmp_path / "ok.npz")
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files if k != "weight_3"}
    truncated = tmp_path / "truncated.npz"
    np.savez(truncated, **arrays)
    with pytest.raises(ValueError, match="not a complete sincos checkpoint"):
        Trainer.load(truncated)


def test_set_initial_weights_checks_shapes():
    trainer = Trainer()
    with pytest.raises(ValueError, match="expected weights shaped"):
        trainer.set_initial_weights([np.zeros(3)])


def test_load_rejects_a_state_of_the_wrong_shape(tmp_path):
    path = Trainer().save(tmp_path / "ok.npz")
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["c"] = arrays["c"][:3]
    np.savez(tmp_path / "bad_state.npz", **arrays)
    with pytest.raises(
        ValueError, match="not a complete sincos checkpoint: state shaped"
    ):
        Trainer.load(tmp_path / "bad_state.npz")
