"""concatenate, stack, repeat: NumPy parity, always copies, exact VJPs, ``out=`` as an
ndarray or a Tensor (in place), and zero gradients for entries repeated zero times."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.hints.manipulation import (
    concatenate_axes,
    join_shapes,
    repeat_params,
    stack_axes,
)
from mygrad.testing.oracles import check_vjp

FLOATS = st.sampled_from([np.float64, np.float32, np.float16])


def values(shape, dtype):
    return hnp.arrays(dtype, shape, elements=st.floats(-10, 10, width=16))


@st.composite
def join_calls(draw, stacking: bool):
    shapes = draw(join_shapes())
    if stacking:
        shapes = (shapes[0],) * len(shapes)
    dtype = draw(FLOATS)
    xs = [draw(values(s, dtype)) for s in shapes]
    axis = draw(stack_axes(shapes) if stacking else concatenate_axes(shapes))
    return xs, axis


def _concatenate(*xs, **kw):
    return mg.concatenate(list(xs), **kw)


def _stack(*xs, **kw):
    return mg.stack(list(xs), **kw)


@pytest.mark.parametrize("name", ["concatenate", "stack"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_join_matches_numpy_and_never_shares_memory(name, data):
    xs, axis = data.draw(join_calls(stacking=name == "stack"))
    tensors = [mg.tensor(x) for x in xs]
    out = getattr(mg, name)(tensors, axis=axis)
    expected = getattr(np, name)(xs, axis=axis)
    np.testing.assert_array_equal(out.data, expected)
    assert out.shape == expected.shape and out.dtype == expected.dtype
    assert out.base is None
    assert not any(np.shares_memory(out.data, t.data) for t in tensors)
    via_numpy = getattr(np, name)(tensors, axis=axis)
    assert isinstance(via_numpy, mg.Tensor)
    np.testing.assert_array_equal(via_numpy.data, expected)


@pytest.mark.parametrize("name", ["concatenate", "stack"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_join_vjp(name, data):
    xs, axis = data.draw(join_calls(stacking=name == "stack"))
    fn = _concatenate if name == "concatenate" else _stack
    check_vjp(fn, *[x.astype(np.float64) for x in xs], kwargs={"axis": axis})


def test_concatenate_axis_none_flattens_and_mixes_constants():
    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    c = mg.tensor([5.0], constant=True)
    out = mg.concatenate([x, c, [6.0, 7.0]], axis=None)
    np.testing.assert_array_equal(out.data, [1, 2, 3, 4, 5, 6, 7])
    out.backward(np.arange(7.0))
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0], [2.0, 3.0]])
    assert c.grad is None


def test_concatenate_dtype_and_its_errors():
    x = mg.tensor([1.0, 2.0])
    out = mg.concatenate([x, x], dtype=np.float32)
    assert out.dtype == np.float32 and not out.constant
    out.backward()
    assert x.grad.dtype == np.float64
    with pytest.raises(TypeError):  # NumPy's same_kind casting
        mg.concatenate([x, x], dtype=int)
    with pytest.raises(TypeError, match="not both"):
        mg.concatenate([x, x], out=np.zeros(4), dtype=float)
    with pytest.raises(ValueError):
        mg.concatenate([x, mg.zeros((2, 2))])
    with pytest.raises(ValueError):
        mg.concatenate([])
    with pytest.raises(TypeError):
        np.concatenate([x, x], casting="unsafe")


@pytest.mark.parametrize("name", ["concatenate", "stack"])
def test_join_into_an_ndarray_wraps_it(name):
    x = mg.tensor([1.0, 2.0])
    out_array = np.zeros((4,) if name == "concatenate" else (2, 2))
    out = getattr(mg, name)([x, 2 * x], out=out_array)
    assert out.data is out_array
    np.testing.assert_array_equal(out_array.ravel(), [1.0, 2.0, 2.0, 4.0])
    out.backward(np.ones(out_array.shape))
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])
    with pytest.raises(ValueError, match="read-only"):
        getattr(mg, name)([x, x], out=_read_only(out_array.shape))


def _read_only(shape):
    a = np.zeros(shape)
    a.flags.writeable = False
    return a


@pytest.mark.parametrize("name", ["concatenate", "stack"])
def test_join_into_a_tensor_is_an_inplace_update(name):
    x = mg.tensor([1.0, 2.0])
    y = mg.tensor([3.0, 4.0])
    target = mg.zeros((4,) if name == "concatenate" else (2, 2))
    before = target.data
    kept = target * 1  # uses the old value
    result = getattr(mg, name)([x, y], out=target)
    assert result is target and target.data is not before
    np.testing.assert_array_equal(target.data.ravel(), [1.0, 2.0, 3.0, 4.0])
    (target * np.arange(4.0).reshape(target.shape)).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0])
    np.testing.assert_array_equal(y.grad, [2.0, 3.0])
    np.testing.assert_array_equal(kept.data, np.zeros(target.shape))


def test_join_into_a_view_writes_back_to_its_base():
    base = mg.zeros((2, 3))
    x = mg.tensor([1.0, 2.0, 3.0])
    mg.stack([x], out=base[1:])
    np.testing.assert_array_equal(base.data, [[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    (base * 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])


def test_join_into_a_tensor_under_no_autodiff_writes_its_array():
    target = mg.zeros(4)
    data = target.data
    with mg.no_autodiff:
        mg.concatenate([[1.0, 2.0], [3.0, 4.0]], out=target)
    assert target.data is data
    np.testing.assert_array_equal(data, [1.0, 2.0, 3.0, 4.0])


def test_join_accepts_a_tensor_as_the_sequence():
    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = mg.concatenate(x)
    np.testing.assert_array_equal(out.data, [1.0, 2.0, 3.0, 4.0])
    out.backward(np.arange(4.0))
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0], [2.0, 3.0]])


@st.composite
def repeat_calls(draw):
    dtype = draw(FLOATS)
    x = draw(values(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3), dtype))
    return x, draw(repeat_params(x.shape))


@settings(max_examples=80, deadline=None)
@given(call=repeat_calls())
def test_repeat_matches_numpy_copies_and_has_exact_vjp(call):
    x, kw = call
    t = mg.tensor(x)
    out = mg.repeat(t, **kw)
    expected = np.repeat(x, **kw)
    np.testing.assert_array_equal(out.data, expected)
    assert out.shape == expected.shape and out.base is None
    assert not np.shares_memory(out.data, t.data)
    assert isinstance(np.repeat(t, **kw), mg.Tensor)
    check_vjp(mg.repeat, x.astype(np.float64), kwargs=kw)


def test_repeat_zero_times_gives_zero_gradient():
    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = mg.repeat(x, 0)
    assert out.shape == (0,)
    out.backward()
    np.testing.assert_array_equal(x.grad, np.zeros((2, 2)))

    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = mg.repeat(x, [2, 0], axis=0)
    (out * [[1.0, 2.0], [3.0, 4.0]]).sum().backward()
    np.testing.assert_array_equal(x.grad, [[4.0, 6.0], [0.0, 0.0]])


def test_repeat_errors():
    with pytest.raises(ValueError):
        mg.repeat(mg.zeros(3), -1)
    with pytest.raises(ValueError):
        mg.repeat(mg.zeros(3), [1, 2], axis=0)


@pytest.mark.parametrize("name", ["concatenate", "stack"])
def test_join_into_a_tensor_keeps_views_of_a_fortran_ordered_target_views(name):
    # the view's chain (.T then a flattening reshape) is a view only of an F-ordered array:
    # the update must keep the target's memory layout for it to stay one
    target = mg.astensor(np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    view = target.T.reshape(-1)
    rows = [np.full(3, 1.0), np.full(3, 2.0)]
    getattr(mg, name)([r[None] for r in rows] if name == "concatenate" else rows, out=target)
    assert view.base is target and np.shares_memory(view.data, target.data)
    np.testing.assert_array_equal(view.data, [1.0, 2.0, 1.0, 2.0, 1.0, 2.0])
