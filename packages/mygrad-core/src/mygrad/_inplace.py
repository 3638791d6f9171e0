"""In-place updates: a functional update of the target plus rebinding (api.md S6).

Every in-place operation (``x += y``, ``x[i] = v``, ``out=x``, ``x.shape = s``) computes
the target's new value on a copy and records how it was made; the target tensor then takes
over that value and that node. Nodes that used the old value keep the old array and the
old node, so graph history is preserved and the wrapped ndarray is never written while a
graph holds it. Writing through a view is a write-back into its base: the base's new value
is the old one with the view's region replaced, and every view of the base is then
re-derived from it. Everything that can fail (NumPy's casting, shape and read-only errors)
runs before anything is changed, so a failing update leaves data and graph as they were.
Under ``no_autodiff`` the write goes straight into the existing array.

A view's region inside its base is located by replaying its chain of view ops on an array
of flat positions: view ops only move entries, so this works whatever the memory layout.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _memguard
from ._graph import Node, _stand_in, holds_lock_on
from ._lazy import scratch_variant
from ._modes import _tracking, mem_guard_active
from ._op import OpDef, _as_operand, _split_inputs
from ._tensor import Tensor, _adopt_readonly_view, _replay

__all__ = ["apply_ufunc_inplace", "setitem", "rebind", "set_shape", "scratch_copy"]

Chain = tuple[tuple[OpDef, dict[str, Any]], ...]


def scratch_copy(array: np.ndarray) -> np.ndarray:
    """A writeable copy with ``array``'s memory layout, so that the view chains recorded
    against the old array are views of the copy too."""
    return np.copy(array, order="K")


def _check_writeable(target: Tensor) -> None:
    # a view's own array may be read-only only because mygrad locked its owner; a view
    # that is read-only by nature (broadcast_to) fails when the write-back replays it
    # (a view disconnected by a cleared graph, with no chain, no longer writes through)
    base = target._base
    owner = base if base is not None and target._view_chain else target
    if not _memguard.natively_writeable(owner.data):
        raise ValueError("assignment destination is read-only")


def _parent_node(t: Tensor | None) -> Node | None:
    if t is None or t._constant:
        return None
    return t._node if t._node is not None else t._make_leaf()


def _finish_node(node: Node, fresh: bool = False) -> Node:
    """Lock, when guarding, the arrays a new in-place ``node`` holds: its output (a fresh
    lock if ``fresh``: an array of its own that nothing else can see yet) and its inputs,
    except those that cannot be written (stand-ins) and those the node that made them
    holds locked, which outlives this one (as in ``_op.record``)."""
    if not mem_guard_active():
        return node
    held = [
        a
        for a, parent in zip(node.arrays, node.parents)
        if type(a) is np.ndarray and type(a.base) is not bytes and not holds_lock_on(parent, a)
    ]
    if fresh:
        node.out_locked = _memguard.lock_fresh(node.out)
    else:
        held.append(node.out)  # (last: see holds_lock_on)
    if held:
        node.locks = _memguard.lock(held)
    return node


def _null_grads(tensors: Any) -> None:
    # MyGrad semantics: a variable that enters a (non-view) op loses its grad
    for t in tensors:
        if t is not None and not t._constant:
            t._grad = None


def apply_ufunc_inplace(
    op: OpDef,
    inputs: tuple[Any, ...],
    target: Tensor,
    where: Any = True,
    dtype: Any = None,
    params: dict[str, Any] | None = None,
) -> Tensor:
    """``op(*inputs, out=target, where=where)`` with MyGrad's in-place semantics."""
    params = {} if params is None else params
    kw: dict[str, Any] = {}
    if where is not True:
        where = np.asarray(where.data if isinstance(where, Tensor) else where)
        kw["where"] = where
    if dtype is not None:
        kw["dtype"] = dtype
    arrays, tensors, _ = _split_inputs(inputs)
    if not _tracking.get():
        op.numpy(*arrays, out=target.data, **kw)  # type: ignore[misc]
        return target
    _check_writeable(target)
    new = scratch_copy(target.data)
    op.numpy(*arrays, out=new, **kw)  # type: ignore[misc]
    commit = _prepare_rebind(target, new)
    node = None
    if not target._constant:
        parents = [_parent_node(t) for t in tensors]
        if where is not True:
            # the old value keeps the gradient of the entries that `where` left alone
            parents.append(_parent_node(target))
        node = Node(op, tuple(parents), tuple(arrays), params, new, None)
        node.where = where
        _finish_node(node, fresh=True)
        _null_grads(tensors)
    commit(node)
    return target


def setitem(target: Tensor, index: Any, value: Any) -> None:
    """``target[index] = value``: gradients reach the value and the untouched entries."""
    value_data = value.data if isinstance(value, Tensor) else _as_operand(value)
    if not _tracking.get():
        target.data[index] = value_data
        return
    _check_writeable(target)
    maker = _take_for_writing(target, index, value_data)
    old = target.data
    if maker is not None:
        new = old  # nothing else can see it: written in place, as NumPy would
        try:
            new[index] = value_data
        except BaseException:
            _give_back(maker, new)
            raise
    else:
        new = scratch_copy(old)
        new[index] = value_data  # NumPy's index, shape and casting errors come first
    commit = _prepare_rebind(target, new)
    node = None
    if not target._constant:
        value_tensor = value if isinstance(value, Tensor) else None
        # the VJP reads neither the old value nor the output, only their shape
        arrays = (_stand_in(old), np.asarray(value_data))
        parents = (_parent_node(target), _parent_node(value_tensor))
        # (``new`` is the copy, or the array taken from its maker: no one else sees it)
        node = _finish_node(
            Node(_SETITEM, parents, arrays, {"index": index}, new, None), fresh=True
        )
        _null_grads((value_tensor,))
    commit(node)


def _take_for_writing(target: Tensor, index: Any, value: Any) -> tuple[Node, bool] | None:
    """Let ``target[index] = value`` write into ``target.data`` itself instead of a copy,
    when nothing but ``target`` and the node that made the array can see it; then that node
    lets go of the array (and of its lock) and is returned, with whether it was locked.

    Holders other than those two show up in the array's reference count: a NumPy view (its
    ``base``), a view tensor, another tensor or node over it (``copy=False``, a consumer's
    inputs, a saved value, another lock), a memoryview, the user's own name for it. The
    node must not need its output (its VJP does not read ``out``), the array must own its
    memory, and the write must not be able to fail half-way (a basic index, a numeric
    value that does not overlap the array).
    """
    node = target._node
    if (
        node is None
        or node.op is None
        or node.out is not target.data
        or target._base is not None
        or target._live_views()
        or target.data.base is not None
        or not _is_basic(index)
    ):
        return None
    reads = getattr(node.op, "reads", None)
    if reads is None or "out" in reads:
        return None
    if type(value) is np.ndarray:
        if value.dtype.kind not in "fiub" or np.may_share_memory(value, target.data):
            return None
    elif type(value) not in (float, int):
        return None
    data = target.data
    # holders: target.data, node.out, the guard's entry when the node locked it, the local
    # name and getrefcount's argument
    locked = node.out_locked
    if sys.getrefcount(data) > 4 + locked:
        return None
    if locked:
        node.out_locked = False
        _memguard.release_fresh(data)
    elif not data.flags.writeable:
        return None
    node.out = _stand_in(data)
    return node, locked


def _give_back(maker: tuple[Node, bool], data: np.ndarray) -> None:
    """Undo :func:`_take_for_writing` (the write failed)."""
    node, locked = maker
    node.out = data
    if locked:
        node.out_locked = _memguard.lock_fresh(data)


def rebind(target: Tensor, data: np.ndarray, node: Node | None) -> None:
    """Make ``target`` hold ``data``, produced by ``node``, keeping its identity."""
    _prepare_rebind(target, data)(node)


def _prepare_rebind(target: Tensor, data: np.ndarray) -> Callable[[Node | None], None]:
    """Check that ``target`` can take ``data`` and return the function that does it.

    For a view this computes its base's new value first: the write-back is where a view
    that NumPy keeps read-only (``broadcast_to``) refuses the write.
    """
    if target._base is not None and not target._view_chain:
        # a view whose graph was cleared no longer writes through: it becomes independent
        target._disconnect_from_base()
    base = target._base
    if base is None:
        return lambda node: _rebind_root(target, data, node)
    chain = target._view_chain
    new_base = scratch_copy(base.data)
    if not _replay(chain, new_base).flags.writeable:
        raise ValueError("assignment destination is read-only")
    np.put(new_base, _positions(chain, base.data.shape), data)

    def commit(node: Node | None) -> None:
        base_node = None
        if not base._constant:
            parents = (_parent_node(base), node)
            arrays = (base.data, data)
            base_node = _finish_node(
                Node(_WRITEBACK, parents, arrays, {"chain": chain}, new_base, None)
            )
        _rebind_root(base, new_base, base_node)

    return commit


def _take_over(target: Tensor, data: np.ndarray, node: Node | None) -> None:
    old = target._node
    if old is not None:
        old.tensor = None  # consumers of the old value no longer reach this tensor
    target.data = data
    target._grad = None
    target._node = node
    if node is not None:
        node.tensor = weakref.ref(target)


def _rebind_root(root: Tensor, data: np.ndarray, node: Node | None) -> None:
    _take_over(root, data, node)
    _refresh_views(root)


def _refresh_views(root: Tensor) -> None:
    """Re-derive every view of ``root`` from its new value, and re-link their nodes."""
    for view in root._live_views():
        chain = view._view_chain
        data = _replay(chain, root.data)
        if not data.flags.writeable:
            _adopt_readonly_view(data, root.data, chain)
        node = None
        if not view._constant and not root._constant:
            node = _finish_node(
                Node(_VIEW_CHAIN, (_parent_node(root),), (root.data,), {"chain": chain}, data, None)
            )
        _take_over(view, data, node)


def set_shape(target: Tensor, newshape: Any) -> None:
    """``x.shape = newshape``: reshape without copying, recorded in the graph.

    The views of ``x`` keep working: their chains, which start from ``x``'s old shape,
    begin with a reshape back to it; a view ``x`` records the reshape at its chain's end.
    """
    data = _reshape_without_copy(target.data, newshape)
    if data.shape == target.data.shape:
        return
    if target._base is not None and not target._view_chain:
        target._disconnect_from_base()  # an in-place update of a disconnected view
    # a reshape keeps its source's native flag: NumPy made `data` read-only only if a lock
    # (or nature) made `target.data` so
    _memguard.adopt_view(data, _memguard.natively_writeable(target.data))
    reshape = _registry_op("reshape")
    old = target.data
    if target._base is not None:
        target._view_chain = target._view_chain + ((reshape, {"newshape": data.shape}),)
    else:
        back = ((reshape, {"newshape": old.shape}),)
        for view in target._live_views():
            view._view_chain = back + view._view_chain
    node = None
    if _tracking.get() and not target._constant:
        params = {"newshape": data.shape}
        node = _finish_node(Node(reshape, (_parent_node(target),), (old,), params, data, None))
    _take_over(target, data, node)


def _reshape_without_copy(array: np.ndarray, newshape: Any) -> np.ndarray:
    """A view of ``array`` with ``newshape``, raising what assigning ``array.shape`` raises
    in NumPy (assigning ``ndarray.shape`` itself is deprecated from NumPy 2.5)."""
    try:
        return np.reshape(array, newshape, copy=False)
    except ValueError:
        # a wrong size is NumPy's ValueError; a size that fits but needs a copy is the
        # AttributeError of ``a.shape = s`` (an O(1) stand-in of the same shape tells)
        np.broadcast_to(np.empty((), dtype=bool), array.shape).reshape(newshape)
        raise AttributeError(
            "Incompatible shape for in-place modification. Use `.reshape()` to make a copy "
            "with the desired shape."
        ) from None


def _registry_op(name: str) -> OpDef:
    from ._registry import OPS

    return OPS[name]


# --- the internal ops that in-place updates record -------------------------------------


def _positions(chain: Chain, shape: tuple[int, ...]) -> np.ndarray:
    """The flat (C-order) position in the base of every entry of the view ``chain`` makes."""
    return _replay(chain, np.arange(int(np.prod(shape)), dtype=np.intp).reshape(shape))


def _setitem_forward(old: np.ndarray, value: np.ndarray, index: Any) -> np.ndarray:
    new = old.copy()
    new[index] = value
    return new


def _setitem_vjp_scratch(
    g: np.ndarray, out: np.ndarray, old: np.ndarray, value: np.ndarray, index: Any
) -> Any:
    return _setitem_vjp(g, out, old, value, index, scratch=True)


@scratch_variant(_setitem_vjp_scratch)
def _setitem_vjp(
    g: np.ndarray,
    out: np.ndarray,
    old: np.ndarray,
    value: np.ndarray,
    index: Any,
    scratch: bool = False,
) -> Any:
    g = np.asarray(g)  # a 0-d cotangent may arrive as a NumPy scalar
    g_region = g[index]
    # the old value's gradient is g with the region zeroed: in g itself when it is scratch
    if scratch and g.flags.writeable:
        if _is_basic(index):
            g_region = np.array(g_region, copy=True)  # (a view of g)
        g_old = g
    else:
        g_old = g.copy()
    g_old[index] = 0
    if not _is_basic(index):
        # with repeated indices the last write wins: earlier writes get no gradient
        region_shape = np.shape(g_region)
        ids = np.arange(int(np.prod(region_shape)), dtype=np.intp).reshape(region_shape)
        owner = np.full(g.shape, -1, dtype=np.intp)
        owner[index] = ids
        g_region = np.where(owner[index] == ids, g_region, 0)
    return g_old, g_region


def _is_basic(index: Any) -> bool:
    parts = index if type(index) is tuple else (index,)
    return all(
        p is None
        or p is Ellipsis
        or type(p) is slice
        or (isinstance(p, (int, np.integer)) and not isinstance(p, (bool, np.bool_)))
        for p in parts
    )


def _writeback_forward(base: np.ndarray, value: np.ndarray, chain: Chain) -> np.ndarray:
    new = scratch_copy(base)
    np.put(new, _positions(chain, base.shape), value)
    return new


def _writeback_vjp(
    g: np.ndarray, out: np.ndarray, base: np.ndarray, value: np.ndarray, chain: Chain
) -> Any:
    # the region came from the value, everything else from the old base
    positions = _positions(chain, base.shape)
    g_base = np.array(g, copy=True)
    np.put(g_base, positions, 0)
    return g_base, np.asarray(np.take(g, positions))


def _has_repeats(positions: np.ndarray) -> bool:
    # positions is a view of an arange: a repeated entry is a zero stride (broadcast_to)
    return any(stride == 0 and side > 1 for stride, side in zip(positions.strides, positions.shape))


def _view_chain_forward(root: np.ndarray, chain: Chain) -> np.ndarray:
    return _replay(chain, root)


def _view_chain_vjp(g: np.ndarray, out: np.ndarray, root: np.ndarray, chain: Chain) -> Any:
    # the adjoint of gathering entries: scatter them back, summing repeats (broadcast_to)
    positions = _positions(chain, root.shape)
    flat = np.zeros(root.size, dtype=g.dtype)
    if _has_repeats(positions):
        np.add.at(flat, positions.ravel(), np.ravel(g))
    else:
        flat[positions.ravel()] = np.ravel(g)
    return flat.reshape(root.shape)


def _internal_op(name: str, forward: Any, vjp: Any, arrays: int) -> OpDef:
    op = OpDef(
        forward,
        name=name,
        numpy=None,
        kind="function",
        arrays=arrays,
        view=False,
        differentiable=True,
        method=None,
        domain=None,
        saves=False,
        package="mygrad._internal",
    )
    op.vjp(vjp)
    return op


_SETITEM = _internal_op("setitem", _setitem_forward, _setitem_vjp, 2)
_WRITEBACK = _internal_op("write_through_view", _writeback_forward, _writeback_vjp, 2)
_VIEW_CHAIN = _internal_op("view_of_updated_base", _view_chain_forward, _view_chain_vjp, 1)
