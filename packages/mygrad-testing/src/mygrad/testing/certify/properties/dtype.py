"""dtype: output and gradient dtypes (api.md S2).

With one dtype drawn per input, the output dtype is NumPy's on the same operands (Python
scalars promote weakly, D1). After ``backward`` with an upstream gradient of another float
dtype, every variable input's grad has its input's dtype and shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import mygrad as mg

from ..draw import DrawMode, calls_with, float_dtypes_of
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker

NAME = "dtype"
MODE = DrawMode(mixed_dtypes=True, grad=True)
_GRAD_DTYPES = (np.dtype(np.float64), np.dtype(np.float32), np.dtype(np.float16))


def applies(spec: OpSpec) -> str | None:
    if spec.differentiable is not True:
        return "not differentiable"
    return None if float_dtypes_of(spec) else "no float dtype in its hints row"


def strategy(spec: OpSpec) -> Any:
    return calls_with(
        spec,
        MODE,
        lambda call: st.fixed_dictionaries({"grad_dtype": st.sampled_from(_GRAD_DTYPES)}),
    )


def example_extras(spec: OpSpec, call: SampleCall) -> dict[str, Any]:
    return {"grad_dtype": np.dtype(np.float32)}


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    expected = spec.reference(call.numpy_args(), call.params)
    args = call.args()
    out = spec.call(args, call.params)
    ck.that(isinstance(out, mg.Tensor), f"returned a {type(out).__name__}, not a Tensor")
    ck.that(
        out.dtype == expected.dtype,
        f"output dtype {out.dtype}, NumPy gives {expected.dtype} for these operands",
    )
    if out.constant or call.grad is None:
        return
    out.backward(call.grad.astype(call.extras["grad_dtype"]))
    for i in call.variable_indices():
        t = args[i]
        if t.grad is None:
            continue
        ck.that(
            t.grad.dtype == t.dtype, f"arg {i}'s grad has dtype {t.grad.dtype}, the input {t.dtype}"
        )
        ck.that(
            t.grad.shape == t.shape, f"arg {i}'s grad has shape {t.grad.shape}, the input {t.shape}"
        )
