"""Non-differentiable searching helpers: argmax, argmin and any.

They are plain functions (not ops): tensors are read through their data and the results
are NumPy arrays or NumPy scalars, never Tensors. ``np.argmax(tensor)`` etc. dispatch here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._tensor import Tensor
from ..extend import register_override

__all__ = ["any", "argmax", "argmin"]

# NumPy's argmax and argmin copy a read-only array in full before searching it (they ask for
# a writeable contiguous array), and the memory guard keeps every array a graph holds
# read-only: for a large array that copy, page faults included, costs several times the
# search. Blocks of at most this many bytes are copied instead, which the heap serves from
# memory it already has.
_SEARCH_BLOCK_BYTES = 1 << 16


def search_blockwise(
    x: np.ndarray, axis: int, locate: Callable[..., Any], out: np.ndarray | None = None
) -> Any:
    """``locate(x, axis=axis, out=out)`` (np.argmax or np.argmin, ``axis`` normalised),
    done a block of rows at a time when ``x`` is a large read-only array; same result."""
    if x.flags.writeable or x.ndim < 2 or x.nbytes <= _SEARCH_BLOCK_BYTES:
        return locate(x, axis=axis, out=out)
    lead = 1 if axis == 0 else 0  # the first axis kept: axis 0 of the result
    n = x.shape[lead]
    step = _SEARCH_BLOCK_BYTES * n // x.nbytes
    if step < 1:
        return locate(x, axis=axis, out=out)
    found = np.empty(x.shape[:axis] + x.shape[axis + 1 :], dtype=np.intp) if out is None else out
    block = [slice(None)] * x.ndim
    for start in range(0, n, step):
        block[lead] = slice(start, start + step)
        locate(x[tuple(block)], axis=axis, out=found[start : start + step])
    return found


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
    return _search(np.argmax, _data(a), axis, out)


def argmin(a: Any, axis: int | None = None, out: np.ndarray | None = None) -> Any:
    """Indices of the minimum values along ``axis``; mirrors :func:`numpy.argmin`.

    >>> import mygrad as mg
    >>> mg.argmin(mg.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=1)
    array([0, 1])
    """
    _check_out("argmin", out)
    return _search(np.argmin, _data(a), axis, out)


def _search(locate: Callable[..., Any], a: Any, axis: Any, out: np.ndarray | None) -> Any:
    if (
        out is None
        and type(a) is np.ndarray
        and isinstance(axis, (int, np.integer))
        and not isinstance(axis, (bool, np.bool_))
        and -a.ndim <= axis < a.ndim
    ):
        return search_blockwise(a, int(axis) % a.ndim, locate)
    return locate(a, axis=axis, out=out)


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
