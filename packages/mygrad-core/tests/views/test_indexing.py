"""``__getitem__`` and ``__setitem__`` with every NumPy index form (api.md §4.4, §S5, §S6).

NumPy is the reference for values and for whether a result is a view; gradients are
checked against finite differences of the same NumPy expression.
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing import arbitrary_indices, basic_indices, numerical_vjp, shapes


def _root(t: mg.Tensor) -> mg.Tensor:
    return t.base if t.base is not None else t


def _is_numpy_view(result: np.ndarray, array: np.ndarray) -> bool:
    """Whether NumPy made ``result`` a view of ``array`` (an empty view shares no memory)."""
    if result.size:
        return bool(np.shares_memory(result, array))
    return result.base is not None and (result.base is array or result.base is array.base)


def _numpy_setitem(x: np.ndarray, value: np.ndarray, index: Any) -> np.ndarray:
    out = np.array(x, copy=True)  # the oracle may pass a 0-d input as a NumPy scalar
    out[index] = value
    return out


@st.composite
def arrays_and_indices(draw: st.DrawFn, index_strategy: Any = arbitrary_indices) -> tuple:
    shape = draw(shapes(max_dims=4, max_side=4, max_size=32))
    array = draw(hnp.arrays(np.float64, shape, elements=st.floats(-10, 10)))
    return array, draw(index_strategy(shape))


@settings(max_examples=100)
@given(case=arrays_and_indices(), as_view=st.booleans())
def test_getitem_is_numpy_indexing_and_a_view_exactly_when_numpy_gives_one(case, as_view):
    array, index = case
    expected = array[index]
    numpy_view = _is_numpy_view(expected, array)
    # sometimes index a view of a bigger tensor: the result's base is still the root
    outer = mg.tensor(np.stack([array, array]))
    x = outer[1] if as_view else mg.tensor(array)
    out = x[index]
    np.testing.assert_array_equal(out.data, expected)
    assert out.dtype == expected.dtype
    assert _is_numpy_view(out.data, x.data) == numpy_view
    assert (out.base is _root(x)) == numpy_view


@settings(max_examples=60)
@given(case=arrays_and_indices(), data=st.data())
def test_getitem_gradient_matches_finite_differences(case, data):
    array, index = case
    x = mg.tensor(array)
    out = x[index]
    g = data.draw(hnp.arrays(np.float64, out.shape, elements=st.floats(-2, 2)))
    out.backward(g)
    (estimate,) = numerical_vjp(lambda a: a[index], [array], g)
    np.testing.assert_allclose(x.grad, estimate.value, rtol=1e-6, atol=1e-9)


def test_repeated_integer_indices_accumulate():
    x = mg.arange(4.0)
    x[[0, 0, 1]].backward()
    np.testing.assert_array_equal(x.grad, [2.0, 1.0, 0.0, 0.0])


@pytest.mark.parametrize(
    "index",
    [
        mg.tensor([0, 2, 2]),
        mg.tensor([True, False, True, True]),
        (mg.tensor(1),),
        (Ellipsis, mg.tensor([[3], [0]])),
    ],
    ids=["int", "bool", "0-d int", "with-ellipsis"],
)
def test_integer_and_boolean_tensors_index_like_their_arrays(index):
    plain = (
        tuple(i.data if isinstance(i, mg.Tensor) else i for i in index)
        if isinstance(index, tuple)
        else index.data
    )
    array = np.arange(4.0) * 1.5
    x = mg.tensor(array)
    out = x[index]
    np.testing.assert_array_equal(out.data, array[plain])
    out.backward()
    expected = np.zeros(4)
    np.add.at(expected, plain, 1.0)
    np.testing.assert_array_equal(x.grad, expected)


def test_float_tensor_index_raises_index_error():
    x = mg.arange(4.0)
    with pytest.raises(IndexError):
        x[mg.tensor([0.0, 1.0])]
    with pytest.raises(IndexError):
        x[mg.tensor([0.0])] = 1.0


@st.composite
def setitem_cases(draw: st.DrawFn) -> tuple:
    array, index = draw(arrays_and_indices())
    region = array[index].shape
    # the value broadcasts to the region: drop leading dims, squash sides to 1
    kept = region[draw(st.integers(0, len(region))) :]
    value_shape = tuple(1 if draw(st.booleans()) else n for n in kept)
    value = draw(hnp.arrays(np.float64, value_shape, elements=st.floats(-10, 10)))
    return array, index, value


@settings(max_examples=100)
@given(case=setitem_cases(), data=st.data())
def test_setitem_values_and_gradients_match_numpy(case, data):
    array, index, value = case
    x0 = mg.tensor(array)
    x = +x0
    v = mg.tensor(value)
    x[index] = v
    expected = _numpy_setitem(array, value, index)
    np.testing.assert_array_equal(x.data, expected)
    g = data.draw(hnp.arrays(np.float64, expected.shape, elements=st.floats(-2, 2)))
    x.backward(g)
    # duplicate indices: NumPy's last write wins, and so does the gradient
    est_x, est_v = numerical_vjp(lambda a, b: _numpy_setitem(a, b, index), [array, value], g)
    np.testing.assert_allclose(x0.grad, est_x.value, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(v.grad, est_v.value, rtol=1e-6, atol=1e-9)


@settings(max_examples=50)
@given(case=arrays_and_indices(basic_indices), write_root=st.booleans())
def test_writes_through_basic_index_views_reach_the_base_and_back(case, write_root):
    array, index = case
    np_base = array.copy()
    np_view = np.asarray(np_base[index])  # NumPy gives a copy for an all-int index
    base = mg.tensor(array)
    view = base[index]
    (np_base if write_root else np_view)[...] = -7.0
    (base if write_root else view)[...] = -7.0
    np.testing.assert_array_equal(base.data, np_base)
    np.testing.assert_array_equal(view.data, np_view)


def test_duplicate_indices_last_write_wins_for_the_gradient():
    x = mg.zeros(3)
    v = mg.tensor([1.0, 2.0, 3.0])
    x[[0, 0, 2]] = v
    np.testing.assert_array_equal(x.data, [2.0, 0.0, 3.0])
    x.backward([10.0, 20.0, 30.0])
    np.testing.assert_array_equal(v.grad, [0.0, 10.0, 30.0])


@pytest.mark.parametrize(
    ("dtype", "value"), [(np.int64, 2.7), (np.int32, -1.9), (np.float32, 1 / 3), (np.bool_, 2.0)]
)
def test_setitem_casts_values_as_numpy_does(dtype, value):
    array = np.arange(4).astype(dtype)
    x = mg.tensor(array)
    x[1:3] = value
    array[1:3] = value
    np.testing.assert_array_equal(x.data, array)
    assert x.dtype == array.dtype


def test_setitem_gradient_to_a_value_of_another_dtype_has_its_dtype():
    x = mg.zeros(3, dtype=np.float32)
    v = mg.tensor(1.5)  # float64, broadcast over the region
    x[:2] = v
    x.backward()
    assert v.grad.dtype == np.float64 and v.grad == 2.0


@pytest.mark.parametrize(
    ("index", "value", "error"),
    [((slice(None), 0), [1.0, 2.0], ValueError), (5, 1.0, IndexError), (0.5, 1.0, IndexError)],
)
def test_failing_setitem_changes_nothing(index, value, error):
    x = mg.tensor(np.arange(6.0).reshape(3, 2))
    y = +x
    view = y[1:]
    before, node = y.data, y.creator
    with pytest.raises(error):
        y[index] = value
    assert y.data is before and y.creator is node and view.base is y
    (view * 2).backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 0.0], [2.0, 2.0], [2.0, 2.0]])


def test_setitem_with_a_variable_value_on_a_constant_target_keeps_it_constant():
    # MyGrad 2.x: the target's constant flag decides; no gradient reaches the value
    x = mg.tensor([1.0, 2.0, 3.0], constant=True)
    v = mg.tensor([5.0])
    x[1:2] = v
    assert x.constant and x.creator is None
    np.testing.assert_array_equal(x.data, [1.0, 5.0, 3.0])


@pytest.mark.parametrize(
    "index", [slice(0, 0), (slice(None), slice(2, 2)), (Ellipsis, None, slice(1, 1))]
)
def test_an_empty_basic_index_is_a_view_as_in_numpy(index):
    x = mg.arange(6.0).reshape(2, 3)
    root = x.base
    assert np.arange(6.0).reshape(2, 3)[index].base is not None  # NumPy: a view
    out = x[index]
    assert out.size == 0 and out.base is root
    out[...] = 1.0  # writes nothing, through the view
    np.testing.assert_array_equal(x.data, np.arange(6.0).reshape(2, 3))
    y = mg.arange(3.0)
    assert y[0:0].base is y and y[[]].base is None  # advanced indexing copies
