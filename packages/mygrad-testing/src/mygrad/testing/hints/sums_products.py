"""Hints for mygrad-core's ops/math/sums_products.py: sum, prod, cumsum, cumprod.

Also home of the axis strategies that every reduction row uses (statistics, extrema).
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st

from ..strategies import valid_axes
from ._row import Domain, Hints

__all__ = ["ROWS", "accumulation_axes", "keepdims", "one_shape", "reduction_axes"]

Shapes = tuple[tuple[int, ...], ...]


def reduction_axes(shapes: Shapes, *, allow_empty_tuple: bool = True) -> st.SearchStrategy[Any]:
    """Every valid ``axis`` of a reduction over ``shapes[0]``: None, an int, or a tuple of
    distinct axes (negative ones too; ``()`` unless ``allow_empty_tuple`` is False)."""
    ndim = len(shapes[0])
    if not allow_empty_tuple and ndim == 0:
        return st.none()
    return valid_axes(ndim, min_dim=0 if allow_empty_tuple else 1)


def accumulation_axes(shapes: Shapes) -> st.SearchStrategy[Any]:
    """``axis`` of cumsum/cumprod: None or one int (NumPy treats a 0-d input as 1-d)."""
    return valid_axes(max(len(shapes[0]), 1), single_axis_only=True)


def keepdims(shapes: Shapes) -> st.SearchStrategy[bool]:
    return st.booleans()


def one_shape(**bounds: int) -> Any:
    """A ``shapes`` factory: one array shape within ``bounds`` (hnp.array_shapes' args)."""
    bounds = {"min_dims": 0, "max_dims": 3, "min_side": 0, "max_side": 3, **bounds}
    return lambda: st.tuples(hnp.array_shapes(**bounds))


_REDUCTION_PARAMS = {"axis": reduction_axes, "keepdims": keepdims}

# products of up to 27 factors of magnitude <= 1.5 stay finite in float16 (1.5**27 < 65504)
_PRODUCT_DOMAIN = Domain(-1.5, 1.5)

ROWS = {
    "sum": Hints(params=_REDUCTION_PARAMS),
    # zeros are not kinks for prod: its exact zero handling is certified like any value
    "prod": Hints(params=_REDUCTION_PARAMS, shapes=one_shape(), domain=_PRODUCT_DOMAIN),
    "cumsum": Hints(params={"axis": accumulation_axes}),
    "cumprod": Hints(
        params={"axis": accumulation_axes}, shapes=one_shape(), domain=_PRODUCT_DOMAIN
    ),
}
