"""mygrad.linalg.norm: vector norms of every order, their conventions at zeros and ties
(D4, nan_to_num), the refused matrix norms, and np.linalg.norm dispatch."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
import mygrad.linalg
from mygrad.linalg import norm
from mygrad.testing.hints.linalg import norm_calls
from mygrad.testing.oracles import check_vjp

ORDS = [None, 2, 1, 3, 1.5, 0.5, -1, -2.5, np.inf, -np.inf]


@settings(max_examples=60, deadline=None)
@given(norm_calls(), st.sampled_from([np.float64, np.float32]))
def test_forward_matches_numpy(call, dtype):
    x = call.arrays[0].astype(dtype)
    out = norm(mg.tensor(x), **call.params)
    expected = np.linalg.norm(x, **call.params)
    assert out.dtype == expected.dtype and out.shape == np.shape(expected)
    np.testing.assert_allclose(out.data, expected, rtol=1e-6)


@settings(max_examples=60, deadline=None)
@given(norm_calls())
def test_vjp_matches_finite_differences(call):
    check_vjp(norm, *call.arrays, kwargs=dict(call.params))


@pytest.mark.parametrize("ord", ORDS)
@pytest.mark.filterwarnings("ignore:divide by zero")  # NumPy's forward, for ord < 0
def test_all_zero_vector_has_zero_grad(ord):
    # D4: the subgradient 0 (MyGrad 2.5 gives nan for the L2 norm here)
    x = mg.tensor(np.zeros(3))
    norm(x, ord=ord).backward()
    np.testing.assert_array_equal(x.grad, np.zeros(3))


@pytest.mark.parametrize("ord", ORDS)
@pytest.mark.filterwarnings("ignore:divide by zero")  # NumPy's forward, for ord < 0
def test_nan_to_num_false_gives_nan_at_every_zero_entry(ord):
    x = mg.tensor([0.0, 1.0, 0.0, -2.0])
    norm(x, ord=ord, nan_to_num=False).backward()
    assert np.isnan(x.grad[[0, 2]]).all()
    assert not np.isnan(x.grad[[1, 3]]).any()


def test_nan_to_num_false_l2_example():
    x = mg.tensor([0.0, 1.0])
    norm(x, nan_to_num=False).backward()
    np.testing.assert_array_equal(x.grad, [np.nan, 1.0])


def test_zero_entries_of_a_nonzero_vector_get_zero_grad_by_default():
    x = mg.tensor([0.0, 3.0, -4.0])
    norm(x, ord=0.5).backward()
    assert x.grad[0] == 0.0 and np.isfinite(x.grad).all()


@pytest.mark.parametrize(("ord", "first"), [(np.inf, 1), (-np.inf, 0)])
def test_inf_norms_send_the_grad_to_the_first_extremal_entry(ord, first):
    x = mg.tensor([1.0, -3.0, 3.0, -1.0])
    norm(x, ord=ord).backward()
    expected = np.zeros(4)
    expected[first] = np.sign(x.data[first])
    np.testing.assert_array_equal(x.grad, expected)


def test_inf_norm_along_an_axis():
    x = mg.tensor([[1.0, -5.0, 5.0], [2.0, 2.0, -1.0]])
    out = norm(x, ord=np.inf, axis=1)
    np.testing.assert_array_equal(out.data, [5.0, 2.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [[0.0, -1.0, 0.0], [1.0, 0.0, 0.0]])


def test_default_norm_of_nd_input_is_the_l2_norm_of_the_flattened_array():
    data = np.arange(24.0).reshape(2, 3, 4)
    x = mg.tensor(data)
    out = norm(x)
    np.testing.assert_allclose(out.data, np.sqrt((data**2).sum()))
    out.backward()
    np.testing.assert_allclose(x.grad, data / np.sqrt((data**2).sum()))
    assert norm(x, keepdims=True).shape == (1, 1, 1)


@pytest.mark.parametrize("axis", [-1, 0, (1,), (-2,)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_axis_and_keepdims(axis, keepdims):
    data = np.arange(1.0, 7.0).reshape(2, 3)
    out = norm(mg.tensor(data), ord=3, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.data, np.linalg.norm(data, ord=3, axis=axis, keepdims=keepdims))
    check_vjp(norm, data, kwargs={"ord": 3, "axis": axis, "keepdims": keepdims})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ord": 1},
        {"ord": 2},
        {"ord": "fro"},
        {"ord": np.inf},
        {"axis": (0, 1)},
        {"ord": 2, "axis": (0, 1)},
    ],
)
def test_matrix_norms_raise_not_implemented(kwargs):
    with pytest.raises(NotImplementedError, match="matrix norms"):
        norm(mg.tensor(np.ones((2, 2))), **kwargs)


@pytest.mark.parametrize("ord", [0, 0.0])
def test_ord_zero_raises_not_implemented(ord):
    with pytest.raises(NotImplementedError, match="ord=0"):
        norm(mg.tensor(np.ones(3)), ord=ord)


def test_invalid_vector_orders_and_axes_raise_numpys_errors():
    with pytest.raises(ValueError, match="Invalid norm order"):
        norm(mg.tensor(np.ones(3)), ord="fro", axis=0)
    with pytest.raises(np.exceptions.AxisError):
        norm(mg.tensor(np.ones(3)), axis=1)
    with pytest.raises(ValueError):
        norm(mg.tensor(np.ones((2, 2, 2))), ord=1)


def test_numpy_linalg_norm_dispatches_here():
    x = mg.tensor([3.0, 4.0])
    out = np.linalg.norm(x)
    assert isinstance(out, mg.Tensor)
    out.backward()
    np.testing.assert_allclose(x.grad, [0.6, 0.8])
    with pytest.raises(NotImplementedError):
        np.linalg.norm(mg.tensor(np.ones((2, 2))), ord=1)


def test_integer_input_gives_a_constant_float64_result():
    out = norm(mg.tensor([3, 4]))
    assert out.dtype == np.float64 and out.constant
    assert norm(mg.tensor([3.0, 4.0]), constant=True).constant


def test_mygrad_linalg_exposes_only_norm():
    assert mygrad.linalg.__all__ == ["norm"]
    assert mygrad.linalg.norm is norm
    assert not hasattr(mygrad.linalg, "einsum")
    assert "norm" not in mg.ops.linalg.__all__
