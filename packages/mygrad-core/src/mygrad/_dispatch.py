"""NumPy's ``__array_ufunc__`` / ``__array_function__`` protocols, driven by the registry.

A registered differentiable counterpart runs as a mygrad op; boolean and pass-through
functions run on the tensors' arrays; constant-only ufuncs refuse variable tensors; and
anything unregistered returns NotImplemented, so NumPy raises its own TypeError rather
than silently dropping a gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._frontends import MyGradBinaryUfunc
from ._op import execute_binary
from ._registry import NONDIFF, NUMPY, OVERRIDES
from ._tensor import Tensor

__all__ = ["array_ufunc", "array_function"]


def _unwrap(x: Any) -> Any:
    """Replace tensors (also inside lists and tuples) by their arrays."""
    if isinstance(x, Tensor):
        return x.data
    if type(x) in (list, tuple):
        return type(x)(_unwrap(i) for i in x)
    return x


def _any_variable(values: Any) -> bool:
    for x in values:
        if isinstance(x, Tensor):
            if not x._constant:
                return True
        elif type(x) in (list, tuple) and _any_variable(x):
            return True
    return False


def array_ufunc(
    ufunc: np.ufunc, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    if method != "__call__":
        if method == "at":
            raise TypeError(f"mygrad does not support {ufunc.__name__}.at on tensors")
        raise NotImplementedError(f"mygrad does not support {ufunc.__name__}.{method} on tensors")
    op = NUMPY.get(ufunc)
    if op is not None:
        public = op.public
        if not kwargs and type(public) is MyGradBinaryUfunc and len(inputs) == 2:
            # np.f(x1, x2) with no keywords: what the front end does for it, one call less
            return execute_binary(op, inputs[0], inputs[1], Tensor)
        out = kwargs.pop("out", None)
        if out is not None:
            kwargs["out"] = out
        return public(*inputs, **kwargs)
    how = NONDIFF.get(ufunc)
    if how is None:
        return NotImplemented
    if how == "constant_only" and (
        _any_variable(inputs) or _any_variable(_as_tuple(kwargs.get("out")))
    ):
        raise ValueError(f"{ufunc!r} cannot involve non-constant mygrad tensors.")
    if "out" in kwargs:
        kwargs["out"] = _unwrap(kwargs["out"])
    return ufunc(*_unwrap(inputs), **kwargs)


def _as_tuple(x: Any) -> tuple[Any, ...]:
    if x is None:
        return ()
    return x if type(x) is tuple else (x,)


def array_function(func: Any, types: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    op = NUMPY.get(func)
    if op is not None:
        return op.public(*args, **kwargs)
    override = OVERRIDES.get(func)
    if override is not None:
        return override(*args, **kwargs)
    if NONDIFF.get(func) is not None:
        return func(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()})
    return NotImplemented
