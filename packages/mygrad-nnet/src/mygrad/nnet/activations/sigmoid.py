"""The logistic sigmoid."""

from __future__ import annotations

from mygrad.extend import defop

from .._numerics import stable_sigmoid

__all__ = ["sigmoid"]


@defop(name="sigmoid")
def sigmoid(x):
    """The logistic sigmoid ``1 / (1 + exp(-x))``, element-wise, stable for large ``|x|``.

    >>> import mygrad as mg
    >>> from mygrad.nnet import sigmoid
    >>> sigmoid(mg.tensor([-1000.0, 0.0, 1000.0]))
    Tensor([0. , 0.5, 1. ])
    """
    return stable_sigmoid(x)


@sigmoid.vjp
def _sigmoid_vjp(g, out, x):
    # s' = s (1 - s)
    return g * out * (1 - out)
