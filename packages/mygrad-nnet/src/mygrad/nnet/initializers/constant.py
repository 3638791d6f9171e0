"""A tensor filled with one value."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg

from ._common import parse_shape

__all__ = ["constant"]


def constant(
    *shape: Any, value: Any = 0.0, dtype: Any = None, constant: bool | None = None
) -> mg.Tensor:
    """A leaf tensor of ``shape`` filled with ``value`` (``numpy.full``).

    Without ``dtype`` the dtype comes from ``value``: an int value gives an integer,
    hence constant, tensor.

    >>> from mygrad.nnet.initializers import constant
    >>> constant(2, 2, value=0.5)
    Tensor([[0.5, 0.5],
            [0.5, 0.5]])
    """
    shape = parse_shape("constant", shape)
    if isinstance(value, mg.Tensor):
        value = value.data
    return mg.tensor(np.full(shape, value, dtype=dtype), constant=constant, copy=False)
