"""N-dimensional max-pooling over the trailing axes.

Vectorised: windows come from :func:`mygrad.sliding_window_view`; the VJP finds the first
maximum of every window with one ``argmax`` and scatters the cotangent there with one
``bincount``, which also accumulates where overlapping windows share a maximum.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import ints_per_axis, shape_of

__all__ = ["max_pool"]


@defop(name="max_pool")
def _max_pool(x, pool, stride):
    """The max over each ``pool``-shaped window, placed every ``stride`` along the trailing axes."""
    n = len(pool)
    lead = np.ndim(x) - n
    # (*lead, *S) -> (*G, *lead, *pool) -> (*G, *lead)
    maxed = mg.sliding_window_view(np.asarray(x), pool, stride).max(axis=tuple(range(-n, 0)))
    return np.ascontiguousarray(np.moveaxis(maxed, tuple(range(n)), tuple(range(lead, lead + n))))


@_max_pool.vjp
def _max_pool_vjp(g, out, x, pool, stride):
    n = len(pool)
    sides = x.shape[-n:]
    groups = math.prod(x.shape[:-n])
    windows = mg.sliding_window_view(np.reshape(x, (groups, *sides)), pool, stride)
    grid = windows.shape[:n]
    # position of each window's first maximum (C order within the window)
    first_max = windows.reshape(*grid, groups, math.prod(pool)).argmax(axis=-1)  # (*G, groups)
    coords = []
    for i, offset in enumerate(np.unravel_index(first_max, pool)):
        start = np.arange(grid[i]).reshape([-1 if j == i else 1 for j in range(n + 1)])
        coords.append(offset + stride[i] * start)
    flat = np.ravel_multi_index(tuple(coords), sides) + math.prod(sides) * np.arange(groups)
    g_by_window = np.moveaxis(np.reshape(g, (groups, *grid)), 0, -1)  # (*G, groups)
    dx = np.bincount(flat.ravel(), weights=g_by_window.ravel(), minlength=x.size)
    return dx.reshape(x.shape)


@_max_pool.frontend
def max_pool(x: Any, pool: Any, stride: Any, *, constant: bool | None = None) -> mg.Tensor:
    """Max-pool the trailing ``len(pool)`` axes of ``x``.

    ``pool`` is a tuple, list or array of positive ints (the window shape); ``stride`` an
    int or one int per pooled axis. The result has shape ``(*leading_axes, *O)`` with
    ``O = (S - pool) / stride + 1``, which must be a positive integer (ValueError
    otherwise). The gradient of each window goes to its first maximum; overlapping
    windows accumulate.

    >>> import mygrad as mg
    >>> from mygrad.nnet import max_pool
    >>> x = mg.tensor([[0.0, 10.0, 8.0], [2.0, 7.0, 3.0], [5.0, 7.0, 20.0]])
    >>> out = max_pool(x, pool=(2, 2), stride=1)
    >>> out
    Tensor([[10., 10.],
            [ 7., 20.]])
    >>> out.backward()
    >>> x.grad
    array([[0., 2., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    if isinstance(pool, (Integral, np.integer)) or not isinstance(pool, (tuple, list, np.ndarray)):
        raise TypeError(
            f"`pool` must be a tuple, list or array of positive ints (one per pooled axis), "
            f"got {pool!r}"
        )
    window = ints_per_axis("pool", pool, len(pool), minimum=1)
    x_shape = shape_of(x)
    n = len(window)
    if not 0 < n <= len(x_shape):
        raise ValueError(
            f"`pool` {window} must name between 1 and x.ndim ({len(x_shape)}) axes to pool over"
        )
    steps = ints_per_axis("stride", stride, n, minimum=1)
    sides = x_shape[-n:]
    spans = [s - p for s, p in zip(sides, window)]
    if not all(span >= 0 and span % st == 0 for span, st in zip(spans, steps)):
        grid = tuple(span / st + 1 for span, st in zip(spans, steps))
        raise ValueError(
            "the pooling windows do not tile the data: each output size "
            f"(S - pool) / stride + 1 must be a positive integer, got {grid}\n"
            f"  pooled dimensions S: {sides}\n  pool: {window}\n  stride: {steps}"
        )
    return execute(_max_pool.op, (x,), {"pool": window, "stride": steps}, constant)
