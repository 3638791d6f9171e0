"""transpose (and Tensor.T), moveaxis, swapaxes, roll: NumPy parity, views, exact VJPs and
every accepted spelling of their arguments (api.md §3.4, §4.2)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.hints.manipulation import moveaxis_params, permutations, roll_params
from mygrad.testing.oracles import check_vjp

FLOATS = st.sampled_from([np.float64, np.float32, np.float16])


def arrays(min_dims=0, min_side=0):
    shape = hnp.array_shapes(min_dims=min_dims, max_dims=4, min_side=min_side, max_side=3)
    return FLOATS.flatmap(lambda dt: hnp.arrays(dt, shape, elements=st.floats(-10, 10, width=16)))


def assert_view_of(out: mg.Tensor, t: mg.Tensor) -> None:
    # an empty transpose is a view too (NumPy's .base), though it shares no memory
    assert out.base is t
    assert np.shares_memory(out.data, t.data) == bool(out.size)


@st.composite
def transpose_calls(draw, min_side=0):
    x = draw(arrays(min_side=min_side))
    return x, draw(permutations(x.shape))["axes"]


@settings(max_examples=60, deadline=None)
@given(call=transpose_calls(), spelling=st.sampled_from(["varargs", "tuple", "keyword", "np"]))
def test_transpose_matches_numpy_in_every_spelling(call, spelling):
    x, axes = call
    t = mg.tensor(x)
    if spelling == "varargs":
        out = mg.transpose(t) if axes is None else mg.transpose(t, *axes)
    elif spelling == "tuple":
        out = t.transpose(axes)
    elif spelling == "keyword":
        out = mg.transpose(t, axes=axes)
    else:
        out = np.transpose(t, axes)
    expected = np.transpose(x, axes)
    np.testing.assert_array_equal(out.data, expected)
    assert out.shape == expected.shape and out.dtype == x.dtype
    assert_view_of(out, t)


@settings(max_examples=40, deadline=None)
@given(call=transpose_calls(min_side=1))
def test_transpose_vjp(call):
    x, axes = call
    check_vjp(mg.transpose, x.astype(np.float64), kwargs={"axes": axes})


def test_transpose_method_spellings_and_errors():
    t = mg.zeros((2, 3, 4))
    assert t.transpose().shape == t.transpose(None).shape == (4, 3, 2)
    assert t.transpose(1, 0, 2).shape == t.transpose([1, 0, 2]).shape == (3, 2, 4)
    assert mg.transpose(mg.zeros(3), 0).shape == (3,)
    with pytest.raises(TypeError, match="both"):
        mg.transpose(t, (1, 0, 2), axes=(1, 0, 2))
    with pytest.raises(TypeError, match="order"):
        mg.transpose(t, order="C")
    with pytest.raises(ValueError):
        t.transpose(0, 0, 1)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4)])
def test_T_is_a_transpose_view_even_for_0d_and_1d(shape):
    x = mg.tensor(np.arange(np.prod(shape), dtype=float).reshape(shape))
    y = x.T
    assert y.base is x and y.shape == np.transpose(x.data).shape
    np.testing.assert_array_equal(y.data, x.data.T)
    g = np.arange(y.size, dtype=float).reshape(y.shape) + 1
    y.backward(g)
    np.testing.assert_array_equal(x.grad, g.T)


@st.composite
def moveaxis_calls(draw):
    x = draw(arrays(min_dims=1))
    return x, draw(moveaxis_params(x.shape))


@settings(max_examples=60, deadline=None)
@given(call=moveaxis_calls(), method=st.booleans())
def test_moveaxis_matches_numpy_and_is_a_view(call, method):
    x, kw = call
    t = mg.tensor(x)
    out = t.moveaxis(**kw) if method else mg.moveaxis(t, **kw)
    expected = np.moveaxis(x, **kw)
    np.testing.assert_array_equal(out.data, expected)
    assert out.shape == expected.shape
    assert_view_of(out, t)
    assert isinstance(np.moveaxis(t, **kw), mg.Tensor)
    check_vjp(mg.moveaxis, x.astype(np.float64), kwargs=kw)


def test_moveaxis_rejects_mismatched_axes():
    with pytest.raises(ValueError):
        mg.moveaxis(mg.zeros((2, 3)), (0, 1), 0)
    with pytest.raises(np.exceptions.AxisError):
        mg.moveaxis(mg.zeros((2, 3)), 2, 0)


@st.composite
def swapaxes_calls(draw):
    x = draw(arrays(min_dims=1))
    axis = st.integers(-x.ndim, x.ndim - 1)
    return x, draw(axis), draw(axis)


@settings(max_examples=60, deadline=None)
@given(call=swapaxes_calls(), method=st.booleans())
def test_swapaxes_matches_numpy_and_is_a_view(call, method):
    x, a1, a2 = call
    t = mg.tensor(x)
    out = t.swapaxes(a1, a2) if method else mg.swapaxes(t, a1, a2)
    np.testing.assert_array_equal(out.data, np.swapaxes(x, a1, a2))
    assert_view_of(out, t)
    assert isinstance(np.swapaxes(t, a1, a2), mg.Tensor)
    check_vjp(mg.swapaxes, x.astype(np.float64), kwargs={"axis1": a1, "axis2": a2})


@st.composite
def roll_calls(draw):
    x = draw(arrays())
    return x, draw(roll_params(x.shape))


@settings(max_examples=80, deadline=None)
@given(call=roll_calls())
def test_roll_matches_numpy_and_copies(call):
    x, kw = call
    t = mg.tensor(x)
    out = mg.roll(t, **kw)
    np.testing.assert_array_equal(out.data, np.roll(x, **kw))
    assert out.base is None and not np.shares_memory(out.data, t.data)
    assert isinstance(np.roll(t, **kw), mg.Tensor)
    check_vjp(mg.roll, x.astype(np.float64), kwargs=kw)


def test_roll_gradient_follows_the_entries():
    x = mg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = mg.roll(x, (1, -1), axis=(0, 1))
    weights = np.arange(6.0).reshape(2, 3)
    (y * weights).sum().backward()
    # the entry that landed at position p receives weights[p]
    np.testing.assert_array_equal(x.grad, np.roll(weights, (-1, 1), axis=(0, 1)))
