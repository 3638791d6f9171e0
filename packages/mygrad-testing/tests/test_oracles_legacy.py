"""The upstream-compatible oracles agree with analytic derivatives and keep their shapes."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from mygrad.testing.oracles import (
    OracleError,
    finite_difference,
    numerical_gradient,
    numerical_gradient_full,
)

finite = st.floats(-2, 2, allow_nan=False, allow_infinity=False)


@settings(deadline=None, max_examples=30)
@given(
    x=hnp.arrays(np.float64, (3, 1), elements=finite),
    y=hnp.arrays(np.float64, (4,), elements=finite),
    as_decimal=st.booleans(),
)
def test_elementwise_oracles_reduce_to_each_argument(x, y, as_decimal):
    f = lambda a, b: a * b + a**2  # noqa: E731
    g = np.linspace(-1, 2, 12).reshape(3, 4)
    expected_x = (g * (y + 2 * x)).sum(axis=1, keepdims=True)
    expected_y = (g * x).sum(axis=0)
    for gx, gy in (
        numerical_gradient(f, x, y, back_grad=g),
        finite_difference(f, x, y, back_grad=g, as_decimal=as_decimal),
    ):
        assert gx.shape == x.shape and gy.shape == y.shape
        np.testing.assert_allclose(gx, expected_x, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(gy, expected_y, rtol=1e-6, atol=1e-6)


@settings(deadline=None, max_examples=30)
@given(
    a=hnp.arrays(np.float64, (2, 3), elements=finite),
    b=hnp.arrays(np.float64, (3, 2), elements=finite),
)
def test_full_oracle_handles_non_elementwise_functions(a, b):
    g = np.array([[1.0, -0.5], [0.25, 2.0]])
    ga, gb = numerical_gradient_full(np.matmul, a, b, back_grad=g)
    np.testing.assert_allclose(ga, g @ b.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gb, a.T @ g, rtol=1e-12, atol=1e-12)


def test_vary_ind_leaves_the_other_arguments_out():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    gx, gy = numerical_gradient(np.multiply, x, y, back_grad=np.ones(2), vary_ind=[1])
    assert gx is None
    np.testing.assert_allclose(gy, x)
    with pytest.raises(ValueError, match="vary_ind"):
        finite_difference(np.multiply, x, y, back_grad=np.ones(2), vary_ind=[2])


def test_the_holomorphic_trap_is_guarded():
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    with pytest.raises(OracleError, match="not holomorphic"):
        numerical_gradient_full(lambda a: np.var(a), x, back_grad=1.0)
