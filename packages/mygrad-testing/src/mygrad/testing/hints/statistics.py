"""Hints for mygrad-core's ops/statistics.py: mean, var, std."""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st

from ._row import Hints
from .sums_products import keepdims, one_shape, reduction_axes

Shapes = tuple[tuple[int, ...], ...]


def _ddof(shapes: Shapes) -> st.SearchStrategy[int]:
    # with axis never (), each reduced group has at least min(shape) elements, so
    # N - ddof >= 1 and the variance stays finite
    return st.integers(0, min(shapes[0], default=1) - 1)


def _nonempty_axes(shapes: Shapes) -> st.SearchStrategy[Any]:
    return reduction_axes(shapes, allow_empty_tuple=False)


_SPREAD_PARAMS = {"axis": _nonempty_axes, "ddof": _ddof, "keepdims": keepdims}

ROWS = {
    # the mean of an empty block is nan with a RuntimeWarning (tests/ops/test_statistics.py)
    "mean": Hints(
        params={"axis": reduction_axes, "keepdims": keepdims}, shapes=one_shape(min_side=1)
    ),
    "var": Hints(params=_SPREAD_PARAMS, shapes=one_shape(min_side=1)),
    # std is not differentiable at zero variance (a single element, or ties everywhere):
    # groups of >= 2 distinct values keep it away from 0
    "std": Hints(
        params=_SPREAD_PARAMS, shapes=one_shape(min_dims=1, min_side=2), distinct=True
    ),
}
