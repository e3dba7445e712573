import re

import numpy as np
import pytest

from sincos import Hyperparams, SinCosBatches, make_batch
from sincos.data import make_curves


def tutorial_get_batch(start, steps=20, batch=50):
    """The original get_batch, written out for comparison."""
    xs = np.arange(start, start + steps * batch).reshape((batch, steps)) / (
        10 * np.pi
    )
    return np.sin(xs)[:, :, np.newaxis], np.cos(xs)[:, :, np.newaxis], xs


def test_sequence_is_the_tutorials():
    batches = SinCosBatches()
    for k in range(3):
        seq, res, xs = next(batches)
        want_seq, want_res, want_xs = tutorial_get_batch(20 * k)
        np.testing.assert_array_equal(xs, want_xs)
        np.testing.assert_array_equal(seq, want_seq.astype(np.float32))
        np.testing.assert_array_equal(res, want_res.astype(np.float32))


def test_shapes_and_dtypes():
    hp = Hyperparams(time_steps=7, batch_size=3)
    seq, res, xs = next(SinCosBatches(hp))
    assert seq.shape == res.shape == (3, 7, 1)
    assert xs.shape == (3, 7)
    assert seq.dtype == res.dtype == np.float32


def test_rows_continue_across_batches():
    batches = SinCosBatches()
    first, second = next(batches), next(batches)
    step = 1 / (10 * np.pi)
    # row i of the next batch starts one x step after row i of this one ends
    np.testing.assert_allclose(
        second.xs[:, 0], first.xs[:, -1] + step, rtol=1e-12
    )
    whole = np.concatenate([first.xs, second.xs], axis=1)
    np.testing.assert_allclose(np.diff(whole, axis=1), step, rtol=1e-9)


def test_start_advances_by_time_steps_and_reset_rewinds():
    hp = Hyperparams(batch_start=5)
    batches = SinCosBatches(hp)
    first = next(batches)
    assert batches.start == 25
    np.testing.assert_array_equal(batches.peek().xs, next(batches).xs)
    batches.reset()
    assert batches.start == 5
    np.testing.assert_array_equal(next(batches).xs, first.xs)


def test_iterators_share_no_state():
    a, b = SinCosBatches(), SinCosBatches()
    next(a)
    next(a)
    np.testing.assert_array_equal(next(b).xs, make_batch(0, 20, 50).xs)


def test_make_batch_rows_cover_consecutive_indices():
    xs = make_batch(100, 4, 3).xs * 10 * np.pi
    np.testing.assert_allclose(xs, np.arange(100, 112).reshape(3, 4))


@pytest.mark.parametrize("start", [0, 20, 12345, 10**7])
def test_values_are_sin_and_cos_of_xs(start):
    seq, res, xs = make_batch(start, 20, 50)
    np.testing.assert_allclose(seq[..., 0], np.sin(xs), atol=1e-7)
    np.testing.assert_allclose(res[..., 0], np.cos(xs), atol=1e-7)


def test_make_curves_defaults_give_the_training_curve():
    curves = make_curves(20, start=40)
    for got, want in zip(curves, make_batch(40, 20, 1), strict=True):
        np.testing.assert_array_equal(got, want)


def test_make_curves_makes_one_row_per_value_and_shares_numbers():
    curves = make_curves(30, phase=[0.0, 1.0, 2.0], amplitude=0.5)
    assert curves.seq.shape == curves.res.shape == (3, 30, 1)
    assert curves.xs.shape == (3, 30)
    for row, phase in enumerate([0.0, 1.0, 2.0]):
        np.testing.assert_allclose(
            curves.seq[row, :, 0],
            0.5 * np.sin(curves.xs[0] + phase),
            atol=1e-7,
        )
        np.testing.assert_allclose(
            curves.res[row, :, 0],
            0.5 * np.cos(curves.xs[0] + phase),
            atol=1e-7,
        )


def test_make_curves_phase_of_m_steps_is_a_start_m_steps_later():
    step = 1 / (10 * np.pi)
    shifted = make_curves(50, phase=7 * step)
    later = make_curves(50, start=7)
    np.testing.assert_allclose(shifted.seq, later.seq, atol=1e-7)
    np.testing.assert_allclose(shifted.res, later.res, atol=1e-7)


@pytest.mark.parametrize("frequency", [0.5, 2.0])
def test_make_curves_target_is_the_inputs_slope_over_frequency(frequency):
    curves = make_curves(400, frequency=frequency)
    seq = curves.seq[0, :, 0].astype(np.float64)
    slope = np.gradient(seq, curves.xs[0])
    np.testing.assert_allclose(
        slope[1:-1] / frequency, curves.res[0, 1:-1, 0], atol=2e-3
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 0}, "steps must be a positive integer, got 0"),
        ({"steps": 2.0}, "steps must be a positive integer, got 2.0"),
        ({"steps": True}, "steps must be a positive integer, got True"),
        (
            {"steps": 5, "phase": [0, 1], "frequency": [1, 2, 3]},
            "got lengths phase 2, frequency 3",
        ),
        (
            {"steps": 5, "amplitude": [[1.0, 2.0]]},
            "amplitude must be a number or a sequence of numbers, "
            "got an array of shape (1, 2)",
        ),
    ],
)
def test_make_curves_names_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make_curves(**kwargs)
