"""Training data: windows of a sin curve (input) and a cos curve (target).

Explained in the chapter "Generating the data" (notebooks/02_data.ipynb).
"""

from __future__ import annotations

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
