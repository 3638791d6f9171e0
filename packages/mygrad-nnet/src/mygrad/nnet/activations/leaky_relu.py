"""The leaky rectified linear unit."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import real_scalar

__all__ = ["leaky_relu"]


@defop(name="leaky_relu")
def _leaky_relu(x, slope):
    """``maximum(x, 0) + slope * minimum(x, 0)``."""
    return np.maximum(x, 0) + slope * np.minimum(x, 0)


@_leaky_relu.vjp
def _leaky_relu_vjp(g, out, x, slope):
    # 1 above zero, `slope` below, and 0 at the kink itself (as MyGrad)
    return g * np.where(x > 0, 1, np.where(x < 0, slope, 0))


@_leaky_relu.frontend
def leaky_relu(x: Any, slope: Any, *, constant: bool | None = None) -> mg.Tensor:
    """The leaky rectified linear activation ``maximum(x, 0) + slope * minimum(x, 0)``.

    ``slope`` is a real scalar (a size-1 array or tensor is read with ``.item()``);
    anything else raises TypeError. The gradient at ``x == 0`` is 0.

    >>> import mygrad as mg
    >>> from mygrad.nnet import leaky_relu
    >>> leaky_relu(mg.tensor([-2.0, 0.0, 3.0]), slope=0.1)
    Tensor([-0.2,  0. ,  3. ])
    """
    return execute(_leaky_relu.op, (x,), {"slope": real_scalar("slope", slope)}, constant)
