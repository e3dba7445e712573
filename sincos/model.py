"""The network: in_hidden Dense -> LSTM -> out_hidden Dense, with the LSTM state explicit.

Explained in the chapter "The LSTMRNN" (notebooks/03_model.ipynb).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ._tf import import_tensorflow
from .config import Hyperparams

tf = import_tensorflow()
import keras  # noqa: E402  (after the quiet TensorFlow import)

State = tuple[tf.Tensor, tf.Tensor]


def lstm_init_limit(cell_size: int) -> float:
    """TF1's ``BasicLSTMCell`` draws its one fused kernel, shape (2H, 4H) for an input
    of H features, from glorot-uniform: limit sqrt(6 / (2H + 4H)) = 1 / sqrt(H)."""
    return math.sqrt(6.0 / (2 * cell_size + 4 * cell_size))


class LSTMRNN(keras.Model):
    """The tutorial's LSTMRNN with the state passed in and out explicitly.

    ``pred, (h, c) = model(seq, state)``: ``seq`` is (batch, time_steps, 1);
    ``state=None`` starts from zeros; ``pred`` is (batch, time_steps, 1) and
    ``h, c`` are the LSTM's state after the last time step, each (batch, cell_size).

    Initialisation follows the tutorial: the two Dense layers draw weights from
    N(0, 1) and start their biases at 0.1; the LSTM matches TF1's
    ``BasicLSTMCell(forget_bias=1.0)``: kernels uniform in +-1/sqrt(cell_size),
    zero biases except the forget gate's, which starts at 1.
    """

    def __init__(self, hp: Hyperparams | None = None) -> None:
        super().__init__(name="LSTMRNN")
        self.hp = hp = hp or Hyperparams()
        seed = hp.seed * 10  # one seed per initialiser, all fixed by hp.seed
        limit = lstm_init_limit(hp.cell_size)
        self.in_hidden = keras.layers.Dense(
            hp.cell_size, name="in_hidden",
            kernel_initializer=keras.initializers.RandomNormal(0.0, 1.0, seed=seed),
            bias_initializer=keras.initializers.Constant(0.1))
        self.lstm = keras.layers.LSTM(
            hp.cell_size, name="LSTM_cell", return_sequences=True, return_state=True,
            kernel_initializer=keras.initializers.RandomUniform(-limit, limit, seed=seed + 1),
            recurrent_initializer=keras.initializers.RandomUniform(-limit, limit, seed=seed + 2),
            unit_forget_bias=True)
        self.out_hidden = keras.layers.Dense(
            hp.output_size, name="out_hidden",
            kernel_initializer=keras.initializers.RandomNormal(0.0, 1.0, seed=seed + 3),
            bias_initializer=keras.initializers.Constant(0.1))
        self.in_hidden.build((None, None, hp.input_size))
        self.lstm.build((None, None, hp.cell_size))
        self.out_hidden.build((None, None, hp.cell_size))
        self.built = True

    def call(self, seq, state: State | None = None):
        x = self.in_hidden(seq)
        if state is None:
            zeros = tf.zeros((tf.shape(seq)[0], self.hp.cell_size), seq.dtype)
            state = (zeros, zeros)
        out, h, c = self.lstm(x, initial_state=list(state))
        return self.out_hidden(out), (h, c)

    def weight_variables(self) -> list[tf.Variable]:
        """The seven trainable tf.Variables in a fixed order: in_hidden kernel and bias,
        LSTM kernel, recurrent kernel and bias, out_hidden kernel and bias."""
        cell = self.lstm.cell
        keras_vars = [self.in_hidden.kernel, self.in_hidden.bias, cell.kernel,
                      cell.recurrent_kernel, cell.bias, self.out_hidden.kernel,
                      self.out_hidden.bias]
        return [v.value for v in keras_vars]


def fused_forward(weights: Sequence, seq, h, c):
    """The same function as ``LSTMRNN.call``, written with TensorFlow's fused LSTM op.

    ``weights`` are ``LSTMRNN.weight_variables()``. The LSTM runs as one
    ``BlockLSTM`` op (TF1's fused LSTM kernel, and one op for its gradient)
    instead of a loop of small ops. The linear in_hidden layer is folded into the
    op's input weights, which are stacked on the recurrent kernel with the gates
    reordered from Keras's i, f, c, o to the op's i, c, f, o; the forget bias of 1
    is already in Keras's bias, so the op adds none. Name scopes follow the
    original graph. Returns ``pred, (h, c)``.
    """
    pred, state = fused_forward_time_major(weights, tf.transpose(seq, [1, 0, 2]), h, c)
    return tf.transpose(pred, [1, 0, 2]), state


def fused_forward_time_major(weights: Sequence, seq, h, c):
    """``fused_forward`` on time-major data: ``seq`` and the returned ``pred`` are
    (time_steps, batch, features), the layout the fused op works in."""
    w_in, b_in, kernel, recurrent, bias, w_out, b_out = weights
    steps, batch, _ = seq.shape
    units = bias.shape[0] // 4
    with tf.name_scope("in_hidden"):
        # in_hidden is linear, so it folds into the LSTM's input weights:
        # (x W_in + b_in) K + b = x (W_in K) + (b_in K + b). The fused op then reads
        # one feature per step instead of cell_size: the same function, less work.
        kernel_x = tf.matmul(w_in, kernel)
        bias_x = tf.linalg.matvec(kernel, b_in, transpose_a=True) + bias
    with tf.name_scope("LSTM_cell"):
        to_icfo = tf.constant(gate_permutation(units))
        zeros = tf.zeros((units,))
        outs = tf.raw_ops.BlockLSTM(
            seq_len_max=tf.constant(steps, tf.int64), x=seq, cs_prev=c, h_prev=h,
            w=tf.matmul(tf.concat([kernel_x, recurrent], 0), to_icfo),
            wci=zeros, wcf=zeros, wco=zeros,
            b=tf.linalg.matvec(to_icfo, bias_x, transpose_a=True),
            forget_bias=0.0, cell_clip=-1.0, use_peephole=False)
        cs, hs = outs[1], outs[6]
    with tf.name_scope("out_hidden"):
        pred = tf.reshape(tf.matmul(tf.reshape(hs, (-1, units)), w_out) + b_out,
                          (steps, batch, w_out.shape[1]))
    return pred, (hs[-1], cs[-1])


def gate_permutation(units: int) -> np.ndarray:
    """The 0/1 matrix P with ``w @ P`` = ``w``'s gate blocks reordered from Keras's
    i, f, c, o to i, c, f, o (TF1's i, j, f, o). Multiplying by it is exact."""
    order = np.concatenate([np.arange(units) + k * units for k in (0, 2, 1, 3)])
    return np.eye(4 * units, dtype=np.float32)[:, order]


def from_tf1_weights(w_in, b_in, kernel, bias, w_out, b_out, forget_bias: float = 1.0,
                     gate_order: Sequence[int] = (0, 2, 1, 3)) -> list[np.ndarray]:
    """The TF1 tutorial's weights in ``LSTMRNN.weight_variables()`` order.

    ``kernel`` is ``BasicLSTMCell``'s fused (input + H, 4H) matrix with rows [x; h]
    and gate blocks i, j, f, o, ``bias`` its (4H,) bias. Keras keeps the x rows
    (kernel) and the h rows (recurrent kernel) apart, orders the blocks i, f, c (= j),
    o, and holds TF1's constant ``forget_bias`` in its trainable bias (same gradients).
    ``gate_order`` names the TF1 block for each Keras block; change it, or
    ``forget_bias``, only to see a wrong mapping fail.

    Explained in the chapter "From TF1 to TF2" (notebooks/07_tf1_to_tf2.ipynb)."""
    kernel, bias = np.asarray(kernel, np.float32), np.asarray(bias, np.float32)
    units = bias.shape[0] // 4
    kernel = np.concatenate([np.split(kernel, 4, axis=1)[k] for k in gate_order], axis=1)
    bias = np.concatenate([np.split(bias, 4)[k] for k in gate_order])
    bias[units:2 * units] += np.float32(forget_bias)  # Keras's forget block
    return [np.asarray(w_in, np.float32), np.asarray(b_in, np.float32), kernel[:-units],
            kernel[-units:], bias, np.asarray(w_out, np.float32), np.asarray(b_out, np.float32)]


def numpy_weights(model: LSTMRNN) -> list[np.ndarray]:
    """Copies of ``model.weight_variables()`` as numpy arrays."""
    return [v.numpy() for v in model.weight_variables()]
