"""Shape manipulation, transposition, joining and tiling (api.md §3.3-§3.5), plus the
ndarray helper ``sliding_window_view`` (§14.5).

The view ops (reshape, ravel, squeeze, expand_dims, broadcast_to, atleast_kd, transpose,
moveaxis, swapaxes) have forwards that are pure functions of ``(array, params)``: the
engine replays them on a base's grad and on a base's new value, which is how a view's
grad is a view of its base's grad and how writes through views reach the base. They are
declared ``view="maybe"``: a result is a view exactly when it shares memory with the input,
as NumPy decides per call (an empty result shares none; D6: the very same array counts).
flatten, roll, repeat, concatenate and stack always copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import _inplace
from .._graph import Node
from .._modes import _tracking
from .._op import OpDef, _split_inputs, defop, execute, record
from .._tensor import Tensor
from ..extend import normalize_axis, unbroadcast

__all__ = [
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "broadcast_to",
    "concatenate",
    "expand_dims",
    "moveaxis",
    "ravel",
    "repeat",
    "reshape",
    "roll",
    "sliding_window_view",
    "squeeze",
    "stack",
    "swapaxes",
    "transpose",
]


def _fresh_view(out: np.ndarray, a: Any) -> np.ndarray:
    """``out``, but a new view object where NumPy returned ``a`` itself (squeeze of a 0-d
    array, atleast_kd of an array with enough dims): it is recorded as a view (D6), and a
    view's grad, replayed on its base's grad, must then be a view of that grad too."""
    return out.view() if out is a else out


def _reshape_back(g: np.ndarray, a: Any) -> np.ndarray:
    # the VJP of any op that only changes the shape: the same entries, the input's shape
    return np.reshape(g, np.shape(a))


# ------------------------------------------------------------------------------ shape


@defop(np.reshape, view="maybe", method="reshape", name="reshape")
def reshape(a, newshape):
    """Give ``a`` a new shape without changing its data; mirrors :func:`numpy.reshape`.

    A view whenever NumPy can reshape without copying. One dimension may be -1.

    >>> import mygrad as mg
    >>> x = mg.arange(6.0)
    >>> y = mg.reshape(x, (2, -1))
    >>> y.base is x
    True
    """
    return np.reshape(a, newshape)


@reshape.vjp
def _reshape_vjp(g, out, a, newshape):
    return _reshape_back(g, a)


@defop(np.ravel, view="maybe", method="ravel", name="ravel")
def ravel(a):
    """The flattened (C order) array; mirrors :func:`numpy.ravel`.

    A view of a C-contiguous input, a copy otherwise.

    >>> import mygrad as mg
    >>> mg.ravel(mg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([1., 2., 3., 4.])
    """
    return np.ravel(a)


@ravel.vjp
def _ravel_vjp(g, out, a):
    return _reshape_back(g, a)


@defop(method="flatten", name="flatten")
def flatten(a):
    """A flattened (C order) copy of ``a``, as ``ndarray.flatten``; never a view.

    >>> import mygrad as mg
    >>> mg.tensor([[1.0, 2.0], [3.0, 4.0]]).flatten()
    Tensor([1., 2., 3., 4.])
    """
    return np.asarray(a).flatten()


@flatten.vjp
def _flatten_vjp(g, out, a):
    return _reshape_back(g, a)


@defop(np.squeeze, view="maybe", method="squeeze", name="squeeze")
def squeeze(a, axis=None):
    """Remove axes of length one (all of them, or those in ``axis``); mirrors
    :func:`numpy.squeeze`. Selecting an axis whose length is not one raises ValueError.

    >>> import mygrad as mg
    >>> mg.squeeze(mg.zeros((1, 3, 1))).shape
    (3,)
    """
    return _fresh_view(np.squeeze(a, axis=axis), a)


@squeeze.vjp
def _squeeze_vjp(g, out, a, axis=None):
    return _reshape_back(g, a)


@defop(np.expand_dims, view="maybe", name="expand_dims")
def expand_dims(a, axis):
    """Insert axes of length one at ``axis`` (an int or a tuple of positions in the
    result); mirrors :func:`numpy.expand_dims`.

    >>> import mygrad as mg
    >>> mg.expand_dims(mg.zeros((2, 3)), (0, -1)).shape
    (1, 2, 3, 1)
    """
    return np.expand_dims(a, axis)


@expand_dims.vjp
def _expand_dims_vjp(g, out, a, axis):
    return _reshape_back(g, a)


@defop(np.broadcast_to, view="maybe", name="broadcast_to")
def broadcast_to(a, shape):
    """A read-only view of ``a`` broadcast to ``shape``; mirrors :func:`numpy.broadcast_to`.

    Writing into the result raises ValueError. Its gradient sums over the broadcast axes.

    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0])
    >>> mg.broadcast_to(x, (3, 2)).sum().backward()
    >>> x.grad
    array([3., 3.])
    """
    return np.broadcast_to(a, shape)


@broadcast_to.vjp
def _broadcast_to_vjp(g, out, a, shape):
    # each input entry feeds every output entry it was broadcast to: sum their cotangents
    return unbroadcast(g, np.shape(a))


def _atleast_frontend(op: OpDef, k: int) -> Callable[..., Any]:
    def atleast_kd(*tensors: Any, constant: bool | None = None) -> Any:
        results = [_atleast_one(op, k, t, constant) for t in tensors]
        return results[0] if len(results) == 1 else results

    atleast_kd.__name__ = atleast_kd.__qualname__ = op.name
    atleast_kd.__module__ = __name__
    atleast_kd.__doc__ = op.forward.__doc__
    return op.frontend(atleast_kd)


def _atleast_one(op: OpDef, k: int, x: Any, constant: bool | None) -> Any:
    # a tensor that already has k dims and the requested constness is returned unchanged
    if isinstance(x, Tensor) and x.ndim >= k and (constant is None or constant == x.constant):
        return x
    return execute(op, (x,), {}, constant)


def _atleast_vjp(g, out, a):
    return _reshape_back(g, a)


@defop(np.atleast_1d, view="maybe", name="atleast_1d")
def _atleast_1d(a):
    """Each input as a tensor with at least one dimension; mirrors :func:`numpy.atleast_1d`.

    One input gives one tensor (an input tensor that already qualifies is returned
    itself); several give a list.

    >>> import mygrad as mg
    >>> mg.atleast_1d(2.0)
    Tensor([2.])
    """
    return _fresh_view(np.atleast_1d(a), a)


@defop(np.atleast_2d, view="maybe", name="atleast_2d")
def _atleast_2d(a):
    """Each input as a tensor with at least two dimensions (a 1-D input becomes a row);
    mirrors :func:`numpy.atleast_2d`.

    One input gives one tensor (an input tensor that already qualifies is returned
    itself); several give a list.

    >>> import mygrad as mg
    >>> mg.atleast_2d([1.0, 2.0]).shape
    (1, 2)
    """
    return _fresh_view(np.atleast_2d(a), a)


@defop(np.atleast_3d, view="maybe", name="atleast_3d")
def _atleast_3d(a):
    """Each input as a tensor with at least three dimensions (``(n,)`` -> ``(1, n, 1)``,
    ``(m, n)`` -> ``(m, n, 1)``); mirrors :func:`numpy.atleast_3d`.

    One input gives one tensor (an input tensor that already qualifies is returned
    itself); several give a list.

    >>> import mygrad as mg
    >>> mg.atleast_3d([1.0, 2.0]).shape
    (1, 2, 1)
    """
    return _fresh_view(np.atleast_3d(a), a)


_atleast_1d.vjp(_atleast_vjp)
_atleast_2d.vjp(_atleast_vjp)
_atleast_3d.vjp(_atleast_vjp)
atleast_1d = _atleast_frontend(_atleast_1d.op, 1)
atleast_2d = _atleast_frontend(_atleast_2d.op, 2)
atleast_3d = _atleast_frontend(_atleast_3d.op, 3)


# ------------------------------------------------------------------------------ transpose-like


@defop(np.transpose, view="maybe", method="transpose", name="transpose")
def _transpose(a, axes=None):
    """``np.transpose(a, axes)``: a pure function of the array and ``axes``."""
    return np.transpose(a, axes)


@_transpose.vjp
def _transpose_vjp(g, out, a, axes=None):
    if axes is None:
        return np.transpose(g)
    # the inverse permutation puts every axis back where it came from
    order = [int(ax) % max(np.ndim(a), 1) for ax in axes]
    return np.transpose(g, np.argsort(order))


def _transpose_axes(axes: tuple[Any, ...], keyword: dict[str, Any]) -> Any:
    if keyword:
        unknown = set(keyword) - {"axes"}
        if unknown:
            raise TypeError(f"transpose() got unexpected keyword argument(s): {sorted(unknown)}")
        if axes:
            raise TypeError("transpose() got `axes` both positionally and by keyword")
        axes = (keyword["axes"],)
    if not axes:
        return None
    if len(axes) == 1:
        (only,) = axes
        if only is None:
            return None
        if isinstance(only, (int, np.integer)):
            return (only,)
        return tuple(only)
    return axes


@_transpose.frontend
def transpose(a: Any, *axes: Any, constant: bool | None = None, **axes_keyword: Any) -> Tensor:
    """Permute the axes of ``a`` (reverse them by default); mirrors :func:`numpy.transpose`.

    The axes may be given as varargs, as one tuple, as None, or as ``axes=`` (NumPy's
    keyword). Always a view.

    >>> import mygrad as mg
    >>> x = mg.zeros((2, 3, 4))
    >>> mg.transpose(x).shape, mg.transpose(x, 1, 0, 2).shape, x.transpose((2, 0, 1)).shape
    ((4, 3, 2), (3, 2, 4), (4, 2, 3))
    """
    return execute(_transpose.op, (a,), {"axes": _transpose_axes(axes, axes_keyword)}, constant)


@defop(np.moveaxis, view="maybe", method="moveaxis", name="moveaxis")
def moveaxis(a, source, destination):
    """Move the axes at ``source`` to ``destination`` (ints or equal-length sequences),
    keeping the others in order; mirrors :func:`numpy.moveaxis`.

    >>> import mygrad as mg
    >>> mg.moveaxis(mg.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    return np.moveaxis(a, source, destination)


@moveaxis.vjp
def _moveaxis_vjp(g, out, a, source, destination):
    return np.moveaxis(g, destination, source)


@defop(np.swapaxes, view="maybe", method="swapaxes", name="swapaxes")
def swapaxes(a, axis1, axis2):
    """Interchange two axes; mirrors :func:`numpy.swapaxes`.

    >>> import mygrad as mg
    >>> mg.swapaxes(mg.zeros((2, 3, 4)), 0, 2).shape
    (4, 3, 2)
    """
    return np.swapaxes(a, axis1, axis2)


@swapaxes.vjp
def _swapaxes_vjp(g, out, a, axis1, axis2):
    return np.swapaxes(g, axis1, axis2)


@defop(np.roll, name="roll")
def roll(a, shift, axis=None):
    """Roll entries along ``axis`` (the flattened array if None) by ``shift``; entries
    that leave one end come back at the other. ``shift`` and ``axis`` may be tuples.
    Mirrors :func:`numpy.roll`; always a copy.

    >>> import mygrad as mg
    >>> mg.roll(mg.tensor([1.0, 2.0, 3.0]), 1)
    Tensor([3., 1., 2.])
    """
    return np.roll(a, shift, axis)


@roll.vjp
def _roll_vjp(g, out, a, shift, axis=None):
    # rolling back by the same amounts returns every cotangent to the entry it came from
    back = np.negative(shift)
    back = int(back) if back.ndim == 0 else tuple(int(s) for s in back.ravel())
    return np.roll(g, back, axis)


# ------------------------------------------------------------------------------ joining


def _check_out_and_dtype(name: str, out: Any, dtype: Any) -> None:
    if out is not None and dtype is not None:
        raise TypeError(f"{name}() takes `out` or `dtype` as an argument, not both")


def _join_into_tensor(
    op: OpDef, inputs: tuple[Any, ...], target: Tensor, params: dict[str, Any]
) -> Tensor:
    """``op(inputs, out=target)``: an in-place update of ``target`` (api.md S6)."""
    arrays, tensors, _ = _split_inputs(inputs)
    if not _tracking.get():
        op.numpy(arrays, out=target.data, **params)  # type: ignore[misc]
        return target
    _inplace._check_writeable(target)
    # computed on a copy: NumPy's casting and shape errors come before anything changes;
    # the copy keeps the target's layout, so its views' recorded chains stay views of it
    new = _inplace.scratch_copy(target.data)
    op.numpy(arrays, out=new, **params)  # type: ignore[misc]
    node = None
    if not target._constant:
        parents = tuple(_inplace._parent_node(t) for t in tensors)
        node = _inplace._finish_node(Node(op, parents, tuple(arrays), params, new, None))
        for t in tensors:
            if t is not None and not t._constant:
                t._grad = None
    _inplace.rebind(target, new, node)
    return target


def _join(
    op: OpDef,
    tensors: Any,
    params: dict[str, Any],
    out: Any,
    constant: bool | None,
) -> Tensor:
    inputs = tuple(tensors)
    if out is None:
        return execute(op, inputs, params, constant)
    if isinstance(out, Tensor):
        return _join_into_tensor(op, inputs, out, params)
    arrays, tensors_, any_variable = _split_inputs(inputs)
    result = op.numpy(arrays, out=out, **params)  # type: ignore[misc]
    return record(op, result, arrays, tensors_, any_variable, params, constant, Tensor)


@defop(np.concatenate, arrays="sequence", name="concatenate")
def _concatenate(*arrays, axis=0, dtype=None):
    """``np.concatenate(arrays, axis=axis, dtype=dtype)``."""
    return np.concatenate(arrays, axis=axis, dtype=dtype)


@_concatenate.vjp
def _concatenate_vjp(g, out, *arrays, axis=0, dtype=None):
    if axis is None:
        # the inputs were flattened: split the flat cotangent and give each its shape
        sizes = [np.size(a) for a in arrays]
        pieces = np.split(g, np.cumsum(sizes)[:-1])
        return tuple(np.reshape(p, np.shape(a)) for p, a in zip(pieces, arrays))
    ax = normalize_axis(axis, g.ndim)[0]
    bounds = np.cumsum([np.shape(a)[ax] for a in arrays])[:-1]
    return tuple(np.split(g, bounds, axis=ax))


@_concatenate.frontend
def concatenate(
    tensors: Any,
    axis: int | None = 0,
    out: Any = None,
    dtype: Any = None,
    *,
    constant: bool | None = None,
) -> Tensor:
    """Join a sequence of arrays along an existing axis (``axis=None`` flattens them
    first); mirrors :func:`numpy.concatenate`. Always a copy.

    ``out`` may be an ndarray (written and wrapped) or a Tensor (updated in place).

    >>> import mygrad as mg
    >>> mg.concatenate([mg.zeros((1, 2)), mg.ones((2, 2))]).shape
    (3, 2)
    """
    _check_out_and_dtype("concatenate", out, dtype)
    params: dict[str, Any] = {"axis": axis}
    if dtype is not None:
        params["dtype"] = dtype
    return _join(_concatenate.op, tensors, params, out, constant)


@defop(np.stack, arrays="sequence", name="stack")
def _stack(*arrays, axis=0):
    """``np.stack(arrays, axis=axis)``."""
    return np.stack(arrays, axis=axis)


@_stack.vjp
def _stack_vjp(g, out, *arrays, axis=0):
    # input i is the slice i of the new axis
    along_front = np.moveaxis(g, normalize_axis(axis, g.ndim)[0], 0)
    return tuple(along_front[i] for i in range(len(arrays)))


@_stack.frontend
def stack(tensors: Any, axis: int = 0, out: Any = None, *, constant: bool | None = None) -> Tensor:
    """Join a sequence of same-shape arrays along a new axis; mirrors :func:`numpy.stack`.
    Always a copy.

    ``out`` may be an ndarray (written and wrapped) or a Tensor (updated in place).

    >>> import mygrad as mg
    >>> mg.stack([mg.zeros(3), mg.ones(3)], axis=1).shape
    (3, 2)
    """
    return _join(_stack.op, tensors, {"axis": axis}, out, constant)


@defop(np.repeat, name="repeat")
def repeat(a, repeats, axis=None):
    """Repeat each entry ``repeats`` times (an int, or one count per entry along
    ``axis``) along ``axis`` (the flattened array if None); mirrors :func:`numpy.repeat`.
    Always a copy; an entry repeated zero times gets a zero gradient.

    >>> import mygrad as mg
    >>> mg.repeat(mg.tensor([[1.0, 2.0]]), [1, 2], axis=1)
    Tensor([[1., 2., 2.]])
    """
    return np.repeat(a, repeats, axis)


@repeat.vjp
def _repeat_vjp(g, out, a, repeats, axis=None):
    shape = (np.size(a),) if axis is None else np.shape(a)
    ax = 0 if axis is None else normalize_axis(axis, len(shape))[0]
    n = shape[ax]
    copies = np.moveaxis(g, ax, 0)  # the copies, in order, along the first axis
    rest = copies.shape[1:]
    counts = np.asarray(repeats)
    if counts.ndim == 0 and int(counts) > 0:
        # every entry was copied r times in a row: sum each run of r
        summed = copies.reshape((n, int(counts), *rest)).sum(axis=1)
    else:
        counts = np.broadcast_to(counts, (n,)).astype(np.intp)
        summed = np.zeros((n, *rest), dtype=g.dtype)
        kept = counts > 0
        if kept.any():
            starts = np.cumsum(counts) - counts
            # each run of copies sums back into its entry; entries copied 0 times get 0
            summed[kept] = np.add.reduceat(copies, starts[kept], axis=0)
    return np.reshape(np.moveaxis(summed, 0, ax), np.shape(a))


# ------------------------------------------------------------------------------ windows


def _ints_per_axis(name: str, value: Any, n: int) -> tuple[int, ...]:
    """``value`` (a positive int, or a sequence of ``n`` positive ints) as ``n`` ints."""
    items = value if isinstance(value, (Sequence, np.ndarray)) else (value,) * n
    items = tuple(items)
    if len(items) != n:
        raise ValueError(f"`{name}` must give one value per window axis ({n}), got {value!r}")
    for v in items:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"`{name}` must hold positive ints, got {value!r}")
        if v <= 0:
            raise ValueError(f"`{name}` must hold positive ints, got {value!r}")
    return tuple(int(v) for v in items)


def sliding_window_view(
    arr: np.ndarray,
    window_shape: Sequence[int],
    step: int | Sequence[int],
    dilation: int | Sequence[int] | None = None,
) -> np.ndarray:
    """A read-only strided view of every window over the trailing axes of ``arr``.

    The windows span the last ``len(window_shape)`` axes, moving by ``step`` and spreading
    their entries ``dilation`` apart. The result's shape is ``(*window_positions,
    *leading_axes, *window_shape)``: the window positions come first (unlike
    :func:`numpy.lib.stride_tricks.sliding_window_view`). ``arr`` must be an ndarray (not a
    Tensor); a non-contiguous one is copied to C order first.

    >>> import numpy as np
    >>> from mygrad import sliding_window_view
    >>> sliding_window_view(np.zeros((4, 4)), (2, 2), 1).shape
    (3, 3, 2, 2)
    >>> sliding_window_view(np.zeros((2, 3, 5, 5)), (3, 3), 2).shape
    (2, 2, 2, 3, 3, 3)
    """
    if not isinstance(arr, np.ndarray):
        hint = " (pass `tensor.data`)" if isinstance(arr, Tensor) else ""
        raise AttributeError(
            f"sliding_window_view operates on NumPy arrays only, got {type(arr).__name__}{hint}"
        )
    if isinstance(window_shape, (int, np.integer)) or not isinstance(
        window_shape, (Sequence, np.ndarray)
    ):
        raise TypeError(f"`window_shape` must be a sequence of positive ints, got {window_shape!r}")
    n = len(window_shape)
    if not 0 < n <= arr.ndim:
        raise ValueError(
            f"`window_shape` {tuple(window_shape)} must have between 1 and arr.ndim "
            f"({arr.ndim}) entries"
        )
    window = _ints_per_axis("window_shape", window_shape, n)
    steps = _ints_per_axis("step", step, n)
    dilations = _ints_per_axis("dilation", 1 if dilation is None else dilation, n)
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)

    lead_shape, sides = arr.shape[:-n], arr.shape[-n:]
    lead_strides, side_strides = arr.strides[:-n], arr.strides[-n:]
    extents = [(w - 1) * d + 1 for w, d in zip(window, dilations)]
    if any(e > side for e, side in zip(extents, sides)):
        raise ValueError(
            f"windows of shape {window} with dilation {dilations} span {tuple(extents)} "
            f"and do not fit in the trailing axes {sides} of the array"
        )
    positions = tuple((side - e) // s + 1 for side, e, s in zip(sides, extents, steps))
    shape = (*positions, *lead_shape, *window)
    strides = (
        *(st * s for st, s in zip(side_strides, steps)),
        *lead_strides,
        *(st * d for st, d in zip(side_strides, dilations)),
    )
    return as_strided(arr, shape=shape, strides=strides, writeable=False)
