"""The Tensor's own API (api.md section 4) that needs no op beyond arithmetic."""

from __future__ import annotations

import copy
import operator

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import mygrad as mg
from mygrad import Tensor

real_dtypes = st.sampled_from(
    [np.float16, np.float32, np.float64, np.int8, np.int64, np.uint8, np.bool_]
)
arrays = hnp.arrays(real_dtypes, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3))


@given(arrays)
def test_construction_copies_and_infers_constant(arr):
    t = Tensor(arr)
    assert t.data is not arr and np.array_equal(t.data, arr, equal_nan=True)
    assert (
        t.dtype == arr.dtype and t.shape == arr.shape and t.ndim == arr.ndim and t.size == arr.size
    )
    assert t.constant is (arr.dtype.kind != "f")
    assert t.grad is None and t.creator is None and t.base is None


def test_copy_false_wraps_without_copy():
    arr = np.arange(3.0)
    assert Tensor(arr, copy=False).data is arr
    assert mg.astensor(arr).data is arr


def test_dtype_is_keyword_only():
    with pytest.raises(TypeError):
        Tensor([1, 2], float)  # type: ignore[misc]
    assert Tensor([1, 2], dtype=float).dtype == np.float64


@pytest.mark.parametrize(
    "bad",
    [
        np.array([1j]),
        np.array(["a"]),
        np.array([object()]),
        np.array(["2020-01-01"], dtype="M8[D]"),
    ],
)
def test_unsupported_dtypes_raise_type_error(bad):
    with pytest.raises(TypeError, match="floating type, integer type, or boolean type"):
        Tensor(bad)


def test_unsupported_dtypes_allowed_under_no_autodiff():
    with mg.no_autodiff:
        assert Tensor(np.array([1j])).dtype.kind == "c"


@pytest.mark.parametrize("bad", [1, "yes", np.bool_(True), 0.0])
def test_constant_must_be_bool_or_none(bad):
    with pytest.raises(TypeError, match="constant"):
        Tensor([1.0], constant=bad)


@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.bool_])
def test_integer_tensors_must_be_constant(dtype):
    with pytest.raises(ValueError, match="Integer-valued tensors must be treated as constants"):
        Tensor(np.zeros(2, dtype), constant=False)


def test_ndmin():
    assert Tensor(1.0, ndmin=3).shape == (1, 1, 1)
    assert Tensor([1.0], ndmin=-2).shape == (1,)
    with pytest.raises(TypeError):
        Tensor(1.0, ndmin=1.5)  # type: ignore[arg-type]


def test_tensor_of_tensor_is_a_detached_leaf():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    z = Tensor(y)
    assert z.creator is None and not np.shares_memory(z.data, y.data)
    z.backward()
    assert x.grad is None


@given(arrays.filter(lambda a: a.size == 1))
def test_scalar_conversions_of_size_one(arr):
    t = Tensor(arr)
    np.testing.assert_equal(t.item(), arr.item())
    np.testing.assert_equal(float(t), float(arr.item()))
    try:
        expected = int(arr.item())
    except (OverflowError, ValueError) as e:  # inf / nan behave as for Python floats
        with pytest.raises(type(e)):
            int(t)
    else:
        assert int(t) == expected


def test_scalar_conversions_of_other_sizes_raise():
    t = Tensor([1.0, 2.0])
    with pytest.raises(ValueError):
        t.item()
    with pytest.raises(TypeError):
        float(t)
    with pytest.raises(TypeError):
        int(t)


def test_index_only_for_integer_0d():
    assert [10, 20, 30][Tensor(1)] == 20
    with pytest.raises(TypeError):
        operator.index(Tensor(1.0))


def test_truthiness_follows_numpy():  # D2
    assert bool(Tensor(1.0)) and not bool(Tensor(0.0)) and not bool(Tensor([0.0]))
    with pytest.raises(ValueError):
        bool(Tensor([1.0, 2.0]))


def test_len_iter_contains():
    t = Tensor([[1.0, 2.0], [3.0, 4.0]])
    assert len(t) == 2
    rows = list(t)
    assert all(isinstance(r, Tensor) for r in rows) and np.array_equal(rows[1].data, [3.0, 4.0])
    assert 3.0 in t and 5.0 not in t
    with pytest.raises(TypeError):
        len(Tensor(1.0))
    with pytest.raises(TypeError, match="0-d"):
        iter(Tensor(1.0))


def test_iteration_is_differentiable():
    x = mg.tensor([1.0, 2.0, 3.0])
    total = mg.add_sequence(*[r * r for r in x])
    total.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])


@given(arrays)
def test_repr_is_numpy_repr_with_tensor(arr):
    text = repr(Tensor(arr))
    assert text.startswith("Tensor(") and text == str(Tensor(arr))
    assert text.replace("\n ", "\n")[6:] == repr(arr)[5:]


def test_array_protocol_does_not_copy():
    t = Tensor([1.0, 2.0])
    assert np.asarray(t) is t.data
    assert mg.asarray(t) is t.data
    assert np.asarray(t, dtype=np.float32).dtype == np.float32


def test_comparisons_return_arrays():
    t = Tensor([1.0, 2.0, 3.0])
    for result in (t == 2.0, t != 2.0, t < 2.0, t <= 2.0, t > 2.0, t >= 2.0, t == Tensor(2.0)):
        assert type(result) is np.ndarray and result.dtype == bool
    np.testing.assert_array_equal(t == None, [False, False, False])  # noqa: E711
    assert type(Tensor(1.0) == 1.0) is np.bool_


def test_tensors_are_unhashable():
    with pytest.raises(TypeError):
        hash(Tensor(1.0))


@pytest.mark.parametrize(
    "expr",
    [
        abs,
        lambda t: t % 2,
        lambda t: divmod(t, 2),
        operator.invert,
        lambda t: t & t,
        lambda t: t << 1,
    ],
)
def test_absent_dunders_raise_type_error(expr):
    with pytest.raises(TypeError):
        expr(Tensor([1, 2]) if expr in (operator.invert,) else Tensor([1.0, 2.0]))


def test_imatmul_is_not_supported():
    t = Tensor([[1.0]])
    with pytest.raises(TypeError, match="In-place matrix multiplication"):
        t @= t


def test_floordiv_constant_only():
    assert type(Tensor([3.0], constant=True) // 2) is np.ndarray
    with pytest.raises(ValueError, match="cannot involve non-constant mygrad tensors"):
        Tensor([3.0]) // 2


def test_copy_duplicates_data_and_grad():
    x = mg.tensor([1.0, 2.0])
    (x * x).backward()
    c = x.copy()
    assert c.creator is None and c.constant is False
    assert not np.shares_memory(c.data, x.data) and not np.shares_memory(c.grad, x.grad)
    np.testing.assert_array_equal(c.grad, x.grad)
    assert x.copy(constant=True).constant is True
    assert copy.copy(x).grad is not None and copy.deepcopy(x).grad is not None


def test_astype_is_a_new_leaf_with_constant_from_dtype():
    c = mg.tensor([1.0, 2.0], constant=True)
    d = c.astype(np.float32)
    assert d.dtype == np.float32 and d.constant is False and d.creator is None
    assert c.astype(np.float64, copy=False) is c
    assert c.astype(np.int64).constant is True


def test_null_grad_returns_self_and_null_gradients_warns():
    x = mg.tensor([1.0])
    (x * 2).backward()
    assert x.null_grad() is x and x.grad is None
    with pytest.warns(FutureWarning):
        assert x.null_gradients() is None


def test_subclass_operators_keep_type():
    class MyT(Tensor):
        pass

    m = MyT([1.0, 2.0])
    assert type(m * 2) is MyT and type(m[0]) is MyT and type(-m) is MyT
    assert type(mg.tensor(1.0) * m) is Tensor
    assert type(mg.add(m, 2)) is Tensor
