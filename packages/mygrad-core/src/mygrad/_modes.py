"""Graph-tracking and memory-guard modes, kept per thread and per async context (D12)."""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "no_autodiff",
    "mem_guard_off",
    "mem_guard_on",
    "mem_guard_active",
    "turn_memory_guarding_off",
    "turn_memory_guarding_on",
    "tracking_active",
    "detect_anomaly",
    "anomaly_active",
]

F = TypeVar("F", bound=Callable[..., Any])

_tracking: ContextVar[bool] = ContextVar("mygrad_tracking", default=True)
# None means "follow the process-wide default" set by turn_memory_guarding_on/off.
_mem_guard: ContextVar[bool | None] = ContextVar("mygrad_mem_guard", default=None)


def _guard_default_from_env() -> bool:
    raw = os.environ.get("MYGRAD_MEM_GUARD")
    if raw is None or raw in ("True", "true", "1"):
        return True
    if raw in ("False", "false", "0"):
        return False
    warnings.warn(
        f"MYGRAD_MEM_GUARD={raw!r} is not one of True/true/1/False/false/0; "
        "memory guarding stays on.",
        stacklevel=2,
    )
    return True


_GUARD_DEFAULT = [_guard_default_from_env()]

tracking_active = _tracking.get


def mem_guard_active() -> bool:
    """Whether arrays held by a live graph are made read-only in this context."""
    local = _mem_guard.get()
    return _GUARD_DEFAULT[0] if local is None else local


def turn_memory_guarding_off() -> None:
    """Switch memory guarding off for every thread that has no local override."""
    _GUARD_DEFAULT[0] = False


def turn_memory_guarding_on() -> None:
    """Switch memory guarding on for every thread that has no local override."""
    _GUARD_DEFAULT[0] = True


class _ModeSwitch:
    """A reusable, re-entrant context manager and decorator that sets a context variable.

    The previous values live on a stack that is itself a context variable, so nesting,
    threads and asyncio tasks each restore their own state.
    """

    def __init__(self, var: ContextVar[Any], value: Any, name: str) -> None:
        self._var = var
        self._value = value
        self._name = name
        self._saved: ContextVar[tuple[Any, ...]] = ContextVar(f"{name}_saved", default=())

    def __enter__(self) -> None:
        self._saved.set(self._saved.get() + (self._var.get(),))
        self._var.set(self._value)

    def __exit__(self, *exc_info: object) -> None:
        saved = self._saved.get()
        self._var.set(saved[-1])
        self._saved.set(saved[:-1])

    def _wrap(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def __call__(self, func: F) -> F:
        return self._wrap(func)

    def __repr__(self) -> str:
        return f"mygrad.{self._name}"


class _NoAutodiff(_ModeSwitch):
    """Turn graph tracking off: ``with mg.no_autodiff:``, ``@mg.no_autodiff``, or
    ``mg.no_autodiff(func, to_numpy=True)``.

    Inside it no graph is built, no memory is locked, ``backward()`` does nothing, and
    in-place operations write straight into the target's array.
    """

    def __call__(self, func: F, to_numpy: bool = False) -> F:
        wrapped = self._wrap(func)
        if not to_numpy:
            return wrapped

        @functools.wraps(func)
        def as_numpy(*args: Any, **kwargs: Any) -> Any:
            return np.asarray(wrapped(*args, **kwargs))

        return as_numpy  # type: ignore[return-value]

    def __bool__(self) -> bool:
        # upstream compatibility: the truth value is the tracking flag
        return _tracking.get()


no_autodiff = _NoAutodiff(_tracking, False, "no_autodiff")
mem_guard_off = _ModeSwitch(_mem_guard, False, "mem_guard_off")
mem_guard_on = _ModeSwitch(_mem_guard, True, "mem_guard_on")

_anomaly: ContextVar[bool] = ContextVar("mygrad_anomaly", default=False)
anomaly_active = _anomaly.get

detect_anomaly = _ModeSwitch(_anomaly, True, "detect_anomaly")
detect_anomaly.__doc__ = """Opt-in NaN anomaly mode (context manager and decorator).

Inside it, ops remember the line of user code that created them, and ``backward()`` raises
:class:`mygrad.errors.NonFiniteGradient` at the first op whose gradient contribution is not
finite, naming the op and that line. The failed backward clears the graph it ran on.
"""
