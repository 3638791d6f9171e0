"""Hints for mygrad-core's ops/manipulation.py: reshape, ravel, flatten, squeeze,
expand_dims, broadcast_to, atleast_kd, transpose, moveaxis, swapaxes, roll, concatenate,
stack, repeat.

The ops are linear and value-agnostic, so every row certifies integer and boolean inputs
too and needs no domain. The strategies draw only valid parameters: reshape targets of
the same size (``-1`` included), axes that exist, permutations, broadcast targets, and
1-4 joinable arrays with an axis they can be joined along.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np

from ._row import Call, Hints

__all__ = [
    "ROWS",
    "reshape_targets",
    "unit_axes",
    "expand_axes",
    "broadcast_targets",
    "permutations",
    "moveaxis_params",
    "roll_params",
    "repeat_params",
    "join_shapes",
    "concatenate_axes",
    "stack_axes",
]

Shape = tuple[int, ...]
Shapes = tuple[Shape, ...]

_DTYPES = (np.float64, np.float32, np.float16, np.int64, np.bool_)


def _prime_factors(n: int) -> list[int]:
    factors, p = [], 2
    while p * p <= n:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    return factors + ([n] if n > 1 else [])


@st.composite
def reshape_targets(draw: st.DrawFn, size: int) -> Any:
    """A ``newshape`` holding ``size`` entries: its prime factors spread over 0-4 dims, at
    most one dim written as -1 (only where NumPy can infer it), sometimes a bare int."""
    ndim = draw(st.integers(0 if size == 1 else 1, 4))
    if size == 0:
        dims = [draw(st.integers(0, 3)) for _ in range(ndim)]
        dims[draw(st.integers(0, ndim - 1))] = 0
    else:
        dims = [1] * ndim
        for p in _prime_factors(size):
            dims[draw(st.integers(0, ndim - 1))] *= p
    inferable = [i for i in range(ndim) if math.prod(dims[:i] + dims[i + 1 :]) != 0]
    infer_one: bool = draw(st.booleans())
    if inferable and infer_one:
        dims[draw(st.sampled_from(inferable))] = -1
    if ndim == 1 and draw(st.booleans()):
        return dims[0]
    return tuple(dims)


def _signed(axis: int, ndim: int) -> st.SearchStrategy[int]:
    """``axis`` or its negative spelling."""
    return st.sampled_from((axis, axis - ndim))


def _axis_choice(axes: list[int], ndim: int) -> st.SearchStrategy[Any]:
    """An int or a tuple drawn from ``axes`` (distinct; each maybe negative)."""
    picks = st.lists(st.sampled_from(axes), unique=True, min_size=1, max_size=len(axes))
    tuples = picks.flatmap(lambda chosen: st.tuples(*(_signed(a, ndim) for a in chosen)))
    return st.one_of(st.sampled_from(axes).flatmap(lambda a: _signed(a, ndim)), tuples)


def unit_axes(shapes: Shapes) -> st.SearchStrategy[Any]:
    """squeeze's ``axis``: None, ``()``, or some of the length-one axes."""
    shape = shapes[0]
    ones = [i for i, n in enumerate(shape) if n == 1]
    options = [st.none(), st.just(())]
    if ones:
        options.append(_axis_choice(ones, len(shape)))
    return st.one_of(options)


def _unit_heavy_shapes() -> st.SearchStrategy[Shapes]:
    sides = st.lists(st.sampled_from((1, 1, 2, 3)), max_size=4).map(tuple)
    return st.tuples(sides)


@st.composite
def expand_axes(draw: st.DrawFn, shapes: Shapes) -> Any:
    """expand_dims's ``axis``: 1-2 distinct positions in the result (maybe negative)."""
    out_ndim = len(shapes[0]) + draw(st.integers(1, 2))
    k = out_ndim - len(shapes[0])
    positions = draw(st.lists(st.integers(0, out_ndim - 1), unique=True, min_size=k, max_size=k))
    axes = tuple(draw(_signed(p, out_ndim)) for p in positions)
    return axes[0] if k == 1 and draw(st.booleans()) else axes


@st.composite
def broadcast_targets(draw: st.DrawFn, shapes: Shapes) -> Shape:
    """A shape ``shapes[0]`` broadcasts to: 0-2 new leading dims, length-one axes stretched."""
    lead = draw(st.lists(st.integers(1, 3), max_size=2))
    body = [draw(st.integers(1, 3)) if n == 1 else n for n in shapes[0]]
    return (*lead, *body)


@st.composite
def permutations(draw: st.DrawFn, shape: Shape) -> dict[str, Any]:
    """transpose's ``axes``: None or a permutation of the axes (maybe negative)."""
    ndim = len(shape)
    if draw(st.booleans()):
        return {"axes": None}
    order = draw(st.permutations(range(ndim)))
    return {"axes": tuple(draw(_signed(a, ndim)) for a in order)}


def _at_least_1d() -> st.SearchStrategy[Shapes]:
    return st.tuples(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3))


def _axis_of(shapes: Shapes) -> st.SearchStrategy[int]:
    ndim = len(shapes[0])
    return st.integers(-ndim, ndim - 1)


# ------------------------------------------------------------------------------ whole calls


def _one_array_calls(
    shapes: st.SearchStrategy[Shape], params: Callable[[Shape], st.SearchStrategy[dict]]
) -> Callable[[], st.SearchStrategy[Call]]:
    """A ``calls`` factory: one float array of a drawn shape, with params fitted to it."""

    @st.composite
    def draw_call(draw: st.DrawFn) -> Call:
        shape = draw(shapes)
        array = draw(hnp.arrays(np.float64, shape, elements=st.floats(-10, 10)))
        return Call((array,), draw(params(shape)))

    return draw_call


@st.composite
def moveaxis_params(draw: st.DrawFn, shape: Shape) -> dict[str, Any]:
    """``source`` and ``destination``: equal numbers of distinct axes (ints or tuples)."""
    ndim = len(shape)
    k = draw(st.integers(1, ndim))
    source = draw(st.permutations(range(ndim)))[:k]
    destination = draw(st.permutations(range(ndim)))[:k]
    source = [draw(_signed(a, ndim)) for a in source]
    destination = [draw(_signed(a, ndim)) for a in destination]
    if k == 1 and draw(st.booleans()):
        return {"source": source[0], "destination": destination[0]}
    return {"source": tuple(source), "destination": tuple(destination)}


@st.composite
def roll_params(draw: st.DrawFn, shape: Shape) -> dict[str, Any]:
    """``shift`` (any int, beyond the length too) with ``axis`` None, an int, or a tuple
    (repeats allowed: NumPy adds their shifts); a tuple shift matches a tuple axis."""
    shift = st.integers(-6, 6)
    ndim = len(shape)
    if ndim == 0 or draw(st.booleans()):
        return {"shift": draw(shift), "axis": None}
    if draw(st.booleans()):
        return {"shift": draw(shift), "axis": draw(_axis_of((shape,)))}
    axes = tuple(draw(st.lists(_axis_of((shape,)), min_size=1, max_size=3)))
    shifts = tuple(draw(st.lists(shift, min_size=len(axes), max_size=len(axes))))
    return {"shift": shifts if draw(st.booleans()) else shifts[0], "axis": axes}


@st.composite
def repeat_params(draw: st.DrawFn, shape: Shape) -> dict[str, Any]:
    """``repeats`` (an int, or a count per entry along ``axis``; zeros included) and
    ``axis`` (None flattens)."""
    ndim = len(shape)
    axis = None if ndim == 0 or draw(st.booleans()) else draw(_axis_of((shape,)))
    n = math.prod(shape) if axis is None else shape[axis]
    counts = st.integers(0, 3)
    if draw(st.booleans()):
        repeats: Any = draw(counts)
    else:
        repeats = draw(st.lists(counts, min_size=n, max_size=n))
    return {"repeats": repeats, "axis": axis}


_SMALL_SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)
_SMALL_NONEMPTY = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)


# ------------------------------------------------------------------------------ joining


@st.composite
def join_shapes(draw: st.DrawFn) -> Shapes:
    """1-4 shapes that can be concatenated: equal, except perhaps along one axis."""
    base = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    count = draw(st.integers(1, 4))
    if not base or draw(st.booleans()):
        return (base,) * count
    axis = draw(st.integers(0, len(base) - 1))
    sides = draw(st.lists(st.integers(1, 3), min_size=count, max_size=count))
    return tuple(base[:axis] + (n,) + base[axis + 1 :] for n in sides)


def concatenate_axes(shapes: Shapes) -> st.SearchStrategy[Any]:
    """None (flatten), or an axis along which ``shapes`` differ at most."""
    ndim = len(shapes[0])
    valid = [
        ax
        for ax in range(ndim)
        if all(s[:ax] + s[ax + 1 :] == shapes[0][:ax] + shapes[0][ax + 1 :] for s in shapes)
    ]
    if not valid:
        return st.none()
    return st.one_of(st.none(), st.sampled_from(valid).flatmap(lambda a: _signed(a, ndim)))


def _same_shapes() -> st.SearchStrategy[Shapes]:
    shape = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
    return st.tuples(shape, st.integers(1, 4)).map(lambda c: (c[0],) * c[1])


def stack_axes(shapes: Shapes) -> st.SearchStrategy[int]:
    """stack's ``axis``: a position in the result, which has one more dim."""
    ndim = len(shapes[0]) + 1
    return st.integers(-ndim, ndim - 1)


def _reshape_reference(a: np.ndarray, newshape: Any) -> np.ndarray:
    # NumPy 2.4 calls the parameter `shape`; MyGrad keeps `newshape`
    return np.reshape(a, newshape)


def _flatten_reference(a: np.ndarray) -> np.ndarray:
    return np.asarray(a).flatten()


# every row: any dtype, and outputs bit-identical to NumPy's (entries are only moved)
_EXACT: dict[str, Any] = {"dtypes": _DTYPES, "forward_exact": True}

ROWS = {
    "reshape": Hints(
        params={"newshape": lambda shapes: reshape_targets(math.prod(shapes[0]))},
        reference=_reshape_reference,
        examples=(
            Call((np.arange(6.0),), {"newshape": (2, -1)}),
            Call((np.arange(6.0).reshape(2, 3),), {"newshape": 6}),
            Call((np.zeros((0, 3)),), {"newshape": (3, -1, 2)}),
        ),
        **_EXACT,
    ),
    "ravel": Hints(**_EXACT),
    "flatten": Hints(reference=_flatten_reference, **_EXACT),
    "squeeze": Hints(shapes=_unit_heavy_shapes, params={"axis": unit_axes}, **_EXACT),
    "expand_dims": Hints(params={"axis": expand_axes}, **_EXACT),
    "broadcast_to": Hints(params={"shape": broadcast_targets}, **_EXACT),
    "atleast_1d": Hints(**_EXACT),
    "atleast_2d": Hints(**_EXACT),
    "atleast_3d": Hints(**_EXACT),
    # a whole call: transpose(a, *axes) takes its array positionally, its axes as `axes=`
    "transpose": Hints(calls=_one_array_calls(_SMALL_SHAPES, permutations), **_EXACT),
    "moveaxis": Hints(calls=_one_array_calls(_SMALL_NONEMPTY, moveaxis_params), **_EXACT),
    "swapaxes": Hints(shapes=_at_least_1d, params={"axis1": _axis_of, "axis2": _axis_of}, **_EXACT),
    "roll": Hints(calls=_one_array_calls(_SMALL_SHAPES, roll_params), **_EXACT),
    "concatenate": Hints(
        shapes=join_shapes,
        params={"axis": concatenate_axes},
        examples=(
            Call((np.arange(6.0).reshape(2, 3), np.arange(4.0)), {"axis": None}),
            Call((np.ones((2, 1)), np.zeros((2, 0)), np.ones((2, 2))), {"axis": 1}),
        ),
        **_EXACT,
    ),
    "stack": Hints(shapes=_same_shapes, params={"axis": stack_axes}, **_EXACT),
    "repeat": Hints(
        calls=_one_array_calls(_SMALL_SHAPES, repeat_params),
        examples=(
            Call((np.arange(6.0).reshape(2, 3),), {"repeats": [0, 2], "axis": 0}),
            Call((np.arange(3.0),), {"repeats": 0}),
        ),
        **_EXACT,
    ),
}
