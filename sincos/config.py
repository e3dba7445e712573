"""Hyperparameters: the tutorial's constants as one validated, immutable value.

Explained in the chapter "Hyperparameters"
(notebooks/01_hyperparameters.ipynb).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import Any

# The data has one input feature (sin x) and one target (cos x) per time step.
DATA_FEATURES = 1

_POSITIVE_INTS = (
    "time_steps",
    "batch_size",
    "input_size",
    "output_size",
    "cell_size",
)
_NON_NEGATIVE_INTS = ("batch_start", "seed")


@dataclass(frozen=True)
class Hyperparams:
    """Everything that shapes the data, the network and training.

    The defaults are the tutorial's: ``TIME_STEPS=20, BATCH_SIZE=50,
    INPUT_SIZE=1, OUTPUT_SIZE=1, CELL_SIZE=10, LR=0.006, BATCH_START=0``;
    ``seed`` fixes the initial weights. Invalid values raise ``ValueError``
    naming the field.
    """

    time_steps: int = 20  # length of the window that backpropagation sees
    batch_size: int = 50  # sequences trained side by side
    input_size: int = 1  # features per time step (sin x)
    output_size: int = 1  # targets per time step (cos x)
    cell_size: int = 10  # units in the LSTM's hidden and cell state
    learning_rate: float = 0.006  # Adam's step size
    batch_start: int = 0  # x index of the first batch
    seed: int = 1  # initial weights

    def __post_init__(self) -> None:
        for name in _POSITIVE_INTS:
            _check_int(self, name, minimum=1)
        for name in _NON_NEGATIVE_INTS:
            _check_int(self, name, minimum=0)
        lr = self.learning_rate
        if (
            isinstance(lr, bool)
            or not isinstance(lr, numbers.Real)
            or not math.isfinite(lr)
            or lr <= 0
        ):
            raise ValueError(
                f"learning_rate must be a finite positive number, got {lr!r}"
            )
        object.__setattr__(self, "learning_rate", float(lr))
        for name in ("input_size", "output_size"):
            if getattr(self, name) != DATA_FEATURES:
                feature = (
                    "input (sin x)"
                    if name == "input_size"
                    else "target (cos x)"
                )
                raise ValueError(
                    f"{name} must be {DATA_FEATURES}: the data has one "
                    f"{feature} per time step, got {getattr(self, name)!r}"
                )

    def replace(self, **changes: Any) -> Hyperparams:
        """A validated copy with some fields changed:
        ``hp.replace(cell_size=32)``."""
        fields = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - fields)
        if unknown:
            raise ValueError(
                f"unknown hyperparameter {unknown[0]!r}; "
                f"known: {', '.join(sorted(fields))}"
            )
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _check_int(hp: Hyperparams, name: str, minimum: int) -> None:
    value = getattr(hp, name)
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value < minimum
    ):
        kind = (
            "a positive integer" if minimum == 1 else "a non-negative integer"
        )
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    object.__setattr__(hp, name, int(value))
