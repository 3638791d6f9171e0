"""Linear algebra: matmul, einsum, multi_matmul and the vector norm (``mygrad.linalg.norm``)."""

from __future__ import annotations

import functools
import string
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _inplace
from .._graph import Node
from .._modes import _tracking
from .._op import _split_inputs, defop, execute, record
from .._tensor import Tensor
from ..extend import expand_reduced, normalize_axis
from .einsum_gradient import operand_grad

# `norm` is public only as mygrad.linalg.norm, so it is not star-exported from here
__all__ = ["einsum", "matmul", "multi_matmul"]


# ------------------------------------------------------------------------------ matmul


@defop(np.matmul, kind="ufunc", reads=(0, 1))
def matmul(x1, x2):
    """Matrix product of two arrays; mirrors :data:`numpy.matmul` (no ``where=``).

    1-D operands are promoted to a row (first) or column (second) vector and the added
    axis is removed from the result; leading (batch) axes broadcast.

    >>> import mygrad as mg
    >>> mg.matmul([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
    Tensor([3., 7.])
    """


@matmul.vjp
def _matmul_vjp(g, out, x1, x2, needs=(True, True)):
    # c = a @ b  =>  dL/da = g @ b^T,  dL/db = a^T @ g; a 1-D operand is first promoted to a
    # matrix (row for x1, column for x2), so g gains that axis and the grad loses it again
    a = x1[np.newaxis, :] if x1.ndim == 1 else x1
    b = x2[:, np.newaxis] if x2.ndim == 1 else x2
    if type(g) is not np.ndarray:
        g = np.asarray(g)
    if x2.ndim == 1:
        g = g[..., np.newaxis]
    if x1.ndim == 1:
        g = np.expand_dims(g, -2)
    g_x1 = g_x2 = None
    if needs[0]:
        g_x1 = np.matmul(g, b.swapaxes(-1, -2))
        if x1.ndim == 1:
            g_x1 = g_x1[..., 0, :]
    if needs[1]:
        g_x2 = np.matmul(a.swapaxes(-1, -2), g)
        if x2.ndim == 1:
            g_x2 = g_x2[..., 0]
    # leading axes that only exist through broadcasting are summed away by the engine
    return g_x1, g_x2


# ------------------------------------------------------------------------------ einsum


@defop(np.einsum, arrays="sequence", view="maybe", name="einsum")
def _einsum(*arrays, subscripts, optimize=False):
    """``np.einsum(subscripts, *arrays)``: a pure function of the arrays and the params."""
    return np.einsum(subscripts, *arrays, optimize=optimize)


@_einsum.vjp
def _einsum_vjp(g, out, *arrays, subscripts, optimize=False, needs=None):
    g = np.asarray(g)
    arrays = tuple(np.asarray(a) for a in arrays)
    in_labels, out_labels = _explicit_labels(subscripts, tuple(a.ndim for a in arrays))
    grads: list[np.ndarray | None] = []
    for i, array in enumerate(arrays):
        if needs is not None and not needs[i]:
            grads.append(None)
            continue
        others = [(lbl, a) for j, (lbl, a) in enumerate(zip(in_labels, arrays)) if j != i]
        grads.append(operand_grad(g, out_labels, in_labels[i], array, others, optimize))
    return tuple(grads)


@functools.lru_cache(maxsize=256)
def _explicit_labels(subscripts: str, ndims: tuple[int, ...]) -> tuple[tuple[str, ...], str]:
    """Each operand's labels and the output's, with ellipses spelled out as letters.

    Implements NumPy's rules: an ellipsis stands for the (right-aligned, broadcast) axes
    not named explicitly, and without ``->`` the output is the broadcast axes followed by
    the labels that occur exactly once, in alphabetical (ASCII) order.
    """
    subscripts = subscripts.replace(" ", "")
    inputs, arrow, output = subscripts.partition("->")
    terms = inputs.split(",")
    spare = [c for c in string.ascii_letters if c not in subscripts]
    n_broadcast = [nd - (len(t) - 3) if "..." in t else 0 for t, nd in zip(terms, ndims)]
    broadcast = "".join(spare[: max(n_broadcast, default=0)])
    # each operand's ellipsis covers the last n broadcast axes (right-aligned)
    labels = tuple(
        t.replace("...", broadcast[len(broadcast) - n :] if n else "")
        for t, n in zip(terms, n_broadcast)
    )
    if arrow:
        return labels, output.replace("...", broadcast)
    counts: dict[str, int] = {}
    for term in terms:
        for c in term.replace("...", ""):
            counts[c] = counts.get(c, 0) + 1
    return labels, broadcast + "".join(sorted(c for c, n in counts.items() if n == 1))


def _sublist_label(item: Any) -> str:
    if item is Ellipsis:
        return "..."
    if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
        raise TypeError(
            "einsum sublists hold ints in [0, 52) or Ellipsis, "
            f"got {item!r} ({type(item).__name__})"
        )
    if not 0 <= item < 52:
        raise ValueError(f"einsum sublist label {item} is not within the valid range [0, 52)")
    # NumPy's own mapping (it decides the alphabetical order of an implicit output)
    return string.ascii_uppercase[item] if item < 26 else string.ascii_lowercase[item - 26]


def _sublist_term(sublist: Any) -> str:
    try:
        items = list(sublist)
    except TypeError:
        raise TypeError(f"einsum expected a sublist of axis labels, got {sublist!r}") from None
    return "".join(_sublist_label(item) for item in items)


def _parse_operands(operands: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """The subscripts string and the operands, from either calling form of einsum."""
    if not operands:
        raise TypeError("einsum() needs the subscripts and at least one operand")
    if isinstance(operands[0], str):
        return operands[0], operands[1:]
    # interleaved form: op0, sublist0, op1, sublist1, ..., [sublistout]
    pairs = len(operands) // 2
    arrays = tuple(operands[0 : 2 * pairs : 2])
    terms = ",".join(_sublist_term(s) for s in operands[1 : 2 * pairs : 2])
    if len(operands) % 2:
        terms += "->" + _sublist_term(operands[-1])
    return terms, arrays


@_einsum.frontend
def einsum(
    *operands: Any,
    optimize: Any = False,
    out: Any = None,
    constant: bool | None = None,
) -> Tensor:
    """Einstein summation, differentiable in every tensor operand; mirrors :func:`numpy.einsum`.

    Accepts the subscripts form ``einsum("ij,jk->ik", a, b)`` and the interleaved form
    ``einsum(a, [0, 1], b, [1, 2], [0, 2])``. The result is a view of a lone operand exactly
    when NumPy's is (``"ii->i"``, ``"ji"``). ``out`` may be an ndarray (written and wrapped)
    or a Tensor (updated in place).

    >>> import mygrad as mg
    >>> x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> mg.einsum("ii", x)
    Tensor(5.)
    >>> mg.einsum(x, [0, 1], [1])
    Tensor([4., 6.])
    """
    subscripts, inputs = _parse_operands(operands)
    op = _einsum.op
    params = {"subscripts": subscripts, "optimize": optimize}
    if out is None:
        return execute(op, inputs, params, constant)
    if isinstance(out, Tensor):
        return _einsum_into_tensor(op, inputs, out, params)
    arrays, tensors, any_variable = _split_inputs(inputs)
    result = np.einsum(subscripts, *arrays, out=out, optimize=optimize)
    return record(op, result, arrays, tensors, any_variable, params, constant, Tensor)


def _einsum_into_tensor(op: Any, inputs: tuple[Any, ...], target: Tensor, params: dict) -> Tensor:
    """``einsum(..., out=target)``: an in-place update of ``target`` (api.md S6)."""
    arrays, tensors, _ = _split_inputs(inputs)
    if not _tracking.get():
        np.einsum(params["subscripts"], *arrays, out=target.data, optimize=params["optimize"])
        return target
    _inplace._check_writeable(target)
    # computed on a copy: NumPy's casting and shape errors come before anything changes;
    # the copy keeps the target's layout, so its views' recorded chains stay views of it
    new = _inplace.scratch_copy(target.data)
    np.einsum(params["subscripts"], *arrays, out=new, optimize=params["optimize"])
    node = None
    if not target._constant:
        parents = tuple(_inplace._parent_node(t) for t in tensors)
        node = _inplace._finish_node(Node(op, parents, tuple(arrays), params, new, None))
        for t in tensors:
            if t is not None and not t._constant:
                t._grad = None
    _inplace.rebind(target, new, node)
    return target


# ------------------------------------------------------------------------------ multi_matmul


@defop(arrays="sequence", name="multi_matmul")
def multi_matmul(*arrays):
    """The matrix product of two or more arrays, in the cheapest association order.

    The first array may be 1-D (a row vector) and the last 1-D (a column vector); those
    axes are dropped from the result. Every other array must be 2-D. The result equals
    :func:`numpy.linalg.multi_dot`'s.

    >>> import mygrad as mg
    >>> mg.multi_matmul([[1.0, 2.0], [[1.0, 0.0], [0.0, 2.0]], [1.0, 1.0]])
    Tensor(5.)
    """
    _check_chain(arrays)
    return np.linalg.multi_dot(arrays)


def _check_chain(arrays: Sequence[Any]) -> None:
    if len(arrays) < 2:
        raise ValueError(f"multi_matmul needs at least two arrays, got {len(arrays)}")
    last = len(arrays) - 1
    for i, a in enumerate(arrays):
        nd = np.ndim(a)
        allowed = (1, 2) if i in (0, last) else (2,)
        if nd not in allowed:
            rule = "the first and last arrays must be 1-D or 2-D, the others 2-D"
            raise ValueError(f"multi_matmul: array {i} has {nd} dimension(s); {rule}")


@multi_matmul.vjp
def _multi_matmul_vjp(g, out, *arrays, needs=None):
    # promote to a chain of matrices: 1-D first -> row vector, 1-D last -> column vector
    mats = [np.asarray(a) for a in arrays]
    first_1d, last_1d = mats[0].ndim == 1, mats[-1].ndim == 1
    if first_1d:
        mats[0] = mats[0][np.newaxis, :]
    if last_1d:
        mats[-1] = mats[-1][:, np.newaxis]
    g = np.asarray(g).reshape(mats[0].shape[0], mats[-1].shape[1])
    grads: list[np.ndarray | None] = []
    for i, a in enumerate(arrays):
        if needs is not None and not needs[i]:
            grads.append(None)
            continue
        # C = L @ A_i @ R  =>  dL/dA_i = L^T @ g @ R^T, associated optimally by multi_dot
        chain = [m.T for m in reversed(mats[:i])] + [g] + [m.T for m in reversed(mats[i + 1 :])]
        grad = chain[0] if len(chain) == 1 else np.linalg.multi_dot(chain)
        grads.append(grad.reshape(np.shape(a)))
    return tuple(grads)


# ------------------------------------------------------------------------------ norm


def _check_vector_norm(x: Any, ord: Any, axis: Any) -> None:
    if (np.ndim(x) == 2 and ord is not None and axis is None) or (
        isinstance(axis, Sequence) and len(axis) > 1
    ):
        raise NotImplementedError(
            "mygrad.linalg.norm supports vector norms only, not matrix norms: give `axis` as "
            "a single int (or pass ord=None with axis=None for the norm of the flattened array)"
        )
    if not isinstance(ord, str) and ord is not None and ord == 0:
        raise NotImplementedError(
            "mygrad.linalg.norm(..., ord=0) is not differentiable (it counts non-zeros)"
        )


@defop(np.linalg.norm, name="norm")
def norm(x, ord=None, axis=None, keepdims=False, *, nan_to_num=True):
    """A vector norm; mirrors :func:`numpy.linalg.norm` for vectors (no matrix norms).

    ``ord`` may be None/2 (Euclidean), 1, any other non-zero p, or ``±inf`` (max/min of
    ``abs(x)``; the gradient goes to the first extremal entry). With ``ord=None`` and
    ``axis=None`` the input is flattened. ``nan_to_num=False`` makes the gradient nan at
    every zero entry; otherwise it is 0 there, also for the all-zero vector.

    >>> import mygrad as mg
    >>> from mygrad.linalg import norm
    >>> x = mg.tensor([3.0, 4.0])
    >>> n = norm(x)
    >>> n.backward()
    >>> x.grad
    array([0.6, 0.8])
    """
    _check_vector_norm(x, ord, axis)
    return np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


@norm.vjp
def _norm_vjp(g, out, x, ord=None, axis=None, keepdims=False, nan_to_num=True):
    x = np.asarray(x)
    axes = normalize_axis(axis, x.ndim)
    g = expand_reduced(g, x.shape, axes, keepdims)
    n = expand_reduced(out, x.shape, axes, keepdims)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if ord is None or ord == 2:
            d = x / n  # d|x|_2/dx = x / |x|_2
        elif ord == 1:
            d = np.sign(x)
        elif np.isinf(ord):
            d = np.where(_first_extremum(np.abs(x), axes[0], largest=ord > 0), np.sign(x), 0)
        else:
            # d(sum |x|^p)^(1/p)/dx = sign(x) * (|x| / |x|_p)^(p - 1)
            d = np.sign(x) * (np.abs(x) / n) ** (ord - 1)
        # 0/0 and 0*inf arise only at zero entries: the subgradient 0 there (D4), or nan
        d = np.where(x == 0, 0 if nan_to_num else np.nan, d)
        return g * d


def _first_extremum(a: np.ndarray, axis: int, largest: bool) -> np.ndarray:
    """A boolean mask of the first max (or min) of ``a`` along ``axis``."""
    pick = np.argmax if largest else np.argmin
    mask = np.zeros(a.shape, dtype=bool)
    np.put_along_axis(mask, pick(a, axis=axis, keepdims=True), True, axis=axis)
    return mask
