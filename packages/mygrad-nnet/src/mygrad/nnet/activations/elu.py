"""The exponential linear unit."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import real_scalar

__all__ = ["elu"]


@defop(name="elu")
def _elu(x, alpha):
    """``x`` where ``x >= 0``, else ``alpha * (exp(x) - 1)``."""
    # expm1 keeps the small negative values accurate; the minimum keeps exp from overflowing
    return np.where(x >= 0, x, alpha * np.expm1(np.minimum(x, 0)))


@_elu.vjp
def _elu_vjp(g, out, x, alpha):
    # d/dx alpha*(e^x - 1) = alpha*e^x (not out + alpha, which cancels badly); 1 at x == 0
    return g * np.where(x >= 0, 1, alpha * np.exp(np.minimum(x, 0)))


@_elu.frontend
def elu(x: Any, alpha: Any, *, constant: bool | None = None) -> mg.Tensor:
    """The exponential linear activation: ``x`` for ``x >= 0``, else ``alpha * (exp(x) - 1)``.

    ``alpha`` is a real scalar (a size-1 array or tensor is read with ``.item()``);
    anything else raises TypeError. The gradient at ``x == 0`` is 1.

    >>> import mygrad as mg
    >>> from mygrad.nnet import elu
    >>> elu(mg.tensor([-1.0, 0.0, 2.0]), alpha=1.0)
    Tensor([-0.63212056,  0.        ,  2.        ])
    """
    return execute(_elu.op, (x,), {"alpha": real_scalar("alpha", alpha)}, constant)
