"""``mygrad.random`` draws from NumPy's legacy global generator (api.md §1.1)."""

from __future__ import annotations

import inspect

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)
seeds = st.integers(0, 2**32 - 1)


@settings(max_examples=30, deadline=None)
@given(shapes, seeds, st.sampled_from([None, True, False]))
@pytest.mark.parametrize("name", ["rand", "randn"])
def test_varargs_draws_match_numpy(name, shape, seed, constant):
    mg.random.seed(seed)
    t = getattr(mg.random, name)(*shape, constant=constant)
    np.random.seed(seed)
    expected = getattr(np.random, name)(*shape)
    assert isinstance(t, mg.Tensor) and t.creator is None
    np.testing.assert_array_equal(t.data, expected)
    assert t.dtype == np.float64 and t.shape == shape
    assert t.constant is bool(constant)


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.none(), shapes, st.integers(0, 3)), seeds)
@pytest.mark.parametrize("name", ["random", "random_sample", "ranf", "sample"])
def test_shape_draws_match_numpy(name, shape, seed):
    np.random.seed(seed)  # numpy's seed controls mygrad's draws too
    t = getattr(mg.random, name)(shape)
    np.random.seed(seed)
    expected = np.random.random_sample(shape)
    np.testing.assert_array_equal(t.data, expected)
    assert t.shape == np.shape(expected) and not t.constant


@settings(max_examples=30, deadline=None)
@given(st.integers(-5, 5), st.integers(1, 5), st.one_of(st.none(), shapes), seeds)
def test_randint_is_a_constant_integer_tensor(low, span, shape, seed):
    mg.random.seed(seed)
    t = mg.random.randint(low, low + span, shape)
    np.random.seed(seed)
    np.testing.assert_array_equal(t.data, np.random.randint(low, low + span, shape))
    assert t.constant and t.dtype.kind == "i"
    assert "constant" not in inspect.signature(mg.random.randint).parameters


def test_seed_returns_none_and_reproduces():
    assert mg.random.seed(3) is None
    a = mg.random.rand(4)
    mg.random.seed(3)
    np.testing.assert_array_equal(mg.random.rand(4).data, a.data)


def test_random_exports():
    assert sorted(mg.random.__all__) == [
        "rand", "randint", "randn", "random", "random_sample", "ranf", "sample", "seed",
    ]
