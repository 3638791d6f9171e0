"""method: ``tensor.<method>(...)`` equals the function (values, constant flag, grads).

Parameters go to the method positionally, in the function's order, as far as they were
drawn without a gap (``x.reshape(shape)``, ``x.sum(axis, keepdims)``); the rest by keyword.
"""

from __future__ import annotations

from typing import Any

import mygrad as mg

from ..draw import DrawMode, calls
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, tensors_in

NAME = "method"
MODE = DrawMode(need_tensor=True, grad=True)


def applies(spec: OpSpec) -> str | None:
    if spec.differentiable is not True:
        return "not differentiable"
    return None if spec.method else "no Tensor method"


def strategy(spec: OpSpec) -> Any:
    return calls(spec, MODE)


def method_arguments(
    spec: OpSpec, params: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    positional: list[str] = []
    for name in spec.param_order():
        if name not in params:
            break
        positional.append(name)
    keywords = {k: v for k, v in params.items() if k not in positional}
    return tuple(params[name] for name in positional), keywords


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    for name in spec.method:
        fn_args, m_args = call.args(), call.args()
        by_function = spec.call(fn_args, call.params)
        bound = getattr(m_args[0], name, None)
        if not callable(bound):
            ck.fail(f"Tensor has no method {name!r}")
        positional, keywords = method_arguments(spec, dict(call.params))
        by_method = bound(*m_args[1:], *positional, **keywords)
        ck.that(
            isinstance(by_method, mg.Tensor), f"x.{name}(...) returned a {type(by_method).__name__}"
        )
        ck.same_array(by_method, by_function.data, f"x.{name}(...)")
        ck.that(by_method.constant == by_function.constant, f"x.{name}(...).constant differs")
        if by_function.constant or call.grad is None:
            continue
        by_function.backward(call.grad)
        by_method.backward(call.grad)
        for (i, a), (_, b) in zip(tensors_in(fn_args), tensors_in(m_args)):
            if a.grad is None:
                ck.that(b.grad is None, f"arg {i} got a gradient only through x.{name}")
            else:
                ck.that(b.grad is not None, f"arg {i} got no gradient through x.{name}")
                ck.same_array(b.grad, a.grad, f"arg {i}'s gradient through x.{name}")
