"""Tests of sincos.experiments: small runs, properties rather than stored
numbers."""

import math
import types

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from sincos import (
    LSTMRNN,
    Hyperparams,
    Trainer,
    experiments,
    make_batch,
    plotting,
)
from sincos.experiments import (
    Runs,
    SimpleRNNModel,
    Spread,
    compare_state,
    error_by_position,
    fmt,
    iterations_for,
    rollout,
    sweep,
    train_seeds,
    window_mse,
    window_sweep,
)
from sincos.model import compute_cost

SMALL = Hyperparams(time_steps=5, batch_size=10)


@pytest.fixture(scope="module")
def tutorial_runs():
    """The tutorial's configuration, seed 1, trained 200 iterations both
    ways."""
    return compare_state((1,), 200)


def test_fmt_rounds_to_significant_digits_without_e_notation():
    assert fmt(0.0123456) == "0.0123"
    assert fmt(10.46) == "10.5"
    assert fmt(1234.4) == "1234"
    assert fmt(0.5) == "0.500"
    assert fmt(0) == "0"
    assert fmt(math.nan) == "nan"
    assert fmt(2.5e-7) == "2.50e-07"


def test_spread_summarises_values():
    s = Spread.of([1.0, 2.0, 6.0])
    assert (s.mean, s.median, s.low, s.high) == (3.0, 2.0, 1.0, 6.0)
    assert s.std == pytest.approx(np.std([1.0, 2.0, 6.0]))
    assert str(s) == "3.00 ± 2.2 (min 1.00, max 6.00)"
    assert s.median_range() == "2.00 [1.00, 6.00]"
    with pytest.raises(ValueError, match="at least one value"):
        Spread.of([])


@pytest.mark.parametrize("time_steps", [5, 10, 20, 40])
def test_iterations_for_equal_samples_is_exact(time_steps):
    hp = Hyperparams(time_steps=time_steps)
    samples = 200 * 20 * 50
    assert iterations_for(samples, hp) * time_steps * hp.batch_size == samples


def test_iterations_for_rejects_samples_that_do_not_divide():
    with pytest.raises(
        ValueError, match="not a positive multiple of time_steps x batch_size"
    ):
        iterations_for(1001, Hyperparams())
    with pytest.raises(ValueError, match="samples=0"):
        iterations_for(0, Hyperparams())


@pytest.fixture
def clock(monkeypatch):
    """A stand-in for ``time.perf_counter`` in sincos.experiments: each run
    is timed by two readings, and the k-th run takes ``durations[k]``
    seconds."""
    durations, readings = [], []

    def perf_counter():
        run, second = divmod(len(readings), 2)
        readings.append(100.0 * run + (durations[run] if second else 0.0))
        return readings[-1]

    fake = types.SimpleNamespace(perf_counter=perf_counter)
    monkeypatch.setattr(experiments, "time", fake)
    return durations


def test_runs_train_each_configuration_once_with_the_costs_of_one_run(clock):
    clock += [2.2, 5.0]
    runs = Runs()
    first = runs.trainer(SMALL, 12)
    assert runs.trainer(SMALL, 12) is first
    reset = runs.trainer(SMALL, 12, stateful=False)
    assert len(runs) == 2 and reset is not first
    assert first.iteration == reset.iteration == 12
    assert (first.stateful, reset.stateful) == (True, False)
    # timed after the first iteration, which traces: 11 iterations in 2.2 s
    assert runs.seconds_per_iteration(SMALL, 12) == pytest.approx(0.2)
    assert runs.seconds_per_iteration(SMALL, 12, False) == pytest.approx(
        5 / 11
    )
    # timing in two calls changes nothing
    assert Trainer(SMALL).run(12) == first.history
    assert Trainer(SMALL, stateful=False).run(12) == reset.history


def test_runs_need_two_iterations_to_time_one():
    with pytest.raises(ValueError, match="at least 2"):
        Runs().trainer(SMALL, 1)


def test_compare_state_trains_both_ways_per_seed():
    result = compare_state((1, 2), 6, hp=SMALL)
    assert result.carried.shape == result.reset.shape == (2, 6)
    for seed, carried, reset in zip(
        (1, 2), result.carried, result.reset, strict=True
    ):
        hp = SMALL.replace(seed=seed)
        assert carried.tolist() == Trainer(hp).run(6)
        assert reset.tolist() == Trainer(hp, stateful=False).run(6)
    assert [t.hp.seed for t in result.trainers[False]] == [1, 2]
    assert result.final(True).high == result.carried[:, -1].max()
    assert result.tail(False, last=3).mean == pytest.approx(
        result.reset[:, -3:].mean()
    )


def test_carrying_the_state_lowers_the_cost(tutorial_runs):
    assert tutorial_runs.tail_ratio() > 3


@pytest.mark.parametrize("carry", [True, False])
def test_error_by_position_averages_each_position_over_rows_and_batches(
    tutorial_runs, carry
):
    trainer = tutorial_runs.trainers[True][0]
    # the Keras model's predictions of the next two batches, computed apart
    state, squared = (trainer.state if carry else None), []
    for k in range(2):
        start = trainer.batches.start + k * trainer.hp.time_steps
        batch = make_batch(start, trainer.hp.time_steps, trainer.hp.batch_size)
        pred, end = trainer.predict(batch.seq, state)
        squared.append((pred - batch.res)[..., 0] ** 2)  # (rows, positions)
        state = end if carry else None
    want = np.concatenate(squared).mean(axis=0)
    errors = error_by_position(trainer, 2, carry=carry)
    np.testing.assert_allclose(errors, want, rtol=1e-4, atol=1e-7)


def test_a_zero_start_hurts_the_first_position_after_training(tutorial_runs):
    trainer = tutorial_runs.trainers[True][0]
    carried = error_by_position(trainer, 3, carry=True)
    zero = error_by_position(trainer, 3, carry=False)
    assert zero[0] > 5 * carried[0]


def test_evaluation_leaves_the_trainer_where_it_was(tutorial_runs):
    trainer = tutorial_runs.trainers[True][0]
    start, h = trainer.batches.start, trainer.state[0].numpy().copy()
    error_by_position(trainer, 2, carry=True)
    window_mse(trainer, 40)
    assert trainer.batches.start == start
    np.testing.assert_array_equal(trainer.state[0].numpy(), h)


def test_rollout_predicts_the_batches_after_training_like_the_keras_model(
    tutorial_runs,
):
    trainer = tutorial_runs.trainers[True][0]
    batches, preds = rollout(trainer, 2, carry=True)
    assert batches[0].xs[0, 0] == trainer.batches.start / (10 * np.pi)
    assert preds.shape == (2, *batches[0].res.shape)
    first, state = trainer.predict(batches[0].seq, trainer.state)
    second, _ = trainer.predict(batches[1].seq, state)
    np.testing.assert_allclose(preds[0], first, atol=1e-5)
    np.testing.assert_allclose(preds[1], second, atol=1e-5)
    _, from_zeros = rollout(trainer, 2, carry=False)
    np.testing.assert_allclose(
        from_zeros[1], trainer.predict(batches[1].seq)[0], atol=1e-5
    )


def test_window_mse_needs_whole_windows(tutorial_runs):
    trainer = tutorial_runs.trainers[True][0]
    with pytest.raises(ValueError, match="multiple of time_steps=20, got 30"):
        window_mse(trainer, 30)
    assert window_mse(trainer, 40) == pytest.approx(
        error_by_position(trainer, 2, carry=True).mean(), rel=1e-5
    )


def mse_window_by_window(trainer, windows, carry):
    """The MSE of the Keras model's predictions of the next ``windows``
    batches, from the state training ended in and carried (``carry``), or
    from zeros at every window: computed apart from ``rollout``."""
    hp, state, squared = trainer.hp, None, []
    if carry:
        state = trainer.state
    for k in range(windows):
        start = trainer.batches.start + k * hp.time_steps
        batch = make_batch(start, hp.time_steps, hp.batch_size)
        pred, end = trainer.predict(batch.seq, state)
        squared.append((pred - batch.res) ** 2)
        state = end if carry else None
    return float(np.mean(squared))


@pytest.mark.parametrize("stateful", [True, False])
def test_window_mse_predicts_the_way_the_trainer_trained(
    tutorial_runs, stateful
):
    trainer = tutorial_runs.trainers[stateful][0]
    assert trainer.stateful is stateful
    zeros = mse_window_by_window(trainer, 3, carry=False)
    carried = mse_window_by_window(trainer, 3, carry=True)
    # the two ways differ, so the test tells which one window_mse took
    assert abs(carried - zeros) > 0.05 * min(carried, zeros)
    want, other = (carried, zeros) if stateful else (zeros, carried)
    got = window_mse(trainer, 3 * trainer.hp.time_steps)
    assert got == pytest.approx(want, rel=1e-3), (
        f"window_mse of a {'stateful' if stateful else 'stateless'} trainer "
        f"is {got}: from zeros at every window {zeros}, carried {carried}"
    )
    assert got != pytest.approx(other, rel=1e-3)


def test_window_sweep_sees_equal_samples_at_every_window(clock):
    clock += [7.0, 3.0, 1.0, 8.0]  # (window 5, 10) x (seed 1, 2)
    samples = 400
    points = window_sweep((5, 10), (1, 2), samples, hp=SMALL, eval_steps=10)
    assert [p.value for p in points] == [5, 10]
    for p in points:
        assert p.iterations * p.value * SMALL.batch_size == samples
        assert p.costs.shape == (2, p.iterations) and p.mse.shape == (2,)
        assert np.all(np.isfinite(p.mse))
        assert p.stateful
    # the fastest seed's time, per iteration after the first: 8 and 4
    # iterations
    assert points[0].seconds_per_iteration == pytest.approx(3.0 / 7)
    assert points[1].seconds_per_iteration == pytest.approx(1.0 / 3)


def test_sweep_shares_runs_and_checks_its_arguments():
    runs = Runs()
    reset = sweep(
        "cell_size",
        (4,),
        (1,),
        hp=SMALL,
        iterations=4,
        stateful=False,
        eval_steps=10,
        runs=runs,
    )
    assert not reset[0].stateful and len(runs) == 1
    again = sweep(
        "cell_size",
        (4,),
        (1,),
        hp=SMALL,
        iterations=4,
        stateful=False,
        eval_steps=10,
        runs=runs,
    )
    np.testing.assert_array_equal(again[0].costs, reset[0].costs)
    assert len(runs) == 1
    with pytest.raises(
        ValueError, match="exactly one of iterations and samples"
    ):
        sweep("cell_size", (4,), (1,), hp=SMALL)
    with pytest.raises(ValueError, match="unknown hyperparameter 'cells'"):
        sweep("cells", (4,), (1,), hp=SMALL, iterations=4)


def test_experiment_figures_draw_from_results(tutorial_runs):
    result = tutorial_runs
    ax = plotting.plot_cost_groups(
        {"carried": result.carried, "reset": result.reset}
    )
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "iteration"
    ax = plotting.plot_error_by_position(
        {"carried": np.full(20, 0.01)}, floor=0.5
    )
    assert ax.get_xlabel().startswith("position")
    ax = plotting.plot_window_sweep(
        (5, 10), {"carried": [np.ones(2), np.ones(2)]}
    )
    assert ax.get_xlabel() == "time_steps (window length)"
    plt.close("all")


def test_spread_median_range_rounds_to_the_digits_asked_for():
    s = Spread.of([0.123456, 0.0456789, 2.34567])
    assert s.median_range(2) == "0.12 [0.046, 2.3]"
    assert s.median_range() == "0.123 [0.0457, 2.35]"


def numpy_simple_rnn(model, seq, h):
    """The plain RNN written out in numpy: Dense per step, then
    h = tanh(x W + h U + b) step by step, then Dense per step."""
    cell = model.rnn.cell
    w_in, b_in, kernel, recurrent, bias, w_out, b_out = (
        v.numpy().astype(np.float64)
        for v in (
            model.in_hidden.kernel,
            model.in_hidden.bias,
            cell.kernel,
            cell.recurrent_kernel,
            cell.bias,
            model.out_hidden.kernel,
            model.out_hidden.bias,
        )
    )
    x = seq.astype(np.float64) @ w_in + b_in
    outputs = []
    for t in range(seq.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent + bias)
        outputs.append(h)
    return np.stack(outputs, axis=1) @ w_out + b_out, h


def test_simple_rnn_model_is_a_tanh_recurrence_between_dense_layers():
    rng = np.random.default_rng(0)
    model = SimpleRNNModel(Hyperparams(cell_size=6, seed=3))
    for v in model.trainable_variables:  # away from the zero biases
        v.assign(v + rng.normal(scale=0.3, size=v.shape).astype(np.float32))
    seq = rng.normal(size=(4, 9, 1)).astype(np.float32)
    h = rng.normal(size=(4, 6)).astype(np.float32)
    pred, state = model(seq, (h,))
    want, want_h = numpy_simple_rnn(model, seq, h)
    assert len(state) == 1
    np.testing.assert_allclose(pred, want, atol=1e-5)
    np.testing.assert_allclose(state[0], want_h, atol=1e-5)
    from_zeros, _ = model(seq)
    np.testing.assert_allclose(
        from_zeros,
        numpy_simple_rnn(model, seq, np.zeros((4, 6)))[0],
        atol=1e-5,
    )


@pytest.mark.parametrize("cells", [1, 10, 20])
def test_simple_rnn_model_shares_the_lstm_models_start_but_no_gates(cells):
    hp = Hyperparams(cell_size=cells, seed=4)
    rnn, lstm = SimpleRNNModel(hp), LSTMRNN(hp)
    for layer in ("in_hidden", "out_hidden"):
        mine, theirs = getattr(rnn, layer), getattr(lstm, layer)
        for a, b in zip(mine.weights, theirs.weights, strict=True):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
    # in_hidden 2H, recurrent layer 2H^2 + H, out_hidden H + 1: every one
    # of them trained, and no LSTM weight among them
    assert rnn.count_params() == 2 * cells**2 + 4 * cells + 1
    assert sum(int(np.prod(v.shape)) for v in rnn.trainable_variables) == (
        rnn.count_params()
    )
    limit = np.sqrt(6 / (3 * cells))
    for w in (rnn.rnn.cell.kernel, rnn.rnn.cell.recurrent_kernel):
        assert np.abs(w.numpy()).max() <= limit
    (h,) = rnn.zero_state(5)
    np.testing.assert_array_equal(h.numpy(), np.zeros((5, cells)))


@pytest.mark.parametrize("model_class", [LSTMRNN, SimpleRNNModel])
def test_train_seeds_trains_every_seed_from_its_own_start(model_class):
    costs = train_seeds(model_class, (1, 2), iterations=3, hp=SMALL)
    assert costs.shape == (2, 3)
    batch = make_batch(0, SMALL.time_steps, SMALL.batch_size)
    for row, seed in zip(costs, (1, 2), strict=True):
        untrained = model_class(SMALL.replace(seed=seed))
        pred, _ = untrained(batch.seq)
        first = float(compute_cost(pred, batch.res))
        assert row[0] == pytest.approx(first, rel=1e-5)
    assert costs[0, 0] != costs[1, 0]
