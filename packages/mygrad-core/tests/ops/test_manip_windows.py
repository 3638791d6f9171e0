"""sliding_window_view (api.md §14.5): window positions first, steps and dilations, a
read-only view of ndarrays only, and clear errors for bad windows."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad import sliding_window_view


def windows_by_indexing(arr, window, step, dilation):
    """Every window, gathered one entry at a time: ``out[p, ..., w] = arr[..., p*s + w*d]``."""
    n = len(window)
    sides = arr.shape[arr.ndim - n :]
    positions = tuple(
        (side - (w - 1) * d - 1) // s + 1 for side, w, s, d in zip(sides, window, step, dilation)
    )
    out = np.empty(positions + arr.shape[: arr.ndim - n] + tuple(window), dtype=arr.dtype)
    for p in np.ndindex(*positions):
        for w in np.ndindex(*window):
            at = tuple(pi * s + wi * d for pi, wi, s, d in zip(p, w, step, dilation))
            out[p + (Ellipsis,) + w] = arr[(Ellipsis,) + at]
    return out


@st.composite
def window_calls(draw):
    arr = draw(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=4, max_side=5)))
    n = draw(st.integers(1, arr.ndim))
    sides = arr.shape[arr.ndim - n :]
    window = [draw(st.integers(1, side)) for side in sides]
    dilation = [
        draw(st.integers(1, (side - 1) // (w - 1) if w > 1 else 3))
        for side, w in zip(sides, window)
    ]
    step = [draw(st.integers(1, 3)) for _ in window]
    return arr, tuple(window), step, dilation


def spell(values, draw_int):
    """A per-axis setting as given to the function: a sequence, or one int if all agree."""
    if draw_int and len(set(values)) == 1:
        return values[0]
    return tuple(values)


@settings(max_examples=80, deadline=None)
@given(
    call=window_calls(),
    int_step=st.booleans(),
    int_dilation=st.booleans(),
    transposed=st.booleans(),
)
def test_windows_match_explicit_indexing(call, int_step, int_dilation, transposed):
    arr, window, step, dilation = call
    if transposed:  # a non-contiguous input is made contiguous first
        arr = np.ascontiguousarray(arr.T).T
    undilated = dilation == [1] * len(dilation)
    dil = None if undilated and int_dilation else spell(dilation, int_dilation)
    out = sliding_window_view(arr, window, spell(step, int_step), dil)
    assert type(out) is np.ndarray and not out.flags.writeable
    np.testing.assert_array_equal(out, windows_by_indexing(arr, window, step, dilation))


def test_documented_shapes():
    assert sliding_window_view(np.zeros((4, 4)), (2, 2), 1).shape == (3, 3, 2, 2)
    assert sliding_window_view(np.zeros((2, 3, 5, 5)), (3, 3), 2).shape == (2, 2, 2, 3, 3, 3)
    assert sliding_window_view(np.zeros((5,)), [2], 1, dilation=3).shape == (2, 2)


def test_is_a_view_of_a_contiguous_input_and_read_only():
    arr = np.arange(16.0).reshape(4, 4)
    out = sliding_window_view(arr, (2, 2), 2)
    assert np.shares_memory(out, arr)
    with pytest.raises(ValueError):
        out[0, 0, 0, 0] = 1.0


def test_tensor_input_raises_attribute_error():
    with pytest.raises(AttributeError, match="tensor.data"):
        sliding_window_view(mg.zeros((4, 4)), (2, 2), 1)


@pytest.mark.parametrize(
    "window, step, dilation, error",
    [
        (2, 1, None, TypeError),  # a bare int window
        ((2, 2), 0, None, ValueError),
        ((2, 2), (1, 0), None, ValueError),
        ((2, 2), (1, 1, 1), None, ValueError),
        ((2, 2), 1.5, None, TypeError),
        ((2, 2), 1, 0, ValueError),
        ((0, 2), 1, None, ValueError),
        ((2.0, 2), 1, None, TypeError),
        ((5, 2), 1, None, ValueError),  # does not fit
        ((2, 2), 1, 4, ValueError),  # dilated windows span 5 > 4
        ((2, 2, 2), 1, None, ValueError),  # more window axes than the array has
        ((), 1, None, ValueError),
    ],
)
def test_bad_arguments_raise(window, step, dilation, error):
    with pytest.raises(error):
        sliding_window_view(np.zeros((4, 4)), window, step, dilation)


def test_is_exported_where_mygrad_code_expects_it():
    from mygrad.ops.manipulation import sliding_window_view as here

    assert mg.sliding_window_view is here
