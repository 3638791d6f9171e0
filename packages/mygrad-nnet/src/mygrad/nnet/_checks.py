"""Argument checks shared by the nnet functions: real scalars and per-axis integer tuples."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np

import mygrad as mg

__all__ = ["real_scalar", "ints_per_axis", "shape_of"]


def real_scalar(name: str, value: Any) -> float | int:
    """``value`` as a Python real number; a size-1 array or tensor gives its ``.item()``.

    Raises TypeError naming ``name`` for anything else (complex numbers, strings, arrays
    with several elements).
    """
    if isinstance(value, (np.ndarray, mg.Tensor, np.generic)):
        if value.size != 1:
            raise TypeError(f"`{name}` must be a real-valued scalar, got an array of shape "
                            f"{value.shape}")
        value = value.item()
    if isinstance(value, Real):
        return value
    raise TypeError(f"`{name}` must be a real-valued scalar, got {value!r} "
                    f"(type {type(value).__name__})")


def ints_per_axis(name: str, value: Any, n: int, minimum: int) -> tuple[int, ...]:
    """``value`` (one int, or one int per axis) as a length-``n`` tuple of ints >= ``minimum``."""
    if isinstance(value, Integral) and not isinstance(value, bool):
        items: tuple[Any, ...] = (value,) * n
    else:
        try:
            items = tuple(np.asarray(value).ravel().tolist()) if isinstance(
                value, np.ndarray) else tuple(value)
        except TypeError:
            raise TypeError(f"`{name}` must be an int or a sequence of {n} ints, "
                            f"got {value!r}") from None
        if len(items) != n:
            raise ValueError(f"`{name}` must be an int or a sequence of {n} ints (one per "
                             f"axis), got {value!r}")
    for v in items:
        if isinstance(v, bool) or not isinstance(v, Integral):
            raise TypeError(f"`{name}` must hold ints, got {value!r}")
        if v < minimum:
            raise ValueError(f"`{name}` must hold ints >= {minimum}, got {value!r}")
    return tuple(int(v) for v in items)


def shape_of(x: Any) -> tuple[int, ...]:
    """The shape of a Tensor, an ndarray or any array-like."""
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else np.shape(x)
