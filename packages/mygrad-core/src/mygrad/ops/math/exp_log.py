"""Exponents and logarithms: exp, exp2, expm1, log, log2, log10, log1p, logaddexp,
logaddexp2 (mygrad ufuncs; the unary ones name their argument ``x1``, as MyGrad does)."""

from __future__ import annotations

import numpy as np

from ..._op import defop

__all__ = [
    "exp",
    "exp2",
    "expm1",
    "log",
    "log1p",
    "log2",
    "log10",
    "logaddexp",
    "logaddexp2",
]

_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))


@defop(np.exp, kind="ufunc")
def exp(x1):
    """The exponential e**x, element-wise; mirrors :data:`numpy.exp`.

    >>> import mygrad as mg
    >>> x = mg.tensor([0.0, 1.0])
    >>> mg.exp(x).backward()
    >>> x.grad
    array([1.        , 2.71828183])
    """


@exp.vjp
def _exp_vjp(g, out, x1):
    # d(e^x)/dx = e^x
    return g * out


@defop(np.exp2, kind="ufunc")
def exp2(x1):
    """The power of two 2**x, element-wise; mirrors :data:`numpy.exp2`."""


@exp2.vjp
def _exp2_vjp(g, out, x1):
    # d(2^x)/dx = 2^x ln 2
    return g * out * _LN2


@defop(np.expm1, kind="ufunc")
def expm1(x1):
    """e**x - 1, accurate for small x, element-wise; mirrors :data:`numpy.expm1`."""


@expm1.vjp
def _expm1_vjp(g, out, x1):
    # d(e^x - 1)/dx = e^x
    return g * np.exp(x1)


@defop(np.log, kind="ufunc")
def log(x1):
    """The natural logarithm, element-wise; mirrors :data:`numpy.log`.

    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 4.0])
    >>> mg.log(x).backward()
    >>> x.grad
    array([1.  , 0.25])
    """


@log.vjp
def _log_vjp(g, out, x1):
    # d(ln x)/dx = 1/x, which is inf at x == 0 (the forward pass already warned there)
    with np.errstate(divide="ignore"):
        return g / x1


@defop(np.log2, kind="ufunc")
def log2(x1):
    """The base-2 logarithm, element-wise; mirrors :data:`numpy.log2`."""


@log2.vjp
def _log2_vjp(g, out, x1):
    # d(log2 x)/dx = 1/(x ln 2)
    with np.errstate(divide="ignore"):
        return g / (x1 * _LN2)


@defop(np.log10, kind="ufunc")
def log10(x1):
    """The base-10 logarithm, element-wise; mirrors :data:`numpy.log10`."""


@log10.vjp
def _log10_vjp(g, out, x1):
    # d(log10 x)/dx = 1/(x ln 10)
    with np.errstate(divide="ignore"):
        return g / (x1 * _LN10)


@defop(np.log1p, kind="ufunc")
def log1p(x1):
    """ln(1 + x), accurate for small x, element-wise; mirrors :data:`numpy.log1p`."""


@log1p.vjp
def _log1p_vjp(g, out, x1):
    # d(ln(1 + x))/dx = 1/(1 + x)
    with np.errstate(divide="ignore"):
        return g / (1 + x1)


def _sigmoid_pair(d, base_exp):
    """(1/(1 + b**-d), 1/(1 + b**d)) without overflow: ``base_exp`` is exp or exp2."""
    e = base_exp(-np.abs(d))  # in [0, 1]: never overflows
    big = 1 / (1 + e)
    small = e / (1 + e)
    positive = d >= 0
    return np.where(positive, big, small), np.where(positive, small, big)


@defop(np.logaddexp, kind="ufunc")
def logaddexp(x1, x2):
    """ln(e**x1 + e**x2), element-wise; mirrors :data:`numpy.logaddexp`."""


@logaddexp.vjp
def _logaddexp_vjp(g, out, x1, x2):
    # d/dx1 ln(e^x1 + e^x2) = 1/(1 + e^(x2 - x1)) = sigmoid(x1 - x2), and symmetrically;
    # computed from the inputs through exp(-|x1 - x2|), so large inputs cannot overflow
    with np.errstate(invalid="ignore"):
        s1, s2 = _sigmoid_pair(np.subtract(x1, x2), np.exp)
    return g * s1, g * s2


@defop(np.logaddexp2, kind="ufunc")
def logaddexp2(x1, x2):
    """log2(2**x1 + 2**x2), element-wise; mirrors :data:`numpy.logaddexp2`."""


@logaddexp2.vjp
def _logaddexp2_vjp(g, out, x1, x2):
    # d/dx1 log2(2^x1 + 2^x2) = 1/(1 + 2^(x2 - x1)), and symmetrically
    with np.errstate(invalid="ignore"):
        s1, s2 = _sigmoid_pair(np.subtract(x1, x2), np.exp2)
    return g * s1, g * s2
