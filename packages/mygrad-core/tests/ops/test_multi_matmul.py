"""multi_matmul: numpy.linalg.multi_dot's result (optimal order, 1-D ends), differentiable."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.hints.linalg import chain_shapes, separated
from mygrad.testing.oracles import check_vjp


def _arrays(data, dtype=np.float64):
    return [data.draw(separated(s)).astype(dtype) for s in data.draw(chain_shapes())]


@settings(max_examples=30, deadline=None)
@given(st.data(), st.sampled_from([np.float64, np.float32]))
def test_forward_equals_multi_dot(data, dtype):
    arrays = _arrays(data, dtype)
    out = mg.multi_matmul([mg.tensor(a) for a in arrays])
    expected = np.linalg.multi_dot(arrays)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_vjp_matches_finite_differences(data):
    check_vjp(lambda *ts: mg.multi_matmul(ts), *_arrays(data))


def test_one_dimensional_ends_are_squeezed_from_the_result():
    rng = np.random.default_rng(1)
    row, mat, col = rng.normal(size=3), rng.normal(size=(3, 4)), rng.normal(size=4)
    assert mg.multi_matmul([row, mat]).shape == (4,)
    assert mg.multi_matmul([mat, col]).shape == (3,)
    tensors = [mg.tensor(a) for a in (row, mat, col)]
    out = mg.multi_matmul(tensors)
    assert out.shape == ()
    out.backward()
    np.testing.assert_allclose(tensors[0].grad, mat @ col)
    np.testing.assert_allclose(tensors[1].grad, np.outer(row, col))
    np.testing.assert_allclose(tensors[2].grad, row @ mat)


def test_grads_reach_every_variable_of_a_long_chain():
    rng = np.random.default_rng(2)
    shapes = [(10, 2), (2, 30), (30, 3), (3, 1)]
    tensors = [mg.tensor(rng.normal(size=s)) for s in shapes]
    mg.multi_matmul(tensors).backward()
    for t, s in zip(tensors, shapes):
        assert t.grad.shape == s
    check_vjp(lambda *ts: mg.multi_matmul(ts), *(t.data for t in tensors))


@pytest.mark.parametrize(
    ("arrays", "match"),
    [
        ([np.ones((2, 2))], "at least two"),
        ([], "at least two"),
        ([np.ones((2, 2)), np.ones((2, 2, 2))], "array 1 has 3"),
        ([np.ones((2, 2)), np.ones(2), np.ones((2, 2))], "array 1 has 1"),
        ([np.float64(2.0), np.ones((1, 2))], "array 0 has 0"),
    ],
)
def test_invalid_chains_raise_value_error(arrays, match):
    with pytest.raises(ValueError, match=match):
        mg.multi_matmul([mg.tensor(a) for a in arrays])


def test_mismatched_inner_dimensions_raise_value_error():
    with pytest.raises(ValueError):
        mg.multi_matmul([np.ones((2, 3)), mg.tensor(np.ones((2, 2)))])


def test_constant_propagation_and_mixed_inputs():
    x = mg.tensor(np.ones((2, 2)))
    c = np.ones((2, 2))
    out = mg.multi_matmul([c, x, c])
    assert not out.constant
    out.backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 2), 4.0))
    assert mg.multi_matmul([c, c]).constant
    assert mg.multi_matmul([x, x], constant=True).constant
    ints = mg.tensor(np.ones((2, 2), dtype=np.int64))
    assert mg.multi_matmul([ints, ints]).constant


def test_same_tensor_repeated_in_the_chain():
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = mg.tensor(data)
    mg.multi_matmul([x, x, x]).sum().backward()
    check_vjp(lambda t: mg.multi_matmul([t, t, t]), data)
