"""Shapes, broadcasting and axes, with the size cap enforced while drawing.

Every side is drawn against the budget left by the sides already drawn, so no strategy here
filters, and sizes shrink towards small, low-dimensional shapes.
"""

from __future__ import annotations

import math
import re
from typing import Any

import hypothesis.strategies as st
from hypothesis.extra.numpy import BroadcastableShapes

from ._validate import check, check_bool, check_int, check_range

__all__ = [
    "MAX_SIZE",
    "shapes",
    "broadcastable_shapes",
    "mutually_broadcastable_shapes",
    "broadcast_targets",
    "valid_shapes",
    "reshape_targets",
    "valid_axes",
]

# the default cap on the number of elements of a drawn array
MAX_SIZE = 64

Shape = tuple[int, ...]


def _check_shape(shape: Any, name: str) -> Shape:
    check(
        isinstance(shape, tuple)
        and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape),
        f"{name} must be a tuple of non-negative ints, got {name}={shape!r}",
    )
    return shape


def _check_bounds(
    min_dims: int, max_dims: int, min_side: int, max_side: int, max_size: int
) -> None:
    check_int(min_dims, "min_dims", minimum=0)
    check_int(max_dims, "max_dims", minimum=0)
    check_int(min_side, "min_side", minimum=0)
    check_int(max_side, "max_side", minimum=0)
    check_int(max_size, "max_size", minimum=1)
    check_range(min_dims, max_dims, "min_dims", "max_dims")
    check_range(min_side, max_side, "min_side", "max_side")
    check(
        min_side**min_dims <= max_size,
        f"no shape with min_dims={min_dims} and min_side={min_side} fits max_size={max_size}",
    )


def _draw_sides(draw: Any, ndim: int, min_side: int, max_side: int, budget: int) -> list[int]:
    """``ndim`` sides in [min_side, max_side] whose product stays within ``budget`` (once a
    side is 0 the product is 0, and the rest are free)."""
    sides: list[int] = []
    product = 1
    for i in range(ndim):
        rest = ndim - i - 1
        if product == 0:
            high = max_side
        else:
            high = min(max_side, budget // (product * max(min_side, 1) ** rest))
        side = draw(st.integers(min_side, max(high, min_side)))
        sides.append(side)
        product *= side
    return sides


def _max_ndim(min_dims: int, max_dims: int, min_side: int, max_size: int) -> int:
    if min_side <= 1:
        return max_dims
    return min(max_dims, int(math.log(max_size) / math.log(min_side) + 1e-9))


def shapes(
    *,
    min_dims: int = 0,
    max_dims: int = 4,
    min_side: int = 0,
    max_side: int = 4,
    max_size: int = MAX_SIZE,
) -> st.SearchStrategy[Shape]:
    """Array shapes with at most ``max_size`` elements (the cap is kept side by side while
    drawing, never by filtering).

    >>> from math import prod
    >>> prod(shapes(max_size=10).example()) <= 10
    True
    """
    _check_bounds(min_dims, max_dims, min_side, max_side, max_size)
    top = _max_ndim(min_dims, max_dims, min_side, max_size)

    @st.composite
    def draw_shape(draw: Any) -> Shape:
        ndim = draw(st.integers(min_dims, top))
        return tuple(_draw_sides(draw, ndim, min_side, max_side, max_size))

    return draw_shape()


def _loop_shapes(
    draw: Any,
    num_shapes: int,
    base_shape: Shape,
    min_dims: int,
    max_dims: int,
    min_side: int,
    max_side: int,
    budget: int,
    no_loop: frozenset[int] = frozenset(),
) -> tuple[list[Shape], Shape]:
    """``num_shapes`` shapes that broadcast together and with ``base_shape``.

    A template shape is drawn first (its sides forced to ``base_shape``'s where that side is
    not 1); each shape is a suffix of the template with some sides set to 1."""
    ndim = draw(st.integers(min_dims, _max_ndim(min_dims, max_dims, min_side, budget)))
    # from the right, so that base_shape aligns; its sides other than 1 are forced
    sides = [base_shape[-1 - i] if i < len(base_shape) else 1 for i in range(ndim)]
    free = [i for i, n in enumerate(sides) if n == 1]
    # an input may hold 1 where the template holds 0, so a 0 counts as 1 in the budget
    product = math.prod(max(n, 1) for n in sides)
    for j, i in enumerate(free):
        rest = len(free) - j - 1
        high = budget // (product * max(min_side, 1) ** rest)
        sides[i] = draw(st.integers(min_side, max(min(max_side, high), min_side)))
        product *= max(sides[i], 1)
    template = sides[::-1]
    can_be_one = min_side <= 1
    shapes_out: list[Shape] = []
    for i in range(num_shapes):
        k = 0 if i in no_loop else draw(st.integers(min_dims, ndim))
        suffix = template[ndim - k :]
        if can_be_one:
            # a forced side of base_shape that would break the budget becomes 1
            room = budget
            for j, n in enumerate(suffix):
                keep = max(n, 1) <= room and not draw(st.booleans())
                suffix[j] = n if keep else 1
                room //= max(suffix[j], 1)
        shapes_out.append(tuple(suffix))
    result = _broadcast(*shapes_out, base_shape)
    return shapes_out, result


def _broadcast(*shapes_in: Shape) -> Shape:
    ndim = max((len(s) for s in shapes_in), default=0)
    out: list[int] = []
    for i in range(1, ndim + 1):
        sides = {s[-i] for s in shapes_in if len(s) >= i} - {1}
        out.insert(0, sides.pop() if sides else 1)
    return tuple(out)


_DIM = re.compile(r"^([a-zA-Z_]\w*\??|\d+)$")


def _parse_signature(signature: str) -> tuple[list[list[str]], list[str]]:
    """``"(m,n),(n,p)->(m,p)"`` -> ([["m", "n"], ["n", "p"]], ["m", "p"])."""
    check(isinstance(signature, str), f"signature must be a str, got signature={signature!r}")
    compact = signature.replace(" ", "")
    parts = compact.split("->")
    check(len(parts) == 2, f"signature={signature!r} needs exactly one '->'")
    groups = re.findall(r"\(([^()]*)\)", parts[0])
    check(
        ",".join(f"({g})" for g in groups) == parts[0] and bool(groups),
        f"signature={signature!r}: inputs must look like (a,b),(b)",
    )
    out_groups = re.findall(r"\(([^()]*)\)", parts[1])
    check(
        len(out_groups) == 1 and f"({out_groups[0]})" == parts[1],
        f"signature={signature!r} must have exactly one output",
    )

    def dims(group: str) -> list[str]:
        names = [d for d in group.split(",") if d]
        for d in names:
            check(bool(_DIM.match(d)), f"signature={signature!r}: bad dimension {d!r}")
        return names

    return [dims(g) for g in groups], dims(out_groups[0])


def _core_sizes(
    draw: Any, arrays: list[list[str]], min_side: int, max_side: int, max_size: int
) -> dict[str, int]:
    """A size for every named core dimension; the core part of every array stays in budget."""
    names = [d.rstrip("?") for group in arrays for d in group if not d.isdigit()]
    sizes: dict[str, int] = {}
    for name in dict.fromkeys(names):
        high = max_side
        for group in arrays:
            plain = [d.rstrip("?") for d in group]
            if name not in plain:
                continue
            known = math.prod(int(d) if d.isdigit() else sizes.get(d, 0) or 1 for d in plain)
            unknown = sum(1 for d in set(plain) if not d.isdigit() and d not in sizes) - 1
            high = min(high, max_size // (known * max(min_side, 1) ** unknown))
        sizes[name] = draw(st.integers(min_side, max(high, min_side)))
    return sizes


def mutually_broadcastable_shapes(
    num_shapes: int | None = None,
    signature: str | None = None,
    base_shape: Shape = (),
    *,
    min_dims: int = 0,
    max_dims: int | None = None,
    min_side: int = 1,
    max_side: int = 4,
    max_size: int = MAX_SIZE,
) -> st.SearchStrategy[BroadcastableShapes]:
    """Like ``hypothesis.extra.numpy.mutually_broadcastable_shapes`` (``input_shapes``,
    ``result_shape``), with every input and the result capped at ``max_size`` elements
    (``base_shape`` permitting). ``signature`` is a gufunc signature such as
    ``"(m?,n),(n,p?)->(m?,p?)"``; ``min_dims``/``max_dims`` then count the loop dims."""
    base_shape = _check_shape(base_shape, "base_shape")
    if max_dims is None:
        max_dims = max(min_dims if isinstance(min_dims, int) else 0, len(base_shape), 3)
    _check_bounds(min_dims, max_dims, min_side, max_side, max_size)
    if signature is None:
        check_int(num_shapes, "num_shapes", minimum=1)
        core_in: list[list[str]] = [[] for _ in range(num_shapes or 0)]
        core_out: list[str] = []
    else:
        core_in, core_out = _parse_signature(signature)
        check(
            num_shapes is None or num_shapes == len(core_in),
            f"num_shapes={num_shapes!r} does not match signature={signature!r}",
        )

    @st.composite
    def draw_shapes(draw: Any) -> BroadcastableShapes:
        optional = {d.rstrip("?") for g in core_in + [core_out] for d in g if d.endswith("?")}
        # an operand that lost an optional dim has no loop dims (NumPy would read the first
        # loop dim as the dropped one), so dims are dropped only when loop dims may be absent
        dropped = {name for name in sorted(optional) if min_dims == 0 and draw(st.booleans())}

        def kept(group: list[str]) -> list[str]:
            return [d for d in group if d.rstrip("?") not in dropped]

        ins, out = [kept(g) for g in core_in], kept(core_out)
        sizes = _core_sizes(draw, ins + [out], min_side, max_side, max_size)

        def core(group: list[str]) -> Shape:
            return tuple(int(d) if d.isdigit() else sizes[d.rstrip("?")] for d in group)

        biggest_core = max([math.prod(core(g)) for g in ins + [out]] + [1])
        budget = max(max_size // max(biggest_core, 1), 1)
        lost = frozenset(i for i, g in enumerate(core_in) if len(kept(g)) < len(g))
        loops, loop_result = _loop_shapes(
            draw, len(ins), base_shape, min_dims, max_dims, min_side, max_side, budget, lost
        )
        inputs = tuple(loop + core(g) for loop, g in zip(loops, ins))
        return BroadcastableShapes(input_shapes=inputs, result_shape=loop_result + core(out))

    return draw_shapes()


def broadcastable_shapes(
    shape: Shape,
    *,
    min_dims: int = 0,
    max_dims: int | None = None,
    min_side: int = 1,
    max_side: int = 4,
    max_size: int = MAX_SIZE,
) -> st.SearchStrategy[Shape]:
    """One shape that broadcasts with ``shape``, of at most ``max_size`` elements."""
    return mutually_broadcastable_shapes(
        1,
        base_shape=shape,
        min_dims=min_dims,
        max_dims=max_dims,
        min_side=min_side,
        max_side=max_side,
        max_size=max_size,
    ).map(lambda b: b.input_shapes[0])


def broadcast_targets(
    shape: Shape, *, max_extra_dims: int = 2, max_side: int = 4, max_size: int = MAX_SIZE
) -> st.SearchStrategy[Shape]:
    """A shape that ``shape`` broadcasts *to* (for ``broadcast_to``): leading dims may be
    added and each side of 1 may grow, within ``max_size`` (or ``shape``'s own size)."""
    shape = _check_shape(shape, "shape")
    check_int(max_extra_dims, "max_extra_dims", minimum=0)
    check_int(max_side, "max_side", minimum=0)
    check_int(max_size, "max_size", minimum=1)

    @st.composite
    def draw_target(draw: Any) -> Shape:
        slots = [1] * draw(st.integers(0, max_extra_dims)) + list(shape)
        fixed = math.prod(n for n in slots if n != 1)  # the sides that cannot change
        budget = max(max_size, math.prod(shape))
        out: list[int] = []
        grown = 1
        for side in slots:
            if side != 1:
                out.append(side)
                continue
            high = max_side if fixed * grown == 0 else min(max_side, budget // (fixed * grown))
            # a side of 1 may also broadcast to 0; shrinking prefers 1
            new = draw(st.integers(1, max(high, 1)) | st.just(0))
            out.append(new)
            grown *= new
        return tuple(out)

    return draw_target()


def _prime_factors(n: int) -> list[int]:
    factors, p = [], 2
    while p * p <= n:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    if n > 1:
        factors.append(n)
    return factors


def valid_shapes(size: int, min_len: int = 1, max_len: int = 6) -> st.SearchStrategy[Any]:
    """Shapes with exactly ``size`` elements (for ``reshape``): the prime factors of ``size``
    are spread over the dimensions; one entry may be ``-1``; a 1-D shape is sometimes a
    bare int. A size of 0 keeps a 0 in the shape.

    >>> import numpy as np
    >>> np.empty(12).reshape(valid_shapes(12).example()).size
    12
    """
    check_int(size, "size", minimum=0)
    check_int(min_len, "min_len", minimum=0)
    check_int(max_len, "max_len", minimum=0)
    check_range(min_len, max_len, "min_len", "max_len")
    low = min_len if size == 1 else max(min_len, 1)
    check(low <= max_len, f"no shape of size {size} has at most max_len={max_len} entries")
    factors = _prime_factors(size)

    @st.composite
    def draw_shape(draw: Any) -> Any:
        n = draw(st.integers(low, max_len))
        if size == 0:
            zero_at = draw(st.integers(0, n - 1))
            dims = [0 if i == zero_at else draw(st.integers(0, 4)) for i in range(n)]
        else:
            dims = [1] * n
            for p in factors:
                dims[draw(st.integers(0, n - 1))] *= p
        # -1 may stand for an entry only where the other entries pin it down (non-zero product)
        unknowable = [i for i in range(n) if math.prod(dims[:i] + dims[i + 1 :]) != 0]
        if unknowable and draw(st.booleans()):
            dims[draw(st.sampled_from(unknowable))] = -1
        if n == 1 and draw(st.booleans()):
            return dims[0]
        return tuple(dims)

    return draw_shape()


def reshape_targets(shape: Shape) -> st.SearchStrategy[Any]:
    """``valid_shapes`` for an array of this ``shape``."""
    return valid_shapes(math.prod(_check_shape(shape, "shape")))


def valid_axes(
    ndim: int,
    pos_only: bool = False,
    single_axis_only: bool = False,
    permit_none: bool = True,
    permit_int: bool = True,
    min_dim: int = 0,
    max_dim: int | None = None,
) -> st.SearchStrategy[Any]:
    """Valid ``axis`` values for an array of ``ndim`` dims: None, an int, or a tuple of
    distinct axes (``min_dim`` to ``max_dim`` of them, in any order). Negative axes appear
    unless ``pos_only``; ``single_axis_only`` draws an int (or None) only."""
    check_int(ndim, "ndim", minimum=0)
    for flag, name in (
        (pos_only, "pos_only"),
        (single_axis_only, "single_axis_only"),
        (permit_none, "permit_none"),
        (permit_int, "permit_int"),
    ):
        check_bool(flag, name)
    check_int(min_dim, "min_dim", minimum=0)
    check_int(max_dim, "max_dim", minimum=0, optional=True)
    max_dim = ndim if max_dim is None else max_dim
    check_range(min_dim, max_dim, "min_dim", "max_dim")
    check(max_dim <= ndim, f"max_dim={max_dim!r} exceeds ndim={ndim!r}")

    def signed(axis: int) -> st.SearchStrategy[int]:
        return st.just(axis) if pos_only else st.sampled_from([axis, axis - ndim])

    options: list[st.SearchStrategy[Any]] = []
    if permit_none:
        options.append(st.none())
    ints_ok = ndim >= 1 and (single_axis_only or (permit_int and min_dim <= 1 <= max_dim))
    if ints_ok:
        options.append(st.integers(0, ndim - 1).flatmap(signed))
    if not single_axis_only:

        @st.composite
        def axis_tuples(draw: Any) -> tuple[int, ...]:
            k = draw(st.integers(min_dim, max_dim))
            order = draw(st.permutations(range(ndim)))
            return tuple(draw(signed(a)) for a in order[:k])

        options.append(axis_tuples())
    check(
        bool(options),
        f"no axis value fits ndim={ndim!r}, single_axis_only={single_axis_only!r}, "
        f"permit_none={permit_none!r}",
    )
    return st.one_of(options)
