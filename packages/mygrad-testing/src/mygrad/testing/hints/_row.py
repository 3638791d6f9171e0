"""The hints row: testing-only facts about one op, joined with its OpDef by ``certify``.

Every field is optional. An op whose defaults do not fit (a parameter certify cannot
draw by itself) and that has no row fails certification, naming what is missing.

How certify draws a call for an op (arrays + params):

* ``calls`` (if given) draws the whole call: a strategy of ``Call``. Use it when shapes
  and params depend on each other (einsum subscripts, reshape targets, indices). Its float
  arrays are cast to the dtype being certified (one of ``dtypes``); other arrays are
  used as drawn, and ``domain``/``kinks`` are the row's own business.
* otherwise the array shapes come from ``shapes`` and each param from ``params``:

  - ``shapes``: ``None`` (by kind: ufunc -> mutually broadcastable shapes for its nin
    inputs; reduction and single-input function -> one shape; ``arrays="sequence"`` ->
    2-4 equal shapes), ``"broadcastable"`` (2-4 mutually broadcastable shapes, for
    sequence ops that broadcast), a gufunc signature such as ``"(n,k),(k,m)->(n,m)"``,
    ``"same"`` (all inputs one shape), or a callable returning a strategy of a tuple of
    shapes. Sides are at most 4, at most 4 dims, at most 64 elements per array.
  - ``params``: ``{name: factory}``; ``factory(shapes)`` returns a strategy of the value,
    given the drawn tuple of input shapes. Reductions get ``axis``/``keepdims`` by default.

* ``leading_params``: params passed positionally *before* the arrays, for front ends shaped
  like ``einsum(subscripts, *operands)``; ``Call.params`` still names them as the op's
  forward does, and the NumPy counterpart is called the same way.
* values: each array input is filled from ``domain`` (the forward) or ``grad_domain``
  (the VJP; defaults to ``domain``), kept at least a gap away from every point in
  ``kinks``; ``distinct=True`` draws well-separated values (ties: max, min, maximum...).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Domain", "Call", "Hints", "REAL", "POSITIVE", "NONZERO", "UNIT_OPEN", "GE_ONE"]


@dataclass(frozen=True)
class Domain:
    """An interval of element values (plain data, so core declarations may name one)."""

    low: float = -10.0
    high: float = 10.0
    exclude: tuple[float, ...] = ()  # points (and a small gap around them) never drawn

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise ValueError(f"Domain needs low < high, got [{self.low}, {self.high}]")


REAL = Domain()
POSITIVE = Domain(1e-2, 10.0)
NONZERO = Domain(-10.0, 10.0, exclude=(0.0,))
UNIT_OPEN = Domain(-0.95, 0.95)
GE_ONE = Domain(1.05, 10.0)


@dataclass(frozen=True)
class Call:
    """One concrete call: the array inputs (as ndarrays) and the keyword params."""

    arrays: tuple[np.ndarray, ...]
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hints:
    """Testing-only facts about one op. See the module docstring for how they are used."""

    calls: Callable[[], Any] | None = None
    shapes: str | Callable[[], Any] | None = None
    params: Mapping[str, Callable[[tuple[tuple[int, ...], ...]], Any]] = field(default_factory=dict)
    domain: Domain | Mapping[int, Domain] = REAL
    grad_domain: Domain | Mapping[int, Domain] | None = None
    kinks: tuple[float, ...] = ()
    distinct: bool = False
    # which array inputs are differentiated in the VJP check (None: every float input)
    differentiated: tuple[int, ...] | None = None
    # forward dtypes certified; the VJP is certified for the floating ones
    dtypes: tuple[Any, ...] = (np.float64, np.float32, np.float16)
    # reference(*arrays, **params): defaults to the op's NumPy counterpart
    reference: Callable[..., Any] | None = None
    # the forward must be bit-identical to the reference (None: True for ufuncs and views)
    forward_exact: bool | None = None
    # {"float32": (rtol, atol)} overrides of the VJP tolerance; give a reason in a comment
    tolerance: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    examples: tuple[Call, ...] = ()
    # {property: "reason (#issue)"}: properties that do not apply to this op
    skip: Mapping[str, str] = field(default_factory=dict)
    cost: int = 1
    # params passed positionally before the arrays (einsum's subscripts)
    leading_params: tuple[str, ...] = ()

    def domain_of(self, index: int, for_grad: bool = False) -> Domain:
        chosen = self.grad_domain if (for_grad and self.grad_domain is not None) else self.domain
        if isinstance(chosen, Domain):
            return chosen
        return chosen.get(index, REAL)


def finite(x: float) -> bool:
    return math.isfinite(x)
