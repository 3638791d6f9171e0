"""The harness itself: generated classes, missing hints, coverage, skips, examples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st

import mygrad as mg
from mygrad.extend import defop
from mygrad.operation_base import Operation
from mygrad.testing import Call, Domain, Hints, OpSpec, certify, check
from mygrad.testing.certify import applicable, certification_cases, run_property
from mygrad.testing.certify.harness import CertificationCases


@defop(name="meta_scale_by")
def meta_scale_by(x, factor):
    """``x * factor``: a required parameter certify cannot draw without a hints row."""
    return x * factor


@meta_scale_by.vjp
def _meta_scale_by_vjp(g, out, x, factor):
    return g * factor


SCALE_HINTS = Hints(params={"factor": lambda shapes: st.floats(-3, 3)})


def test_an_op_without_hints_for_its_params_fails_naming_them() -> None:
    spec = OpSpec.from_opdef(meta_scale_by.op, hints=None)
    assert spec.missing == ("factor",)
    with pytest.raises(AssertionError, match="missing hints for 'meta_scale_by' params: factor"):
        run_property("forward", spec)


def test_a_hints_row_makes_the_same_op_certifiable() -> None:
    results = check(meta_scale_by, hints=SCALE_HINTS, max_examples=5)
    assert {"forward", "vjp", "views", "no_mutation", "constant"} <= set(results)
    assert all(r.examples >= 1 for r in results.values())


def test_certify_builds_one_parametrized_test_per_applicable_property() -> None:
    cls = certify(meta_scale_by, hints=SCALE_HINTS)
    tests = sorted(n for n in vars(cls) if n.startswith("test_"))
    spec = OpSpec.from_opdef(meta_scale_by.op, SCALE_HINTS)
    applying = sorted(f"test_{p}" for p, r in applicable(spec).items() if r is None)
    assert tests == applying
    assert "test_dispatch" not in tests  # no NumPy counterpart
    (param,) = cls.test_vjp.pytestmark[0].args[1]
    assert param.id == "meta_scale_by"


def test_a_skip_needs_a_reason_and_becomes_a_skip_mark() -> None:
    hints = Hints(params=SCALE_HINTS.params, skip={"vjp": "not yet (#12)"})
    cls = certify(meta_scale_by, hints=hints)
    (param,) = cls.test_vjp.pytestmark[0].args[1]
    assert [m.kwargs["reason"] for m in param.marks] == ["not yet (#12)"]
    assert "vjp" not in check(meta_scale_by, hints=hints, max_examples=3)


def test_coverage_fails_for_a_registered_op_left_out() -> None:
    cases = certification_cases(package="mygrad")
    dropped = cases[0].id
    partial = CertificationCases(cases[1:])
    partial.package = "mygrad"
    cls = certify(partial, properties=["forward"])
    with pytest.raises(AssertionError, match=rf"\[coverage\].*'{dropped}'"):
        cls().test_coverage()
    certify(cases, properties=["forward"])().test_coverage()


def test_examples_in_the_hints_row_always_run() -> None:
    seen = []

    def reference(x, factor):
        seen.append(x.shape)
        return x * factor

    example = Call((np.arange(6.0).reshape(2, 3),), {"factor": 2.0})
    hints = Hints(params=SCALE_HINTS.params, reference=reference, examples=(example,))
    run_property("forward", OpSpec.from_opdef(meta_scale_by.op, hints), max_examples=1)
    assert (2, 3) in seen


def test_unknown_properties_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown properties"):
        check(meta_scale_by, ["vjpp"], hints=SCALE_HINTS)


def test_a_plain_function_can_be_certified_against_a_reference() -> None:
    def softplus(x):
        return mg.log1p(mg.exp(x))

    spec = OpSpec.from_function(softplus, hints=Hints(reference=lambda x: np.log1p(np.exp(x))))
    results = check(spec, ["forward", "vjp", "no_mutation"], max_examples=10)
    assert set(results) == {"forward", "vjp", "no_mutation"}


def test_a_wrong_composite_gradient_is_caught() -> None:
    def leaky(x):
        # the linear term is added as a constant: forward right, gradient 1 % off
        return mg.log1p(mg.exp(x)) + mg.tensor(0.01 * x.data, constant=True)

    hints = Hints(reference=lambda x: np.log1p(np.exp(x)) + 0.01 * x)
    spec = OpSpec.from_function(leaky, hints=hints)
    with pytest.raises(AssertionError, match=r"^\[vjp\] leaky \(float"):
        run_property("vjp", spec, max_examples=25, shrink=False)


@pytest.mark.parametrize(
    ("func", "how"), [(np.floor, "constant_only"), (np.isnan, "boolean"), (np.greater, "boolean")]
)
def test_nondifferentiable_numpy_functions_behave_as_their_class(func, how) -> None:
    spec = OpSpec.from_nondifferentiable(func, how)
    assert check(spec, max_examples=15).keys() == {"differentiability"}


def test_a_wrong_differentiability_class_is_caught() -> None:
    # isnan accepts variable tensors; declared constant-only, that must fail
    spec = OpSpec.from_nondifferentiable(np.isnan, "constant_only")
    with pytest.raises(AssertionError, match=r"^\[differentiability\] isnan \("):
        run_property("differentiability", spec, max_examples=25, shrink=False)


def test_a_grad_domain_on_a_kink_fails_instead_of_passing_vacuously() -> None:
    # every drawn point is within the oracle's step of abs's kink at 0
    spec = OpSpec.from_opdef(mg.absolute._op, Hints(domain=Domain(-1e-7, 1e-7)))
    with pytest.raises(AssertionError, match="touches non-differentiable"):
        run_property("vjp", spec, max_examples=10)


class Cube(Operation):
    def __call__(self, x):
        self.variables = (x,)
        return x.data**3

    def backward_var(self, grad, index, **kwargs):
        return 3 * grad * self.variables[index].data ** 2


class CubeWithWrongGradient(Cube):
    def backward_var(self, grad, index, **kwargs):
        return 2 * grad * self.variables[index].data ** 2


def test_an_upstream_operation_is_certified_in_three_lines() -> None:
    spec = OpSpec.from_operation(Cube, reference=lambda x: x**3, params=["x"])
    assert {"forward", "vjp", "no_mutation"} <= set(check(spec, max_examples=10))


def test_an_upstream_operation_with_a_wrong_backward_is_caught() -> None:
    spec = OpSpec.from_operation(CubeWithWrongGradient, reference=lambda x: x**3)
    with pytest.raises(AssertionError, match=r"^\[vjp\] CubeWithWrongGradient \("):
        run_property("vjp", spec, max_examples=25, shrink=False)


def test_examples_on_a_kink_are_allowed_and_not_counted_as_inconclusive() -> None:
    at_zero = tuple(Call((np.array([0.0, v]),)) for v in (1.0, 2.0, 3.0))
    spec = OpSpec.from_opdef(mg.absolute._op, Hints(kinks=(0.0,), examples=at_zero))
    stats = run_property("vjp", spec, max_examples=10)
    assert stats.inconclusive == 0 and stats.compared == stats.examples == 10


@pytest.mark.parametrize(
    ("skip", "problem"),
    [({"vjp": "flaky"}, "needs a reason with an issue"), ({"vjpp": "x (#1)"}, "unknown property")],
)
def test_an_invalid_skip_is_not_honoured_and_fails(skip: dict[str, str], problem: str) -> None:
    hints = Hints(params=SCALE_HINTS.params, skip=skip)
    cls = certify(meta_scale_by, hints=hints)
    (param,) = cls.test_vjp.pytestmark[0].args[1]
    assert not param.marks
    with pytest.raises(AssertionError, match=problem):
        cls().test_vjp(param.values[0])
