"""The gated linear unit."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import mygrad as mg

from .sigmoid import sigmoid

__all__ = ["glu"]


def glu(x: Any, axis: int = -1, *, constant: bool | None = None) -> mg.Tensor:
    """The gated linear unit: split ``x`` in two halves along ``axis`` and return
    ``first_half * sigmoid(second_half)``.

    The length of ``axis`` must be even (else ValueError); ``axis`` must be an int
    (else TypeError).

    >>> import mygrad as mg
    >>> from mygrad.nnet import glu
    >>> glu(mg.tensor([1.0, 2.0, 0.0, 1000.0]))
    Tensor([0.5, 2. ])
    """
    if isinstance(axis, bool) or not isinstance(axis, Integral):
        raise TypeError(f"`axis` must be an int, got {axis!r}")
    if not isinstance(x, mg.Tensor):
        x = mg.astensor(x, constant=True)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"`axis` {axis} is out of bounds for an input with {x.ndim} dimensions")
    length = x.shape[axis]
    if length % 2:
        raise ValueError(
            f"`glu` splits axis {axis} in two halves, so its length must be even; "
            f"the input of shape {x.shape} has length {length} there"
        )
    before = (slice(None),) * (axis % x.ndim)
    first = x[(*before, slice(None, length // 2))]
    second = x[(*before, slice(length // 2, None))]
    return mg.multiply(first, sigmoid(second), constant=constant)
