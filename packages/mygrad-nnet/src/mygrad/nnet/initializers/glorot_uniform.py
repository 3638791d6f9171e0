"""Glorot (Xavier) uniform initialisation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import mygrad as mg

from .._checks import real_scalar
from ._common import fans, float_dtype, leaf, parse_shape

__all__ = ["glorot_uniform"]


def glorot_uniform(
    *shape: Any, gain: Any = 1, dtype: Any = np.float32, constant: bool | None = None
) -> mg.Tensor:
    """Values drawn from U[-b, b] with ``b = gain * sqrt(6 / (fan_in + fan_out))``.

    ``fan_in = shape[1] * prod(shape[2:])`` and ``fan_out = shape[0] * prod(shape[2:])``,
    so the variance is ``gain**2 * 2 / (fan_in + fan_out)`` (Glorot & Bengio, 2010). The
    shape needs at least two dimensions (ValueError otherwise).

    >>> from mygrad.nnet.initializers import glorot_uniform
    >>> glorot_uniform(3, 2).shape
    (3, 2)
    """
    shape = parse_shape("glorot_uniform", shape, min_dims=2)
    dt = float_dtype("glorot_uniform", dtype)
    scale = real_scalar("gain", gain)
    fan_in, fan_out = fans(shape)
    bound = abs(scale) * math.sqrt(6 / (fan_in + fan_out)) if fan_in + fan_out else 0.0
    return leaf(np.random.uniform(-bound, bound, size=shape), dt, constant)
