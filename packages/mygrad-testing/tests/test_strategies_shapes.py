"""Meta-tests of the shape and axis strategies: the size caps hold, shapes broadcast as
claimed, valid_shapes preserves size, and valid_axes draws axes NumPy accepts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mygrad.testing.strategies import (
    broadcast_targets,
    broadcastable_shapes,
    mutually_broadcastable_shapes,
    reshape_targets,
    shapes,
    valid_axes,
    valid_shapes,
)

FEW = settings(deadline=None, max_examples=100)


@st.composite
def shape_bounds(draw):
    min_dims = draw(st.integers(0, 3))
    max_dims = draw(st.integers(min_dims, 5))
    min_side = draw(st.integers(0, 2))
    max_side = draw(st.integers(min_side, 6))
    max_size = draw(st.integers(max(1, min_side**min_dims), 80))
    return dict(
        min_dims=min_dims,
        max_dims=max_dims,
        min_side=min_side,
        max_side=max_side,
        max_size=max_size,
    )


@FEW
@given(bounds=shape_bounds(), data=st.data())
def test_shapes_respect_every_bound_including_the_size_cap(bounds, data):
    shape = data.draw(shapes(**bounds))
    assert math.prod(shape) <= bounds["max_size"]
    assert bounds["min_dims"] <= len(shape) <= bounds["max_dims"]
    assert all(bounds["min_side"] <= n <= bounds["max_side"] for n in shape)


@FEW
@given(
    num_shapes=st.integers(1, 4),
    base_shape=st.lists(st.integers(0, 3), max_size=2).map(tuple),
    max_size=st.integers(1, 64),
    data=st.data(),
)
def test_mutually_broadcastable_shapes_broadcast_within_the_cap(
    num_shapes, base_shape, max_size, data
):
    drawn = data.draw(
        mutually_broadcastable_shapes(num_shapes, base_shape=base_shape, max_size=max_size)
    )
    assert len(drawn.input_shapes) == num_shapes
    assert np.broadcast_shapes(*drawn.input_shapes, base_shape) == drawn.result_shape
    if math.prod(base_shape) <= max_size:
        assert all(math.prod(s) <= max_size for s in drawn.input_shapes)


@pytest.mark.parametrize(
    "signature, ufunc",
    [("(m?,n),(n,p?)->(m?,p?)", np.matmul), ("(n),(n)->()", np.vecdot)],
)
@FEW
@given(data=st.data())
def test_gufunc_signatures_give_shapes_numpy_accepts(signature, ufunc, data):
    drawn = data.draw(mutually_broadcastable_shapes(signature=signature, max_size=32))
    operands = [np.zeros(s) for s in drawn.input_shapes]
    assert ufunc(*operands).shape == drawn.result_shape
    assert all(a.size <= 32 for a in operands)


@FEW
@given(shape=shapes(max_dims=3), data=st.data())
def test_broadcastable_and_target_shapes(shape, data):
    other = data.draw(broadcastable_shapes(shape))
    np.broadcast_shapes(shape, other)
    assert math.prod(other) <= 64
    target = data.draw(broadcast_targets(shape))
    assert np.broadcast_to(np.zeros(shape), target).shape == target
    assert math.prod(target) <= max(64, math.prod(shape))


@FEW
@given(size=st.integers(0, 200), min_len=st.integers(1, 3), data=st.data())
def test_valid_shapes_preserve_size(size, min_len, data):
    shape = data.draw(valid_shapes(size, min_len=min_len, max_len=6))
    as_tuple = shape if isinstance(shape, tuple) else (shape,)
    assert min_len <= len(as_tuple) <= 6
    assert list(as_tuple).count(-1) <= 1
    assert np.zeros(size).reshape(shape).size == size


@FEW
@given(shape=shapes(), data=st.data())
def test_reshape_targets_fit_the_shape(shape, data):
    np.zeros(shape).reshape(data.draw(reshape_targets(shape)))


@FEW
@given(
    ndim=st.integers(0, 4),
    pos_only=st.booleans(),
    single=st.booleans(),
    permit_int=st.booleans(),
    data=st.data(),
)
def test_valid_axes_are_accepted_by_numpy_and_honour_options(
    ndim, pos_only, single, permit_int, data
):
    min_dim = data.draw(st.integers(0, ndim))
    max_dim = data.draw(st.integers(min_dim, ndim))
    strategy = valid_axes(
        ndim,
        pos_only=pos_only,
        single_axis_only=single,
        permit_int=permit_int,
        min_dim=min_dim,
        max_dim=max_dim,
    )
    axis = data.draw(strategy)
    x = np.zeros((2,) * ndim)
    np.sum(x, axis=axis)  # NumPy accepts it
    axes = () if axis is None else (axis,) if isinstance(axis, int) else axis
    if pos_only:
        assert all(a >= 0 for a in axes)
    if single:
        assert axis is None or isinstance(axis, int)
    elif isinstance(axis, tuple):
        assert min_dim <= len(axis) <= max_dim
    elif isinstance(axis, int):
        assert permit_int


@pytest.mark.parametrize(
    "make, bad",
    [
        (lambda: shapes(max_dims=-1), "max_dims=-1"),
        (lambda: shapes(min_side=3, max_side=2), "min_side=3"),
        (lambda: shapes(min_dims=3, min_side=5, max_side=5, max_size=64), "max_size=64"),
        (lambda: shapes(max_size=True), "max_size=True"),
        (lambda: mutually_broadcastable_shapes(0), "num_shapes=0"),
        (lambda: mutually_broadcastable_shapes(signature="(n)(n)->()"), "signature="),
        (lambda: broadcastable_shapes([2, 3]), "shape=[2, 3]"),
        (lambda: valid_shapes(-1), "size=-1"),
        (lambda: valid_shapes(4, min_len=3, max_len=2), "min_len=3"),
        (lambda: valid_shapes(6, max_len=0), "max_len=0"),
        (lambda: valid_axes(2, max_dim=3), "max_dim=3"),
        (lambda: valid_axes(2.0), "ndim=2.0"),
        (lambda: valid_axes(0, single_axis_only=True, permit_none=False), "ndim=0"),
    ],
)
def test_bad_arguments_raise_invalid_argument_naming_the_value(make, bad):
    with pytest.raises(InvalidArgument) as info:
        make()
    assert bad in str(info.value)
