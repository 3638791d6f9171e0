"""Indexing: basic and advanced ``__getitem__`` (``__setitem__`` lives in ``_inplace``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._op import defop

__all__ = ["getitem"]


def _has_integer_array(index: Any) -> bool:
    parts = index if type(index) is tuple else (index,)
    for p in parts:
        if isinstance(p, (list, np.ndarray)) and np.asarray(p).dtype.kind in "iu":
            return True
    return False


def _bool_to_integer_arrays(index: Any) -> tuple[Any, ...]:
    """A boolean mask over k axes is the same index as the k integer arrays of its nonzero()."""
    parts = index if type(index) is tuple else (index,)
    out: list[Any] = []
    for p in parts:
        arr = np.asarray(p) if isinstance(p, (list, np.ndarray)) else None
        if arr is not None and arr.dtype == bool:
            out.extend(arr.nonzero())
        else:
            out.append(p)
    return tuple(out)


@defop(view="maybe", name="getitem")
def getitem(a, index):
    """``a[index]`` for any NumPy index; a view exactly when NumPy returns one."""
    return a[index]


@getitem.vjp
def _getitem_vjp(g, out, a, index):
    grad = np.zeros(a.shape, dtype=np.result_type(g, a.dtype))
    if _has_integer_array(index):
        # repeated integer indices accumulate their gradients
        np.add.at(grad, _bool_to_integer_arrays(index), g)
    else:
        grad[index] = g
    return grad
