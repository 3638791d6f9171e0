"""sum, prod, cumsum, cumprod: NumPy parity, exact gradients with zeros, api.md §2.6 rules."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.hints.sums_products import accumulation_axes, reduction_axes
from mygrad.testing.oracles import check_vjp

REDUCTIONS = ["sum", "prod"]
ACCUMULATIONS = ["cumsum", "cumprod"]
FLOATS = st.sampled_from([np.float64, np.float32, np.float16])


def small_arrays(dtype=np.float64, min_side=0, low=-2.0, high=2.0):
    return hnp.arrays(
        dtype,
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=min_side, max_side=4),
        elements=st.floats(low, high, width=16),
    )


@st.composite
def reduction_calls(draw, min_side=0):
    x = draw(small_arrays(draw(FLOATS), min_side=min_side))
    return x, {"axis": draw(reduction_axes((x.shape,))), "keepdims": draw(st.booleans())}


@st.composite
def accumulation_calls(draw):
    x = draw(small_arrays(draw(FLOATS)))
    return x, {"axis": draw(accumulation_axes((x.shape,)))}


@pytest.mark.parametrize("name", REDUCTIONS)
@settings(max_examples=30, deadline=None)
@given(call=reduction_calls())
def test_reduction_matches_numpy(name, call):
    x, kw = call
    t = mg.tensor(x)
    out = getattr(mg, name)(t, **kw)
    expected = getattr(np, name)(x, **kw)
    assert isinstance(out, mg.Tensor)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-2 if x.dtype == np.float16 else 1e-6)
    assert not np.shares_memory(out.data, x) and not np.shares_memory(out.data, t.data)
    # np.<name>(tensor) dispatches to mygrad, the Tensor method agrees
    via_numpy = getattr(np, name)(t, **kw)
    assert isinstance(via_numpy, mg.Tensor)
    np.testing.assert_array_equal(via_numpy.data, out.data)
    np.testing.assert_array_equal(getattr(t, name)(**kw).data, out.data)


@pytest.mark.parametrize("name", ACCUMULATIONS)
@settings(max_examples=30, deadline=None)
@given(call=accumulation_calls())
def test_accumulation_matches_numpy(name, call):
    x, kw = call
    t = mg.tensor(x)
    out = getattr(mg, name)(t, **kw)
    expected = getattr(np, name)(x, **kw)
    assert isinstance(out, mg.Tensor)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)
    np.testing.assert_array_equal(getattr(np, name)(t, **kw).data, out.data)
    np.testing.assert_array_equal(getattr(t, name)(**kw).data, out.data)


@pytest.mark.parametrize("name", REDUCTIONS)
@settings(max_examples=30, deadline=None)
@given(call=reduction_calls())
def test_reduction_vjp(name, call):
    x, kw = call
    check_vjp(getattr(mg, name), x, kwargs=kw)


@pytest.mark.parametrize("name", ACCUMULATIONS)
@settings(max_examples=30, deadline=None)
@given(call=accumulation_calls())
def test_accumulation_vjp(name, call):
    x, kw = call
    check_vjp(getattr(mg, name), x, kwargs=kw)


def test_empty_sum_is_zero():
    t = mg.tensor(np.empty((0, 3)))
    out = mg.sum(t)
    assert out.shape == () and out.item() == 0
    out.backward()
    assert t.grad.shape == (0, 3)


@pytest.mark.parametrize("name", REDUCTIONS + ACCUMULATIONS)
@pytest.mark.parametrize("kwarg", ["dtype", "out", "where", "initial"])
def test_numpy_only_kwargs_are_rejected(name, kwarg):
    t = mg.tensor([1.0, 2.0])
    value = {"dtype": np.float64, "out": np.empty(()), "where": True, "initial": 1.0}[kwarg]
    with pytest.raises(TypeError, match=kwarg):
        getattr(mg, name)(t, **{kwarg: value})
    with pytest.raises(TypeError):
        getattr(np, name)(t, **{kwarg: value})


@pytest.mark.parametrize("name", ACCUMULATIONS)
@pytest.mark.parametrize("axis", [(0,), (0, 1), 1.0, True])
def test_accumulation_axis_must_be_int_or_none(name, axis):
    with pytest.raises(TypeError, match=f"{name}: `axis` must be an int or None"):
        getattr(mg, name)(mg.tensor(np.ones((2, 2))), axis=axis)


def _products_of_the_rest(x, axis):
    """Reference d(prod x)/dx by deleting each element in turn (no division)."""
    axes = tuple(range(x.ndim)) if axis is None else tuple(np.atleast_1d(axis) % x.ndim)
    kept = [i for i in range(x.ndim) if i not in axes]
    blocks = np.moveaxis(x, kept + list(axes), range(x.ndim))
    blocks = blocks.reshape(blocks.shape[: len(kept)] + (-1,))
    rest = np.empty_like(blocks)
    for k in range(blocks.shape[-1]):
        rest[..., k] = np.prod(np.delete(blocks, k, axis=-1), axis=-1)
    rest = rest.reshape(tuple(x.shape[i] for i in kept + list(axes)))
    return np.moveaxis(rest, range(x.ndim), kept + list(axes))


@st.composite
def arrays_with_zeros(draw, min_dims=1):
    x = draw(
        hnp.arrays(
            np.float64,
            hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=4),
            elements=st.floats(-3, 3),
        )
    )
    flat = x.reshape(-1)
    zeros = draw(st.lists(st.integers(0, flat.size - 1), max_size=3))
    flat[zeros] = 0.0
    return x


@settings(max_examples=30, deadline=None)
@given(x=arrays_with_zeros(), data=st.data())
def test_prod_grad_is_exact_with_zeros(x, data):
    axis = data.draw(st.none() | hnp.valid_tuple_axes(x.ndim, min_size=1))
    t = mg.tensor(x)
    mg.prod(t, axis=axis).backward()
    # exact up to rounding; products that land among the subnormals keep fewer digits, so
    # there a few of their units (5e-324 each) are allowed
    subnormal_units = 16 * np.finfo(np.float64).smallest_subnormal
    np.testing.assert_allclose(
        t.grad, _products_of_the_rest(x, axis), rtol=1e-12, atol=subnormal_units
    )


def test_prod_zero_conventions():
    one_zero = mg.tensor([2.0, 0.0, 3.0])
    mg.prod(one_zero).backward()
    assert one_zero.grad[1] == np.prod([2.0, 3.0]) and not one_zero.grad[[0, 2]].any()
    two_zeros = mg.tensor([2.0, 0.0, 0.0])
    mg.prod(two_zeros).backward()
    assert not two_zeros.grad.any()


@settings(max_examples=30, deadline=None)
@given(x=arrays_with_zeros(min_dims=0), data=st.data())
def test_cumprod_grad_is_exact_with_zeros(x, data):
    axis = data.draw(accumulation_axes((x.shape,)))
    g = data.draw(hnp.arrays(np.float64, np.cumprod(x, axis=axis).shape, elements=st.floats(-2, 2)))
    t = mg.tensor(x)
    mg.cumprod(t, axis=axis).backward(g)
    # reference: dL/dx_i = sum_j g_j * prod_{k <= j, k != i} x_k, one sequence at a time
    seq = np.moveaxis(x, axis, -1) if axis is not None and x.ndim else x.reshape(-1)
    g_seq = np.moveaxis(g, axis, -1) if axis is not None and x.ndim else g
    expected = np.zeros_like(seq)
    n = seq.shape[-1]
    for i in range(n):
        for j in range(i, n):
            others = np.delete(seq[..., : j + 1], i, axis=-1)
            expected[..., i] += g_seq[..., j] * np.prod(others, axis=-1)
    expected = np.moveaxis(expected, -1, axis) if axis is not None and x.ndim else expected
    np.testing.assert_allclose(t.grad, expected.reshape(x.shape), rtol=1e-9, atol=1e-12)


def test_cumprod_grad_at_zero_is_not_nan():
    t = mg.tensor([2.0, 0.0, 3.0, 4.0])
    mg.cumprod(t).backward()
    # y = [2, 0, 0, 0]: dy/dx1 = [0, 2, 6, 24], everything after the zero gets 0
    assert np.isfinite(t.grad).all()
    assert t.grad[1] == 2 + 2 * 3 + 2 * 3 * 4
    assert t.grad[0] == 1 and t.grad[2] == 0 and t.grad[3] == 0


@pytest.mark.parametrize("name", REDUCTIONS + ACCUMULATIONS)
def test_integer_input_gives_a_constant_integer_result(name):
    out = getattr(mg, name)(mg.tensor([[1, 2], [3, 4]]))
    assert out.constant and out.dtype.kind == "i"
    with pytest.raises(ValueError, match="Integer-valued tensors"):
        getattr(mg, name)(mg.tensor([1, 2]), constant=False)


@pytest.mark.parametrize("name", REDUCTIONS + ACCUMULATIONS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_low_precision_floats_are_kept(name, dtype):
    t = mg.tensor(np.array([[1.0, 2.0], [3.0, 4.0]], dtype=dtype))
    out = getattr(mg, name)(t, axis=0)
    assert out.dtype == dtype and not out.constant
    out.backward()
    assert t.grad.dtype == dtype


@pytest.mark.parametrize("name", REDUCTIONS + ACCUMULATIONS)
def test_constant_flag(name):
    x = mg.tensor([1.0, 2.0])
    assert getattr(mg, name)(x, constant=True).constant
    assert getattr(mg, name)(np.array([1.0, 2.0])).constant
    assert not getattr(mg, name)(np.array([1.0, 2.0]), constant=False).constant


def test_positional_params_follow_api_order():
    x = mg.tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(mg.sum(x, 1, True).data, np.sum(x.data, 1, keepdims=True))
    np.testing.assert_array_equal(x.prod(0, True).data, np.prod(x.data, 0, keepdims=True))
    np.testing.assert_array_equal(mg.cumsum(x, 0).data, np.cumsum(x.data, 0))
