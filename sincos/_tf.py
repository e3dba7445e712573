"""Import TensorFlow without the C++ log lines it prints while loading.

TensorFlow writes those lines (oneDNN, CUDA probes) straight to file descriptor
2, below Python, where no logging setting reaches; in a notebook the kernel
would store them as output. They are discarded for the length of the import,
and ``TF_CPP_MIN_LOG_LEVEL=3`` (unless already set) keeps later C++ log lines
(a missing GPU driver, say) out of the way too. Nothing else is changed: the
reader's TensorFlow computes as it would without this package.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType


def import_tensorflow() -> ModuleType:
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
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
    return tensorflow
