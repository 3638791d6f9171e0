"""conv_nd: forward vs a per-position float64 reference, gradients vs finite differences
for 1/2/3-d with stride, padding and dilation, dtypes and errors (api.md §14.3)."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.nnet import conv_nd
from mygrad.testing.hints.nnet_layers import conv_calls
from mygrad.testing.hints.nnet_reference import conv_nd_reference
from mygrad.testing.oracles import check_vjp

SETTINGS = settings(max_examples=30, deadline=None)


@SETTINGS
@given(call=conv_calls())
def test_forward_matches_the_reference(call):
    out = conv_nd(*call.arrays, **call.params)
    expected = conv_nd_reference(*call.arrays, **call.params)
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(call=conv_calls())
def test_gradients_match_finite_differences(call):
    check_vjp(conv_nd, *call.arrays, kwargs=call.params)


@pytest.mark.parametrize("dims", [(1,), (2,), (3,)])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_each_dimensionality(dims, data):
    call = data.draw(conv_calls(dims=dims))
    check_vjp(conv_nd, *call.arrays, kwargs=call.params)


@SETTINGS
@given(call=conv_calls())
def test_only_the_needed_gradient_is_computed(call):
    x, w = call.arrays
    data, filters = mg.tensor(x, constant=True), mg.tensor(w)
    conv_nd(data, filters, **call.params).backward()
    assert data.grad is None
    assert filters.grad.shape == w.shape


def test_cross_correlation_without_flipping():
    x = mg.zeros((1, 1, 16))
    x[..., 5:11] = 1
    k = mg.tensor([[[1.0, 2.0, 0.0, 0.0, 0.0]]])
    out = conv_nd(x, k, stride=1)
    # the kernel's first tap sits on the window's first entry
    assert out.data[0, 0, 4] == 2 and out.data[0, 0, 5] == 3 and out.data[0, 0, 10] == 1
    out = conv_nd(x, mg.ones((1, 1, 5)), stride=1)
    np.testing.assert_array_equal(out.data[0, 0], [0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0])
    out.backward()
    np.testing.assert_array_equal(x.grad[0, 0], [1, 2, 3, 4] + [5] * 8 + [4, 3, 2, 1])


def test_output_shape_formula():
    x = np.zeros((2, 3, 11, 9))
    w = np.zeros((5, 3, 3, 2))
    out = conv_nd(x, w, stride=(2, 1), padding=(1, 0), dilation=(2, 3))
    # O = (S + 2p - ((K - 1) d + 1)) / s + 1
    assert out.shape == (2, 5, (11 + 2 - 5) // 2 + 1, (9 - 4) + 1)


@pytest.mark.parametrize(
    ("dx", "dw", "expected"),
    [(np.float32, np.float32, np.float32), (np.float32, np.float64, np.float64),
     (np.float16, np.float16, np.float16), (np.int64, np.float32, np.float64)],
)
def test_output_dtype_is_the_inputs_common_dtype(dx, dw, expected):
    x = np.ones((1, 2, 4, 4), dtype=dx)
    w = np.ones((3, 2, 2, 2), dtype=dw)
    out = conv_nd(mg.tensor(x), mg.tensor(w), stride=2)
    assert out.dtype == expected
    np.testing.assert_array_equal(out.data, 8)


def test_float32_gradients_keep_their_dtype():
    x = mg.tensor(np.ones((2, 1, 5, 5), dtype=np.float32))
    w = mg.tensor(np.ones((2, 1, 3, 3), dtype=np.float32))
    conv_nd(x, w, stride=1, padding=1).backward()
    assert x.grad.dtype == w.grad.dtype == np.float32


def test_constant_flag():
    x, w = np.ones((1, 1, 3)), np.ones((1, 1, 2))
    assert conv_nd(x, w, stride=1).constant
    assert not conv_nd(mg.tensor(x), w, stride=1).constant
    assert conv_nd(mg.tensor(x), w, stride=1, constant=True).constant


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "kwargs", "error", "match"),
    [
        ((3, 4), (3, 4), {"stride": 1}, ValueError, "at least three dimensions"),
        ((1, 1, 4, 4), (1, 1, 2), {"stride": 1}, ValueError, "same number of dimensions"),
        ((1, 2, 4), (1, 3, 2), {"stride": 1}, ValueError, "channels"),
        ((1, 1, 5), (1, 1, 2), {"stride": 2}, ValueError, "positive integer"),
        ((1, 1, 2), (1, 1, 3), {"stride": 1}, ValueError, "positive integer"),
        ((1, 1, 4, 4), (1, 1, 2, 2), {"stride": (1, 2, 3)}, ValueError, "stride"),
        ((1, 1, 4), (1, 1, 2), {"stride": 0}, ValueError, "stride"),
        ((1, 1, 4), (1, 1, 2), {"stride": 1, "padding": -1}, ValueError, "padding"),
        ((1, 1, 4), (1, 1, 2), {"stride": 1, "dilation": 0}, ValueError, "dilation"),
        ((1, 1, 4), (1, 1, 2), {"stride": 1.5}, TypeError, "stride"),
    ],
)
def test_errors_name_the_problem(x_shape, w_shape, kwargs, error, match):
    with pytest.raises(error, match=match):
        conv_nd(np.zeros(x_shape), np.zeros(w_shape), **kwargs)


def test_stride_is_a_required_keyword():
    with pytest.raises(TypeError):
        conv_nd(np.zeros((1, 1, 3)), np.zeros((1, 1, 2)))
    with pytest.raises(TypeError):
        conv_nd(np.zeros((1, 1, 3)), np.zeros((1, 1, 2)), 1)


def test_inputs_are_not_mutated_and_are_unlocked_after_backward():
    x = np.random.default_rng(0).normal(size=(2, 2, 5, 5))
    w = np.random.default_rng(1).normal(size=(3, 2, 2, 2))
    xt, wt = mg.tensor(x), mg.tensor(w)
    out = conv_nd(xt, wt, stride=1, padding=2, dilation=2)
    assert not xt.data.flags.writeable
    out.backward()
    np.testing.assert_array_equal(xt.data, x)
    np.testing.assert_array_equal(wt.data, w)
    assert xt.data.flags.writeable
