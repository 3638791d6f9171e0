"""argmax, argmin, any: NumPy results (never Tensors), np dispatch, Tensor methods."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg

NAMES = ["argmax", "argmin", "any"]


@st.composite
def calls(draw, name):
    x = draw(
        hnp.arrays(
            st.sampled_from([np.float64, np.float32, np.int64, np.bool_]),
            hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4),
        )
    )
    ndim = x.ndim
    if name == "any":
        ints = st.integers(-ndim, ndim - 1) if ndim else st.nothing()
        axis = draw(st.none() | ints | hnp.valid_tuple_axes(ndim))
        return x, {"axis": axis, "keepdims": draw(st.booleans())}
    axis = draw(st.none() | st.integers(-ndim, ndim - 1)) if ndim else None
    return x, {"axis": axis}


def _as_input(x, kind):
    return {"tensor": mg.tensor(x), "ndarray": x, "list": x.tolist()}[kind]


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_matches_numpy_and_is_never_a_tensor(name, data):
    x, kw = data.draw(calls(name))
    kind = data.draw(st.sampled_from(["tensor", "ndarray", "list"]))
    expected = getattr(np, name)(x, **kw)
    out = getattr(mg, name)(_as_input(x, kind), **kw)
    assert not isinstance(out, mg.Tensor)
    assert type(out) is type(expected) and np.asarray(out).dtype == np.asarray(expected).dtype
    np.testing.assert_array_equal(out, expected)
    t = mg.tensor(x)
    via_numpy = getattr(np, name)(t, **kw)
    assert not isinstance(via_numpy, mg.Tensor)
    np.testing.assert_array_equal(via_numpy, expected)
    np.testing.assert_array_equal(getattr(t, name)(**kw), expected)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_scalar_result_is_intp(name):
    out = getattr(mg, name)(mg.tensor([[1.0, 5.0], [7.0, -2.0]]))
    assert isinstance(out, np.intp)
    assert out == getattr(np, name)([[1.0, 5.0], [7.0, -2.0]])


def test_any_scalar_result_is_numpy_bool():
    assert mg.any(mg.tensor([0.0, 0.0])) is np.False_
    assert mg.any(mg.tensor([0.0, 2.0])) is np.True_


@pytest.mark.parametrize("name", NAMES)
def test_out_ndarray_is_filled(name):
    x = mg.tensor([[1.0, 0.0], [0.0, 0.0]])
    out = np.empty(2, dtype=bool if name == "any" else np.intp)
    result = getattr(mg, name)(x, 1, out)
    assert result is out
    np.testing.assert_array_equal(out, getattr(np, name)(x.data, 1))


@pytest.mark.parametrize("name", NAMES)
def test_out_tensor_is_rejected(name):
    with pytest.raises(TypeError, match=f"{name}: `out` must be a NumPy array"):
        getattr(mg, name)(mg.tensor([1.0, 2.0]), out=mg.tensor(0))


@pytest.mark.parametrize("name", NAMES)
def test_the_graph_is_untouched(name):
    x = mg.tensor([1.0, 3.0])
    y = 2 * x
    getattr(np, name)(y)
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_has_no_keepdims(name):
    with pytest.raises(TypeError):
        getattr(mg, name)(mg.tensor([1.0, 2.0]), keepdims=True)
