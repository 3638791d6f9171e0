"""ufunc_dtype: ``dtype=`` on mygrad ufuncs sets the computation dtype like NumPy's.

The output equals NumPy's with the same ``dtype=`` (or the call raises NumPy's exception
type); after backward, gradients still have their inputs' dtypes and shapes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..draw import DrawMode, calls_with
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker

NAME = "ufunc_dtype"
MODE = DrawMode(grad=True)
_DTYPES = (np.dtype(np.float64), np.dtype(np.float32), np.dtype(np.float16))


def applies(spec: OpSpec) -> str | None:
    if spec.differentiable is not True:
        return "not differentiable"
    return None if spec.is_ufunc else "not a ufunc"


def strategy(spec: OpSpec) -> Any:
    return calls_with(
        spec, MODE, lambda call: st.fixed_dictionaries({"dtype": st.sampled_from(_DTYPES)})
    )


def example_extras(spec: OpSpec, call: SampleCall) -> dict[str, Any]:
    return {"dtype": np.dtype(np.float32)}


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    dtype = call.extras["dtype"]
    try:
        with np.errstate(all="ignore"):
            expected = np.asarray(spec.numpy(*call.numpy_args(), dtype=dtype))  # type: ignore[misc]
    except Exception as exc:  # NumPy refuses this cast: mygrad must refuse it the same way
        try:
            spec.call(call.args(), call.params, dtype=dtype)
        except type(exc):
            return
        ck.fail(f"NumPy raises {type(exc).__name__} for dtype={dtype}, mygrad does not")
    args = call.args()
    out = spec.call(args, call.params, dtype=dtype)
    ck.same_array(out, expected, f"the output with dtype={dtype}")
    if out.constant or call.grad is None:
        return
    out.backward(call.grad.astype(out.dtype))
    for i in call.variable_indices():
        t = args[i]
        ck.that(t.grad is not None, f"arg {i} got no gradient with dtype={dtype}")
        ck.that(
            t.grad.dtype == t.dtype, f"arg {i}'s grad has dtype {t.grad.dtype}, the input {t.dtype}"
        )
        ck.that(t.grad.shape == t.shape, f"arg {i}'s grad has shape {t.grad.shape}")
