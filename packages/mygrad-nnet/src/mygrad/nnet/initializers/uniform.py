"""Uniformly distributed values."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg

from .._checks import real_scalar
from ._common import float_dtype, leaf, parse_shape

__all__ = ["uniform"]


def uniform(
    *shape: Any,
    lower_bound: Any = 0,
    upper_bound: Any = 1,
    dtype: Any = np.float32,
    constant: bool | None = None,
) -> mg.Tensor:
    """A leaf tensor of values drawn from U[lower_bound, upper_bound) (NumPy's global RNG).

    The shape is given as varargs or as one tuple. ``lower_bound < upper_bound`` and a
    floating ``dtype`` are required (ValueError otherwise).

    >>> from mygrad.nnet.initializers import uniform
    >>> w = uniform(2, 3, lower_bound=-1, upper_bound=1)
    >>> w.shape, w.dtype
    ((2, 3), dtype('float32'))
    """
    shape = parse_shape("uniform", shape)
    dt = float_dtype("uniform", dtype)
    low = real_scalar("lower_bound", lower_bound)
    high = real_scalar("upper_bound", upper_bound)
    if not low < high:
        raise ValueError(
            f"uniform: `lower_bound` ({low}) must be less than `upper_bound` ({high})"
        )
    return leaf(np.random.uniform(low, high, size=shape), dt, constant)
