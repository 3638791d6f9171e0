"""N-dimensional max-pooling over the trailing axes.

Vectorised over the batch and over window positions: for each offset inside the window
(``prod(pool)`` of them, in C order) one strided slice of ``x`` holds that entry of every
window at once. The forward takes the running maximum of these slices; the VJP sends each
window's cotangent to the first slice that attains the maximum, writing each slice of ``dx``
once when the windows do not overlap and accumulating into it when they do.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from numbers import Integral
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import ints_per_axis, shape_of

__all__ = ["max_pool"]


def _entries(x: np.ndarray, pool: tuple[int, ...], stride: tuple[int, ...]) -> Iterator[Any]:
    """For each offset within the window (C order), that entry of every window:
    an array of the output's shape (a strided view of ``x``), and the index selecting it."""
    n = len(pool)
    grid = [(side - p) // s + 1 for side, p, s in zip(x.shape[-n:], pool, stride)]
    for offset in itertools.product(*(range(p) for p in pool)):
        index = (..., *(slice(k, k + s * (g - 1) + 1, s) for k, s, g in zip(offset, stride, grid)))
        yield x[index], index


@defop(name="max_pool")
def _max_pool(x, pool, stride):
    """The max over each ``pool``-shaped window, placed every ``stride`` along the trailing axes."""
    out = None
    for entry, _ in _entries(np.asarray(x), pool, stride):
        out = entry.copy() if out is None else np.maximum(out, entry, out=out)
    return out


@_max_pool.vjp
def _max_pool_vjp(g, out, x, pool, stride):
    # each window's cotangent goes to its first maximum (C order within the window)
    overlapping = any(s < p for s, p in zip(stride, pool))
    gaps = any(s > p for s, p in zip(stride, pool))
    # windows that tile x exactly write every entry of dx once: no zeros, no accumulation
    dx = (np.zeros if overlapping or gaps else np.empty)(x.shape, dtype=np.result_type(g))
    hit = unclaimed = None
    for entry, index in _entries(x, pool, stride):
        hit = np.equal(entry, out, out=hit)
        if unclaimed is None:
            unclaimed = ~hit
        else:
            hit &= unclaimed
            unclaimed ^= hit  # hit lies within unclaimed: this removes it
        if overlapping:
            dx[index] += g * hit
        else:
            np.multiply(g, hit, out=dx[index])
    return dx


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
