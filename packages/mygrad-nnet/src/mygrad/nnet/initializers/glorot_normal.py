"""Glorot (Xavier) normal initialisation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import mygrad as mg

from .._checks import real_scalar
from ._common import fans, float_dtype, leaf, parse_shape

__all__ = ["glorot_normal"]


def glorot_normal(
    *shape: Any, gain: Any = 1, dtype: Any = np.float32, constant: bool | None = None
) -> mg.Tensor:
    """Values drawn from N(0, std**2) with ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    ``fan_in = shape[1] * prod(shape[2:])`` and ``fan_out = shape[0] * prod(shape[2:])``
    for every number of dimensions (D5: MyGrad 2.5 used ``shape[-1]`` as the receptive
    field). The shape needs at least two dimensions (ValueError otherwise).

    >>> from mygrad.nnet.initializers import glorot_normal
    >>> glorot_normal((4, 3, 2, 2)).dtype
    dtype('float32')
    """
    shape = parse_shape("glorot_normal", shape, min_dims=2)
    dt = float_dtype("glorot_normal", dtype)
    scale = real_scalar("gain", gain)
    fan_in, fan_out = fans(shape)
    std = scale * math.sqrt(2 / (fan_in + fan_out)) if fan_in + fan_out else 0.0
    return leaf(np.random.normal(0.0, abs(std), size=shape), dt, constant)
