import subprocess
import sys

import numpy as np
import pytest

from sincos import LSTMRNN, Hyperparams, Trainer, compute_cost, make_batch
from sincos.fast import BatchAngles, numpy_weights, weight_variables
from sincos.model import tf


def tf1_adam(weights, gradients, learning_rate, epsilon=1e-8):
    """TF1's ``AdamOptimizer`` written out in float64: the weights after one
    update per list of gradients, from zero moments. With t the update's
    number, lr_t = lr sqrt(1 - 0.999^t) / (1 - 0.9^t),
    m <- 0.9 m + 0.1 g, v <- 0.999 v + 0.001 g^2,
    w <- w - lr_t m / (sqrt(v) + epsilon)."""
    beta_1, beta_2 = 0.9, 0.999
    w = [np.asarray(x, np.float64) for x in weights]
    m = [np.zeros_like(x) for x in w]
    v = [np.zeros_like(x) for x in w]
    for t, grads in enumerate(gradients, start=1):
        lr_t = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        for k, g in enumerate(grads):
            m[k] = beta_1 * m[k] + (1 - beta_1) * g
            v[k] = beta_2 * v[k] + (1 - beta_2) * g * g
            w[k] = w[k] - lr_t * m[k] / (np.sqrt(v[k]) + epsilon)
    return w


def adam_test_gradients(shapes, steps=3, seed=0):
    """Gradients of every size from 1e-10 to 10 with random signs, new ones
    each step. Where sqrt(v) is near epsilon (gradients of 1e-9 to 1e-6),
    epsilon 1e-7 instead of 1e-8 changes the update several-fold."""
    rng = np.random.default_rng(seed)
    return [
        [
            (
                rng.choice([-1.0, 1.0], size=shape)
                * 10.0 ** rng.uniform(-10, 1, size=shape)
            ).astype(np.float32)
            for shape in shapes
        ]
        for _ in range(steps)
    ]


def assert_adam_matches_tf1(weights, gradients, learning_rate):
    """The float32 weights after an optimizer applied ``gradients`` from
    zero weights and zero moments, against ``tf1_adam``. Float32 rounding
    leaves about 1e-7 of each step (measured: under 1e-6 relative)."""
    want = tf1_adam(
        [np.zeros_like(w) for w in weights], gradients, learning_rate
    )
    for got, expected in zip(weights, want, strict=True):
        np.testing.assert_allclose(
            got, expected, rtol=1e-5, atol=1e-5 * learning_rate
        )


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


def test_trainer_adam_is_tf1s_adam_with_epsilon_1e_8():
    trainer = Trainer(Hyperparams(learning_rate=0.01))
    variables = weight_variables(trainer.model)
    for w in variables:
        w.assign(tf.zeros_like(w))
    gradients = adam_test_gradients([w.shape for w in variables])
    for grads in gradients:
        trainer.adam.apply([tf.constant(g) for g in grads])
    assert float(trainer.adam.t.numpy()) == len(gradients)
    assert_adam_matches_tf1(
        [w.numpy() for w in variables], gradients, learning_rate=0.01
    )


def test_stateless_trainer_starts_every_batch_from_zeros():
    hp = Hyperparams(seed=4)
    stateless = Trainer(hp, stateful=False)
    stateless.run(3)
    batch = stateless.batches.peek()
    expected = compute_cost(stateless.predict(batch.seq)[0], batch.res)
    assert stateless.step().cost == pytest.approx(float(expected), rel=1e-5)


def test_switching_stateful_between_steps_changes_where_the_next_starts():
    trainer = Trainer(Hyperparams(seed=4))
    trainer.run(5)

    def cost_from(state):
        batch = trainer.batches.peek()
        pred = trainer.predict(batch.seq, state)[0]
        return float(compute_cost(pred, batch.res))

    def differ(a, b):  # far more than the engines' 1e-5 disagreement
        return abs(a - b) > 1e-2 * min(a, b)

    carried, zeros = cost_from(trainer.state), cost_from(None)
    assert differ(carried, zeros)
    trainer.stateful = False
    assert trainer.step().cost == pytest.approx(zeros, rel=1e-5)
    trainer.stateful = True  # on from the state the stateless step ended in
    carried, zeros = cost_from(trainer.state), cost_from(None)
    assert differ(carried, zeros)
    assert trainer.step().cost == pytest.approx(carried, rel=1e-5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_carrying_the_state_lowers_the_cost_at_least_five_fold(seed):
    hp = Hyperparams(seed=seed)
    carried = np.mean(Trainer(hp).run(200)[-20:])
    reset = np.mean(Trainer(hp, stateful=False).run(200)[-20:])
    assert reset >= 5 * carried, (carried, reset)


def snapshot(trainer):
    """Everything training changes, as lists of numpy values."""
    last = trainer.last
    return {
        "weights": numpy_weights(trainer.model),
        "slots": [s.numpy() for s in trainer.adam.slots()],
        "state": [s.numpy() for s in trainer.state],
        "position": [trainer.batches.start, trainer.history],
        "last": [] if last is None else [last.iteration, last.cost, last.pred],
    }


def assert_same(a, b):
    """Two snapshots hold the same values, bit for bit."""
    assert a.keys() == b.keys()
    for key in a:
        assert len(a[key]) == len(b[key]), key
        for x, y in zip(a[key], b[key], strict=True):
            np.testing.assert_array_equal(x, y, err_msg=key)


def test_non_finite_cost_stops_with_a_clear_error_and_keeps_the_weights():
    # Adam's first step moves every weight by about the learning rate: 1e30
    # makes the prediction overflow, so iteration 1's cost is not finite.
    hp = Hyperparams(learning_rate=1e30)
    twin = Trainer(hp)
    twin.run(1)
    trainer = Trainer(hp)
    with pytest.raises(
        FloatingPointError, match=r"at iteration 1 with learning_rate=1e\+30"
    ):
        trainer.run(50)
    # iteration 0 of that run is kept, as if it had run alone; nothing of
    # iteration 1 is
    assert trainer.iteration == 1
    assert_same(snapshot(trainer), snapshot(twin))
    with pytest.raises(FloatingPointError, match="at iteration 1 "):
        trainer.step()
    assert_same(snapshot(trainer), snapshot(twin))


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


@pytest.mark.parametrize("stateful", [True, False])
def test_save_and_load_resume_exactly(tmp_path, stateful):
    """Resuming continues the run as if it had not stopped, stateless too,
    and ``reset()`` returns to the weights ``set_initial_weights`` gave."""
    initial = numpy_weights(LSTMRNN(Hyperparams(seed=7)))

    def fresh():
        trainer = Trainer(Hyperparams(seed=3), stateful=stateful)
        trainer.set_initial_weights(initial)
        return trainer

    uninterrupted = fresh()
    uninterrupted.run(70)
    expected = uninterrupted.run(50)

    first_half = fresh()
    first_half.run(70)
    resumed = Trainer.load(first_half.save(tmp_path / "trainer.npz"))
    # a loaded trainer has no last step to show yet
    assert_same(snapshot(resumed), snapshot(first_half) | {"last": []})
    assert resumed.stateful is stateful
    assert resumed.run(50) == expected
    resumed.reset()
    assert (
        resumed.run(70)
        == fresh().run(70)
        != Trainer(Hyperparams(seed=3), stateful=stateful).run(70)
    )


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
