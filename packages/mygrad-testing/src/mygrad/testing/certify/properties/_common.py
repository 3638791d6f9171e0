"""Helpers shared by the property checks: failure messages and array comparisons."""

from __future__ import annotations

from typing import Any, NoReturn

import numpy as np

import mygrad as mg

from ..sample import SampleCall
from ..spec import OpSpec

__all__ = ["Checker", "tensors_in", "as_array", "coarser"]

# relative tolerance of a non-exact forward, per output dtype
FORWARD_RTOL = {"float64": 1e-9, "float32": 1e-5, "float16": 1e-2}


class Checker:
    """Raises AssertionErrors that start ``[<property>] <op> (<dtype>):`` and end with the call."""

    def __init__(self, prop: str, spec: OpSpec, call: SampleCall) -> None:
        self.prop = prop
        self.spec = spec
        self.call = call

    @property
    def prefix(self) -> str:
        return f"[{self.prop}] {self.spec.name} ({self.call.dtype_label}):"

    def fail(self, message: str) -> NoReturn:
        raise AssertionError(f"{self.prefix} {message}\n{self.call.summary()}")

    def that(self, condition: Any, message: str) -> None:
        if not condition:
            self.fail(message)

    def same_array(
        self,
        actual: Any,
        expected: np.ndarray,
        what: str,
        *,
        exact: bool = True,
        scale: float = 0.0,
    ) -> None:
        """``actual`` has ``expected``'s type (ndarray), shape, dtype and values.

        Inexact comparisons use the forward tolerance of the dtype plus ``scale`` times its
        epsilon (the sum of the magnitudes feeding the output, so that a reduction summed
        in another order does not fail on cancellation).
        """
        actual = as_array(actual)
        self.that(
            actual.shape == expected.shape,
            f"{what} has shape {actual.shape}, expected {expected.shape}",
        )
        self.that(
            actual.dtype == expected.dtype,
            f"{what} has dtype {actual.dtype}, expected {expected.dtype}",
        )
        if exact or expected.dtype.kind not in "fc":
            ok = np.array_equal(actual, expected, equal_nan=expected.dtype.kind in "fc")
            if not ok:
                self.fail(f"{what} differs from the reference{_diff(actual, expected)}")
            return
        rtol = FORWARD_RTOL.get(expected.dtype.name, 1e-9)
        atol = float(np.finfo(expected.dtype).eps) * scale
        close = np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
        if not close.all():
            self.fail(
                f"{what} differs from the reference beyond rtol={rtol:g}, atol={atol:.3g}"
                f"{_diff(actual, expected)}"
            )


def _diff(actual: np.ndarray, expected: np.ndarray) -> str:
    if actual.shape != expected.shape:
        return ""
    with np.errstate(all="ignore"):
        bad = ~np.isclose(actual, expected, rtol=0, atol=0, equal_nan=True)
    idx = np.argwhere(bad)[:4]
    rows = [
        f"    at {tuple(int(i) for i in j)}: got {actual[tuple(j)]!r}, expected "
        f"{expected[tuple(j)]!r}"
        for j in idx
    ]
    return (":\n" + "\n".join(rows)) if rows else ""


def as_array(x: Any) -> np.ndarray:
    return x.data if isinstance(x, mg.Tensor) else np.asarray(x)


def tensors_in(args: tuple[Any, ...]) -> list[tuple[int, mg.Tensor]]:
    return [(i, a) for i, a in enumerate(args) if isinstance(a, mg.Tensor)]


def coarser(a: np.dtype, b: np.dtype) -> np.dtype:
    """The less precise of two float dtypes (the precision a gradient really has)."""
    if a.kind != "f":
        return b
    if b.kind != "f":
        return a
    return a if np.finfo(a).eps >= np.finfo(b).eps else b


def magnitude_scale(call: SampleCall) -> float:
    """The sum of |input| over every float input: the rounding scale of a reduction."""
    return float(
        sum(np.abs(a.astype(np.float64)).sum() for a in call.arrays if a.dtype.kind == "f")
    )
