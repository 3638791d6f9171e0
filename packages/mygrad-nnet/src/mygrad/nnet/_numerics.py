"""Overflow-free NumPy building blocks shared by several nnet ops."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["stable_sigmoid", "max_shifted", "log_softmax"]


def stable_sigmoid(x: Any) -> np.ndarray:
    """``1 / (1 + exp(-x))`` on arrays without overflow: exp only ever sees ``-|x|``."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    # for x >= 0: 1 / (1 + e^-x); for x < 0: e^x / (1 + e^x)
    return np.where(x >= 0, 1, e) / (1 + e)


def max_shifted(x: Any, axis: Any) -> np.ndarray:
    """``x - max(x)`` along ``axis``, as floats: every exponent is <= 0, so exp cannot overflow."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    # `initial` lets an empty axis through (the result is empty anyway)
    return x - np.max(x, axis=axis, keepdims=True, initial=-np.inf)


def log_softmax(x: Any, axis: Any) -> np.ndarray:
    """``x - logsumexp(x)`` along ``axis``, computed from the max-shifted values."""
    shifted = max_shifted(x, axis)
    # each sum holds exp(0) = 1, so log sees 0 only for an empty axis (an empty result)
    with np.errstate(divide="ignore"):
        return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
