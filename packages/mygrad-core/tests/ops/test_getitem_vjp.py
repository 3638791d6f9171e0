"""The VJP of ``a[index]`` against an independent scatter-add, exactly.

The reference reads every output entry's flat position in ``a`` from ``arange(a.size)`` and
adds the cotangent there with ``np.add.at``. Cotangents hold small integers, so every sum is
exact whatever order the implementation adds in, and results must be equal, not close.
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing import arbitrary_indices, shapes

FLOAT_DTYPES = st.sampled_from([np.float64, np.float32, np.float16])


def reference_grad(shape: tuple[int, ...], index: Any, g: np.ndarray, dtype: Any) -> np.ndarray:
    positions = np.arange(int(np.prod(shape)), dtype=np.intp).reshape(shape)[index]
    flat = np.zeros(int(np.prod(shape)), dtype=dtype)
    np.add.at(flat, np.ravel(positions), np.ravel(g))
    return flat.reshape(shape)


@st.composite
def integer_runs(draw: st.DrawFn) -> tuple[tuple[int, ...], Any]:
    """A shape and an index of slices around one run of integer arrays (and ints) that
    repeat positions often, possibly with an Ellipsis before or after the run."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    start = draw(st.integers(0, len(shape) - 1))
    stop = draw(st.integers(start + 1, len(shape)))
    result_shape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=5))
    run = list(
        draw(hnp.integer_array_indices(shape[start:stop], result_shape=st.just(result_shape)))
    )
    for i in range(len(run)):  # some become ints (they broadcast like 0-d arrays)
        if len(run) > 1 and run[i].ndim == 0 and draw(st.booleans()):
            run[i] = int(run[i])
    if not any(isinstance(r, np.ndarray) for r in run):
        run[0] = np.asarray(run[0])
    if draw(st.booleans()):  # lists and nested tuples index like their arrays
        k = draw(st.integers(0, len(run) - 1))
        if isinstance(run[k], np.ndarray) and run[k].ndim and run[k].size:
            run[k] = run[k].tolist() if draw(st.booleans()) else _as_tuples(run[k])
    before = [draw(st.slices(n)) for n in shape[:start]]
    after = [draw(st.slices(n)) for n in shape[stop:]]
    if before and draw(st.booleans()):
        before = [Ellipsis]
    elif after and draw(st.booleans()):
        after = [Ellipsis]
    index = tuple(before + run + after)
    return shape, index


def _as_tuples(a: np.ndarray) -> Any:
    return tuple(_as_tuples(x) for x in a) if a.ndim else int(a)


def _check(shape: tuple[int, ...], index: Any, dtype: Any, data: st.DataObject) -> None:
    x = mg.tensor(np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape))
    out = x[index]
    g = data.draw(hnp.arrays(dtype, out.shape, elements=st.integers(-8, 8).map(float)))
    out.backward(g)
    assert x.grad.dtype == dtype
    np.testing.assert_array_equal(x.grad, reference_grad(shape, index, g, dtype))


@settings(max_examples=200, deadline=None)
@given(case=integer_runs(), dtype=FLOAT_DTYPES, data=st.data())
def test_integer_run_gradients_add_up_exactly(case, dtype, data):
    _check(*case, dtype, data)


@st.composite
def any_indices(draw: st.DrawFn) -> tuple[tuple[int, ...], Any]:
    shape = draw(shapes(max_dims=4, max_side=4, max_size=64))
    return shape, draw(arbitrary_indices(shape))


@settings(max_examples=200, deadline=None)
@given(case=any_indices(), dtype=FLOAT_DTYPES, data=st.data())
def test_any_index_gradients_add_up_exactly(case, dtype, data):
    _check(*case, dtype, data)


@pytest.mark.parametrize(
    "index",
    [
        ([0, 0, 2, 0],),
        (((0, 0), (2, 0)),),  # a nested tuple is an integer array, and repeats
        (slice(None), [1, 1, -3]),
        (Ellipsis, [[0], [0]], [1, 2]),  # broadcasting repeats positions
        ([2, 2], slice(1, None)),
        (1, [0, 0]),
        ([0, 0], None),  # falls back to np.add.at
        ([0, 0], slice(None), [1, 1]),  # arrays split by a slice: also np.add.at
    ],
)
def test_repeated_positions_accumulate(index):
    shape = (3, 3) if len(index) < 3 or index[0] is Ellipsis else (3, 2, 3)
    if index[-1] is None:
        shape = (3,)
    x = mg.tensor(np.zeros(shape))
    out = x[index]
    out.backward(np.ones(out.shape))
    np.testing.assert_array_equal(x.grad, reference_grad(shape, index, np.ones(out.shape), float))
    assert x.grad.max() >= 2  # something repeated


def test_float32_cotangent_of_a_float64_input_sums_in_float64():
    x = mg.tensor(np.zeros(2))
    out = x[[0, 0, 0]]
    g = np.array([1.0, 2**-30, 2**-30], dtype=np.float32)
    out.backward(g)
    assert x.grad.dtype == np.float64
    assert x.grad[0] == 1.0 + 2**-29  # in float32 each tiny addend would round away


def _check_adding_into(shape: tuple[int, ...], index: Any, dtype: Any, data: st.DataObject) -> None:
    """scatter_adder(..., zeroed=False) adds into a grad that already holds values, exactly
    as np.add.at would (what lets a getitem's gradient go into an existing one)."""
    from mygrad.ops.indexing import scatter_adder

    out_shape = np.arange(int(np.prod(shape))).reshape(shape)[index].shape
    g = data.draw(hnp.arrays(dtype, out_shape, elements=st.integers(-8, 8).map(float)))
    start = data.draw(hnp.arrays(dtype, shape, elements=st.integers(-8, 8).map(float)))
    grad = start.copy()
    scatter_adder(g, len(shape), index)(grad, False)
    np.testing.assert_array_equal(grad, start + reference_grad(shape, index, g, dtype))


@settings(max_examples=100, deadline=None)
@given(case=integer_runs(), dtype=FLOAT_DTYPES, data=st.data())
def test_integer_run_gradients_add_into_a_nonzero_grad(case, dtype, data):
    _check_adding_into(*case, dtype, data)


@settings(max_examples=100, deadline=None)
@given(case=any_indices(), dtype=FLOAT_DTYPES, data=st.data())
def test_any_index_gradients_add_into_a_nonzero_grad(case, dtype, data):
    _check_adding_into(*case, dtype, data)
