"""Strategies that draw a :class:`SampleCall` for an :class:`OpSpec`.

Sizes are capped by construction (at most 4 dims, sides at most 4, at most 64 elements
per array), never by filtering. VJP draws keep every element a gap away from declared kinks
and excluded points, so the oracle's steps never cross one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..hints._row import Domain
from .sample import ABSENT, SampleCall
from .spec import OpSpec

__all__ = [
    "DrawMode",
    "calls",
    "calls_with",
    "capped_shapes",
    "broadcast_shapes",
    "valid_axes",
    "shapes_broadcasting_to",
    "values",
    "upstream_grads",
    "float_dtypes_of",
    "KINK_GAP",
]

MAX_DIMS = 4
MAX_SIDE = 4
MAX_SIZE = 64
# relative distance kept from every kink/excluded point: far beyond the oracle's steps
KINK_GAP = 1e-2


@dataclass(frozen=True)
class DrawMode:
    """What a property needs from a draw.

    ``for_grad``: float dtypes only, elements from the grad domain away from kinks, the
    differentiated inputs passed as variable tensors, and an upstream grad drawn.
    ``wraps``: how non-differentiated inputs may be passed. ``need_tensor``: the first
    input is always a Tensor (for dispatch and methods). ``mixed_dtypes``: one dtype per
    input. ``read_only``: raw ndarray inputs are sometimes read-only. ``constant_kw``: draw
    a ``constant=`` argument (absent, None, True or False). ``integers``: a ufunc that NumPy
    runs on integers also draws int64 inputs, whatever its hints row lists.
    """

    for_grad: bool = False
    wraps: tuple[str, ...] = ("variable", "constant", "array", "scalar")
    need_tensor: bool = False
    mixed_dtypes: bool = False
    read_only: bool = False
    constant_kw: bool = False
    grad: bool = False
    # ufuncs with an integer loop also get int64 inputs (integer tensors are constants)
    integers: bool = False


def float_dtypes_of(spec: OpSpec) -> tuple[np.dtype, ...]:
    return tuple(np.dtype(d) for d in spec.hints.dtypes if np.dtype(d).kind == "f")


def _dtypes_for(spec: OpSpec, mode: DrawMode) -> tuple[np.dtype, ...]:
    dts = tuple(np.dtype(d) for d in spec.hints.dtypes)
    if mode.for_grad:
        dts = tuple(d for d in dts if d.kind == "f")
    elif mode.integers and _has_integer_loop(spec) and np.dtype(np.int64) not in dts:
        dts += (np.dtype(np.int64),)
    if not dts:
        raise ValueError(f"the hints row of {spec.name!r} lists no dtype usable here: {dts}")
    # float64 first: shrinking prefers it
    return tuple(sorted(dts, key=lambda d: (d != np.float64, d.kind != "f", d.name)))


def _has_integer_loop(spec: OpSpec) -> bool:
    """Whether NumPy runs the ufunc on int64 inputs (directly or by a safe cast)."""
    if not spec.is_ufunc or not isinstance(spec.numpy, np.ufunc):
        return False
    nin, nout = spec.numpy.nin, spec.numpy.nout
    try:
        spec.numpy.resolve_dtypes((np.dtype(np.int64),) * nin + (None,) * nout)
    except (TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------- shapes
@st.composite
def capped_shapes(
    draw: Any,
    *,
    min_dims: int = 0,
    max_dims: int = MAX_DIMS,
    min_side: int = 0,
    max_side: int = MAX_SIDE,
    max_size: int = MAX_SIZE,
) -> tuple[int, ...]:
    """A shape whose size stays within ``max_size``: each side is drawn against the budget."""
    ndim = draw(st.integers(min_dims, max_dims))
    shape = []
    budget = max_size
    for _ in range(ndim):
        hi = max(min(max_side, budget), min_side)
        side = draw(st.integers(min_side, hi))
        shape.append(side)
        budget = budget // side if side else budget
    return tuple(shape)


@st.composite
def broadcast_shapes(draw: Any, n: int, *, min_side: int = 0) -> tuple[tuple[int, ...], ...]:
    """``n`` shapes that broadcast together, built from a drawn result shape: each input
    keeps a trailing run of its dims, some replaced by 1 (shrinks towards equal shapes)."""
    result = draw(capped_shapes(min_side=min_side))
    shapes = []
    for _ in range(n):
        dropped = draw(st.integers(0, len(result)))
        tail = result[dropped:]
        shapes.append(tuple(1 if draw(st.booleans()) else d for d in tail))
    return tuple(shapes)


@st.composite
def shapes_broadcasting_to(draw: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts *to* ``shape`` (a trailing run of its dims, some set to 1)."""
    tail = shape[draw(st.integers(0, len(shape))) :]
    return tuple(1 if draw(st.booleans()) else d for d in tail)


def valid_axes(ndim: int) -> st.SearchStrategy[Any]:
    """``None``, an int axis (possibly negative) or a tuple of distinct axes."""
    if ndim == 0:
        return st.sampled_from([None, ()])
    single = st.integers(-ndim, ndim - 1)
    several = st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).flatmap(
        lambda axes: st.tuples(*(st.sampled_from([a, a - ndim]) for a in axes))
    )
    return st.one_of(st.none(), single, several)


def _shape_rule(spec: OpSpec, min_side: int) -> st.SearchStrategy[tuple[tuple[int, ...], ...]]:
    rule = spec.hints.shapes
    if callable(rule):
        return rule()
    if spec.is_sequence:
        count = st.integers(2, 4)
    elif spec.is_ufunc:
        count = st.just(int(spec.arrays))
    else:
        count = st.just(max(int(spec.arrays), 1))
    if isinstance(rule, str) and "->" in rule:
        return hnp.mutually_broadcastable_shapes(
            signature=rule, max_dims=3, min_side=max(min_side, 1), max_side=3
        ).map(lambda b: b.input_shapes)
    if rule == "broadcastable" or (rule is None and spec.is_ufunc):
        return count.flatmap(lambda n: broadcast_shapes(n, min_side=min_side))
    if rule in (None, "same"):
        return st.tuples(count, capped_shapes(min_side=min_side)).map(lambda c: (c[1],) * c[0])
    raise ValueError(
        f"hints for {spec.name!r}: unknown shapes rule {rule!r}; use None, 'broadcastable', "
        "'same', a gufunc signature or a callable returning a strategy of shape tuples"
    )


# ---------------------------------------------------------------------- values
def _inward(low: float, high: float, dtype: np.dtype) -> tuple[float, float]:
    """The closed interval [low, high] narrowed to values representable in ``dtype``."""
    lo = dtype.type(low)
    if float(lo) < low:
        lo = np.nextafter(lo, dtype.type(np.inf))
    hi = dtype.type(high)
    if float(hi) > high:
        hi = np.nextafter(hi, dtype.type(-np.inf))
    return float(lo), float(hi)


def _width(dtype: np.dtype) -> Literal[16, 32, 64]:
    bits = dtype.itemsize * 8
    if bits == 16:
        return 16
    return 32 if bits == 32 else 64


def _push_away(x: float, points: Sequence[float], lo: float, hi: float) -> float:
    """Move ``x`` out of the gap around each point (to the gap's near edge, else the far one)."""
    for p in points:
        gap = KINK_GAP * max(1.0, abs(p))
        if abs(x - p) < gap:
            near, far = (p + gap, p - gap) if x >= p else (p - gap, p + gap)
            x = near if lo <= near <= hi else far
    return x


def _scalar_elements(domain: Domain, dtype: np.dtype, avoid: Sequence[float]) -> st.SearchStrategy:
    if dtype.kind == "b":
        return st.booleans()
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        ilo = max(math.ceil(domain.low), int(info.min))
        ihi = min(math.floor(domain.high), int(info.max))
        banned = {int(p) for p in avoid if float(p).is_integer()}
        return st.integers(ilo, ihi).map(lambda v: _skip_ints(v, banned, ilo, ihi))
    lo, hi = _inward(domain.low, domain.high, dtype)
    base = st.floats(
        lo, hi, width=_width(dtype), allow_nan=False, allow_infinity=False, allow_subnormal=False
    )
    if not avoid:
        return base
    cast = dtype.type
    return base.map(lambda v: float(cast(_push_away(v, avoid, lo, hi))))


def _skip_ints(v: int, banned: set[int], lo: int, hi: int) -> int:
    step = 1
    while v in banned:
        v = v + step if lo <= v + step <= hi else v - step
        step += 1
    return v


def values(
    shape: tuple[int, ...], dtype: np.dtype, domain: Domain, avoid: Sequence[float] = ()
) -> st.SearchStrategy[np.ndarray]:
    """An array of ``shape`` and ``dtype`` with elements in ``domain``, away from ``avoid``."""
    return hnp.arrays(dtype, shape, elements=_scalar_elements(domain, dtype, avoid))


@st.composite
def _separated(
    draw: Any, sizes: Sequence[int], dtype: np.dtype, domain: Domain
) -> list[np.ndarray]:
    """Values for several arrays, all pairwise separated (no ties anywhere): a sorted walk
    with positive increments, then permuted."""
    n = sum(sizes)
    if n == 0:
        return [np.zeros(0, dtype) for _ in sizes]
    lo, hi = _inward(domain.low, domain.high, dtype)
    step_max = (hi - lo) / (n + 1)
    gap = min(KINK_GAP * max(1.0, abs(lo), abs(hi)), step_max / 2)
    incs = draw(st.lists(st.floats(gap, step_max), min_size=n, max_size=n))
    walk = lo + np.cumsum(incs)
    order = draw(st.permutations(range(n)))
    flat = walk[list(order)].astype(dtype)
    out, start = [], 0
    for size in sizes:
        out.append(flat[start : start + size])
        start += size
    return out


def upstream_grads(shape: tuple[int, ...], dtype: np.dtype) -> st.SearchStrategy[np.ndarray]:
    """A non-zero upstream gradient, magnitudes in [0.1, 2] with either sign."""
    lo, hi = _inward(0.1, 2.0, dtype)
    mag = st.floats(lo, hi, width=_width(dtype))
    return hnp.arrays(
        dtype, shape, elements=st.tuples(mag, st.booleans()).map(lambda p: -p[0] if p[1] else p[0])
    )


# ---------------------------------------------------------------------- calls
def _params_for(spec: OpSpec, shapes: tuple[tuple[int, ...], ...]) -> st.SearchStrategy[dict]:
    drawn: dict[str, st.SearchStrategy[Any]] = {}
    for name in sorted(spec.hints.params):
        drawn[name] = spec.hints.params[name](shapes)
    ndim = len(shapes[0]) if shapes else 0
    for name in spec.default_params():
        drawn[name] = valid_axes(ndim) if name == "axis" else st.booleans()
    return st.fixed_dictionaries(drawn)


def _wrap_choices(spec: OpSpec, dtype: np.dtype, ndim: int, mode: DrawMode) -> list[str]:
    choices = []
    for w in mode.wraps:
        if w == "variable" and dtype.kind != "f":
            continue
        if w == "scalar" and not (spec.is_ufunc and ndim == 0):
            continue
        choices.append(w)
    return choices or ["constant"]


def differentiated(spec: OpSpec, arrays: Sequence[np.ndarray]) -> tuple[int, ...]:
    """The inputs whose gradient the VJP property certifies."""
    chosen = spec.hints.differentiated
    indices = range(len(arrays)) if chosen is None else chosen
    return tuple(i for i in indices if i < len(arrays) and arrays[i].dtype.kind == "f")


@st.composite
def calls(draw: Any, spec: OpSpec, mode: DrawMode = DrawMode()) -> SampleCall:
    """Draw one call of ``spec`` as ``mode`` asks."""
    dtypes = _dtypes_for(spec, mode)
    shared = draw(st.sampled_from(dtypes))
    if spec.hints.calls is not None:
        row_call = draw(spec.hints.calls())
        arrays = tuple(
            np.asarray(a).astype(shared) if np.asarray(a).dtype.kind == "f" else np.asarray(a)
            for a in row_call.arrays
        )
        params = dict(row_call.params)
    else:
        shapes = draw(_shape_rule(spec, min_side=1 if mode.for_grad else 0))
        params = draw(_params_for(spec, shapes))
        if mode.mixed_dtypes:
            dts = [draw(st.sampled_from(dtypes)) for _ in shapes]
        else:
            dts = [shared] * len(shapes)
        arrays = _draw_arrays(draw, spec, shapes, dts, mode.for_grad)

    diff = differentiated(spec, arrays) if mode.for_grad else ()
    wraps = []
    for i, a in enumerate(arrays):
        if i in diff:
            wraps.append("variable")
        elif mode.need_tensor and i == 0:
            wraps.append(
                draw(
                    st.sampled_from(
                        ["constant", "variable"] if a.dtype.kind == "f" else ["constant"]
                    )
                )
            )
        else:
            wraps.append(draw(st.sampled_from(_wrap_choices(spec, a.dtype, a.ndim, mode))))
    read_only = tuple(bool(mode.read_only and w == "array" and draw(st.booleans())) for w in wraps)
    constant = draw(st.sampled_from([ABSENT, None, True, False])) if mode.constant_kw else ABSENT
    call = SampleCall(arrays, params, tuple(wraps), None, constant, read_only)
    if mode.grad or mode.for_grad:
        try:
            expected = spec.reference(call.numpy_args(), call.params)
        except Exception:  # NumPy rejects the call: the property checks that mygrad does too
            return call
        if expected.dtype.kind == "f":
            call = call.replace(grad=draw(upstream_grads(expected.shape, expected.dtype)))
    return call


def _draw_arrays(
    draw: Any,
    spec: OpSpec,
    shapes: Sequence[tuple[int, ...]],
    dtypes: Sequence[np.dtype],
    for_grad: bool,
) -> tuple[np.ndarray, ...]:
    hints = spec.hints
    domains = [
        spec.grad_domain_of(i) if for_grad else hints.domain_of(i) for i in range(len(shapes))
    ]
    if hints.distinct and len(set(dtypes)) == 1 and dtypes[0].kind == "f":
        # one joint draw: no ties within an array nor between arrays (maximum, sort, ...)
        joint = Domain(max(d.low for d in domains), min(d.high for d in domains))
        flat = draw(_separated([math.prod(s) for s in shapes], dtypes[0], joint))
        return tuple(f.reshape(s) for f, s in zip(flat, shapes))
    out = []
    for shape, dtype, domain in zip(shapes, dtypes, domains):
        avoid = tuple(domain.exclude) + (tuple(hints.kinks) if for_grad else ())
        out.append(draw(values(shape, dtype, domain, avoid)))
    return tuple(out)


def calls_with(spec: OpSpec, mode: DrawMode, extras: Any) -> st.SearchStrategy[SampleCall]:
    """Calls with property-specific ``extras``: ``extras(call)`` is a strategy of a dict,
    drawn after the call (so it may depend on the output's shape and dtype)."""
    return calls(spec, mode).flatmap(lambda c: extras(c).map(lambda ex: c.replace(extras=ex)))
