"""A stateful property test of views, in-place updates and memory guarding (api.md S5-S7).

:class:`ViewProgram` is a Hypothesis ``RuleBasedStateMachine`` that writes small random
programs: it creates tensors, takes views of views, mutates tensors and views (augmented
assignment, ``x[i] = v`` with basic and advanced indices, ``x[i] **= 2``, ufuncs with
``out=`` and ``where=``, ``x.shape = s``), runs ops, nulls grads, clears graphs and
backpropagates. Every step is mirrored on plain NumPy arrays, whose views alias memory
exactly as NumPy's do. After each step every tensor must equal its mirror and be a view of
the right base; every array a live graph holds must be read-only.

Gradients are checked against finite differences of the *replayed* program: the steps are
recorded as functions of the leaf values, so the program can be re-run on perturbed leaves
(``mygrad.testing.oracles.numerical_vjp``). A small model of value nodes tells which values
are leaves, which graphs were cleared, and so whether a backward must raise
``InvalidBackprop`` (D10). When ``clear_graph``/``backward`` clears a view's node, the view
is disconnected (S5): it still names its base, but its mirror becomes a copy and its value
a new leaf; its next in-place update, or its use in a new computation, ends the link.

Use it in a test module as ``TestViewPrograms = ViewProgram.TestCase``; keep programs short
with ``settings(stateful_step_count=8)``.
"""

from __future__ import annotations

import gc
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
from hypothesis import event, reject
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import mygrad as mg
from mygrad.errors import InvalidBackprop
from mygrad.extend import lock_count

from .certify.properties.views import _is_view_of
from .hints._row import Domain
from .oracles import InconclusiveOracle, assert_grads_close, numerical_vjp
from .strategies.elements import elements
from .strategies.indices import arbitrary_indices, basic_indices
from .strategies.shapes import shapes, valid_shapes

__all__ = ["ViewProgram", "view_ops", "ViewOp"]

Getter = Callable[["_Entry"], Any]
# small values, kept away from 0 (where the oracle cannot tell x**4 from a kink)
ELEMENTS = elements(Domain(-2.0, 2.0, exclude=(0.0,)), for_grad=True)
# squaring is allowed only below this magnitude, so that values stay finite and tame
SQUARE_LIMIT = 8.0


@dataclass(frozen=True)
class ViewOp:
    """A view-capable op, applicable alike to a Tensor and an ndarray."""

    name: str
    apply: Callable[[Any], Any]

    def __repr__(self) -> str:
        return f"ViewOp({self.name})"


def _axis_pair(ndim: int) -> st.SearchStrategy[tuple[int, int]]:
    axis = st.integers(-ndim, ndim - 1)
    return st.tuples(axis, axis)


@st.composite
def view_ops(draw: st.DrawFn, shape: tuple[int, ...]) -> ViewOp:
    """One op that NumPy may answer with a view: basic indexing, reshape, transpose, ``.T``,
    swapaxes, moveaxis, expand_dims, squeeze, ravel, broadcast_to (read-only, whether or
    not it repeats entries), or einsum's diagonal."""
    ndim = len(shape)
    names = ["getitem", "reshape", "transpose", "T", "expand_dims", "ravel", "broadcast_to"]
    if ndim >= 1:
        names += ["swapaxes", "moveaxis"]
    if 1 in shape:
        names.append("squeeze")
    if ndim == 2 and shape[0] == shape[1]:
        names.append("diagonal")
    name = draw(st.sampled_from(names))
    if name == "getitem":
        index = draw(basic_indices(shape))
        return ViewOp(f"[{index!r}]", lambda a: a[index])
    if name == "reshape":
        newshape = draw(valid_shapes(math.prod(shape), min_len=0, max_len=4))
        return ViewOp(f"reshape({newshape!r})", lambda a: a.reshape(newshape))
    if name == "transpose":
        perm = tuple(draw(st.permutations(range(ndim))))
        return ViewOp(f"transpose({perm})", lambda a: a.transpose(perm))
    if name == "T":
        return ViewOp("T", lambda a: a.T)
    if name == "expand_dims":
        axis = draw(st.integers(-ndim - 1, ndim))
        return ViewOp(f"expand_dims({axis})", lambda a: np.expand_dims(a, axis))
    if name == "ravel":
        return ViewOp("ravel", np.ravel)
    if name == "broadcast_to":
        # perhaps new leading axes, perhaps wider unit axes: perhaps nothing is repeated
        grown = tuple(draw(st.sampled_from([1, 2])) if n == 1 else n for n in shape)
        target = (*draw(st.lists(st.integers(1, 3), max_size=2)), *grown)
        return ViewOp(f"broadcast_to({target})", lambda a: np.broadcast_to(a, target))
    if name == "swapaxes":
        a1, a2 = draw(_axis_pair(ndim))
        return ViewOp(f"swapaxes({a1}, {a2})", lambda a: a.swapaxes(a1, a2))
    if name == "moveaxis":
        src, dst = draw(_axis_pair(ndim))
        return ViewOp(f"moveaxis({src}, {dst})", lambda a: np.moveaxis(a, src, dst))
    if name == "squeeze":
        units = [i for i, n in enumerate(shape) if n == 1]
        unit: int | None = draw(st.none() | st.sampled_from(units))
        return ViewOp(f"squeeze({unit})", lambda a: np.squeeze(a, unit))
    return ViewOp("einsum('ii->i')", lambda a: np.einsum("ii->i", a))


@dataclass(eq=False)
class _Entry:
    """A tensor of the program, its NumPy mirror, the entry owning its memory (for a view
    whose graph still links it to its base), the model node of its current value, whether
    NumPy made its array writeable (``broadcast_to`` views are not), and the base that a
    disconnected view (its graph cleared) still names."""

    key: int
    tensor: mg.Tensor
    mirror: np.ndarray
    root: _Entry | None
    vnode: int
    writeable: bool = True
    stale: _Entry | None = None

    def __repr__(self) -> str:
        return f"t{self.key}"


def _same_layout(e: _Entry) -> bool:
    """Whether the mirror is laid out in memory like the tensor's array, so that NumPy
    answers view-or-copy (``reshape``, ``ravel``, ``x.shape =``) alike for both. A root's
    copy-on-write copy of a strided array (a former view) is dense, unlike the mirror."""
    return e.mirror.size == 0 or e.mirror.strides == e.tensor.data.strides


def _private_copy(view: np.ndarray) -> np.ndarray:
    """A copy of ``view`` laid out exactly like it: the same view of a copy of its owner."""
    owner = view.base
    if view.size == 0 or type(owner) is not np.ndarray:
        return np.copy(view, order="K")
    copy = np.copy(owner, order="K")
    if copy.strides != owner.strides:
        return np.copy(view, order="K")
    offset = view.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
    flat = copy.ravel(order="K")  # a view: the copy is dense
    out = np.ndarray(view.shape, view.dtype, buffer=flat, offset=offset, strides=view.strides)
    out[...] = view
    return out


def _repeats_memory(a: np.ndarray) -> bool:
    """Whether entries of ``a`` share memory (zero strides: a broadcast)."""
    return a.size > 1 and any(stride == 0 and side > 1 for stride, side in zip(a.strides, a.shape))


def _broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False


class ViewProgram(RuleBasedStateMachine):
    """Random programs of views, in-place updates and backprop, checked against NumPy."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[_Entry] = []
        self.hidden: list[_Entry] = []  # leaves kept out of reach, so they stay leaves
        self.program: list[Callable[[dict[int, np.ndarray], dict[int, np.ndarray]], None]] = []
        self.leaf_values: dict[int, np.ndarray] = {}
        # the model: each value is a node; op nodes know their (variable) parents
        self.parents: dict[int, tuple[int, ...]] = {}
        self.leaves: set[int] = set()
        self.constants: set[int] = set()
        self.cleared: set[int] = set()
        self.keys = itertools.count()
        self.vnodes = itertools.count()
        # graphs of earlier tests may sit in reference cycles: collect them before counting,
        # or the final count (taken after a collection) could come out lower
        gc.collect()
        self.locks_before = lock_count()

    # ----------------------------------------------------------------- the model
    def _vnode(self, parents: tuple[int, ...] = (), constant: bool = False) -> int:
        v = next(self.vnodes)
        if constant:
            self.constants.add(v)
        else:
            self.parents[v] = tuple(p for p in parents if p not in self.constants)
        return v

    def _leaf(self, value: np.ndarray, constant: bool) -> int:
        v = self._vnode(constant=constant)
        self.leaves.add(v)
        self.leaf_values[v] = np.array(value, copy=True)
        return v

    def _history(self, v: int) -> set[int]:
        seen, stack = {v}, [v]
        while stack:
            for p in self.parents.get(stack.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        return seen

    def _is_op(self, v: int) -> bool:
        return v not in self.leaves and v not in self.constants

    def _all(self) -> list[_Entry]:
        return self.entries + self.hidden

    def _views_of(self, root: _Entry) -> list[_Entry]:
        return [e for e in self.entries if e.root is root]

    def _clear(self, v: int) -> None:
        """``clear_graph`` from value node ``v``: its op nodes are cleared, and every tensor
        holding a cleared value becomes a leaf (a view among them is disconnected)."""
        if not self._is_op(v):
            return
        self.cleared |= {u for u in self._history(v) if self._is_op(u)}
        for e in self._all():
            if e.vnode not in self.cleared:
                continue
            e.vnode = self._leaf(e.mirror, constant=False)
            if e.root is None:
                # a base keeps its views: it takes its new (leaf) value in place
                self.program.append(_assign_leaf(e.key, e.vnode))
            else:
                # a view is disconnected: it still names its base, but holds its values on
                # its own (still refusing writes if NumPy made it so)
                e.stale, e.root = e.root, None
                e.mirror = _private_copy(e.mirror)
                e.mirror.flags.writeable = e.writeable
                self.program.append(_copy_leaf(e.key, e.vnode, e.writeable))

    def _replay(self, overrides: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
        env: dict[int, np.ndarray] = {}
        leaves = {**self.leaf_values, **overrides}
        for step in self.program:
            step(env, leaves)
        return env

    def _add(self, tensor: mg.Tensor, mirror: Any, root: _Entry | None, vnode: int) -> _Entry:
        assert isinstance(tensor, mg.Tensor), f"expected a Tensor, got {type(tensor)}"
        entry = _Entry(next(self.keys), tensor, np.asarray(mirror), root, vnode)
        self.entries.append(entry)
        return entry

    def _draw_entry(self, data: Any, fits: Callable[[_Entry], bool] = lambda e: True) -> Any:
        options = [e for e in self.entries if fits(e)]
        return data.draw(st.sampled_from(options)) if options else None

    @staticmethod
    def _enters(*entries: _Entry) -> None:
        """These tensors enter a new computation: a disconnected view becomes independent."""
        for e in entries:
            e.stale = None

    # ----------------------------------------------------------------- creating
    @initialize(data=st.data())
    def first_tensors(self, data: Any) -> None:
        """Two tensors and perhaps a view: short programs still mix graphs and views."""
        self.create(data)
        self.create(data)
        if data.draw(st.booleans(), "start with a view"):
            self.take_view(data)

    @rule(data=st.data())
    def create(self, data: Any) -> None:
        """A new leaf: exposed to the rules, or kept hidden behind ``+leaf``."""
        shape = data.draw(shapes(max_dims=3, min_side=1, max_side=3, max_size=12), "shape")
        values = data.draw(hnp.arrays(np.float64, shape, elements=ELEMENTS), "values")
        constant = data.draw(st.sampled_from([False, False, False, True]), "constant")
        exposed = data.draw(st.booleans(), "exposed")
        leaf = mg.tensor(values, constant=constant)
        v = self._leaf(values, constant)
        key = next(self.keys)
        if exposed:
            self.entries.append(_Entry(key, leaf, values.copy(), None, v))

            def step(env: dict, leaves: dict, key: int = key, v: int = v) -> None:
                env[key] = np.array(leaves[v], copy=True)

        else:
            self.hidden.append(_Entry(-1 - key, leaf, values.copy(), None, v))
            self.entries.append(
                _Entry(key, +leaf, np.array(values, copy=True), None, self._vnode((v,), constant))
            )

            def step(env: dict, leaves: dict, key: int = key, v: int = v) -> None:
                env[key] = np.array(leaves[v], copy=True)  # `+leaf`: a copy

        self.program.append(step)

    @rule(data=st.data())
    def take_view(self, data: Any) -> None:
        """A view of any tensor laid out like its mirror (so views of views, of broadcasts,
        of disconnected views), made by the same op in NumPy."""
        src = self._draw_entry(data, _same_layout)
        if src is None:
            return
        op = data.draw(view_ops(src.mirror.shape), "view op")
        mirror = np.asarray(op.apply(src.mirror))
        tensor = op.apply(src.tensor)
        self._enters(src)
        is_view = _is_view_of(mirror, src.mirror)
        root = (src.root or src) if is_view else None
        vnode = self._vnode((src.vnode,), src.vnode in self.constants)
        new = self._add(tensor, mirror, root, vnode)
        new.writeable = mirror.flags.writeable

        def step(env: dict, leaves: dict, new: int = new.key, src: int = src.key) -> None:
            result = np.asarray(op.apply(env[src]))
            if root is None and _is_view_of(result, env[src]):
                # the replay holds a broadcast's values densely: what NumPy copies from
                # the mirror may be a view here, but it must stay a copy
                result = np.copy(result, order="K")
            env[new] = result

        self.program.append(step)

    @rule(data=st.data())
    def run_op(self, data: Any) -> None:
        """A non-view op of one or two tensors."""
        a = self._draw_entry(data)
        ops: dict[str, Callable[..., Any]] = {
            "sin": np.sin,
            "tanh": np.tanh,
            "scale": lambda x: x * 1.5,
            "sum": lambda x: x.sum(axis=0) if x.ndim else x.sum(),
        }
        if np.abs(a.mirror).max(initial=0) < SQUARE_LIMIT:
            ops["square"] = np.square
        name = data.draw(st.sampled_from(sorted(ops) + ["add", "multiply", "subtract"]), "op")
        inputs = [a]
        if name in ops:
            fn = ops[name]
        else:
            b = self._draw_entry(data, lambda e: _broadcastable(e.mirror.shape, a.mirror.shape))
            inputs.append(b)
            fn = getattr(np, name)
        mirror = fn(*(e.mirror for e in inputs))
        tensor = fn(*(e.tensor for e in inputs))
        self._enters(*inputs)
        constant = all(e.vnode in self.constants for e in inputs)
        new = self._add(tensor, mirror, None, self._vnode(tuple(e.vnode for e in inputs), constant))
        keys = tuple(e.key for e in inputs)

        def step(env: dict, leaves: dict, new: int = new.key, keys: tuple = keys) -> None:
            env[new] = np.asarray(fn(*(env[k] for k in keys)))

        self.program.append(step)

    # ----------------------------------------------------------------- mutating
    @rule(data=st.data())
    def mutate_a_view(self, data: Any) -> None:
        """As :meth:`mutate`, through a view when there is one (writes through views are
        the point of this machine, so they get a rule of their own)."""
        self.mutate(data, self._draw_entry(data, lambda e: e.root is not None))

    @rule(data=st.data())
    def mutate(self, data: Any, target: _Entry | None = None) -> None:
        """An in-place update of a tensor or a view, done alike to its mirror."""
        target = target or self._draw_entry(data)
        kinds = ["augmented", "setitem", "composite", "out"]
        if _same_layout(target):
            kinds.append("shape")  # NumPy answers "needs a copy" from the memory layout
        kind = data.draw(st.sampled_from(kinds), "kind")
        apply, inputs, old_is_parent = getattr(self, f"_{kind}")(data, target)
        shape_before = target.mirror.shape
        event(f"mutate: {kind} of a {'view' if target.root else 'base'}")
        try:
            apply(lambda e: e.mirror)
        except (ValueError, IndexError, TypeError, AttributeError) as numpy_error:
            # NumPy refuses (a read-only broadcast view, a copy needed to reshape): mygrad
            # must refuse the same way and change nothing (the invariants check that)
            try:
                apply(lambda e: e.tensor)
            except type(numpy_error):
                event(f"mutate: refused with {type(numpy_error).__name__}")
                if kind == "composite":
                    self._enters(target)  # x[index] ran before the write was refused
                return
            raise AssertionError(f"NumPy raised {numpy_error!r} but mygrad did not") from None
        apply(lambda e: e.tensor)
        if kind != "shape" or target.mirror.shape != shape_before:
            self._enters(target)  # an in-place update ends a disconnected view's link
        if not target.tensor.constant:
            self._enters(*inputs)  # the operands enter the update's node
        root = target.root or target
        if root.vnode in self.constants:
            # a constant stays constant, whatever went into it: no gradient flows through
            # it, so the replay keeps its value fixed when the leaves are perturbed
            frozen, key = np.array(root.mirror, copy=True), root.key

            def step(env: dict, leaves: dict) -> None:
                apply(lambda e: env[e.key])
                env[key][...] = frozen

        else:

            def step(env: dict, leaves: dict) -> None:
                apply(lambda e: env[e.key])

        self.program.append(step)
        if kind == "shape":
            # setting the shape it already has records nothing
            if target.mirror.shape != shape_before:
                target.vnode = self._vnode((target.vnode,), target.vnode in self.constants)
            return
        self._rebind(target, inputs, old_is_parent)

    def _rebind(self, target: _Entry, inputs: list[_Entry], old_is_parent: bool) -> None:
        """The model of an in-place update: the base takes a new value made from the
        inputs (and its own old value, for a write through a view), then every view of the
        base is re-derived from it."""
        root = target.root or target
        parents = [e.vnode for e in inputs]
        if old_is_parent:
            parents.append(target.vnode)
        if target.root is not None:
            parents.append(root.vnode)
        constant = root.vnode in self.constants
        root.vnode = self._vnode(tuple(parents), constant)
        for view in self._views_of(root):
            view.vnode = self._vnode((root.vnode,), constant)

    def _operand(self, data: Any, shape: tuple[int, ...]) -> tuple[Any, list[_Entry]]:
        """A Python float, or a tensor that broadcasts to ``shape``."""
        entry = None
        if data.draw(st.booleans(), "tensor operand"):
            entry = self._draw_entry(data, lambda e: _broadcasts_to(e.mirror.shape, shape))
        if entry is None:
            return data.draw(ELEMENTS, "scalar operand"), []
        return entry, [entry]

    def _augmented(self, data: Any, target: _Entry) -> tuple[Callable, list[_Entry], bool]:
        ops = ["+=", "-=", "*=", "/="]
        if np.abs(target.mirror).max(initial=0) < SQUARE_LIMIT:
            ops.append("**=")
        op = data.draw(st.sampled_from(ops), "augmented op")
        inputs: list[_Entry] = []
        operand: Any = 2  # **= 2 squares
        if op == "/=":
            operand = data.draw(st.sampled_from([2.0, -4.0]), "divisor")
        elif op != "**=":
            operand, inputs = self._operand(data, target.mirror.shape)

        def apply(get: Getter) -> None:
            t = get(target)
            o = get(operand) if isinstance(operand, _Entry) else operand
            if op == "+=":
                t += o
            elif op == "-=":
                t -= o
            elif op == "*=":
                t *= o
            elif op == "/=":
                t /= o
            else:
                t **= o

        return apply, inputs, True

    def _index(self, data: Any, shape: tuple[int, ...]) -> Any:
        basic = data.draw(st.booleans(), "basic")
        return data.draw(basic_indices(shape) if basic else arbitrary_indices(shape), "index")

    def _setitem(self, data: Any, target: _Entry) -> tuple[Callable, list[_Entry], bool]:
        index = self._index(data, target.mirror.shape)
        region = np.shape(target.mirror[index])
        value, inputs = self._operand(data, region)

        def apply(get: Getter) -> None:
            get(target)[index] = get(value) if isinstance(value, _Entry) else value

        return apply, inputs, True

    def _composite(self, data: Any, target: _Entry) -> tuple[Callable, list[_Entry], bool]:
        """``x[index] **= 2``: a getitem, an in-place square and a setitem."""
        index = self._index(data, target.mirror.shape)
        exponent = 2 if np.abs(target.mirror).max(initial=0) < SQUARE_LIMIT else 1

        def apply(get: Getter) -> None:
            get(target)[index] **= exponent

        return apply, [], True

    def _out(self, data: Any, target: _Entry) -> tuple[Callable, list[_Entry], bool]:
        """``np.<ufunc>(..., out=target)``, perhaps with ``where=``."""
        shape = target.mirror.shape
        ufunc = data.draw(st.sampled_from([np.add, np.multiply, np.sin]), "ufunc")
        operands, inputs = [], []
        for _ in range(ufunc.nin):
            operand, used = self._operand(data, shape)
            operands.append(operand)
            inputs += used
        where = None
        if data.draw(st.booleans(), "where"):
            where = data.draw(hnp.arrays(np.bool_, shape), "where mask")

        def apply(get: Getter) -> None:
            args = [get(o) if isinstance(o, _Entry) else o for o in operands]
            kwargs = {} if where is None else {"where": where}
            ufunc(*args, out=get(target), **kwargs)

        old_is_parent = where is not None or target in inputs
        return apply, [e for e in inputs if e is not target], old_is_parent

    def _shape(self, data: Any, target: _Entry) -> tuple[Callable, list[_Entry], bool]:
        newshape = data.draw(valid_shapes(target.mirror.size, min_len=0, max_len=4), "shape")

        def apply(get: Getter) -> None:
            get(target).shape = newshape

        return apply, [], True

    # ----------------------------------------------------------------- graph control
    @rule(data=st.data())
    def null_grad(self, data: Any) -> None:
        entry = self._draw_entry(data)
        assert entry.tensor.null_grad() is entry.tensor
        if entry.root is None:  # (a live view's grad is a view of its base's)
            assert entry.tensor.grad is None

    @rule(data=st.data())
    def clear_graph(self, data: Any) -> None:
        entry = self._draw_entry(data)
        entry.tensor.clear_graph()
        self._clear(entry.vnode)

    @rule(data=st.data())
    def backward(self, data: Any) -> None:
        terminal = self._draw_entry(data, lambda e: not e.tensor.constant)
        if terminal is None:
            return
        seed = data.draw(hnp.arrays(np.float64, terminal.mirror.shape, elements=ELEMENTS), "seed")
        self._backprop_and_check(terminal, seed)

    def _backprop_and_check(self, terminal: _Entry, seed: np.ndarray) -> None:
        history = self._history(terminal.vnode)
        if history & self.cleared:
            # D10: a graph whose interior was cleared cannot be backpropagated
            try:
                terminal.tensor.backward(seed)
            except InvalidBackprop:
                event("backward: InvalidBackprop through a cleared graph")
                return
            raise AssertionError(f"backward from {terminal} reached a cleared graph")
        self._enters(terminal)  # (a disconnected terminal backpropagates on its own)
        before = {e.key: e.tensor.grad for e in self._all() if e.root is None}
        stale_before = {e.key: e.stale.tensor.grad for e in self.entries if e.stale}
        positions = {e.key: self._positions(e) for e in self.entries if e.root is not None}
        terminal.tensor.backward(seed)
        self._check_leaf_grads(terminal, seed, history)
        for e in self.entries:
            if e.root is not None:
                self._check_view_grad(e, positions[e.key])
            elif e is terminal:
                np.testing.assert_array_equal(e.tensor.grad, seed)
            elif e.stale is not None:
                self._check_disconnected_grad(e, before[e.key], stale_before[e.key])
            elif e.vnode not in history:
                assert e.tensor.grad is before[e.key], f"{e}'s grad changed, outside the graph"
        self._clear(terminal.vnode)

    def _check_disconnected_grad(self, e: _Entry, before: Any, base_before: Any) -> None:
        """A disconnected view keeps the view of its base's grad it had, while the base
        keeps that grad (MyGrad); a view of a newer base grad it never had."""
        assert e.stale is not None
        grad, base_grad = e.tensor.grad, e.stale.tensor.grad
        if base_grad is base_before:
            assert grad is before, f"{e}'s grad changed, outside the graph"
        else:
            assert grad is None, f"disconnected {e} has a grad, its base's grad is new"

    def _positions(self, view: _Entry) -> np.ndarray | None:
        """Where the view's entries sit in its base (flat C order), read through aliasing;
        None when the base repeats memory (a disconnected broadcast), which aliasing cannot
        tell apart."""
        assert view.root is not None
        base = view.root.mirror  # an owner, or a view of a private copy: may be made writeable
        if _repeats_memory(base):
            return None
        writeable = base.flags.writeable
        base.flags.writeable = True
        saved = base.copy()
        base[...] = np.arange(base.size).reshape(base.shape)
        where = view.mirror.astype(np.intp)
        base[...] = saved
        base.flags.writeable = writeable
        return where

    def _check_leaf_grads(self, terminal: _Entry, seed: np.ndarray, history: set[int]) -> None:
        leaves = sorted(v for v in history if v in self.leaves and v not in self.constants)
        event(f"backward: {min(len(leaves), 3)}{'+' * (len(leaves) > 3)} leaves checked")
        if not leaves:
            return
        key = terminal.key

        def program(*values: np.ndarray) -> np.ndarray:
            env = self._replay(dict(zip(leaves, values)))
            return np.array(env[key], dtype=np.float64)

        estimates = numerical_vjp(program, [self.leaf_values[v] for v in leaves], seed)
        for v, estimate in zip(leaves, estimates):
            for holder in self._all():
                if holder.vnode != v:
                    continue
                try:
                    assert_grads_close(
                        holder.tensor.grad, estimate, dtype=np.float64, label=f"{holder}.grad"
                    )
                except InconclusiveOracle:
                    reject()  # an intermediate value sat on 0 (x - x), then got squared

    def _check_view_grad(self, view: _Entry, positions: np.ndarray | None) -> None:
        assert view.root is not None
        base_grad = view.root.tensor.grad
        if base_grad is None or view.tensor.constant:
            assert view.tensor.grad is None, f"{view} has a grad, its base has none"
            return
        if positions is not None:
            np.testing.assert_array_equal(view.tensor.grad, np.take(base_grad, positions))
        grad = view.tensor.grad
        if view.tensor.base is None:
            return
        if grad is not None and grad.size:
            assert np.shares_memory(grad, base_grad), f"{view}.grad is a copy"
        assert grad is base_grad or grad.base is base_grad, (
            f"{view}.grad is not a view of base.grad"
        )

    # ----------------------------------------------------------------- checks
    @invariant()
    def tensors_match_their_mirrors(self) -> None:
        guarded = mg.mem_guard_active()
        for e in self.entries:
            t = e.tensor
            assert t.shape == e.mirror.shape and t.dtype == e.mirror.dtype, f"{e}: shape/dtype"
            np.testing.assert_allclose(t.data, e.mirror, rtol=1e-12, atol=0, err_msg=repr(e))
            if e.root is None:
                stale = None if e.stale is None else e.stale.tensor
                assert t.base is stale, f"{e}.base should be {e.stale}"
            else:
                assert t.base is e.root.tensor, f"{e}.base is not {e.root}"
                assert _is_view_of(t.data, e.root.tensor.data), f"{e} is not a view of its base"
            if guarded and t.creator is not None:
                assert not t.data.flags.writeable, f"{e} is held by a live graph but writeable"

    def teardown(self) -> None:
        try:
            self._final_checks()
        finally:
            self.entries.clear()
            self.hidden.clear()

    def _final_checks(self) -> None:
        env = self._replay({})
        for e in self.entries:
            np.testing.assert_allclose(env[e.key], e.mirror, rtol=1e-12, atol=0)
        valid = [
            e
            for e in self.entries
            if not e.tensor.constant and not (self._history(e.vnode) & self.cleared)
        ]
        if valid:
            terminal = valid[-1]
            seed = np.linspace(-1.0, 1.5, terminal.mirror.size).reshape(terminal.mirror.shape)
            self._backprop_and_check(terminal, seed)
        # once every graph is cleared, no lock is left and every array is writeable again,
        # exactly unless NumPy made it read-only (broadcast_to, and views of one)
        for e in self._all():
            e.tensor.clear_graph()
        gc.collect()
        assert lock_count() == self.locks_before, "memory locks were left behind"
        for e in self._all():
            writeable = e.tensor.data.flags.writeable
            if e.writeable:
                assert writeable, f"{e} stayed read-only after its graphs were cleared"
            else:
                assert not writeable, f"{e} is read-only in NumPy but became writeable"


Step = Callable[[dict[int, np.ndarray], dict[int, np.ndarray]], None]


def _assign_leaf(key: int, leaf: int) -> Step:
    def step(env: dict[int, np.ndarray], leaves: dict[int, np.ndarray]) -> None:
        # (a root NumPy keeps read-only, e.g. a former broadcast, owns its copy: the new
        # leaf value replaces the old one behind the flag)
        target = env[key]
        writeable = target.flags.writeable
        target.flags.writeable = True
        target[...] = leaves[leaf]
        target.flags.writeable = writeable

    return step


def _copy_leaf(key: int, leaf: int, writeable: bool) -> Step:
    """A disconnected view takes its leaf value in a copy laid out like the view (as its
    mirror is), so that NumPy makes the same views of it in the replay; a view repeating
    memory (a broadcast) takes a dense copy, so that each entry can be perturbed alone."""

    def step(env: dict[int, np.ndarray], leaves: dict[int, np.ndarray]) -> None:
        old = env[key]
        if _repeats_memory(old):
            new = np.array(leaves[leaf], copy=True)
        else:
            new = _private_copy(old)
            new[...] = leaves[leaf]
        new.flags.writeable = writeable
        env[key] = new

    return step


def _broadcastable(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True
