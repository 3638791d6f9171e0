"""He (Kaiming) uniform initialisation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import mygrad as mg

from .._checks import real_scalar
from ._common import fans, float_dtype, leaf, parse_shape

__all__ = ["he_uniform"]


def he_uniform(
    *shape: Any, gain: Any = 1, dtype: Any = np.float32, constant: bool | None = None
) -> mg.Tensor:
    """Values drawn from U[-b, b] with ``b = gain * sqrt(3 / fan_in)``,
    ``fan_in = shape[1] * prod(shape[2:])``: the variance is ``gain**2 / fan_in``, as for
    :func:`he_normal` (D5: MyGrad 2.5 used a wrong bound). The shape needs at least two
    dimensions (ValueError otherwise).

    >>> from mygrad.nnet.initializers import he_uniform
    >>> float(abs(he_uniform(10, 100, gain=1).data).max()) <= (3 / 100) ** 0.5
    True
    """
    shape = parse_shape("he_uniform", shape, min_dims=2)
    dt = float_dtype("he_uniform", dtype)
    scale = real_scalar("gain", gain)
    fan_in, _ = fans(shape)
    bound = abs(scale) * math.sqrt(3 / fan_in) if fan_in else 0.0
    return leaf(np.random.uniform(-bound, bound, size=shape), dt, constant)
