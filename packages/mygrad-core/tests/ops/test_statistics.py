"""mean, var, std: NumPy parity, gradients, and api.md §2.6 conventions."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.hints.sums_products import reduction_axes
from mygrad.testing.oracles import check_vjp

NAMES = ["mean", "var", "std"]
FLOATS = st.sampled_from([np.float64, np.float32, np.float16])
VALUES = st.floats(-10, 10, width=16)
# quarters: exact in float16, and distinct ones are at least 0.25 apart
QUARTERS = st.integers(-40, 40).map(lambda k: k / 4)


@st.composite
def calls(draw, name, min_dims=0, min_side=1, unique=False, elements=VALUES):
    """An array, and params for which the statistic is finite (with ``unique``: groups of
    >= 2 distinct values, where std is differentiable)."""
    dtype = draw(FLOATS)
    x = draw(
        hnp.arrays(
            dtype,
            hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=min_side, max_side=4),
            elements=elements,
            unique=unique,
        )
    )
    axes = reduction_axes((x.shape,), allow_empty_tuple=not unique)
    kw = {"axis": draw(axes), "keepdims": draw(st.booleans())}
    if name != "mean":
        # at most N - 1, so that N - ddof >= 1 for every reduced group
        n = int(np.prod([x.shape[i] for i in mg.extend.normalize_axis(kw["axis"], x.ndim)]))
        kw["ddof"] = draw(st.integers(0, max(n - 1, 0)))
    return x, kw


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_matches_numpy(name, data):
    x, kw = data.draw(calls(name))
    t = mg.tensor(x)
    out = getattr(mg, name)(t, **kw)
    expected = getattr(np, name)(x, **kw)
    assert isinstance(out, mg.Tensor)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-2 if x.dtype == np.float16 else 1e-6)
    assert not np.shares_memory(out.data, t.data)
    via_numpy = getattr(np, name)(t, **kw)
    assert isinstance(via_numpy, mg.Tensor)
    np.testing.assert_array_equal(via_numpy.data, out.data)
    np.testing.assert_array_equal(getattr(t, name)(**kw).data, out.data)


@pytest.mark.parametrize("name", ["mean", "var"])
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_vjp(name, data):
    x, kw = data.draw(calls(name))
    check_vjp(getattr(mg, name), x, kwargs=kw)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_std_vjp(data):
    # distinct values in groups of >= 2: std stays away from 0, where it has no derivative
    x, kw = data.draw(calls("std", min_dims=1, min_side=2, unique=True, elements=QUARTERS))
    check_vjp(mg.std, x, kwargs=kw)


@pytest.mark.parametrize("name", ["var", "std"])
def test_ddof_is_the_third_positional(name):
    x = mg.tensor([[1.0, 2.0, 4.0], [3.0, 3.5, 9.0]])
    out = getattr(mg, name)(x, 1, 1, True)
    np.testing.assert_array_equal(out.data, getattr(np, name)(x.data, 1, ddof=1, keepdims=True))
    np.testing.assert_array_equal(getattr(x, name)(1, 1, True).data, out.data)


def test_mean_of_empty_is_nan_with_a_warning():
    with pytest.warns(RuntimeWarning):
        out = mg.mean(mg.tensor(np.empty((0,))))
    assert np.isnan(out.item())


def test_integer_mean_is_a_float64_constant():
    out = mg.mean(mg.tensor([1, 2, 4]))
    assert out.dtype == np.float64 and out.constant
    assert out.item() == np.mean([1, 2, 4])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_low_precision_floats_are_kept(name, dtype):
    t = mg.tensor(np.array([[1.0, 2.0], [3.0, 5.0]], dtype=dtype))
    out = getattr(mg, name)(t, axis=1)
    assert out.dtype == dtype and not out.constant
    out.backward()
    assert t.grad.dtype == dtype


@pytest.mark.parametrize("name", ["var", "std"])
def test_empty_axis_tuple_reduces_nothing(name):
    t = mg.tensor([[1.0, 2.0], [3.0, 5.0]])
    out = getattr(mg, name)(t, axis=())
    np.testing.assert_array_equal(out.data, np.zeros((2, 2)))
    out.backward()
    if name == "var":
        # a one-element variance is identically 0: no gradient at all
        np.testing.assert_array_equal(t.grad, np.zeros((2, 2)))
    else:
        assert np.isnan(t.grad).all()


@settings(max_examples=20, deadline=None)
@given(
    # the mean of equal quarters is exactly their value, so the variance is exactly 0
    value=QUARTERS,
    shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
)
def test_std_of_zero_variance_has_nan_grads(value, shape):
    t = mg.tensor(np.full(shape, value))
    mg.std(t).backward()
    assert np.isnan(t.grad).all()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kwarg", ["dtype", "out", "where"])
def test_numpy_only_kwargs_are_rejected(name, kwarg):
    t = mg.tensor([1.0, 2.0])
    value = {"dtype": np.float64, "out": np.empty(()), "where": True}[kwarg]
    with pytest.raises(TypeError, match=kwarg):
        getattr(mg, name)(t, **{kwarg: value})
    with pytest.raises(TypeError):
        getattr(np, name)(t, **{kwarg: value})


@pytest.mark.parametrize("name", NAMES)
def test_bad_axis_is_named(name):
    with pytest.raises(np.exceptions.AxisError, match="axis 2"):
        getattr(mg, name)(mg.tensor([[1.0, 2.0]]), axis=2)


@pytest.mark.parametrize("name", NAMES)
def test_constant_flag(name):
    x = mg.tensor([1.0, 2.0])
    assert getattr(mg, name)(x, constant=True).constant
    assert not getattr(mg, name)(x).constant
    assert getattr(mg, name)([1.0, 2.0]).constant
