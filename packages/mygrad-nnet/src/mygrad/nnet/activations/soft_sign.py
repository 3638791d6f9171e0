"""The soft-sign function."""

from __future__ import annotations

import numpy as np

from mygrad.extend import defop

__all__ = ["soft_sign"]


@defop(name="soft_sign")
def soft_sign(x):
    """The soft-sign activation ``x / (1 + |x|)``, element-wise.

    >>> import mygrad as mg
    >>> from mygrad.nnet import soft_sign
    >>> soft_sign(mg.tensor([-3.0, 0.0, 1.0]))
    Tensor([-0.75,  0.  ,  0.5 ])
    """
    return x / (1 + np.abs(x))


@soft_sign.vjp
def _soft_sign_vjp(g, out, x):
    # d/dx x/(1+|x|) = 1/(1+|x|)^2, continuous at 0
    denominator = 1 + np.abs(x)
    return g / (denominator * denominator)
