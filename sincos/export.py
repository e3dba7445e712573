"""The initial weights of the book's in-browser explorer, as a JavaScript file.

The built book trains the tutorial's LSTM in the reader's browser with
TensorFlow.js (``book/assets/js/sincos-explorer.js``). To show the same
numbers as the Python explorer it starts from the same initial weights:
``LSTMRNN`` seeded as in Python, for each cell size it offers. Browsers
refuse to ``fetch()`` a data file next to a page opened from ``file://``, so
the weights travel as a script that sets one global variable:

    python -m sincos export-weights book/assets/js/sincos-weights.js

Explained in the chapter "Interactive explorer"
(notebooks/05_explorer.ipynb).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .config import Hyperparams

# The cell sizes the in-browser explorer offers, the tutorial's 10 among them.
EXPLORER_CELL_SIZES = (1, 2, 4, 10, 16, 32)
# The global variable the script sets.
GLOBAL_NAME = "SINCOS_EXPLORER_WEIGHTS"
# The arrays of sincos.fast.weight_variables, in its order.
WEIGHT_NAMES = (
    "in_hidden/kernel",
    "in_hidden/bias",
    "LSTM_cell/kernel",
    "LSTM_cell/recurrent_kernel",
    "LSTM_cell/bias",
    "out_hidden/kernel",
    "out_hidden/bias",
)

HEADER = """\
// Initial weights of the in-browser training explorer (sincos-explorer.js):
// LSTMRNN(Hyperparams(cell_size=H)) for each cell size H it offers, arrays
// in the order of sincos.fast.weight_variables, float32 values written in
// their shortest exact decimal form. Written by
//     python -m sincos export-weights book/assets/js/sincos-weights.js
// and checked against a fresh export by tests/test_export.py.
"""


def explorer_weights(
    hp: Hyperparams | None = None,
    cell_sizes: Sequence[int] = EXPLORER_CELL_SIZES,
) -> dict[int, list[np.ndarray]]:
    """For each cell size, the initial weights of ``LSTMRNN`` with ``hp``
    (default: the tutorial's, seed 1) and that cell size, in
    ``sincos.fast.weight_variables`` order."""
    from .fast import numpy_weights
    from .model import LSTMRNN

    hp = hp or Hyperparams()
    return {
        size: numpy_weights(LSTMRNN(hp.replace(cell_size=size)))
        for size in cell_sizes
    }


def weights_script(
    hp: Hyperparams | None = None,
    cell_sizes: Sequence[int] = EXPLORER_CELL_SIZES,
) -> str:
    """The text of the weights file: ``HEADER``, then
    ``var SINCOS_EXPLORER_WEIGHTS = {...};`` with the hyperparameters the
    explorer starts with, the array names and one model per cell size."""
    hp = hp or Hyperparams()
    models = [
        f'    "{size}": [\n'
        + ",\n".join(
            f'      {{"shape": {json.dumps(list(w.shape))}, '
            f'"values": {_float32_list(w)}}}'
            for w in weights
        )
        + "\n    ]"
        for size, weights in explorer_weights(hp, cell_sizes).items()
    ]
    body = ",\n".join(models)
    return (
        f"{HEADER}var {GLOBAL_NAME} = {{\n"
        f'  "hyperparams": {json.dumps(hp.as_dict())},\n'
        f'  "names": {json.dumps(list(WEIGHT_NAMES))},\n'
        f'  "models": {{\n{body}\n  }}\n}};\n'
    )


def write_weights_script(path: str | os.PathLike, **kwargs: Any) -> Path:
    """Write ``weights_script(**kwargs)`` to ``path`` and return the path."""
    path = Path(path)
    path.write_text(weights_script(**kwargs), encoding="utf-8")
    return path


def read_weights_script(text: str) -> dict[str, Any]:
    """The data of a file written by ``weights_script``: ``hyperparams``,
    ``names`` and ``models``, which maps each cell size to its arrays (read
    as float32, as the browser reads them)."""
    start = text.index(f"var {GLOBAL_NAME} = ") + len(f"var {GLOBAL_NAME} = ")
    data = json.loads(text[start:].rstrip().removesuffix(";"))
    data["models"] = {
        int(size): [
            np.array(w["values"], np.float64)
            .astype(np.float32)
            .reshape(w["shape"])
            for w in weights
        ]
        for size, weights in data["models"].items()
    }
    return data


def _float32_list(array: np.ndarray) -> str:
    """The float32 values as a JSON list, each in the shortest decimal form
    that reads back as the same float32 (numpy's ``str``). JavaScript reads a
    number as the nearest double and a ``Float32Array`` rounds that to the
    nearest float32, as Python's ``float`` and ``np.float32`` do below; the
    check makes sure this round trip gives every value back exactly."""
    values = np.asarray(array, np.float32).ravel()
    texts = [str(value) for value in values]
    back = np.array([float(text) for text in texts], np.float64)
    if not np.array_equal(back.astype(np.float32), values):
        raise ValueError("a float32 value does not survive its decimal form")
    return "[" + ", ".join(texts) + "]"
