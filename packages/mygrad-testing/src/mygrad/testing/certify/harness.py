"""Running properties with Hypothesis, and turning the registry into pytest tests.

``check(op)`` runs properties directly (no pytest) and raises on the first failure.
``certification_cases(package)`` lists one pytest param per registered op of a package;
``certify(...)`` returns a pytest test class with one test per property, parametrized by
op (``test_vjp[sin]``), plus a coverage test when given ``certification_cases``.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, example, given, reject, seed, settings, target
from hypothesis.database import ExampleDatabase
from hypothesis.errors import FailedHealthCheck, Unsatisfiable

from mygrad import extend
from mygrad.extend import ops

from .. import profiles
from ..hints import Hints
from ..oracles import InconclusiveOracle, default_upstream_grad
from .properties import PROPERTIES
from .sample import SampleCall
from .spec import OpSpec, as_spec

__all__ = [
    "RunStats",
    "run_property",
    "check",
    "certification_cases",
    "registered_specs",
    "certify",
    "applicable",
    "MIN_EXAMPLES",
    "MAX_INCONCLUSIVE",
]

# an op's cost divides its example count, but never below this
MIN_EXAMPLES = 5
# multiplies every profile-derived example count (the plugin's --certify-scale)
SCALE = 1.0
# the share of examples that may be inconclusive (kinks, non-finite) before a test fails
MAX_INCONCLUSIVE = 0.05


@dataclass
class RunStats:
    """What one (op, property) run did."""

    examples: int = 0
    compared: int = 0  # examples whose check returned a measurement (vjp: grads compared)
    inconclusive: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    worst_ratio: float = 0.0


_ISSUE = re.compile(r"#\d+")


def skip_problems(spec: OpSpec) -> list[str]:
    """What is wrong with the hints row's ``skip`` entries (each needs a known property and
    a reason naming an issue, ``"reason (#12)"``)."""
    problems = []
    for prop, reason in sorted(spec.hints.skip.items()):
        if prop not in PROPERTIES:
            problems.append(f"skip names an unknown property {prop!r}")
        elif not isinstance(reason, str) or not _ISSUE.search(reason):
            problems.append(f"skip of {prop!r} needs a reason with an issue, got {reason!r}")
    return problems


def applicable(spec: OpSpec) -> dict[str, str | None]:
    """``{property: None if it applies, else the reason it does not}`` (skips included)."""
    out: dict[str, str | None] = {}
    for name, module in PROPERTIES.items():
        out[name] = spec.hints.skip.get(name) or module.applies(spec)
    return out


def _example_budget(spec: OpSpec, max_examples: int | None, scale: float) -> int:
    base = profiles.item_examples() * SCALE if max_examples is None else max_examples
    base = max(1, round(base * scale))
    return max(min(MIN_EXAMPLES, base), base // max(1, spec.hints.cost))


class _Namespaced(ExampleDatabase):
    """One Hypothesis database shared by every generated item, keyed per (op, property).

    The generated test functions all have the same source, so without a namespace their
    saved examples would be replayed against each other's ops.
    """

    def __init__(self, inner: ExampleDatabase, namespace: bytes) -> None:
        super().__init__()
        self._inner = inner
        self._ns = namespace

    def save(self, key: bytes, value: bytes) -> None:
        self._inner.save(self._ns + key, value)

    def fetch(self, key: bytes) -> Iterable[bytes]:
        return self._inner.fetch(self._ns + key)

    def delete(self, key: bytes, value: bytes) -> None:
        self._inner.delete(self._ns + key, value)


def _stable_seed(prop: str, spec: OpSpec) -> int:
    return int.from_bytes(hashlib.sha256(f"{prop}:{spec.name}".encode()).digest()[:8], "big")


def _example_calls(spec: OpSpec, module: Any) -> list[SampleCall]:
    """The hints row's exact calls, as SampleCalls with a fixed, non-uniform upstream grad
    and the property's default extras."""
    extras = getattr(module, "example_extras", None)
    out = []
    for row_call in spec.hints.examples:
        call = SampleCall(tuple(np.asarray(a) for a in row_call.arrays), dict(row_call.params))
        expected = spec.reference(call.numpy_args(), call.params)
        if expected.dtype.kind == "f":
            call = call.replace(grad=default_upstream_grad(expected.shape, expected.dtype))
        if extras is not None:
            call = call.replace(extras=extras(spec, call))
        out.append(call)
    return out


def run_property(
    prop: str,
    spec: OpSpec,
    *,
    max_examples: int | None = None,
    scale: float = 1.0,
    shrink: bool = True,
) -> RunStats:
    """Certify one property of one op with Hypothesis; raise AssertionError on failure.

    ``shrink=False`` reports the first failure found without minimising it (for callers
    that only need to know *whether* a property fails, such as the mutation meta-tests).
    """
    if spec.missing:
        raise AssertionError(f"missing hints for {spec.name!r} params: {', '.join(spec.missing)}")
    bad_skips = skip_problems(spec)
    if bad_skips:
        raise AssertionError(f"hints row of {spec.name!r}: " + "; ".join(bad_skips))
    module = PROPERTIES[prop]
    reason = module.applies(spec)
    if reason is not None:
        raise ValueError(f"the {prop} property does not apply to {spec.name!r}: {reason}")
    stats = RunStats()
    current = settings()
    database = current.database
    if database is not None:
        database = _Namespaced(database, f"mygrad-certify:{prop}:{spec.name}:".encode())
    budget = _example_budget(spec, max_examples, scale)

    phases = current.phases if shrink else tuple(p for p in current.phases if p != Phase.shrink)

    # draws are size-capped by construction; a slow draw here is a loaded machine, not a
    # strategy problem (every other health check stays on)
    checks = (*current.suppress_health_check, HealthCheck.too_slow)

    @settings(
        current,
        max_examples=budget,
        database=database,
        phases=phases,
        suppress_health_check=checks,
    )
    @given(call=module.strategy(spec))
    def run(call: SampleCall) -> None:
        explicit = id(call) in explicit_ids
        stats.examples += not explicit
        try:
            ratio = module.check(spec, call)
        except InconclusiveOracle as exc:
            if explicit:
                return  # a row's example may sit on a kink on purpose (abs at 0)
            stats.inconclusive += 1
            stats.reasons[exc.reason] = stats.reasons.get(exc.reason, 0) + 1
            reject()
        if isinstance(ratio, float):
            stats.compared += 1
            stats.worst_ratio = max(stats.worst_ratio, ratio)
            if not explicit:
                target(ratio, label="gradient error / tolerance")

    explicit_calls = _example_calls(spec, module)
    explicit_ids = {id(call) for call in explicit_calls}
    for call in explicit_calls:
        run = example(call=call)(run)
    if current.derandomize:
        run = seed(_stable_seed(prop, spec))(run)
    try:
        run()
    except (Unsatisfiable, FailedHealthCheck) as exc:
        # every example rejected as inconclusive: say why, not just that filtering failed
        _check_inconclusive(prop, spec, stats, cause=exc)
        raise
    _check_inconclusive(prop, spec, stats)
    if getattr(module, "MUST_COMPARE", False) and stats.examples and not stats.compared:
        raise AssertionError(
            f"[{prop}] {spec.name}: none of {stats.examples} examples had a variable input "
            "to compare; check the hints row's `differentiated` and dtypes"
        )
    return stats


def _check_inconclusive(
    prop: str, spec: OpSpec, stats: RunStats, cause: BaseException | None = None
) -> None:
    if stats.inconclusive > max(1, MAX_INCONCLUSIVE * stats.examples):
        raise AssertionError(
            f"[{prop}] {spec.name}: the grad_domain of {spec.name} touches non-differentiable "
            f"or non-finite points: {stats.inconclusive} of {stats.examples} examples were "
            f"inconclusive ({stats.reasons}); narrow its domain or declare its kinks"
        ) from cause


def check(
    op: Any,
    properties: Sequence[str] | None = None,
    *,
    hints: Hints | None = None,
    max_examples: int | None = None,
) -> dict[str, RunStats]:
    """Run the applicable ``properties`` of ``op`` (all by default) without pytest.

    Properties skipped by the hints row are left out. Raises on the first failure.
    """
    spec = as_spec(op, hints)
    wanted = _validate_properties(properties)
    results = {}
    for prop, reason in applicable(spec).items():
        if prop in wanted and reason is None:
            results[prop] = run_property(prop, spec, max_examples=max_examples)
    return results


def _validate_properties(properties: Sequence[str] | None) -> tuple[str, ...]:
    if properties is None:
        return tuple(PROPERTIES)
    if isinstance(properties, str):
        properties = (properties,)
    unknown = [p for p in properties if p not in PROPERTIES]
    if unknown:
        raise ValueError(f"unknown properties {unknown}; choose from {list(PROPERTIES)}")
    return tuple(properties)


# ---------------------------------------------------------------------------- pytest
class CertificationCases(list[Any]):
    """The pytest params (ParameterSets) of one package's ops; remembers the package."""

    package: str


def _import_package(package: str) -> None:
    try:
        importlib.import_module(package)
    except ModuleNotFoundError:
        if package != "mygrad":
            return
        raise


def registered_specs(package: str = "mygrad") -> list[OpSpec]:
    """An OpSpec per op registered by ``package``, sorted by name.

    Core's non-differentiable NumPy functions (boolean, constant-only, pass-through) are
    included once ``mygrad.extend`` exposes them as ``nondifferentiable()``.
    """
    _import_package(package)
    specs = [OpSpec.from_opdef(op) for op in ops().values() if op.package == package]
    nondifferentiable = getattr(extend, "nondifferentiable", None)
    if package == "mygrad" and nondifferentiable is not None:
        specs += [OpSpec.from_nondifferentiable(f, how) for f, how in nondifferentiable().items()]
    return sorted(specs, key=lambda s: s.name)


def certification_cases(package: str = "mygrad") -> CertificationCases:
    """One ``pytest.param(spec, id=name)`` per op registered by ``package``."""
    import pytest

    cases = CertificationCases(
        pytest.param(spec, id=spec.name) for spec in registered_specs(package)
    )
    cases.package = package
    return cases


def _specs_of(items: Iterable[Any], hints: Hints | None) -> list[OpSpec]:
    specs = []
    for item in items:
        values = getattr(item, "values", None)  # a pytest ParameterSet (itself a tuple)
        if isinstance(values, tuple) and values and isinstance(values[0], OpSpec):
            specs.append(as_spec(values[0], hints))
        elif isinstance(item, (list, tuple)):
            specs.extend(_specs_of(item, hints))
        else:
            specs.append(as_spec(item, hints))
    return specs


def certify(
    *ops_or_specs: Any,
    properties: Sequence[str] | None = None,
    hints: Hints | None = None,
    scale: float = 1.0,
) -> type:
    """A pytest test class certifying the given ops (OpSpecs, OpDefs, registered public
    functions or names, or ``certification_cases(...)``).

    One test per property, parametrized by op (``test_vjp[sin]``). A property that does
    not apply to an op has no item for it; a hints ``skip`` entry becomes a skip mark
    carrying its reason. Given ``certification_cases``, the class also has
    ``test_coverage``: every op its package registers must be certified.
    """
    import pytest

    wanted = _validate_properties(properties)
    specs = _specs_of(ops_or_specs, hints)
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"ops certified twice in one class: {duplicates}")
    namespace: dict[str, Any] = {"__doc__": f"Certification of {len(specs)} op(s)."}
    for prop in wanted:
        params = []
        for spec in specs:
            # an invalid skip is not honoured: the item runs and fails, naming the problem
            skip = None if skip_problems(spec) else spec.hints.skip.get(prop)
            if skip is None and PROPERTIES[prop].applies(spec) is not None:
                continue
            marks = [pytest.mark.skip(reason=skip)] if skip else []
            params.append(pytest.param(spec, id=spec.name, marks=marks))
        if params:
            namespace[f"test_{prop}"] = _property_test(prop, params, scale)
    packages = {p for p in (getattr(item, "package", None) for item in ops_or_specs) if p}
    if packages:
        namespace["test_coverage"] = _coverage_test(sorted(packages), specs)
    return type("Certification", (), namespace)


def _property_test(prop: str, params: list[Any], scale: float) -> Any:
    import pytest

    def test(self: Any, spec: OpSpec) -> None:
        run_property(prop, spec, scale=scale)

    test.__name__ = test.__qualname__ = f"test_{prop}"
    test.__doc__ = PROPERTIES[prop].__doc__
    return pytest.mark.parametrize("spec", params)(test)


def _coverage_test(packages: list[str], specs: list[OpSpec]) -> Any:
    certified = {s.name for s in specs}

    def test_coverage(self: Any) -> None:
        problems = []
        for package in packages:
            registered = {s.name for s in registered_specs(package)}
            missing = sorted(registered - certified)
            if missing:
                problems.append(f"ops of {package!r} with no certification: {missing}")
        for spec in specs:
            reasons = applicable(spec)
            if all(r is not None for r in reasons.values()):
                problems.append(f"{spec.name!r}: no property certifies it ({reasons})")
        assert not problems, "[coverage] " + "; ".join(problems)

    return test_coverage
