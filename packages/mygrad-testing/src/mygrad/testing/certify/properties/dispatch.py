"""dispatch: ``np.<f>(tensor, ...)`` behaves exactly like mygrad's own function.

For ops with a NumPy counterpart: the same output values, dtype and constant flag, and,
after backward with the same upstream gradient, the same gradients.
"""

from __future__ import annotations

from typing import Any

import mygrad as mg

from ..draw import DrawMode, calls
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, tensors_in

NAME = "dispatch"
MODE = DrawMode(need_tensor=True, grad=True)


def applies(spec: OpSpec) -> str | None:
    if spec.differentiable is not True:
        return "not differentiable"
    return None if spec.numpy is not None else "no NumPy counterpart"


def strategy(spec: OpSpec) -> Any:
    return calls(spec, MODE)


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    own_args, np_args = call.args(), call.args()
    own = spec.call(own_args, call.params)
    via = spec.call_numpy(np_args, call.params)
    name = getattr(spec.numpy, "__name__", spec.name)
    ck.that(isinstance(via, mg.Tensor), f"np.{name}(tensor) returned a {type(via).__name__}")
    ck.same_array(via, own.data, f"np.{name}(tensor)")
    ck.that(via.constant == own.constant, f"np.{name}(tensor).constant is {via.constant}")
    if own.constant or call.grad is None:
        return
    own.backward(call.grad)
    via.backward(call.grad)
    for (i, a), (_, b) in zip(tensors_in(own_args), tensors_in(np_args)):
        if a.grad is None:
            ck.that(b.grad is None, f"arg {i} got a gradient only through np.{name}")
            continue
        ck.that(b.grad is not None, f"arg {i} got no gradient through np.{name}")
        ck.same_array(b.grad, a.grad, f"arg {i}'s gradient through np.{name}")
