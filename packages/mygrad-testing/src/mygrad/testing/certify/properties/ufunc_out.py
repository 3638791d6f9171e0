"""ufunc_out: ``out=`` on mygrad ufuncs (api.md S6).

``out=<ndarray>`` writes NumPy's result into that very array and returns a Tensor wrapping
it; a read-only ``out`` raises ValueError. ``out=<Tensor>`` is an in-place update: the call
returns the target itself holding NumPy's result, and backpropagating from the target gives
the inputs the same gradients as the functional call.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import mygrad as mg

from ..draw import DrawMode, calls_with, values
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, tensors_in

NAME = "ufunc_out"
# gradients are compared, so inputs keep away from kinks and infinite derivatives
MODE = DrawMode(for_grad=True, wraps=("constant", "array", "scalar"))


def applies(spec: OpSpec) -> str | None:
    if spec.differentiable is not True:
        return "not differentiable"
    return None if spec.is_ufunc else "not a ufunc"


def out_values(spec: OpSpec, call: SampleCall) -> st.SearchStrategy[np.ndarray]:
    """Initial values for an ``out=`` target of the call's output shape and dtype."""
    expected = spec.reference(call.numpy_args(), call.params)
    return values(expected.shape, expected.dtype, spec.hints.domain_of(0))


def strategy(spec: OpSpec) -> Any:
    return calls_with(
        spec, MODE, lambda call: st.fixed_dictionaries({"out": out_values(spec, call)})
    )


def example_extras(spec: OpSpec, call: SampleCall) -> dict[str, Any]:
    expected = spec.reference(call.numpy_args(), call.params)
    return {"out": np.zeros(expected.shape, expected.dtype)}


def numpy_with_out(spec: OpSpec, call: SampleCall, **kw: Any) -> np.ndarray:
    target = call.extras["out"].copy()
    with np.errstate(all="ignore"):
        spec.numpy(*call.numpy_args(), out=target, **kw)  # type: ignore[misc]
    return target


def same_grads(ck: Checker, got: tuple[Any, ...], want: tuple[Any, ...], how: str) -> None:
    for (i, a), (_, b) in zip(tensors_in(got), tensors_in(want)):
        if b.grad is None:
            ck.that(a.grad is None, f"arg {i} got a gradient only {how}")
        else:
            ck.that(a.grad is not None, f"arg {i} got no gradient {how}")
            ck.same_array(a.grad, b.grad, f"arg {i}'s gradient {how}", exact=False)


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    expected = numpy_with_out(spec, call)

    target = call.extras["out"].copy()
    result = spec.call(call.args(), call.params, out=target)
    ck.that(isinstance(result, mg.Tensor), f"out=ndarray returned a {type(result).__name__}")
    ck.that(result.data is target, "out=ndarray: the result does not wrap that very array")
    ck.same_array(target, expected, "the out= array")
    del result

    frozen = call.extras["out"].copy()
    frozen.flags.writeable = False
    try:
        spec.call(call.args(), call.params, out=frozen)
    except ValueError:
        pass
    else:
        ck.fail("a read-only out= array did not raise ValueError")

    if expected.dtype.kind != "f":
        return
    tensor_target = mg.tensor(call.extras["out"])
    args = call.args()
    result = spec.call(args, call.params, out=tensor_target)
    ck.that(result is tensor_target, "out=Tensor did not return the target itself")
    ck.same_array(tensor_target, expected, "the out= Tensor")
    if call.grad is None or tensor_target.constant:
        return
    tensor_target.backward(call.grad)
    functional_args = call.args()
    functional = spec.call(functional_args, call.params)
    if not functional.constant:
        functional.backward(call.grad)
    same_grads(ck, args, functional_args, "through out=Tensor")
