"""views: memory sharing, ``base`` and view gradients match the op's claim and NumPy (S5).

For every array input, the output is a view of it exactly when the reference's output is
a view of the reference's copy of it (shares memory with it, or, when empty, has its memory
owner as ``.base``, as ``x[0:0]`` does); ``view=False`` must never share and
``view=True`` must share for every non-empty output. A view's ``base`` is the tensor owning
the memory (also when the input is itself a view), else None. After backward, a view's grad
is the view applied to its base's grad and a NumPy view of it (``v.grad.base is
base.grad``). A write through a view reaches its base as it does in NumPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import mygrad as mg

from ..draw import DrawMode, calls_with
from ..sample import SampleCall
from ..spec import OpSpec
from ._common import Checker, as_array

NAME = "views"
MODE = DrawMode(wraps=("variable", "constant", "array"), grad=True)


def applies(spec: OpSpec) -> str | None:
    return None if spec.differentiable is True else "not differentiable"


def strategy(spec: OpSpec) -> Any:
    # the first input is sometimes itself a view of a bigger tensor
    return calls_with(
        spec,
        MODE,
        lambda call: st.fixed_dictionaries(
            {
                "view_input": st.booleans()
                if call.wraps and call.wraps[0] in ("variable", "constant")
                else st.just(False)
            }
        ),
    )


def example_extras(spec: OpSpec, call: SampleCall) -> dict[str, Any]:
    return {"view_input": False}


def _args(call: SampleCall) -> tuple[tuple[Any, ...], mg.Tensor | None]:
    """Fresh arguments, and the root tensor when the first input is a view of it."""
    args = call.args()
    if not call.extras.get("view_input"):
        return args, None
    x = args[0]
    root = mg.tensor(np.stack([np.zeros_like(x.data), x.data]), constant=x.constant)
    return (root[1, ...], *args[1:]), root


def _is_view_of(result: np.ndarray, source: np.ndarray) -> bool:
    """Whether NumPy made ``result`` a view of ``source``: it shares memory with it, or it
    is empty (sharing nothing) and its base is ``source``'s memory owner."""
    if result is source:
        return True
    if result.size:
        return bool(np.shares_memory(result, source))
    owner = result.base
    return owner is not None and (owner is source or owner is source.base)


def _expected_sharing(
    spec: OpSpec, call: SampleCall
) -> tuple[np.ndarray, tuple[Any, ...], list[bool]]:
    inputs = call.numpy_args()
    expected = spec.reference(inputs, call.params)
    shares = [isinstance(a, np.ndarray) and _is_view_of(expected, a) for a in inputs]
    return expected, inputs, shares


def check(spec: OpSpec, call: SampleCall) -> None:
    ck = Checker(NAME, spec, call)
    expected, _, expected_shares = _expected_sharing(spec, call)
    args, root = _args(call)
    out = spec.call(args, call.params)
    if args and out is args[0]:
        return  # the op returned its input tensor itself (atleast_kd): nothing to check
    out_data = as_array(out)
    for i, (arg, want) in enumerate(zip(args, expected_shares)):
        if not isinstance(arg, (mg.Tensor, np.ndarray)):
            continue
        shares = _is_view_of(out_data, as_array(arg))
        if spec.view is False:
            ck.that(not want, f"claims view=False, but NumPy's result is a view of arg {i}")
            ck.that(not shares, f"claims view=False, but the output shares memory with arg {i}")
        elif spec.view is True and out_data.size and i == 0:
            ck.that(want, f"claims view=True, but NumPy's result is a copy of arg {i}")
            ck.that(shares, f"claims view=True, but the output does not share memory with arg {i}")
        ck.that(
            shares == want,
            f"the output {'shares' if shares else 'does not share'} memory with arg {i}, "
            f"NumPy's {'does' if want else 'does not'}",
        )
    source = args[0] if args else None
    is_view = isinstance(source, mg.Tensor) and _is_view_of(out_data, source.data)
    if not is_view:
        ck.that(out.base is None, "the output has a base but shares no memory with a Tensor input")
        return
    assert isinstance(source, mg.Tensor)
    owner = source.base if source.base is not None else source
    ck.that(out.base is owner, "the output's base is not the tensor that owns its memory")
    _check_write_through(ck, spec, call)
    if out.constant or owner.constant or call.grad is None:
        return
    out.backward(call.grad.copy())
    base_grad = owner.grad
    grad = out.grad
    if base_grad is None or grad is None:
        ck.fail(f"after backward through a view: base.grad is {base_grad}, view.grad is {grad}")
    ck.that(out.base is owner, "after backward, the view is no longer a view of its base")
    ck.that(grad.base is base_grad, "the view's grad is not a view of its base's grad")
    source_grad = base_grad[1, ...] if root is not None else base_grad
    replayed = spec.reference((source_grad, *call.numpy_args()[1:]), call.params)
    ck.same_array(grad, replayed, "the view's grad (the view applied to base.grad)")


def _check_write_through(ck: Checker, spec: OpSpec, call: SampleCall) -> None:
    """``out[...] = w`` changes the view's source exactly as the same write does in NumPy."""
    expected, inputs, shares = _expected_sharing(spec, call)
    if not (shares[0] and expected.flags.writeable and expected.size):
        return
    value = (expected * 2 + 1).astype(expected.dtype)
    expected[...] = value
    args, _ = _args(call)
    out = spec.call(args, call.params)
    out[...] = value
    ck.same_array(args[0].data, inputs[0], "the input after a write through the view")
