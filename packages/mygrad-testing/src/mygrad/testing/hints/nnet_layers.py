"""Hints for mygrad-nnet's layer ops: conv_nd, max_pool and gru (batchnorm is composed of
core ops). The call strategies are public so that nnet's own tests draw the same calls."""

from __future__ import annotations

import math
from typing import Any

import hypothesis.strategies as st
import numpy as np
from hypothesis.extra import numpy as hnp

from . import nnet_reference as ref
from ._row import Call, Hints

__all__ = ["ROWS", "conv_calls", "max_pool_calls", "gru_calls", "gru_arrays", "distinct_values"]

# every value is exact in float16, so the float16/32 draws differ from float64 only by dtype
_VALUES = st.floats(-2.0, 2.0, width=16, allow_subnormal=False)


def _per_axis(draw: st.DrawFn, values: list[int]) -> Any:
    """An int when all entries agree and the draw says so, else the tuple."""
    if len(set(values)) == 1 and draw(st.booleans()):
        return values[0]
    return tuple(values)


# ----------------------------------------------------------------------------- conv_nd

# (max grid size, max kernel side, max stride, max dilation) per number of convolved axes
_CONV_LIMITS = {1: (4, 3, 3, 2), 2: (3, 3, 2, 2), 3: (2, 2, 2, 2)}


@st.composite
def conv_calls(draw: st.DrawFn, dims: tuple[int, ...] = (1, 2, 3)) -> Call:
    """A valid conv_nd call: x (N, C, *S), filters (F, C, *K), stride/padding/dilation
    (ints or per-axis tuples) for which every output size is a positive integer."""
    n = draw(st.sampled_from(dims))
    max_grid, max_kernel, max_stride, max_dilation = _CONV_LIMITS[n]
    batch, channels, filters = (draw(st.integers(1, 2)) for _ in range(3))
    grid, kernel, stride, dilation, padding, sides = [], [], [], [], [], []
    for _ in range(n):
        o, k = draw(st.integers(1, max_grid)), draw(st.integers(1, max_kernel))
        s, d = draw(st.integers(1, max_stride)), draw(st.integers(1, max_dilation))
        # the data side S = (O - 1) s + (K - 1) d + 1 - 2p must stay >= 1
        p = draw(st.integers(0, min(2, ((o - 1) * s + (k - 1) * d) // 2)))
        grid.append(o)
        kernel.append(k)
        stride.append(s)
        dilation.append(d)
        padding.append(p)
        sides.append((o - 1) * s + (k - 1) * d + 1 - 2 * p)
    x = draw(hnp.arrays(np.float64, (batch, channels, *sides), elements=_VALUES))
    w = draw(hnp.arrays(np.float64, (filters, channels, *kernel), elements=_VALUES))
    params: dict[str, Any] = {"stride": _per_axis(draw, stride)}
    if any(padding) or draw(st.booleans()):
        params["padding"] = _per_axis(draw, padding)
    if any(d > 1 for d in dilation) or draw(st.booleans()):
        params["dilation"] = _per_axis(draw, dilation)
    return Call((x, w), params)


# ----------------------------------------------------------------------------- max_pool


@st.composite
def distinct_values(draw: st.DrawFn, shape: tuple[int, ...]) -> np.ndarray:
    """Pairwise distinct values 0.5 apart (no ties, exact in float16), randomly placed."""
    size = math.prod(shape)
    order = np.asarray(draw(st.permutations(range(size))), dtype=np.float64)
    return (0.5 * (order - size // 2)).reshape(shape)


@st.composite
def max_pool_calls(draw: st.DrawFn, ties: bool = False) -> Call:
    """A valid max_pool call: leading axes, 1-3 pooled axes, pool (tuple or list) and
    stride (int or tuple) that tile the data. Values are distinct unless ``ties``."""
    n = draw(st.integers(1, 3))
    lead = tuple(draw(st.lists(st.integers(1, 2), max_size=3 - n)))
    pool, stride, sides = [], [], []
    for _ in range(n):
        p, s, o = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
        pool.append(p)
        stride.append(s)
        sides.append((o - 1) * s + p)
    shape = (*lead, *sides)
    if ties:
        x = draw(hnp.arrays(np.float64, shape, elements=st.integers(-1, 1).map(float)))
    else:
        x = draw(distinct_values(shape))
    pool_arg = tuple(pool) if draw(st.booleans()) else list(pool)
    return Call((x,), {"pool": pool_arg, "stride": _per_axis(draw, stride)})


# ----------------------------------------------------------------------------- gru


@st.composite
def gru_arrays(draw: st.DrawFn, T: int, N: int, C: int, D: int) -> tuple[np.ndarray, ...]:
    """X (T, N, C) and the nine weights Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh."""
    shapes = [(T, N, C)] + [(C, D), (D, D), (D,)] * 3
    return tuple(draw(hnp.arrays(np.float64, s, elements=_VALUES)) for s in shapes)


@st.composite
def gru_calls(draw: st.DrawFn) -> Call:
    """A gru call with full backpropagation through time and no dropout (both of which
    nnet's tests check against their own references), with or without ``s0``."""
    T, N, C, D = draw(st.integers(1, 3)), draw(st.integers(1, 2)), *(
        draw(st.integers(1, 3)) for _ in range(2)
    )
    arrays = draw(gru_arrays(T, N, C, D))
    params: dict[str, Any] = {}
    if draw(st.booleans()):
        params["s0"] = draw(hnp.arrays(np.float64, (N, D), elements=_VALUES))
    if draw(st.booleans()):
        # T - 1 steps is everything there is: the same as None
        params["bp_lim"] = T - 1
    return Call(arrays, params)


ROWS = {
    "conv_nd": Hints(calls=conv_calls, reference=ref.conv_nd_reference, cost=4),
    "max_pool": Hints(calls=max_pool_calls, reference=ref.max_pool_reference, cost=2),
    "gru": Hints(calls=gru_calls, reference=ref.gru_reference, cost=4),
}
