"""Statistics: mean, var and std over axes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._op import defop
from ..extend import expand_reduced, normalize_axis

__all__ = ["mean", "std", "var"]


def _reduced_count(shape: tuple[int, ...], axis: Any) -> int:
    """How many input elements feed each output element."""
    return math.prod(shape[i] for i in normalize_axis(axis, len(shape)))


@defop(np.mean, kind="reduction", method="mean")
def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over ``axis``; mirrors :func:`numpy.mean` (integers give float64).

    >>> import mygrad as mg
    >>> mg.mean(mg.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1)
    Tensor([1.5, 3.5])
    """
    return np.mean(x, axis=axis, keepdims=keepdims)


@mean.vjp
def _mean_vjp(g, out, x, axis=None, keepdims=False):
    # d(mean x)/dx_i = 1/N, N the number of averaged elements (an empty input has no gradient)
    shape = np.shape(x)
    n = _reduced_count(shape, axis)
    # divided before it is broadcast: no full-size temporary (the engine copies on demand)
    return expand_reduced(np.asarray(g) / (n if n else 1), shape, axis, keepdims)


def _centered(x: np.ndarray, axis: Any) -> np.ndarray:
    """``x - mean(x)`` in float64 (at least): near the mean the difference cancels, and a
    mean rounded to float16/float32 would leave an error as large as the difference itself."""
    x = np.asarray(x, dtype=np.promote_types(x.dtype, np.float64))
    return x - np.mean(x, axis=axis, keepdims=True)


@defop(np.var, kind="reduction", method="var")
def var(x, axis=None, ddof=0, keepdims=False):
    """Variance over ``axis`` with ``N - ddof`` in the denominator; mirrors :func:`numpy.var`.

    >>> import mygrad as mg
    >>> mg.var(mg.tensor([1.0, 2.0, 3.0, 4.0]))
    Tensor(1.25)
    """
    return np.var(x, axis=axis, ddof=ddof, keepdims=keepdims)


@var.vjp
def _var_vjp(g, out, x, axis=None, ddof=0, keepdims=False):
    # var = sum((x - m)^2) / (N - ddof)  =>  dvar/dx_i = 2 (x_i - m) / (N - ddof)
    # (the path through the mean m vanishes because sum(x - m) = 0)
    x = np.asarray(x)
    denominator = _reduced_count(x.shape, axis) - ddof
    grad = _centered(x, axis)  # a fresh array: scaled in place, the only full-size one
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.asarray(g, dtype=grad.dtype) * 2 / denominator
        grad *= expand_reduced(scale, x.shape, axis, keepdims)
    return grad


@defop(np.std, kind="reduction", method="std")
def std(x, axis=None, ddof=0, keepdims=False):
    """Standard deviation over ``axis`` (``N - ddof`` divides); mirrors :func:`numpy.std`.

    >>> import mygrad as mg
    >>> mg.std(mg.tensor([1.0, 3.0]))
    Tensor(1.)
    """
    return np.std(x, axis=axis, ddof=ddof, keepdims=keepdims)


@std.vjp
def _std_vjp(g, out, x, axis=None, ddof=0, keepdims=False):
    # std = sqrt(var)  =>  dstd/dx_i = (x_i - m) / ((N - ddof) std); nan where std == 0
    x = np.asarray(x)
    denominator = _reduced_count(x.shape, axis) - ddof
    grad = _centered(x, axis)  # a fresh array: scaled in place, the only full-size one
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.asarray(g, dtype=grad.dtype) / out / denominator
        grad *= expand_reduced(scale, x.shape, axis, keepdims)
    return grad
