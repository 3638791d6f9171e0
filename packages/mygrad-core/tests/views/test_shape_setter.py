"""``x.shape = s`` (api.md §4.2): in place without copying, recorded in the graph, NumPy's
errors, and the views of ``x`` (and ``x`` as a view) keep working."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing import numerical_vjp, shapes, valid_shapes


@st.composite
def reshapes(draw: st.DrawFn) -> tuple[np.ndarray, object]:
    shape = draw(shapes(max_dims=3, min_side=1, max_side=4, max_size=24))
    x = draw(hnp.arrays(np.float64, shape, elements=st.floats(-2, 2)))
    return x, draw(valid_shapes(x.size, min_len=0, max_len=4))


@settings(max_examples=60)
@given(case=reshapes())
def test_setting_the_shape_reshapes_in_place_and_is_differentiable(case):
    array, newshape = case
    x0 = mg.tensor(array)
    x = +x0
    before = x.data
    x.shape = newshape
    expected = array.reshape(newshape)
    np.testing.assert_array_equal(x.data, expected)
    assert np.shares_memory(x.data, before)  # no copy
    g = np.linspace(-1.0, 1.0, x.size).reshape(x.shape)
    (x * x).backward(g)
    (estimate,) = numerical_vjp(lambda a: np.reshape(a, newshape) ** 2, [array], g)
    np.testing.assert_allclose(x0.grad, estimate.value, rtol=1e-6, atol=1e-9)
    assert x.grad.shape == x.shape


def test_setting_the_shape_is_recorded_and_nulls_the_grad():
    x = mg.arange(6.0)
    (x * 1).backward()
    x.shape = (2, 3)
    assert x.grad is None and x.creator is not None
    x.backward(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(x.grad, np.arange(6.0).reshape(2, 3))


def test_errors_are_numpys_and_change_nothing():
    x = mg.arange(6.0)
    y = x * 2
    before, node = y.data, y.creator
    with pytest.raises(ValueError):
        y.shape = (4,)  # wrong size
    t = mg.arange(6.0).reshape(2, 3).T
    with pytest.raises(AttributeError):
        t.shape = (6,)  # needs a copy
    assert y.data is before and y.creator is node and y.shape == (6,)


def test_views_of_a_reshaped_base_keep_their_values_gradients_and_write_through():
    x = mg.arange(12.0)
    v = x[2:10:2]
    x.shape = (3, 4)
    np.testing.assert_array_equal(v.data, [2.0, 4.0, 6.0, 8.0])
    assert v.base is x and np.shares_memory(v.data, x.data)
    v[0] = -1.0  # a view writes into the reshaped base
    assert x.data[0, 2] == -1.0
    x[2] = 0.0  # and the reshaped base into the view
    np.testing.assert_array_equal(v.data, [-1.0, 4.0, 6.0, 0.0])
    (x**2).backward()
    np.testing.assert_array_equal(v.grad, 2 * v.data)
    assert v.grad.base is x.grad


def test_reshaping_a_view_keeps_it_a_view():
    x = mg.arange(12.0)
    v = x[4:]
    v.shape = (2, 4)
    assert v.base is x and np.shares_memory(v.data, x.data)
    v[1] = 0.0
    np.testing.assert_array_equal(x.data[8:], np.zeros(4))
    (x * np.arange(12.0)).backward()
    np.testing.assert_array_equal(v.grad, np.arange(4.0, 12.0).reshape(2, 4))


def test_setting_the_shape_without_tracking_or_of_a_constant():
    with mg.no_autodiff:
        x = mg.arange(6.0)
        x.shape = (3, 2)
    assert x.shape == (3, 2) and x.creator is None
    c = mg.arange(6.0, constant=True)
    y = c * 2  # c's data is locked
    c.shape = (2, 3)
    assert c.shape == (2, 3) and c.creator is None
    del y
    assert c.data.flags.writeable  # the reshaped array is writeable once the lock goes
    c[0, 0] = 5.0
    assert c.data[0, 0] == 5.0


def test_setting_the_same_shape_records_nothing():
    x = mg.arange(4.0)
    x.shape = (4,)
    assert x.creator is None


@pytest.mark.parametrize(
    "make, newshape",
    [
        (lambda: np.arange(6.0), (4,)),  # wrong size: ValueError
        (lambda: np.arange(6.0).reshape(2, 3).T, (6,)),  # needs a copy: AttributeError
        (lambda: np.arange(6.0).reshape(2, 3).T, (3, 2, 1)),  # no copy needed
    ],
)
def test_the_shape_setter_raises_exactly_what_numpy_raises(make, newshape):
    array = make()
    try:
        array.view().shape = newshape
        expected: type[Exception] | None = None
    except (ValueError, AttributeError) as e:
        expected, message = type(e), str(e)
    t = mg.tensor(array)
    t.data = array  # the same layout as NumPy's array (mg.tensor copies to C order)
    if expected is None:
        t.shape = newshape
        assert t.shape == newshape and np.shares_memory(t.data, array)
    else:
        with pytest.raises(expected) as info:
            t.shape = newshape
        assert str(info.value) == message


def test_the_shape_setter_warns_nothing():
    # NumPy 2.5 deprecates assigning ``ndarray.shape`` (a DeprecationWarning): mygrad
    # reshapes without copying instead
    import warnings

    x = mg.arange(6.0)
    y = x[1:5]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x.shape = (2, 3)
        y.shape = (2, 2)
    np.testing.assert_array_equal(y.data, [[1.0, 2.0], [3.0, 4.0]])
