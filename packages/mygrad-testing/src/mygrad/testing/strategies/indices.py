"""Index strategies: basic, single-axis, integer-array and arbitrary (mixed) indices.

``arbitrary_indices`` is built constructively: it first decides what indexes each axis (a
full slice, an int, a slice, an integer array, or a boolean mask over a run of axes), then
sizes the advanced indices so that they broadcast, then places ``...`` and ``None``.
Nothing is filtered, not even on the number of ``True`` values in a mask.
"""

from __future__ import annotations

import math
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np

from ._validate import check, check_bool, check_int, check_range
from .shapes import shapes

__all__ = [
    "basic_indices",
    "integer_index",
    "slice_index",
    "adv_integer_index",
    "arbitrary_indices",
    "index_categories",
    "INDEX_CATEGORIES",
]

INDEX_CATEGORIES = (
    "basic",
    "int-array",
    "bool-mask",
    "bool+int",
    "separated-advanced",
    "ellipsis",
    "newaxis",
)


def _check_shape(shape: Any) -> tuple[int, ...]:
    check(
        isinstance(shape, tuple)
        and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape),
        f"shape must be a tuple of non-negative ints, got shape={shape!r}",
    )
    return shape


def basic_indices(
    shape: tuple[int, ...],
    *,
    min_dims: int = 0,
    max_dims: int | None = None,
    allow_newaxis: bool = True,
    allow_ellipsis: bool = True,
) -> st.SearchStrategy[Any]:
    """Hypothesis's ``basic_indices`` (ints, slices, ``None``, ``...``), with ``None`` and
    ``...`` allowed by default."""
    # the flags are plain bools here, which hypothesis's Literal-typed overloads do not cover
    return hnp.basic_indices(  # type: ignore[call-overload]
        _check_shape(shape),
        min_dims=min_dims,
        max_dims=max_dims,
        allow_newaxis=allow_newaxis,
        allow_ellipsis=allow_ellipsis,
    )


def integer_index(size: int) -> st.SearchStrategy[int]:
    """A valid int index (negative ones included) for an axis of length ``size``."""
    check_int(size, "size", minimum=1)
    return st.integers(-size, size - 1)


def slice_index(
    size: int,
    min_start: int | None = None,
    max_start: int | None = None,
    min_stop: int | None = None,
    max_stop: int | None = None,
    min_step: int = 1,
    max_step: int = 2,
    negative_step: bool = True,
) -> st.SearchStrategy[slice]:
    """A slice for an axis of length ``size``: start and stop in [-size, size] (or the given
    bounds) or None; a step in [min_step, max_step], possibly negated, or None."""
    check_int(size, "size", minimum=0)
    for value, name in (
        (min_start, "min_start"),
        (max_start, "max_start"),
        (min_stop, "min_stop"),
        (max_stop, "max_stop"),
    ):
        check_int(value, name, optional=True)
    check_int(min_step, "min_step", minimum=1)
    check_int(max_step, "max_step", minimum=1)
    check_range(min_step, max_step, "min_step", "max_step")
    check_bool(negative_step, "negative_step")
    lo_start = -size if min_start is None else min_start
    hi_start = size if max_start is None else max_start
    lo_stop = -size if min_stop is None else min_stop
    hi_stop = size if max_stop is None else max_stop
    check_range(lo_start, hi_start, "min_start", "max_start")
    check_range(lo_stop, hi_stop, "min_stop", "max_stop")
    steps = st.integers(min_step, max_step)
    if negative_step:
        steps = steps | steps.map(lambda n: -n)
    return st.builds(
        slice,
        st.none() | st.integers(lo_start, hi_start),
        st.none() | st.integers(lo_stop, hi_stop),
        st.none() | steps,
    )


def adv_integer_index(
    shape: tuple[int, ...],
    min_dims: int = 1,
    max_dims: int = 3,
    min_side: int = 1,
    max_side: int = 3,
) -> st.SearchStrategy[tuple[np.ndarray, ...]]:
    """One integer array per axis of ``shape``, all of one drawn index shape (``min_dims``
    to ``max_dims`` dims, sides ``min_side`` to ``max_side``). An axis of length 0 admits no
    index value, so then the index shape has a 0 in it."""
    shape = _check_shape(shape)
    check(len(shape) >= 1, "adv_integer_index needs a shape with at least one dim")
    index_shapes = shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side, max_size=64
    )

    @st.composite
    def draw_index(draw: Any) -> tuple[np.ndarray, ...]:
        index_shape = draw(index_shapes)
        if 0 in shape and 0 not in index_shape:
            index_shape = (0,) + index_shape[1:]
        return tuple(
            draw(hnp.arrays(np.intp, index_shape, elements=st.integers(-n, max(n - 1, -n))))
            for n in shape
        )

    return draw_index()


def _mask(draw: Any, sides: tuple[int, ...], trues: int) -> np.ndarray:
    """A bool array of shape ``sides`` with exactly ``trues`` True values."""
    size = math.prod(sides)
    flat = np.zeros(size, dtype=bool)
    flat[list(draw(st.permutations(range(size)))[:trues])] = True
    return flat.reshape(sides)


def _plan(draw: Any, shape: tuple[int, ...]) -> list[tuple[str, int]]:
    """What indexes each axis: a list of (kind, number of axes consumed)."""
    plan: list[tuple[str, int]] = []
    axis = 0
    while axis < len(shape):
        side = shape[axis]
        kinds = ["free", "slice", "mask"] + (["int", "array"] if side >= 1 else [])
        kind = draw(st.sampled_from(kinds))
        span = draw(st.integers(1, len(shape) - axis)) if kind == "mask" else 1
        plan.append((kind, span))
        axis += span
    return plan


def _advanced_shapes(draw: Any, shape: tuple[int, ...], plan: list[tuple[str, int]]) -> dict:
    """The index arrays (by plan position), sized so that they all broadcast together."""
    out: dict[int, np.ndarray] = {}
    axis_of, axis = [], 0
    for _, span in plan:
        axis_of.append(axis)
        axis += span
    masks = [i for i, (kind, _) in enumerate(plan) if kind == "mask"]
    arrays = [i for i, (kind, _) in enumerate(plan) if kind == "array"]
    if masks:
        sizes = [math.prod(shape[axis_of[i] : axis_of[i] + plan[i][1]]) for i in masks]
        n = draw(st.integers(0, min(min(sizes), 4)))
        for i, size in zip(masks, sizes):
            # a mask with one True broadcasts against any length
            trues = 1 if (n != 1 and size >= 1 and draw(st.booleans())) else n
            sides = shape[axis_of[i] : axis_of[i] + plan[i][1]]
            out[i] = _mask(draw, sides, trues)
        common: tuple[int, ...] = (n,)
    else:
        common = draw(shapes(max_dims=2, min_side=0, max_side=3, max_size=9))
    for i in arrays:
        k = draw(st.integers(0, len(common)))
        own = tuple(1 if draw(st.booleans()) else m for m in common[len(common) - k :])
        side = shape[axis_of[i]]
        out[i] = draw(hnp.arrays(np.intp, own, elements=st.integers(-side, side - 1)))
    return out


def arbitrary_indices(shape: tuple[int, ...]) -> st.SearchStrategy[Any]:
    """Any valid index for an array of ``shape``: ints, slices, ``None``, ``...``, integer
    arrays and boolean masks in any mix, including advanced indices separated by a slice
    (which moves the broadcast dims to the front) and masks combined with int arrays."""
    shape = _check_shape(shape)

    @st.composite
    def draw_index(draw: Any) -> Any:
        plan = _plan(draw, shape)
        advanced = _advanced_shapes(draw, shape, plan)
        items: list[Any] = []
        axis = 0
        for i, (kind, span) in enumerate(plan):
            side = shape[axis]
            if kind == "free":
                items.append(slice(None))
            elif kind == "slice":
                items.append(draw(slice_index(side)))
            elif kind == "int":
                items.append(draw(integer_index(side)))
            else:
                items.append(advanced[i])
            axis += span
        if draw(st.booleans()):
            # `...` stands for a run (possibly empty) of full slices starting here
            start = draw(st.integers(0, len(items)))
            stop = start
            while stop < len(items) and plan[stop][0] == "free" and draw(st.booleans()):
                stop += 1
            items[start:stop] = [Ellipsis]
        elif draw(st.booleans()):
            while items and isinstance(items[-1], slice) and items[-1] == slice(None):
                items.pop()
        for _ in range(draw(st.integers(0, 2))):
            items.insert(draw(st.integers(0, len(items))), None)
        if len(items) == 1 and draw(st.booleans()):
            return items[0]
        return tuple(items)

    return draw_index()


def index_categories(index: Any) -> frozenset[str]:
    """Which of :data:`INDEX_CATEGORIES` an index belongs to (for ``hypothesis.event``)."""
    items = index if isinstance(index, tuple) else (index,)
    is_array = [isinstance(x, np.ndarray) and x.dtype.kind in "iu" for x in items]
    is_mask = [isinstance(x, np.ndarray) and x.dtype.kind == "b" for x in items]
    found = set()
    if any(is_array):
        found.add("int-array")
    if any(is_mask):
        found.add("bool-mask")
    if any(is_array) and any(is_mask):
        found.add("bool+int")
    if not any(is_array) and not any(is_mask):
        found.add("basic")
    if any(x is Ellipsis for x in items):
        found.add("ellipsis")
    if any(x is None for x in items):
        found.add("newaxis")
    # with any array present, ints act as advanced indices too; a slice, None or ... between
    # two advanced indices separates them
    any_advanced = any(is_array) or any(is_mask)
    advanced = [
        j
        for j, x in enumerate(items)
        if is_array[j] or is_mask[j] or (any_advanced and isinstance(x, (int, np.integer)))
    ]
    if advanced and any(
        isinstance(items[j], slice) or items[j] is None or items[j] is Ellipsis
        for j in range(advanced[0], advanced[-1])
    ):
        found.add("separated-advanced")
    return frozenset(found)
