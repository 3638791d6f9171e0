"""In-place updates: a functional update of the target plus rebinding (api.md S6).

Every in-place operation (``x += y``, ``x[i] = v``, ``out=x``) computes the target's new
value on a copy and records how it was made; the target tensor then takes over that value
and that node. Nodes that used the old value keep the old array and the old node, so graph
history is preserved and the wrapped ndarray is never written while a graph holds it.
Writing through a view is a write-back into its base: the base's new value is the old one
with the view's region replaced, and every view of the base is then re-derived from it.
Under ``no_autodiff`` the write goes straight into the existing array.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _memguard
from ._graph import Node
from ._modes import _tracking, mem_guard_active
from ._op import OpDef, _as_operand, _split_inputs
from ._tensor import Tensor, _replay

__all__ = ["apply_ufunc_inplace", "setitem", "rebind", "set_shape"]


def _check_writeable(target: Tensor) -> None:
    # a view's own array may be read-only only because mygrad locked its owner; a view
    # that is read-only by nature (broadcast_to) fails when the write-back replays it
    owner = target._base if target._base is not None else target
    if not _memguard.natively_writeable(owner.data):
        raise ValueError("assignment destination is read-only")


def _parent_node(t: Tensor | None) -> Node | None:
    if t is None or t._constant:
        return None
    return t._node if t._node is not None else t._make_leaf()


def _finish_node(node: Node) -> Node:
    if mem_guard_active():
        node.locks = _memguard.lock((*node.arrays, node.out))
    return node


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
        op.numpy(*arrays, out=target.data, **kw)
        return target
    _check_writeable(target)
    new = target.data.copy()
    op.numpy(*arrays, out=new, **kw)
    node = None
    if not target._constant:
        parents = [_parent_node(t) for t in tensors]
        if where is not True:
            parents.append(_parent_node(target))
        node = Node(op, tuple(parents), tuple(arrays), params, new, None)
        node.where = where
        for t in tensors:
            if t is not None and not t._constant:
                t._grad = None
        _finish_node(node)
    rebind(target, new, node)
    return target


def setitem(target: Tensor, index: Any, value: Any) -> None:
    """``target[index] = value``: gradients reach the value and the untouched entries."""
    value_data = value.data if isinstance(value, Tensor) else _as_operand(value)
    if not _tracking.get():
        target.data[index] = value_data
        return
    _check_writeable(target)
    new = target.data.copy()
    new[index] = value_data
    node = None
    if not target._constant:
        value_tensor = value if isinstance(value, Tensor) else None
        arrays = (target.data, np.asarray(value_data))
        parents = (_parent_node(target), _parent_node(value_tensor))
        node = _finish_node(Node(_SETITEM, parents, arrays, {"index": index}, new, None))
        if value_tensor is not None and not value_tensor._constant:
            value_tensor._grad = None
    rebind(target, new, node)


def rebind(target: Tensor, data: np.ndarray, node: Node | None) -> None:
    """Make ``target`` hold ``data``, produced by ``node``, keeping its identity."""
    base = target._base
    if base is not None:
        # a write through a view: the base's new value is its old one with the region replaced
        new_base = base.data.copy()
        _replay(target._view_chain, new_base)[...] = data
        base_node = None
        if not base._constant:
            base_node = _finish_node(
                Node(
                    _WRITEBACK,
                    (_parent_node(base), node),
                    (base.data, data),
                    {"chain": target._view_chain},
                    new_base,
                    None,
                )
            )
        rebind(base, new_base, base_node)
        return
    old = target._node
    if old is not None:
        old.tensor = None  # consumers of the old value no longer reach this tensor
    target.data = data
    target._grad = None
    target._node = node
    if node is not None:
        import weakref

        node.tensor = weakref.ref(target)
    _refresh_views(target)


def _refresh_views(root: Tensor) -> None:
    """Re-derive every view of ``root`` from its new value, and re-link their nodes."""
    for view in root._live_views():
        chain = view._view_chain
        data = _replay(chain, root.data)
        old = view._node
        if old is not None:
            old.tensor = None
        view.data = data
        view._grad = None
        view._node = None
        if not view._constant and not root._constant:
            view._node = _finish_node(
                Node(_VIEW_CHAIN, (_parent_node(root),), (root.data,), {"chain": chain}, data, view)
            )


def set_shape(target: Tensor, newshape: Any) -> None:
    """``x.shape = newshape``: reshape without copying, recorded in the graph."""
    data = target.data.view()
    data.shape = newshape  # NumPy raises if the size differs or a copy would be needed
    if not _tracking.get() or target._constant:
        target.data = data
        return
    reshape = _registry_op("reshape")
    node = _finish_node(
        Node(reshape, (_parent_node(target),), (target.data,), {"newshape": data.shape}, data, None)
    )
    old = target._node
    if old is not None:
        old.tensor = None
    import weakref

    target.data = data
    target._node = node
    node.tensor = weakref.ref(target)


def _registry_op(name: str) -> OpDef:
    from ._registry import OPS

    return OPS[name]


# --- the internal ops that in-place updates record -------------------------------------


def _setitem_forward(old: np.ndarray, value: np.ndarray, index: Any) -> np.ndarray:
    new = old.copy()
    new[index] = value
    return new


def _setitem_vjp(g: np.ndarray, out: np.ndarray, old: np.ndarray, value: np.ndarray, index: Any) -> Any:
    g_old = g.copy()
    g_old[index] = 0
    g_region = g[index]
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
        p is None or p is Ellipsis or type(p) is slice or (isinstance(p, (int, np.integer)) and not isinstance(p, (bool, np.bool_)))
        for p in parts
    )


def _writeback_forward(base: np.ndarray, value: np.ndarray, chain: Any) -> np.ndarray:
    new = base.copy()
    _replay(chain, new)[...] = value
    return new


def _writeback_vjp(g: np.ndarray, out: np.ndarray, base: np.ndarray, value: np.ndarray, chain: Any) -> Any:
    g_base = g.copy()
    _replay(chain, g_base)[...] = 0
    return g_base, _replay(chain, g)


def _view_chain_forward(root: np.ndarray, chain: Any) -> np.ndarray:
    return _replay(chain, root)


def _view_chain_vjp(g: np.ndarray, out: np.ndarray, root: np.ndarray, chain: Any) -> np.ndarray:
    # the adjoint of a chain of view ops: each op's own VJP, applied in reverse
    inputs = []
    x = root
    for op, params in chain:
        inputs.append(x)
        x = op.forward(x, **params)
    for (op, params), x in zip(reversed(chain), reversed(inputs)):
        grads = op._vjp(g, op.forward(x, **params), x, **params)
        g = grads[0] if type(grads) is tuple else grads
    return g


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
