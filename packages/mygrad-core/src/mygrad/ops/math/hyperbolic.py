"""Hyperbolic functions.

mygrad ufuncs: sinh, cosh, tanh, arcsinh, arccosh, arctanh. Plain functions
``f(a, *, constant=None)`` without a NumPy counterpart: csch, sech, coth, arccsch, arccoth.
"""

from __future__ import annotations

import numpy as np

from ..._op import defop

__all__ = [
    "arccosh",
    "arccoth",
    "arccsch",
    "arcsinh",
    "arctanh",
    "cosh",
    "coth",
    "csch",
    "sech",
    "sinh",
    "tanh",
]


@defop(np.sinh, kind="ufunc")
def sinh(x):
    """The hyperbolic sine, element-wise; mirrors :data:`numpy.sinh`."""


@sinh.vjp
def _sinh_vjp(g, out, x):
    # d(sinh x)/dx = cosh x
    return g * np.cosh(x)


@defop(np.cosh, kind="ufunc")
def cosh(x):
    """The hyperbolic cosine, element-wise; mirrors :data:`numpy.cosh`."""


@cosh.vjp
def _cosh_vjp(g, out, x):
    # d(cosh x)/dx = sinh x
    return g * np.sinh(x)


@defop(np.tanh, kind="ufunc")
def tanh(x):
    """The hyperbolic tangent, element-wise; mirrors :data:`numpy.tanh`.

    >>> import mygrad as mg
    >>> x = mg.tensor([0.0, 1.0])
    >>> mg.tanh(x).backward()
    >>> x.grad
    array([1.        , 0.41997434])
    """


@tanh.vjp
def _tanh_vjp(g, out, x):
    # d(tanh x)/dx = sech^2 x = 4 e^(-2|x|) / (1 + e^(-2|x|))^2: no overflow, and no
    # cancellation for large |x| (unlike 1 - tanh^2 x)
    e = np.exp(-2 * np.abs(x))
    return g * (4 * e / np.square(1 + e))


@defop(np.arcsinh, kind="ufunc")
def arcsinh(x):
    """The inverse hyperbolic sine, element-wise; mirrors :data:`numpy.arcsinh`."""


@arcsinh.vjp
def _arcsinh_vjp(g, out, x):
    # d(arcsinh x)/dx = 1/sqrt(1 + x^2) = 1/hypot(1, x) (which cannot overflow)
    return g / np.hypot(1, x)


@defop(np.arccosh, kind="ufunc")
def arccosh(x):
    """The inverse hyperbolic cosine, element-wise; mirrors :data:`numpy.arccosh`."""


@arccosh.vjp
def _arccosh_vjp(g, out, x):
    # d(arccosh x)/dx = 1/sqrt(x^2 - 1), written to keep its digits near x == 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return g / np.sqrt((x - 1) * (x + 1))


@defop(np.arctanh, kind="ufunc")
def arctanh(x):
    """The inverse hyperbolic tangent, element-wise; mirrors :data:`numpy.arctanh`."""


@arctanh.vjp
def _arctanh_vjp(g, out, x):
    # d(arctanh x)/dx = 1/(1 - x^2), written to keep its digits near |x| == 1
    with np.errstate(divide="ignore"):
        return g / ((1 - x) * (1 + x))


# --- functions without a NumPy ufunc --------------------------------------------------


@defop(name="csch")
def csch(a):
    """The hyperbolic cosecant 1/sinh(a), element-wise."""
    with np.errstate(divide="ignore"):
        return 1 / np.sinh(a)


@csch.vjp
def _csch_vjp(g, out, a):
    # d(csch a)/da = -csch a coth a (stays finite where cosh a and sinh a overflow)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -g * out / np.tanh(a)


@defop(name="sech")
def sech(a):
    """The hyperbolic secant 1/cosh(a), element-wise."""
    return 1 / np.cosh(a)


@sech.vjp
def _sech_vjp(g, out, a):
    # d(sech a)/da = -sech a tanh a
    return -g * out * np.tanh(a)


@defop(name="coth")
def coth(a):
    """The hyperbolic cotangent 1/tanh(a), element-wise."""
    with np.errstate(divide="ignore"):
        return 1 / np.tanh(a)


@coth.vjp
def _coth_vjp(g, out, a):
    # d(coth a)/da = -csch^2 a = -1/sinh^2 a
    s = np.sinh(a)
    with np.errstate(divide="ignore", over="ignore"):
        return -g / (s * s)


@defop(name="arccsch")
def arccsch(a):
    """The inverse hyperbolic cosecant arcsinh(1/a), element-wise."""
    with np.errstate(divide="ignore"):
        return np.arcsinh(1 / np.asarray(a))


@arccsch.vjp
def _arccsch_vjp(g, out, a):
    # d(arccsch a)/da = -1/(|a| sqrt(1 + a^2)) = -1/(|a| hypot(1, a))
    with np.errstate(divide="ignore"):
        return -g / (np.abs(a) * np.hypot(1, a))


@defop(name="arccoth")
def arccoth(a):
    """The inverse hyperbolic cotangent arctanh(1/a), element-wise."""
    with np.errstate(divide="ignore"):
        return np.arctanh(1 / np.asarray(a))


@arccoth.vjp
def _arccoth_vjp(g, out, a):
    # d(arccoth a)/da = 1/(1 - a^2), written to keep its digits near |a| == 1
    with np.errstate(divide="ignore"):
        return g / ((1 - a) * (1 + a))
