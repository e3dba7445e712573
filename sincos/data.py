"""Training data: windows of a sin curve (input) and a cos curve (target).

Explained in the chapter "Generating the data" (notebooks/02_data.ipynb).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .config import Hyperparams

# x advances by 1/(10 pi) per time step: one period of sin is 20 pi^2
# ~ 197 steps.
X_SCALE = 10 * np.pi


class Batch(NamedTuple):
    """One batch. ``seq`` (sin) and ``res`` (cos) are float32 of shape
    (batch_size, time_steps, 1); ``xs`` holds their x values,
    (batch_size, time_steps)."""

    seq: np.ndarray
    res: np.ndarray
    xs: np.ndarray


def make_batch(start: int, time_steps: int, batch_size: int) -> Batch:
    """The batch whose first x index is ``start``: indices
    ``start ... start + T*B - 1`` laid out row by row, so row ``i`` covers
    ``start + i*T ... start + i*T + T - 1``."""
    index = np.arange(start, start + time_steps * batch_size).reshape(
        batch_size, time_steps
    )
    xs = index / X_SCALE
    seq = np.sin(xs).astype(np.float32)[:, :, np.newaxis]
    res = np.cos(xs).astype(np.float32)[:, :, np.newaxis]
    return Batch(seq, res, xs)


def make_curves(
    steps: int,
    start: int = 0,
    *,
    phase: float | Sequence[float] = 0.0,
    frequency: float | Sequence[float] = 1.0,
    amplitude: float | Sequence[float] = 1.0,
) -> Batch:
    """Long sequences for a trained model, one per row: the input
    ``amplitude * sin(frequency * x + phase)`` and the target
    ``amplitude * cos(frequency * x + phase)`` at the x values of indices
    ``start ... start + steps - 1``, the training data's step apart.

    ``phase``, ``frequency`` and ``amplitude`` are numbers or sequences of
    one length, one value per row; numbers apply to every row. With the
    defaults the row is the training curve, ``make_batch(start, steps, 1)``.

    Used in the chapter "Using the trained model"."""
    if (
        isinstance(steps, bool)
        or not isinstance(steps, int | np.integer)
        or steps < 1
    ):
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    values = {
        "phase": np.asarray(phase, np.float64),
        "frequency": np.asarray(frequency, np.float64),
        "amplitude": np.asarray(amplitude, np.float64),
    }
    for name, value in values.items():
        if value.ndim > 1:
            raise ValueError(
                f"{name} must be a number or a sequence of numbers, "
                f"got an array of shape {value.shape}"
            )
    lengths = {v.size for v in values.values() if v.ndim == 1}
    if len(lengths) > 1:
        sizes = ", ".join(
            f"{name} {v.size}" for name, v in values.items() if v.ndim == 1
        )
        raise ValueError(
            "phase, frequency and amplitude must be numbers or sequences of "
            f"one length (one value per row), got lengths {sizes}"
        )
    rows = lengths.pop() if lengths else 1
    phase, frequency, amplitude = (
        np.broadcast_to(v, (rows,))[:, np.newaxis] for v in values.values()
    )
    index = np.arange(start, start + steps)
    xs = np.broadcast_to(index / X_SCALE, (rows, steps))
    angle = frequency * xs + phase
    seq = (amplitude * np.sin(angle)).astype(np.float32)[:, :, np.newaxis]
    res = (amplitude * np.cos(angle)).astype(np.float32)[:, :, np.newaxis]
    return Batch(seq, res, xs.copy())


class SinCosBatches:
    """The tutorial's ``get_batch`` as an iterator, without globals.

    Each batch starts ``time_steps`` indices after the previous one, so row
    ``i`` of the next batch continues row ``i`` of this one: that is what makes
    carrying the LSTM state from batch to batch meaningful.
    """

    def __init__(self, hp: Hyperparams | None = None) -> None:
        self.hp = hp or Hyperparams()
        self.start = self.hp.batch_start

    def __iter__(self):
        return self

    def __next__(self) -> Batch:
        batch = make_batch(self.start, self.hp.time_steps, self.hp.batch_size)
        self.start += self.hp.time_steps
        return batch

    def peek(self) -> Batch:
        """The batch ``next()`` would return, without advancing."""
        return make_batch(self.start, self.hp.time_steps, self.hp.batch_size)

    def reset(self) -> None:
        """Back to the first batch."""
        self.start = self.hp.batch_start
