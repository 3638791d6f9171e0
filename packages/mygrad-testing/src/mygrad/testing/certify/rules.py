"""The one encoding of api.md's semantic rules that properties read (never their own copy)."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg

__all__ = ["expected_constant", "is_float_arr"]


def _any_variable(args: Any) -> bool:
    for a in args:
        if isinstance(a, mg.Tensor):
            if not a.constant:
                return True
        elif isinstance(a, (list, tuple)) and _any_variable(a):
            return True
    return False


def expected_constant(*args: Any, dest_dtype: Any, constant: bool | None = None) -> bool:
    """Whether an op's output on ``args`` is constant (api.md S1).

    An explicit ``constant`` wins (the caller expects ValueError for ``False`` with an
    integer ``dest_dtype``). Otherwise the output is constant iff no Tensor among ``args``
    (also inside lists and tuples) is variable, or ``dest_dtype`` is not a float dtype.

    >>> import mygrad as mg
    >>> expected_constant(mg.tensor(1.0), 2, dest_dtype="float64")
    False
    >>> expected_constant(mg.tensor(1.0), dest_dtype="int64")
    True
    """
    if constant is not None:
        return bool(constant)
    if np.dtype(dest_dtype).kind != "f":
        return True
    return not _any_variable(args)


def is_float_arr(arr: Any) -> bool:
    """Whether ``arr`` (an array, Tensor or scalar) has a floating dtype."""
    data = arr.data if isinstance(arr, mg.Tensor) else np.asarray(arr)
    return bool(np.issubdtype(data.dtype, np.floating))
