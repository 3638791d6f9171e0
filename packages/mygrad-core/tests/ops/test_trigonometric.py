"""sin, cos, tan, arcsin, arccos, arctan, arctan2 (ufuncs) and sinc, cot, csc, sec,
arccot, arccsc, arcsec (plain functions): api.md §2.3."""

from __future__ import annotations

import inspect

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
    "sin": [(-10.0, 10.0)],
    "cos": [(-10.0, 10.0)],
    "tan": [(-1.3, 1.3)],
    "arcsin": [(-0.95, 0.95)],
    "arccos": [(-0.95, 0.95)],
    "arctan": [(-10.0, 10.0)],
}
FUNCTIONS = {
    "sinc": [(-5.0, 5.0)],
    "cot": [(-2.9, -0.2), (0.2, 2.9)],
    "csc": [(-2.9, -0.2), (0.2, 2.9)],
    "sec": [(-1.3, 1.3)],
    "arccot": [(-10.0, -0.1), (0.1, 10.0)],
    "arccsc": [(-10.0, -1.05), (1.05, 10.0)],
    "arcsec": [(-10.0, -1.05), (1.05, 10.0)],
}
# the plain functions' definitions, in NumPy
REFERENCES = {
    "sinc": np.sinc,
    "cot": lambda a: 1 / np.tan(a),
    "csc": lambda a: 1 / np.sin(a),
    "sec": lambda a: 1 / np.cos(a),
    "arccot": lambda a: np.arctan(1 / a),
    "arccsc": lambda a: np.arcsin(1 / a),
    "arcsec": lambda a: np.arccos(1 / a),
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


@SETTINGS
@given(
    hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3).flatmap(
        lambda s: st.tuples(
            arrays([(-10.0, -0.1), (0.1, 10.0)], s.input_shapes[0]),
            arrays([(-10.0, 10.0)], s.input_shapes[1]),
        )
    )
)
def test_arctan2_gradient_matches_finite_differences(pair):
    # x1 != 0 keeps clear of the branch cut (x1 = 0, x2 < 0)
    check_vjp(mg.arctan2, *pair)


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
    if hasattr(np, name):  # np.sinc exists, but mygrad does not claim it
        with pytest.raises(TypeError):
            getattr(np, name)(x)


@pytest.mark.parametrize("name", [*UFUNCS, "arctan2"])
def test_numpy_ufunc_dispatches_to_the_mygrad_op(name):
    x = mg.tensor([0.25, 0.5])
    args = (x, 2.0) if name == "arctan2" else (x,)
    y = getattr(np, name)(*args)
    assert isinstance(y, mg.Tensor) and y.creator is not None
    y.backward()
    via_numpy = x.grad
    getattr(mg, name)(*args).backward()
    np.testing.assert_array_equal(x.grad, via_numpy)


@pytest.mark.parametrize("name", [*UFUNCS, "arctan2"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_ufunc_forward_is_numpy_forward_and_keeps_the_dtype(name, dtype):
    x = np.linspace(-0.9, 0.9, 7).astype(dtype)
    args = (x, (x[::-1] + 0.5).astype(dtype)) if name == "arctan2" else (x,)
    out = getattr(mg, name)(*(mg.tensor(a) for a in args))
    expected = getattr(np, name)(*args)
    assert out.dtype == expected.dtype == dtype
    np.testing.assert_array_equal(out.data, expected)
    out.backward()


@pytest.mark.parametrize("name", ["arcsin", "arccos"])
def test_where_and_out_tensor(name):
    x = np.array([0.1, -0.4, 0.7])
    mask = np.array([True, False, True])
    check_vjp(getattr(mg, name), x, kwargs={"where": mask, "out": np.zeros(3)})
    t, target = mg.tensor(x), mg.zeros(3)
    assert getattr(mg, name)(t, out=target) is target
    target.backward()
    reference = mg.tensor(x)
    getattr(mg, name)(reference).backward()
    np.testing.assert_array_equal(t.grad, reference.grad)


@pytest.mark.parametrize("name", ["arcsin", "arccos", "arccsc", "arcsec"])
def test_gradient_is_zero_where_abs_x_is_one(name):
    x = mg.tensor([-1.0, 1.0, 0.5 if name in ("arcsin", "arccos") else 2.0])
    getattr(mg, name)(x).backward()
    assert x.grad[0] == 0 and x.grad[1] == 0
    assert x.grad[2] != 0


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_arccot_is_half_pi_at_zero(zero):
    x = mg.tensor([zero, 1.0, -1.0])
    out = mg.arccot(x)
    np.testing.assert_array_equal(out.data, [np.pi / 2, np.arctan(1.0), np.arctan(-1.0)])
    out.backward()
    # d(arccot)/dx = -1/(1 + x^2): -1 at 0
    np.testing.assert_allclose(x.grad, -1 / (1 + x.data**2), rtol=1e-15)


def test_sinc_gradient_is_zero_at_zero_and_accurate_near_it():
    x = mg.tensor([0.0, 1e-12, -1e-6, 1e-3, 0.15, 0.16, 0.4])
    mg.sinc(x).backward()
    assert x.grad[0] == 0
    # near 0: d/dx sinc(x) = -(pi^2/3) x (1 - (pi x)^2/10 + ...); the closed form loses
    # every digit at 1e-12, the series keeps them
    y = np.pi * x.data[1:4]
    np.testing.assert_allclose(
        x.grad[1:4], -(np.pi**2 / 3) * x.data[1:4] * (1 - y**2 / 10), rtol=1e-9
    )
    check_vjp(mg.sinc, x.data[3:])


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_sinc_keeps_low_precision_dtypes(dtype):
    x = mg.tensor(np.array([0.0, 0.3, 1.7], dtype=dtype))
    out = mg.sinc(x)
    assert out.dtype == dtype
    out.backward()
    assert x.grad.dtype == dtype and np.all(np.isfinite(x.grad))


def test_arctan2_gradients():
    a, b = mg.tensor([1.0, -2.0]), mg.tensor([3.0, 0.5])
    mg.arctan2(a, b).backward()
    r2 = a.data**2 + b.data**2
    np.testing.assert_allclose(a.grad, b.data / r2, rtol=1e-15)
    np.testing.assert_allclose(b.grad, -a.data / r2, rtol=1e-15)
