"""Deliberately broken ops: the harness must fail each one, which proves it has teeth.

Each mutant is a correct op with exactly one defect, registered with ``defop`` from this
module, so its package is ``"mygrad.testing"`` and ``certification_cases("mygrad")`` never
sees it. ``MUTANTS`` maps a mutant's name to its spec, the property that must catch it and
the defect. Downstream users can run the kit against their own tolerance overrides:

>>> from mygrad.testing.mutants import MUTANTS
>>> sorted(MUTANTS)[:2]
['mutant_claims_copy_is_view', 'mutant_claims_view_is_copy']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from mygrad.extend import defop, execute

from .certify.spec import OpSpec
from .hints import Domain, Hints

__all__ = ["Mutant", "MUTANTS"]


@dataclass(frozen=True)
class Mutant:
    spec: OpSpec
    catches: str  # the property that must fail
    defect: str


def _first_slice_to(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``a`` cut down to ``shape`` by taking index 0 along broadcast axes (summing is right)."""
    a = a[(0,) * (a.ndim - len(shape))] if a.ndim > len(shape) else a
    index = tuple(slice(0, 1) if n == 1 else slice(None) for n in shape)
    return a[index]


# ------------------------------------------------------------------ gradient defects
@defop(name="mutant_scaled_grad", arrays=2)
def _scaled_grad(x1, x2):
    return np.multiply(x1, x2)


@_scaled_grad.vjp
def _scaled_grad_vjp(g, out, x1, x2):
    return 1.001 * g * x2, 1.001 * g * x1  # a 0.1 % error


@defop(name="mutant_sign_flip_at_one_element")
def _sign_flip(x):
    return np.square(x)


@_sign_flip.vjp
def _sign_flip_vjp(g, out, x):
    grad = 2 * g * x
    grad.flat[0] *= -1  # wrong sign at one element only
    return grad


@defop(name="mutant_unreduced_broadcast", arrays=2)
def _unreduced(x1, x2):
    return np.multiply(x1, x2)


@_unreduced.vjp
def _unreduced_vjp(g, out, x1, x2):
    # right shape, wrong values: one slice of the broadcast gradient instead of its sum
    return _first_slice_to(g * x2, np.shape(x1)), _first_slice_to(g * x1, np.shape(x2))


@defop(name="mutant_wrong_reduction_axis")
def _wrong_axis(x, axis):
    return np.sum(x, axis=axis)


@_wrong_axis.vjp
def _wrong_axis_vjp(g, out, x, axis):
    # g must be broadcast back along `axis`; this uses the other axis of the square input
    return np.broadcast_to(np.expand_dims(g, 1 - axis), x.shape)


# ------------------------------------------------------------------ forward defects
@defop(name="mutant_mutates_input")
def _mutates(x):
    out = np.square(x)
    x += 1  # writes into the caller's array
    return out


@_mutates.vjp
def _mutates_vjp(g, out, x):
    return 2 * g * x


@defop(name="mutant_wrong_dtype")
def _wrong_dtype(x):
    return np.square(x).astype(np.float32)


@_wrong_dtype.vjp
def _wrong_dtype_vjp(g, out, x):
    return 2 * g * x


@defop(name="mutant_forward_off_by_1e-6")
def _forward_off(x):
    return np.exp(x) * (1 + 1e-6)


@_forward_off.vjp
def _forward_off_vjp(g, out, x):
    return g * out


@defop(name="mutant_reads_undeclared_input", reads=("out",))
def _reads_undeclared(x):
    return np.exp(x)


@_reads_undeclared.vjp
def _reads_undeclared_vjp(g, out, x):
    return g * np.exp(x)  # right, but it reads x while declaring that it reads only out


@defop(name="mutant_reads_view_base")
def _reads_base(x):
    # reads a view's memory owner from its start: right only for arrays owning their memory
    source = x if x.base is None else np.resize(np.ravel(x.base), np.shape(x))
    return np.square(source)


@_reads_base.vjp
def _reads_base_vjp(g, out, x):
    return 2 * g * x


# ------------------------------------------------------------------ view defects
@defop(name="mutant_claims_view_is_copy", view=True)
def _claims_view(x):
    return np.ravel(x).copy()  # NumPy's ravel of a contiguous array is a view


@_claims_view.vjp
def _claims_view_vjp(g, out, x):
    return np.reshape(g, np.shape(x))


@defop(name="mutant_claims_copy_is_view", view=False)
def _claims_copy(x):
    return np.ravel(x)  # a view, declared as a copy


@_claims_copy.vjp
def _claims_copy_vjp(g, out, x):
    return np.reshape(g, np.shape(x))


# ------------------------------------------------------------------ constant defect
@defop(name="mutant_ignores_constant")
def _ignores_constant(x):
    return np.negative(x)


@_ignores_constant.vjp
def _ignores_constant_vjp(g, out, x):
    return -g


@_ignores_constant.frontend
def mutant_ignores_constant(x: Any, *, constant: bool | None = None) -> Any:
    """Negation whose front end drops the caller's ``constant=``."""
    return execute(_ignores_constant.op, (x,), {}, None)


# ------------------------------------------------------------------ the kit
def _square_shapes() -> st.SearchStrategy[tuple[tuple[int, ...], ...]]:
    return st.integers(2, 4).map(lambda n: ((n, n),))


def _mutant(public: Any, catches: str, defect: str, **hints: Any) -> tuple[str, Mutant]:
    spec = OpSpec.from_opdef(public.op, Hints(**hints))
    return spec.name, Mutant(spec, catches, defect)


MUTANTS: dict[str, Mutant] = dict(
    [
        _mutant(_scaled_grad, "vjp", "gradient scaled by 1.001", shapes="broadcastable",
                reference=np.multiply),
        _mutant(_sign_flip, "vjp", "gradient sign flipped at one element",
                domain=Domain(-10.0, 10.0, exclude=(0.0,)), reference=np.square),
        _mutant(_unreduced, "vjp", "broadcast gradient sliced instead of summed",
                shapes="broadcastable", reference=np.multiply),
        _mutant(_wrong_axis, "vjp", "reduction gradient expanded along the wrong axis",
                shapes=_square_shapes, params={"axis": lambda shapes: st.sampled_from([0, 1])},
                reference=lambda x, axis: np.sum(x, axis=axis)),
        _mutant(_mutates, "no_mutation", "forward writes into its input", reference=np.square),
        _mutant(_wrong_dtype, "forward", "output always float32", reference=np.square),
        _mutant(_forward_off, "forward", "output off by a relative 1e-6", reference=np.exp),
        _mutant(_reads_undeclared, "vjp", "reads an input its reads= leaves out",
                reference=np.exp),
        _mutant(_reads_base, "layouts", "reads a view's buffer from its owner's start",
                reference=np.square),
        _mutant(_claims_view, "views", "returns a copy where NumPy returns a view",
                reference=np.ravel),
        _mutant(_claims_copy, "views", "returns a view but declares view=False",
                reference=np.ravel),
        _mutant(mutant_ignores_constant, "constant", "ignores the constant= argument",
                reference=np.negative),
    ]
)
