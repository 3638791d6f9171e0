"""Dtype strategies. Every one lists float64 (or the widest dtype) first, so shrinking
prefers it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import hypothesis.strategies as st
import numpy as np

from ._validate import check, check_int

__all__ = [
    "float_dtypes",
    "differentiable_dtypes",
    "integer_dtypes",
    "bool_dtypes",
    "constant_only_dtypes",
    "promotable_pairs",
    "dtype_args",
]

_KIND_DTYPES: dict[str, list[np.dtype]] = {
    "f": [np.dtype(t) for t in ("float64", "float32", "float16")],
    "i": [np.dtype(t) for t in ("int64", "int32", "int16", "int8")],
    "u": [np.dtype(t) for t in ("uint64", "uint32", "uint16", "uint8")],
    "b": [np.dtype(bool)],
}


def float_dtypes(*, sizes: Iterable[int] = (16, 32, 64)) -> st.SearchStrategy[np.dtype]:
    """float16/32/64 dtypes of the given bit ``sizes`` (native byte order)."""
    sizes = tuple(sizes)
    check(
        bool(sizes) and set(sizes) <= {16, 32, 64},
        f"sizes must be a non-empty subset of (16, 32, 64), got sizes={sizes!r}",
    )
    return st.sampled_from(sorted((np.dtype(f"float{n}") for n in set(sizes)), key=_widest_first))


def differentiable_dtypes() -> st.SearchStrategy[np.dtype]:
    """The dtypes a variable tensor may have: the floating ones."""
    return float_dtypes()


def integer_dtypes(*, signed: bool = True, unsigned: bool = True) -> st.SearchStrategy[np.dtype]:
    check(signed or unsigned, "integer_dtypes needs signed=True or unsigned=True")
    pool = (_KIND_DTYPES["i"] if signed else []) + (_KIND_DTYPES["u"] if unsigned else [])
    return st.sampled_from(pool)


def bool_dtypes() -> st.SearchStrategy[np.dtype]:
    return st.just(np.dtype(bool))


def constant_only_dtypes() -> st.SearchStrategy[np.dtype]:
    """Dtypes whose tensors are always constant: the integer and bool dtypes."""
    return st.sampled_from(_KIND_DTYPES["i"] + _KIND_DTYPES["u"] + _KIND_DTYPES["b"])


def _widest_first(dt: np.dtype) -> tuple[int, int]:
    return ("fiub".index(dt.kind), -dt.itemsize)


def promotable_pairs(*, k: int = 2, kinds: str = "fb") -> st.SearchStrategy[tuple[np.dtype, ...]]:
    """A ``k``-tuple of dtypes of the given ``kinds`` (letters of "fiub"). Shrinking prefers
    equal dtypes; the promoted dtype is ``np.result_type(*pair)``."""
    check_int(k, "k", minimum=1)
    check(
        isinstance(kinds, str) and bool(kinds) and set(kinds) <= set("fiub"),
        f"kinds must be a non-empty string of letters from 'fiub', got kinds={kinds!r}",
    )
    pool = sorted({dt for kind in kinds for dt in _KIND_DTYPES[kind]}, key=_widest_first)

    @st.composite
    def draw_pair(draw: Any) -> tuple[np.dtype, ...]:
        first = draw(st.sampled_from(pool))
        # each further dtype is the first one unless the draw says otherwise
        rest = [draw(st.just(first) | st.sampled_from(pool)) for _ in range(k - 1)]
        return (first, *rest)

    return draw_pair()


def dtype_args(op_dtypes: Sequence[Any]) -> st.SearchStrategy[Any]:
    """Values for a ``dtype=`` argument: None, or one of ``op_dtypes`` spelled as a type
    object, a string or an ``np.dtype``."""
    dts = [np.dtype(d) for d in op_dtypes]
    check(bool(dts), f"op_dtypes must name at least one dtype, got op_dtypes={op_dtypes!r}")
    spelled = st.sampled_from(dts).flatmap(lambda dt: st.sampled_from([dt, dt.type, dt.name]))
    return st.none() | spelled
