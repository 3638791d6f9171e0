"""Non-differentiable searching helpers: argmax, argmin and any.

They are plain functions (not ops): tensors are read through their data and the results
are NumPy arrays or NumPy scalars, never Tensors. ``np.argmax(tensor)`` etc. dispatch here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ..extend import register_override

__all__ = ["any", "argmax", "argmin"]


def _data(a: Any) -> Any:
    return a.data if isinstance(a, Tensor) else a


def _check_out(name: str, out: Any) -> None:
    if isinstance(out, Tensor):
        raise TypeError(f"{name}: `out` must be a NumPy array or None, not a mygrad Tensor")


def argmax(a: Any, axis: int | None = None, out: np.ndarray | None = None) -> Any:
    """Indices of the maximum values along ``axis``; mirrors :func:`numpy.argmax`.

    >>> import mygrad as mg
    >>> mg.argmax(mg.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=1)
    array([1, 0])
    """
    _check_out("argmax", out)
    return np.argmax(_data(a), axis=axis, out=out)


def argmin(a: Any, axis: int | None = None, out: np.ndarray | None = None) -> Any:
    """Indices of the minimum values along ``axis``; mirrors :func:`numpy.argmin`.

    >>> import mygrad as mg
    >>> mg.argmin(mg.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=1)
    array([0, 1])
    """
    _check_out("argmin", out)
    return np.argmin(_data(a), axis=axis, out=out)


def any(
    a: Any, axis: Any = None, out: np.ndarray | None = None, keepdims: bool = False
) -> Any:
    """Whether any element along ``axis`` is true; mirrors :func:`numpy.any`.

    >>> import mygrad as mg
    >>> mg.any(mg.tensor([[0.0, 0.0], [0.0, 2.0]]), axis=1)
    array([False,  True])
    """
    _check_out("any", out)
    return np.any(_data(a), axis=axis, out=out, keepdims=keepdims)


register_override(np.argmax, argmax)
register_override(np.argmin, argmin)
register_override(np.any, any)
