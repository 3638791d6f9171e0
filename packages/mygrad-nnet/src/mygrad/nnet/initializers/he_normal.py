"""He (Kaiming) normal initialisation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import mygrad as mg

from .._checks import real_scalar
from ._common import fans, float_dtype, leaf, parse_shape

__all__ = ["he_normal"]


def he_normal(
    *shape: Any, gain: Any = 1, dtype: Any = np.float32, constant: bool | None = None
) -> mg.Tensor:
    """Values drawn from N(0, std**2) with ``std = gain / sqrt(fan_in)``,
    ``fan_in = shape[1] * prod(shape[2:])`` (He et al., 2015; pass ``gain=sqrt(2)`` for
    ReLU layers). The shape needs at least two dimensions (ValueError otherwise).

    >>> from mygrad.nnet.initializers import he_normal
    >>> he_normal(8, 4).shape
    (8, 4)
    """
    shape = parse_shape("he_normal", shape, min_dims=2)
    dt = float_dtype("he_normal", dtype)
    scale = real_scalar("gain", gain)
    fan_in, _ = fans(shape)
    std = scale / math.sqrt(fan_in) if fan_in else 0.0
    return leaf(np.random.normal(0.0, abs(std), size=shape), dt, constant)
