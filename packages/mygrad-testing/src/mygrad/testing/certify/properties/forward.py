"""forward: the output is a Tensor equal to the reference (values, shape and dtype).

Bit-identical when the spec's forward is exact (ufuncs, views, ops compared with their own
forward); otherwise within the dtype's forward tolerance. The same call under
``mg.no_autodiff`` gives the same values.
"""

from __future__ import annotations

from typing import Any

import mygrad as mg

from ..draw import DrawMode, calls
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, magnitude_scale

NAME = "forward"
MODE = DrawMode()


def applies(spec: OpSpec) -> str | None:
    return None if spec.differentiable is True else "not differentiable"


def strategy(spec: OpSpec) -> Any:
    return calls(spec, MODE)


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    expected = spec.reference(call.numpy_args(), call.params)
    out = spec.call(call.args(), call.params)
    ck.that(isinstance(out, mg.Tensor), f"returned a {type(out).__name__}, not a Tensor")
    scale = magnitude_scale(call)
    ck.same_array(out, expected, "the output", exact=spec.forward_exact, scale=scale)
    with mg.no_autodiff:
        quiet = spec.call(call.args(), call.params)
    ck.that(isinstance(quiet, mg.Tensor), "under no_autodiff it did not return a Tensor")
    ck.same_array(
        quiet, expected, "the output under no_autodiff", exact=spec.forward_exact, scale=scale
    )
