"""cubic_ops: one custom mygrad op, written with the public extension API.

>>> import mygrad as mg
>>> from cubic_ops import cube
>>> x = mg.tensor([1.0, 2.0])
>>> cube(x).backward()
>>> x.grad
array([ 3., 12.])
"""

from __future__ import annotations

import numpy as np

from mygrad.extend import defop

__all__ = ["cube"]


@defop(name="cube")
def cube(x):
    """x ** 3, element-wise (keeps the input's float dtype)."""
    return x * x * x


@cube.vjp
def _cube_vjp(g, out, x):
    # d(x^3)/dx = 3 x^2
    return 3 * g * np.square(x)
