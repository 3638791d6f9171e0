"""``tensors`` and ``array_likes`` (api.md §15)."""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np

import mygrad as mg

from ._validate import check, check_bool, check_int
from .elements import REAL
from .elements import elements as domain_elements
from .layouts import layouts, with_layout

__all__ = ["tensors", "array_likes"]


def _strategy(value: Any) -> st.SearchStrategy[Any]:
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def _shape_strategy(shape: Any) -> st.SearchStrategy[Any]:
    if isinstance(shape, st.SearchStrategy):
        return shape
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    check(
        isinstance(shape, tuple) and all(isinstance(n, int) and n >= 0 for n in shape),
        f"shape must be a tuple of non-negative ints or a strategy, got shape={shape!r}",
    )
    return st.just(shape)


def _arrays(
    draw: Any, dtype: np.dtype, shape: Any, elements: Any, fill: Any, unique: bool
) -> np.ndarray:
    elems = domain_elements(REAL, dtype) if elements is None else elements
    return draw(hnp.arrays(dtype, shape, elements=elems, fill=fill, unique=unique))


def tensors(
    dtype: Any = np.float64,
    shape: Any = hnp.array_shapes(min_dims=0, min_side=0),
    *,
    ndmin: int = 0,
    elements: Any = None,
    fill: Any = None,
    unique: bool = False,
    constant: Any = st.booleans(),
    include_grad: bool = False,
    grad_dtype: Any = None,
    grad_elements_bounds: tuple[float, float] | None = None,
    read_only: bool = False,
    layout: Any = "c",
) -> st.SearchStrategy[mg.Tensor]:
    """Draw mygrad Tensors.

    ``dtype`` and ``shape`` may be values or strategies; ``elements`` defaults to finite
    values in [-10, 10]. ``constant`` (a bool or a strategy) is forced to True for integer
    and bool dtypes. ``include_grad`` attaches a drawn grad to variable tensors (values in
    ``grad_elements_bounds``, default (-10, 10), representable in ``grad_dtype``; the grad
    itself has the tensor's dtype, as always). ``read_only`` makes the data non-writeable.
    ``layout``: "c", "f", "strided", "reversed", "broadcast", "offset", "any" or a strategy.
    """
    check_int(ndmin, "ndmin", minimum=0)
    check_bool(unique, "unique")
    check_bool(include_grad, "include_grad")
    check_bool(read_only, "read_only")
    check(
        include_grad or (grad_dtype is None and grad_elements_bounds is None),
        "grad_dtype and grad_elements_bounds need include_grad=True, got "
        f"grad_dtype={grad_dtype!r}, grad_elements_bounds={grad_elements_bounds!r}",
    )
    if grad_elements_bounds is not None:
        check(
            isinstance(grad_elements_bounds, tuple)
            and len(grad_elements_bounds) == 2
            and grad_elements_bounds[0] <= grad_elements_bounds[1],
            f"grad_elements_bounds must be a (low, high) pair, got {grad_elements_bounds!r}",
        )
    dtypes = _strategy(dtype).map(np.dtype)
    shapes = _shape_strategy(shape)
    constants = _strategy(constant)
    layout_names = layouts(layout)
    bounds = (-10.0, 10.0) if grad_elements_bounds is None else grad_elements_bounds

    @st.composite
    def draw_tensor(draw: Any) -> mg.Tensor:
        dt = draw(dtypes)
        arr = _arrays(draw, dt, draw(shapes), elements, fill, unique)
        is_constant = True if dt.kind != "f" else draw(constants)
        check(isinstance(is_constant, bool), f"constant must draw bools, got {is_constant!r}")
        data = with_layout(arr, draw(layout_names))
        tensor = mg.Tensor(data, constant=is_constant, copy=False, ndmin=ndmin)
        if include_grad and not is_constant:
            g_dtype = dt if grad_dtype is None else np.dtype(grad_dtype)
            g_elems = domain_elements(bounds, g_dtype)
            # backward on a leaf stores the grad (cast to the tensor's dtype)
            tensor.backward(draw(hnp.arrays(g_dtype, tensor.shape, elements=g_elems)))
        if read_only:
            tensor.data.flags.writeable = False
        return tensor

    return draw_tensor()


def array_likes(
    dtype: Any = st.sampled_from([float, int]),
    shape: Any = hnp.array_shapes(min_dims=0, min_side=0),
    *,
    elements: Any = None,
    fill: Any = None,
    unique: bool = False,
) -> st.SearchStrategy[Any]:
    """Non-tensor array-likes: Python scalars (for shape ``()``), nested lists and
    ndarrays. ``dtype`` may be a value or a strategy (Python ``float``/``int`` included)."""
    check_bool(unique, "unique")
    dtypes = _strategy(dtype).map(np.dtype)
    shapes = _shape_strategy(shape)

    @st.composite
    def draw_like(draw: Any) -> Any:
        arr = _arrays(draw, draw(dtypes), draw(shapes), elements, fill, unique)
        form = draw(st.sampled_from(["array", "scalar" if arr.ndim == 0 else "list"]))
        if form == "array":
            return arr
        return arr.item() if arr.ndim == 0 else arr.tolist()

    return draw_like()
