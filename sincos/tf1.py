"""The TF1 original's numbers, and its weights moved into ``LSTMRNN``.

``load_reference()`` reads ``tf1_reference.npz``, shipped inside the package:
the initial weights and the 200 costs of the tutorial's TF1 graph, recorded by
``scripts/tf1_reference.py``. ``from_tf1_weights`` maps TF1's weights to the
order of ``sincos.fast.weight_variables``.

Explained in the chapter "From TF1 to TF2" (notebooks/10_tf1_to_tf2.ipynb).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

REFERENCE_FILE = "tf1_reference.npz"
# The TF1 weights in the reference file, in the order from_tf1_weights takes.
TF1_WEIGHTS = ("w_in", "b_in", "lstm_kernel", "lstm_bias", "w_out", "b_out")


def load_reference() -> dict[str, Any]:
    """The recorded TF1 run: its six initial weights (``TF1_WEIGHTS``), its
    200 ``costs`` and ``meta`` (versions and settings, a dict)."""
    path = resources.files(__package__).joinpath(REFERENCE_FILE)
    with path.open("rb") as f, np.load(f, allow_pickle=False) as data:
        reference: dict[str, Any] = {k: data[k] for k in data.files}
    reference["meta"] = json.loads(str(reference["meta"]))
    return reference


def from_tf1_weights(
    w_in,
    b_in,
    kernel,
    bias,
    w_out,
    b_out,
    forget_bias: float = 1.0,
    gate_order: Sequence[int] = (0, 2, 1, 3),
) -> list[np.ndarray]:
    """The TF1 tutorial's weights in ``sincos.fast.weight_variables`` order.

    ``kernel`` is ``BasicLSTMCell``'s fused (input + H, 4H) matrix with rows
    [x; h] and gate blocks i, j, f, o, ``bias`` its (4H,) bias. Keras keeps
    the x rows (kernel) and the h rows (recurrent kernel) apart, orders the
    blocks i, f, c (= j), o, and holds TF1's constant ``forget_bias`` in its
    trainable bias (same gradients). ``gate_order`` names the TF1 block for
    each Keras block; change it, or ``forget_bias``, only to see a wrong
    mapping fail."""
    kernel = np.asarray(kernel, np.float32)
    bias = np.asarray(bias, np.float32)
    units = bias.shape[0] // 4
    blocks = np.split(kernel, 4, axis=1)
    kernel = np.concatenate([blocks[k] for k in gate_order], axis=1)
    bias = np.concatenate([np.split(bias, 4)[k] for k in gate_order])
    bias[units : 2 * units] += np.float32(forget_bias)  # Keras's forget block
    return [
        np.asarray(w_in, np.float32),
        np.asarray(b_in, np.float32),
        kernel[:-units],
        kernel[-units:],
        bias,
        np.asarray(w_out, np.float32),
        np.asarray(b_out, np.float32),
    ]
