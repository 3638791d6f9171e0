"""Miscellaneous elementwise math: absolute (alias abs), sqrt, cbrt, maximum, minimum,
and clip."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._op import defop, execute
from ..._tensor import Tensor
from ..creation import astensor
from .arithmetic import positive

__all__ = ["abs", "absolute", "cbrt", "clip", "maximum", "minimum", "sqrt"]


@defop(np.absolute, kind="ufunc")
def absolute(x, *, nan_to_num: bool = True):
    """The absolute value, element-wise; mirrors :data:`numpy.absolute`.

    The derivative at 0 is taken as 0; with ``nan_to_num=False`` it is nan there.

    >>> import mygrad as mg
    >>> x = mg.tensor([-2.0, 0.0, 3.0])
    >>> mg.absolute(x).backward()
    >>> x.grad
    array([-1.,  0.,  1.])
    """


@absolute.vjp
def _absolute_vjp(g, out, x, nan_to_num=True):
    # d|x|/dx = sign(x): -1, 0 (a subgradient) or 1; nan at 0 when asked for
    slope = np.sign(x)
    if not nan_to_num:
        slope = np.where(x == 0, np.nan, slope)
    return g * slope


abs = absolute


@defop(np.sqrt, kind="ufunc")
def sqrt(x):
    """The non-negative square root, element-wise; mirrors :data:`numpy.sqrt`."""


@sqrt.vjp
def _sqrt_vjp(g, out, x):
    # d(sqrt x)/dx = 1/(2 sqrt x), which is inf at x == 0
    with np.errstate(divide="ignore"):
        return g / (2 * out)


@defop(np.cbrt, kind="ufunc")
def cbrt(x):
    """The cube root, element-wise; mirrors :data:`numpy.cbrt`."""


@cbrt.vjp
def _cbrt_vjp(g, out, x):
    # d(cbrt x)/dx = 1/(3 cbrt(x)^2), which is inf at x == 0
    with np.errstate(divide="ignore"):
        return g / (3 * np.square(out))


@defop(np.maximum, kind="ufunc")
def maximum(x1, x2):
    """The larger of two values, element-wise; mirrors :data:`numpy.maximum`.

    Where ``x1 == x2`` neither input receives a gradient.

    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0, 3.0])
    >>> mg.maximum(x, 2.0).backward()
    >>> x.grad
    array([0., 0., 1.])
    """


@maximum.vjp
def _maximum_vjp(g, out, x1, x2, needs):
    # d max(x1, x2)/dx1 = [x1 > x2], d/dx2 = [x2 > x1]; at a tie, neither. Where a nan
    # was involved the gradient goes to x2 (as in MyGrad).
    g1 = np.where(np.greater(x1, x2), g, 0) if needs[0] else None
    g2 = np.where(np.greater_equal(x1, x2), 0, g) if needs[1] else None
    return g1, g2


@defop(np.minimum, kind="ufunc")
def minimum(x1, x2):
    """The smaller of two values, element-wise; mirrors :data:`numpy.minimum`.

    Where ``x1 == x2`` neither input receives a gradient.
    """


@minimum.vjp
def _minimum_vjp(g, out, x1, x2, needs):
    # d min(x1, x2)/dx1 = [x1 < x2], d/dx2 = [x2 < x1]; at a tie, neither (nan: to x2)
    g1 = np.where(np.less(x1, x2), g, 0) if needs[0] else None
    g2 = np.where(np.less_equal(x1, x2), 0, g) if needs[1] else None
    return g1, g2


@defop(np.clip, arrays=3, method="clip", name="clip")
def _clip(a, a_min, a_max):
    """minimum(a_max, maximum(a_min, a)), element-wise."""
    return np.minimum(a_max, np.maximum(a_min, a))


@_clip.vjp
def _clip_vjp(g, out, a, a_min, a_max, needs):
    # the composition of maximum's and minimum's VJPs, so the boundaries (ties) get 0:
    # m = maximum(a_min, a) feeds minimum(a_max, m)
    m = np.maximum(a_min, a)
    through_m = ~np.less_equal(a_max, m)  # minimum passes g on to m
    g_a = np.where(through_m & ~np.greater_equal(a_min, a), g, 0) if needs[0] else None
    g_min = np.where(through_m & np.greater(a_min, a), g, 0) if needs[1] else None
    g_max = np.where(np.less(a_max, m), g, 0) if needs[2] else None
    return g_a, g_min, g_max


@_clip.frontend
def clip(
    a: Any,
    a_min: Any,
    a_max: Any,
    out: np.ndarray | Tensor | None = None,
    *,
    constant: bool | None = None,
) -> Tensor:
    """Limit the values of ``a`` to ``[a_min, a_max]``: ``minimum(a_max, maximum(a_min, a))``.

    Either bound may be None (no clipping on that side); with both None, ``a`` is returned
    as a tensor (the very same object for a Tensor). Where ``a_min > a_max`` the result is
    ``a_max``. An element equal to a bound sends no gradient to ``a`` or to that bound.
    ``out`` may be an ndarray or a Tensor (then updated in place and returned).

    >>> import mygrad as mg
    >>> x = mg.tensor([-1.0, 0.5, 2.0])
    >>> y = mg.clip(x, 0.0, 1.0)
    >>> y
    Tensor([0. , 0.5, 1. ])
    >>> y.backward()
    >>> x.grad
    array([0., 1., 0.])
    """
    if a_min is None and a_max is None:
        if out is None:
            return astensor(a, constant=constant)
        return positive(a, out=out, constant=constant)  # NumPy >= 2.1: a copy into out
    if a_min is None:
        return minimum(a_max, a, out=out, constant=constant)
    if a_max is None:
        return maximum(a_min, a, out=out, constant=constant)
    if out is not None:
        # the in-place forms of the ufuncs give out= its NumPy and MyGrad semantics
        return minimum(a_max, maximum(a_min, a, constant=constant), out=out, constant=constant)
    return execute(_clip.op, (a, a_min, a_max), {}, constant)
