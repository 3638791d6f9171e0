"""What the initializers share: reading the shape, checking the dtype, the fans, the leaf."""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np

import mygrad as mg

__all__ = ["parse_shape", "float_dtype", "fans", "leaf"]


def parse_shape(name: str, shape: tuple[Any, ...], min_dims: int = 0) -> tuple[int, ...]:
    """The shape given as varargs (``f(2, 3)``) or as one sequence (``f((2, 3))``).

    A bare int is a 1-D shape. Raises ValueError when it has fewer than ``min_dims``
    dimensions, TypeError/ValueError for non-integer or negative sizes.
    """
    if len(shape) == 1 and isinstance(shape[0], (Sequence, np.ndarray)):
        shape = tuple(np.asarray(shape[0]).tolist()) if isinstance(shape[0], np.ndarray) else tuple(
            shape[0]
        )
    for side in shape:
        if isinstance(side, bool) or not isinstance(side, Integral):
            raise TypeError(f"{name}: the shape must hold ints, got {shape!r}")
        if side < 0:
            raise ValueError(f"{name}: the shape must hold non-negative ints, got {shape!r}")
    if len(shape) < min_dims:
        raise ValueError(
            f"{name} needs a shape with at least {min_dims} dimensions, got {tuple(shape)!r}"
        )
    return tuple(int(side) for side in shape)


def float_dtype(name: str, dtype: Any) -> np.dtype:
    """``dtype`` as a NumPy dtype, which must be a floating one (ValueError otherwise)."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"{name}: `dtype` must be a floating-point dtype, got {dtype!r}") from None
    if dt.kind != "f":
        raise ValueError(f"{name}: `dtype` must be a floating-point dtype, got {dt}")
    return dt


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) = (shape[1], shape[0]), each times the receptive field prod(shape[2:])."""
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def leaf(values: np.ndarray, dtype: np.dtype, constant: bool | None) -> mg.Tensor:
    """A new leaf tensor holding ``values`` cast to ``dtype``."""
    return mg.tensor(np.asarray(values).astype(dtype, copy=False), constant=constant, copy=False)
