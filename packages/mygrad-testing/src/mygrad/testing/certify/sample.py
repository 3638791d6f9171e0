"""SampleCall: one drawn call of an op, able to rebuild fresh mygrad arguments on demand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import mygrad as mg

__all__ = ["SampleCall", "ABSENT", "WRAPS"]


class _Absent:
    """The ``constant=`` keyword is not passed at all."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()

# how each array input is handed to mygrad
WRAPS = ("variable", "constant", "array", "scalar")


@dataclass(frozen=True, eq=False)
class SampleCall:
    """A drawn call: array values, params, and how each array is passed.

    ``wraps[i]`` is ``"variable"``/``"constant"`` (a Tensor), ``"array"`` (an ndarray,
    read-only when ``read_only[i]``) or ``"scalar"`` (a 0-d value as a Python scalar).
    ``grad`` is the upstream gradient for ``backward`` (None for non-float outputs).
    ``arrays`` are never handed out themselves: every accessor returns copies, so a call can
    be replayed and compared with its snapshot.
    """

    arrays: tuple[np.ndarray, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    wraps: tuple[str, ...] = ()
    grad: np.ndarray | None = None
    constant: Any = ABSENT
    read_only: tuple[bool, ...] = ()
    # property-specific draws (an out= target's initial values, a where= mask, ...)
    extras: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.wraps:
            object.__setattr__(self, "wraps", tuple(_default_wrap(a) for a in self.arrays))
        if not self.read_only:
            object.__setattr__(self, "read_only", (False,) * len(self.arrays))
        if len(self.wraps) != len(self.arrays) or len(self.read_only) != len(self.arrays):
            raise ValueError("SampleCall needs one wrap and one read_only flag per array")
        for w, a in zip(self.wraps, self.arrays):
            if w not in WRAPS:
                raise ValueError(f"unknown wrap {w!r}; use one of {WRAPS}")
            if w == "variable" and a.dtype.kind != "f":
                raise ValueError(f"a {a.dtype} array cannot be a variable tensor")
            if w == "scalar" and a.ndim != 0:
                raise ValueError("only 0-d arrays can be passed as Python scalars")

    # ------------------------------------------------------------------ values
    @property
    def dtype_label(self) -> str:
        names = sorted({a.dtype.name for a in self.arrays}, key=str)
        return ",".join(names) if names else "no arrays"

    def numpy_args(self) -> tuple[Any, ...]:
        """Fresh copies of the inputs as NumPy sees them (scalars stay Python scalars)."""
        return tuple(
            a.item() if w == "scalar" else a.copy() for a, w in zip(self.arrays, self.wraps)
        )

    def float64_arrays(self) -> tuple[np.ndarray, ...]:
        """The inputs promoted to float64 (exact for float16/32 values) for the oracle."""
        return tuple(a.astype(np.float64) if a.dtype.kind == "f" else a.copy() for a in self.arrays)

    def args(self) -> tuple[Any, ...]:
        """Fresh mygrad arguments: new Tensors / arrays every call."""
        return tuple(self._arg(i) for i in range(len(self.arrays)))

    def _arg(self, i: int) -> Any:
        a, w = self.arrays[i], self.wraps[i]
        if w == "variable":
            return mg.tensor(a, constant=False)
        if w == "constant":
            return mg.tensor(a, constant=True)
        if w == "scalar":
            return a.item()
        arr = a.copy()
        if self.read_only[i]:
            arr.flags.writeable = False
        return arr

    def constant_kwargs(self) -> dict[str, Any]:
        return {} if self.constant is ABSENT else {"constant": self.constant}

    def variable_indices(self) -> tuple[int, ...]:
        return tuple(i for i, w in enumerate(self.wraps) if w == "variable")

    def replace(self, **changes: Any) -> SampleCall:
        fields = {
            "arrays": self.arrays,
            "params": self.params,
            "wraps": self.wraps,
            "grad": self.grad,
            "constant": self.constant,
            "read_only": self.read_only,
            "extras": self.extras,
        }
        fields.update(changes)
        return SampleCall(**fields)

    # ------------------------------------------------------------------ reports
    def summary(self) -> str:
        lines = []
        for i, (a, w, ro) in enumerate(zip(self.arrays, self.wraps, self.read_only)):
            flag = ", read-only" if ro else ""
            lines.append(f"  arg {i}: {w}{flag} {a.dtype} shape={a.shape} {_short(a)}")
        if self.params:
            lines.append(f"  params: {dict(self.params)!r}")
        if self.constant is not ABSENT:
            lines.append(f"  constant={self.constant!r}")
        if self.grad is not None:
            lines.append(f"  grad: {self.grad.dtype} shape={self.grad.shape} {_short(self.grad)}")
        for key, value in self.extras.items():
            shown = _short(value) if isinstance(value, np.ndarray) else repr(value)
            lines.append(f"  {key}: {shown}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        parts = [f"arrays=({''.join(_literal(a) + ', ' for a in self.arrays)})"]
        parts.append(f"params={dict(self.params)!r}")
        parts.append(f"wraps={self.wraps!r}")
        if self.grad is not None:
            parts.append(f"grad={_literal(self.grad)}")
        if self.constant is not ABSENT:
            parts.append(f"constant={self.constant!r}")
        if any(self.read_only):
            parts.append(f"read_only={self.read_only!r}")
        if self.extras:
            shown = {
                k: (_literal(v) if isinstance(v, np.ndarray) else repr(v))
                for k, v in self.extras.items()
            }
            parts.append("extras={" + ", ".join(f"{k!r}: {v}" for k, v in shown.items()) + "}")
        return f"SampleCall({', '.join(parts)})"


def _default_wrap(a: np.ndarray) -> str:
    return "variable" if a.dtype.kind == "f" else "constant"


def _literal(a: np.ndarray) -> str:
    return f"np.array({a.tolist()!r}, dtype=np.{a.dtype.name})"


def _short(a: np.ndarray) -> str:
    return np.array2string(a, precision=6, threshold=16, max_line_width=200).replace("\n", "")
