"""Meta-tests of the call strategies (kwargs, constant args, bad inputs, ufunc calls), of
the type registrations, and of the checkers that encode api.md's constant/dtype rules."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import mygrad as mg
import mygrad.typing as mg_typing
from mygrad.testing.checkers import check_consistent_grad_dtype, expected_constant, is_float_arr
from mygrad.testing.strategies import (
    NO_VALUE,
    array_likes,
    everything_except,
    kwargs,
    no_value,
    populates_ufunc,
    tensors,
    valid_constant_arg,
)

FEW = settings(deadline=None, max_examples=100)


@FEW
@given(kw=kwargs(axis=st.integers(0, 2) | no_value(), keepdims=st.booleans()))
def test_kwargs_leave_keys_out_and_never_pass_no_value(kw):
    assert set(kw) <= {"axis", "keepdims"}
    assert NO_VALUE not in kw.values()


@FEW
@given(dtype=st.sampled_from([np.float16, np.float64, np.int8, bool]), data=st.data())
def test_valid_constant_arg_is_accepted_by_mygrad(dtype, data):
    constant = data.draw(valid_constant_arg(dtype))
    out = mg.add(np.zeros(2, dtype=dtype), np.zeros(2, dtype=dtype), constant=constant)
    assert out.constant == expected_constant(dest_dtype=out.dtype, constant=constant)


@FEW
@given(value=everything_except(int, (float, str)))
def test_everything_except_excludes_the_types(value):
    assert not isinstance(value, (int, float, str))


@pytest.mark.parametrize(
    "ufunc, options",
    [
        (mg.add, {}),
        (mg.multiply, {"include_out": True, "include_dtype": True}),
        (mg.subtract, {"use_ufunc_signature": True, "layout": "any"}),
        (np.divide, {"tensor_only": True, "include_where": False}),
    ],
)
@FEW
@given(data=st.data())
def test_populates_ufunc_draws_calls_mygrad_accepts(ufunc, options, data):
    elements = {1: st.floats(0.5, 2.0)} if ufunc is np.divide else None
    args, kw = data.draw(populates_ufunc(ufunc, elements, **options))
    assert isinstance(args[0], mg.Tensor) and len(args) == 2
    if options.get("tensor_only"):
        assert all(isinstance(a, mg.Tensor) for a in args)
    if not options.get("include_out"):
        assert "out" not in kw
    mg_ufunc = getattr(mg, ufunc.__name__)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `where` without `out` leaves memory uninitialised
        out = mg_ufunc(*args, **kw)
    assert isinstance(out, mg.Tensor)
    if isinstance(kw.get("out"), mg.Tensor):
        assert out is kw["out"]


def test_typing_placeholders_have_registered_strategies():
    @settings(deadline=None, max_examples=30, database=None)
    @given(shape=st.from_type(mg_typing.Shape), dtype=st.from_type(mg_typing.DTypeLikeReals))
    def draw(shape, dtype):
        assert isinstance(shape, tuple) and all(isinstance(n, int) for n in shape)
        np.zeros(shape, dtype=dtype)

    draw()


def _operand(kind: str, value: np.ndarray):
    if kind == "variable":
        return mg.tensor(value, constant=value.dtype.kind != "f")
    if kind == "constant":
        return mg.tensor(value, constant=True)
    return value


@FEW
@given(
    kinds=st.tuples(*[st.sampled_from(["variable", "constant", "array"])] * 2),
    dtypes=st.tuples(*[st.sampled_from([np.float32, np.float64, np.int32])] * 2),
    constant=st.sampled_from([None, True, False]),
)
def test_expected_constant_agrees_with_mygrad(kinds, dtypes, constant):
    args = [_operand(k, np.ones(2, dtype=d)) for k, d in zip(kinds, dtypes)]
    dest = np.result_type(*dtypes)
    try:
        expected = expected_constant(*args, dest_dtype=dest, constant=constant)
    except ValueError:
        with pytest.raises(ValueError):
            mg.multiply(*args, constant=constant)
        return
    assert mg.multiply(*args, constant=constant).constant is expected
    # sequence ops pass their tensors as one list
    assert expected_constant(args, dest_dtype=dest, constant=constant) is expected


@FEW
@given(t=tensors(dtype=st.sampled_from([np.float16, np.float32]), constant=False))
def test_grads_keep_their_tensors_dtype(t):
    (t.astype(np.float64) * 2).backward()  # astype makes a new leaf: t gets no grad
    (mg.multiply(t, np.float64(2.0)) * 1).backward()
    check_consistent_grad_dtype(t)
    assert t.grad is not None


def test_check_consistent_grad_dtype_fires_on_a_wrong_grad():
    class WrongGrad(mg.Tensor):
        @property
        def grad(self):
            return np.zeros(self.shape, dtype=np.float16)

    with pytest.raises(AssertionError, match="grad dtype float16"):
        check_consistent_grad_dtype(WrongGrad(np.ones(2)))
    with pytest.raises(AssertionError, match="constant but has a grad"):
        check_consistent_grad_dtype(WrongGrad(np.ones(2), constant=True))


@FEW
@given(x=array_likes(dtype=st.sampled_from([float, int, np.float32, np.int8])))
def test_is_float_arr(x):
    assert is_float_arr(x) == (np.asarray(x).dtype.kind == "f")
    assert is_float_arr(mg.tensor(x)) == (np.asarray(x).dtype.kind == "f")


@pytest.mark.parametrize(
    "make, bad",
    [
        (lambda: kwargs(axis=3), "axis=3"),
        (lambda: valid_constant_arg("nope"), "dtype='nope'"),
        (lambda: everything_except(3), "3"),
        (lambda: everything_except(object), "leaves no value"),
        (lambda: populates_ufunc(np.sum), "ufunc=<function sum"),
        (lambda: populates_ufunc(mg.add, {2: st.just(1.0)}), "key 2"),
        (lambda: populates_ufunc(mg.add, include_where="yes"), "include_where='yes'"),
    ],
)
def test_bad_arguments_raise_invalid_argument_naming_the_value(make, bad):
    with pytest.raises(InvalidArgument) as info:
        make()
    assert bad in str(info.value)
