"""The dtype-aware gradient tolerance, and the four terms it is made of.

For element i, with analytic value ``a`` and numerical estimate ``n``::

    |a - n| <= atol[dt] + rtol[dt] * max(|a|, |n|) + c * eps[dt] * sqrt(m) * M + oracle_error

``M`` is the cancellation-aware magnitude (the sum of the absolute per-output contributions
to the VJP) and ``m`` the number of outputs that contribute, so a VJP that is a small
difference of large terms gets a rounding budget that scales with the terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Tolerance", "DEFAULT_TOLERANCE", "BoundTerms", "bound_terms"]

# (rtol, atol, c) for the dtype an op computes in
_DEFAULTS: dict[np.dtype, tuple[float, float, float]] = {
    np.dtype(np.float64): (1e-6, 1e-12, 16.0),
    np.dtype(np.float32): (2e-4, 1e-7, 16.0),
    np.dtype(np.float16): (2e-2, 1e-3, 16.0),
}

PerDtype = float | Mapping[Any, float] | None


def _float_dtype(dtype: Any) -> np.dtype:
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise ValueError(f"gradient tolerances exist only for float dtypes, got dtype={dtype!r}")
    return dt


def _pick(value: PerDtype, dtype: np.dtype, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        for key, v in value.items():
            if np.dtype(key) == dtype:
                return float(v)
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(
            f"Tolerance.{name} must be a number or a dict dtype -> number, got {value!r}"
        )
    return float(value)


@dataclass(frozen=True)
class Tolerance:
    """Overrides of the default (rtol, atol, c); each is a number for every dtype or a dict
    ``{dtype: number}``. Fields left as None fall back to the defaults (or to ``base``).

    >>> Tolerance(rtol={"float32": 1e-3}).for_dtype("float32")
    (0.001, 1e-07, 16.0)
    """

    rtol: PerDtype = None
    atol: PerDtype = None
    c: PerDtype = None

    def __post_init__(self) -> None:
        for name in ("rtol", "atol", "c"):
            value = getattr(self, name)
            for dt in _DEFAULTS:
                picked = _pick(value, dt, name)
                if picked is not None and not (picked >= 0 and np.isfinite(picked)):
                    raise ValueError(f"Tolerance.{name} must be finite and >= 0, got {value!r}")

    def for_dtype(self, dtype: Any) -> tuple[float, float, float]:
        """The (rtol, atol, c) used for an op computing in ``dtype``."""
        dt = _float_dtype(dtype)
        default = _DEFAULTS.get(dt, _DEFAULTS[np.dtype(np.float64)])
        picked = (
            _pick(self.rtol, dt, "rtol"),
            _pick(self.atol, dt, "atol"),
            _pick(self.c, dt, "c"),
        )
        rtol, atol, c = (p if p is not None else d for p, d in zip(picked, default))
        return rtol, atol, c

    def merged(self, override: Tolerance | None) -> Tolerance:
        """This tolerance with the fields that ``override`` sets replaced."""
        if override is None:
            return self
        return Tolerance(
            rtol=self.rtol if override.rtol is None else override.rtol,
            atol=self.atol if override.atol is None else override.atol,
            c=self.c if override.c is None else override.c,
        )


DEFAULT_TOLERANCE = Tolerance()


@dataclass(frozen=True)
class BoundTerms:
    """The four terms of the bound, elementwise (arrays broadcast to the compared shape)."""

    absolute: np.ndarray
    relative: np.ndarray
    rounding: np.ndarray
    oracle: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.absolute + self.relative + self.rounding + self.oracle


def bound_terms(
    analytic: np.ndarray,
    numeric: np.ndarray,
    magnitude: np.ndarray,
    count: np.ndarray,
    oracle_error: np.ndarray,
    *,
    dtype: Any,
    tol: Tolerance | None = None,
) -> BoundTerms:
    """The bound on ``|analytic - numeric|`` for an op that computes in ``dtype``."""
    rtol, atol, c = DEFAULT_TOLERANCE.merged(tol).for_dtype(dtype)
    eps = float(np.finfo(_float_dtype(dtype)).eps)
    a = np.abs(np.asarray(analytic, dtype=np.float64))
    n = np.abs(np.asarray(numeric, dtype=np.float64))
    shape = np.broadcast_shapes(a.shape, n.shape)
    absolute = np.full(shape, atol)
    relative = rtol * np.maximum(a, n)
    rounding = c * eps * np.sqrt(np.maximum(count, 1)) * magnitude
    return BoundTerms(
        absolute,
        np.broadcast_to(relative, shape),
        np.broadcast_to(rounding, shape),
        np.broadcast_to(oracle_error, shape),
    )
