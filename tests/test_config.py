import math

import numpy as np
import pytest

from sincos import Hyperparams


def test_defaults_are_the_tutorials():
    hp = Hyperparams()
    assert (
        hp.time_steps,
        hp.batch_size,
        hp.input_size,
        hp.output_size,
        hp.cell_size,
        hp.learning_rate,
        hp.batch_start,
    ) == (20, 50, 1, 1, 10, 0.006, 0)


def test_is_frozen_and_replace_returns_a_validated_copy():
    hp = Hyperparams()
    with pytest.raises(AttributeError):
        hp.cell_size = 3  # type: ignore[misc]
    assert hp.replace(cell_size=32).cell_size == 32
    assert hp.cell_size == 10
    with pytest.raises(
        ValueError, match="cell_size must be a positive integer, got 0"
    ):
        hp.replace(cell_size=0)


def test_replace_rejects_unknown_fields_by_name():
    with pytest.raises(ValueError, match="unknown hyperparameter 'cells'"):
        Hyperparams().replace(cells=3)


@pytest.mark.parametrize("field", ["time_steps", "batch_size", "cell_size"])
@pytest.mark.parametrize("value", [0, -3, 2.0, 2.5, True, "10", None])
def test_sizes_must_be_positive_integers(field, value):
    with pytest.raises(
        ValueError, match=f"^{field} must be a positive integer, got "
    ):
        Hyperparams(**{field: value})


def test_numpy_integers_are_accepted_as_plain_ints():
    hp = Hyperparams(cell_size=np.int64(12))
    assert hp.cell_size == 12 and type(hp.cell_size) is int


@pytest.mark.parametrize(
    "value", [0, -0.1, math.nan, math.inf, True, "0.01", None]
)
def test_learning_rate_must_be_finite_and_positive(value):
    with pytest.raises(
        ValueError, match=r"^learning_rate must be a finite positive number"
    ):
        Hyperparams(learning_rate=value)


@pytest.mark.parametrize(
    "value",
    [1, np.int64(2), np.float32(0.5)],
    ids=["int", "numpy-int64", "numpy-float32"],
)
def test_integer_learning_rate_becomes_float(value):
    # ``== 1.0`` holds for the int 1 too: check the type itself.
    lr = Hyperparams(learning_rate=value).learning_rate
    assert type(lr) is float, f"learning_rate {lr!r} is a {type(lr)}"
    assert lr == float(value)


def test_an_integer_learning_rate_trains():
    # The fast engine's Adam hands the rate to TensorFlow's op as a constant,
    # which must be a float for float32 weights: an int would fail there.
    from sincos.fast import Adam
    from sincos.model import tf

    hp = Hyperparams(learning_rate=1)
    weight = tf.Variable([0.5, -0.5])
    Adam([weight], hp.learning_rate).apply([tf.constant([1.0, -1.0])])
    np.testing.assert_allclose(weight.numpy(), [-0.5, 0.5], rtol=1e-6)


@pytest.mark.parametrize("field", ["batch_start", "seed"])
def test_start_and_seed_must_be_non_negative(field):
    with pytest.raises(
        ValueError, match=f"^{field} must be a non-negative integer, got -1"
    ):
        Hyperparams(**{field: -1})
    assert getattr(Hyperparams(**{field: 0}), field) == 0


@pytest.mark.parametrize("field", ["input_size", "output_size"])
def test_feature_sizes_must_match_the_data(field):
    with pytest.raises(
        ValueError, match=f"^{field} must be 1: the data has one .*got 2"
    ):
        Hyperparams(**{field: 2})
