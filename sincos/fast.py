"""The fast engine: the tutorial's training run through TensorFlow's fused LSTM
kernel in one compiled loop. The same function as ``LSTMRNN`` and the same Adam
update as the readable ``sincos.training``, several times faster per
iteration; the widgets and the experiments train with it.

Explained in the chapter "Making it fast" (notebooks/09_making_it_fast.ipynb).
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import Hyperparams
from .data import X_SCALE, Batch, SinCosBatches, make_batch
from .model import LSTMRNN, tf

CHECKPOINT_FORMAT = "sincos-trainer-1"


def weight_variables(model: LSTMRNN) -> list[tf.Variable]:
    """The model's seven trainable tf.Variables in a fixed order: in_hidden
    kernel and bias, LSTM kernel, recurrent kernel and bias, out_hidden kernel
    and bias."""
    cell = model.lstm.cell
    keras_vars = [
        model.in_hidden.kernel,
        model.in_hidden.bias,
        cell.kernel,
        cell.recurrent_kernel,
        cell.bias,
        model.out_hidden.kernel,
        model.out_hidden.bias,
    ]
    return [v.value for v in keras_vars]


def fused_forward(weights: Sequence, seq, h, c):
    """The same function as ``LSTMRNN.call``, written with TensorFlow's
    fused LSTM op.

    ``weights`` are ``weight_variables(model)``. The LSTM runs as one
    ``BlockLSTM`` op (TF1's fused LSTM kernel, and one op for its gradient)
    instead of a loop of small ops. The linear in_hidden layer is folded into
    the op's input weights, which are stacked on the recurrent kernel with
    the gates reordered from Keras's i, f, c, o to the op's i, c, f, o; the
    forget bias of 1 is already in Keras's bias, so the op adds none. Name
    scopes follow the original graph. Returns ``pred, (h, c)``.
    """
    pred, state = fused_forward_time_major(
        weights, tf.transpose(seq, [1, 0, 2]), h, c
    )
    return tf.transpose(pred, [1, 0, 2]), state


def fused_forward_time_major(weights: Sequence, seq, h, c):
    """``fused_forward`` on time-major data: ``seq`` and the returned
    ``pred`` are (time_steps, batch, features), the layout the fused op
    works in."""
    w_in, b_in, kernel, recurrent, bias, w_out, b_out = weights
    steps, batch, _ = seq.shape
    units = bias.shape[0] // 4
    with tf.name_scope("in_hidden"):
        # in_hidden is linear, so it folds into the LSTM's input weights:
        # (x W_in + b_in) K + b = x (W_in K) + (b_in K + b). The fused op then
        # reads one feature per step instead of cell_size: the same function,
        # less work.
        kernel_x = tf.matmul(w_in, kernel)
        bias_x = tf.linalg.matvec(kernel, b_in, transpose_a=True) + bias
    with tf.name_scope("LSTM_cell"):
        to_icfo = tf.constant(gate_permutation(units))
        zeros = tf.zeros((units,))
        outs = tf.raw_ops.BlockLSTM(
            seq_len_max=tf.constant(steps, tf.int64),
            x=seq,
            cs_prev=c,
            h_prev=h,
            w=tf.matmul(tf.concat([kernel_x, recurrent], 0), to_icfo),
            wci=zeros,
            wcf=zeros,
            wco=zeros,
            b=tf.linalg.matvec(to_icfo, bias_x, transpose_a=True),
            forget_bias=0.0,
            cell_clip=-1.0,
            use_peephole=False,
        )
        cs, hs = outs[1], outs[6]
    with tf.name_scope("out_hidden"):
        pred = tf.reshape(
            tf.matmul(tf.reshape(hs, (-1, units)), w_out) + b_out,
            (steps, batch, w_out.shape[1]),
        )
    return pred, (hs[-1], cs[-1])


def gate_permutation(units: int) -> np.ndarray:
    """The 0/1 matrix P with ``w @ P`` = ``w``'s gate blocks reordered from
    Keras's i, f, c, o to i, c, f, o (TF1's i, j, f, o). Multiplying by it is
    exact."""
    order = np.concatenate(
        [np.arange(units) + k * units for k in (0, 2, 1, 3)]
    )
    return np.eye(4 * units, dtype=np.float32)[:, order]


def numpy_weights(model: LSTMRNN) -> list[np.ndarray]:
    """Copies of ``weight_variables(model)`` as numpy arrays."""
    return [v.numpy() for v in weight_variables(model)]


@dataclass(frozen=True)
class StepResult:
    """One training iteration: its number (from 0, like the tutorial's
    ``i``), the cost before the update, the prediction for the batch, and the
    batch."""

    iteration: int
    cost: float
    pred: np.ndarray
    batch: Batch


class Adam:
    """Adam with TF1's defaults (epsilon 1e-8), updating with TensorFlow's
    fused ``ResourceApplyAdam`` op, the op TF1's ``AdamOptimizer`` ran:
    m <- m + (g - m)(1 - b1); v <- v + (g^2 - v)(1 - b2);
    w <- w - lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)."""

    def __init__(
        self,
        variables: Sequence[tf.Variable],
        learning_rate: float,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
    ) -> None:
        self.variables = list(variables)
        self.learning_rate, self.beta_1, self.beta_2, self.epsilon = (
            learning_rate,
            beta_1,
            beta_2,
            epsilon,
        )
        self.m = [
            tf.Variable(tf.zeros_like(v), trainable=False)
            for v in self.variables
        ]
        self.v = [
            tf.Variable(tf.zeros_like(v), trainable=False)
            for v in self.variables
        ]
        self.t = tf.Variable(0.0, trainable=False)

    def apply(self, grads: Sequence[tf.Tensor]) -> None:
        t = self.t.assign_add(1.0)
        beta_1, beta_2 = tf.constant(self.beta_1), tf.constant(self.beta_2)
        for var, g, m, v in zip(
            self.variables, grads, self.m, self.v, strict=True
        ):
            tf.raw_ops.ResourceApplyAdam(
                var=var.handle,
                m=m.handle,
                v=v.handle,
                beta1_power=beta_1**t,
                beta2_power=beta_2**t,
                lr=tf.constant(self.learning_rate),
                beta1=beta_1,
                beta2=beta_2,
                epsilon=tf.constant(self.epsilon),
                grad=g,
            )

    def slots(self) -> list[tf.Variable]:
        return [*self.m, *self.v, self.t]


class Trainer:
    """Owns the model, the optimizer, the batches and the carried LSTM state.

    ``step()`` trains one iteration and returns a ``StepResult``; ``run(n)``
    trains ``n``. With ``stateful=True`` (the tutorial's way) each batch
    starts from the state the previous batch ended in; with
    ``stateful=False`` from zeros. ``stateful`` may be switched between
    steps.

    Training runs the model's own weights through ``fused_forward`` (the same
    function as the Keras layers) in one compiled loop, traced once, that
    makes the batches in the graph and carries the state inside: ``run(n)``
    is one call for ``n`` iterations, ``step()`` is ``run(1)`` with the
    iteration's details.
    """

    def __init__(
        self, hp: Hyperparams | None = None, stateful: bool = True
    ) -> None:
        self.hp = hp = hp or Hyperparams()
        self.stateful = bool(stateful)
        self.model = LSTMRNN(hp)
        self.batches = SinCosBatches(hp)
        self._weights = weight_variables(self.model)
        self._initial = [w.numpy() for w in self._weights]
        self.adam = Adam(self._weights, hp.learning_rate)
        state = tf.TensorSpec((hp.batch_size, hp.cell_size), tf.float32)
        self._run_fn = tf.function(
            self._run_graph,
            autograph=False,
            input_signature=[
                tf.TensorSpec((), tf.int64),
                tf.TensorSpec((), tf.int32),
                state,
                state,
                tf.TensorSpec((), tf.float32),
            ],
        )
        self._run_concrete = (
            None  # traced on first use; called directly after that
        )
        self.history: list[float] = []
        self.last: StepResult | None = None
        self.state = self._zero_state()

    # -- public API --------------------------------------------------------

    @property
    def iteration(self) -> int:
        """How many iterations have been trained since the start (or the
        last reset)."""
        return len(self.history)

    def step(self) -> StepResult:
        """Train one iteration on the next batch and return what happened."""
        self._train(1)
        assert self.last is not None
        return self.last

    def run(
        self, n: int, callback: Callable[[StepResult], object] | None = None
    ) -> list[float]:
        """Train ``n`` iterations and return their costs. Without a
        ``callback`` all ``n`` run in one call of the compiled loop; with one,
        every iteration is a ``step()`` and the callback gets its
        ``StepResult``."""
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        if callback is None:
            return self._train(int(n))
        costs = []
        for _ in range(n):
            result = self.step()
            costs.append(result.cost)
            callback(result)
        return costs

    def reset(self) -> None:
        """Back to the exact start: initial weights, fresh optimizer, first
        batch, zero state."""
        for w, value in zip(self._weights, self._initial, strict=True):
            w.assign(value)
        for slot in self.adam.slots():
            slot.assign(tf.zeros_like(slot))
        self.batches.reset()
        self.state = self._zero_state()
        self.history = []
        self.last = None

    def iteration_graph(self):
        """One training iteration as a ``tf.Graph`` with the original's scope
        names (inputs, in_hidden, LSTM_cell, out_hidden, cost, train), for
        TensorBoard."""
        hp = self.hp
        window = tf.TensorSpec((hp.time_steps, hp.batch_size, 1), tf.float32)
        state = tf.TensorSpec((hp.batch_size, hp.cell_size), tf.float32)
        once = tf.function(self._train_once, autograph=False)
        return once.get_concrete_function(
            window, window, state, state, tf.TensorSpec((), tf.float32)
        ).graph

    def set_initial_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Start from these weights (in ``weight_variables(model)`` order)
        instead of the seeded ones, and reset to them: ``reset()`` returns
        here too."""
        weights = [np.asarray(w, np.float32) for w in weights]
        shapes = [tuple(v.shape) for v in self._weights]
        if [w.shape for w in weights] != shapes:
            raise ValueError(
                f"expected weights shaped {shapes},"
                f" got {[w.shape for w in weights]}"
            )
        self._initial = weights
        self.reset()

    def predict(self, seq: np.ndarray, state=None) -> tuple[np.ndarray, tuple]:
        """The model's prediction for ``seq`` from ``state`` (zeros if None),
        without training."""
        pred, state = self.model(tf.constant(seq, tf.float32), state)
        return pred.numpy(), state

    # -- saving and resuming -----------------------------------------------

    def save(self, path: str | os.PathLike) -> Path:
        """Write weights, optimizer state, data position, carried state and
        history to one ``.npz`` file; ``Trainer.load(path)`` continues exactly
        where this stopped."""
        path = Path(path)
        arrays = {
            f"weight_{i}": w.numpy() for i, w in enumerate(self._weights)
        }
        arrays |= {
            f"slot_{i}": s.numpy() for i, s in enumerate(self.adam.slots())
        }
        arrays |= {
            "h": self.state[0].numpy(),
            "c": self.state[1].numpy(),
            "history": np.asarray(self.history, np.float64),
            "meta": np.array(
                json.dumps(
                    {
                        "format": CHECKPOINT_FORMAT,
                        "hp": self.hp.as_dict(),
                        "stateful": self.stateful,
                        "start": self.batches.start,
                    }
                )
            ),
        }
        arrays |= {f"initial_{i}": w for i, w in enumerate(self._initial)}
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> Trainer:
        """A trainer restored from a file written by ``save``."""
        meta, arrays = _read_checkpoint(Path(path))
        try:
            hp = Hyperparams(**meta["hp"])
            trainer = cls(hp, stateful=meta["stateful"])
            for i, w in enumerate(trainer._weights):
                w.assign(arrays[f"weight_{i}"])
                trainer._initial[i] = arrays[f"initial_{i}"]
            for i, s in enumerate(trainer.adam.slots()):
                s.assign(arrays[f"slot_{i}"])
            if {arrays["h"].shape, arrays["c"].shape} != {
                (hp.batch_size, hp.cell_size)
            }:
                raise ValueError(
                    f"state shaped {arrays['h'].shape}, {arrays['c'].shape}"
                )
            trainer.state = (
                tf.constant(arrays["h"]),
                tf.constant(arrays["c"]),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(
                f"{path} is not a complete sincos checkpoint: {err}"
            ) from None
        trainer.batches.start = int(meta["start"])
        trainer.history = [float(x) for x in arrays["history"]]
        return trainer

    # -- the compiled loop -------------------------------------------------

    def _train(self, n: int) -> list[float]:
        """Run the compiled loop for ``n`` iterations and take over its
        results; on a non-finite cost keep everything from before that
        iteration and raise."""
        if n == 0:
            return []
        if self._run_concrete is None:
            self._run_concrete = self._run_fn.get_concrete_function()
        start = self.batches.start
        costs, pred, h, c, ok, done = self._run_concrete(
            tf.constant(start, tf.int64),
            tf.constant(n, tf.int32),
            *self.state,
            tf.constant(1.0 if self.stateful else 0.0),
        )
        costs = costs.numpy()[: int(done)].tolist()
        good = len(costs) if bool(ok) else len(costs) - 1
        if good:
            last_start = start + (good - 1) * self.hp.time_steps
            self.history.extend(costs[:good])
            self.batches.start = last_start + self.hp.time_steps
            self.state = (h, c)
            self.last = StepResult(
                self.iteration - 1,
                costs[good - 1],
                pred.numpy(),
                make_batch(last_start, self.hp.time_steps, self.hp.batch_size),
            )
        if not bool(ok):
            raise FloatingPointError(
                f"cost became {costs[-1]} at iteration {self.iteration} with "
                f"learning_rate={self.hp.learning_rate}; training stopped and "
                f"the weights from before that iteration are kept (try a "
                f"smaller learning rate)"
            )
        return costs

    def _train_once(self, seq, res, h, c, keep):
        """One iteration as graph ops on time-major data: forward, cost,
        gradient, and the Adam update if the cost is finite. Returns cost,
        prediction, new state and whether the update was applied."""
        with tf.name_scope("inputs"):
            seq, res = tf.identity(seq, name="xs"), tf.identity(res, name="ys")
            h, c = h * keep, c * keep
        with tf.GradientTape() as tape:
            pred, (h_new, c_new) = fused_forward_time_major(
                self._weights, seq, h, c
            )
            with tf.name_scope("cost"):
                # compute_cost on time-major data: the rows are axis 1
                error = tf.reduce_sum(tf.square(pred - res))
                cost = error / self.hp.batch_size
        grads = tape.gradient(cost, self._weights)
        ok = tf.math.is_finite(cost)
        with tf.name_scope("train"):

            def update():
                self.adam.apply(grads)
                return tf.constant(True)

            tf.cond(ok, update, lambda: tf.constant(False))
        return cost, pred, h_new, c_new, ok

    def _run_graph(self, start, n, h, c, keep):
        hp = self.hp
        costs = tf.TensorArray(tf.float32, size=n)
        pred = tf.zeros((hp.time_steps, hp.batch_size, hp.output_size))
        angles = BatchAngles(hp.time_steps, hp.batch_size)

        def body(i, h, c, pred, costs, ok):
            seq, res = angles.batch(
                start + tf.cast(i, tf.int64) * hp.time_steps
            )
            cost, new_pred, h_new, c_new, ok = self._train_once(
                seq, res, h, c, keep
            )
            return (
                i + 1,
                tf.where(ok, h_new, h),
                tf.where(ok, c_new, c),
                tf.where(ok, new_pred, pred),
                costs.write(i, cost),
                ok,
            )

        i, h, c, pred, costs, ok = tf.while_loop(
            lambda i, h, c, pred, costs, ok: tf.logical_and(i < n, ok),
            body,
            (tf.constant(0), h, c, pred, costs, tf.constant(True)),
            parallel_iterations=1,
        )
        return costs.stack(), tf.transpose(pred, [1, 0, 2]), h, c, ok, i

    def _zero_state(self) -> tuple[tf.Tensor, tf.Tensor]:
        zeros = tf.zeros((self.hp.batch_size, self.hp.cell_size))
        return zeros, zeros


class BatchAngles:
    """``make_batch`` as graph ops for loops that make their own batches, time
    major.

    Batch ``start`` holds sin and cos of (start + k) / (10 pi) for the offsets
    k = b*T + t. With a = start / (10 pi) and d_k = k / (10 pi) computed once,
    sin(a + d) = sin a cos d + cos a sin d (and likewise cos) costs two scalar
    sines and a few products per batch instead of 2 T B sines, in float64, so
    the float32 results match ``make_batch``'s.
    """

    def __init__(self, time_steps: int, batch_size: int) -> None:
        offsets = (
            np.arange(time_steps * batch_size)
            .reshape(batch_size, time_steps)
            .T
        )
        d = (offsets / X_SCALE)[:, :, np.newaxis]  # (time_steps, batch, 1)
        self.sin_d, self.cos_d = tf.constant(np.sin(d)), tf.constant(np.cos(d))

    def batch(self, start):
        """``seq, res`` (time_steps, batch, 1) float32 for the int64
        ``start``."""
        a = tf.cast(start, tf.float64) / X_SCALE
        sin_a, cos_a = tf.sin(a), tf.cos(a)
        seq = sin_a * self.cos_d + cos_a * self.sin_d
        res = cos_a * self.cos_d - sin_a * self.sin_d
        return tf.cast(seq, tf.float32), tf.cast(res, tf.float32)


def _read_checkpoint(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        meta = json.loads(str(arrays.pop("meta")))
    except (
        OSError,
        ValueError,
        zipfile.BadZipFile,
        EOFError,
        TypeError,
        KeyError,
    ) as err:
        raise ValueError(
            f"{path} is not a readable sincos checkpoint ({err})"
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(
            f"{path} is not a sincos checkpoint (format {CHECKPOINT_FORMAT})"
        )
    return meta, arrays
