import numpy as np
import pytest

from sincos import LSTMRNN, Hyperparams, compute_cost
from sincos.fast import (
    fused_forward,
    gate_permutation,
    numpy_weights,
    weight_variables,
)
from sincos.model import lstm_init_limit, tf


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def numpy_lstmrnn(weights, seq, h, c):
    """The network written out in numpy: Dense per step, the LSTM recurrence
    with Keras's gate order i, f, c, o, Dense per step."""
    w_in, b_in, kernel, recurrent, bias, w_out, b_out = (
        w.astype(np.float64) for w in weights
    )
    x = seq.astype(np.float64) @ w_in + b_in
    outputs = []
    for t in range(seq.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent + bias
        i, f, g, o = np.split(z, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1) @ w_out + b_out, (h, c)


@pytest.fixture(scope="module")
def random_case():
    rng = np.random.default_rng(0)
    hp = Hyperparams(time_steps=9, batch_size=4, cell_size=6, seed=3)
    model = LSTMRNN(hp)
    for w in weight_variables(model):  # away from the special initial values
        w.assign(w + rng.normal(scale=0.3, size=w.shape).astype(np.float32))
    seq = rng.normal(size=(4, 9, 1)).astype(np.float32)
    h = rng.normal(size=(4, 6)).astype(np.float32)
    c = rng.normal(size=(4, 6)).astype(np.float32)
    return model, seq, h, c


def test_model_matches_a_numpy_forward_pass(random_case):
    model, seq, h, c = random_case
    pred, (h_out, c_out) = model(seq, (h, c))
    want, (want_h, want_c) = numpy_lstmrnn(numpy_weights(model), seq, h, c)
    np.testing.assert_allclose(pred, want, atol=1e-5)
    np.testing.assert_allclose(h_out, want_h, atol=1e-5)
    np.testing.assert_allclose(c_out, want_c, atol=1e-5)


def test_fused_forward_computes_the_models_function(random_case):
    model, seq, h, c = random_case
    pred, (h_out, c_out) = model(seq, (h, c))
    fused, (fused_h, fused_c) = fused_forward(
        weight_variables(model), tf.constant(seq), h, c
    )
    np.testing.assert_allclose(fused, pred, atol=1e-5)
    np.testing.assert_allclose(fused_h, h_out, atol=1e-5)
    np.testing.assert_allclose(fused_c, c_out, atol=1e-5)


def test_fused_forward_has_the_models_gradients(random_case):
    model, seq, h, c = random_case
    target = np.cos(seq)
    weights = weight_variables(model)
    grads = []
    for forward in (
        lambda: model(seq, (h, c))[0],
        lambda: fused_forward(weights, tf.constant(seq), h, c)[0],
    ):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(forward() - target))
        grads.append(tape.gradient(loss, weights))
    for keras_grad, fused_grad in zip(*grads, strict=True):
        np.testing.assert_allclose(
            fused_grad, keras_grad, rtol=1e-4, atol=1e-4
        )


def test_state_none_means_zeros(random_case):
    model, seq, _, _ = random_case
    zeros = np.zeros((4, 6), np.float32)
    np.testing.assert_array_equal(model(seq)[0], model(seq, (zeros, zeros))[0])


def test_initialisation_follows_the_tutorial():
    hp = Hyperparams(cell_size=40)
    w_in, b_in, kernel, recurrent, bias, w_out, b_out = numpy_weights(
        LSTMRNN(hp)
    )
    assert abs(w_in.std() - 1) < 0.3 and abs(w_out.std() - 1) < 0.3
    assert np.all(b_in == np.float32(0.1)) and np.all(b_out == np.float32(0.1))
    limit = lstm_init_limit(40)
    assert limit == pytest.approx(1 / np.sqrt(40))
    for k in (kernel, recurrent):
        assert np.abs(k).max() <= limit and np.abs(k).max() > 0.9 * limit
    i, f, g, o = np.split(bias, 4)
    assert np.all(f == 1) and not (i.any() or g.any() or o.any())


def drawn_matrices(model) -> dict[str, np.ndarray]:
    """Every weight of ``model`` drawn at random (not a constant), by
    path."""
    return {
        v.path: v.numpy().ravel()
        for v in model.trainable_variables
        if np.unique(v.numpy()).size > 2
    }


def seeded_models():
    from sincos import tutorial
    from sincos.experiments import SimpleRNNModel

    hp = Hyperparams(cell_size=12, seed=2)
    return {
        "LSTMRNN": lambda: LSTMRNN(hp),
        "SimpleRNNModel": lambda: SimpleRNNModel(hp),
        "tutorial.LSTMRNN": tutorial.LSTMRNN,
    }


@pytest.mark.parametrize("name", list(seeded_models()))
def test_every_drawn_matrix_has_a_seed_of_its_own(name):
    # Two initialisers with one seed draw the same numbers: the same matrix,
    # or one a (scaled) copy of the start of the other, whatever their
    # shapes. Independent draws are uncorrelated.
    matrices = drawn_matrices(seeded_models()[name]())
    assert len(matrices) == 4, sorted(matrices)  # in, kernel, recurrent, out
    paths = sorted(matrices)
    for k, a in enumerate(paths):
        for b in paths[k + 1 :]:
            n = min(matrices[a].size, matrices[b].size)
            r = np.corrcoef(matrices[a][:n], matrices[b][:n])[0, 1]
            assert abs(r) < 0.99, (
                f"{name}: {b} repeats the first {n} values of {a} "
                f"(correlation {r:.4f}): drawn with the same seed?"
            )


def test_seed_fixes_the_weights():
    same = [numpy_weights(LSTMRNN(Hyperparams(seed=5))) for _ in range(2)]
    other = numpy_weights(LSTMRNN(Hyperparams(seed=6)))
    for a, b in zip(*same, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(same[0][0], other[0])


def test_layers_carry_the_original_scope_names_and_parameter_count():
    model = LSTMRNN()
    assert [layer.name for layer in model.layers] == [
        "in_hidden",
        "LSTM_cell",
        "out_hidden",
    ]
    assert model.count_params() == (1 * 10 + 10) + (2 * 10 * 40 + 40) + (
        10 + 1
    )


def test_gate_permutation_moves_blocks_exactly():
    blocks = np.arange(4, dtype=np.float32)  # i f c o
    w = np.repeat(blocks, 3)[np.newaxis]
    np.testing.assert_array_equal(
        w @ gate_permutation(3), [[0, 0, 0, 2, 2, 2, 1, 1, 1, 3, 3, 3]]
    )


def test_cost_is_time_steps_times_mse():
    rng = np.random.default_rng(1)
    pred, res = rng.normal(size=(2, 50, 20, 1)).astype(np.float32)
    sse = np.sum((pred.astype(np.float64) - res) ** 2)
    assert float(compute_cost(pred, res)) == pytest.approx(sse / 50, rel=1e-6)
    assert float(compute_cost(pred, res)) == pytest.approx(
        20 * np.mean((pred - res) ** 2), rel=1e-5
    )
