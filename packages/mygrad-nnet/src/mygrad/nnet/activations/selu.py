"""The scaled exponential linear unit."""

from __future__ import annotations

import numpy as np

from mygrad.extend import defop

__all__ = ["selu"]

# the constants of Klambauer et al., "Self-Normalizing Neural Networks" (2017)
_ALPHA = 1.6732632423543772
_SCALE = 1.0507009873554805


@defop(name="selu")
def selu(x):
    """The scaled exponential linear activation, element-wise:
    ``scale * x`` for ``x >= 0`` and ``scale * alpha * (exp(x) - 1)`` below,
    with ``alpha = 1.6732632423543772`` and ``scale = 1.0507009873554805``.

    The gradient at ``x == 0`` is ``scale``.

    >>> import mygrad as mg
    >>> from mygrad.nnet import selu
    >>> selu(mg.tensor([0.0, 1.0]))
    Tensor([0.        , 1.05070099])
    """
    return _SCALE * np.where(x >= 0, x, _ALPHA * np.expm1(np.minimum(x, 0)))


@selu.vjp
def _selu_vjp(g, out, x):
    # below 0: d/dx scale*alpha*(e^x - 1) = scale*alpha*e^x (computed directly: out +
    # scale*alpha would cancel badly in low precision)
    return g * np.where(x >= 0, _SCALE, (_SCALE * _ALPHA) * np.exp(np.minimum(x, 0)))
