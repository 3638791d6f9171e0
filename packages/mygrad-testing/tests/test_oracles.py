"""Meta-tests of the finite-difference oracle: it agrees with analytic derivatives of known
functions, it rejects slightly wrong gradients (it has teeth), and it flags kinks."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from mygrad.testing.oracles import (
    InconclusiveOracle,
    OracleError,
    Tolerance,
    assert_grads_close,
    default_directions,
    numerical_vjp,
)

MODES = ("full", "projected")


def _floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def _arrays(shape: tuple[int, ...], low: float = -3.0, high: float = 3.0):
    return hnp.arrays(np.float64, shape, elements=_floats(low, high))


def _cotangents(shape: tuple[int, ...]):
    """Non-zero cotangents in ±[0.1, 2], as the harness draws them."""
    magnitude = _floats(0.1, 2.0)
    signed = st.tuples(st.booleans(), magnitude).map(lambda t: -t[1] if t[0] else t[1])
    return hnp.arrays(np.float64, shape, elements=signed)


shapes = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4)


@st.composite
def known_cases(draw: st.DrawFn) -> tuple:
    """(name, f, args, g, analytic VJPs), with derivatives from calculus identities."""
    name = draw(st.sampled_from(["tanh", "exp", "var", "matmul", "prod"]))
    shape = draw(shapes)
    if name == "tanh":
        x = draw(_arrays(shape))
        g = draw(_cotangents(shape))
        return name, np.tanh, [x], g, [g * (1 - np.tanh(x) ** 2)]  # tanh' = 1 - tanh²
    if name == "exp":
        x = draw(_arrays(shape))
        g = draw(_cotangents(shape))
        return name, np.exp, [x], g, [g * np.exp(x)]
    if name == "var":
        x = draw(_arrays(shape))
        g = draw(_cotangents(shape[1:]))
        n = shape[0]
        # d var / d x_i = 2 (x_i - mean) / n along the reduced axis
        return name, lambda a: np.var(a, axis=0), [x], g, [g * 2 * (x - x.mean(axis=0)) / n]
    if name == "matmul":
        n, k, m = draw(st.tuples(*[st.integers(1, 4)] * 3))
        a, b = draw(_arrays((n, k))), draw(_arrays((k, m)))
        g = draw(_cotangents((n, m)))
        return name, np.matmul, [a, b], g, [g @ b.T, a.T @ g]
    x = draw(_arrays(shape, 0.5, 2.0))
    g = draw(_cotangents(()))
    # d prod / d x_i = prod / x_i (x has no zeros here)
    return name, np.prod, [x], g, [g * np.prod(x) / x]


@settings(deadline=None, max_examples=60)
@given(case=known_cases(), mode=st.sampled_from(MODES))
def test_estimates_match_analytic_derivatives(case, mode):
    name, f, args, g, analytic = case
    estimates = numerical_vjp(f, args, g, mode=mode)
    assert len(estimates) == len(args)
    for a, est in zip(analytic, estimates):
        assert not est.kink_mask.any(), name
        result = assert_grads_close(a, est, dtype=np.float64)
        assert result.max_ratio <= 1
        if np.max(np.abs(est.value), initial=0) > 1e-6:
            # the bound keeps its teeth: small relative errors are still detectable
            assert result.floor < 1e-3


@settings(deadline=None, max_examples=40)
@given(case=known_cases(), mode=st.sampled_from(MODES))
def test_gradient_scaled_by_1_001_is_rejected(case, mode):
    name, f, args, g, analytic = case
    for a, est in zip(analytic, numerical_vjp(f, args, g, mode=mode)):
        if not np.any(np.abs(a) > 1e-6):
            continue  # a zero gradient scaled by anything is still right
        with pytest.raises(AssertionError, match="disagrees with finite differences"):
            assert_grads_close(a * 1.001, est, dtype=np.float64)


@settings(deadline=None, max_examples=40)
@given(case=known_cases())
def test_sign_flip_at_one_element_is_rejected(case):
    name, f, args, g, analytic = case
    for a, est in zip(analytic, numerical_vjp(f, args, g, mode="full")):
        worst = np.unravel_index(np.argmax(np.abs(a)), a.shape)
        if abs(a[worst]) < 1e-6:
            continue
        wrong = a.copy()
        wrong[worst] *= -1
        with pytest.raises(AssertionError, match="exceed the bound"):
            assert_grads_close(wrong, est, dtype=np.float64)


@settings(deadline=None, max_examples=40)
@given(x=_arrays((3, 4)), g=_cotangents((3, 4)), dtype=st.sampled_from([np.float32, np.float16]))
def test_low_precision_tolerances_still_have_teeth(x, g, dtype):
    """Inputs representable in the low dtype; the oracle still differentiates in float64."""
    x = x.astype(dtype).astype(np.float64)
    (est,) = numerical_vjp(np.tanh, [x], g, mode="diagonal")
    exact = g * (1 - np.tanh(x) ** 2)
    rounded = exact.astype(dtype)  # the analytic grad as an f32/f16 op would store it
    floor = assert_grads_close(rounded, est, dtype=dtype).floor
    assert floor < (1e-2 if dtype == np.float32 else 0.1)
    with pytest.raises(AssertionError):
        assert_grads_close(exact * (1.01 if dtype == np.float32 else 1.2), est, dtype=dtype)


@settings(deadline=None, max_examples=40)
@given(
    x=hnp.arrays(np.float64, (2, 1, 3), elements=_floats(-2, 2)),
    y=hnp.arrays(np.float64, (4, 1), elements=_floats(-2, 2)),
    g=_cotangents((2, 4, 3)),
)
def test_diagonal_mode_sums_over_broadcast_axes(x, y, g):
    f = lambda a, b: np.sin(a) * b  # noqa: E731
    ex, ey = numerical_vjp(f, [x, y], g, elementwise=True)
    assert ex.mode == ey.mode == "diagonal"
    # f(x) once, then 2 per argument (+2 where a kink candidate needs a half-step check)
    assert ex.evals + ey.evals in (5, 7, 9)
    assert_grads_close((g * np.cos(x) * y).sum(axis=1, keepdims=True), ex, dtype=np.float64)
    assert_grads_close((g * np.sin(x)).sum(axis=(0, 2))[:, None], ey, dtype=np.float64)


@pytest.mark.parametrize("mode", ["diagonal", "full", "projected"])
def test_abs_at_zero_is_flagged_and_nowhere_else(mode):
    x = np.array([0.0, 1.5, -0.5, 0.0])
    (est,) = numerical_vjp(np.abs, [x], np.array([1.0, -0.5, 2.0, 0.3]), mode=mode)
    if mode == "projected":
        assert est.kink_mask.all()  # every direction crosses the kinks
    else:
        np.testing.assert_array_equal(est.kink_mask, x == 0)


@pytest.mark.parametrize("f", [np.square, np.cos, lambda a: np.sum(a**2) * a])
@pytest.mark.parametrize("mode", ["diagonal", "full"])
def test_smooth_critical_points_are_not_kinks(f, mode):
    """One-sided quotients also disagree at a smooth extremum, but by O(h), not O(1)."""
    if mode == "diagonal" and f not in (np.square, np.cos):
        return
    x = np.array([0.0, 1e-9, 1.0, -2.0])
    (est,) = numerical_vjp(f, [x], np.ones(4), mode=mode)
    assert not est.kink_mask.any()


def test_kink_raises_inconclusive_unless_a_subgradient_is_declared():
    x = np.array([0.0, 2.0])
    g = np.array([1.5, 1.0])
    (est,) = numerical_vjp(lambda a: np.maximum(a, 0), [x], g, mode="full")
    relu_grad = g * (x > 0)  # the usual convention relu'(0) = 0
    with pytest.raises(InconclusiveOracle) as info:
        assert_grads_close(relu_grad, est, dtype=np.float64)
    assert info.value.reason == "kink"
    assert_grads_close(relu_grad, est, dtype=np.float64, subgradient=True)
    with pytest.raises(AssertionError, match="not a subgradient"):
        assert_grads_close(np.array([2.0, 1.0]), est, dtype=np.float64, subgradient=True)


def test_nonfinite_reference_is_inconclusive():
    (est,) = numerical_vjp(np.log, [np.array([0.0, 1.0])], np.ones(2), mode="full")
    with pytest.raises(InconclusiveOracle) as info:
        assert_grads_close(np.array([1.0, 1.0]), est, dtype=np.float64)
    assert info.value.reason == "nonfinite"


@settings(deadline=None, max_examples=30)
@given(x=_arrays((2, 3), 0.1, 3.0), g=_cotangents((2, 3)))
def test_refinement_is_more_accurate_and_bounds_its_error(x, g):
    f = lambda a: np.sin(a) * np.exp(a)  # noqa: E731
    exact = g * (np.cos(x) + np.sin(x)) * np.exp(x)
    (est,) = numerical_vjp(f, [x], g, mode="full")
    refined = est.refine()
    assert refined.refined and refined.evals == est.evals + 4 * x.size
    assert np.all(np.abs(refined.value - exact) <= refined.oracle_error + 1e-9 * np.abs(exact))


def test_steps_are_exact_and_never_touch_global_rng():
    state = np.random.get_state()[1].copy()
    x = np.array([1.0 / 3.0, 1e5 + 0.1, -7.7])
    seen = []

    def f(a):
        seen.append(a.copy())
        return a * 2.0

    numerical_vjp(f, [x], np.ones(3), mode="projected")
    assert np.array_equal(np.random.get_state()[1], state)
    for a in seen[1:]:
        d = a - x
        assert np.array_equal(x + d, a)  # the step taken is exactly representable


def test_projected_mode_uses_the_callers_directions():
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    u = default_directions(x.shape, k=3, seed=7)
    (est,) = numerical_vjp(np.exp, [x], 1.0, mode="projected", directions=[u])
    assert est.directions.shape == (3, 2, 2) and est.value.shape == (3,)
    np.testing.assert_allclose(est.directions / u, (est.directions / u)[:, :1, :1] + 0 * u)
    assert_grads_close(np.exp(x), est, dtype=np.float64)


def test_complex_step_matches_and_its_guard_catches_non_holomorphic_references():
    x = np.array([0.3, -1.0, 2.0])
    (est,) = numerical_vjp(np.exp, [x], np.ones(3), method="complex", mode="full")
    assert_grads_close(np.exp(x), est, dtype=np.float64)
    with pytest.raises(OracleError, match="not holomorphic"):
        numerical_vjp(lambda a: np.var(a), [x], 1.0, method="complex", mode="full")


def test_tolerance_overrides_merge_per_dtype():
    tol = Tolerance(rtol={"float32": 1e-3}, c=4)
    assert tol.for_dtype(np.float32) == (1e-3, 1e-7, 4.0)
    assert tol.for_dtype(np.float64) == (1e-6, 1e-12, 4.0)
    with pytest.raises(ValueError, match="rtol"):
        Tolerance(rtol=-1.0)
    with pytest.raises(ValueError, match="float dtypes"):
        tol.for_dtype(np.int32)


def test_failure_report_explains_the_bound():
    x = np.array([0.5, 1.0])
    (est,) = numerical_vjp(np.exp, [x], np.ones(2), mode="full")
    with pytest.raises(AssertionError) as info:
        assert_grads_close(np.exp(x) * [1.0, 1.01], est, dtype=np.float64, label="exp grad")
    report = str(info.value)
    for piece in (
        "exp grad",
        "analytic",
        "numeric",
        "rounding",
        "oracle",
        "detectability floor",
        "(1,)",
        "1 of 2",
    ):
        assert piece in report


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mode": "sideways"}, "mode must be"),
        ({"method": "forward"}, "method must be"),
        ({"wrt": 3}, "wrt=.* indices"),
        ({"mode": "full", "directions": [np.ones((1, 2))]}, "only by mode='projected'"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        numerical_vjp(np.exp, [np.ones(2)], np.ones(2), **kwargs)


def test_cotangent_must_broadcast_to_the_output():
    with pytest.raises(ValueError, match="does not broadcast"):
        numerical_vjp(np.exp, [np.ones(2)], np.ones(3))
