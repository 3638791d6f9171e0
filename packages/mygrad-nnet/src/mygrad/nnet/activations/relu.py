"""The rectified linear unit."""

from __future__ import annotations

import numpy as np

from mygrad.extend import defop, scratch_variant

__all__ = ["relu"]


@defop(name="relu", reads=("out",))
def relu(x):
    """The rectified linear activation ``x * (x > 0)``, element-wise.

    The gradient is 1 where ``x > 0`` and 0 elsewhere (also at ``x == 0``); negative
    inputs give ``-0.`` as in MyGrad (for float inputs ``-inf`` gives ``-0.`` too, and
    ``0.`` may give either zero).

    >>> import mygrad as mg
    >>> from mygrad.nnet import relu
    >>> x = mg.tensor([-1.0, 0.0, 2.0])
    >>> relu(x).backward()
    >>> x.grad
    array([0., 0., 1.])
    """
    x = np.asarray(x)
    if x.dtype.kind == "f":
        # one pass without the bool-to-float cast of x * (x > 0); the result is the same
        # except that -inf gives -0. instead of nan
        return np.maximum(x, -0.0)
    return x * (x > 0)


# out > 0 exactly where x > 0 (also for nan and -0.), so the mask is read from the output:
# a node over large arrays then lets go of x, which is often a dead temporary
def _relu_vjp_scratch(g, out, x):
    # g is the engine's to overwrite (it has x's shape): the mask multiplies into it
    return np.multiply(g, out > 0, out=g)


@relu.vjp
@scratch_variant(_relu_vjp_scratch)
def _relu_vjp(g, out, x):
    return g * (out > 0)
