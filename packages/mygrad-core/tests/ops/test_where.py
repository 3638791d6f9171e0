"""``where`` (api.md §3.2, decision D3: a Tensor condition is a constant mask)."""

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
finite = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)


@st.composite
def where_args(draw):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3))
    cond_shape, x_shape, y_shape = shapes.input_shapes
    condition = draw(hnp.arrays(np.bool_, cond_shape))
    x = draw(hnp.arrays(np.float64, x_shape, elements=finite))
    y = draw(hnp.arrays(np.float64, y_shape, elements=finite))
    return condition, x, y


@SETTINGS
@given(where_args())
def test_values_match_numpy_and_gradients_match_finite_differences(args):
    condition, x, y = args
    np.testing.assert_array_equal(mg.where(condition, x, y).data, np.where(condition, x, y))
    check_vjp(mg.where, condition, x, y, wrt=(1, 2))


@SETTINGS
@given(where_args())
def test_x_gets_the_gradient_where_the_condition_holds_and_y_elsewhere(args):
    condition, x, y = args
    tx, ty = mg.tensor(x), mg.tensor(y)
    out = mg.where(condition, tx, ty)
    out.backward()
    picked = np.broadcast_to(condition, out.shape)
    np.testing.assert_array_equal(tx.grad, unbroadcast(picked.astype(float), x.shape))
    np.testing.assert_array_equal(ty.grad, unbroadcast((~picked).astype(float), y.shape))


def test_one_argument_form_is_numpys_nonzero_indices():
    condition = mg.tensor([[True, False], [False, True]])
    result = mg.where(condition)
    assert type(result) is tuple
    for got, expected in zip(result, np.where(condition.data)):
        assert type(got) is np.ndarray
        np.testing.assert_array_equal(got, expected)
    for got, expected in zip(mg.where([0, 3, 0, 1]), np.where([0, 3, 0, 1])):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("given_kw", [{"x": 1.0}, {"y": 1.0}])
def test_exactly_one_of_x_and_y_is_an_error(given_kw):
    with pytest.raises(ValueError, match="both or neither"):
        mg.where([True, False], **given_kw)


@pytest.mark.parametrize("condition_constant", [True, False])
def test_a_tensor_condition_is_a_constant_mask(condition_constant):  # D3
    # a float tensor as condition, even a variable one: used for its truth values only
    condition = mg.tensor([1.0, 0.0, 2.0], constant=condition_constant)
    x, y = mg.tensor([1.0, 2.0, 3.0]), mg.tensor([10.0, 20.0, 30.0])
    out = mg.where(condition, x, y)
    np.testing.assert_array_equal(out.data, [1.0, 20.0, 3.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(y.grad, [0.0, 1.0, 0.0])
    assert condition.grad is None


def test_a_variable_condition_does_not_make_the_result_variable():  # D3
    condition = mg.tensor([1.0, 0.0])
    assert mg.where(condition, [1.0, 2.0], [3.0, 4.0]).constant


def test_a_boolean_tensor_condition_from_a_comparison():  # D3
    x = mg.tensor([-1.0, 2.0])
    out = mg.where(x > 0, x, 0.0)
    np.testing.assert_array_equal(out.data, [0.0, 2.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0])


def test_np_where_dispatches_including_tensor_conditions():  # D3
    x = mg.tensor([-1.0, 2.0])
    condition = mg.tensor([True, False])
    out = np.where(condition, x, 5.0)
    assert isinstance(out, mg.Tensor)
    out.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0])
    for got, expected in zip(np.where(condition), np.where(condition.data)):
        np.testing.assert_array_equal(got, expected)


def test_constant_flag_and_dtype():
    x = mg.tensor([1.0, 2.0])
    assert mg.where([True, False], x, 0.0, constant=True).constant
    assert not mg.where([True, False], x, 0.0).constant
    assert mg.where([True, False], [1.0, 2.0], 0.0).constant
    ints = mg.where([True, False], mg.tensor([1, 2]), 0)
    assert ints.constant and ints.dtype == np.where([True, False], [1, 2], 0).dtype
    f32 = mg.where([True, False], mg.tensor([1.0, 2.0], dtype=np.float32), 0.0)
    assert f32.dtype == np.float32


def test_same_tensor_as_x_and_y_gets_the_whole_gradient():
    x = mg.tensor([1.0, 2.0, 3.0])
    mg.where([True, False, True], x, x).backward()
    np.testing.assert_array_equal(x.grad, np.ones(3))
