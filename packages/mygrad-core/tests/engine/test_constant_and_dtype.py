"""Constant inference (api.md S1) and dtype rules (S2 with D1: NumPy 2 weak scalars)."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import mygrad as mg

dtypes = st.sampled_from(
    [np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.bool_]
)
ufunc_names = st.sampled_from(["add", "subtract", "multiply"])


@st.composite
def operands(draw):
    """A Tensor (constant or not), an ndarray, a list or a Python scalar."""
    dtype = draw(dtypes)
    kind = draw(st.sampled_from(["tensor", "ndarray", "list", "scalar"]))
    value = np.ones(2, dtype=dtype)
    if kind == "tensor":
        is_float = np.dtype(dtype).kind == "f"
        constant = draw(st.booleans()) if is_float else True
        return mg.tensor(value, constant=constant)
    if kind == "ndarray":
        return value
    if kind == "list":
        return value.tolist()
    return draw(st.sampled_from([1, 1.0, True]))


@given(ufunc_names, operands(), operands())
def test_output_constant_iff_every_tensor_input_is_constant_or_result_is_integer(name, a, b):
    def dtype_of(x):
        return np.asarray(x.data if isinstance(x, mg.Tensor) else x).dtype

    if name == "subtract" and dtype_of(a) == np.bool_ and dtype_of(b) == np.bool_:
        return  # NumPy refuses boolean subtraction
    out = getattr(mg, name)(a, b)
    any_variable = any(isinstance(x, mg.Tensor) and not x.constant for x in (a, b))
    assert out.constant is (not any_variable or out.dtype.kind != "f")


@given(ufunc_names, operands(), operands())
def test_forward_dtype_is_numpy_dtype_on_the_same_operands(name, a, b):  # D1
    def raw(x):
        return x.data if isinstance(x, mg.Tensor) else (np.asarray(x) if isinstance(x, list) else x)

    try:
        expected = getattr(np, name)(raw(a), raw(b))
    except TypeError:
        return
    assert getattr(mg, name)(a, b).dtype == expected.dtype


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize(
    "expr",
    [lambda t: t * 2.0, lambda t: t + 1, lambda t: t / 2, lambda t: 2.0**t, lambda t: 1 - t],
)
def test_python_scalars_promote_weakly(dtype, expr):  # D1
    t = mg.tensor([1.0, 2.0], dtype=dtype)
    assert expr(t).dtype == dtype


def test_square_and_power_dtypes():
    x32 = mg.tensor([1.0, 2.0], dtype=np.float32)
    assert (x32**2).dtype == np.float32 and (x32**1).dtype == np.float32
    assert (x32**3).dtype == np.float32  # NumPy 2: the Python int is weak
    assert mg.power(x32, np.array(2)).dtype == np.power(x32.data, np.array(2)).dtype


def test_pow_special_cases_use_positive_and_square():
    x = mg.tensor([1.0, 2.0])
    assert (x**2).creator.op.name == "square"
    assert (x**1).creator.op.name == "positive"
    assert (x ** np.array(2.0)).creator.op.name == "square"
    assert (x ** mg.tensor(2.0)).creator.op.name == "power"
    x **= 2
    assert x.creator is not None


def test_examples_from_the_spec():
    assert (mg.tensor(2) * mg.tensor(1.0)).constant is False
    assert (mg.tensor(2.0) * 2).constant is False
    assert mg.add(1.0, 2.0).constant is True
    assert (mg.tensor(1) / mg.tensor(2)).constant is True
    assert (mg.tensor(1) / mg.tensor(2)).dtype == np.float64


def test_no_autodiff_ignores_input_constness():
    with mg.no_autodiff:
        out = mg.tensor(1.0, constant=True) * 2.0
        assert out.constant is False
        assert mg.multiply(mg.tensor(1.0), 2.0, constant=True).constant is True


def test_integer_output_with_constant_false_raises():
    with pytest.raises(ValueError, match="Integer-valued tensors must be treated as constants"):
        mg.add(mg.tensor([1]), 2, constant=False)


@given(st.sampled_from([np.float16, np.float32, np.float64]))
def test_inplace_keeps_target_dtype_and_same_kind_casting(dtype):
    t = mg.tensor([1.0, 2.0], dtype=dtype)
    t += np.array([1.0, 1.0])
    assert t.dtype == dtype
    i = mg.tensor([1, 2])
    with pytest.raises(TypeError):  # numpy's UFuncTypeError under same_kind casting
        i += 1.5


def test_inplace_on_a_fresh_op_result_is_allowed():
    a = mg.tensor([1.0, 2.0])
    b = a + 1.0
    b *= a  # b's array is locked by its own graph: copy-on-write, not "read-only"
    b.backward()
    np.testing.assert_array_equal(a.grad, 2 * a.data + 1)
