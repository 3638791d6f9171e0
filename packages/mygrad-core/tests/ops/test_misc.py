"""absolute/abs, sqrt, cbrt, maximum, minimum and clip: values, gradients and the
conventions at their non-differentiable points (api.md §2.5)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.extend import unbroadcast
from mygrad.testing.oracles import check_vjp

SETTINGS = settings(max_examples=30, deadline=None)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=2, max_side=4)
finite = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)
# small integers as floats: ties with each other and with the bounds are frequent
tie_prone = st.integers(-3, 3).map(float)


def arrays(shape=SHAPES, elements=finite):
    return hnp.arrays(np.float64, shape, elements=elements)


def two_broadcastable(elements=finite):
    return hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3).flatmap(
        lambda s: st.tuples(*(arrays(shape, elements) for shape in s.input_shapes))
    )


def three_broadcastable(elements=finite):
    return hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=2, max_side=3).flatmap(
        lambda s: st.tuples(*(arrays(shape, elements) for shape in s.input_shapes))
    )


def grads_of(fn, *arrays, **kwargs):
    tensors = [mg.tensor(a) for a in arrays]
    fn(*tensors, **kwargs).backward()
    return [t.grad for t in tensors]


# --------------------------------------------------------------------------- absolute


def test_abs_is_absolute():
    assert mg.abs is mg.absolute


@SETTINGS
@given(arrays(elements=finite.filter(lambda v: abs(v) > 1e-3)))
def test_absolute_gradient_matches_finite_differences(x):
    check_vjp(mg.absolute, x)


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_absolute_gradient_at_zero_is_zero_by_default(zero):
    x = mg.tensor([-2.0, zero, 3.0])
    mg.absolute(x).backward()
    np.testing.assert_array_equal(x.grad, np.sign(x.data))
    assert x.grad[1] == 0


def test_absolute_gradient_at_zero_is_nan_without_nan_to_num():
    x = mg.tensor([-2.0, 0.0, 3.0])
    mg.absolute(x, nan_to_num=False).backward()
    assert np.isnan(x.grad[1])
    np.testing.assert_array_equal(x.grad[[0, 2]], np.sign(x.data[[0, 2]]))


def test_nan_to_num_is_keyword_only_and_not_a_numpy_kwarg():
    with pytest.raises(TypeError):
        mg.absolute(mg.tensor([1.0]), None, True)
    with pytest.raises(TypeError):
        mg.absolute(mg.tensor([1.0]), nan_to_num_typo=True)


def test_np_abs_dispatches_to_absolute():
    x = mg.tensor([-1.5, 2.0])
    y = np.abs(x)
    assert isinstance(y, mg.Tensor)
    y.backward()
    np.testing.assert_array_equal(x.grad, [-1.0, 1.0])


# --------------------------------------------------------------------------- sqrt, cbrt


@SETTINGS
@given(arrays(elements=st.floats(1e-2, 10)))
def test_sqrt_gradient_matches_finite_differences(x):
    check_vjp(mg.sqrt, x)


@SETTINGS
@given(arrays(elements=finite.filter(lambda v: abs(v) > 1e-2)))
def test_cbrt_gradient_matches_finite_differences(x):
    check_vjp(mg.cbrt, x)


@pytest.mark.parametrize("op", [mg.sqrt, mg.cbrt])
def test_root_gradient_at_zero_is_inf(op):
    x = mg.tensor([0.0, 4.0])
    op(x).backward()
    assert np.isposinf(x.grad[0])
    assert np.isfinite(x.grad[1])


# --------------------------------------------------------------------------- maximum, minimum


def apart(values):
    """Whether the (broadcast) values differ pairwise by more than a finite-difference step."""
    spread = np.broadcast_arrays(*values)
    return all(
        np.all(np.abs(spread[i] - spread[j]) > 1e-3)
        for i in range(len(spread))
        for j in range(i + 1, len(spread))
    )


@pytest.mark.parametrize("op", [mg.maximum, mg.minimum])
@SETTINGS
@given(two_broadcastable().filter(apart))
def test_maximum_minimum_gradients_match_finite_differences(op, pair):
    check_vjp(op, *pair)


@pytest.mark.parametrize(("op", "wins"), [(mg.maximum, np.greater), (mg.minimum, np.less)])
@SETTINGS
@given(two_broadcastable(tie_prone))
def test_ties_send_gradient_to_neither_input(op, wins, pair):
    a, b = pair
    ga, gb = grads_of(op, a, b)
    shape = np.broadcast_shapes(a.shape, b.shape)
    a_b, b_b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)
    # each input collects, over its broadcast copies, 1 where it strictly wins
    expected_a = np.zeros(shape)
    expected_b = np.zeros(shape)
    expected_a[wins(a_b, b_b)] = 1
    expected_b[wins(b_b, a_b)] = 1
    np.testing.assert_array_equal(ga, unbroadcast(expected_a, a.shape))
    np.testing.assert_array_equal(gb, unbroadcast(expected_b, b.shape))


@pytest.mark.parametrize("op", [mg.maximum, mg.minimum])
def test_an_input_compared_with_itself_gets_no_gradient(op):
    x = mg.tensor([1.0, -2.0, 3.0])
    op(x, x).backward()
    np.testing.assert_array_equal(x.grad, np.zeros(3))


@pytest.mark.parametrize(("op", "np_op"), [(mg.maximum, np.maximum), (mg.minimum, np.minimum)])
def test_maximum_minimum_propagate_nan_like_numpy(op, np_op):
    a = np.array([np.nan, 0.0, np.nan])
    b = np.array([0.0, np.nan, np.nan])
    np.testing.assert_array_equal(op(a, b).data, np_op(a, b))


# --------------------------------------------------------------------------- clip


def composite_clip(a, lo, hi):
    return mg.minimum(hi, mg.maximum(lo, a))


@SETTINGS
@given(three_broadcastable(tie_prone))
def test_clip_values_and_gradients_equal_minimum_of_maximum(args):
    # including ties with the bounds (grad 0 there) and a_min > a_max (a_max wins)
    a, lo, hi = args
    out = mg.clip(a, lo, hi)
    np.testing.assert_array_equal(out.data, np.clip(a, lo, hi))
    for got, expected in zip(grads_of(mg.clip, a, lo, hi), grads_of(composite_clip, a, lo, hi)):
        np.testing.assert_array_equal(got, expected)


@SETTINGS
@given(three_broadcastable().filter(apart))
def test_clip_gradient_matches_finite_differences_off_the_bounds(args):
    check_vjp(mg.clip, *args)


def test_clip_gradient_is_zero_at_the_bounds():
    x = mg.tensor([-1.0, 0.0, 0.5, 1.0, 2.0])
    mg.clip(x, 0.0, 1.0).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0, 0.0, 0.0])


def test_clip_with_one_bound():
    x = mg.tensor([-1.0, 0.5, 2.0])
    np.testing.assert_array_equal(mg.clip(x, None, 1.0).data, np.clip(x.data, None, 1.0))
    np.testing.assert_array_equal(mg.clip(x, 0.0, None).data, np.clip(x.data, 0.0, None))
    lower = mg.tensor(0.5)
    mg.clip(x, lower, None).backward()
    # -1 is lifted to the bound; 0.5 ties with it, so neither gets a gradient there
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0])
    assert lower.grad == 1.0


def test_clip_without_bounds_returns_the_tensor_itself():
    x = mg.tensor([1.0, 2.0])
    assert mg.clip(x, None, None) is x
    arr = np.array([1.0, 2.0])
    wrapped = mg.clip(arr, None, None)
    assert isinstance(wrapped, mg.Tensor) and wrapped.data is arr


def test_clip_bounds_receive_gradients():
    x = mg.tensor([-1.0, 0.5, 2.0])
    lo = mg.tensor([0.0, 0.0, 0.0])
    hi = mg.tensor(1.0)
    mg.clip(x, lo, hi).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(lo.grad, [1.0, 0.0, 0.0])
    assert hi.grad == 1.0


def test_clip_min_above_max_gives_max():
    x = mg.tensor([-5.0, 0.0, 5.0])
    lo, hi = mg.tensor(2.0), mg.tensor(1.0)
    out = mg.clip(x, lo, hi)
    np.testing.assert_array_equal(out.data, np.clip(x.data, 2.0, 1.0))
    out.backward()
    np.testing.assert_array_equal(x.grad, np.zeros(3))
    assert lo.grad == 0.0 and hi.grad == 3.0


def test_clip_into_a_tensor_is_in_place():
    x = mg.tensor([-1.0, 0.5, 2.0])
    target = mg.zeros(3)
    target_id = id(target)
    out = mg.clip(x, 0.0, 1.0, out=target)
    assert out is target and id(out) == target_id
    np.testing.assert_array_equal(target.data, [0.0, 0.5, 1.0])
    target.backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])


def test_clip_into_an_ndarray_wraps_that_array():
    dest = np.empty(3)
    out = mg.clip(mg.tensor([-1.0, 0.5, 2.0]), 0.0, 1.0, out=dest)
    assert out.data is dest
    np.testing.assert_array_equal(dest, [0.0, 0.5, 1.0])


def test_tensor_clip_method_and_np_clip_match_function():
    x = mg.tensor([-1.0, 0.5, 2.0])
    expected = mg.clip(x, 0.0, 1.0).data
    for result in (x.clip(0.0, 1.0), np.clip(x, 0.0, 1.0)):
        assert isinstance(result, mg.Tensor)
        np.testing.assert_array_equal(result.data, expected)
    np.clip(x, 0.0, 1.0).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])


def test_np_clip_keyword_form_is_refused():
    with pytest.raises(TypeError):
        np.clip(mg.tensor([1.0, 2.0]), min=0.0, max=1.0)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.int8])
def test_clip_keeps_the_dtype_with_python_bounds(dtype):
    x = mg.tensor(np.array([-3, 1, 4], dtype=dtype))
    out = mg.clip(x, 0, 2)
    assert out.dtype == np.clip(x.data, 0, 2).dtype == dtype
    assert out.constant is (np.dtype(dtype).kind != "f" or x.constant)


def test_clip_constant_flag():
    x = mg.tensor([1.0, 2.0])
    assert mg.clip(x, 0.0, 1.5, constant=True).constant
    assert not mg.clip(x, 0.0, 1.5).constant
    assert mg.clip([1.0, 2.0], 0.0, 1.5).constant
