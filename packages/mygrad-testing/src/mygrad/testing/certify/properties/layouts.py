"""layouts: the op gives the same values and gradients whatever its inputs' memory layout.

Each array input is passed in a drawn layout (Fortran order, a strided or offset view of a
bigger buffer, negative strides, a read-only stride-0 broadcast), wrapped without a copy,
and compared with the same call on C-contiguous inputs. Hypothesis only ever draws
contiguous arrays, and stride bugs hide exactly there.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import mygrad as mg

from ...strategies import LAYOUTS, with_layout
from ..draw import DrawMode, calls_with, float_dtypes_of
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, magnitude_scale, tensors_in

NAME = "layouts"
MODE = DrawMode(for_grad=True, wraps=("constant", "array"))


def applies(spec: OpSpec) -> str | None:
    if spec.differentiable is not True:
        return "not differentiable"
    return None if float_dtypes_of(spec) else "no float dtype in its hints row"


def strategy(spec: OpSpec) -> Any:
    def extras(call: SampleCall) -> Any:
        names = st.tuples(*(st.sampled_from(LAYOUTS) for _ in call.arrays))
        return st.fixed_dictionaries({"layouts": names})

    return calls_with(spec, MODE, extras)


def example_extras(spec: OpSpec, call: SampleCall) -> dict[str, Any]:
    return {"layouts": ("f",) * len(call.arrays)}


def _laid_out(call: SampleCall) -> tuple[Any, ...]:
    args: list[Any] = []
    for a, wrap, layout in zip(call.arrays, call.wraps, call.extras["layouts"]):
        # a 0-d array has no strides to vary (and np.ascontiguousarray would make it 1-d)
        data = with_layout(a, layout) if a.ndim else a.copy()
        if wrap in ("variable", "constant"):
            args.append(mg.tensor(data, constant=wrap == "constant", copy=False))
        else:
            args.append(data)
    return tuple(args)


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    plain, laid = call.args(), _laid_out(call)
    want = spec.call(plain, call.params)
    got = spec.call(laid, call.params)
    scale = magnitude_scale(call)
    ck.same_array(got, want.data, "the output on non-contiguous inputs", exact=False, scale=scale)
    if want.constant or call.grad is None:
        return
    want.backward(call.grad)
    got.backward(call.grad)
    for (i, a), (_, b) in zip(tensors_in(plain), tensors_in(laid)):
        if a.grad is None:
            ck.that(b.grad is None, f"arg {i} got a gradient only when non-contiguous")
            continue
        ck.that(b.grad is not None, f"arg {i} got no gradient when non-contiguous")
        scale_i = scale * float(np.abs(call.grad).max(initial=1.0))
        ck.same_array(b.grad, a.grad, f"arg {i}'s gradient on non-contiguous inputs",
                      exact=False, scale=scale_i)
