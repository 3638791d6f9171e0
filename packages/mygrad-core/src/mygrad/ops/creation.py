"""Tensor creation: tensor, astensor, asarray, empty/zeros/ones/full (and *_like), eye,
identity, arange, linspace, logspace, geomspace. None of these is differentiable: each
returns a leaf tensor."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._modes import _tracking
from .._registry import register_override
from .._tensor import Tensor

__all__ = [
    "tensor",
    "astensor",
    "asarray",
    "empty",
    "zeros",
    "ones",
    "full",
    "eye",
    "identity",
    "arange",
    "linspace",
    "logspace",
    "geomspace",
    "empty_like",
    "zeros_like",
    "ones_like",
    "full_like",
]


def _compatible(t: Tensor, dtype: Any, constant: bool | None) -> bool:
    return (dtype is None or np.dtype(dtype) == t.dtype) and (
        constant is None or constant == t._constant
    )


def tensor(
    arr_like: Any,
    dtype: Any = None,
    *,
    constant: bool | None = None,
    copy: bool = True,
    ndmin: int = 0,
) -> Tensor:
    """Create a tensor from any array-like (``dtype`` may be positional here).

    >>> import mygrad as mg
    >>> mg.tensor([1, 2]), mg.tensor([1.0, 2.0])
    (Tensor([1, 2]), Tensor([1., 2.]))
    """
    if isinstance(arr_like, Tensor) and not copy and _compatible(arr_like, dtype, constant):
        if not isinstance(ndmin, (int, np.integer)) or isinstance(ndmin, bool):
            raise TypeError(f"`ndmin` must be an integer, got {ndmin!r}")
        missing = int(ndmin) - arr_like.ndim
        if missing <= 0:
            return arr_like
        return arr_like[(None,) * missing + (Ellipsis,)]
    return Tensor(arr_like, dtype=dtype, constant=constant, copy=copy, ndmin=ndmin)


def astensor(t: Any, dtype: Any = None, *, constant: bool | None = None) -> Tensor:
    """``tensor(t, dtype, constant=constant, copy=False)``: a tensor passes through unchanged
    when compatible, and an ndarray is wrapped without a copy."""
    return tensor(t, dtype, constant=constant, copy=False)


def asarray(a: Any, dtype: Any = None, order: Any = None) -> np.ndarray:
    """The array of a tensor (no copy), else ``numpy.asarray``."""
    if isinstance(a, Tensor):
        a = a.data
    return np.asarray(a, dtype=dtype, order=order)


def _leaf(data: np.ndarray, constant: bool | None) -> Tensor:
    return Tensor(data, constant=constant, copy=False)


def empty(shape: Any, dtype: Any = np.float64, *, constant: bool | None = None) -> Tensor:
    """An uninitialised tensor (float64 by default, like NumPy; D11)."""
    return _leaf(np.empty(shape, dtype=dtype), constant)


def zeros(shape: Any, dtype: Any = np.float64, *, constant: bool | None = None) -> Tensor:
    """A tensor of zeros (float64 by default, like NumPy; D11).

    >>> import mygrad as mg
    >>> mg.zeros(2)
    Tensor([0., 0.])
    """
    return _leaf(np.zeros(shape, dtype=dtype), constant)


def ones(shape: Any, dtype: Any = np.float64, *, constant: bool | None = None) -> Tensor:
    """A tensor of ones (float64 by default, like NumPy; D11)."""
    return _leaf(np.ones(shape, dtype=dtype), constant)


def full(shape: Any, fill_value: Any, dtype: Any = None, *, constant: bool | None = None) -> Tensor:
    """A tensor filled with ``fill_value``; the dtype follows the value."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.data
    return _leaf(np.full(shape, fill_value, dtype=dtype), constant)


def eye(
    N: int, M: int | None = None, k: int = 0, dtype: Any = float, *, constant: bool | None = None
) -> Tensor:
    """A 2-D tensor with ones on the k-th diagonal."""
    return _leaf(np.eye(N, M, k, dtype=dtype), constant)


def identity(n: int, dtype: Any = float, *, constant: bool | None = None) -> Tensor:
    """The n x n identity tensor."""
    return _leaf(np.identity(n, dtype=dtype), constant)


def arange(*args: Any, constant: bool | None = None, **kwargs: Any) -> Tensor:
    """Evenly spaced values, like ``numpy.arange``: ``arange(3)`` is an integer constant."""
    return _leaf(np.arange(*args, **kwargs), constant)


def linspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    dtype: Any = None,
    axis: int = 0,
    *,
    constant: bool | None = None,
) -> Tensor:
    """Evenly spaced numbers over an interval."""
    return _leaf(
        np.linspace(_plain(start), _plain(stop), num, endpoint, dtype=dtype, axis=axis), constant
    )


def logspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    base: float = 10,
    dtype: Any = None,
    axis: int = 0,
    *,
    constant: bool | None = None,
) -> Tensor:
    """Numbers evenly spaced on a log scale."""
    return _leaf(
        np.logspace(_plain(start), _plain(stop), num, endpoint, base, dtype, axis), constant
    )


def geomspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    dtype: Any = None,
    axis: int = 0,
    *,
    constant: bool | None = None,
) -> Tensor:
    """Numbers evenly spaced on a log scale (a geometric progression)."""
    return _leaf(np.geomspace(_plain(start), _plain(stop), num, endpoint, dtype, axis), constant)


def _plain(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _like_constant(other: Any, data: np.ndarray, constant: bool | None) -> bool:
    # a variable tensor's likeness is inferred from the dtype; anything else is constant
    if constant is not None:
        return constant
    if isinstance(other, Tensor) and not other._constant:
        return data.dtype.kind != "f"
    return True


def _like(data: np.ndarray, other: Any, constant: bool | None) -> Tensor:
    if constant is not None and type(constant) is not bool:
        raise TypeError(f"`constant` must be a bool or None, got {constant!r}")
    is_const = _like_constant(other, data, constant)
    if not is_const and data.dtype.kind != "f" and _tracking.get():
        raise ValueError("Integer-valued tensors must be treated as constants.")
    return Tensor(data, constant=is_const, copy=False)


def empty_like(
    other: Any, dtype: Any = None, shape: Any = None, *, constant: bool | None = None
) -> Tensor:
    """An uninitialised tensor shaped like ``other``."""
    return _like(np.empty_like(_plain(other), dtype=dtype, shape=shape), other, constant)


def zeros_like(
    other: Any, dtype: Any = None, shape: Any = None, *, constant: bool | None = None
) -> Tensor:
    """A tensor of zeros shaped like ``other``."""
    return _like(np.zeros_like(_plain(other), dtype=dtype, shape=shape), other, constant)


def ones_like(
    other: Any, dtype: Any = None, shape: Any = None, *, constant: bool | None = None
) -> Tensor:
    """A tensor of ones shaped like ``other``."""
    return _like(np.ones_like(_plain(other), dtype=dtype, shape=shape), other, constant)


def full_like(
    other: Any, fill_value: Any, dtype: Any = None, shape: Any = None, constant: bool | None = None
) -> Tensor:
    """A tensor filled with ``fill_value``, shaped like ``other``."""
    data = np.full_like(_plain(other), _plain(fill_value), dtype=dtype, shape=shape)
    return _like(data, other, constant)


for _np_func, _public in (
    (np.empty_like, empty_like),
    (np.zeros_like, zeros_like),
    (np.ones_like, ones_like),
    (np.full_like, full_like),
):
    register_override(_np_func, _public)
