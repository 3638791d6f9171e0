"""The harness's own draws: size caps hold, broadcasting is valid, kinks keep their gap,
distinct values never tie, and SampleCall hands out fresh arguments every time."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import mygrad as mg
from mygrad.testing import Domain, Hints, OpSpec
from mygrad.testing.certify import SampleCall
from mygrad.testing.certify.draw import (
    KINK_GAP,
    MAX_SIZE,
    DrawMode,
    broadcast_shapes,
    calls,
    capped_shapes,
    shapes_broadcasting_to,
    valid_axes,
    values,
)

SQUARE = OpSpec.from_opdef(mg.square._op)


@given(capped_shapes())
def test_capped_shapes_respect_every_bound(shape: tuple[int, ...]) -> None:
    assert len(shape) <= 4 and all(0 <= s <= 4 for s in shape)
    assert math.prod(shape) <= MAX_SIZE


@given(st.integers(1, 4).flatmap(broadcast_shapes))
def test_broadcast_shapes_broadcast(shapes: tuple[tuple[int, ...], ...]) -> None:
    np.broadcast_shapes(*shapes)


@given(capped_shapes().flatmap(lambda s: st.tuples(st.just(s), shapes_broadcasting_to(s))))
def test_shapes_broadcasting_to_reach_the_target(pair: tuple) -> None:
    target, shape = pair
    assert np.broadcast_shapes(shape, target) == target


@given(st.integers(0, 4).flatmap(lambda n: st.tuples(st.just(n), valid_axes(n))))
def test_valid_axes_are_accepted_by_numpy(pair: tuple) -> None:
    ndim, axis = pair
    np.sum(np.zeros((2,) * ndim), axis=axis)


@given(values((4, 4), np.dtype(np.float32), Domain(-2.0, 2.0), avoid=(0.0, 1.0)))
def test_values_keep_their_gap_from_avoided_points(arr: np.ndarray) -> None:
    assert arr.dtype == np.float32
    assert np.all((arr >= -2) & (arr <= 2))
    for p in (0.0, 1.0):
        assert np.all(np.abs(arr.astype(np.float64) - p) >= KINK_GAP * max(1.0, p) * (1 - 1e-3))


@given(calls(OpSpec.from_opdef(mg.maximum._op, Hints(distinct=True)), DrawMode(for_grad=True)))
def test_distinct_draws_never_tie_within_or_across_arrays(call: SampleCall) -> None:
    flat = np.concatenate([a.ravel() for a in call.arrays])
    assert len(np.unique(flat)) == flat.size


@given(calls(SQUARE, DrawMode(for_grad=True)))
def test_grad_draws_make_float_inputs_variable_and_draw_a_nonzero_grad(call: SampleCall) -> None:
    assert call.wraps == ("variable",)
    assert call.grad is not None and call.grad.shape == np.square(call.arrays[0]).shape
    assert np.all(np.abs(call.grad) >= 0.09)


@given(calls(SQUARE, DrawMode(read_only=True)))
def test_sample_calls_hand_out_fresh_arguments(call: SampleCall) -> None:
    first, second = call.args(), call.args()
    for a, b, ro in zip(first, second, call.read_only):
        if isinstance(a, (mg.Tensor, np.ndarray)):
            assert a is not b
            data = a.data if isinstance(a, mg.Tensor) else a
            assert not np.shares_memory(data, call.arrays[0])
            assert data.flags.writeable == (not ro)


def test_a_variable_integer_input_is_refused() -> None:
    try:
        SampleCall((np.arange(3),), wraps=("variable",))
    except ValueError as exc:
        assert "variable" in str(exc)
    else:
        raise AssertionError("an integer array was accepted as a variable tensor")
