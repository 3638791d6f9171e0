"""constant: the output's constant flag follows api.md S1, for every ``constant=`` value.

Ufuncs that NumPy runs on integers are also called with int64 inputs (integer tensors
are always constant), whatever dtypes their hints row lists.

An explicit ``constant=`` wins, except that ``constant=False`` on an integer output raises
ValueError; otherwise the output is constant iff every Tensor input is constant (arrays and
scalars count as constants) or its dtype is not float. Input flags never change. A constant
output has no graph and backward leaves every input's grad None; a variable output's
backward reaches every differentiated variable input and no constant one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...checkers import expected_constant
from ..draw import DrawMode, calls, differentiated
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, tensors_in

NAME = "constant"
MODE = DrawMode(constant_kw=True, grad=True, integers=True)


def applies(spec: OpSpec) -> str | None:
    return None if spec.differentiable is True else "not differentiable"


def strategy(spec: OpSpec) -> Any:
    return calls(spec, MODE)


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    args = call.args()
    kw = call.constant_kwargs()
    requested = kw.get("constant")
    try:
        dest = spec.reference(call.numpy_args(), call.params).dtype
    except Exception as exc:  # e.g. integers to negative integer powers: mygrad raises too
        try:
            spec.call(args, call.params, **kw)
        except type(exc):
            return
        ck.fail(f"NumPy raises {type(exc).__name__} for these operands, the op does not")
    if requested is False and dest.kind != "f":
        try:
            spec.call(args, call.params, **kw)
        except ValueError:
            return
        ck.fail(f"constant=False with a {dest} output did not raise ValueError")
    flags = [(i, t, t.constant) for i, t in tensors_in(args)]
    out = spec.call(args, call.params, **kw)
    want = expected_constant(*args, dest_dtype=out.dtype, constant=requested)
    ck.that(out.constant == want, f"output constant={out.constant}, expected {want} (S1)")
    for i, t, before in flags:
        ck.that(t.constant == before, f"arg {i}'s constant flag changed from {before}")
    if out.constant:
        ck.that(out.creator is None, "a constant output has a graph (creator is set)")
        out.backward()
        for i, t, _ in flags:
            ck.that(t.grad is None, f"arg {i} got a gradient from a constant output")
        return
    grad = call.grad if call.grad is not None else np.ones(out.shape, out.dtype)
    out.backward(grad)
    reached = differentiated(spec, call.arrays)
    for i, t, _ in flags:
        if t.constant:
            ck.that(t.grad is None, f"the constant arg {i} got a gradient")
        elif i in reached:
            ck.that(t.grad is not None, f"the variable arg {i} got no gradient")
