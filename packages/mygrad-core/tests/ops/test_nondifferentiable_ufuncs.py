"""NumPy's boolean and constant-only ufuncs applied to tensors (api.md §2.8, §6.1)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg

SETTINGS = settings(max_examples=30, deadline=None)

BOOLEAN = [
    np.isnan,
    np.isfinite,
    np.isinf,
    np.signbit,
    np.logical_not,
    np.logical_and,
    np.logical_or,
    np.logical_xor,
    np.greater,
    np.greater_equal,
    np.less,
    np.less_equal,
    np.equal,
    np.not_equal,
]
CONSTANT_ONLY = [
    np.floor_divide,
    np.remainder,
    np.fmod,
    np.divmod,
    np.rint,
    np.sign,
    np.floor,
    np.ceil,
    np.trunc,
]
values = st.one_of(
    st.floats(-5, 5, allow_subnormal=False),
    st.sampled_from([0.0, -0.0, np.inf, -np.inf, np.nan, 2.5, -1.5]),
)


def operands(ufunc):
    shapes = hnp.mutually_broadcastable_shapes(num_shapes=ufunc.nin, max_dims=2, max_side=3)
    return shapes.flatmap(
        lambda s: st.tuples(*(hnp.arrays(np.float64, sh, elements=values) for sh in s.input_shapes))
    )


def assert_same_result(got, expected):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_same_result(g, e)
        return
    assert not isinstance(got, mg.Tensor)
    assert type(got) is type(expected)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("ufunc", BOOLEAN, ids=lambda u: u.__name__)
@SETTINGS
@given(data=st.data())
def test_boolean_ufuncs_run_on_the_arrays_of_any_tensors(ufunc, data):
    arrays = data.draw(operands(ufunc))
    tensors = [mg.tensor(a, constant=c) for a, c in zip(arrays, [False, True])]
    with np.errstate(invalid="ignore"):
        assert_same_result(ufunc(*tensors), ufunc(*arrays))
    assert all(t.grad is None and t.creator is None for t in tensors)


def test_isnat_refuses_float_tensors_like_numpy_refuses_float_arrays():
    with pytest.raises(TypeError) as numpy_error:
        np.isnat(np.array([1.0]))
    with pytest.raises(TypeError, match=str(numpy_error.value)[:20]):
        np.isnat(mg.tensor([1.0]))


def test_comparison_with_an_out_array():
    x = mg.tensor([1.0, 3.0])
    dest = np.zeros(2, dtype=bool)
    result = np.greater(x, 2.0, out=dest)
    assert result is dest
    np.testing.assert_array_equal(dest, [False, True])


@pytest.mark.parametrize("ufunc", CONSTANT_ONLY, ids=lambda u: u.__name__)
@SETTINGS
@given(data=st.data())
def test_constant_only_ufuncs_work_on_constant_tensors(ufunc, data):
    arrays = data.draw(operands(ufunc))
    tensors = [mg.tensor(a, constant=True) for a in arrays]
    with np.errstate(all="ignore"):
        assert_same_result(ufunc(*tensors), ufunc(*arrays))


@pytest.mark.parametrize("ufunc", CONSTANT_ONLY, ids=lambda u: u.__name__)
@pytest.mark.parametrize("variable_at", [0, -1])
def test_constant_only_ufuncs_refuse_variable_tensors(ufunc, variable_at):
    args = [mg.tensor([1.5, -2.5], constant=True) for _ in range(ufunc.nin)]
    args[variable_at] = mg.tensor([1.5, -2.5])
    with pytest.raises(ValueError, match=f"{ufunc!r} cannot involve non-constant mygrad tensors"):
        ufunc(*args)


def test_constant_only_ufunc_refuses_a_variable_out_tensor():
    with pytest.raises(ValueError, match="cannot involve non-constant mygrad tensors"):
        np.floor(np.array([1.5]), out=mg.tensor([0.0]))


def test_mod_is_remainder_and_integer_tensors_are_constant():
    assert np.mod is np.remainder
    x = mg.tensor([7, -7])
    np.testing.assert_array_equal(np.mod(x, 3), np.mod(x.data, 3))
    quotient, remainder = np.divmod(x, 3)
    np.testing.assert_array_equal(quotient, np.floor_divide(x.data, 3))
    np.testing.assert_array_equal(remainder, np.remainder(x.data, 3))


def test_floor_division_operator():
    data = np.array([7.0, -7.0])
    assert_same_result(mg.tensor(data, constant=True) // 2, data // 2)
    assert_same_result(2 // mg.tensor(data, constant=True), 2 // data)
    with pytest.raises(ValueError, match="cannot involve non-constant mygrad tensors"):
        mg.tensor([7.0, -7.0]) // 2


@pytest.mark.parametrize("ufunc", [np.fabs, np.hypot, np.deg2rad, np.heaviside, np.fmax])
def test_unregistered_ufuncs_are_refused(ufunc):
    with pytest.raises(TypeError):
        ufunc(*[mg.tensor([1.0, 2.0])] * ufunc.nin)
