"""Hints for mygrad-core's ops/math/extrema.py: max (= amax) and min (= amin)."""

from __future__ import annotations

from ._row import Hints
from .sums_products import keepdims, one_shape, reduction_axes

# distinct values: a tie is a kink (the whole gradient goes to the first extremum);
# no empty shapes: max/min of an empty block raises ValueError
_EXTREMUM = Hints(
    params={"axis": reduction_axes, "keepdims": keepdims},
    shapes=one_shape(min_side=1),
    distinct=True,
)

ROWS = {"max": _EXTREMUM, "min": _EXTREMUM}
