"""The rectified linear unit."""

from __future__ import annotations

from mygrad.extend import defop

__all__ = ["relu"]


@defop(name="relu")
def relu(x):
    """The rectified linear activation ``x * (x > 0)``, element-wise.

    The gradient is 1 where ``x > 0`` and 0 elsewhere (also at ``x == 0``); negative
    inputs give ``-0.`` as in MyGrad.

    >>> import mygrad as mg
    >>> from mygrad.nnet import relu
    >>> x = mg.tensor([-1.0, 0.0, 2.0])
    >>> relu(x).backward()
    >>> x.grad
    array([0., 0., 1.])
    """
    return x * (x > 0)


@relu.vjp
def _relu_vjp(g, out, x):
    return g * (x > 0)
