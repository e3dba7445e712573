"""The port against the original: TF1's numbers, replayed by this project.

``sincos/tf1_reference.npz`` was written by ``scripts/tf1_reference.py``: the
tutorial's TF1 graph (``BasicLSTMCell``, ``dynamic_rnn``, ``AdamOptimizer``)
run for 200 iterations with the LSTM state fed back. It holds the initial
weights in TF1's layout and the 200 costs. Started from the same weights,
``Trainer`` must produce the same 200 costs; and the mapping must matter, so
that a wrong one fails.
"""

from __future__ import annotations

import numpy as np
import pytest

from sincos import LSTMRNN, Hyperparams, Trainer, compute_cost, make_batch
from sincos.fast import weight_variables
from sincos.tf1 import TF1_WEIGHTS, from_tf1_weights, load_reference

# The two programs round differently (another LSTM kernel, the input layer
# folded into it), and training amplifies the difference: measured here, the
# largest relative error is 2.0e-5 over the first 50 costs and 3.8e-4 over
# all 200 (1.7e-5 and 2.6e-4 with ONEDNN_MAX_CPU_ISA=SSE41). Adam with
# epsilon 1e-7 instead of TF1's 1e-8 gives 1.5e-4 over the first 50 (both
# ways) and 1.1e-3 to 1.4e-3 over 200: the first 50 tell them apart, the 200
# do not reliably. sincos.fast.Adam's formula is checked directly in
# tests/test_fast.py.
RTOL_50 = 5e-5  # 2.5x the clean error, a third of a wrong epsilon's
RTOL_200 = 1e-3  # 2.7x the clean error


@pytest.fixture(scope="module")
def reference():
    """The recorded run, shared by the tests of this module: read-only, so
    that code which changed an array in place would fail where it does it
    instead of changing what the next test sees."""
    ref = load_reference()
    for value in ref.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return ref


def tf1_weights(ref):
    return [ref[k] for k in TF1_WEIGHTS]


def replay(ref, **mapping) -> np.ndarray:
    """The 200 costs of this project's trainer started from TF1's initial
    weights."""
    trainer = Trainer(Hyperparams(**ref["meta"]["hyperparams"]))
    trainer.set_initial_weights(from_tf1_weights(*tf1_weights(ref), **mapping))
    return np.asarray(trainer.run(len(ref["costs"])), np.float64)


def max_relative_error(costs, ref_costs) -> float:
    return float(np.max(np.abs(costs - ref_costs) / np.abs(ref_costs)))


@pytest.fixture(scope="module")
def replayed(reference):
    return replay(reference)


def test_reference_file_is_what_the_tests_expect(reference):
    hp = Hyperparams()
    assert reference["meta"]["hyperparams"] == hp.as_dict()
    assert reference["lstm_kernel"].shape == (
        2 * hp.cell_size,
        4 * hp.cell_size,
    )
    assert (
        reference["costs"].shape == (200,)
        and reference["costs"].dtype == np.float64
    )


def test_first_cost_from_keras_model_matches_tf1(reference):
    # The Keras layers themselves (not the trainer's fused op): one forward
    # pass of the first batch from the zero state, before any update.
    hp = Hyperparams(**reference["meta"]["hyperparams"])
    model = LSTMRNN(hp)
    for var, value in zip(
        weight_variables(model),
        from_tf1_weights(*tf1_weights(reference)),
        strict=True,
    ):
        var.assign(value)
    batch = make_batch(hp.batch_start, hp.time_steps, hp.batch_size)
    pred, _ = model(batch.seq)
    cost = float(compute_cost(pred, batch.res))
    assert cost == pytest.approx(reference["costs"][0], rel=1e-5)


@pytest.mark.parametrize("iterations, rtol", [(50, RTOL_50), (200, RTOL_200)])
def test_trainer_reproduces_the_tf1_costs(
    reference, replayed, iterations, rtol
):
    error = max_relative_error(
        replayed[:iterations], reference["costs"][:iterations]
    )
    assert error < rtol, (
        f"max relative error over {iterations} costs: {error:.2e}"
    )


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param(
            {"gate_order": (0, 1, 2, 3)}, id="tf1-gate-order-unmapped"
        ),
        pytest.param(
            {"gate_order": (0, 2, 3, 1)}, id="output-and-candidate-swapped"
        ),
        pytest.param({"forget_bias": 0.0}, id="forget-bias-dropped"),
    ],
)
def test_a_wrong_mapping_does_not_match(reference, wrong):
    error = max_relative_error(replay(reference, **wrong), reference["costs"])
    assert error > 1e-1, (
        f"a wrong mapping {wrong} still matched TF1 to {error:.2e}"
    )


# TF1's gate blocks i, j, f, o; Keras's i, f, c (= j), o: Keras block m is
# TF1 block KERAS_FROM_TF1[m].
KERAS_FROM_TF1 = (0, 2, 1, 3)


def tf1_blocks(units=3, seed=0):
    """TF1 weights whose kernel and bias blocks are told apart by value:
    column block k of the kernel holds 100 * row + k, bias block k holds
    10 + k (TF1's own initial bias is all zeros, which hides a bias left
    in TF1's order). float32, as ``load_reference`` gives them, so that
    ``np.asarray`` would not copy them."""
    rng = np.random.default_rng(seed)
    block = np.repeat(np.arange(4, dtype=np.float32), units)  # (4H,)
    rows = 100 * np.arange(1 + units, dtype=np.float32)[:, np.newaxis]
    return [
        rng.normal(size=(1, units)).astype(np.float32),  # w_in
        rng.normal(size=units).astype(np.float32),  # b_in
        rows + block,  # kernel: rows [x; h], (1 + H, 4H)
        10 + block,  # bias
        rng.normal(size=(units, 1)).astype(np.float32),  # w_out
        rng.normal(size=1).astype(np.float32),  # b_out
    ]


def block_columns(gate_order, units):
    """The columns of a TF1 matrix that make Keras's, block by block."""
    return np.concatenate([np.arange(units) + k * units for k in gate_order])


@pytest.mark.parametrize(
    "gate_order", [KERAS_FROM_TF1, (3, 1, 0, 2)], ids=["keras", "other"]
)
def test_bias_blocks_move_with_the_kernel_blocks(gate_order):
    units, forget_bias = 3, 0.25
    tf1 = tf1_blocks(units)
    w_in, b_in, kernel, recurrent, bias, w_out, b_out = from_tf1_weights(
        *tf1, forget_bias=forget_bias, gate_order=gate_order
    )
    # Every column of the kernel and of the recurrent kernel is its TF1
    # block's, whose bias must sit at the same column; forget_bias is added
    # to Keras's forget block, the second, whichever TF1 block moved there.
    np.testing.assert_array_equal(
        kernel, tf1[2][:1][:, block_columns(gate_order, units)]
    )
    np.testing.assert_array_equal(
        recurrent, tf1[2][1:][:, block_columns(gate_order, units)]
    )
    moved = kernel[0] % 100  # the TF1 block of each column
    forget = np.zeros(4 * units, np.float32)
    forget[units : 2 * units] = forget_bias
    np.testing.assert_array_equal(
        bias,
        10 + moved + forget,
        err_msg=f"gate_order={gate_order}: the bias blocks did not move "
        "as the kernel's did",
    )
    for got, given in ((w_in, tf1[0]), (b_in, tf1[1]), (w_out, tf1[4])):
        np.testing.assert_array_equal(got, given)
    np.testing.assert_array_equal(b_out, tf1[5])


def test_the_default_mapping_is_kerass_gate_order():
    units = 3
    *_, bias, _, _ = from_tf1_weights(*tf1_blocks(units), forget_bias=0.0)
    assert [int(b) - 10 for b in bias[::units]] == list(KERAS_FROM_TF1)


def test_from_tf1_weights_changes_none_of_its_inputs():
    given = tf1_blocks()
    kept = [a.copy() for a in given]
    from_tf1_weights(*given)
    from_tf1_weights(*given, forget_bias=0.0, gate_order=(0, 1, 2, 3))
    for name, now, before in zip(TF1_WEIGHTS, given, kept, strict=True):
        np.testing.assert_array_equal(
            now, before, err_msg=f"from_tf1_weights changed {name} in place"
        )
