"""argmax/argmin on read-only arrays, searched in place when contiguous along the searched
axis, else a block of rows at a time (NumPy would copy the whole array first): same indices
as NumPy, no copy where none is needed, and the extrema VJPs built on it."""

from __future__ import annotations

import tracemalloc

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.ops import sorting

# few distinct values (and nan, +-0): many ties, so "first occurrence" is really tested
VALUES = st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, np.nan, np.inf, -np.inf])


@st.composite
def read_only_calls(draw):
    x = draw(
        hnp.arrays(
            np.float64,
            hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=6),
            elements=VALUES,
        )
    )
    if draw(st.booleans()):
        x = x.T  # not C-contiguous
    x.setflags(write=False)
    axis = draw(st.integers(0, x.ndim - 1))
    block_bytes = draw(st.sampled_from([8, 16, 40, 1 << 16]))
    return x, axis, block_bytes


@pytest.mark.parametrize("locate", [np.argmax, np.argmin])
@settings(max_examples=60, deadline=None)
@given(call=read_only_calls())
def test_blockwise_search_matches_numpy(locate, call):
    x, axis, block_bytes = call
    old = sorting._SEARCH_BLOCK_BYTES
    sorting._SEARCH_BLOCK_BYTES = block_bytes  # (by hand: hypothesis runs many examples)
    try:
        found = sorting.search_blockwise(x, axis, locate)
    finally:
        sorting._SEARCH_BLOCK_BYTES = old
    expected = locate(x.copy(), axis=axis)
    assert found.dtype == expected.dtype
    np.testing.assert_array_equal(found, expected)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_public_search_of_a_locked_tensor_matches_numpy(name, monkeypatch):
    monkeypatch.setattr(sorting, "_SEARCH_BLOCK_BYTES", 600)  # a few rows a block
    x = mg.tensor(np.random.default_rng(0).integers(0, 4, size=(7, 9, 5)).astype(float))
    y = x * 1.0  # an op's output: read-only while its graph holds it
    assert not y.data.flags.writeable
    for axis in (0, 1, 2, -1):
        np.testing.assert_array_equal(
            getattr(mg, name)(y, axis=axis), getattr(np, name)(y.data.copy(), axis=axis)
        )


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("axis", [0, 1, 2, (0, 2), None])
def test_extremum_grad_of_a_large_locked_input(name, axis, monkeypatch):
    monkeypatch.setattr(sorting, "_SEARCH_BLOCK_BYTES", 600)  # a few rows a block
    data = np.random.default_rng(1).integers(0, 3, size=(6, 7, 8)).astype(float)  # ties
    x = mg.tensor(data)
    y = x * 1.0
    out = getattr(mg, name)(y, axis=axis)
    g = np.random.default_rng(2).normal(size=out.shape)
    out.backward(g)
    # the reference: each block's gradient goes to its first extremum in row-major order
    expected = np.zeros_like(data)
    axes = tuple(range(3)) if axis is None else ((axis,) if type(axis) is int else axis)
    kept = [i for i in range(3) if i not in axes]
    moved = np.transpose(data, kept + list(axes)).reshape([data.shape[i] for i in kept] + [-1])
    picks = getattr(np, "arg" + name)(moved, axis=-1)
    grad_moved = np.zeros(moved.shape)
    np.put_along_axis(grad_moved, picks[..., None], np.reshape(g, picks.shape)[..., None], -1)
    grad_moved = grad_moved.reshape([data.shape[i] for i in kept] + [data.shape[i] for i in axes])
    expected = np.transpose(grad_moved, np.argsort(kept + list(axes)))
    np.testing.assert_array_equal(x.grad, expected)


@pytest.mark.parametrize("locate", [np.argmax, np.argmin])
def test_contiguous_read_only_search_along_the_last_axis_copies_nothing(locate):
    x = np.random.default_rng(3).normal(size=(512, 256))
    x.setflags(write=False)
    expected = locate(x.copy(), axis=1)
    tracemalloc.start()
    try:
        found = sorting.search_blockwise(x, 1, locate)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(found, expected)
    # NumPy alone would copy all of x first, a blockwise search a block (64 KiB) at a time
    assert peak < x.nbytes // 64
    assert not x.flags.writeable
