"""ufunc_where: ``where=`` together with ``out=`` on mygrad ufuncs (api.md S6).

Masked-out entries keep the target's old values. Backpropagating from the target, the
inputs get the functional call's gradients with the upstream gradient masked, and the
target's previous value gets the upstream gradient exactly at the masked-out positions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mygrad as mg

from ..draw import DrawMode, calls_with, shapes_broadcasting_to
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker
from .ufunc_out import numpy_with_out, out_values, same_grads

NAME = "ufunc_where"
# gradients are compared, so inputs keep away from kinks and infinite derivatives
MODE = DrawMode(for_grad=True, wraps=("constant", "array", "scalar"))


def applies(spec: OpSpec) -> str | None:
    if spec.differentiable is not True:
        return "not differentiable"
    if not spec.is_ufunc:
        return "not a ufunc"
    return None if spec.supports_where else "does not accept where="


def _extras(spec: OpSpec, call: SampleCall) -> st.SearchStrategy[dict]:
    shape = spec.reference(call.numpy_args(), call.params).shape
    mask = shapes_broadcasting_to(shape).flatmap(lambda s: hnp.arrays(bool, s))
    return st.fixed_dictionaries({"out": out_values(spec, call), "where": mask})


def example_extras(spec: OpSpec, call: SampleCall) -> dict[str, Any]:
    expected = spec.reference(call.numpy_args(), call.params)
    checkerboard = np.indices(expected.shape).sum(axis=0) % 2 == 0
    return {"out": np.zeros(expected.shape, expected.dtype), "where": checkerboard}


def strategy(spec: OpSpec) -> Any:
    return calls_with(spec, MODE, lambda call: _extras(spec, call))


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    mask = call.extras["where"]
    expected = numpy_with_out(spec, call, where=mask)

    target = call.extras["out"].copy()
    result = spec.call(call.args(), call.params, out=target, where=mask.copy())
    ck.that(result.data is target, "out=ndarray, where=: the result does not wrap that array")
    ck.same_array(target, expected, "the out= array under where=")
    del result

    if expected.dtype.kind != "f":
        return
    old = mg.tensor(call.extras["out"])
    tensor_target = +old  # a non-leaf target, so its previous value's gradient is visible
    args = call.args()
    result = spec.call(args, call.params, out=tensor_target, where=mask.copy())
    ck.that(result is tensor_target, "out=Tensor, where=: did not return the target itself")
    ck.same_array(tensor_target, expected, "the out= Tensor under where=")
    if call.grad is None:
        return
    tensor_target.backward(call.grad)
    masked = np.where(mask, call.grad, 0).astype(call.grad.dtype)
    functional_args = call.args()
    functional = spec.call(functional_args, call.params)
    if not functional.constant:
        functional.backward(masked)
    same_grads(ck, args, functional_args, "through out=Tensor with where=")
    ck.that(old.grad is not None, "the target's previous value got no gradient")
    ck.same_array(
        old.grad,
        np.where(mask, 0, call.grad).astype(old.dtype),
        "the gradient of the target's previous value (g where masked out, else 0)",
        exact=False,
    )
