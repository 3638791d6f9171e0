"""The op registry: name -> OpDef, plus the NumPy counterparts that dispatch to them."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any, Literal

__all__ = [
    "OPS",
    "NUMPY",
    "OVERRIDES",
    "NONDIFF",
    "register",
    "register_override",
    "register_nondifferentiable",
    "ops",
]

OPS: dict[str, Any] = {}
# NumPy callable -> OpDef (differentiable ops with a NumPy counterpart)
NUMPY: dict[Callable[..., Any], Any] = {}
# NumPy callable -> a mygrad function that is not an op (e.g. zeros_like, argmax)
OVERRIDES: dict[Callable[..., Any], Callable[..., Any]] = {}
# NumPy callable -> "boolean" | "constant_only" | "passthrough" (no OpDef, no gradient)
NONDIFF: dict[Callable[..., Any], str] = {}


def register(op: Any) -> None:
    """Add ``op``; names and NumPy counterparts must be unique."""
    if op.name in OPS:
        raise ValueError(f"an op named {op.name!r} is already registered")
    if op.numpy is not None:
        _check_free(op.numpy)
        NUMPY[op.numpy] = op
    OPS[op.name] = op


def _check_free(func: Callable[..., Any]) -> None:
    if func in NUMPY or func in NONDIFF or func in OVERRIDES:
        raise ValueError(f"{func!r} already has a registered mygrad counterpart")


def register_override(func: Callable[..., Any], public: Callable[..., Any]) -> None:
    """Route ``func(tensor, ...)`` to ``public``, a mygrad function that is not an op."""
    _check_free(func)
    OVERRIDES[func] = public


def register_nondifferentiable(
    func: Callable[..., Any], how: Literal["boolean", "constant_only", "passthrough"]
) -> Callable[..., Any]:
    """Declare how a non-differentiable NumPy function treats tensors."""
    _check_free(func)
    NONDIFF[func] = how
    return func


def ops() -> MappingProxyType[str, Any]:
    """A read-only view of every registered op, by name."""
    return MappingProxyType(OPS)
