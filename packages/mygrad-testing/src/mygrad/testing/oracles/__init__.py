"""Finite-difference oracles: ``numerical_vjp`` estimates, the dtype-aware tolerance,
``assert_grads_close`` and the one-point ``check_vjp``; plus the upstream-style legacy oracles."""

from .check import check_vjp, default_upstream_grad
from .finite_diff import (
    FULL_JACOBIAN_MAX,
    InconclusiveOracle,
    OracleError,
    VJPEstimate,
    default_directions,
    numerical_vjp,
)
from .legacy import finite_difference, numerical_gradient, numerical_gradient_full
from .report import GradComparison, assert_grads_close, detectability_floor
from .tolerance import DEFAULT_TOLERANCE, Tolerance

__all__ = [
    "check_vjp",
    "default_upstream_grad",
    "numerical_vjp",
    "VJPEstimate",
    "OracleError",
    "InconclusiveOracle",
    "default_directions",
    "FULL_JACOBIAN_MAX",
    "assert_grads_close",
    "GradComparison",
    "detectability_floor",
    "Tolerance",
    "DEFAULT_TOLERANCE",
    "numerical_gradient",
    "numerical_gradient_full",
    "finite_difference",
]
