"""max_pool: forward vs a per-window reference, gradients (first max of each window,
overlapping windows accumulate), shapes and errors (api.md §14.3)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.nnet import max_pool
from mygrad.testing.hints.nnet_layers import max_pool_calls
from mygrad.testing.hints.nnet_reference import max_pool_reference
from mygrad.testing.oracles import check_vjp

SETTINGS = settings(max_examples=40, deadline=None)


@SETTINGS
@given(call=max_pool_calls(ties=True))
def test_forward_matches_the_reference(call):
    out = max_pool(*call.arrays, **call.params)
    np.testing.assert_array_equal(out.data, max_pool_reference(*call.arrays, **call.params))


@SETTINGS
@given(call=max_pool_calls())
def test_gradients_match_finite_differences(call):
    check_vjp(max_pool, *call.arrays, kwargs=call.params)


def _first_max_gradient(x, pool, stride, g):
    """The gradient by hand: per window, g goes to the first maximum in C order."""
    n = len(pool)
    stride = (stride,) * n if np.ndim(stride) == 0 else tuple(stride)
    grid = [(side - p) // s + 1 for side, p, s in zip(x.shape[-n:], pool, stride)]
    dx = np.zeros_like(x)
    for lead in np.ndindex(x.shape[:-n]):
        for pos in itertools.product(*(range(k) for k in grid)):
            corner = [o * s for o, s in zip(pos, stride)]
            window = x[lead + tuple(slice(c, c + p) for c, p in zip(corner, pool))]
            offset = np.unravel_index(np.argmax(window), pool)
            dx[lead + tuple(c + o for c, o in zip(corner, offset))] += g[lead + pos]
    return dx


@SETTINGS
@given(call=max_pool_calls(ties=True))
def test_ties_send_the_gradient_to_the_first_maximum(call):
    (x,) = call.arrays
    t = mg.tensor(x)
    out = max_pool(t, **call.params)
    g = np.arange(1.0, out.size + 1).reshape(out.shape)
    out.backward(g)
    np.testing.assert_array_equal(t.grad, _first_max_gradient(x, tuple(call.params["pool"]),
                                                               call.params["stride"], g))


@pytest.mark.parametrize(
    ("pool", "stride", "sides"),
    [
        ((2, 2), 2, (6, 4)),  # windows tile x exactly: each entry written once
        ((2, 3), (2, 3), (4, 9)),
        ((2, 2), 3, (5, 8)),  # gaps between windows
        ((3, 2), (2, 3), (7, 5)),  # overlapping on one axis, gaps on the other
        ((3, 3), 1, (5, 5)),  # overlapping
    ],
)
def test_ties_with_tiling_gapped_and_overlapping_windows(pool, stride, sides):
    rng = np.random.default_rng(sum(sides))
    x = rng.integers(-1, 2, size=(3, *sides)).astype(float)  # many ties
    t = mg.tensor(x)
    out = max_pool(t, pool, stride)
    g = rng.uniform(1, 2, size=out.shape)
    out.backward(g)
    np.testing.assert_array_equal(t.grad, _first_max_gradient(x, pool, stride, g))


def test_documented_example_overlapping_windows_accumulate():
    x = mg.tensor([[0.0, 10.0, 8.0], [2.0, 7.0, 3.0], [5.0, 7.0, 20.0]])
    out = max_pool(x, pool=(2, 2), stride=1)
    np.testing.assert_array_equal(out.data, [[10, 10], [7, 20]])
    out.backward()
    np.testing.assert_array_equal(x.grad, [[0, 2, 0], [0, 1, 0], [0, 0, 1]])


def test_leading_axes_are_not_pooled():
    x = np.random.default_rng(0).normal(size=(10, 3, 12, 12))
    assert max_pool(x, (2, 2), (2, 1)).shape == (10, 3, 6, 11)
    assert max_pool(x, [3, 2, 2], 1).shape == (10, 1, 11, 11)
    assert max_pool(x, np.array([2]), 2).shape == (10, 3, 12, 6)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32])
def test_dtype_is_kept(dtype):
    out = max_pool(mg.tensor(np.arange(16).reshape(4, 4).astype(dtype)), (2, 2), 2)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.data, [[5, 7], [13, 15]])


@pytest.mark.parametrize(
    ("pool", "stride", "error", "match"),
    [
        (2, 1, TypeError, "pool"),
        ((0, 2), 1, ValueError, "pool"),
        ((2.0, 2), 1, TypeError, "pool"),
        ((2, 2, 2, 2), 1, ValueError, "x.ndim"),
        ((2, 2), 0, ValueError, "stride"),
        ((2, 2), (1, 1, 1), ValueError, "stride"),
        ((2, 2), 2, ValueError, "positive integer"),  # (5 - 2) / 2 + 1 is not integral
        ((6, 2), 1, ValueError, "positive integer"),
    ],
)
def test_errors_name_the_problem(pool, stride, error, match):
    with pytest.raises(error, match=match):
        max_pool(np.zeros((3, 5, 5)), pool, stride)


def test_constant_flag():
    x = np.arange(4.0).reshape(2, 2)
    assert max_pool(x, (2,), 1).constant
    assert not max_pool(mg.tensor(x), (2,), 1).constant
    assert max_pool(mg.tensor(x), (2,), 1, constant=True).constant
