"""mygrad.extend's helpers for VJP authors: expand_reduced is np.broadcast_to of the
reduced cotangent (a read-only view of it, whatever its layout), normalize_axis NumPy's
axis rules."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import mygrad as mg
from mygrad.extend import expand_reduced, normalize_axis


@st.composite
def reductions(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
    ndim = len(shape)
    if ndim and draw(st.booleans()):
        axis = draw(st.integers(-ndim, ndim - 1))
    elif ndim:
        axis = draw(st.none() | st.lists(st.integers(0, ndim - 1), unique=True).map(tuple))
    else:
        axis = draw(st.sampled_from([None, ()]))
    keepdims = draw(st.booleans())
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64]))
    reduced_shape = np.sum(np.zeros(shape, dtype), axis=axis, keepdims=keepdims).shape
    g = draw(hnp.arrays(dtype, reduced_shape, elements=st.integers(-9, 9)))
    if g.ndim >= 2 and draw(st.booleans()):
        g = np.asfortranarray(g)  # not C-contiguous (the general path)
    return g, shape, axis, keepdims


@given(reductions())
def test_expand_reduced_is_broadcast_to_of_the_reduced_cotangent(call):
    g, shape, axis, keepdims = call
    expanded = expand_reduced(g, shape, axis, keepdims)
    axes = normalize_axis(axis, len(shape))
    kept = g if keepdims else np.expand_dims(g, axes) if g.ndim else g
    expected = np.broadcast_to(kept, shape)
    assert expanded.shape == shape and expanded.dtype == g.dtype
    np.testing.assert_array_equal(expanded, expected)
    assert not expanded.flags.writeable
    if expanded.size:
        assert np.shares_memory(expanded, g)


def test_expand_reduced_raises_numpys_error_for_a_shape_it_cannot_reach():
    with pytest.raises(ValueError):
        expand_reduced(np.ones(3), (2, 4), 0, False)
    with pytest.raises(ValueError):
        expand_reduced(np.ones((3, 1)), (2, 4), 1, True)


@given(st.integers(0, 4), st.data())
def test_normalize_axis_follows_numpy(ndim, data):
    axis = data.draw(
        st.none() | st.integers(-6, 6) | st.lists(st.integers(-6, 6), max_size=4).map(tuple)
    )
    x = np.zeros((2,) * ndim)
    try:
        expected = np.sum(x, axis=axis, keepdims=True).shape
    except ValueError as error:  # (AxisError is one)
        with pytest.raises(type(error)):
            normalize_axis(axis, ndim)
        return
    axes = normalize_axis(axis, ndim)
    assert axes == tuple(sorted(set(axes)))
    assert tuple(1 if i in axes else 2 for i in range(ndim)) == expected


@pytest.mark.parametrize("name", ["sum", "max", "min", "prod"])
@pytest.mark.parametrize("axis", [0, -1])
def test_reductions_of_a_0d_tensor_over_axis_0_or_minus_1_backpropagate(name, axis):
    # NumPy accepts these axes on a 0-d array; the gradient passes through unchanged
    x = mg.tensor(3.0)
    out = getattr(mg, name)(x, axis=axis)
    assert out.item() == getattr(np, name)(np.array(3.0), axis=axis)
    out.backward(2.0)
    assert x.grad == 2.0
