"""Overflow-free NumPy building blocks shared by several nnet ops."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["stable_sigmoid", "sigmoid_in_place", "max_shifted", "log_softmax"]


def stable_sigmoid(x: Any) -> np.ndarray:
    """``1 / (1 + exp(-x))`` on arrays, without overflow warnings."""
    x = np.asarray(x)
    if x.dtype != np.float64:
        return _branchy_sigmoid(x)
    with np.errstate(over="ignore"):
        return sigmoid_in_place(x.copy())


def sigmoid_in_place(a: np.ndarray, negated: bool = False) -> np.ndarray:
    """Overwrite the float array ``a`` with ``sigmoid(a)`` (``sigmoid(-a)`` when ``negated``:
    a caller that can produce ``-x`` for free saves a pass) and return it.

    float64 takes the direct ``1 / (1 + exp(-x))``: four passes (three when ``negated``),
    no temporaries. exp overflows only where the sigmoid is below the smallest normal
    float64 (x < -709.78), and the result there is 0 instead of a subnormal number; the
    caller silences that overflow with ``np.errstate(over="ignore")`` (once around a loop:
    errstate costs a few microseconds). Other dtypes, whose overflow threshold is small
    (float16: 11), take the branch form, which keeps every representable result.
    """
    if a.dtype != np.float64:
        a[...] = _branchy_sigmoid(np.negative(a) if negated else a)
        return a
    if not negated:
        np.negative(a, out=a)
    np.exp(a, out=a)
    a += 1
    return np.reciprocal(a, out=a)


def _branchy_sigmoid(x: np.ndarray) -> np.ndarray:
    # exp only ever sees -|x|: for x >= 0, 1 / (1 + e^-x); for x < 0, e^x / (1 + e^x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


def max_shifted(x: Any, axis: Any) -> np.ndarray:
    """``x - max(x)`` along ``axis``, as floats: every exponent is <= 0, so exp cannot overflow."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if x.size:
        return x - np.maximum.reduce(x, axis=axis, keepdims=True)
    # `initial` lets an empty axis through (the result is empty anyway); it costs a few µs
    return x - np.max(x, axis=axis, keepdims=True, initial=-np.inf)


def log_softmax(x: Any, axis: Any) -> np.ndarray:
    """``x - logsumexp(x)`` along ``axis``, computed from the max-shifted values."""
    shifted = max_shifted(x, axis)
    # each sum holds exp(0) = 1, so log sees 0 only for an empty axis (an empty result)
    with np.errstate(divide="ignore"):
        return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
