"""Hints for mygrad-core's ops/linalg.py: matmul, einsum, multi_matmul, norm.

The einsum and norm rows draw whole calls. ``einsum_calls`` builds random valid
subscripts (repeated labels for traces/diagonals, labels summed away, broadcasting
ellipses, implicit outputs) together with matching operands; ``einsum_operands`` gives the
same draw as positional ``einsum`` arguments in either calling form, for direct tests.
"""

from __future__ import annotations

import string
from typing import Any

import hypothesis.strategies as st
import numpy as np

from ._row import Call, Hints

__all__ = ["ROWS", "einsum_calls", "einsum_operands", "norm_calls", "chain_shapes", "separated"]

MAX_SIDE = 4


@st.composite
def separated(draw: st.DrawFn, shape: tuple[int, ...], gap: float = 0.5) -> np.ndarray:
    """Values whose magnitudes are pairwise at least ``gap`` apart and at least ``gap``
    from 0, with random signs: no zeros (kinks) and no ties in ``abs`` (for max/min)."""
    size = int(np.prod(shape))
    order = draw(st.permutations(range(size)))
    jitter = draw(st.lists(st.floats(0.0, gap / 2), min_size=size, max_size=size))
    signs = draw(st.lists(st.sampled_from((-1.0, 1.0)), min_size=size, max_size=size))
    magnitudes = gap * (1.0 + np.asarray(order, dtype=float)) + np.asarray(jitter)
    return (np.asarray(signs) * magnitudes).reshape(shape)


# ------------------------------------------------------------------------------ einsum


@st.composite
def _einsum_problem(draw: st.DrawFn) -> tuple[list[str], str | None, list[tuple[int, ...]]]:
    """Operand terms (``...`` allowed), an output term or None (implicit), and shapes."""
    # mixed case labels exercise the ASCII order of implicit outputs and sublist labels
    pool = draw(st.lists(st.sampled_from("abcijkxyzAB"), min_size=1, max_size=4, unique=True))
    size = {lbl: draw(st.integers(1, MAX_SIDE)) for lbl in pool}
    n_operands = draw(st.integers(1, 3))
    use_ellipsis = draw(st.booleans()) and draw(st.booleans())
    broadcast = draw(st.lists(st.integers(1, 3), max_size=2)) if use_ellipsis else []

    terms: list[str] = []
    shapes: list[tuple[int, ...]] = []
    for _ in range(n_operands):
        # repeats within one term are diagonals/traces
        labels = draw(st.lists(st.sampled_from(pool), max_size=3))
        shape = [size[lbl] for lbl in labels]
        if use_ellipsis:
            n = draw(st.integers(0, len(broadcast)))
            dims = broadcast[len(broadcast) - n :]
            # size-1 axes inside an ellipsis broadcast against the other operands
            dims = [d if draw(st.booleans()) else 1 for d in dims]
            at = draw(st.integers(0, len(labels)))
            labels = [*labels[:at], "...", *labels[at:]]
            shape = [*shape[:at], *dims, *shape[at:]]
        terms.append("".join(labels))
        shapes.append(tuple(shape))

    output = None
    if draw(st.booleans()):
        used = sorted({c for t in terms for c in t.replace("...", "")})
        kept = draw(st.permutations(used))[: draw(st.integers(0, len(used)))]
        out_labels = list(kept)
        if use_ellipsis:
            out_labels.insert(draw(st.integers(0, len(out_labels))), "...")
        output = "".join(out_labels)
    return terms, output, shapes


def _as_sublist(term: str) -> list[Any]:
    letters = string.ascii_uppercase + string.ascii_lowercase
    out: list[Any] = []
    rest = term
    while rest:
        if rest.startswith("..."):
            out.append(Ellipsis)
            rest = rest[3:]
        else:
            out.append(letters.index(rest[0]))
            rest = rest[1:]
    return out


@st.composite
def einsum_calls(draw: st.DrawFn) -> Call:
    """A random valid einsum: ``Call(arrays, {"subscripts": ...})``."""
    terms, output, shapes = draw(_einsum_problem())
    subscripts = ",".join(terms) + ("" if output is None else "->" + output)
    arrays = tuple(draw(separated(s)) for s in shapes)
    return Call(arrays, {"subscripts": subscripts})


@st.composite
def einsum_operands(draw: st.DrawFn) -> tuple[Any, ...]:
    """Positional arguments for ``einsum``, in the subscripts or the interleaved form."""
    terms, output, shapes = draw(_einsum_problem())
    arrays = [draw(separated(s)) for s in shapes]
    if draw(st.booleans()):
        subscripts = ",".join(terms) + ("" if output is None else "->" + output)
        return (subscripts, *arrays)
    args: list[Any] = []
    for a, t in zip(arrays, terms):
        args += [a, _as_sublist(t)]
    if output is not None:
        args.append(_as_sublist(output))
    return tuple(args)


# ------------------------------------------------------------------------------ multi_matmul


@st.composite
def chain_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], ...]:
    """Shapes of 2-5 chainable arrays; the first and last may be 1-D vectors."""
    n = draw(st.integers(2, 5))
    dims = draw(st.lists(st.integers(1, MAX_SIDE), min_size=n + 1, max_size=n + 1))
    shapes: list[tuple[int, ...]] = [(dims[i], dims[i + 1]) for i in range(n)]
    if draw(st.booleans()):
        shapes[0] = shapes[0][1:]
    if draw(st.booleans()):
        shapes[-1] = shapes[-1][:1]
    return tuple(shapes)


def _multi_matmul_reference(*arrays: np.ndarray) -> Any:
    return np.linalg.multi_dot(arrays)


# ------------------------------------------------------------------------------ norm

_ORDS = (None, 2, 1, 3, 1.5, 0.5, -1, -2.5, np.inf, -np.inf)


@st.composite
def norm_calls(draw: st.DrawFn) -> Call:
    """A vector norm: the flattened L2 norm (any ndim), or any order along one axis."""
    shape: tuple[int, ...] = tuple(draw(st.lists(st.integers(1, MAX_SIDE), max_size=3)))
    # no nan_to_num: it only matters at zero entries, which these values avoid, and
    # np.linalg.norm (the dispatch check) does not take it
    params: dict[str, Any] = {"keepdims": draw(st.booleans())}
    if len(shape) > 0 and draw(st.booleans()):
        params["ord"] = draw(st.sampled_from(_ORDS))
        axis = draw(st.integers(-len(shape), len(shape) - 1))
        params["axis"] = draw(st.sampled_from((axis, (axis,))))
    elif len(shape) == 1:
        params["ord"] = draw(st.sampled_from(_ORDS))
    return Call((draw(separated(shape)),), params)


def _arange(*shape: int) -> np.ndarray:
    return np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)


_EINSUM_EXAMPLES = (
    Call((_arange(3, 3),), {"subscripts": "ii->i"}),  # a diagonal view
    Call((_arange(2, 3, 4),), {"subscripts": "ijk->kji"}),  # a transposed view
    Call((_arange(3, 3),), {"subscripts": "ii"}),  # the trace
    Call((_arange(2, 3), _arange(4)), {"subscripts": "ij,k->jk"}),  # i summed within one operand
    Call((_arange(2, 1, 3), _arange(4, 3)), {"subscripts": "...i,...i->..."}),  # broadcasting
)

ROWS = {
    # NumPy's own gufunc signature: the optional axes draw the 1-D promotions too
    "matmul": Hints(
        shapes=np.matmul.signature,
        examples=(Call((_arange(3), _arange(3))), Call((_arange(3), _arange(2, 3, 2)))),
    ),
    # einsum(subscripts, *operands): the subscripts go first, also for np.einsum
    "einsum": Hints(
        calls=einsum_calls,
        leading_params=("subscripts",),
        examples=_EINSUM_EXAMPLES,
        cost=3,
    ),
    "multi_matmul": Hints(shapes=chain_shapes, reference=_multi_matmul_reference, cost=2),
    "norm": Hints(calls=norm_calls, cost=2),
}
