"""Memory layouts: the same values in C order, Fortran order, strided, reversed, stride-0
broadcast (read-only) or offset views. NumPy-fidelity bugs live in strides, and Hypothesis
only ever returns fresh C-contiguous arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis.strategies as st
import numpy as np

from ._validate import check

__all__ = ["LAYOUTS", "layouts", "with_layout"]

LAYOUTS = ("c", "f", "strided", "reversed", "broadcast", "offset")


def _strided(a: np.ndarray) -> np.ndarray:
    """A ``[::2]`` view (along the last axis) of a buffer twice as large."""
    if a.ndim == 0:
        return a.copy()
    buffer = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), dtype=a.dtype)
    view = buffer[..., ::2]
    view[...] = a
    return view


def _reversed(a: np.ndarray) -> np.ndarray:
    """A view with negative strides on every axis."""
    flip = (slice(None, None, -1),) * a.ndim
    return a[flip].copy()[flip]


def _broadcast(a: np.ndarray) -> np.ndarray:
    """A read-only ``np.broadcast_to`` view, with stride 0 along every axis whose values are
    all equal (the values are unchanged)."""
    source = a
    for axis in range(a.ndim):
        first = np.take(source, [0], axis=axis) if source.shape[axis] else None
        if first is not None and np.array_equal(source, np.broadcast_to(first, source.shape)):
            source = first
    return np.broadcast_to(source, a.shape)


def _offset(a: np.ndarray) -> np.ndarray:
    """A view that starts three elements into its buffer."""
    buffer = np.zeros(a.size + 3, dtype=a.dtype)
    view = buffer[3:].reshape(a.shape)
    view[...] = a
    return view


_MAKERS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "c": np.ascontiguousarray,
    "f": np.asfortranarray,
    "strided": _strided,
    "reversed": _reversed,
    "broadcast": _broadcast,
    "offset": _offset,
}


def with_layout(array: Any, layout: str) -> np.ndarray:
    """``array``'s values in the named ``layout`` (one of :data:`LAYOUTS`); always a new
    buffer, never ``array`` itself."""
    check(layout in _MAKERS, f"layout must be one of {LAYOUTS}, got layout={layout!r}")
    return _MAKERS[layout](np.array(array, copy=True))


def layouts(layout: Any = "any") -> st.SearchStrategy[str]:
    """Layout names: ``"any"`` draws any of them (shrinking to "c"), a name gives just that
    one, and a strategy is passed through."""
    if isinstance(layout, st.SearchStrategy):
        return layout
    if layout == "any":
        return st.sampled_from(LAYOUTS)
    check(layout in _MAKERS, f"layout must be 'any' or one of {LAYOUTS}, got layout={layout!r}")
    return st.just(layout)
