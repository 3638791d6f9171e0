"""The hard hyperbolic tangent."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import real_scalar

__all__ = ["hard_tanh"]


@defop(name="hard_tanh")
def _hard_tanh(x, *, lower_bound=-1, upper_bound=1):
    """``maximum(lower_bound, minimum(x, upper_bound))``."""
    return np.maximum(lower_bound, np.minimum(x, upper_bound))


@_hard_tanh.vjp
def _hard_tanh_vjp(g, out, x, *, lower_bound=-1, upper_bound=1):
    # 1 strictly between the bounds; 0 outside and at the bounds themselves
    return g * ((x > lower_bound) & (x < upper_bound))


@_hard_tanh.frontend
def hard_tanh(
    x: Any, *, lower_bound: Any = -1, upper_bound: Any = 1, constant: bool | None = None
) -> mg.Tensor:
    """The hard tanh ``maximum(lower_bound, minimum(x, upper_bound))``, element-wise.

    The bounds are real scalars (size-1 arrays or tensors are read with ``.item()``;
    anything else raises TypeError). The gradient is 1 strictly between the bounds and
    0 elsewhere, including at the bounds.

    >>> import mygrad as mg
    >>> from mygrad.nnet import hard_tanh
    >>> hard_tanh(mg.tensor([-3.0, 0.5, 3.0]))
    Tensor([-1. ,  0.5,  1. ])
    """
    params = {
        "lower_bound": real_scalar("lower_bound", lower_bound),
        "upper_bound": real_scalar("upper_bound", upper_bound),
    }
    return execute(_hard_tanh.op, (x,), params, constant)
