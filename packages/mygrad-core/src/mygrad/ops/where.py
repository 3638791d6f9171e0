"""``where``: pick elements from ``x`` or ``y`` by a boolean condition."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._op import defop, execute
from .._tensor import Tensor

__all__ = ["where"]


class _NoValue:
    """The default of ``x`` and ``y``: tells "not given" apart from None."""

    def __repr__(self) -> str:
        return "<no value>"


_NO_VALUE: Any = _NoValue()


@defop(np.where, arrays=3, name="where")
def _where(condition, x, y):
    """``x`` where ``condition`` holds, else ``y``, broadcast together."""
    return np.where(condition, x, y)


@_where.vjp
def _where_vjp(g, out, condition, x, y, needs):
    # d/dx = [condition], d/dy = [not condition]; the condition is never differentiated
    g_x = np.where(condition, g, 0) if needs[1] else None
    g_y = np.where(condition, 0, g) if needs[2] else None
    return None, g_x, g_y


@_where.frontend
def where(
    condition: Any,
    x: Any = _NO_VALUE,
    y: Any = _NO_VALUE,
    *,
    constant: bool | None = None,
) -> Tensor | tuple[np.ndarray, ...]:
    """``x`` where ``condition`` is true, ``y`` elsewhere; like :func:`numpy.where`.

    With only ``condition`` given, returns ``np.where(condition)`` (a tuple of index
    arrays). A Tensor ``condition`` is used as a constant boolean mask: it never
    receives a gradient and does not make the result a variable.

    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0, 3.0])
    >>> y = mg.where(x > 1.5, x, 0.0)
    >>> y
    Tensor([0., 2., 3.])
    >>> y.backward()
    >>> x.grad
    array([0., 1., 1.])
    """
    mask = np.asarray(condition.data if isinstance(condition, Tensor) else condition)
    given = (x is not _NO_VALUE) + (y is not _NO_VALUE)
    if given == 0:
        return np.where(mask)
    if given == 1:
        raise ValueError("where: either both or neither of `x` and `y` must be given")
    return execute(_where.op, (mask, x, y), {}, constant)
