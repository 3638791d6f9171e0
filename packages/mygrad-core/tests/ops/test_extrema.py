"""max/amax and min/amin: NumPy parity, first-extremum gradients, api.md §2.6 conventions."""

from __future__ import annotations

import itertools

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.hints.sums_products import reduction_axes
from mygrad.testing.oracles import check_vjp

NAMES = ["max", "min"]
FLOATS = st.sampled_from([np.float64, np.float32, np.float16])
VALUES = st.floats(-10, 10, width=16)


@st.composite
def calls(draw, unique=False, elements=VALUES):
    x = draw(
        hnp.arrays(
            draw(FLOATS),
            hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4),
            elements=elements,
            unique=unique,
        )
    )
    return x, {"axis": draw(reduction_axes((x.shape,))), "keepdims": draw(st.booleans())}


def test_aliases_are_the_same_objects():
    assert mg.amax is mg.max and mg.amin is mg.min


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30, deadline=None)
@given(call=calls())
def test_matches_numpy_and_dispatches(name, call):
    x, kw = call
    t = mg.tensor(x)
    out = getattr(mg, name)(t, **kw)
    expected = getattr(np, name)(x, **kw)
    assert isinstance(out, mg.Tensor)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)
    assert not np.shares_memory(out.data, t.data)
    for np_func in (getattr(np, name), getattr(np, "a" + name)):
        via_numpy = np_func(t, **kw)
        assert isinstance(via_numpy, mg.Tensor)
        np.testing.assert_array_equal(via_numpy.data, expected)
    np.testing.assert_array_equal(getattr(t, name)(**kw).data, expected)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30, deadline=None)
# distinct quarters: no ties, and every value at least 0.25 away from the others
@given(call=calls(unique=True, elements=st.integers(-40, 40).map(lambda k: k / 4)))
def test_vjp_without_ties(name, call):
    x, kw = call
    check_vjp(getattr(mg, name), x, kwargs=kw)


def _first_extremum_reference(x, axis, pick):
    """d(max x)/dx, element by element: the first extremum of each block in row-major order."""
    axes = mg.extend.normalize_axis(axis, x.ndim)
    grad = np.zeros_like(x)
    kept = [i for i in range(x.ndim) if i not in axes]
    for kept_index in itertools.product(*(range(x.shape[i]) for i in kept)):
        block = [
            idx
            for idx in np.ndindex(*x.shape)
            if all(idx[k] == v for k, v in zip(kept, kept_index))
        ]
        values = [x[idx] for idx in block]
        grad[block[values.index(pick(values))]] = 1
    return grad


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30, deadline=None)
@given(call=calls(elements=st.sampled_from([-1.0, 0.0, 2.0])))
def test_ties_send_the_whole_gradient_to_the_first_extremum(name, call):
    x, kw = call
    t = mg.tensor(x)
    getattr(mg, name)(t, **kw).backward()
    pick = {"max": max, "min": min}[name]
    expected = _first_extremum_reference(x, kw["axis"], pick)
    np.testing.assert_array_equal(t.grad, expected)


def test_ties_are_not_split():
    t = mg.tensor([[3.0, 1.0], [3.0, 3.0]])
    mg.max(t).backward()
    np.testing.assert_array_equal(t.grad, [[1.0, 0.0], [0.0, 0.0]])
    u = mg.tensor([[2.0, 1.0], [1.0, 2.0]])
    mg.min(u, axis=(0, 1)).backward()
    np.testing.assert_array_equal(u.grad, [[0.0, 1.0], [0.0, 0.0]])


@pytest.mark.parametrize("name", NAMES)
def test_empty_input_raises(name):
    with pytest.raises(ValueError, match="zero-size array"):
        getattr(mg, name)(mg.tensor(np.empty((0, 2))))
    # reducing only the non-empty axis is fine
    assert getattr(mg, name)(mg.tensor(np.empty((0, 2))), axis=1).shape == (0,)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kwarg", ["dtype", "out", "where", "initial"])
def test_numpy_only_kwargs_are_rejected(name, kwarg):
    t = mg.tensor([1.0, 2.0])
    value = {"dtype": np.float64, "out": np.empty(()), "where": True, "initial": 1.0}[kwarg]
    with pytest.raises(TypeError, match=kwarg):
        getattr(mg, name)(t, **{kwarg: value})
    with pytest.raises(TypeError):
        getattr(np, "a" + name)(t, **{kwarg: value})


@pytest.mark.parametrize("name", NAMES)
def test_integer_input_is_constant_and_float32_is_kept(name):
    assert getattr(mg, name)(mg.tensor([1, 5])).constant
    t = mg.tensor(np.array([1.0, 5.0], dtype=np.float32))
    out = getattr(mg, name)(t)
    assert out.dtype == np.float32 and not out.constant
    out.backward()
    assert t.grad.dtype == np.float32
