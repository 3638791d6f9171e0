"""exp, exp2, expm1, log, log2, log10, log1p, logaddexp, logaddexp2 (api.md §2.2)."""

from __future__ import annotations

import inspect
import warnings

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.oracles import check_vjp

SETTINGS = settings(max_examples=30, deadline=None)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=2, max_side=4)

# each unary op and an interval where it is smooth
UNARY = {
    "exp": (-10.0, 10.0),
    "exp2": (-10.0, 10.0),
    "expm1": (-10.0, 10.0),
    "log": (1e-2, 10.0),
    "log2": (1e-2, 10.0),
    "log10": (1e-2, 10.0),
    "log1p": (-0.9, 10.0),
}
BINARY = ("logaddexp", "logaddexp2")
ALL = (*UNARY, *BINARY)


def arrays(low=-10.0, high=10.0, shape=SHAPES, dtype=np.float64):
    elements = st.floats(low, high, allow_nan=False, allow_subnormal=False, width=64)
    return hnp.arrays(np.float64, shape, elements=elements).map(lambda a: a.astype(dtype))


def broadcastable_pair():
    return hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3).flatmap(
        lambda s: st.tuples(*(arrays(shape=shape) for shape in s.input_shapes))
    )


@pytest.mark.parametrize("name", UNARY)
@SETTINGS
@given(data=st.data())
def test_unary_gradient_matches_finite_differences(name, data):
    check_vjp(getattr(mg, name), data.draw(arrays(*UNARY[name])))


@pytest.mark.parametrize("name", BINARY)
@SETTINGS
@given(pair=broadcastable_pair())
def test_binary_gradient_matches_finite_differences(name, pair):
    check_vjp(getattr(mg, name), *pair)


@pytest.mark.parametrize("name", UNARY)
def test_unary_first_parameter_is_named_x1(name):
    assert next(iter(inspect.signature(getattr(mg, name)).parameters)) == "x1"


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_forward_is_numpy_forward_and_keeps_the_dtype(name, dtype):
    low, high = UNARY[name]
    x = np.linspace(low, high, 7).astype(dtype)
    out = getattr(mg, name)(mg.tensor(x))
    expected = getattr(np, name)(x)
    assert out.dtype == expected.dtype == dtype
    np.testing.assert_array_equal(out.data, expected)
    out.backward()


@pytest.mark.parametrize("name", ALL)
def test_numpy_ufunc_dispatches_to_the_mygrad_op(name):
    x = mg.tensor([0.5, 1.5])
    args = (x,) if name in UNARY else (x, 2.0)
    y = getattr(np, name)(*args)
    assert isinstance(y, mg.Tensor) and y.creator is not None
    y.backward()
    via_numpy = x.grad
    getattr(mg, name)(*args).backward()
    np.testing.assert_array_equal(x.grad, via_numpy)


# NumPy itself warns that where= without out= leaves uninitialised entries
@pytest.mark.filterwarnings("ignore:'where' used without 'out'")
@pytest.mark.parametrize("name", UNARY)
def test_where_masks_values_and_gradients(name):
    x = np.array([0.5, 1.5, 2.5])
    mask = np.array([True, False, True])
    check_vjp(getattr(mg, name), x, kwargs={"where": mask})
    t = mg.tensor(x)
    getattr(mg, name)(t, where=mask).backward()
    assert t.grad[1] == 0


@pytest.mark.parametrize("name", UNARY)
def test_out_tensor_is_updated_in_place(name):
    x = mg.tensor([0.5, 1.5])
    target = mg.zeros(2)
    result = getattr(mg, name)(x, out=target)
    assert result is target
    np.testing.assert_array_equal(target.data, getattr(np, name)(x.data))
    target.backward()
    expected = mg.tensor([0.5, 1.5])
    getattr(mg, name)(expected).backward()
    np.testing.assert_array_equal(x.grad, expected.grad)


@pytest.mark.parametrize("name", UNARY)
def test_dtype_kwarg_sets_the_result_dtype_not_the_grad_dtype(name):
    x = mg.tensor([0.5, 1.5])
    out = getattr(mg, name)(x, dtype=np.float32)
    assert out.dtype == np.float32
    out.backward()
    assert x.grad.dtype == np.float64


@pytest.mark.parametrize("name", ALL)
def test_constant_inference(name):
    op = getattr(mg, name)
    args = (mg.tensor([1, 2]),) if name in UNARY else (mg.tensor([1, 2]), 1)
    out = op(*args)
    assert out.dtype == np.float64 and out.constant
    assert op(*(mg.tensor(1.0),) * len(args), constant=True).constant
    assert not op(*(mg.tensor(1.0),) * len(args)).constant


@pytest.mark.parametrize("name", ["log", "log2", "log10"])
def test_log_gradient_at_zero_is_inf(name):
    x = mg.tensor([0.0, 1.0])
    with np.errstate(divide="ignore"):
        getattr(mg, name)(x).backward()
    assert np.isposinf(x.grad[0])


@pytest.mark.parametrize(("name", "base_log"), [("logaddexp", 1.0), ("logaddexp2", np.log(2))])
def test_logaddexp_gradients_stay_finite_for_large_inputs(name, base_log):
    x1 = np.array([1000.0, -1000.0, 0.0, 800.0, 3.0])
    x2 = np.array([0.0, 0.0, 1000.0, 800.0, -2.0])
    a, b = mg.tensor(x1), mg.tensor(x2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(mg, name)(a, b).backward()
    # the reference formula d/dx1 = b^(x1 - out), in float64 (stable: x1 <= out)
    out = getattr(np, name)(x1, x2)
    np.testing.assert_allclose(a.grad, np.exp((x1 - out) * base_log), rtol=1e-12)
    np.testing.assert_allclose(b.grad, np.exp((x2 - out) * base_log), rtol=1e-12)


@pytest.mark.parametrize("name", BINARY)
def test_logaddexp_gradient_with_an_infinite_input(name):
    a, b = mg.tensor([np.inf, -np.inf]), mg.tensor([0.0, 0.0])
    getattr(mg, name)(a, b).backward()
    np.testing.assert_array_equal(a.grad, [1.0, 0.0])
    np.testing.assert_array_equal(b.grad, [0.0, 1.0])


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_binary_keeps_low_precision_dtypes(name, dtype):
    a = mg.tensor(np.array([1.0, -2.0], dtype=dtype))
    out = getattr(mg, name)(a, 1.0)
    assert out.dtype == dtype
    out.backward()
    assert a.grad.dtype == dtype
