"""Argument checks shared by the strategies: each raises Hypothesis's InvalidArgument with a
message that names the argument and echoes the bad value."""

from __future__ import annotations

from typing import Any

from hypothesis.errors import InvalidArgument

__all__ = ["check", "check_int", "check_bool", "check_range"]


def check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


def check_int(value: Any, name: str, *, minimum: int | None = None, optional: bool = False) -> None:
    """``value`` is an int (not a bool), at least ``minimum``; None allowed if ``optional``."""
    if value is None and optional:
        return
    check(
        isinstance(value, int) and not isinstance(value, bool),
        f"{name} must be an int, got {name}={value!r}",
    )
    if minimum is not None:
        check(value >= minimum, f"{name} must be at least {minimum}, got {name}={value!r}")


def check_bool(value: Any, name: str) -> None:
    check(isinstance(value, bool), f"{name} must be a bool, got {name}={value!r}")


def check_range(low: Any, high: Any, low_name: str, high_name: str) -> None:
    """``low <= high`` (both already checked), or an error quoting both values."""
    if low is not None and high is not None:
        check(
            low <= high,
            f"{low_name} must not exceed {high_name}, got {low_name}={low!r}, {high_name}={high!r}",
        )
