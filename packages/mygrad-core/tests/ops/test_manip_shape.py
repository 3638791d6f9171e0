"""reshape, ravel, flatten, squeeze, expand_dims, broadcast_to, atleast_kd and the shape
setter: NumPy parity, views exactly when NumPy's result is one, exact VJPs (api.md §3.3)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.hints.manipulation import (
    broadcast_targets,
    expand_axes,
    reshape_targets,
    unit_axes,
)
from mygrad.testing.oracles import check_vjp

FLOATS = st.sampled_from([np.float64, np.float32, np.float16])


def arrays(min_side=0, max_dims=4, sides=None):
    shape = (
        st.lists(st.sampled_from(sides), max_size=max_dims).map(tuple)
        if sides
        else hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=min_side, max_side=4)
    )
    return FLOATS.flatmap(lambda dt: hnp.arrays(dt, shape, elements=st.floats(-10, 10, width=16)))


def shares_like_numpy(out: mg.Tensor, x: mg.Tensor, expected: np.ndarray, x_data: np.ndarray):
    """``out`` is a view of ``x`` exactly when NumPy's ``expected`` is a view of ``x_data``."""
    # NumPy's own answer is its .base chain: an empty view shares no memory but is a view
    numpy_view = expected is x_data or _memory_owner(expected) is _memory_owner(x_data)
    assert np.shares_memory(out.data, x.data) == np.shares_memory(expected, x_data)
    assert (out.base is x) == numpy_view


def _memory_owner(array: np.ndarray) -> np.ndarray:
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


@st.composite
def reshape_calls(draw):
    x = draw(arrays())
    return x, draw(reshape_targets(x.size))


@settings(max_examples=60, deadline=None)
@given(call=reshape_calls(), method=st.booleans())
def test_reshape_matches_numpy_and_is_a_view(call, method):
    x, newshape = call
    t = mg.tensor(x)
    out = t.reshape(newshape) if method else mg.reshape(t, newshape)
    expected = np.reshape(x, newshape)
    np.testing.assert_array_equal(out.data, expected)
    assert out.dtype == x.dtype and out.shape == expected.shape
    shares_like_numpy(out, t, np.reshape(t.data, newshape), t.data)
    via_numpy = np.reshape(t, newshape)
    assert isinstance(via_numpy, mg.Tensor) and via_numpy.shape == expected.shape


@settings(max_examples=40, deadline=None)
@given(call=reshape_calls())
def test_reshape_vjp(call):
    x, newshape = call
    check_vjp(mg.reshape, x, kwargs={"newshape": newshape})


def test_reshape_parameter_is_named_newshape_and_method_takes_varargs():
    t = mg.arange(6.0)
    assert mg.reshape(t, newshape=(3, 2)).shape == (3, 2)
    assert t.reshape(2, 3).shape == t.reshape((2, 3)).shape == (2, 3)
    with pytest.raises(TypeError):
        t.reshape()
    with pytest.raises(ValueError):
        mg.reshape(t, (4, 2))


def test_reshape_of_a_noncontiguous_tensor_copies_like_numpy():
    x = mg.arange(6.0).reshape(2, 3)
    t = x.T
    out = t.reshape(6)
    assert out.base is None and not np.shares_memory(out.data, t.data)
    out.backward(np.arange(6.0))
    np.testing.assert_array_equal(x.grad, np.arange(6.0).reshape(3, 2).T)


def test_shape_setter_records_a_differentiable_reshape():
    x = mg.arange(6.0)
    y = 2 * x
    y.shape = (2, 3)
    assert y.shape == (2, 3) and y.creator is not None
    (y * np.arange(6.0).reshape(2, 3)).sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * np.arange(6.0))


@settings(max_examples=40, deadline=None)
@given(x=arrays(), method=st.booleans())
def test_ravel_is_a_view_of_contiguous_input_and_flatten_always_copies(x, method):
    t = mg.tensor(x)
    out = t.ravel() if method else mg.ravel(t)
    np.testing.assert_array_equal(out.data, np.ravel(x))
    shares_like_numpy(out, t, np.ravel(t.data), t.data)
    flat = t.flatten()
    np.testing.assert_array_equal(flat.data, x.flatten())
    assert flat.base is None and not np.shares_memory(flat.data, t.data)
    assert isinstance(np.ravel(t), mg.Tensor)


def test_ravel_of_a_transposed_view_is_a_copy():
    x = mg.arange(6.0).reshape(2, 3)
    out = x.T.ravel()
    assert out.base is None and not np.shares_memory(out.data, x.data)
    np.testing.assert_array_equal(out.data, np.arange(6.0).reshape(2, 3).T.ravel())


@settings(max_examples=30, deadline=None)
@given(x=arrays(min_side=1))
def test_ravel_and_flatten_vjps(x):
    check_vjp(mg.ravel, x)
    check_vjp(lambda t: t.flatten(), x)


@st.composite
def squeeze_calls(draw):
    x = draw(arrays(sides=(1, 1, 2, 3)))
    return x, draw(unit_axes((x.shape,)))


@settings(max_examples=60, deadline=None)
@given(call=squeeze_calls(), method=st.booleans())
def test_squeeze_matches_numpy_and_is_a_view(call, method):
    x, axis = call
    t = mg.tensor(x)
    out = t.squeeze(axis) if method else mg.squeeze(t, axis=axis)
    expected = np.squeeze(x, axis=axis)
    np.testing.assert_array_equal(out.data, expected)
    assert out.shape == expected.shape
    assert out.base is t and np.shares_memory(out.data, t.data)
    check_vjp(mg.squeeze, x.astype(np.float64), kwargs={"axis": axis})


def test_squeeze_of_a_non_unit_axis_raises():
    with pytest.raises(ValueError):
        mg.squeeze(mg.zeros((2, 1)), axis=0)


def test_squeeze_with_nothing_to_squeeze_is_still_a_view_D6():
    # NumPy returns the very array for a 0-d input; mygrad records it as a view (D6)
    x = mg.tensor(3.0)
    y = mg.squeeze(x)
    assert y.base is x
    (2 * y).backward()
    assert x.grad == 2.0


@st.composite
def expand_dims_calls(draw):
    x = draw(arrays(max_dims=3))
    return x, draw(expand_axes((x.shape,)))


@settings(max_examples=60, deadline=None)
@given(call=expand_dims_calls())
def test_expand_dims_matches_numpy_and_is_a_view(call):
    x, axis = call
    t = mg.tensor(x)
    out = mg.expand_dims(t, axis)
    expected = np.expand_dims(x, axis)
    np.testing.assert_array_equal(out.data, expected)
    assert out.shape == expected.shape
    shares_like_numpy(out, t, np.expand_dims(t.data, axis), t.data)
    assert isinstance(np.expand_dims(t, axis), mg.Tensor)


@settings(max_examples=30, deadline=None)
@given(call=expand_dims_calls())
def test_expand_dims_vjp(call):
    x, axis = call
    check_vjp(mg.expand_dims, x.astype(np.float64), kwargs={"axis": axis})


@st.composite
def broadcast_calls(draw):
    x = draw(arrays(max_dims=3))
    return x, draw(broadcast_targets((x.shape,)))


@settings(max_examples=60, deadline=None)
@given(call=broadcast_calls())
def test_broadcast_to_is_a_read_only_view_whose_grad_is_summed(call):
    x, shape = call
    t = mg.tensor(x)
    out = mg.broadcast_to(t, shape)
    np.testing.assert_array_equal(out.data, np.broadcast_to(x, shape))
    shares_like_numpy(out, t, np.broadcast_to(t.data, shape), t.data)
    assert not out.data.flags.writeable
    check_vjp(mg.broadcast_to, x.astype(np.float64), kwargs={"shape": shape})


def test_broadcast_to_gradient_and_write_protection():
    x = mg.tensor([1.0, 2.0])
    y = mg.broadcast_to(x, (3, 2))
    with pytest.raises(ValueError):
        y[0, 0] = 5.0
    (y * [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]).sum().backward()
    np.testing.assert_array_equal(x.grad, [9.0, 12.0])
    with pytest.raises(ValueError):
        mg.broadcast_to(x, (3,))


ATLEAST = [
    (mg.atleast_1d, np.atleast_1d, 1),
    (mg.atleast_2d, np.atleast_2d, 2),
    (mg.atleast_3d, np.atleast_3d, 3),
]


@pytest.mark.parametrize("fn, np_fn, k", ATLEAST)
@settings(max_examples=30, deadline=None)
@given(x=arrays(max_dims=4))
def test_atleast_kd_matches_numpy(fn, np_fn, k, x):
    t = mg.tensor(x)
    out = fn(t)
    np.testing.assert_array_equal(out.data, np_fn(x))
    assert out.shape == np_fn(x).shape
    if x.ndim >= k:
        assert out is t  # returned unchanged
    else:
        shares_like_numpy(out, t, np_fn(t.data), t.data)
        check_vjp(fn, x.astype(np.float64))
    assert isinstance(np_fn(t), mg.Tensor)


@pytest.mark.parametrize("fn, np_fn, k", ATLEAST)
def test_atleast_kd_constant_and_several_inputs(fn, np_fn, k):
    x = mg.ones((1,) * k)
    assert fn(x, constant=False) is x
    forced = fn(x, constant=True)
    assert forced is not x and forced.constant and forced.base is x
    several = fn(x, [1.0, 2.0], 3)
    assert isinstance(several, list) and len(several) == 3
    for got, want in zip(several, np_fn(np.ones((1,) * k), [1.0, 2.0], 3)):
        assert isinstance(got, mg.Tensor)
        np.testing.assert_array_equal(got.data, want)
    assert several[0] is x and several[1].constant and several[2].dtype == np.int64
    assert fn(2.0).constant


def test_atleast_2d_gradient_through_the_view():
    x = mg.tensor([1.0, 2.0, 3.0])
    y = mg.atleast_2d(x)
    assert y.shape == (1, 3) and y.base is x
    (y * [[1.0, 2.0, 3.0]]).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0])
    assert y.grad.shape == (1, 3)


@pytest.mark.parametrize(
    "fn, kwargs",
    [
        (mg.reshape, {"newshape": -1}),
        (mg.ravel, {}),
        (mg.squeeze, {}),
        (mg.expand_dims, {"axis": 0}),
        (mg.broadcast_to, {"shape": (2, 2, 3)}),
        (mg.atleast_3d, {}),
    ],
)
def test_constant_flag_is_inherited_or_forced(fn, kwargs):
    x = mg.ones((2, 3))
    assert not fn(x, **kwargs).constant
    forced = fn(x, **kwargs, constant=True)
    assert forced.constant and forced.base is x
    assert fn(mg.ones((2, 3), constant=True), **kwargs).constant
    assert fn(np.ones((2, 3)), **kwargs).constant
    with pytest.raises(ValueError):
        fn(mg.tensor(np.ones((2, 3), dtype=np.int64)), **kwargs, constant=False)
