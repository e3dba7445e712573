"""Record the original TF1 program's numbers as reference data for the tests.

    .venv/bin/pip install tf_keras==2.21.0        # once; optional, only this script needs it
    .venv/bin/python scripts/tf1_reference.py     # writes sincos/tf1_reference.npz

The tutorial's graph is rebuilt with ``tf.compat.v1`` in graph mode: placeholders,
variable scopes ``in_hidden`` / ``LSTM_cell`` / ``out_hidden``, a
``BasicLSTMCell(forget_bias=1.0)`` unrolled by ``dynamic_rnn`` from its
``zero_state``, the tutorial's cost and ``AdamOptimizer``. It then runs the
tutorial's 200 iterations in a ``Session``, feeding the final LSTM state of each
batch back as the initial state of the next (the first iteration starts from the
zero state), on the batches of ``sincos.data.make_batch``.

Two things are not the 2017 code: ``tf.contrib`` no longer exists, so the cost
is written out with the arithmetic ``sequence_loss_by_example`` did; and under
TensorFlow 2.16+ the TF1 cell classes live in the ``tf_keras`` package, which
``TF_USE_LEGACY_KERAS=1`` selects.

Saved (``np.savez_compressed``, a few KB): the initial weights in TF1's layout
(``w_in``, ``b_in``, ``lstm_kernel`` (2H, 4H) with rows [x; h] and gate blocks
i, j, f, o, ``lstm_bias`` (4H,), ``w_out``, ``b_out``), the 200 per-iteration
``costs`` (float64, each computed before that iteration's update, as the
tutorial prints them) and ``meta``, a JSON string with the versions and settings.
``tests/test_golden.py`` replays training from these weights with
``sincos.Trainer`` and compares the costs.
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

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "sincos" / "tf1_reference.npz"
ITERATIONS = 200
GRAPH_SEED = 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="the .npz to write"
    )
    parser.add_argument(
        "--seed", type=int, default=GRAPH_SEED, help="graph-level seed"
    )
    args = parser.parse_args(argv)

    if importlib.util.find_spec("tf_keras") is None:
        print(
            "tf_keras is missing: install it with `.venv/bin/pip install tf_keras==2.21.0` "
            "(the TF1 cells need it; nothing else in the project does)"
        )
        return 1
    os.environ["TF_USE_LEGACY_KERAS"] = (
        "1"  # must be set before TensorFlow is imported
    )

    started = time.perf_counter()
    import numpy as np

    from sincos._tf import import_tensorflow
    from sincos.config import Hyperparams
    from sincos.data import make_batch

    tf = (
        import_tensorflow()
    )  # quiet import; also sets TF_ENABLE_ONEDNN_OPTS=0 as sincos does
    _quietly(
        lambda: importlib.import_module("tf_keras")
    )  # loaded by the TF1 cell otherwise
    tf.get_logger().setLevel("ERROR")
    v1 = tf.compat.v1
    v1.disable_v2_behavior()  # graph mode, reference variables, TF1 control flow
    hp = Hyperparams()

    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(args.seed)
        net = build_graph(v1, hp)
        init = v1.global_variables_initializer()

    config = v1.ConfigProto(
        intra_op_parallelism_threads=1, inter_op_parallelism_threads=1
    )
    with v1.Session(graph=graph, config=config) as sess:
        sess.run(init)
        initial = sess.run(net["weights"])
        costs, loop_seconds = train(sess, net, hp, make_batch)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "what": "TF1 BasicLSTMCell graph of the sin->cos tutorial: initial weights and the "
        f"costs of {ITERATIONS} Adam iterations with the LSTM state fed back",
        "kernel_layout": "rows [x; h], gate blocks i, j, f, o; forget_bias 1.0 added "
        "as a constant (not in lstm_bias)",
        "graph_seed": args.seed,
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
    names = ["w_in", "b_in", "lstm_kernel", "lstm_bias", "w_out", "b_out"]
    arrays = {
        name: np.asarray(w, np.float32)
        for name, w in zip(names, initial, strict=True)
    }
    np.savez_compressed(
        args.out,
        **arrays,
        costs=np.asarray(costs, np.float64),
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )
    total = time.perf_counter() - started
    print(
        f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
        f"({args.out.stat().st_size} bytes); {ITERATIONS} iterations in {loop_seconds:.2f} s, "
        f"{total:.1f} s in all with TensorFlow {tf.__version__}"
    )
    return 0


def build_graph(v1, hp) -> dict:
    """The tutorial's graph, scope by scope. Returns the tensors the loop needs."""
    steps, cells = hp.time_steps, hp.cell_size
    normal = v1.random_normal_initializer(mean=0.0, stddev=1.0)
    tenth = v1.constant_initializer(0.1)

    with v1.name_scope("inputs"):
        xs = v1.placeholder(
            v1.float32, [None, steps, hp.input_size], name="xs"
        )
        ys = v1.placeholder(
            v1.float32, [None, steps, hp.output_size], name="ys"
        )

    with v1.variable_scope("in_hidden"):
        w_in = v1.get_variable(
            "weights", [hp.input_size, cells], initializer=normal
        )
        b_in = v1.get_variable("biases", [cells], initializer=tenth)
        flat = v1.reshape(xs, [-1, hp.input_size], name="2_2D")
        with v1.name_scope("Wx_plus_b"):
            hidden = v1.matmul(flat, w_in) + b_in
        lstm_in = v1.reshape(hidden, [-1, steps, cells], name="2_3D")

    with v1.variable_scope("LSTM_cell"):
        with (
            warnings.catch_warnings()
        ):  # "BasicLSTMCell is deprecated": we know, it is TF1
            warnings.simplefilter("ignore", UserWarning)
            cell = v1.nn.rnn_cell.BasicLSTMCell(
                cells, forget_bias=1.0, state_is_tuple=True
            )
        with v1.name_scope("initial_state"):
            init_state = cell.zero_state(hp.batch_size, dtype=v1.float32)
        outputs, final_state = v1.nn.dynamic_rnn(
            cell, lstm_in, initial_state=init_state, time_major=False
        )

    with v1.variable_scope("out_hidden"):
        w_out = v1.get_variable(
            "weights", [cells, hp.output_size], initializer=normal
        )
        b_out = v1.get_variable("biases", [hp.output_size], initializer=tenth)
        flat_out = v1.reshape(outputs, [-1, cells], name="2_2D")
        with v1.name_scope("Wx_plus_b"):
            pred = v1.matmul(flat_out, w_out) + b_out

    with v1.name_scope("cost"):
        cost = tutorial_cost(
            v1, pred, ys, hp.batch_size * steps, hp.batch_size
        )

    with v1.name_scope("train"):
        train_op = v1.train.AdamOptimizer(hp.learning_rate).minimize(cost)

    kernel, bias = (
        cell.weights
    )  # created by dynamic_rnn: LSTM_cell/rnn/basic_lstm_cell/*
    return {
        "xs": xs,
        "ys": ys,
        "init_state": init_state,
        "final_state": final_state,
        "pred": pred,
        "cost": cost,
        "train_op": train_op,
        "weights": [w_in, b_in, kernel, bias, w_out, b_out],
    }


def tutorial_cost(v1, pred, ys, n, batch_size):
    """``legacy_seq2seq.sequence_loss_by_example`` on one flattened "time step" with
    all-ones weights and ``average_across_timesteps=True``, then summed over the
    elements and divided by the batch size, as the tutorial wrote it. The per-element
    loss is its squared error times weight 1, divided by (sum of weights over the
    one-entry list = the weight 1) + 1e-12, which in float32 is 1."""
    with v1.name_scope("losses"):
        weights = v1.ones([n], dtype=v1.float32)
        squared = v1.square(
            v1.subtract(v1.reshape(ys, [-1]), v1.reshape(pred, [-1]))
        )
        losses = (squared * weights) / (weights + 1e-12)
    with v1.name_scope("average_cost"):
        return v1.div(
            v1.reduce_sum(losses, name="losses_sum"),
            batch_size,
            name="average_cost",
        )


def train(sess, net, hp, make_batch) -> tuple[list[float], float]:
    """The tutorial's loop: iteration 0 leaves the initial state to ``zero_state``;
    every later iteration feeds the state the previous one returned."""
    costs, state = [], None
    start = hp.batch_start
    began = time.perf_counter()
    for i in range(ITERATIONS):
        seq, res, _ = make_batch(start, hp.time_steps, hp.batch_size)
        start += hp.time_steps
        feed = {net["xs"]: seq, net["ys"]: res}
        if state is not None:
            feed[net["init_state"]] = state
        _, cost, state, _ = sess.run(
            [net["train_op"], net["cost"], net["final_state"], net["pred"]],
            feed_dict=feed,
        )
        costs.append(float(cost))
        if i % 20 == 0:
            print("cost:", round(float(cost), 4))
    return costs, time.perf_counter() - began


def _quietly(load):
    """Call ``load`` with file descriptor 2 pointed at /dev/null: TensorFlow's C++
    start-up lines (oneDNN, CUDA probes) go there, below Python's reach."""
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
