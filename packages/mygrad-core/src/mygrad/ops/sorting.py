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
# read-only. A contiguous one is searched in place, through a writeable alias that only the
# search sees and that is never written. Any other needs a copy, of its lines in the order
# searched: blocks of at most this many bytes are copied, which the heap serves from memory
# it already has (a copy in full of a large array costs page faults, several times the search).
_SEARCH_BLOCK_BYTES = 1 << 16


def search_blockwise(
    x: np.ndarray, axis: int, locate: Callable[..., Any], out: np.ndarray | None = None
) -> Any:
    """``locate(x, axis=axis, out=out)`` (np.argmax or np.argmin, ``axis`` normalised), with
    the same result, without NumPy's copy of a read-only ``x`` where one can be avoided."""
    if x.flags.writeable or x.ndim < 1:
        return locate(x, axis=axis, out=out)
    if axis == x.ndim - 1 and x.flags.c_contiguous:
        return locate(_search_alias(x), axis=axis, out=out)
    if x.ndim < 2 or x.nbytes <= _SEARCH_BLOCK_BYTES:
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


class _Interface:
    """An object NumPy makes an array of (``np.asarray``) through ``__array_interface__``;
    it keeps the array whose memory it describes alive."""

    __slots__ = ("__array_interface__", "owner")
    __array_interface__: dict[str, Any]
    owner: np.ndarray


def _search_alias(x: np.ndarray) -> np.ndarray:
    """A writeable array over ``x``'s memory, for argmax/argmin to read (never to write)."""
    interface = x.__array_interface__
    alias = _Interface()
    alias.__array_interface__ = {
        "shape": x.shape,
        "typestr": interface["typestr"],
        "descr": interface["descr"],
        "data": (interface["data"][0], False),  # (False: not read-only)
        "strides": None,  # C-contiguous
        "version": 3,
    }
    alias.owner = x
    return np.asarray(alias)


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
