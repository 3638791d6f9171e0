"""Arithmetic: add, subtract, multiply, divide, power, negative, positive, reciprocal,
square, and the n-ary add_sequence and multiply_sequence."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..._lazy import Negated, scratch_variant
from ..._op import ONE_INPUT_TWICE, defop, execute
from ..._tensor import Tensor

__all__ = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "power",
    "negative",
    "positive",
    "reciprocal",
    "square",
    "add_sequence",
    "multiply_sequence",
]


@defop(np.add, kind="ufunc", reads=())
def add(x1, x2):
    """Add arguments element-wise; mirrors :data:`numpy.add`."""


@add.vjp
def _add_vjp(g, out, x1, x2):
    return g, g


@defop(np.subtract, kind="ufunc", reads=())
def subtract(x1, x2):
    """Subtract arguments element-wise; mirrors :data:`numpy.subtract`."""


@subtract.vjp
def _subtract_vjp(g, out, x1, x2):
    # -g is left to the engine, which subtracts g instead of adding it (or drops it when
    # x2 wants no gradient)
    return g, Negated(g)


@defop(np.multiply, kind="ufunc", reads=(0, 1))
def multiply(x1, x2):
    """Multiply arguments element-wise; mirrors :data:`numpy.multiply`."""


def _keeps_dtype(g, x):
    """Whether ``g * x`` has ``g``'s dtype (so that it may be written into ``g``)."""
    return (type(x) is np.ndarray and x.dtype is g.dtype) or np.result_type(g, x) == g.dtype


def _multiply_vjp_scratch(g, out, x1, x2, needs):
    # g is ours to overwrite (see _lazy.scratch_variant): one product goes into it (g has
    # the output's shape, to which both inputs broadcast)
    if needs is ONE_INPUT_TWICE:
        if _keeps_dtype(g, x1):
            return _twice(np.multiply(g, x1, out=g)), None
    elif x1 is not x2:
        if needs[1] and _keeps_dtype(g, x1):
            return (g * x2 if needs[0] else None), np.multiply(g, x1, out=g)
        if needs[0] and not needs[1] and _keeps_dtype(g, x2):
            return np.multiply(g, x2, out=g), None
    return _multiply_vjp(g, out, x1, x2, needs)


@multiply.vjp
@scratch_variant(_multiply_vjp_scratch)
def _multiply_vjp(g, out, x1, x2, needs):
    if needs is ONE_INPUT_TWICE:
        # x * x of one tensor: its gradient 2 g x, summed in place (exact: doubling)
        return _twice(g * x1), None
    if x1 is x2 and needs[0] and needs[1]:
        # two tensors over one array: each gets g * x, computed once
        g_x = g * x1
        return g_x, g_x
    return (g * x2 if needs[0] else None), (g * x1 if needs[1] else None)


def _twice(a):
    """``2 * a``, in place when ``a`` is an array (a VJP's own temporary)."""
    if type(a) is np.ndarray:
        return np.add(a, a, out=a)
    return a + a


@defop(np.divide, kind="ufunc", name="divide", reads=(1, "out"))
def divide(x1, x2):
    """Divide arguments element-wise; mirrors :data:`numpy.divide`."""


@divide.vjp
def _divide_vjp(g, out, x1, x2, needs):
    # q = x1 / x2  =>  dq/dx1 = 1 / x2,  dq/dx2 = -q / x2
    g_x2 = g / x2
    if not needs[1]:
        return g_x2, None
    # -(g / x2) * q: the engine subtracts the product (a new array, so it may write into it)
    return (g_x2 if needs[0] else None), Negated(g_x2 * out, fresh=True)


true_divide = divide


@defop(np.power, kind="ufunc")
def power(x1, x2):
    """First array elements raised to powers from the second; mirrors :data:`numpy.power`."""


@power.vjp
def _power_vjp(g, out, x1, x2, needs):
    g_x1 = g_x2 = None
    with np.errstate(divide="ignore", invalid="ignore"):
        if needs[0]:
            # d/dx1 = x2 * x1 ** (x2 - 1), taken as 0 wherever x2 == 0 (so 0 ** 0 has no grad)
            g_x1 = g * np.where(np.equal(x2, 0), 0, x2 * np.power(x1, np.subtract(x2, 1)))
        if needs[1]:
            # d/dx2 = x1 ** x2 * ln(x1), taken as 0 wherever x1 == 0
            g_x2 = g * np.where(np.equal(x1, 0), 0, out * np.log(x1))
    return g_x1, g_x2


@defop(np.negative, kind="ufunc", reads=())
def negative(x):
    """Numerical negative, element-wise; mirrors :data:`numpy.negative`."""


@negative.vjp
def _negative_vjp(g, out, x):
    return Negated(g)


@defop(np.positive, kind="ufunc", reads=())
def positive(x):
    """Numerical positive (a copy), element-wise; mirrors :data:`numpy.positive`."""


@positive.vjp
def _positive_vjp(g, out, x):
    return g


@defop(np.reciprocal, kind="ufunc", reads=("out",))
def reciprocal(x):
    """The reciprocal 1/x, element-wise; mirrors :data:`numpy.reciprocal`."""


@reciprocal.vjp
def _reciprocal_vjp(g, out, x):
    # d(1/x)/dx = -1/x**2 = -out**2
    g_x = g * out
    if type(g_x) is not np.ndarray:  # 0-d arithmetic gives a NumPy scalar
        return -g_x * out
    return Negated(np.multiply(g_x, out, out=g_x), fresh=True)


@defop(np.square, kind="ufunc", reads=(0,))
def square(x):
    """The element-wise square, keeping the dtype; mirrors :data:`numpy.square`."""


@square.vjp
def _square_vjp(g, out, x):
    return _twice(g * x)


def _check_sequence_length(name: str, n: int) -> None:
    if n < 2:
        raise ValueError(f"`{name}` requires at least two inputs, got {n}")


@defop(arrays="sequence", name="add_sequence")
def _add_sequence(*arrays):
    """The sum of all inputs, broadcast together."""
    return functools.reduce(np.add, arrays)


@_add_sequence.vjp
def _add_sequence_vjp(g, out, *arrays):
    return tuple(g for _ in arrays)


@_add_sequence.frontend
def add_sequence(*variables: Any, constant: bool | None = None) -> Tensor:
    """Add two or more array-likes, broadcasting them together.

    >>> import mygrad as mg
    >>> mg.add_sequence([1.0, 2.0], 3.0, [[10.0], [20.0]])
    Tensor([[14., 15.],
            [24., 25.]])
    """
    _check_sequence_length("add_sequence", len(variables))
    return execute(_add_sequence.op, variables, {}, constant)


@defop(arrays="sequence", name="multiply_sequence")
def _multiply_sequence(*arrays):
    """The product of all inputs, broadcast together."""
    return functools.reduce(np.multiply, arrays)


@_multiply_sequence.vjp
def _multiply_sequence_vjp(g, out, *arrays, needs):
    # the product of the *other* factors, so a zero factor still gives exact gradients
    grads: list[Any] = []
    for i, need in enumerate(needs):
        if not need:
            grads.append(None)
            continue
        others = [a for j, a in enumerate(arrays) if j != i]
        grads.append(g * functools.reduce(np.multiply, others))
    return tuple(grads)


@_multiply_sequence.frontend
def multiply_sequence(*variables: Any, constant: bool | None = None) -> Tensor:
    """Multiply two or more array-likes, broadcasting them together.

    >>> import mygrad as mg
    >>> mg.multiply_sequence([1.0, 2.0], 3.0, 2.0)
    Tensor([ 6., 12.])
    """
    _check_sequence_length("multiply_sequence", len(variables))
    return execute(_multiply_sequence.op, variables, {}, constant)
