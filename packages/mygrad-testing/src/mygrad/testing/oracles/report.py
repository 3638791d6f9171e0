"""Comparing an analytic gradient with an oracle estimate, and explaining a failure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .finite_diff import InconclusiveOracle, VJPEstimate
from .tolerance import BoundTerms, Tolerance, bound_terms

__all__ = ["GradComparison", "assert_grads_close", "detectability_floor", "format_report"]

WORST_SHOWN = 8


@dataclass(frozen=True)
class GradComparison:
    """The outcome of a passing comparison, for statistics and ``hypothesis.target``."""

    max_ratio: float  # the largest |a - n| / bound (< 1 when it passes)
    floor: float  # the smallest relative gradient error this bound could have caught
    refined: bool
    evals: int


def detectability_floor(numeric: np.ndarray, bound: np.ndarray) -> float:
    """The smallest relative error ``|a - n| / |n|`` that would exceed the bound at some
    element (inf when every estimate is zero, i.e. nothing relative can be caught)."""
    n = np.abs(np.asarray(numeric, dtype=np.float64))
    nonzero = n > 0
    if not nonzero.any():
        return float("inf")
    return float(np.min(np.asarray(bound)[nonzero] / n[nonzero]))


def _analytic_side(actual: Any, estimate: VJPEstimate) -> tuple[np.ndarray, np.ndarray]:
    """The analytic values that line up with ``estimate.value`` plus their own magnitude
    (projected: ``<grad, u>`` per direction and ``Σ|grad·u|``)."""
    a = np.asarray(actual, dtype=np.float64)
    if estimate.directions is None:
        return a, np.abs(a)
    axes = tuple(range(1, estimate.directions.ndim))
    return (
        np.sum(estimate.directions * a, axis=axes),
        np.sum(np.abs(estimate.directions * a), axis=axes),
    )


def _where(estimate: VJPEstimate, flat: int) -> str:
    if estimate.directions is not None:
        return f"direction {flat}"
    shape = estimate.value.shape
    return str(tuple(int(i) for i in np.unravel_index(flat, shape))) if shape else "()"


def format_report(
    label: str,
    analytic: np.ndarray,
    estimate: VJPEstimate,
    terms: BoundTerms,
    *,
    dtype: Any,
    problem: str,
) -> str:
    """A readable account of a failed comparison: the worst elements, the bound broken into
    its four terms, the oracle's settings and the detectability floor."""
    numeric = estimate.value
    bound = terms.total
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(analytic - numeric) / bound
    ratio = np.where(np.isnan(ratio), np.inf, ratio)
    order = np.argsort(-ratio, axis=None, kind="stable")[:WORST_SHOWN]
    lines = [
        f"{label}: {problem}",
        f"  compared in dtype {np.dtype(dtype).name}; oracle: {estimate.method} differences, "
        f"mode={estimate.mode}, {estimate.evals} reference calls, "
        f"refined={'yes (Richardson)' if estimate.refined else 'no'}",
        f"  first-stage steps: min {np.min(estimate.steps, initial=np.inf):.3g}, "
        f"max {np.max(estimate.steps, initial=-np.inf):.3g}",
        "  bound = atol + rtol*max(|a|,|n|) + c*eps*sqrt(m)*M + oracle_error",
        f"  {'element':>14} {'analytic':>13} {'numeric':>13} {'|a-n|':>10} {'bound':>10} "
        f"{'ratio':>8} | {'atol':>8} {'rtol':>8} {'rounding':>8} {'oracle':>8}",
    ]
    for flat in order:
        i = np.unravel_index(flat, numeric.shape)
        lines.append(
            f"  {_where(estimate, int(flat)):>14} {analytic[i]:>13.6g} {numeric[i]:>13.6g} "
            f"{abs(analytic[i] - numeric[i]):>10.3g} {bound[i]:>10.3g} {ratio[i]:>8.3g} | "
            f"{terms.absolute[i]:>8.2g} {terms.relative[i]:>8.2g} {terms.rounding[i]:>8.2g} "
            f"{terms.oracle[i]:>8.2g}"
        )
    failing = int(np.count_nonzero(ratio > 1))
    lines.append(f"  {failing} of {ratio.size} compared values exceed the bound")
    lines.append(
        "  detectability floor: relative errors above "
        f"{detectability_floor(numeric, bound):.3g} are caught at this point"
    )
    if estimate.kink_mask.any():
        lines.append(f"  kinks detected at {int(estimate.kink_mask.sum())} element(s)")
    return "\n".join(lines)


def _check_subgradient(
    analytic: np.ndarray, estimate: VJPEstimate, terms: BoundTerms, label: str, dtype: Any
) -> None:
    """At a kink the analytic value must lie between the two one-sided derivatives."""
    assert estimate.one_sided is not None
    forward, backward = estimate.one_sided
    low, high = np.minimum(forward, backward), np.maximum(forward, backward)
    slack = terms.total
    outside = estimate.kink_mask & ((analytic < low - slack) | (analytic > high + slack))
    if outside.any():
        flat = np.flatnonzero(outside)[:WORST_SHOWN]
        rows = [
            f"  {_where(estimate, int(j))}: analytic {analytic.flat[j]:.6g} not in "
            f"[{low.flat[j]:.6g}, {high.flat[j]:.6g}]"
            for j in flat
        ]
        raise AssertionError(
            f"{label}: not a subgradient at {int(outside.sum())} kink(s) "
            f"(dtype {np.dtype(dtype).name}):\n" + "\n".join(rows)
        )


def assert_grads_close(
    actual: Any,
    estimate: VJPEstimate,
    *,
    dtype: Any,
    tol: Tolerance | None = None,
    subgradient: bool = False,
    label: str = "gradient",
) -> GradComparison:
    """Assert that ``actual`` (an analytic gradient) agrees with the oracle's ``estimate``.

    ``dtype`` is the dtype the op computed in; it selects the tolerance. Where the first
    comparison fails, the estimate is Richardson-refined and compared again; a failure
    stands only if the refined estimate disagrees too. Elements at a kink raise
    :class:`InconclusiveOracle`, unless ``subgradient=True``, in which case the analytic
    value must lie between the one-sided derivatives. Returns a :class:`GradComparison`;
    raises ``AssertionError`` with a report on failure.
    """
    actual = np.asarray(actual)
    expected_shape = (
        estimate.value.shape if estimate.directions is None else estimate.directions.shape[1:]
    )
    if actual.shape != expected_shape:
        raise AssertionError(
            f"{label}: has shape {actual.shape}, but the argument has shape {expected_shape}"
        )
    analytic, analytic_magnitude = _analytic_side(actual, estimate)
    if not np.all(np.isfinite(estimate.value)):
        raise InconclusiveOracle(
            f"{label}: the reference is not finite near this point, so no derivative can be "
            "estimated",
            "nonfinite",
        )
    kinks = estimate.kink_mask
    if kinks.any() and not subgradient:
        where = ", ".join(_where(estimate, int(j)) for j in np.flatnonzero(kinks)[:WORST_SHOWN])
        raise InconclusiveOracle(
            f"{label}: the reference is not differentiable at {where} (the one-sided "
            "differences disagree); move the point away from the kink or declare a subgradient",
            "kink",
        )

    def terms_for(est: VJPEstimate) -> BoundTerms:
        magnitude = np.maximum(est.magnitude, analytic_magnitude)
        return bound_terms(
            analytic, est.value, magnitude, est.count, est.oracle_error, dtype=dtype, tol=tol
        )

    terms = terms_for(estimate)
    if kinks.any():
        _check_subgradient(analytic, estimate, terms, label, dtype)
    smooth = ~kinks
    failing = smooth & ~(np.abs(analytic - estimate.value) <= terms.total)
    if failing.any() and estimate.can_refine:
        estimate = estimate.refine(failing)
        terms = terms_for(estimate)
        failing = smooth & ~(np.abs(analytic - estimate.value) <= terms.total)
    if failing.any():
        raise AssertionError(
            format_report(
                label,
                analytic,
                estimate,
                terms,
                dtype=dtype,
                problem="the analytic gradient disagrees with finite differences",
            )
        )
    bound = terms.total
    with np.errstate(invalid="ignore", divide="ignore"):
        ratios = np.where(smooth, np.abs(analytic - estimate.value) / bound, 0.0)
    return GradComparison(
        max_ratio=float(np.max(ratios, initial=0.0)),
        floor=detectability_floor(np.where(smooth, estimate.value, 0.0), bound),
        refined=estimate.refined,
        evals=estimate.evals,
    )
