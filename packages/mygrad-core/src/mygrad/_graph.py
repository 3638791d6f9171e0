"""The computational graph: nodes, the iterative backward engine and graph teardown.

A node records one operation: the :class:`OpDef` (``None`` for a leaf), the nodes of its
tensor inputs (``None`` where no gradient is wanted), the very values the forward pass
received, its parameters and its output array. Nodes reference their output tensor only
weakly (a node is itself that weak reference), so the ownership chain runs one way
(tensor -> node -> parent nodes) and a graph dies with its last tensor without needing the
cycle collector. Backward and teardown use explicit stacks, never recursion (D15).
"""

from __future__ import annotations

import enum
import functools
import sys
import threading
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from . import _memguard
from ._lazy import Lazy, Negated
from ._modes import anomaly_active
from .errors import InvalidBackprop, NonFiniteGradient

if TYPE_CHECKING:
    from ._tensor import Tensor

# NumPy's module has a __getattr__, so CPython 3.11 never specializes ``np.ndarray`` loads
# (each is a full attribute lookup): the per-node paths read this module global instead
_ndarray = np.ndarray

__all__ = ["Negated", "Node", "backward", "clear_graph", "unbroadcast"]


class _Nobody:
    """The referent of a node made without a tensor (a weak reference needs one)."""

    __slots__ = ("__weakref__",)


_NOBODY = _Nobody()


class _OwnRef(enum.Enum):
    """``Node.tensor`` when the node's own weak reference holds its tensor."""

    OWN_REF = 0


OWN_REF: Final = _OwnRef.OWN_REF


class Node(weakref.ref["Tensor"]):
    """One recorded operation (or a leaf) in the graph.

    A node is itself the weak reference to the tensor it made: a separate one per op would
    be one more object per node for Python's cycle collector, whose full collections walk
    the whole live graph and come the more often, the more objects each op leaves alive
    (docs/performance.md, "Deep graphs"). ``tensor`` says where that tensor is:
    ``OWN_REF`` (``node()``), ``None`` (none: it never existed, or was rebound in place to
    another node) or a weak reference of its own (one with a callback, from free_unread, or
    to a tensor rebound in place to this node); read it with :meth:`live_tensor`.

    For the same reason the values the forward pass received (``arrays``) and the nodes of
    the tensors among them (``parents``; one more, the old value of an in-place ``out=``
    target, after a masked ``where=``) share one tuple, ``inputs``: the first ``n_arrays``
    entries are the arrays, the rest the parents. The hot paths slice it themselves.
    """

    __slots__ = (
        "op",
        "inputs",
        "n_arrays",
        "params",
        "out",
        "tensor",
        "locks",
        "out_locked",
        "cleared",
        "where",
        "saved",
        "site",
        "stale",
        "__weakref__",
    )
    saved: Any
    site: str | None
    stale: np.ndarray | None  # (leaves only)
    # nodes are dict keys by identity; a weak reference would hash and compare by referent
    __hash__ = object.__hash__
    __eq__ = object.__eq__
    __ne__ = object.__ne__

    def __init__(
        self,
        op: Any,
        parents: tuple[Node | None, ...],
        arrays: tuple[Any, ...],
        params: dict[str, Any],
        out: np.ndarray,
        tensor: Tensor | None,
    ) -> None:
        self.op = op
        self.inputs = (*arrays, *parents)
        self.n_arrays = len(arrays)
        self.params = params
        self.out = out
        self.tensor: weakref.ref[Tensor] | _OwnRef | None = None if tensor is None else OWN_REF
        # arrays this node locked (counted), and whether it locked its own fresh output
        self.locks: tuple[list, ...] = ()  # (the guard's lock entries)
        self.out_locked = False
        self.cleared = False
        # ufunc ``where=`` mask; with an in-place ``out=`` target whose old value is the
        # last parent, masked-out positions send their gradient to that old value
        self.where: Any = True
        # (rarely set, so left unset here: ``saved``, what a ``saves=True`` op's forward
        # kept for its VJP, and ``site``, the "file:line" of the user code that made this
        # node in detect_anomaly mode; read them with getattr and a default)

    def __new__(cls, *args: Any, **kwargs: Any) -> Node:
        # the weak reference's referent is __init__'s ``tensor`` (its last argument); a
        # node that may hold locks releases them when it dies (see _GuardedNode)
        tensor = kwargs["tensor"] if "tensor" in kwargs else args[5]
        return _ref_new(_GuardedNode if cls is Node else cls, _NOBODY if tensor is None else tensor)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # other subclasses (extend exports Node) release their locks when they die, always
        super().__init_subclass__(**kwargs)
        if "__del__" not in cls.__dict__:
            cls.__del__ = _release_on_death  # type: ignore[attr-defined]

    @classmethod
    def leaf(cls, tensor: Tensor) -> Node:
        node = _ref_new(cls, tensor)  # (a leaf never holds locks: a plain Node)
        cls.__init__(node, None, (), (), {}, tensor.data, tensor)
        # the grad its tensor had before entering the current graph, kept until the graph's
        # backward stores the new one or the graph is cleared (see _op._set_grad_aside)
        node.stale = None
        return node

    def release_locks(self) -> None:
        if self.locks:
            _memguard.release(self.locks)
            self.locks = ()
        if self.out_locked:
            self.out_locked = False
            _memguard.release_fresh(self.out)

    @property
    def arrays(self) -> tuple[Any, ...]:
        """The values the forward pass received (constants and scalars included)."""
        return self.inputs[: self.n_arrays]

    @arrays.setter
    def arrays(self, arrays: tuple[Any, ...]) -> None:
        self.inputs = (*arrays, *self.inputs[self.n_arrays :])
        self.n_arrays = len(arrays)

    @property
    def parents(self) -> tuple[Node | None, ...]:
        """The node of each tensor input (None for a constant or a non-tensor input)."""
        return self.inputs[self.n_arrays :]

    @parents.setter
    def parents(self, parents: tuple[Node | None, ...]) -> None:
        self.inputs = (*self.inputs[: self.n_arrays], *parents)

    def live_tensor(self) -> Tensor | None:
        """The tensor this node made, if it is alive and still this node's."""
        ref = self.tensor
        if ref is OWN_REF:
            return self()
        return None if ref is None else ref()

    @property
    def variables(self) -> tuple[Tensor | None, ...]:
        """The input tensors still alive (for graph inspection and visualisation)."""
        return tuple(None if p is None else p.live_tensor() for p in self.parents)

    def __repr__(self) -> str:
        name = "Leaf" if self.op is None else self.op.name
        return f"<mygrad node {name}>"


def _release_on_death(self: Node) -> None:
    if self.locks or self.out_locked:
        self.release_locks()


class _GuardedNode(Node):
    """A node that is not cleared yet, so may hold locks: it releases them if it dies
    uncleared (a graph dropped without backward). Clearing turns it into a plain
    :class:`Node` (``__class__`` assignment, cheaper than a ``__del__`` call per node), so
    the nodes of a backpropagated graph die without running Python code."""

    __slots__ = ()

    __del__ = _release_on_death


_ref_new = weakref.ref.__new__


def _stand_in(array: np.ndarray) -> np.ndarray:
    """A read-only, zero-strided array with ``array``'s shape and dtype over one zero
    element: what a node keeps of a value its VJP does not read (unbroadcast needs only
    shape and dtype). (The ndarray constructor: a fifth of np.broadcast_to's cost.)"""
    dtype = array.dtype
    zero = _ZERO_BYTES if dtype.itemsize <= len(_ZERO_BYTES) else bytes(dtype.itemsize)
    return _ndarray(array.shape, dtype, zero, 0, (0,) * array.ndim)


_ZERO_BYTES = bytes(16)


def free_unread(node: Node, reads: frozenset[int | str], tensor: Tensor) -> None:
    """Let ``node`` keep only the values its VJP reads (``reads``, see ``defop``).

    Inputs from the graph that the VJP does not read are replaced by stand-ins now (each is
    held by its own tensor or node, as long as needed). The output, if not read, stays while
    its tensor lives; when the tensor dies and nothing else holds the array, the node lets
    go of it and releases its lock (see _output_died), so the memory is freed at once.
    """
    _replace_unread_inputs(node, reads, keep_constants=True)
    if "out" not in reads:
        node.tensor = weakref.ref(tensor, functools.partial(_output_died, weakref.ref(node)))


def _replace_unread_inputs(node: Node, reads: frozenset[int | str], keep_constants: bool) -> None:
    parents = node.parents
    node.arrays = tuple(
        a
        if i in reads or (keep_constants and parents[i] is None) or type(a) is not np.ndarray
        else _stand_in(a)
        for i, a in enumerate(node.arrays)
    )


def keep_only_reads(node: Node) -> None:
    """Replace at once every value that ``node``'s VJP does not read (its op's ``reads``)
    with a stand-in, the output and constant inputs included: the least a node over large
    arrays can end up with. Certification runs each VJP so, which makes a ``reads``
    declaration that leaves out a value the VJP reads give a wrong gradient there."""
    reads = getattr(node.op, "reads", None)
    if reads is None or node.cleared:
        return
    _replace_unread_inputs(node, reads, keep_constants=False)
    if "out" not in reads and type(node.out) is np.ndarray:
        let_go_of_out(node)


def let_go_of_out(node: Node) -> None:
    """``node`` keeps only the shape and dtype of its output (its VJP does not read it) and
    releases the output's fresh lock, if it holds it."""
    out = node.out
    node.out = _stand_in(out)
    if node.out_locked:
        node.out_locked = False
        _memguard.release_fresh(out)


def holds_lock_on(node: Node | None, array: Any) -> bool:
    """Whether ``node`` holds a lock on ``array``, its output: its fresh lock, or the last
    counted lock it took (a node that locks its output with a counted lock locks it last).
    A consumer of ``array`` may rely on it: a node keeps its locks until it dies or its
    graph is cleared, and its consumers keep it alive."""
    if node is None:
        return False
    if node.out_locked and node.out is array:
        return True
    locks = node.locks
    return bool(locks) and locks[-1][1] is array


def _output_died(node_ref: weakref.ref[Node], _: object) -> None:
    node = node_ref()
    if node is None or node.cleared:
        return
    out = node.out
    # references: node.out, this frame, getrefcount's argument, the dying tensor's ``data``
    # (weakref callbacks run before its slots are cleared; a tensor rebound in place has no
    # callback: _inplace drops the node's weakref) and, when locked, the guard's entry. Any
    # other holder (a view, a consumer that reads it, the user) can still see the array,
    # so it stays as it is, locked.
    if sys.getrefcount(out) > 4 + node.out_locked:
        return
    let_go_of_out(node)


_add_reduce = np.add.reduce


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the adjoint of NumPy broadcasting."""
    grad = np.asarray(grad)
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        # (asarray: summing every axis of an array gives a NumPy scalar, not a 0-d array;
        # np.add.reduce is what ndarray.sum runs, without its Python wrapper)
        grad = np.asarray(_add_reduce(grad, axis=0 if extra == 1 else tuple(range(extra))))
    if extra >= 0 and 1 in shape:
        kept = tuple(i for i, (n, m) in enumerate(zip(shape, grad.shape)) if n == 1 and m != 1)
        if kept:
            grad = grad.sum(axis=kept, keepdims=True)
    if grad.shape != shape:
        # a gradient smaller than its input (a scalar, a size-1 axis): broadcast it up
        grad = np.broadcast_to(grad, shape)
    return grad


def _describe(node: Node) -> str:
    t = node.live_tensor()
    what = "a tensor that no longer exists" if t is None else f"the tensor {t!r}"
    return f"{what} (created by {node.op.name if node.op is not None else 'a leaf'})"


def _collect(root: Node) -> dict[Node, int]:
    """Count, for every node reachable from ``root``, how many consumers it has there, and
    claim (mark cleared) every op node reached; a node found cleared already undoes the
    claims and raises."""
    consumers: dict[Node, int] = {root: 0}
    if root.op is not None:
        root.cleared = True
    stack = [root]
    while stack:
        node = stack.pop()
        for p in node.inputs[node.n_arrays :]:  # (Node.parents, inlined: once per node)
            if p is None:
                continue
            n = consumers.get(p)
            if n is not None:
                consumers[p] = n + 1
                continue
            if p.cleared:
                for claimed in consumers:
                    if claimed.op is not None:
                        claimed.cleared = False
                raise InvalidBackprop(
                    "Backpropagation reached part of a graph that was already cleared, by "
                    f"an earlier backward() or clear_graph(): {_describe(p)}. Rebuild the "
                    "computation to backpropagate through it again."
                )
            consumers[p] = 1
            if p.op is not None:
                p.cleared = True  # claimed: _clear_nodes finishes the job
            stack.append(p)
    return consumers


def _own(grad: np.ndarray, dtype: np.dtype, seen: set[int]) -> np.ndarray:
    """A writeable array of ``dtype`` that no other stored gradient shares."""
    if type(grad) is not _ndarray:  # 0-d arithmetic (previous + gi) yields NumPy scalars
        grad = np.array(grad, dtype=dtype)
    elif grad.dtype != dtype:
        grad = grad.astype(dtype)
    elif grad.base is not None or id(grad) in seen or not grad.flags.writeable:
        grad = grad.copy()
    seen.add(id(grad))
    return grad


# taken while a backward pass or clear_graph claims its nodes, so that concurrent passes
# over a shared interior node cannot both run it: the second raises InvalidBackprop (D10)
_CLAIM = threading.Lock()


def _claim(root: Node) -> dict[Node, int]:
    with _CLAIM:
        if root.cleared:
            raise InvalidBackprop(
                "Backpropagation reached part of a graph that was already cleared, by an "
                f"earlier backward() or clear_graph(): {_describe(root)}."
            )
        return _collect(root)


def backward(root: Node, seed: np.ndarray) -> None:
    """Backpropagate ``seed`` from ``root``, store every live tensor's grad, clear the graph."""
    consumers = _claim(root)
    if anomaly_active():
        _check_finite(seed, "the gradient passed to backward()")
        try:
            _run(root, seed, consumers, check_finite=True)
        except NonFiniteGradient:
            _clear_nodes(list(consumers))
            raise
    else:
        _run(root, seed, consumers, check_finite=False)


def _run(root: Node, seed: np.ndarray, consumers: dict[Node, int], check_finite: bool) -> None:
    cotangents: dict[Node, Any] = {root: seed}
    # nodes whose cotangent is a sum this pass allocated: further terms are added in place
    owned: set[Node] = set()
    ready = [root]
    seen: set[int] = set()
    assigned: list[tuple[Tensor, Any]] = []
    try:
        while ready:
            node = ready.pop()
            g = cotangents.pop(node, None)
            if g is not None and type(g) is not _ndarray and isinstance(g, Lazy):
                moved = g.through(node) if g.passes_views else None
                if moved is not None:
                    # handed on to the input, still lazy (no array for this node at all)
                    parent = node.parents[0]
                    if parent is not None:
                        _add_lazy(cotangents, owned, parent, moved)
                    g = None
                else:
                    g = g.materialize()
            if g is not None:
                # (Node.live_tensor, inlined: once per node)
                ref = node.tensor
                tensor = node() if ref is OWN_REF else None if ref is None else ref()
                if tensor is not None:
                    assigned.append((tensor, tensor._grad))
                    tensor._grad = g = _own(g, node.out.dtype, seen)
                    if node.op is None:
                        node.stale = None  # replaced: the old grad can go now
                    else:
                        _send_to_parents(node, g, cotangents, check_finite, owned)
                elif node.op is not None:
                    # a large cotangent that nothing else sees (a sum this pass made, a
                    # VJP's fresh result) is scratch for a VJP with a scratch variant
                    if g.nbytes >= _WRITABLE_BYTES and _is_scratch(node, g):
                        _send_to_parents(node, g, cotangents, check_finite, owned, True)
                    else:
                        _send_to_parents(node, g, cotangents, check_finite, owned)
            # a parent is ready once every consumer in this graph has been handled; one that
            # received no gradient at all still passes through, so its parents get ready (D7)
            for parent in node.inputs[node.n_arrays :]:  # (Node.parents)
                if parent is not None:
                    left = consumers[parent] - 1
                    consumers[parent] = left
                    if not left:
                        ready.append(parent)
    except BaseException:
        # a failed pass changes nothing: tensors get their grads back, nodes keep their values
        for tensor, old in reversed(assigned):
            tensor._grad = old
        for node in consumers:
            if node.op is not None:
                node.cleared = False  # unclaim
        raise
    # Kahn's algorithm reached every collected node
    _clear_nodes(consumers)


def _check_finite(grad: np.ndarray, what: str) -> None:
    if not np.isfinite(grad).all():
        raise NonFiniteGradient(f"backward produced a non-finite value (nan or inf) in {what}")


def _describe_input(node: Node, i: int) -> str:
    site = getattr(node, "site", None)
    where = f", created at {site}" if site else ""
    return f"the gradient that {node.op.name!r} sends to its input {i}{where}"


def _send_to_parents(
    node: Node,
    g: np.ndarray,
    cotangents: dict[Node, Any],
    check_finite: bool = False,
    owned: set[Node] | None = None,
    scratch: bool = False,
) -> None:
    # scratch: nothing but this pass refers to g, so a VJP that takes scratch may overwrite it
    op = node.op
    inputs = node.inputs
    n_arrays = node.n_arrays
    where = node.where
    if (
        type(op) is _OpDef
        and n_arrays == 2
        and len(inputs) == 4
        and not scratch
        and op._vjp is not None
        and not op.saves
        and not node.params
    ):
        # a binary op without parameters, the common case of elementwise chains:
        # OpDef.backprop inlined (one Python call less per node; the same VJP call)
        a0, a1, p0, p1 = inputs
        vjp = op._vjp
        if op._vjp_needs:
            # (_needs' binary case, inlined: one Python call less per node)
            needs = (
                ONE_INPUT_TWICE if p0 is p1 and p0 is not None else (p0 is not None, p1 is not None)
            )
            grads = vjp(g, node.out, a0, a1, needs=needs)
        else:
            grads = vjp(g, node.out, a0, a1)
        if type(grads) is not tuple:
            grads = (grads,)
        if where is True and not check_finite and len(grads) == 2:
            # each term nothing to send, or an array of its input's shape and dtype, the
            # input's first: stored as it is (what the general loop below does in that
            # case), else that loop (the test is written out for both terms: a call per
            # term cost more than it, once per node)
            g0, g1 = grads
            if (
                (
                    p0 is None
                    or g0 is None
                    or (
                        type(g0) is _ndarray
                        and g0.shape == a0.shape
                        and g0.dtype is a0.dtype
                        and p0 not in cotangents
                    )
                )
                and (
                    p1 is None
                    or g1 is None
                    or (
                        type(g1) is _ndarray
                        and g1.shape == a1.shape
                        and g1.dtype is a1.dtype
                        and p1 not in cotangents
                    )
                )
                and (p1 is not p0 or p0 is None)
            ):
                if p0 is not None and g0 is not None:
                    cotangents[p0] = g0
                if p1 is not None and g1 is not None:
                    cotangents[p1] = g1
                return
    elif scratch:  # (only an OpDef's VJP has a scratch variant: see _is_scratch)
        grads = op.backprop(node, g, True)
    else:
        grads = op.backprop(node, g)
    arrays = inputs[:n_arrays]
    for i, parent in enumerate(inputs[n_arrays:]):
        if parent is None:
            continue
        if i == n_arrays:
            # the old value of an in-place ``out=`` target keeps what where= left alone
            gi = np.where(where, 0, g)
            shape, dtype = node.out.shape, node.out.dtype
        else:
            gi = grads[i]
            if gi is None:
                continue
            a = arrays[i]
            shape, dtype = a.shape, a.dtype
            if type(gi) is not _ndarray and isinstance(gi, Lazy):
                # kept lazy unless it needs masking, checking, unbroadcasting or a cast
                if (
                    where is True
                    and not check_finite
                    and owned is not None
                    and gi.shape == shape
                    and gi.dtype == dtype
                ):
                    _add_lazy(cotangents, owned, parent, gi)
                    continue
                gi = gi.materialize()  # the general path below handles it as any cotangent
            if where is not True:
                gi = np.where(where, gi, 0)
        if type(gi) is not _ndarray or gi.shape != shape:
            gi = unbroadcast(gi, shape)
        if gi.dtype is not dtype and gi.dtype != dtype:
            gi = gi.astype(dtype)
        if check_finite:
            _check_finite(gi, _describe_input(node, i))
        previous = cotangents.get(parent)
        if previous is None:
            cotangents[parent] = gi
            if scratch and gi is g:
                owned.add(parent)  # type: ignore[union-attr]  # g, overwritten by the VJP
        elif owned is not None and parent in owned:
            # a sum this pass made: nothing else holds it, so add in place (no new array)
            np.add(previous, gi, out=previous)
        elif type(previous) is not _ndarray:
            # a lazy term (kept only when owned is set): added into gi when nothing else
            # refers to gi, else into a new array
            writable = (scratch and gi is g) or _is_temporary(gi)
            cotangents[parent] = previous.added_to(gi, writable)
            owned.add(parent)  # type: ignore[union-attr]
        elif owned is not None and ((scratch and gi is g) or _is_temporary(gi)):
            # a fresh array nothing else refers to: the sum goes into it, no new array
            np.add(gi, previous, out=gi)
            cotangents[parent] = gi
            owned.add(parent)
        elif owned is not None and _is_temporary(previous):
            # the first term was a fresh array that only the cotangent table holds
            np.add(previous, gi, out=previous)
            owned.add(parent)
        else:
            # (asarray: the sum of two 0-d arrays is a NumPy scalar, and VJPs receive ndarrays)
            cotangents[parent] = np.asarray(previous + gi)
            if owned is not None:
                owned.add(parent)


def _add_lazy(cotangents: dict[Node, Any], owned: set[Node], parent: Node, gi: Lazy) -> None:
    """Add the lazy term ``gi`` (of the parent's shape and dtype) to the parent's cotangent."""
    previous = cotangents.get(parent)
    if previous is None:
        cotangents[parent] = gi  # materialised when needed, or added into a later term
    elif type(previous) is not _ndarray:
        combined = previous.combine(gi)
        cotangents[parent] = combined
        if type(combined) is _ndarray:
            owned.add(parent)
    elif parent in owned:
        gi.add_into(previous)
    else:
        cotangents[parent] = gi.added_to(previous, _is_temporary(previous))
        owned.add(parent)


def _is_temporary(gi: np.ndarray) -> bool:
    """Whether ``gi`` is an array that only the current _send_to_parents call refers to
    (the VJP's result tuple and the local name, or the cotangent table and the local name),
    so writing into it is invisible.

    A VJP may return ``g`` itself, an input or a view of one; those have other referents
    (a tensor's grad, a node, a view's base), as has an array locked by the memory guard
    (not writeable). Only worth it for large arrays, where a new sum costs memory and page
    faults."""
    return (
        gi.base is None
        and gi.nbytes >= _WRITABLE_BYTES
        and gi.flags.writeable
        # the tuple, the caller's local, this argument, getrefcount's argument
        and sys.getrefcount(gi) <= 4 + _ARGUMENT_STACK_REF
    )


_WRITABLE_BYTES = 1 << 16
# CPython 3.10 keeps the caller's stack reference to an argument while a Python callee runs
_ARGUMENT_STACK_REF = 1 if sys.version_info < (3, 11) else 0


def _is_scratch(node: Node, g: np.ndarray) -> bool:
    """Whether ``g``, the cotangent of ``node`` whose tensor is gone, may be overwritten by
    the node's VJP: it has a scratch variant and nothing but _run's local refers to ``g``."""
    return (
        getattr(getattr(node.op, "_vjp", None), "on_scratch", None) is not None
        and node.where is True  # (a where= mask reads g after the VJP)
        and type(g) is np.ndarray
        and g.base is None
        and g.flags.writeable
        # _run's local, this argument, getrefcount's argument
        and sys.getrefcount(g) <= 3 + _ARGUMENT_STACK_REF
    )


_NO_PARAMS: dict[str, Any] = {}

# _op.OpDef, whose backprop _send_to_parents inlines for binary ops; set by _op, which
# imports this module (a node's op may also be a legacy Operation's stand-in)
_OpDef: Any = None


class _OneInputTwice(tuple[bool, ...]):
    """``needs=(True, True)`` of a binary op whose two inputs are one tensor (``x * x``)."""

    __slots__ = ()


# a VJP that sees this ``needs`` may return the whole gradient as input 0's and None for
# input 1: both go to the same place (multiply computes x * x's gradient in one array)
ONE_INPUT_TWICE = _OneInputTwice((True, True))


def _needs(parents: tuple[Node | None, ...]) -> tuple[bool, ...]:
    """Which inputs want a gradient (a VJP's ``needs=``)."""
    if len(parents) == 2:  # the common binary case, without a generator
        p0, p1 = parents
        if p0 is p1 and p0 is not None:
            return ONE_INPUT_TWICE
        return (p0 is not None, p1 is not None)
    return tuple([p is not None for p in parents])


def _clear_nodes(nodes: Iterable[Node]) -> None:
    # the locks of all the nodes are released together, under one mutex acquisition
    unlock: list[list] = []
    outs: list[np.ndarray] = []  # fresh outputs the nodes locked (see Node.out_locked)
    for node in nodes:
        if node.op is None:
            node.stale = None  # (one that received no gradient: D7)
            continue  # leaves stay usable by other graphs (D10)
        node.cleared = True
        if type(node) is _GuardedNode:
            node.__class__ = Node  # type: ignore[assignment]  # (no __del__ to run when it dies)
        if node.locks:
            unlock += node.locks
            node.locks = ()
        if node.out_locked:
            node.out_locked = False
            outs.append(node.out)
        node.inputs = ()
        node.n_arrays = 0
        node.saved = None
        node.params = _NO_PARAMS
        ref = node.tensor
        if ref is not None:
            tensor = node() if ref is OWN_REF else ref()
            if tensor is not None and tensor._node is node:
                tensor._detach_from_graph()
    if unlock or outs:
        _memguard.release_batch(unlock, outs)


def clear_graph(root: Node) -> None:
    """Mark ``root`` and everything upstream as cleared and release their locks."""
    nodes = []
    stack = [root]
    seen = {root}
    with _CLAIM:
        while stack:
            node = stack.pop()
            if node.cleared:
                continue  # already cleared, or claimed by a running backward that clears it
            nodes.append(node)
            for p in node.parents:
                if p is not None and p not in seen:
                    seen.add(p)
                    stack.append(p)
        for node in nodes:
            if node.op is not None:
                node.cleared = True
    _clear_nodes(nodes)
