"""sincos: a stateful LSTM that learns to predict cos x from sin x.

``Hyperparams`` and ``SinCosBatches`` need only numpy; the names that need
TensorFlow (``LSTMRNN``, ``Trainer``, ``seed_cost``) import it on first use.
"""

from __future__ import annotations

from typing import Any

from .config import Hyperparams
from .data import Batch, SinCosBatches, make_batch

__all__ = ["LSTMRNN", "Batch", "Hyperparams", "SinCosBatches", "StepResult", "Trainer",
           "make_batch", "seed_cost"]

_LAZY = {"LSTMRNN": "model", "Trainer": "training", "StepResult": "training",
         "seed_cost": "training"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'sincos' has no attribute {name!r}")
