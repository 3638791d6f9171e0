"""no_mutation: an op never writes into its inputs or the upstream gradient (api.md S7).

Inputs (Tensor data, raw ndarrays, some of them natively read-only) and ``g`` equal their
snapshots after the forward and after backward. While the op lives, the arrays of its
inputs and its output are read-only; after backward (or ``clear_graph``) each regains its
original writeable flag (an array that was read-only stays read-only), and no lock is
left behind. Under ``mem_guard_off`` nothing is locked.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import mygrad as mg
from mygrad.extend import lock_count

from ..draw import DrawMode, calls_with
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker

NAME = "no_mutation"
MODE = DrawMode(read_only=True, grad=True)


def applies(spec: OpSpec) -> str | None:
    return None if spec.differentiable is True else "not differentiable"


def strategy(spec: OpSpec) -> Any:
    release = st.sampled_from(["backward", "clear_graph"])
    return calls_with(spec, MODE, lambda call: st.fixed_dictionaries({"release": release}))


def example_extras(spec: OpSpec, call: SampleCall) -> dict[str, Any]:
    return {"release": "backward"}


def _arrays_of(args: tuple[Any, ...]) -> list[tuple[int, np.ndarray]]:
    return [
        (i, a.data if isinstance(a, mg.Tensor) else a)
        for i, a in enumerate(args)
        if isinstance(a, (mg.Tensor, np.ndarray))
    ]


def _unchanged(
    ck: Checker, arrays: list[tuple[int, np.ndarray]], snaps: list[np.ndarray], when: str
) -> None:
    for (i, arr), snap in zip(arrays, snaps):
        ck.that(
            np.array_equal(arr, snap, equal_nan=arr.dtype.kind == "f"),
            f"arg {i} was mutated {when}",
        )


def _flag(writeable: bool) -> str:
    return "writeable" if writeable else "read-only"


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    locks_before = lock_count()
    args = call.args()
    arrays = _arrays_of(args)
    snaps = [a.copy() for _, a in arrays]
    writeable = [a.flags.writeable for _, a in arrays]
    out = spec.call(args, call.params)
    _unchanged(ck, arrays, snaps, "by the forward pass")
    returned_input = any(out is a for a in args)  # atleast_kd hands back its input itself
    live = isinstance(out, mg.Tensor) and not out.constant and not returned_input
    if live and mg.mem_guard_active():
        for i, a in arrays:
            ck.that(not a.flags.writeable, f"arg {i}'s array is writeable while the op lives")
        ck.that(not out.data.flags.writeable, "the output array is writeable while the op lives")
        if call.extras.get("release") == "clear_graph":
            out.clear_graph()
        elif call.grad is None:
            out.backward()
        else:
            g = call.grad.copy()
            out.backward(g)
            _unchanged(ck, arrays, snaps, "by backward")
            ck.that(np.array_equal(g, call.grad), "backward mutated the upstream gradient")
    released = call.extras.get("release", "backward")
    for (i, a), before in zip(arrays, writeable):
        now, was = _flag(a.flags.writeable), _flag(before)
        ck.that(now == was, f"arg {i}'s array is {now} after {released}, but was {was} before")
    del out
    ck.that(lock_count() == locks_before, "memory locks were left behind after backward")

    with mg.mem_guard_off:
        args = call.args()
        arrays = _arrays_of(args)
        writeable = [a.flags.writeable for _, a in arrays]
        kept = spec.call(args, call.params)
        for (i, a), before in zip(arrays, writeable):
            ck.that(a.flags.writeable == before, f"arg {i} was locked under mem_guard_off")
        del kept
