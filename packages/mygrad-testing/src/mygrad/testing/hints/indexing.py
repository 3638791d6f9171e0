"""Hints for mygrad-core's ops/indexing.py: ``getitem``, with every kind of NumPy index.

A call is an array (0-4 dims, sides 0-4) and an index from ``arbitrary_indices``: ints,
slices with negative steps, ``...``, ``None``, integer arrays with repeated entries and
boolean masks, mixed and separated. The op only moves entries, so every dtype is
certified and the forward must equal NumPy's ``a[index]`` bit for bit; NumPy's own answer
says whether the result is a view.
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np

from ..strategies.indices import arbitrary_indices
from ..strategies.shapes import shapes
from ._row import Call, Hints

__all__ = ["ROWS", "getitem_calls"]


@st.composite
def getitem_calls(draw: st.DrawFn) -> Call:
    """A float array and any valid index for it."""
    shape = draw(shapes(max_dims=4, max_side=4, max_size=64))
    array = draw(hnp.arrays(np.float64, shape, elements=st.floats(-10, 10)))
    return Call((array,), {"index": draw(arbitrary_indices(shape))})


def _getitem_reference(a: np.ndarray, index: Any) -> np.ndarray:
    return np.asarray(a)[index]


_GRID = np.arange(24.0).reshape(2, 3, 4)

ROWS = {
    "getitem": Hints(
        calls=getitem_calls,
        reference=_getitem_reference,
        dtypes=(np.float64, np.float32, np.float16, np.int64, np.bool_),
        forward_exact=True,
        examples=(
            # repeated integer entries accumulate their gradients
            Call((np.arange(4.0),), {"index": np.array([0, 0, 3, 0])}),
            # advanced indices separated by a slice: the broadcast dims move to the front
            Call((_GRID,), {"index": (np.array([[1], [0]]), slice(None, None, -2), [2, 2])}),
            # a boolean mask over two axes combined with an integer array
            Call((_GRID,), {"index": (np.array([[1, 0, 1], [0, 1, 0]], bool), [1, 1, 3])}),
            # basic indexing with ..., None and a negative step: a view
            Call((_GRID,), {"index": (None, Ellipsis, slice(3, 0, -2), None)}),
            # a 0-d integer array is an advanced index: a copy, where the int 1 gives a view
            Call((_GRID,), {"index": (np.array(1), slice(None))}),
            # an empty selection
            Call((_GRID,), {"index": (slice(0, 0), np.zeros(0, dtype=np.intp))}),
        ),
    ),
}
