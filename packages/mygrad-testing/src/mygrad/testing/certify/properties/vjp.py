"""vjp: every variable float input's gradient equals the finite-difference oracle.

Checked through the public path, ``out = op(*args); out.backward(g)``, so broadcast
reduction, grad dtype casting and constant skipping are covered too. Each grad is an
ndarray of its input's shape and dtype that shares memory neither with ``g`` nor with
another input's grad; constant inputs keep ``grad is None``; the graph is cleared after
backward. The oracle differentiates the float64 reference at exactly the drawn point.

An op that declares what its VJP reads (``defop(reads=...)``) is differentiated with
everything else replaced by stand-ins, as a node over large arrays keeps it, so a value
left out of ``reads`` that the VJP does read shows up as a wrong gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import keep_only_reads

from ...oracles import Tolerance, assert_grads_close, numerical_vjp
from ..draw import DrawMode, calls, float_dtypes_of
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, coarser, tensors_in

NAME = "vjp"
# a run in which no example compared a gradient fails (a vacuous pass is not a pass)
MUST_COMPARE = True
MODE = DrawMode(for_grad=True, wraps=("constant", "array", "scalar"))


def applies(spec: OpSpec) -> str | None:
    if spec.differentiable is not True:
        return "not differentiable"
    if not float_dtypes_of(spec):
        return "no float dtype in its hints row"
    return None


def strategy(spec: OpSpec) -> Any:
    return calls(spec, MODE)


def tolerance_of(spec: OpSpec) -> Tolerance | None:
    """The hints row's ``{"float32": (rtol, atol)}`` overrides as a Tolerance."""
    rows = spec.hints.tolerance
    if not rows:
        return None
    return Tolerance(
        rtol={k: v[0] for k, v in rows.items()}, atol={k: v[1] for k, v in rows.items()}
    )


def check(spec: OpSpec, call: SampleCall) -> float | None:
    """Raise AssertionError on a wrong gradient; return the worst error/bound ratio (None
    when no gradient was compared: the harness fails a run in which that always happens)."""
    ck = Checker(NAME, spec, call)
    args = call.args()
    out = spec.call(args, call.params)
    ck.that(isinstance(out, mg.Tensor), f"returned a {type(out).__name__}, not a Tensor")
    variables = call.variable_indices()
    if not variables or call.grad is None:
        ck.that(out.constant, "no input is variable, yet the output is not constant")
        return None
    ck.that(not out.constant, "the output of variable float inputs is constant")
    g = call.grad
    seed = g.copy()
    if out.creator is not None:
        keep_only_reads(out.creator)
    out.backward(seed)
    ck.that(out.creator is None, "the graph is not cleared after backward (output has a creator)")
    ck.that(np.array_equal(seed, g), "backward changed the upstream gradient it was given")

    estimates = numerical_vjp(
        lambda *a, **kw: spec.reference(a, kw),
        call.float64_arrays(),
        g.astype(np.float64),
        wrt=variables,
        kwargs=dict(call.params),
        elementwise=spec.elementwise,
    )
    tol = tolerance_of(spec)
    worst = 0.0
    grads: list[tuple[int, np.ndarray]] = []
    for k, estimate in zip(variables, estimates):
        t = args[k]
        grad = t.grad
        what = f"the gradient of arg {k}"
        ck.that(grad is not None, f"{what} is None after backward")
        ck.that(type(grad) is np.ndarray, f"{what} is a {type(grad).__name__}, not an ndarray")
        ck.that(grad.shape == t.shape, f"{what} has shape {grad.shape}, the input {t.shape}")
        ck.that(grad.dtype == t.dtype, f"{what} has dtype {grad.dtype}, the input {t.dtype}")
        ck.that(not np.shares_memory(grad, seed), f"{what} shares memory with the upstream grad")
        for j, other in grads:
            ck.that(not np.shares_memory(grad, other), f"{what} shares memory with that of arg {j}")
        grads.append((k, grad))
        try:
            result = assert_grads_close(
                grad.astype(np.float64),
                estimate,
                dtype=coarser(t.dtype, out.dtype),
                tol=tol,
                label=f"{ck.prefix} {what}",
            )
        except AssertionError as err:
            raise AssertionError(f"{err}\n{call.summary()}") from None
        worst = max(worst, result.max_ratio)
    for i, t in tensors_in(args):
        if t.constant:
            ck.that(t.grad is None, f"the constant arg {i} received a gradient")
    return worst
