"""Extrema over axes: max (alias amax) and min (alias amin).

The whole gradient of each reduced block goes to its *first* extremal element (the one
``argmax``/``argmin`` picks in the row-major order of the block); ties are not split.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..._lazy import Scatter
from ..._op import defop
from ...extend import normalize_axis, register_override
from ..sorting import search_blockwise

__all__ = ["amax", "amin", "max", "min"]


def _first_extremum_grad(
    g: Any, x: Any, axis: Any, locate: Callable[..., np.ndarray]
) -> np.ndarray | Scatter:
    """Scatter ``g`` onto the first extremal element (per ``locate``) of each reduced block."""
    x = np.asarray(x)
    g = np.asarray(g)
    reduced = normalize_axis(axis, x.ndim)
    if len(reduced) == 1:
        # one axis: the first extremum along it is its block's first (no transposes); the
        # grad is left sparse, for the engine to add into the input's other gradient
        (ax,) = reduced
        winners = search_blockwise(x, ax, locate)
        index = _along(x.shape, ax, winners)
        values = g.reshape(winners.shape)

        def add(grad: np.ndarray, zeroed: bool) -> None:
            if zeroed:
                grad[index] = values
            else:
                grad[index] += values  # (one entry per line: no position repeats)

        return Scatter(x, g.dtype, add)
    kept = tuple(i for i in range(x.ndim) if i not in reduced)
    kept_shape = tuple(x.shape[i] for i in kept)
    reduced_shape = tuple(x.shape[i] for i in reduced)
    # one row per reduced block, laid out in the block's row-major order
    rows = np.transpose(x, kept + reduced).reshape(kept_shape + (math.prod(reduced_shape),))
    winners = search_blockwise(rows, rows.ndim - 1, locate)[..., np.newaxis]
    grad_rows = np.zeros(rows.shape, dtype=g.dtype)
    np.put_along_axis(grad_rows, winners, g.reshape(kept_shape)[..., np.newaxis], axis=-1)
    grad = grad_rows.reshape(kept_shape + reduced_shape)
    if kept + reduced == tuple(range(x.ndim)):
        return grad  # (no transpose: the fresh array itself)
    return np.transpose(grad, np.argsort(kept + reduced))


def _along(shape: tuple[int, ...], axis: int, winners: np.ndarray) -> tuple[np.ndarray, ...]:
    """The index picking, in each line along ``axis``, the entry ``winners`` names (winners
    has ``shape`` without ``axis``): what np.put_along_axis builds, without its checks."""
    kept = len(shape) - 1
    index = []
    for i, n in enumerate(shape):
        if i == axis:
            index.append(winners)
        else:
            at = i if i < axis else i - 1
            index.append(np.arange(n).reshape((1,) * at + (n,) + (1,) * (kept - at - 1)))
    return tuple(index)


@defop(np.max, kind="reduction", method="max")
def max(x, axis=None, keepdims=False):
    """Maximum over ``axis``; mirrors :func:`numpy.max` (an empty input raises ValueError).

    The gradient of each maximum goes entirely to its first occurrence.

    >>> import mygrad as mg
    >>> mg.max(mg.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=0)
    Tensor([3., 5.])
    """
    if type(x) is np.ndarray:
        # what np.max runs for an ndarray, without its two layers of Python wrappers
        return np.maximum.reduce(x, axis=axis, keepdims=keepdims)
    return np.max(x, axis=axis, keepdims=keepdims)


@max.vjp
def _max_vjp(g, out, x, axis=None, keepdims=False):
    # d(max x)/dx_i = 1 for the first i with x_i == max x (the one argmax picks), else 0
    return _first_extremum_grad(g, x, axis, np.argmax)


@defop(np.min, kind="reduction", method="min")
def min(x, axis=None, keepdims=False):
    """Minimum over ``axis``; mirrors :func:`numpy.min` (an empty input raises ValueError).

    The gradient of each minimum goes entirely to its first occurrence.

    >>> import mygrad as mg
    >>> mg.min(mg.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=0)
    Tensor([1., 2.])
    """
    if type(x) is np.ndarray:
        # what np.min runs for an ndarray, without its two layers of Python wrappers
        return np.minimum.reduce(x, axis=axis, keepdims=keepdims)
    return np.min(x, axis=axis, keepdims=keepdims)


@min.vjp
def _min_vjp(g, out, x, axis=None, keepdims=False):
    # d(min x)/dx_i = 1 for the first i with x_i == min x (the one argmin picks), else 0
    return _first_extremum_grad(g, x, axis, np.argmin)


amax = max
amin = min

# NumPy 2 keeps np.amax/np.amin as functions distinct from np.max/np.min
register_override(np.amax, amax)
register_override(np.amin, amin)
