"""Meta-tests of ``check_vjp``: correct mygrad ops pass through the public path, broken
VJPs are caught, and every precondition it checks really fires."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.extend import defop
from mygrad.testing.oracles import InconclusiveOracle, check_vjp, default_upstream_grad


@defop(name="oracle_meta_cube")
def _cube(x):
    return x**3


@_cube.vjp
def _cube_vjp(g, out, x):
    return 3 * g * x**2


@defop(name="oracle_meta_cube_scaled")
def _cube_scaled(x):
    return x**3


@_cube_scaled.vjp
def _cube_scaled_vjp(g, out, x):
    return 3.003 * g * x**2  # deliberately 1.001 times too large


@defop(name="oracle_meta_cube_one_sign")
def _cube_one_sign(x):
    return x**3


@_cube_one_sign.vjp
def _cube_one_sign_vjp(g, out, x):
    grad = 3 * g * x**2
    grad.flat[-1] *= -1  # deliberately wrong sign at one element
    return grad


@defop(name="oracle_meta_relu")
def _relu(x):
    return np.maximum(x, 0)


@_relu.vjp
def _relu_vjp(g, out, x):
    return g * (x > 0)


def _floats(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


float_dtypes = st.sampled_from([np.float64, np.float32, np.float16])
binary_ops = st.sampled_from([mg.add, mg.subtract, mg.multiply, mg.divide])


@settings(deadline=None, max_examples=50)
@given(
    op=binary_ops,
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
    dtypes=st.tuples(float_dtypes, float_dtypes),
    data=st.data(),
)
def test_correct_binary_ops_pass_with_broadcasting_and_mixed_dtypes(op, shapes, dtypes, data):
    x, y = (
        data.draw(hnp.arrays(dt, shape, elements=_floats(0.5, 3.0).map(float)))
        for dt, shape in zip(dtypes, shapes.input_shapes)
    )
    for comparison in check_vjp(op, x, y):
        assert comparison.max_ratio <= 1


@settings(deadline=None, max_examples=30)
@given(x=hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=4), elements=_floats(-2, 2)))
def test_a_composite_mygrad_function_passes(x):
    check_vjp(lambda t: (t * t + 2.0 * t) * t - t, x)


@pytest.mark.parametrize("broken", [_cube_scaled, _cube_one_sign])
def test_broken_vjps_are_caught(broken):
    x = np.array([[0.5, -1.25, 2.0], [1.5, -0.75, 1.0]])
    check_vjp(_cube, x)
    with pytest.raises(AssertionError, match="gradient of argument 0"):
        check_vjp(broken, x)


def test_a_projected_failure_is_rerun_element_by_element_for_the_report():
    x = np.linspace(-2.0, 2.0, 81).reshape(9, 9)
    check_vjp(_cube, x)  # 81 elements: the projected oracle
    with pytest.raises(AssertionError) as info:
        check_vjp(_cube_one_sign, x)
    report = str(info.value)
    assert "mode=projected" in report and "re-run one element at a time" in report
    assert "(8, 8)" in report  # the one wrong element is named


def test_operation_subclasses_run_through_execute_op():
    from mygrad.operation_base import Operation

    class Cube(Operation):
        def __call__(self, x):
            self.variables = (x,)
            return x.data**3

        def backward_var(self, grad, index, **kwargs):
            return 3 * grad * self.variables[0].data ** 2

    check_vjp(Cube, np.array([0.5, -2.0, 1.5]))


def test_where_masks_are_respected():
    x = np.array([1.0, -2.0, 3.0])
    y = np.array([0.5, 2.0, -1.0])
    check_vjp(mg.multiply, x, y, kwargs={"where": np.array([True, False, True])})


def test_kinks_are_inconclusive_unless_subgradients_are_allowed():
    x = np.array([0.0, 1.0, -1.0])
    with pytest.raises(InconclusiveOracle):
        check_vjp(_relu, x)
    check_vjp(_relu, x, subgradient=True)


def test_wrt_limits_the_checked_arguments_and_others_pass_through():
    x = np.array([1.0, 2.0])
    y = np.array([3.0, 4.0])
    (only,) = check_vjp(mg.multiply, x, y, wrt=1)
    assert only.max_ratio <= 1
    check_vjp(mg.power, x, np.array([2, 3]))  # the integer exponent is a constant
    with pytest.raises(ValueError, match="not a float ndarray"):
        check_vjp(mg.power, x, np.array([2, 3]), wrt=1)


def test_missing_gradients_and_constant_outputs_are_reported():
    x = np.array([1.0, 2.0])
    with pytest.raises(AssertionError, match="is None after backward"):
        check_vjp(lambda t: mg.multiply(t.astype(np.float32), 2.0), x)
    with pytest.raises(AssertionError, match="constant tensor"):
        check_vjp(lambda t: mg.multiply(t, 2.0, constant=True), x)
    with pytest.raises(AssertionError, match="not a mygrad Tensor"):
        check_vjp(lambda t: t.data * 2, x)


def test_explicit_grad_is_used_and_broadcast():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    check_vjp(_cube, x, grad=2.0)
    check_vjp(_cube, x, grad=np.array([1.0, -0.5]))


@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=5))
def test_default_upstream_grad_is_deterministic_nonzero_and_varied(shape):
    g = default_upstream_grad(shape)
    assert g.shape == shape and g.dtype == np.float64
    np.testing.assert_array_equal(g, default_upstream_grad(shape))
    assert np.all((np.abs(g) >= 0.1) & (np.abs(g) <= 2.0))
    if g.size >= 3:
        assert (g > 0).any() and (g < 0).any()
        assert len(np.unique(g)) == g.size
