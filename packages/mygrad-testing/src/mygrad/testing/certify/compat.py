"""Upstream MyGrad's test factories (api.md §15), run through the certification harness.

``fwdprop_test_factory`` certifies forward, constant, views and no_mutation;
``backprop_test_factory`` certifies vjp and no_mutation. Each builds an :class:`OpSpec`
whose hints row draws the whole call the way upstream's arguments describe it (shapes,
bounds, excluded values, unique arrays, kwargs, assumptions), and returns a decorator that
turns a (usually empty) test function into the certification test.

>>> import numpy as np, mygrad as mg
>>> @fwdprop_test_factory(mygrad_func=mg.add, true_func=np.add, num_arrays=2)
... def test_add_fwd():
...     pass
>>> test_add_fwd()
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..hints import Call, Hints
from .draw import broadcast_shapes
from .harness import check
from .spec import OpSpec, as_spec

__all__ = ["fwdprop_test_factory", "backprop_test_factory"]

FORWARD_PROPERTIES = ("forward", "constant", "views", "no_mutation")
BACKWARD_PROPERTIES = ("vjp", "no_mutation")
Bounds = tuple[float, float]


def _input_shapes(drawn: Any) -> tuple[tuple[int, ...], ...]:
    """Hypothesis's BroadcastableShapes, or a plain tuple of shapes."""
    return tuple(getattr(drawn, "input_shapes", drawn))


def _shapes_strategy(
    num_arrays: int | None, shapes: Any, index_to_arr_shapes: Mapping[int, Any] | None
) -> tuple[int, st.SearchStrategy[tuple[tuple[int, ...], ...]]]:
    """How many arrays, and a strategy of their shapes."""
    fixed = dict(index_to_arr_shapes or {})
    if shapes is not None:
        if num_arrays is None:
            raise TypeError("`num_arrays` is required together with `shapes`")
        n = num_arrays
        base = shapes.map(_input_shapes)
    else:
        if num_arrays is None:
            raise TypeError("pass `num_arrays` (or `shapes`) to say how many arrays to draw")
        n = num_arrays
        base = broadcast_shapes(n)
    if not fixed:
        return n, base
    if any(not 0 <= i < n for i in fixed):
        raise ValueError(f"index_to_arr_shapes has indices outside 0..{n - 1}: {sorted(fixed)}")

    def with_fixed(drawn: tuple[tuple[int, ...], ...]) -> st.SearchStrategy[Any]:
        parts = []
        for i in range(n):
            value = fixed.get(i, drawn[i])
            parts.append(value if isinstance(value, st.SearchStrategy) else st.just(tuple(value)))
        return st.tuples(*parts)

    return n, base.flatmap(with_fixed)


def _elements(
    i: int,
    index_to_bnds: Mapping[int, Bounds],
    default_bnds: Bounds,
    index_to_no_go: Mapping[int, Sequence[float]],
    elements_strategy: Any,
) -> st.SearchStrategy[float]:
    low, high = index_to_bnds.get(i, default_bnds)
    base = elements_strategy or st.floats(low, high, allow_nan=False, allow_infinity=False)
    banned = tuple(index_to_no_go.get(i, ()))
    if not banned:
        return base
    return base.filter(lambda v: all(v != b for b in banned))


def _call_strategy(
    n: int,
    shapes: st.SearchStrategy[tuple[tuple[int, ...], ...]],
    kwargs: Mapping[str, Any],
    elements: Callable[[int], st.SearchStrategy[float]],
    unique: Mapping[int, bool],
    assumptions: Callable[..., bool] | None,
) -> Callable[[], st.SearchStrategy[Call]]:
    @st.composite
    def draw_call(draw: Any) -> Call:
        drawn_shapes = draw(shapes)
        arrays = tuple(
            draw(hnp.arrays(np.float64, drawn_shapes[i], elements=elements(i),
                            unique=bool(unique.get(i, False))))
            for i in range(n)
        )
        params = {}
        for name in sorted(kwargs):
            value = kwargs[name]
            if callable(value):
                # upstream: a function of the drawn arrays returning a strategy
                value = draw(value(*arrays))
            elif isinstance(value, st.SearchStrategy):
                value = draw(value)
            params[name] = value
        if assumptions is not None:
            assume(assumptions(*arrays, **params))
        return Call(arrays, params)

    return draw_call


def _spec(
    mygrad_func: Callable[..., Any],
    true_func: Callable[..., Any],
    num_arrays: int | None,
    shapes: Any,
    index_to_bnds: Mapping[int, Bounds] | None,
    default_bnds: Bounds,
    index_to_no_go: Mapping[int, Sequence[float]] | None,
    index_to_arr_shapes: Mapping[int, Any] | None,
    index_to_unique: Mapping[int, bool] | None,
    elements_strategy: Any,
    kwargs: Mapping[str, Any] | None,
    assumptions: Callable[..., bool] | None,
    tolerance: Mapping[str, tuple[float, float]],
) -> OpSpec:
    n, shape_strategy = _shapes_strategy(num_arrays, shapes, index_to_arr_shapes)
    calls = _call_strategy(
        n,
        shape_strategy,
        dict(kwargs or {}),
        lambda i: _elements(i, dict(index_to_bnds or {}), default_bnds,
                            dict(index_to_no_go or {}), elements_strategy),
        dict(index_to_unique or {}),
        assumptions,
    )
    hints = Hints(
        calls=calls,
        reference=true_func,
        dtypes=(np.float64,),
        forward_exact=False,
        tolerance=tolerance,
    )
    try:
        return as_spec(mygrad_func, hints)
    except TypeError:
        return OpSpec.from_function(mygrad_func, arrays=n, hints=hints)


def _decorator(spec: OpSpec, properties: Sequence[str]) -> Callable[[Callable[..., Any]], Any]:
    def decorate(func: Callable[..., Any]) -> Callable[[], None]:
        @functools.wraps(func)
        def test() -> None:
            check(spec, [p for p in properties if p not in spec.hints.skip])

        del test.__wrapped__  # pytest must see a test without arguments
        return test

    return decorate


def fwdprop_test_factory(
    *,
    mygrad_func: Callable[..., Any],
    true_func: Callable[..., Any],
    num_arrays: int | None = None,
    shapes: Any = None,
    index_to_bnds: Mapping[int, Bounds] | None = None,
    default_bnds: Bounds = (-1e6, 1e6),
    index_to_no_go: Mapping[int, Sequence[float]] | None = None,
    kwargs: Mapping[str, Any] | None = None,
    index_to_arr_shapes: Mapping[int, Any] | None = None,
    atol: float = 1e-7,
    rtol: float = 1e-7,
    assumptions: Callable[..., bool] | None = None,
    permit_0d_array_as_float: bool = True,
    internal_view_is_ok: bool = False,
) -> Callable[[Callable[..., Any]], Callable[[], None]]:
    """Upstream's forward-pass test factory: forward values, constant propagation, view
    parity with NumPy and no mutation of inputs (``internal_view_is_ok`` drops the views
    check). The forward is compared with the harness's dtype tolerance, not ``atol``/``rtol``;
    ``permit_0d_array_as_float`` is accepted for compatibility (0-d inputs are drawn as both)."""
    spec = _spec(mygrad_func, true_func, num_arrays, shapes, index_to_bnds, default_bnds,
                 index_to_no_go, index_to_arr_shapes, None, None, kwargs, assumptions, {})
    props = [p for p in FORWARD_PROPERTIES if not (internal_view_is_ok and p == "views")]
    return _decorator(spec, props)


def backprop_test_factory(
    *,
    mygrad_func: Callable[..., Any],
    true_func: Callable[..., Any],
    num_arrays: int | None = None,
    shapes: Any = None,
    index_to_bnds: Mapping[int, Bounds] | None = None,
    default_bnds: Bounds = (-1e6, 1e6),
    index_to_no_go: Mapping[int, Sequence[float]] | None = None,
    index_to_arr_shapes: Mapping[int, Any] | None = None,
    index_to_unique: Mapping[int, bool] | None = None,
    elements_strategy: Any = None,
    kwargs: Mapping[str, Any] | None = None,
    arrs_from_kwargs: Mapping[int, str] | None = None,
    h: float = 1e-20,
    rtol: float = 1e-8,
    atol: float = 1e-8,
    vary_each_element: bool = False,
    use_finite_difference: bool = False,
    assumptions: Callable[..., bool] | None = None,
) -> Callable[[Callable[..., Any]], Callable[[], None]]:
    """Upstream's backward-pass test factory: gradients against the finite-difference
    oracle (``rtol``/``atol`` become the float64 tolerance) and no mutation. The oracle
    picks its own method and step, so ``h``, ``vary_each_element`` and
    ``use_finite_difference`` are accepted for compatibility only."""
    if arrs_from_kwargs:
        raise TypeError(
            "backprop_test_factory: `arrs_from_kwargs` is not supported; wrap mygrad_func "
            "and true_func so that every array is positional"
        )
    spec = _spec(mygrad_func, true_func, num_arrays, shapes, index_to_bnds, default_bnds,
                 index_to_no_go, index_to_arr_shapes, index_to_unique, elements_strategy,
                 kwargs, assumptions, {"float64": (rtol, atol)})
    return _decorator(spec, BACKWARD_PROPERTIES)
