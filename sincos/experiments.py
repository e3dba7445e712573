"""Experiments beyond the tutorial: carrying the state or not, the length of
the truncated-backpropagation window, the learning rate and the cell size
(trained with the fast ``Trainer``), and a plain RNN in place of the LSTM
(trained with the readable loop of ``sincos.training``).

Every run starts from a fixed seed, so its costs are the same on every run
on the same machine; another processor rounds differently, and the costs
drift apart slowly, or fast where training is unstable. Measured times vary
from run to run.

Explained in the chapter "Experiments" (notebooks/07_experiments.ipynb).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .config import Hyperparams
from .data import Batch, SinCosBatches, make_batch
from .fast import Trainer, fused_forward, weight_variables
from .model import dense_initializers, keras, tf
from .training import make_optimizer, train


def fmt(value: float, digits: int = 3) -> str:
    """``value`` rounded to ``digits`` significant digits, never in e-notation
    for numbers from 1e-4 to 1e6: ``fmt(0.0123456)`` is ``'0.0123'``,
    ``fmt(1234.5)`` ``'1234'``."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    if not -4 <= magnitude < 6:
        return f"{value:.{digits - 1}e}"
    decimals = max(digits - 1 - magnitude, 0)
    return f"{round(value, decimals):.{decimals}f}"


@dataclass(frozen=True)
class Spread:
    """How a few numbers (one per seed) are spread: mean, standard deviation,
    median, smallest and largest."""

    mean: float
    std: float
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        v = np.asarray(list(values), np.float64)
        if v.size == 0:
            raise ValueError("a Spread needs at least one value, got none")
        return cls(
            float(v.mean()),
            float(v.std()),
            float(np.median(v)),
            float(v.min()),
            float(v.max()),
        )

    def __str__(self) -> str:
        return (
            f"{fmt(self.mean)} ± {fmt(self.std, 2)} "
            f"(min {fmt(self.low)}, max {fmt(self.high)})"
        )

    def median_range(self, digits: int = 3) -> str:
        """The median and, in brackets, the smallest and the largest value,
        each to ``digits`` significant digits."""
        median, low, high = (
            fmt(v, digits) for v in (self.median, self.low, self.high)
        )
        return f"{median} [{low}, {high}]"


class Runs:
    """Trained trainers by hyperparameters, iterations and ``stateful``, each
    trained once: experiments that share a configuration (the tutorial's, say)
    share its runs. Also remembers each run's measured seconds per iteration.
    The trainers are shared, so evaluate them but do not train them further."""

    def __init__(self) -> None:
        self._done: dict[
            tuple[Hyperparams, int, bool], tuple[Trainer, float]
        ] = {}

    def __len__(self) -> int:
        return len(self._done)

    def trainer(
        self, hp: Hyperparams, iterations: int, stateful: bool = True
    ) -> Trainer:
        """``hp``'s trainer trained ``iterations`` iterations: trained now, or
        before."""
        return self._run(hp, iterations, stateful)[0]

    def seconds_per_iteration(
        self, hp: Hyperparams, iterations: int, stateful: bool = True
    ) -> float:
        """The measured time per iteration of that run, without the first
        iteration (which traces the compiled loop). Varies from run to run,
        unlike the costs."""
        return self._run(hp, iterations, stateful)[1]

    def _run(
        self, hp: Hyperparams, iterations: int, stateful: bool
    ) -> tuple[Trainer, float]:
        key = (hp, int(iterations), bool(stateful))
        if key not in self._done:
            self._done[key] = _timed_run(*key)
        return self._done[key]


def _timed_run(
    hp: Hyperparams, iterations: int, stateful: bool
) -> tuple[Trainer, float]:
    """A trained trainer and its seconds per iteration after the first. The
    costs are the same as one ``run(iterations)``: the compiled loop continues
    exactly."""
    if iterations < 2:
        raise ValueError(f"iterations must be at least 2, got {iterations!r}")
    trainer = Trainer(hp, stateful=stateful)
    trainer.run(1)
    started = time.perf_counter()
    trainer.run(iterations - 1)
    return trainer, (time.perf_counter() - started) / (iterations - 1)


# -- carried state versus a reset every batch ---------------------------------


@dataclass(frozen=True, eq=False)
class StateComparison:
    """The costs of runs that carry the state from batch to batch and of runs
    that start every batch from zeros, one row per seed; and the trained
    trainers."""

    seeds: tuple[int, ...]
    carried: np.ndarray  # (len(seeds), iterations)
    reset: np.ndarray  # (len(seeds), iterations)
    trainers: dict[bool, tuple[Trainer, ...]] = field(
        repr=False
    )  # by ``stateful``

    def costs(self, carried: bool) -> np.ndarray:
        return self.carried if carried else self.reset

    def final(self, carried: bool) -> Spread:
        """The spread over seeds of the last iteration's cost."""
        return Spread.of(self.costs(carried)[:, -1])

    def tail(self, carried: bool, last: int = 20) -> Spread:
        """The spread over seeds of the mean cost of the ``last``
        iterations."""
        return Spread.of(self.costs(carried)[:, -last:].mean(axis=1))

    def tail_ratio(self, last: int = 20) -> float:
        """How many times higher the reset runs' mean tail cost is than the
        carried runs'."""
        return self.tail(False, last).mean / self.tail(True, last).mean


def compare_state(
    seeds: Sequence[int],
    iterations: int,
    hp: Hyperparams | None = None,
    runs: Runs | None = None,
) -> StateComparison:
    """Train each seed twice, ``stateful=True`` and ``stateful=False``, for
    ``iterations``."""
    hp = hp or Hyperparams()
    runs = Runs() if runs is None else runs
    trainers = {
        stateful: tuple(
            runs.trainer(hp.replace(seed=s), iterations, stateful)
            for s in seeds
        )
        for stateful in (True, False)
    }
    costs = {k: np.array([t.history for t in v]) for k, v in trainers.items()}
    return StateComparison(tuple(seeds), costs[True], costs[False], trainers)


def _next_batches(trainer: Trainer, n_batches: int) -> list[Batch]:
    """The ``n_batches`` batches that would come after training, without
    advancing it."""
    hp, start = trainer.hp, trainer.batches.start
    return [
        make_batch(start + k * hp.time_steps, hp.time_steps, hp.batch_size)
        for k in range(n_batches)
    ]


def rollout(
    trainer: Trainer, n_batches: int, carry: bool
) -> tuple[list[Batch], np.ndarray]:
    """The trained network's predictions, without training, for the
    ``n_batches`` batches after the ones it trained on: with ``carry`` starting
    from the state training ended in and carrying it from batch to batch, else
    every batch from zeros. Returns the batches and the predictions,
    (n_batches, batch, steps, 1)."""
    if n_batches < 1:
        raise ValueError(
            f"n_batches must be a positive integer, got {n_batches!r}"
        )
    weights = weight_variables(trainer.model)
    zeros = tf.zeros((trainer.hp.batch_size, trainer.hp.cell_size))
    state = trainer.state if carry else (zeros, zeros)
    batches, preds = _next_batches(trainer, n_batches), []
    for batch in batches:
        # The function training runs (one fused LSTM op): ~30x faster here than
        # the Keras layer's step-by-step loop, and equal to it within float32
        # rounding.
        pred, end = fused_forward(weights, tf.constant(batch.seq), *state)
        preds.append(pred.numpy())
        state = end if carry else (zeros, zeros)
    return batches, np.array(preds)


def error_by_position(
    trainer: Trainer, n_batches: int = 5, carry: bool = True
) -> np.ndarray:
    """The squared error at each position 0 .. time_steps-1 of the window,
    averaged over every row of the ``n_batches`` batches after training (see
    ``rollout``)."""
    batches, preds = rollout(trainer, n_batches, carry)
    res = np.array([b.res for b in batches])
    return ((preds - res) ** 2).mean(axis=(0, 1, 3))


def window_mse(trainer: Trainer, steps: int = 200) -> float:
    """The mean squared error per sample over the next ``steps`` time steps of
    every row, predicted window by window the way the trainer trained: the
    state carried if ``trainer.stateful``, else zeros at every window.
    ``steps`` must be a whole number of windows."""
    windows, rest = divmod(steps, trainer.hp.time_steps)
    if rest or windows < 1:
        raise ValueError(
            f"steps must be a positive multiple of time_steps="
            f"{trainer.hp.time_steps}, got {steps!r}"
        )
    batches, preds = rollout(trainer, windows, trainer.stateful)
    return float(((preds - np.array([b.res for b in batches])) ** 2).mean())


# -- sweeps: window length, learning rate, cell size --------------------------


def iterations_for(samples: int, hp: Hyperparams) -> int:
    """The number of iterations in which training sees exactly ``samples``
    samples (time steps x rows); ``ValueError`` if no whole number does."""
    per_iteration = hp.time_steps * hp.batch_size
    iterations, rest = divmod(samples, per_iteration)
    if rest or iterations < 1:
        raise ValueError(
            f"samples={samples} is not a positive multiple of time_steps x "
            f"batch_size = {per_iteration}"
        )
    return iterations


@dataclass(frozen=True, eq=False)
class SweepPoint:
    """Runs of one hyperparameter value, one per seed: their costs, the
    evaluation MSE per sample after training (``window_mse``), and the measured
    time per iteration of the fastest seed's run, the one least disturbed by
    other work on the machine (machine dependent, unlike the rest)."""

    name: str
    value: int | float
    stateful: bool
    seeds: tuple[int, ...]
    costs: np.ndarray  # (len(seeds), iterations)
    mse: np.ndarray  # (len(seeds),)
    seconds_per_iteration: float

    @property
    def iterations(self) -> int:
        return self.costs.shape[1]

    def tail(self, last: int = 20) -> Spread:
        """The spread over seeds of the mean cost of the ``last``
        iterations."""
        return Spread.of(self.costs[:, -last:].mean(axis=1))


def sweep(
    name: str,
    values: Sequence[int | float],
    seeds: Sequence[int],
    *,
    hp: Hyperparams | None = None,
    iterations: int | None = None,
    samples: int | None = None,
    stateful: bool = True,
    eval_steps: int = 200,
    runs: Runs | None = None,
) -> list[SweepPoint]:
    """Train every seed at every value of the hyperparameter ``name``, for
    ``iterations`` each or for as many as see ``samples`` samples; the state
    carried from batch to batch unless ``stateful`` is False. A run whose cost
    stops being finite raises the trainer's ``FloatingPointError``."""
    if (iterations is None) == (samples is None):
        raise ValueError("give exactly one of iterations and samples")
    hp = hp or Hyperparams()
    runs = Runs() if runs is None else runs
    points = []
    for value in values:
        hp_v = hp.replace(**{name: value})
        n = iterations if samples is None else iterations_for(samples, hp_v)
        configs = [hp_v.replace(seed=seed) for seed in seeds]
        trainers = [runs.trainer(c, n, stateful) for c in configs]
        points.append(
            SweepPoint(
                name,
                value,
                stateful,
                tuple(seeds),
                np.array([t.history for t in trainers]),
                np.array([window_mse(t, eval_steps) for t in trainers]),
                min(
                    runs.seconds_per_iteration(c, n, stateful) for c in configs
                ),
            )
        )
    return points


def window_sweep(
    time_steps: Sequence[int],
    seeds: Sequence[int],
    samples: int,
    hp: Hyperparams | None = None,
    stateful: bool = True,
    eval_steps: int = 200,
    runs: Runs | None = None,
) -> list[SweepPoint]:
    """``sweep`` over the truncated-backpropagation window at an equal number
    of samples seen, so every run also covers the same stretch of the curve."""
    return sweep(
        "time_steps",
        time_steps,
        seeds,
        hp=hp,
        samples=samples,
        stateful=stateful,
        eval_steps=eval_steps,
        runs=runs,
    )


# -- a plain RNN in place of the LSTM -----------------------------------------


class SimpleRNNModel(keras.Model):
    """``LSTMRNN`` with a plain recurrent layer in place of the LSTM: no
    gates and no cell state, h_t = tanh(x_t W + h_(t-1) U + b).

    ``pred, (h,) = model(seq, state)``: the state is h alone, (batch,
    cell_size), or None for zeros. The in_hidden and out_hidden layers are
    those of ``LSTMRNN(hp)``, with the same initial weights; W and U are drawn
    the way TF1's ``BasicRNNCell`` drew its kernel, glorot-uniform over
    [x; h] -> h, as ``LSTMRNN``'s LSTM is drawn like TF1's ``BasicLSTMCell``.
    """

    def __init__(self, hp: Hyperparams | None = None) -> None:
        super().__init__(name="SimpleRNNModel")
        self.hp = hp = hp or Hyperparams()
        seed = 10 * hp.seed  # LSTMRNN's seeds: the same in and out layers
        self.in_hidden = keras.layers.Dense(
            hp.cell_size, name="in_hidden", **dense_initializers(seed)
        )
        self.out_hidden = keras.layers.Dense(
            hp.output_size, name="out_hidden", **dense_initializers(seed + 3)
        )
        cells, seed = hp.cell_size, seed + 1
        limit = math.sqrt(6.0 / (2 * cells + cells))
        self.rnn = keras.layers.SimpleRNN(
            cells,
            name="RNN_cell",
            return_sequences=True,
            return_state=True,
            kernel_initializer=keras.initializers.RandomUniform(
                -limit, limit, seed=seed
            ),
            recurrent_initializer=keras.initializers.RandomUniform(
                -limit, limit, seed=seed + 1
            ),
        )
        self.in_hidden.build((None, None, hp.input_size))
        self.rnn.build((None, None, cells))
        self.out_hidden.build((None, None, cells))
        self.built = True

    def zero_state(self, batch_size: int):
        """The state a sequence starts from: h all zeros."""
        return (tf.zeros((batch_size, self.hp.cell_size)),)

    def call(self, seq, state=None):
        if state is None:
            state = self.zero_state(tf.shape(seq)[0])
        outputs, h = self.rnn(self.in_hidden(seq), initial_state=list(state))
        return self.out_hidden(outputs), (h,)


def train_seeds(
    model_class: Callable[[Hyperparams], keras.Model],
    seeds: Sequence[int],
    iterations: int = 200,
    hp: Hyperparams | None = None,
) -> np.ndarray:
    """The costs, (len(seeds), iterations), of a fresh
    ``model_class(hp with that seed)`` per seed, trained by the readable loop
    ``sincos.training.train`` with the state carried (``LSTMRNN`` and
    ``SimpleRNNModel`` both fit it)."""
    hp = hp or Hyperparams()
    costs = []
    for seed in seeds:
        hp_seed = hp.replace(seed=seed)
        model = model_class(hp_seed)
        run, _ = train(
            model,
            make_optimizer(model),
            SinCosBatches(hp_seed),
            iterations,
            print_every=0,
        )
        costs.append(run)
    return np.array(costs)
