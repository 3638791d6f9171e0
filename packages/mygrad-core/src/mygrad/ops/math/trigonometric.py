"""Trigonometric functions.

mygrad ufuncs: sin, cos, tan, arcsin, arccos, arctan, arctan2. Plain functions
``f(a, *, constant=None)`` without a NumPy counterpart: sinc, cot, csc, sec, arccot,
arccsc, arcsec.
"""

from __future__ import annotations

import math

import numpy as np

from ..._op import defop

__all__ = [
    "arccos",
    "arccot",
    "arccsc",
    "arcsec",
    "arcsin",
    "arctan",
    "arctan2",
    "cos",
    "cot",
    "csc",
    "sec",
    "sin",
    "sinc",
    "tan",
]


@defop(np.sin, kind="ufunc")
def sin(x):
    """The sine, element-wise; mirrors :data:`numpy.sin`.

    >>> import mygrad as mg
    >>> x = mg.tensor([0.0, mg.pi / 2])
    >>> mg.sin(x).backward()
    >>> x.grad.round(12)
    array([1., 0.])
    """


@sin.vjp
def _sin_vjp(g, out, x):
    # d(sin x)/dx = cos x
    return g * np.cos(x)


@defop(np.cos, kind="ufunc")
def cos(x):
    """The cosine, element-wise; mirrors :data:`numpy.cos`."""


@cos.vjp
def _cos_vjp(g, out, x):
    # d(cos x)/dx = -sin x
    return -g * np.sin(x)


@defop(np.tan, kind="ufunc")
def tan(x):
    """The tangent, element-wise; mirrors :data:`numpy.tan`."""


@tan.vjp
def _tan_vjp(g, out, x):
    # d(tan x)/dx = 1/cos^2 x
    c = np.cos(x)
    return g / (c * c)


def _one_minus_square(x):
    """1 - x**2, without cancelling digits near |x| == 1."""
    return (1 - x) * (1 + x)


def _zero_where_unit(x, value):
    """``value`` with the entries where |x| == 1 set to 0 (MyGrad's convention there)."""
    return np.where(np.abs(x) == 1, 0, value)


@defop(np.arcsin, kind="ufunc")
def arcsin(x):
    """The inverse sine, element-wise; mirrors :data:`numpy.arcsin`.

    The derivative is taken as 0 where |x| == 1 (not inf).
    """


@arcsin.vjp
def _arcsin_vjp(g, out, x):
    # d(arcsin x)/dx = 1/sqrt(1 - x^2); defined as 0 at |x| == 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return _zero_where_unit(x, g / np.sqrt(_one_minus_square(x)))


@defop(np.arccos, kind="ufunc")
def arccos(x):
    """The inverse cosine, element-wise; mirrors :data:`numpy.arccos`.

    The derivative is taken as 0 where |x| == 1 (not -inf).
    """


@arccos.vjp
def _arccos_vjp(g, out, x):
    # d(arccos x)/dx = -1/sqrt(1 - x^2); defined as 0 at |x| == 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return _zero_where_unit(x, -g / np.sqrt(_one_minus_square(x)))


@defop(np.arctan, kind="ufunc")
def arctan(x):
    """The inverse tangent, element-wise; mirrors :data:`numpy.arctan`."""


@arctan.vjp
def _arctan_vjp(g, out, x):
    # d(arctan x)/dx = 1/(1 + x^2) = 1/hypot(1, x)^2 (x^2 could overflow on its own)
    r = np.hypot(1, x)
    return g / r / r


@defop(np.arctan2, kind="ufunc")
def arctan2(x1, x2):
    """The angle of the point (x2, x1), element-wise; mirrors :data:`numpy.arctan2`."""


@arctan2.vjp
def _arctan2_vjp(g, out, x1, x2, needs):
    # d/dx1 arctan2(x1, x2) = x2/(x1^2 + x2^2),  d/dx2 = -x1/(x1^2 + x2^2);
    # x1^2 + x2^2 = hypot(x1, x2)^2, whose squares cannot overflow on their own
    r = np.hypot(x1, x2)
    scale = g / r / r
    return (scale * x2 if needs[0] else None), (-scale * x1 if needs[1] else None)


# --- functions without a NumPy ufunc --------------------------------------------------

# d/dy (sin y / y) = sum_k (-1)^k 2k y^(2k-1) / (2k+1)!: used for |y| < 0.5, where the
# closed form cancels digits; six terms leave a relative error below 1e-14 there
_DSINC_SERIES = tuple((-1) ** k * 2 * k / math.factorial(2 * k + 1) for k in range(1, 7))
_DSINC_SERIES_LIMIT = 0.5


def _dsinc_dy(y):
    """d/dy (sin y / y); 0 at y == 0."""
    y2 = y * y
    series = np.zeros_like(y)
    for c in reversed(_DSINC_SERIES):
        series = series * y2 + c
    small = np.abs(y) < _DSINC_SERIES_LIMIT
    safe_y = np.where(small, 1, y)
    closed = (safe_y * np.cos(safe_y) - np.sin(safe_y)) / (safe_y * safe_y)
    return np.where(small, series * y, closed)


@defop(name="sinc")
def sinc(a):
    """The normalised sinc, sin(pi a) / (pi a) (1 at a == 0), element-wise; like
    :func:`numpy.sinc`. Its derivative is 0 at a == 0.

    >>> import mygrad as mg
    >>> mg.sinc([0.0, 0.5])
    Tensor([1.        , 0.63661977])
    """
    return np.sinc(a)


@sinc.vjp
def _sinc_vjp(g, out, a):
    # sinc(a) = sin(y)/y with y = pi a, so d/da = pi (y cos y - sin y) / y^2;
    # evaluated in at least float64, because the closed form cancels digits
    a = np.asarray(a, dtype=np.result_type(a, np.float64))
    return g * (np.pi * _dsinc_dy(np.pi * a))


@defop(name="cot")
def cot(a):
    """The cotangent 1/tan(a), element-wise."""
    with np.errstate(divide="ignore"):
        return 1 / np.tan(a)


@cot.vjp
def _cot_vjp(g, out, a):
    # d(cot a)/da = -1/sin^2 a
    s = np.sin(a)
    with np.errstate(divide="ignore"):
        return -g / (s * s)


@defop(name="csc")
def csc(a):
    """The cosecant 1/sin(a), element-wise."""
    with np.errstate(divide="ignore"):
        return 1 / np.sin(a)


@csc.vjp
def _csc_vjp(g, out, a):
    # d(csc a)/da = -csc a cot a = -cos a / sin^2 a
    s = np.sin(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -g * np.cos(a) / (s * s)


@defop(name="sec")
def sec(a):
    """The secant 1/cos(a), element-wise."""
    with np.errstate(divide="ignore"):
        return 1 / np.cos(a)


@sec.vjp
def _sec_vjp(g, out, a):
    # d(sec a)/da = sec a tan a = sin a / cos^2 a
    c = np.cos(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * np.sin(a) / (c * c)


@defop(name="arccot")
def arccot(a):
    """The inverse cotangent arctan(1/a), element-wise, with the value pi/2 at a == 0.

    >>> import mygrad as mg
    >>> mg.arccot([0.0, 1.0])
    Tensor([1.57079633, 0.78539816])
    """
    with np.errstate(divide="ignore"):
        return np.where(np.equal(a, 0), np.pi / 2, np.arctan(1 / np.asarray(a)))


@arccot.vjp
def _arccot_vjp(g, out, a):
    # d(arccot a)/da = -1/(1 + a^2) = -1/hypot(1, a)^2
    r = np.hypot(1, a)
    return -g / r / r


def _abs_times_sqrt_square_minus_one(a):
    """|a| sqrt(a^2 - 1), without cancelling digits near |a| == 1."""
    m = np.abs(a)
    return m * np.sqrt((m - 1) * (m + 1))


@defop(name="arccsc")
def arccsc(a):
    """The inverse cosecant arcsin(1/a), element-wise. Its derivative is 0 where
    |a| == 1."""
    with np.errstate(divide="ignore"):
        return np.arcsin(1 / np.asarray(a))


@arccsc.vjp
def _arccsc_vjp(g, out, a):
    # d(arccsc a)/da = -1/(|a| sqrt(a^2 - 1)); defined as 0 at |a| == 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return _zero_where_unit(a, -g / _abs_times_sqrt_square_minus_one(a))


@defop(name="arcsec")
def arcsec(a):
    """The inverse secant arccos(1/a), element-wise. Its derivative is 0 where
    |a| == 1."""
    with np.errstate(divide="ignore"):
        return np.arccos(1 / np.asarray(a))


@arcsec.vjp
def _arcsec_vjp(g, out, a):
    # d(arcsec a)/da = 1/(|a| sqrt(a^2 - 1)); defined as 0 at |a| == 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return _zero_where_unit(a, g / _abs_times_sqrt_square_minus_one(a))
