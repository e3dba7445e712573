"""sincos: a stateful LSTM that learns to predict cos x from sin x.

``Hyperparams`` and ``SinCosBatches`` need only numpy; the names that need
TensorFlow import it on first use.
"""

from __future__ import annotations

from typing import Any

from .config import Hyperparams
from .data import Batch, SinCosBatches, make_batch

__all__ = [
    "LSTMRNN",
    "Batch",
    "Hyperparams",
    "SinCosBatches",
    "StepResult",
    "Trainer",
    "compute_cost",
    "make_batch",
    "make_optimizer",
    "train",
    "train_step",
]

_LAZY = {
    "LSTMRNN": "model",
    "compute_cost": "model",
    "make_optimizer": "training",
    "train": "training",
    "train_step": "training",
    "Trainer": "fast",
    "StepResult": "fast",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'sincos' has no attribute {name!r}")
