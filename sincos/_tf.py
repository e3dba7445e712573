"""Import TensorFlow without the C++ log lines it prints while loading.

TensorFlow writes those lines (oneDNN, CUDA probes) straight to file descriptor
2, below Python, where no logging setting reaches; in a notebook the kernel
would store them as output. They are discarded for the length of the import
only.
"""

from __future__ import annotations

import logging
import os
import sys
from types import ModuleType


def import_tensorflow() -> ModuleType:
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # oneDNN's kernels pay a setup cost per new shape that this tiny model
    # never earns back: without them the first 200 iterations take about a
    # third less.
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    sys.stderr.flush()
    os.dup2(devnull, 2)
    try:
        import tensorflow
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    # Every Trainer traces its own loop once; TensorFlow counts traces across
    # instances and would warn of "excessive retracing" after a handful of
    # trainers.
    logging.getLogger("tensorflow").addFilter(_NotRetracingWarning())
    # The model is tiny: one thread per op beats handing each op to a pool.
    tensorflow.config.threading.set_intra_op_parallelism_threads(1)
    tensorflow.config.threading.set_inter_op_parallelism_threads(1)
    return tensorflow


class _NotRetracingWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()
