"""The one op form: :func:`defop` declares an op's forward, its VJP and its facts once.

Everything else (the public function or mygrad ufunc, NumPy dispatch, Tensor methods,
certification) is derived from the :class:`OpDef` that ``defop`` registers.
"""

from __future__ import annotations

import inspect
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from . import _graph, _memguard, _registry
from ._graph import (
    _NO_PARAMS,
    ONE_INPUT_TWICE,
    OWN_REF,
    Node,
    _GuardedNode,
    _needs,
    free_unread,
)
from ._memguard import _LOCKS
from ._memguard import lock_input as _lock_input
from ._modes import _GUARD_DEFAULT, _anomaly, _mem_guard, _tracking
from ._tensor import Tensor, _adopt_readonly_view, _native_view_flag

__all__ = ["ONE_INPUT_TWICE", "OpDef", "defop", "execute", "record"]

Kind = Literal["ufunc", "reduction", "function"]
ViewClaim = Literal[False, True, "maybe"]
Differentiable = Literal[True, False, "boolean", "constant_only"]

_SCALARS = (float, int, bool)
_ndarray = np.ndarray
# an op whose output is at least this large lets go of the arrays its VJP does not read
# (OpDef.reads); below it, the memory saved would not pay for the bookkeeping
_FREE_EARLY_BYTES = 1 << 16


class OpDef:
    """The declared facts of one op, its forward and its VJP."""

    __slots__ = (
        "name",
        "numpy",
        "kind",
        "arrays",
        "view",
        "differentiable",
        "method",
        "domain",
        "saves",
        "reads",
        "forward",
        "_vjp",
        "_vjp_needs",
        "public",
        "package",
        "nin",
        "ufunc",
    )

    def __init__(
        self,
        forward: Callable[..., Any],
        *,
        name: str,
        numpy: Callable[..., Any] | None,
        kind: Kind,
        arrays: int | Literal["sequence"],
        view: ViewClaim,
        differentiable: Differentiable,
        method: str | tuple[str, ...] | None,
        domain: Any,
        saves: bool,
        package: str,
        reads: tuple[int | str, ...] | None = None,
    ) -> None:
        self.forward = forward
        self.name = name
        self.numpy = numpy
        self.kind = kind
        self.arrays = arrays
        self.view = view
        self.differentiable = differentiable
        self.method = method
        self.domain = domain
        self.saves = saves
        # what the VJP reads: input positions and/or "out" (None: anything), so that a node
        # over large arrays need not keep the others alive (see _graph.free_unread)
        self.reads = None if reads is None else frozenset(reads)
        self.package = package
        self.nin = arrays if isinstance(arrays, int) else None
        self.ufunc = kind == "ufunc"  # (its forward is a NumPy ufunc: it returns new arrays)
        self._vjp: Callable[..., Any] | None = None
        self._vjp_needs = False
        self.public: Any = None

    def vjp(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: register ``fn(g, out, *arrays, **params)`` as this op's VJP."""
        self._vjp = fn
        self._vjp_needs = "needs" in inspect.signature(fn).parameters
        return fn

    def backprop(self, node: Node, g: np.ndarray, scratch: bool = False) -> tuple[Any, ...]:
        """The cotangent of each array input, given the output's cotangent ``g``; by the
        VJP's scratch variant, which may overwrite ``g``, if ``scratch``."""
        vjp = self._vjp
        if vjp is None:
            raise NotImplementedError(f"the op {self.name!r} has no VJP")
        if scratch:
            vjp = vjp.on_scratch  # type: ignore[attr-defined]
        inputs, n_arrays = node.inputs, node.n_arrays  # (Node.arrays/parents, inlined)
        kwargs = node.params
        if self.saves or self._vjp_needs:
            kwargs = dict(kwargs)
            if self.saves:
                kwargs["saved"] = getattr(node, "saved", None)
            if self._vjp_needs:
                kwargs["needs"] = _needs(inputs[n_arrays:])
        arrays = inputs[:n_arrays]
        if kwargs:
            grads = vjp(g, node.out, *arrays, **kwargs)
        else:  # (the common case: no keyword dict to unpack)
            grads = vjp(g, node.out, *arrays)
        return grads if type(grads) is tuple else (grads,)

    def frontend(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: make ``fn`` this op's public function (for signatures that the
        generated front end cannot express, e.g. varargs); ``fn`` calls :func:`execute`."""
        self.public = fn
        fn.op = self  # type: ignore[attr-defined]
        return fn

    def __repr__(self) -> str:
        return f"<mygrad op {self.name!r} ({self.kind})>"


# the backward pass inlines OpDef.backprop's binary case (see _graph._send_to_parents)
_graph._OpDef = OpDef


def _as_operand(x: Any) -> Any:
    """Python scalars stay Python scalars so NumPy 2 promotes them weakly (D1)."""
    if type(x) in _SCALARS:
        return x
    return np.asarray(x)


def _check_constant_arg(constant: Any) -> None:
    if constant is not None and type(constant) is not bool:
        raise TypeError(f"`constant` must be a bool or None, got {constant!r}")


def _split_inputs(
    inputs: Sequence[Any],
) -> tuple[list[Any], list[Tensor | None], bool]:
    """The values to hand NumPy, the tensor behind each input, and whether any is variable."""
    arrays: list[Any] = []
    tensors: list[Tensor | None] = []
    any_variable = False
    for x in inputs:
        if isinstance(x, Tensor):
            arrays.append(x.data)
            tensors.append(x)
            if not x._constant:
                any_variable = True
        else:
            arrays.append(_as_operand(x))
            tensors.append(None)
    return arrays, tensors, any_variable


def execute(
    op: OpDef,
    inputs: Sequence[Any],
    params: dict[str, Any],
    constant: bool | None = None,
    cls: type = Tensor,
) -> Tensor:
    """Run ``op`` on ``inputs`` (Tensors or array-likes) and record it in the graph."""
    # this is the hot path of every op: _split_inputs is inlined on purpose
    arrays: list[Any] = []
    tensors: list[Tensor | None] = []
    any_variable = False
    for x in inputs:
        if isinstance(x, Tensor):
            arrays.append(x.data)
            tensors.append(x)
            if not x._constant:
                any_variable = True
        else:
            arrays.append(x if type(x) in _SCALARS else np.asarray(x))
            tensors.append(None)
    if op.saves:
        out, saved = op.forward(*arrays, **params)
    else:
        out, saved = op.forward(*arrays, **params), None
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    return record(op, out, arrays, tensors, any_variable, params, constant, cls, saved=saved)


def execute_binary(op: OpDef, x1: Any, x2: Any, cls: type) -> Tensor:
    """``op(x1, x2)`` without parameters: Tensor's arithmetic operators. The same as
    :func:`execute`, specialised to two inputs (the hot path of elementwise chains)."""
    if op.saves:
        return execute(op, (x1, x2), {}, None, cls)
    tp = type(x1)
    if tp is Tensor or (tp is not _ndarray and isinstance(x1, Tensor)):
        a1 = x1.data
        t1: Tensor | None = x1
        any_variable = not x1._constant
    else:
        a1 = x1 if tp is _ndarray or tp in _SCALARS else np.asarray(x1)
        t1 = None
        any_variable = False
    tp = type(x2)
    if tp is Tensor or (tp is not _ndarray and isinstance(x2, Tensor)):
        a2 = x2.data
        t2: Tensor | None = x2
        if not x2._constant:
            any_variable = True
    else:
        a2 = x2 if tp is _ndarray or tp in _SCALARS else np.asarray(x2)
        t2 = None
    out = op.forward(a1, a2)
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    if not (
        any_variable
        and cls is Tensor
        and op.ufunc
        and not op.view
        and (out.dtype is _FLOAT64 or out.dtype.kind == "f")
        and _tracking.get()
    ):
        # (a ufunc's result is an array it has just made: writeable, owning its memory)
        return record(
            op, out, (a1, a2), (t1, t2), any_variable, {}, None, cls, True, None, op.ufunc
        )

    # record()'s work for this case, inlined and unrolled (the hot path of elementwise
    # chains): a float result of a ufunc on a variable input is a variable tensor with a
    # node; the ufunc made ``out`` (writeable, owning its memory, not an input), so when
    # guarding it gets the fresh lock; record() documents each step
    tensor = _object_new(Tensor)
    tensor.data = out
    tensor._grad = None
    tensor._base = None
    tensor._view_chain = ()
    tensor._views = None
    tensor._constant = False
    guard = _mem_guard.get()
    if guard is None:
        guard = _GUARD_DEFAULT[0]
    p1 = None if t1 is None else _enter(t1)
    p2 = None if t2 is None else _enter(t2)
    node = _ref_new(_GuardedNode, tensor)  # (a node is its tensor's weak reference)
    node.op = op
    node.inputs = (a1, a2, p1, p2)  # (the arrays, then the parents: see Node)
    node.n_arrays = 2
    node.params = _NO_PARAMS
    node.out = out
    node.tensor = OWN_REF
    node.cleared = False
    node.where = True
    if guard:
        # an input needs a counted lock unless the node that made it holds a lock on it, its
        # fresh lock or a counted one (_graph.holds_lock_on, inlined); a constant has no
        # node; its data is an ndarray, a raw input may be a scalar
        lock1 = type(a1) is _ndarray if p1 is None else not p1.out_locked or p1.out is not a1
        if lock1 and p1 is not None and p1.locks and p1.locks[-1][1] is a1:
            lock1 = False
        lock2 = type(a2) is _ndarray if p2 is None else not p2.out_locked or p2.out is not a2
        if lock2 and p2 is not None and p2.locks and p2.locks[-1][1] is a2:
            lock2 = False
        if lock1 and lock2:
            node.locks = _lock_input(a1) + _lock_input(a2)
        elif lock1 or lock2:
            node.locks = _lock_input(a1 if lock1 else a2)
        else:
            node.locks = ()
        # nobody else knows this new array yet, so no mutex (as lock_fresh)
        _LOCKS[id(out)] = out  # (a fresh lock's entry: see _memguard)
        out.setflags(False)  # (positional: the fast form)
        node.out_locked = True
    else:
        node.locks = ()
        node.out_locked = False
    if out.nbytes >= _FREE_EARLY_BYTES and op.reads is not None:
        free_unread(node, op.reads, tensor)
    if _anomaly.get():
        node.site = _user_site()
    tensor._node = node
    return tensor


def record(
    op: OpDef,
    out: np.ndarray,
    arrays: Sequence[Any],
    tensors: Sequence[Tensor | None],
    any_variable: bool,
    params: dict[str, Any],
    constant: bool | None,
    cls: Any,
    where: Any = True,
    saved: Any = None,
    new: bool = False,
) -> Tensor:
    """Wrap ``out`` in a tensor and, when a gradient can flow, record the node that made it.

    ``new`` promises that ``out`` is an array the forward has just made (writeable, owning
    its memory, none of the inputs), which spares the guard from asking NumPy."""
    # the hot path of every op: flags are read once, the guard's common case is inlined
    dtype = out.dtype
    kind = "f" if dtype is _FLOAT64 else dtype.kind  # (the common dtype, without a lookup)
    tracking = _tracking.get()
    if tracking and kind not in "fiub":
        raise TypeError(
            f"{op.name} produced dtype {out.dtype}; outside no_autodiff, mygrad tensors must "
            "have a floating, integer or boolean dtype"
        )
    if constant is None:
        is_const = not any_variable or kind != "f"
    else:
        if type(constant) is not bool:
            _check_constant_arg(constant)
        is_const = constant
        if not constant and kind != "f" and tracking:
            raise ValueError("Integer-valued tensors must be treated as constants.")
    # (object.__new__ called directly is cheaper than looking it up on the class)
    tensor = _object_new(cls) if cls is Tensor else cls.__new__(cls)
    tensor.data = out
    tensor._grad = None
    tensor._node = None
    tensor._base = None
    tensor._view_chain = ()
    tensor._views = None
    if not tracking:
        tensor._constant = kind != "f" if constant is None else constant
        if op.view and not out.flags.writeable and out.base is not None and tensors:
            # a view of an array mygrad locked: writeable again with it, as in NumPy
            _adopt_readonly_view(out, arrays[0], ((op, params),))
        return tensor
    tensor._constant = is_const
    view = op.view
    guard = None
    native_view = None  # the native flag of a read-only view this node locks (below)
    if view and tensors and tensors[0] is not None:
        guard = _mem_guard.get()
        if guard is None:
            guard = _GUARD_DEFAULT[0]
        # a view this node will lock gets its native flag with its lock, not adopted
        locks_view = guard and not is_const and any_variable and out.base is not None
        native_view = _record_view(op, tensor, out, arrays[0], tensors[0], params, locks_view)
    if is_const or not any_variable:
        return tensor

    # one pass over the inputs finds the parents and, when guarding, the input arrays that
    # need a counted lock: leaf data, constants and raw ndarrays. An op's output is already
    # locked by the node that made it, which outlives this one (it is this one's parent, and
    # its locks go only when it dies or its graph is cleared): by its fresh lock, or, when it
    # made a view or locked its output after its inputs, by the last counted lock it took
    # (_graph.holds_lock_on, inlined here and in execute_binary: the hot path)
    if guard is None:
        guard = _mem_guard.get()
        if guard is None:
            guard = _GUARD_DEFAULT[0]
    fresh = guard and (new or out.base is None)
    hold: np.ndarray | None = None  # the first array to lock, then all of them
    held: list[np.ndarray] | None = None
    inputs: list[Any] = list(arrays)  # the arrays, then the parents (Node.inputs)
    for a, t in zip(arrays, tensors):
        if a is out:
            fresh = False  # an op that returns its input: it gets a counted lock below
        if t is None:
            inputs.append(None)
        else:
            node = t._node
            if t._constant:
                inputs.append(None)
            else:
                if node is None:
                    node = t._make_leaf()
                inputs.append(node)
                if not view and t._grad is not None:
                    # MyGrad semantics: entering a new non-view op nulls an input's grad
                    _set_grad_aside(t, node)
            if guard and node is not None:
                if node.out_locked and node.out is a:
                    continue
                if node.locks and node.locks[-1][1] is a:
                    continue
        if guard and type(a) is np.ndarray:
            if hold is None:
                hold = a
            elif held is None:
                held = [hold, a]
            else:
                held.append(a)
    # (Node.__init__, inlined: this runs once per op)
    node = _ref_new(_GuardedNode, tensor)  # (a node is its tensor's weak reference)
    node.op = op
    node.n_arrays = len(arrays)
    node.inputs = tuple(inputs)
    node.params = params
    node.out = out
    node.tensor = OWN_REF
    node.cleared = False
    node.where = where
    if saved is not None:
        node.saved = saved
    if guard:
        if hold is None:
            node.locks = ()
        elif held is None:
            node.locks = _lock_input(hold)
        else:
            locks: tuple[list, ...] = ()
            for a in held:
                locks += _lock_input(a)
            node.locks = locks
        if fresh and (new or out.flags.writeable):
            # nobody else knows this new array yet, so no mutex (as lock_fresh)
            _LOCKS[id(out)] = out  # (a fresh lock's entry: see _memguard)
            out.setflags(False)  # type: ignore[call-arg]  # positional: the fast form
            node.out_locked = True
        else:
            node.out_locked = False
            if native_view is not None:
                node.locks += _memguard.lock_view(out, native_view)
            elif not fresh:
                node.locks += _memguard.lock((out,))
    else:
        node.locks = ()
        node.out_locked = False
    if out.nbytes >= _FREE_EARLY_BYTES:
        reads = getattr(op, "reads", None)  # (an Operation subclass's node has none)
        if reads is not None:
            free_unread(node, reads, tensor)
    if _anomaly.get():
        node.site = _user_site()
    tensor._node = node
    return tensor


_object_new = object.__new__
_ref_new = weakref.ref.__new__
_FLOAT64 = np.dtype(np.float64)


def _enter(t: Tensor) -> Node | None:
    """The parent a tensor input gives a new non-view op: its node (a leaf's made now), or
    None for a constant. Entering the op nulls the tensor's grad (MyGrad)."""
    if t._constant:
        return None
    node = t._node
    if node is None:
        node = t._make_leaf()
    if t._grad is not None:
        _set_grad_aside(t, node)
    return node


def _set_grad_aside(t: Tensor, node: Node) -> None:
    """Null the grad of ``t``, which is entering a new non-view op (MyGrad semantics).

    A leaf's node keeps the old array (``Node.stale``) until the next backward pass stores
    the leaf's new grad, as a training loop's hand-written NumPy replaces a parameter's
    gradient. Freeing it here, at the start of the forward pass, lets glibc return the
    memory to the system, and backward and the update then fault the same amount back in:
    W2's loop (``p.data -= lr * p.grad``) took 1.5x its NumPy floor that way."""
    if node.op is None:
        node.stale = t._grad
    t._grad = None


def _user_site() -> str | None:
    """``file:line`` of the innermost caller outside mygrad and NumPy."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not (module == "mygrad" or module.startswith(("mygrad.", "numpy"))):
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _record_view(
    op: OpDef,
    tensor: Tensor,
    out: np.ndarray,
    source: Any,
    source_tensor: Tensor,
    params: dict[str, Any],
    locked_by_caller: bool = False,
) -> bool | None:
    """Record ``tensor`` as a view of its input's memory owner when it is a NumPy view of
    it (D6), and tell the memory guard the native writeable flag of a read-only view, or,
    if ``locked_by_caller`` (the caller locks it at once) and the view is natively
    writeable, return that flag (else None)."""
    native = None
    if out is not source and not out.flags.writeable and out.base is not None:
        # read-only because its source is locked, or by nature (broadcast_to): the guard
        # must know which, to make it writeable again once the locks are gone
        native = _native_view_flag(source, ((op, params),))
        if not (locked_by_caller and native):
            # (a natively writeable view's own entry keeps its flag, and once it is
            # released, the guard's guess for it is right; a natively read-only one must
            # be adopted: the guard would guess it writeable)
            _memguard.adopt_view(out, native)
            native = None
    if source_tensor._base is not None and not source_tensor._view_chain:
        # a view disconnected from its base by a cleared graph enters a new op: it becomes
        # independent (S5)
        source_tensor._disconnect_from_base()
    if not _is_view_of(out, source):
        return native
    root = source_tensor._base if source_tensor._base is not None else source_tensor
    tensor._base = root
    tensor._view_chain = source_tensor._view_chain + ((op, params),)
    root._add_view(tensor)
    return native


def _is_view_of(out: np.ndarray, source: np.ndarray) -> bool:
    """Whether NumPy made ``out`` a view of ``source``'s memory."""
    if out is source:
        return True
    owner = out.base
    if owner is None:
        return False  # (an array owning its memory: NumPy made a new one)
    if out.size:
        return np.may_share_memory(out, source)
    # an empty view shares no memory, yet NumPy makes it a view of its source's owner
    return owner is source or owner is source.base


def defop(
    numpy: Callable[..., Any] | None = None,
    *,
    kind: Kind = "function",
    arrays: int | Literal["sequence"] = 1,
    view: ViewClaim = False,
    differentiable: Differentiable = True,
    method: str | tuple[str, ...] | None = None,
    domain: Any = None,
    saves: bool = False,
    name: str | None = None,
    reads: tuple[int | str, ...] | None = None,
) -> Callable[[Callable[..., Any]], Any]:
    """Declare an op: decorate its forward, then decorate its VJP with ``@<op>.vjp``.

    ``reads`` names what the VJP reads of its ``out`` and array inputs (``"out"`` and input
    positions; ``None``, the default: possibly all of them). A node over large arrays lets
    go of the others once no tensor can see them, which frees memory early."""

    def decorate(forward: Callable[..., Any]) -> Any:
        op = OpDef(
            forward,
            name=name or forward.__name__,
            numpy=numpy,
            kind=kind,
            arrays=(numpy.nin if isinstance(numpy, np.ufunc) and kind == "ufunc" else arrays),
            view=view,
            differentiable=differentiable,
            method=method,
            domain=domain,
            saves=saves,
            package=_package_of(forward),
            reads=reads,
        )
        from ._frontends import make_public

        op.public = make_public(op, forward)
        _registry.register(op)
        return op.public

    return decorate


def _package_of(fn: Callable[..., Any]) -> str:
    module = getattr(fn, "__module__", "") or ""
    for pkg in ("mygrad.nnet", "mygrad.testing"):
        if module.startswith(pkg):
            return pkg
    return "mygrad" if module.startswith("mygrad") else module
