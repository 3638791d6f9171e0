"""One module per certified property.

Each module has ``NAME``, ``applies(spec) -> str | None`` (None when the property applies,
else the reason it does not), ``strategy(spec)`` (a strategy of SampleCall) and
``check(spec, call)``, which raises ``AssertionError`` with a message starting
``[<property>] <op> (<dtype>):`` (and may return a float the harness hands to
``hypothesis.target``).
"""

from __future__ import annotations

from types import ModuleType

from . import (
    constant,
    differentiability,
    dispatch,
    dtype,
    forward,
    layouts,
    method,
    no_mutation,
    ufunc_dtype,
    ufunc_out,
    ufunc_where,
    views,
    vjp,
)

__all__ = ["PROPERTIES"]

PROPERTIES: dict[str, ModuleType] = {
    m.NAME: m
    for m in (
        forward,
        vjp,
        views,
        no_mutation,
        constant,
        dtype,
        dispatch,
        method,
        ufunc_out,
        ufunc_where,
        ufunc_dtype,
        layouts,
        differentiability,
    )
}
