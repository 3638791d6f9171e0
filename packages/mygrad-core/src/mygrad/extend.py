"""The public extension API: declare ops, run them, and inspect the registry.

``mygrad.nnet``, ``mygrad.testing`` and downstream projects use only this module and the
top-level ``mygrad`` namespace, never ``mygrad._*``.

>>> import numpy as np
>>> import mygrad as mg
>>> from mygrad.extend import defop
>>> @defop(name="cube_example")
... def cube_example(x):
...     '''x ** 3, element-wise.'''
...     return x ** 3
>>> @cube_example.vjp
... def _cube_example_vjp(g, out, x):
...     return 3 * g * x ** 2
>>> t = mg.tensor([1.0, 2.0])
>>> cube_example(t).backward()
>>> t.grad
array([ 3., 12.])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ._graph import Node, keep_only_reads, unbroadcast
from ._lazy import scratch_variant
from ._memguard import clear_all_mem_locking_state, lock_count
from ._modes import tracking_active
from ._op import OpDef, defop, execute
from ._registry import ops, register_nondifferentiable, register_override

__all__ = [
    "defop",
    "scratch_variant",
    "OpDef",
    "Node",
    "keep_only_reads",
    "execute",
    "ops",
    "register_nondifferentiable",
    "register_override",
    "unbroadcast",
    "expand_reduced",
    "normalize_axis",
    "tracking_active",
    "lock_count",
    "clear_all_mem_locking_state",
]


def normalize_axis(axis: int | Iterable[int] | None, ndim: int) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative ints (None means every axis).

    Raises NumPy's AxisError for an out-of-range axis and ValueError for a repeated one. As
    NumPy's reductions do, it takes axis 0 or -1 of a 0-d array (reducing nothing).
    """
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int and 0 <= axis < ndim:
        return (axis,)  # (the common case, cheaply)
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        if ndim == 0 and axis in (0, -1):
            return ()  # NumPy's reductions accept these on a 0-d array: nothing is reduced
        axes: tuple[Any, ...] = (axis,)
    else:
        axes = tuple(axis)  # type: ignore[arg-type]
    out = []
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"`axis` must be an int, a tuple of ints, or None; got {axis!r}")
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(int(a), ndim)
        out.append(int(a) % ndim if ndim else int(a))
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis!r}")
    return tuple(sorted(out))


def expand_reduced(
    g: Any, shape: tuple[int, ...], axis: int | Iterable[int] | None, keepdims: bool
) -> np.ndarray:
    """Broadcast a reduction's cotangent ``g`` back to the input ``shape`` (a read-only view)."""
    g = np.asarray(g)
    if not keepdims and g.ndim:  # (a 0-d g, every axis reduced, broadcasts as it is)
        axes = normalize_axis(axis, len(shape))
        g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(shape)))
    if not g.flags.c_contiguous or g.ndim not in (0, len(shape)):
        return np.broadcast_to(g, shape)
    # np.broadcast_to's view, made by the ndarray constructor over g's memory (a fifth of
    # broadcast_to's cost): stride 0 along each reduced axis, read-only as broadcast_to's
    if not g.ndim:
        strides: tuple[int, ...] = (0,) * len(shape)
    else:
        strides = ()
        for n, m, stride in zip(g.shape, shape, g.strides):
            if n != m and n != 1:
                return np.broadcast_to(g, shape)  # (raises NumPy's error)
            strides += (0 if n != m else stride,)
    view: np.ndarray = np.ndarray(shape, g.dtype, g, 0, strides)
    view.setflags(False)  # type: ignore[call-arg]  # positional: the fast form
    return view
