"""The tutorial's TF1 program, rebuilt, and its numbers recorded for tests.

    .venv/bin/pip install tf_keras==2.21.0    # once; only this script needs it
    .venv/bin/python scripts/tf1_reference.py           # writes the .npz
    .venv/bin/python scripts/tf1_reference.py --logdir logs/tf1  # and logs

The program is rebuilt with ``tf.compat.v1`` in graph mode, part by part as
the original was written: a batch function; a model class with one method
per part (the inputs, the input layer, the LSTM cell with its zero state, the
output layer, the cost, the training op), each in the original's name scope;
and the training loop that runs 200 iterations in a ``Session``, feeding the
final LSTM state of each batch back as the initial state of the next.

Two things are not the 2017 code: ``tf.contrib`` no longer exists, so the cost
is written out with the arithmetic ``sequence_loss_by_example`` did; and
under TensorFlow 2.16+ the TF1 cell classes live in the ``tf_keras`` package,
which ``TF_USE_LEGACY_KERAS=1`` selects.

Recorded in ``sincos/tf1_reference.npz`` (``np.savez_compressed``, a few KB):
the initial weights in TF1's layout (``w_in``, ``b_in``, ``lstm_kernel``
(2H, 4H) with rows [x; h] and gate blocks i, j, f, o, ``lstm_bias`` (4H,),
``w_out``, ``b_out``), the 200 per-iteration ``costs`` (float64, each computed
before that iteration's update, as the tutorial prints them) and ``meta``, a
JSON string with the versions and settings. ``tests/test_golden.py`` replays
training from these weights with ``sincos.Trainer`` and compares the costs.
With ``--logdir`` the graph and the ``cost`` summary are written for
TensorBoard as the original did: every 20 iterations, by a second run after
the update, so the logged cost is the one after that iteration's step.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from sincos._tf import import_tensorflow
from sincos.config import Hyperparams

# The TF1 cells live in tf_keras since TensorFlow 2.16: this selects them. It
# must be set before TensorFlow loads.
os.environ["TF_USE_LEGACY_KERAS"] = "1"
# The record was made with oneDNN's graph rewrites off (they change the costs
# by about 1e-4); so is every run of this script, to give the same costs.
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
tf = import_tensorflow().compat.v1  # the TF1 API, imported quietly

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "sincos" / "tf1_reference.npz"
ITERATIONS = 200
GRAPH_SEED = 1


# -- the program, part by part ------------------------------------------------


def get_batch(start, hp):
    """The batch whose first x index is ``start``: sin x, cos x and x."""
    index = np.arange(start, start + hp.time_steps * hp.batch_size)
    xs = index.reshape((hp.batch_size, hp.time_steps)) / (10 * np.pi)
    return np.sin(xs)[:, :, np.newaxis], np.cos(xs)[:, :, np.newaxis], xs


def weights(shape):
    """A weight matrix drawn from N(0, 1), in the current variable scope."""
    normal = tf.random_normal_initializer(mean=0.0, stddev=1.0)
    return tf.get_variable("weights", shape, initializer=normal)


def biases(shape):
    """A bias vector of 0.1s, in the current variable scope."""
    tenth = tf.constant_initializer(0.1)
    return tf.get_variable("biases", shape, initializer=tenth)


class TF1Model:
    """The tutorial's graph: each part in the name scope it had there."""

    def __init__(self, hp):
        """Build every part, in the original's order and scopes."""
        self.hp = hp
        with tf.name_scope("inputs"):
            self.add_inputs()
        with tf.variable_scope("in_hidden"):
            self.add_input_layer()
        with tf.variable_scope("LSTM_cell"):
            self.add_cell()
        with tf.variable_scope("out_hidden"):
            self.add_output_layer()
        with tf.name_scope("cost"):
            self.compute_cost()
        with tf.name_scope("train"):
            self.add_train_op()

    def add_inputs(self):
        """Placeholders for the input and target windows of a batch."""
        steps = self.hp.time_steps
        shape_in = [None, steps, self.hp.input_size]
        shape_out = [None, steps, self.hp.output_size]
        self.xs = tf.placeholder(tf.float32, shape_in, name="xs")
        self.ys = tf.placeholder(tf.float32, shape_out, name="ys")

    def add_input_layer(self):
        """A dense layer lifting each step's one feature to cell_size."""
        hp = self.hp
        self.w_in = weights([hp.input_size, hp.cell_size])
        self.b_in = biases([hp.cell_size])
        flat = tf.reshape(self.xs, [-1, hp.input_size], name="2_2D")
        with tf.name_scope("Wx_plus_b"):
            hidden = tf.matmul(flat, self.w_in) + self.b_in
        shape = [-1, hp.time_steps, hp.cell_size]
        self.cell_in = tf.reshape(hidden, shape, name="2_3D")

    def add_cell(self):
        """The LSTM cell unrolled over the window from a state fed in."""
        with warnings.catch_warnings():  # "BasicLSTMCell is deprecated"
            warnings.simplefilter("ignore", UserWarning)
            cell = tf.nn.rnn_cell.BasicLSTMCell(
                self.hp.cell_size, forget_bias=1.0, state_is_tuple=True
            )
        with tf.name_scope("initial_state"):
            self.cell_init_state = cell.zero_state(
                self.hp.batch_size, dtype=tf.float32
            )
        self.cell_outputs, self.cell_final_state = tf.nn.dynamic_rnn(
            cell, self.cell_in, initial_state=self.cell_init_state
        )
        self.lstm_kernel, self.lstm_bias = cell.weights

    def add_output_layer(self):
        """A dense layer from each step's cell output to one prediction."""
        hp = self.hp
        self.w_out = weights([hp.cell_size, hp.output_size])
        self.b_out = biases([hp.output_size])
        flat = tf.reshape(self.cell_outputs, [-1, hp.cell_size], name="2_2D")
        with tf.name_scope("Wx_plus_b"):
            self.pred = tf.matmul(flat, self.w_out) + self.b_out

    def compute_cost(self):
        """The squared errors summed over the batch, divided by its rows."""
        # What sequence_loss_by_example computed with all-ones weights: each
        # squared error times its weight 1, over (that weight + 1e-12) = 1.
        with tf.name_scope("losses"):
            ones = tf.ones([self.hp.batch_size * self.hp.time_steps])
            target = tf.reshape(self.ys, [-1])
            squared = tf.square(
                tf.subtract(target, tf.reshape(self.pred, [-1]))
            )
            losses = (squared * ones) / (ones + 1e-12)
        with tf.name_scope("average_cost"):
            self.cost = tf.div(
                tf.reduce_sum(losses, name="losses_sum"),
                self.hp.batch_size,
                name="average_cost",
            )
            self.summary = tf.summary.scalar("cost", self.cost)

    def add_train_op(self):
        """One Adam update of every weight against the cost's gradient."""
        adam = tf.train.AdamOptimizer(self.hp.learning_rate)
        self.train_op = adam.minimize(self.cost)

    def tf1_weights(self):
        """The weights in TF1's layout, in ``sincos.tf1.TF1_WEIGHTS`` order."""
        return [
            self.w_in,
            self.b_in,
            self.lstm_kernel,
            self.lstm_bias,
            self.w_out,
            self.b_out,
        ]


def train(sess, model, hp, writer=None):
    """The tutorial's loop: each batch starts where the previous one ended."""
    costs, state, start = [], None, hp.batch_start
    for i in range(ITERATIONS):
        seq, res, _ = get_batch(start, hp)
        start += hp.time_steps
        feed = {model.xs: seq, model.ys: res}
        if state is not None:  # iteration 0 starts from the zero state
            feed[model.cell_init_state] = state
        _, cost, state, _ = sess.run(
            [model.train_op, model.cost, model.cell_final_state, model.pred],
            feed_dict=feed,
        )
        costs.append(float(cost))
        if i % 20 == 0:
            print("cost:", round(float(cost), 4))
            if writer is not None:  # the cost after this iteration's update
                writer.add_summary(sess.run(model.summary, feed), i)
    return costs


# -- recording ----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="the .npz to write"
    )
    parser.add_argument(
        "--seed", type=int, default=GRAPH_SEED, help="graph-level seed"
    )
    parser.add_argument(
        "--logdir", type=Path, help="also write TensorBoard logs here"
    )
    args = parser.parse_args(argv)
    if importlib.util.find_spec("tf_keras") is None:
        print(
            "tf_keras is missing: install it with `.venv/bin/pip install "
            "tf_keras==2.21.0` (the TF1 cells need it; nothing else in the "
            "project does)"
        )
        return 1
    started = time.perf_counter()
    _quietly(lambda: importlib.import_module("tf_keras"))
    tf.get_logger().setLevel("ERROR")
    tf.disable_v2_behavior()  # graph mode, reference variables, TF1 loops
    hp = Hyperparams()
    initial, costs, loop_seconds = run(hp, args.seed, args.logdir)
    record(args.out, hp, args.seed, initial, costs)
    total = time.perf_counter() - started
    shown = (
        args.out.relative_to(ROOT)
        if args.out.is_relative_to(ROOT)
        else (args.out)
    )
    print(
        f"wrote {shown} ({args.out.stat().st_size} bytes); {ITERATIONS} "
        f"iterations in {loop_seconds:.2f} s, {total:.1f} s in all with "
        f"TensorFlow {tf.__version__}"
    )
    return 0


def run(hp, seed, logdir=None):
    """Build the graph with a graph-level ``seed`` and train it: the initial
    weights, the costs and the loop's seconds."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        model = TF1Model(hp)
        init = tf.global_variables_initializer()
    config = tf.ConfigProto(
        intra_op_parallelism_threads=1, inter_op_parallelism_threads=1
    )
    with tf.Session(graph=graph, config=config) as sess:
        sess.run(init)
        initial = sess.run(model.tf1_weights())
        writer = tf.summary.FileWriter(str(logdir), graph) if logdir else None
        began = time.perf_counter()
        costs = train(sess, model, hp, writer)
        seconds = time.perf_counter() - began
        if writer is not None:
            writer.close()
    return initial, costs, seconds


def record(out, hp, seed, initial, costs) -> None:
    """Write the initial weights, the costs and the settings to ``out``."""
    from sincos.tf1 import TF1_WEIGHTS

    meta = {
        "what": "TF1 BasicLSTMCell graph of the sin->cos tutorial: initial "
        f"weights and the costs of {ITERATIONS} Adam iterations with the "
        "LSTM state fed back",
        "kernel_layout": "rows [x; h], gate blocks i, j, f, o; forget_bias "
        "1.0 added as a constant (not in lstm_bias)",
        "graph_seed": seed,
        "hyperparams": hp.as_dict(),
        "adam": {
            "learning_rate": hp.learning_rate,
            "beta1": 0.9,
            "beta2": 0.999,
            "epsilon": 1e-8,
        },
        "versions": {
            "python": platform.python_version(),
            "tensorflow": tf.__version__,
            "tf_keras": _version("tf_keras"),
            "numpy": np.__version__,
            "platform": platform.platform(),
        },
    }
    arrays = {
        name: np.asarray(w, np.float32)
        for name, w in zip(TF1_WEIGHTS, initial, strict=True)
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        **arrays,
        costs=np.asarray(costs, np.float64),
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )


def _quietly(load):
    """Call ``load`` with file descriptor 2 pointed at /dev/null: TensorFlow's
    C++ start-up lines (oneDNN, CUDA probes) go there, below Python's
    reach."""
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    sys.stderr.flush()
    os.dup2(devnull, 2)
    try:
        return load()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    sys.exit(main())
