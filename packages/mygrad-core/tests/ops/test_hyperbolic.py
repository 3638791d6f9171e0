"""sinh, cosh, tanh, arcsinh, arccosh, arctanh (ufuncs) and csch, sech, coth, arccsch,
arccoth (plain functions): api.md §2.4."""

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

# each op and the intervals (one is drawn) where it is smooth
UFUNCS = {
    "sinh": [(-10.0, 10.0)],
    "cosh": [(-10.0, 10.0)],
    "tanh": [(-10.0, 10.0)],
    "arcsinh": [(-10.0, 10.0)],
    "arccosh": [(1.05, 10.0)],
    "arctanh": [(-0.95, 0.95)],
}
FUNCTIONS = {
    "csch": [(-5.0, -0.1), (0.1, 5.0)],
    "sech": [(-10.0, 10.0)],
    "coth": [(-5.0, -0.1), (0.1, 5.0)],
    "arccsch": [(-10.0, -0.1), (0.1, 10.0)],
    "arccoth": [(-10.0, -1.05), (1.05, 10.0)],
}
# the plain functions' definitions, in NumPy
REFERENCES = {
    "csch": lambda a: 1 / np.sinh(a),
    "sech": lambda a: 1 / np.cosh(a),
    "coth": lambda a: 1 / np.tanh(a),
    "arccsch": lambda a: np.arcsinh(1 / a),
    "arccoth": lambda a: np.arctanh(1 / a),
}


def arrays(intervals, shape=SHAPES):
    elements = st.one_of(
        *(st.floats(lo, hi, allow_nan=False, allow_subnormal=False) for lo, hi in intervals)
    )
    return hnp.arrays(np.float64, shape, elements=elements)


@pytest.mark.parametrize("name", [*UFUNCS, *FUNCTIONS])
@SETTINGS
@given(data=st.data())
def test_gradient_matches_finite_differences(name, data):
    check_vjp(getattr(mg, name), data.draw(arrays({**UFUNCS, **FUNCTIONS}[name])))


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_function_values_match_their_definition(name, dtype):
    lo, hi = FUNCTIONS[name][-1]
    x = np.linspace(lo, hi, 9).astype(dtype)
    out = getattr(mg, name)(x)
    expected = REFERENCES[name](x)
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-6 if dtype == np.float32 else 1e-14)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_functions_are_plain_functions_without_numpy_dispatch(name):
    fn = getattr(mg, name)
    assert list(inspect.signature(fn).parameters) == ["a", "constant"]
    assert not isinstance(fn, type)
    x = mg.tensor([2.0])
    assert fn(x, constant=True).constant and not fn(x).constant
    with pytest.raises(TypeError):
        fn(x, out=None)


@pytest.mark.parametrize("name", UFUNCS)
def test_numpy_ufunc_dispatches_to_the_mygrad_op(name):
    x = mg.tensor([1.25, 1.5]) if name == "arccosh" else mg.tensor([0.25, 0.5])
    y = getattr(np, name)(x)
    assert isinstance(y, mg.Tensor) and y.creator is not None
    y.backward()
    via_numpy = x.grad
    getattr(mg, name)(x).backward()
    np.testing.assert_array_equal(x.grad, via_numpy)


@pytest.mark.parametrize("name", UFUNCS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_ufunc_forward_is_numpy_forward_and_keeps_the_dtype(name, dtype):
    lo, hi = UFUNCS[name][0]
    x = np.linspace(lo, hi, 7).astype(dtype)
    t = mg.tensor(x)
    out = getattr(mg, name)(t)
    expected = getattr(np, name)(x)
    assert out.dtype == expected.dtype == dtype
    np.testing.assert_array_equal(out.data, expected)
    out.backward()
    assert t.grad.dtype == dtype


@pytest.mark.parametrize("name", UFUNCS)
def test_where_and_out(name):
    x = np.array([1.2, 1.5, 1.9]) if name == "arccosh" else np.array([0.1, -0.4, 0.7])
    check_vjp(
        getattr(mg, name), x, kwargs={"where": np.array([True, False, True]), "out": np.zeros(3)}
    )


def test_tanh_gradient_is_accurate_and_quiet_for_large_inputs():
    x = mg.tensor([0.0, 0.5, -3.0, 20.0, -40.0, 400.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mg.tanh(x).backward()
    # sech^2 x, evaluated through 1/cosh where cosh is finite
    np.testing.assert_allclose(x.grad[:5], 1 / np.cosh(x.data[:5]) ** 2, rtol=1e-13)
    assert x.grad[5] == 0


def test_arcsinh_gradient_does_not_overflow():
    x = mg.tensor([1e200, -1e200])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mg.arcsinh(x).backward()
    np.testing.assert_allclose(x.grad, 1 / np.abs(x.data), rtol=1e-15)


def test_csch_and_sech_gradients_stay_finite_where_sinh_and_cosh_overflow():
    x = mg.tensor([800.0, -800.0])
    with np.errstate(over="ignore"):
        mg.csch(x).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    y = mg.tensor([800.0, -800.0])
    with np.errstate(over="ignore"):
        mg.sech(y).backward()
    np.testing.assert_array_equal(y.grad, [0.0, 0.0])
