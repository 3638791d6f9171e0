"""Scalar elements from a domain, with gaps around kinks that the oracle's steps never cross,
tie-free ``separated`` values, ``integer_safe`` values and upstream gradients.

A domain is anything with ``low``, ``high`` and (optionally) ``exclude`` attributes, such as
the plain-data ``mygrad.testing.hints._row.Domain``, or a ``(low, high)`` pair. (It is read by
duck typing: the hints rows import these strategies, so this module must not import them.)
Excluded points and kinks are removed as intervals before drawing, so nothing is filtered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, cast

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
from hypothesis.errors import InvalidArgument

from ..oracles.finite_diff import REFINE_H_REL
from ._validate import check, check_int

__all__ = [
    "KINK_GAP_REL",
    "GRAD_BOUND",
    "kink_gap",
    "elements",
    "separated",
    "integer_safe",
    "upstream_grads",
]

# relative gap kept around kinks: 10x the oracle's largest (refinement) step, so that
# x ± step never crosses a kink
KINK_GAP_REL = 10 * REFINE_H_REL
# magnitude bound of elements drawn for a gradient check
GRAD_BOUND = {np.dtype(np.float16): 4.0, np.dtype(np.float32): 10.0, np.dtype(np.float64): 10.0}

Interval = tuple[float, float]


@dataclass(frozen=True)
class Span:
    """The parts of a domain that the strategies read."""

    low: float
    high: float
    exclude: tuple[float, ...] = ()


REAL = Span(-10.0, 10.0)


def as_span(domain: Any) -> Span:
    """A :class:`Span` from a Domain-like object or a ``(low, high)`` pair."""
    if hasattr(domain, "low") and hasattr(domain, "high"):
        low, high = domain.low, domain.high
        exclude = tuple(getattr(domain, "exclude", ()))
    else:
        try:
            low, high = (float(v) for v in domain)
        except (TypeError, ValueError):
            low = high = math.nan
        exclude = ()
    check(
        isinstance(low, (int, float)) and isinstance(high, (int, float)) and low < high,
        f"domain must have low < high or be a (low, high) pair, got domain={domain!r}",
    )
    return Span(float(low), float(high), tuple(float(p) for p in exclude))


def kink_gap(point: float) -> float:
    """The half-width of the interval kept free around a kink or excluded ``point``."""
    return KINK_GAP_REL * max(1.0, abs(point))


def _float_dtype(dtype: Any, name: str = "dtype") -> np.dtype:
    try:
        return np.dtype(dtype)
    except TypeError:
        raise InvalidArgument(f"{name} must be a dtype, got {name}={dtype!r}") from None


def _width(dt: np.dtype) -> Literal[16, 32, 64]:
    """The ``width`` argument of ``st.floats`` for a float dtype."""
    return cast(Literal[16, 32, 64], 8 * dt.itemsize)


def _round_inward(a: float, b: float, dt: np.dtype) -> Interval | None:
    """The largest [a', b'] inside [a, b] whose ends are representable in ``dt``."""
    if dt == np.float64:
        return (a, b) if a <= b else None
    info = np.finfo(dt)
    lo = dt.type(np.clip(a, -float(info.max), float(info.max)))
    if float(lo) < a:
        lo = np.nextafter(lo, dt.type(np.inf))
    hi = dt.type(np.clip(b, -float(info.max), float(info.max)))
    if float(hi) > b:
        hi = np.nextafter(hi, dt.type(-np.inf))
    return (float(lo), float(hi)) if lo <= hi else None


def _carve(low: float, high: float, points: Iterable[float]) -> list[Interval]:
    """[low, high] minus an open gap around every point."""
    pieces = [(low, high)]
    for p in sorted(set(points)):
        gap = kink_gap(p)
        pieces = [
            part
            for a, b in pieces
            for part in ((a, min(b, p - gap)), (max(a, p + gap), b))
            if part[0] <= part[1]
        ]
    return pieces


def _bounds(domain: Span, dt: np.dtype, for_grad: bool) -> Interval:
    low, high = domain.low, domain.high
    if for_grad:
        bound = GRAD_BOUND.get(dt, 10.0)
        low, high = max(low, -bound), min(high, bound)
    check(low <= high, f"the domain {domain!r} is empty after bounding it for dtype {dt}")
    return low, high


def _intervals(domain: Span, dt: np.dtype, for_grad: bool, kinks: Iterable[float]) -> list:
    low, high = _bounds(domain, dt, for_grad)
    points = list(domain.exclude) + (list(kinks) if for_grad else [])
    rounded = [_round_inward(a, b, dt) for a, b in _carve(low, high, points)]
    pieces = [r for r in rounded if r is not None]
    check(bool(pieces), f"no {dt} value lies in {domain!r} away from the points {points}")
    # shrinking prefers the interval nearest zero
    return sorted(pieces, key=lambda ab: 0.0 if ab[0] <= 0 <= ab[1] else min(map(abs, ab)))


def elements(
    domain: Any = REAL,
    dtype: Any = np.float64,
    *,
    for_grad: bool = False,
    kinks: Iterable[float] = (),
) -> st.SearchStrategy[Any]:
    """Scalars of ``dtype`` in ``domain``, never within a gap of an excluded point.

    ``for_grad=True`` adds what a gradient check needs: |x| at most 10 (4 for float16), no
    subnormals, and a gap around every point in ``kinks`` wider than the oracle's largest
    step, so that x ± step never crosses one.
    """
    domain = as_span(domain)
    dt = _float_dtype(dtype)
    kinks = tuple(kinks)
    if dt.kind == "b":
        return st.booleans()
    if dt.kind in "iu":
        info = np.iinfo(dt)
        low, high = (
            max(math.ceil(domain.low), int(info.min)),
            min(math.floor(domain.high), int(info.max)),
        )
        check(low <= high, f"no {dt} value lies in {domain!r}")
        pieces = _carve(low, high, list(domain.exclude) + (list(kinks) if for_grad else []))
        ints = [(math.ceil(a), math.floor(b)) for a, b in pieces if math.ceil(a) <= math.floor(b)]
        check(bool(ints), f"no {dt} value lies in {domain!r} away from its excluded points")
        return st.one_of([st.integers(a, b) for a, b in ints])
    check(dt.kind == "f", f"elements supports bool, integer and float dtypes, got dtype={dtype!r}")
    return st.one_of(
        [
            st.floats(
                a,
                b,
                width=_width(dt),
                allow_nan=False,
                allow_infinity=False,
                allow_subnormal=not for_grad,
            )
            for a, b in _intervals(domain, dt, for_grad, kinks)
        ]
    )


def _default_gap(low: float, high: float) -> float:
    return KINK_GAP_REL * max(1.0, abs(low), abs(high))


def separated(
    n: int,
    domain: Any = REAL,
    dtype: Any = np.float64,
    *,
    gap: float | None = None,
) -> st.SearchStrategy[np.ndarray]:
    """``n`` values of ``dtype`` in ``domain`` whose pairwise distances all exceed ``gap``
    (default: the kink gap at the domain's largest magnitude), as a shape-(n,) array.

    They are drawn as a start plus positive increments over the domain's allowed intervals
    (laid end to end), then permuted, so nothing is filtered and shrinking still works.
    This is how ops with ties (max, sort, maximum, median) avoid them.
    """
    check_int(n, "n", minimum=0)
    domain = as_span(domain)
    dt = _float_dtype(dtype)
    check(dt.kind == "f", f"separated needs a float dtype, got dtype={dtype!r}")
    gap = _default_gap(domain.low, domain.high) if gap is None else gap
    check(
        isinstance(gap, (int, float)) and not isinstance(gap, bool) and gap > 0,
        f"gap must be a positive number, got gap={gap!r}",
    )
    pieces = sorted(_intervals(domain, dt, False, ()))
    spacing = float(np.spacing(dt.type(max(abs(domain.low), abs(domain.high)))))
    # rounding to dtype moves a value by at most half a spacing; the float64 arithmetic
    # that lays the intervals end to end loses a few ulps more
    step = float(gap) * (1 + 1e-9) + 4 * spacing
    lengths = [b - a for a, b in pieces]
    total = sum(lengths)
    check(
        (n - 1) * step <= total,
        f"{n} values {gap!r} apart do not fit in {domain!r} (usable length {total!r})",
    )

    def place(t: float) -> float:
        """Map a position along the intervals laid end to end back into the domain."""
        for (a, b), length in zip(pieces, lengths):
            if t <= length:
                return min(a + t, b)
            t -= length
        return pieces[-1][1]

    @st.composite
    def draw_values(draw: Any) -> np.ndarray:
        positions: list[float] = []
        t = 0.0
        for i in range(n):
            room = total - t - (n - 1 - i) * step
            low = 0.0 if i == 0 else step
            t += draw(st.floats(low, max(low, room), allow_nan=False))
            positions.append(min(t, total))
        values = np.array([place(p) for p in positions], dtype=np.float64).astype(dt)
        return np.array(draw(st.permutations(list(values))), dtype=dt)

    return draw_values()


def integer_safe(
    domain: Any = REAL, dtype: Any = np.float64, *, gap: float | None = None
) -> st.SearchStrategy[Any]:
    """Scalars whose distance from every integer exceeds ``gap`` (default: the kink gap), for
    gradient checks of floor, ceil, round, mod and friends."""
    domain = as_span(domain)
    dt = _float_dtype(dtype)
    check(dt.kind == "f", f"integer_safe needs a float dtype, got dtype={dtype!r}")
    gap = _default_gap(domain.low, domain.high) if gap is None else gap
    check(
        isinstance(gap, (int, float)) and not isinstance(gap, bool) and 0 < gap < 0.5,
        f"gap must be a number in (0, 0.5), got gap={gap!r}",
    )
    spacing = float(np.spacing(dt.type(max(abs(domain.low), abs(domain.high)))))
    check(
        spacing < (1 - 2 * gap) / 4,
        f"{dt} has too few non-integers in {domain!r} to keep gap={gap!r} from integers",
    )

    def piece(k: int) -> Interval | None:
        # strictly more than gap away from k and k + 1
        a = max(domain.low, float(np.nextafter(k + gap, np.inf)))
        b = min(domain.high, float(np.nextafter(k + 1 - gap, -np.inf)))
        return _round_inward(a, b, dt) if a <= b else None

    k_lo, k_hi = math.floor(domain.low), math.floor(domain.high)
    if piece(k_lo) is None:
        k_lo += 1
    if piece(k_hi) is None:
        k_hi -= 1
    check(k_lo <= k_hi, f"no value in {domain!r} is {gap!r} away from every integer")

    def in_piece(k: int) -> st.SearchStrategy[float]:
        a, b = piece(k)  # type: ignore[misc]
        return st.floats(a, b, width=_width(dt), allow_nan=False, allow_subnormal=False)

    # integers shrink towards 0, so the unit intervals next to zero come first
    ks = st.integers(k_lo, k_hi)
    return ks.flatmap(in_piece)


def upstream_grads(shape: Any, dtype: Any = np.float64) -> st.SearchStrategy[np.ndarray]:
    """The gradient handed to ``backward``: finite, non-zero values in ±[0.1, 2], each drawn
    on its own (no fill value), so symmetric cancellation cannot hide a sign error."""
    dt = _float_dtype(dtype)
    check(dt.kind == "f", f"upstream_grads needs a float dtype, got dtype={dtype!r}")
    low, high = _round_inward(0.1, 2.0, dt)  # type: ignore[misc]
    magnitude = st.floats(low, high, width=_width(dt))
    signed = st.tuples(st.booleans(), magnitude).map(lambda t: -t[1] if t[0] else t[1])
    return hnp.arrays(dt, shape, elements=signed, fill=st.nothing())
