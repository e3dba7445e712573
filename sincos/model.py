"""The network and its cost: in_hidden Dense -> LSTM -> out_hidden Dense.

Explained in the chapter "The LSTMRNN" (notebooks/03_model.ipynb).
"""

from __future__ import annotations

import math

from ._tf import import_tensorflow
from .config import Hyperparams

tf = import_tensorflow()
import keras  # noqa: E402  (after the quiet TensorFlow import)


def lstm_init_limit(cell_size: int) -> float:
    """TF1's ``BasicLSTMCell`` draws its fused kernel, shape (2H, 4H) for an
    input of H features, from glorot-uniform:
    sqrt(6 / (2H + 4H)) = 1/sqrt(H)."""
    return math.sqrt(6.0 / (2 * cell_size + 4 * cell_size))


def dense_initializers(seed: int) -> dict:
    """The tutorial's dense layers: weights from N(0, 1), biases 0.1."""
    return {
        "kernel_initializer": keras.initializers.RandomNormal(0, 1, seed),
        "bias_initializer": keras.initializers.Constant(0.1),
    }


def lstm_initializers(cell_size: int, seed: int) -> dict:
    """TF1's BasicLSTMCell: both kernels uniform in +-1/sqrt(cell_size),
    zero biases but the forget gate's, which starts at 1."""
    limit = lstm_init_limit(cell_size)
    uniform = keras.initializers.RandomUniform
    return {
        "kernel_initializer": uniform(-limit, limit, seed),
        "recurrent_initializer": uniform(-limit, limit, seed + 1),
        "unit_forget_bias": True,
    }


class LSTMRNN(keras.Model):
    """The tutorial's network, with the LSTM state passed in and out.

    ``pred, (h, c) = model(seq, state)``: seq is (batch, time_steps, 1),
    state is (h, c), each (batch, cell_size), or None for zeros.
    """

    def __init__(self, hp: Hyperparams | None = None) -> None:
        super().__init__(name="LSTMRNN")
        self.hp = hp = hp or Hyperparams()
        seed = 10 * hp.seed  # one seed per initialiser, all fixed by hp.seed
        self.in_hidden = keras.layers.Dense(
            hp.cell_size, name="in_hidden", **dense_initializers(seed)
        )
        self.lstm = keras.layers.LSTM(
            hp.cell_size,
            name="LSTM_cell",
            return_sequences=True,  # an output at every time step
            return_state=True,  # and the final (h, c)
            **lstm_initializers(hp.cell_size, seed + 1),
        )
        self.out_hidden = keras.layers.Dense(
            hp.output_size, name="out_hidden", **dense_initializers(seed + 3)
        )
        self.build((None, None, hp.input_size))

    def build(self, input_shape) -> None:
        cells = self.hp.cell_size
        self.in_hidden.build(input_shape)
        self.lstm.build((*input_shape[:-1], cells))
        self.out_hidden.build((*input_shape[:-1], cells))
        self.built = True

    def zero_state(self, batch_size: int):
        """The state a sequence starts from: h and c all zeros."""
        zeros = tf.zeros((batch_size, self.hp.cell_size))
        return zeros, zeros

    def call(self, seq, state=None):
        if state is None:
            state = self.zero_state(tf.shape(seq)[0])
        x = self.in_hidden(seq)  # (batch, steps, cell_size)
        outputs, h, c = self.lstm(x, initial_state=list(state))
        return self.out_hidden(outputs), (h, c)


def compute_cost(pred, res):
    """The tutorial's cost: the squared errors of the whole batch summed and
    divided by its number of rows (= time_steps x the mean squared error)."""
    pred = tf.cast(pred, tf.float32)
    res = tf.cast(res, tf.float32)
    rows = tf.cast(tf.shape(res)[0], tf.float32)
    return tf.reduce_sum(tf.square(pred - res)) / rows
