"""How fast one training iteration is, side by side in one run.

    .venv/bin/python benchmarks/train_speed.py [--repeats N]

Medians in ms per iteration, the first call of each path reported apart (it
includes tracing/compiling). Paths:
- readable train_step: sincos.training.train_step (the Keras LSTMRNN, a
  GradientTape and keras.optimizers.Adam under tf.function), one call per
  iteration with the state carried and the cost read back, as in
  sincos.training.train;
- readable train(200): sincos.training.train, 200 iterations per call;
- trainer.step(): one iteration per call of the fused trainer's compiled loop;
- trainer.run(200): 200 iterations per call of the same loop;
- eager: the Keras LSTMRNN, a GradientTape and keras.optimizers.Adam, no
  tf.function;
- Keras stateful: keras.layers.LSTM(stateful=True) in a Sequential model,
  train_on_batch.
Then, in fresh processes: Trainer() to 200 iterations done (import excluded),
and the whole `python -m sincos train` command.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

FRESH = """
import time
from sincos import Trainer
import sincos.fast
t0 = time.perf_counter()
trainer = Trainer()
t1 = time.perf_counter()
trainer._run_fn.get_concrete_function()
t2 = time.perf_counter()
trainer.run(200)
t3 = time.perf_counter()
print(t3 - t0, t1 - t0, t2 - t1, t3 - t2)
"""


def timed(fn, n: int) -> tuple[float, float]:
    """(first call ms, median ms of the next n calls)."""
    t = time.perf_counter()
    fn()
    first = 1000 * (time.perf_counter() - t)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t))
    return first, statistics.median(times)


def trainer_paths(repeats: int) -> dict[str, tuple[float, float]]:
    from sincos import Trainer

    trainer = Trainer()
    step = timed(trainer.step, 300 * repeats)
    trainer.reset()
    first, loop = timed(lambda: trainer.run(200), 5 * repeats)
    return {
        "trainer.step()": step,
        "trainer.run(200) per iteration": (first / 200, loop / 200),
    }


def readable_paths(repeats: int) -> dict[str, tuple[float, float]]:
    from sincos import (
        LSTMRNN,
        Hyperparams,
        SinCosBatches,
        make_optimizer,
        train,
        train_step,
    )

    hp = Hyperparams()
    model = LSTMRNN(hp)
    optimizer = make_optimizer(model)
    batches = SinCosBatches(hp)
    state = [model.zero_state(hp.batch_size)]

    def step():
        seq, res, _ = next(batches)
        cost, _, state[0] = train_step(model, optimizer, seq, res, state[0])
        float(cost)

    one = timed(step, 300 * repeats)
    first, loop = timed(
        lambda: train(model, optimizer, batches, 200, print_every=0),
        5 * repeats,
    )
    return {
        "readable train_step, one call per iteration": one,
        "readable train(200) per iteration": (first / 200, loop / 200),
    }


def eager_path(repeats: int) -> tuple[float, float]:
    import keras

    from sincos import Hyperparams, SinCosBatches, compute_cost
    from sincos.model import LSTMRNN, tf

    hp = Hyperparams()
    model, batches = LSTMRNN(hp), SinCosBatches(hp)
    optimizer = keras.optimizers.Adam(hp.learning_rate, epsilon=1e-8)
    state = [None]

    def step():
        batch = next(batches)
        with tf.GradientTape() as tape:
            pred, state[0] = model(batch.seq, state[0])
            cost = compute_cost(pred, batch.res)
        grads = tape.gradient(cost, model.trainable_variables)
        optimizer.apply_gradients(
            zip(grads, model.trainable_variables, strict=True)
        )

    return timed(step, 20 * repeats)


def keras_stateful_path(repeats: int) -> tuple[float, float]:
    import keras

    from sincos import Hyperparams, SinCosBatches
    from sincos.model import tf

    hp = Hyperparams()
    model = keras.Sequential(
        [
            keras.Input(batch_shape=(hp.batch_size, hp.time_steps, 1)),
            keras.layers.Dense(hp.cell_size),
            keras.layers.LSTM(
                hp.cell_size, stateful=True, return_sequences=True
            ),
            keras.layers.Dense(1),
        ]
    )
    model.compile(
        keras.optimizers.Adam(hp.learning_rate, epsilon=1e-8),
        loss=lambda y, p: tf.reduce_sum(tf.square(y - p)) / hp.batch_size,
    )
    batches = SinCosBatches(hp)

    def step():
        batch = next(batches)
        model.train_on_batch(batch.seq, batch.res)

    return timed(step, 300 * repeats)


def fresh_processes(repeats: int) -> tuple[list[float], float]:
    """Medians of (total, create, trace, run 200) in fresh processes, and of
    the CLI."""
    runs = [
        [
            float(x)
            for x in subprocess.run(
                [sys.executable, "-c", FRESH],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        ]
        for _ in range(3 * repeats)
    ]
    first200 = [
        statistics.median(column) for column in zip(*runs, strict=True)
    ]
    cli = []
    for _ in range(3 * repeats):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sincos", "train"],
            capture_output=True,
            check=True,
        )
        cli.append(time.perf_counter() - t)
    return first200, statistics.median(cli)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=1, help="scale the number of samples"
    )
    repeats = parser.parse_args().repeats
    rows = trainer_paths(repeats)
    rows |= readable_paths(repeats)
    rows["eager (Keras model + GradientTape)"] = eager_path(repeats)
    rows["Keras stateful LSTM, train_on_batch"] = keras_stateful_path(repeats)
    base = rows["trainer.step()"][1]
    print(
        f"{'path':44s} {'first call ms':>14s} {'median ms':>10s} "
        f"{'vs step()':>10s}"
    )
    for name, (first, median) in rows.items():
        print(f"{name:44s} {first:14.2f} {median:10.3f} {median / base:9.2f}x")
    first200, cli = fresh_processes(repeats)
    total, create, trace, run = first200
    print(
        f"fresh process, Trainer() to 200 iterations done: {total:.3f} s "
        f"= create {create:.3f} + trace {trace:.3f} + run {run:.3f} "
        f"(medians of {3 * repeats})"
    )
    print(
        f"fresh process, `python -m sincos train` whole command: {cli:.2f} s"
    )


if __name__ == "__main__":
    main()
