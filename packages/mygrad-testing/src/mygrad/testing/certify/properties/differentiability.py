"""differentiability: ops that are not differentiable behave as their class says (§6.1).

``"boolean"``: returns an ndarray equal to NumPy's for any tensors, building no graph.
``"constant_only"``: raises ValueError naming the op when any input is a variable tensor,
and returns NumPy's result for constant tensors and arrays. ``False`` (pass-through):
returns NumPy's value. In every class the inputs' grads and graphs are left untouched,
and a call NumPy rejects is rejected with NumPy's exception type.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg

from ..draw import DrawMode, calls
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, tensors_in

NAME = "differentiability"
MODE = DrawMode(wraps=("variable", "constant", "array"))


def applies(spec: OpSpec) -> str | None:
    return None if spec.differentiable is not True else "differentiable"


def strategy(spec: OpSpec) -> Any:
    return calls(spec, MODE)


def _same(ck: Checker, got: Any, want: Any, what: str) -> None:
    if isinstance(want, tuple):
        ck.that(
            isinstance(got, tuple) and len(got) == len(want), f"{what} is not a {len(want)}-tuple"
        )
        for j, (a, b) in enumerate(zip(got, want)):
            _same(ck, a, b, f"{what}[{j}]")
        return
    ck.that(not isinstance(got, mg.Tensor), f"{what} is a Tensor, not NumPy's value")
    ck.same_array(np.asarray(got), np.asarray(want), what)


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    args = call.args()
    variable = any(not t.constant for _, t in tensors_in(args))
    try:
        with np.errstate(all="ignore"):
            want = spec.call_numpy(call.numpy_args(), call.params)
    except Exception as exc:  # NumPy rejects these operands: so must mygrad
        try:
            spec.call(args, call.params)
        except type(exc):
            return
        ck.fail(f"NumPy raises {type(exc).__name__} here, the call on tensors does not")
    if spec.differentiable == "constant_only" and variable:
        try:
            spec.call(args, call.params)
        except ValueError as exc:
            name = getattr(spec.numpy, "__name__", spec.name)
            ck.that(name in str(exc), f"the ValueError does not name the op: {exc}")
            return
        ck.fail("a variable tensor input did not raise ValueError")
    with np.errstate(all="ignore"):
        got = spec.call(args, call.params)
    _same(ck, got, want, "the result")
    for i, t in tensors_in(args):
        ck.that(t.grad is None and t.creator is None, f"arg {i} gained a gradient or a graph")
