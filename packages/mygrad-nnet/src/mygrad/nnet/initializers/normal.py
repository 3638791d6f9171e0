"""Normally distributed values."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg

from .._checks import real_scalar
from ._common import float_dtype, leaf, parse_shape

__all__ = ["normal"]


def normal(
    *shape: Any,
    mean: Any = 0,
    std: Any = 1,
    dtype: Any = np.float32,
    constant: bool | None = None,
) -> mg.Tensor:
    """A leaf tensor of values drawn from N(mean, std**2) (NumPy's global RNG).

    The shape is given as varargs or as one tuple. ``std >= 0`` and a floating
    ``dtype`` are required (ValueError otherwise).

    >>> from mygrad.nnet.initializers import normal
    >>> normal((4, 2), mean=1.0, std=0.5).shape
    (4, 2)
    """
    shape = parse_shape("normal", shape)
    dt = float_dtype("normal", dtype)
    mu = real_scalar("mean", mean)
    sigma = real_scalar("std", std)
    if sigma < 0:
        raise ValueError(f"normal: `std` must be non-negative, got {sigma}")
    return leaf(np.random.normal(mu, sigma, size=shape), dt, constant)
