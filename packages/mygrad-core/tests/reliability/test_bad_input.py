"""api.md §S9, row by row: bad input raises the documented exception, with a message that
names what was wrong, and leaves every tensor, array, grad, lock and graph as it was."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import mygrad as mg
from mygrad import _memguard
from mygrad.errors import InvalidBackprop, InvalidGradient
from mygrad.operation_base import Operation, UnaryUfunc
from mygrad.ufuncs import ufunc_creator


class Scene:
    """A live graph: leaves ``x`` and ``w``, ``y = x * w * arr``, a view ``v`` of ``x``, a
    constant ``c`` and an integer tensor ``i``. A case may ``watch`` more tensors/arrays."""

    def __init__(self) -> None:
        self.x = mg.tensor([1.0, 2.0, 3.0])
        self.w = mg.tensor([4.0, 5.0, 6.0])
        self.arr = np.array([2.0, 2.0, 2.0])
        self.v = self.x[:2]
        self.y = self.x * self.w * self.arr
        self.c = mg.tensor([1.0, 2.0, 3.0], constant=True)
        self.i = mg.tensor([1, 2, 3])
        self.watched: list[Any] = [self.x, self.w, self.arr, self.v, self.y, self.c, self.i]

    def watch(self, *items: Any) -> None:
        self.watched.extend(items)

    def snapshot(self) -> list[tuple]:
        return [_state(item) for item in self.watched] + [("locks", _memguard.lock_count())]

    def assert_graph_works(self) -> None:
        self.y.backward()
        np.testing.assert_array_equal(self.x.grad, self.w.data * self.arr)
        np.testing.assert_array_equal(self.w.grad, self.x.data * self.arr)
        np.testing.assert_array_equal(self.v.grad, (self.w.data * self.arr)[:2])


def _state(item: Any) -> tuple:
    """Everything observable about a tensor or array (values copied, identities kept)."""
    if isinstance(item, np.ndarray):
        return ("array", id(item), item.copy(), item.flags.writeable)
    node = item.creator
    grad = item.grad
    return (
        "tensor",
        id(item.data),
        item.data.copy(),
        item.data.flags.writeable,
        None if grad is None else grad.copy(),
        node,
        None if node is None else (*node.parents, node.cleared),  # (compared by identity)
        item.base,
        item.constant,
    )


def _assert_same_states(before: list[tuple], after: list[tuple]) -> None:
    assert len(before) == len(after)
    for b, a in zip(before, after):
        assert len(b) == len(a)
        for x, y in zip(b, a):
            if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
                assert type(x) is type(y) and x.dtype == y.dtype
                np.testing.assert_array_equal(x, y)
            elif isinstance(x, (tuple, int, str, bool)) or x is None:
                assert x == y if not isinstance(x, tuple) else all(
                    p is q for p, q in zip(x, y)
                )
            else:
                assert x is y


# ---------------------------------------------------------------- helpers for the cases


class ReturnsText(Operation):
    """A custom op whose backward_var returns something that is not a gradient."""

    def __call__(self, a: mg.Tensor) -> np.ndarray:
        self.variables = (a,)
        return a.data * 2

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> Any:
        return "not a gradient"


class NotAUfunc(Operation):
    def __call__(self, a: mg.Tensor) -> np.ndarray:
        self.variables = (a,)
        return a.data


class Cube(UnaryUfunc):
    numpy_ufunc = np.cbrt


def _cleared_interior(s: Scene) -> Callable[[], object]:
    shared = s.x * 2
    first, second = shared * 3, shared * 4
    first.backward()
    s.watch(shared, first, second)
    return second.backward


def _cleared_by_clear_graph(s: Scene) -> Callable[[], object]:
    h = s.w * 5
    z = h * 3
    h.clear_graph()
    s.watch(h, z)
    return z.backward


def _invalid_gradient(s: Scene) -> Callable[[], object]:
    out = mg.execute_op(ReturnsText, s.x)
    s.watch(out)
    return out.backward


def _natively_read_only(s: Scene, action: str) -> Callable[[], object]:
    ro = np.array([1.0, 2.0, 3.0])
    ro.flags.writeable = False
    t = mg.astensor(ro)
    s.watch(ro, t)

    def act() -> None:
        if action == "setitem":
            t[0] = 5.0
        elif action == "iadd":
            t.__iadd__(1.0)
        else:
            np.multiply(t, 2.0, out=t)

    return act


def _in_place_matmul(s: Scene) -> Callable[[], object]:
    z = s.x * 1
    s.watch(z)
    return lambda: z.__imatmul__(s.x)


def _set_shape(s: Scene, shape: tuple[int, ...], transposed: bool) -> Callable[[], object]:
    m = mg.tensor(np.arange(6.0).reshape(2, 3))
    target = m.T if transposed else m * 1
    s.watch(m, target)

    def act() -> None:
        target.shape = shape

    return act


def _sub_class_ufunc() -> None:
    type("MyUfunc", (mg.ufunc,), {})


def _ufunc_creator(kwargs: dict[str, Any], op: type) -> Callable[[], object]:
    return lambda: ufunc_creator(op, **kwargs)(lambda x: None)


# (row, id, case(scene) -> thunk, exception, what the message must name)
ROWS: list[tuple[str, str, Callable[[Scene], Callable[[], object]], type, str]] = [
    # integer/bool data or output with constant=False
    ("int constant=False", "int data",
     lambda s: lambda: mg.tensor([1, 2], constant=False), ValueError, "Integer-valued"),
    ("int constant=False", "bool data",
     lambda s: lambda: mg.tensor([True], constant=False), ValueError, "Integer-valued"),
    ("int constant=False", "int op output",
     lambda s: lambda: mg.add(s.i, 1, constant=False), ValueError, "Integer-valued"),
    ("int constant=False", "int method output",
     lambda s: lambda: s.i.sum(constant=False), ValueError, "Integer-valued"),
    # `constant` not bool/None
    ("constant type", "tensor",
     lambda s: lambda: mg.tensor([1.0], constant=1), TypeError, "`constant`.*1"),
    ("constant type", "ufunc",
     lambda s: lambda: mg.add(s.x, 1, constant="yes"), TypeError, "`constant`.*'yes'"),
    ("constant type", "function",
     lambda s: lambda: mg.reshape(s.x, (3, 1), constant=0), TypeError, "`constant`.*0"),
    ("constant type", "copy",
     lambda s: lambda: s.x.copy(constant=1.0), TypeError, "`constant`.*1.0"),
    # complex/str/object/datetime tensors outside no_autodiff
    ("dtype", "complex data",
     lambda s: lambda: mg.tensor([1j]), TypeError, "complex128"),
    ("dtype", "str data",
     lambda s: lambda: mg.tensor(["a"]), TypeError, "<U1"),
    ("dtype", "object data",
     lambda s: lambda: mg.tensor(np.array([None], dtype=object)), TypeError, "object"),
    ("dtype", "datetime data",
     lambda s: lambda: mg.tensor(np.array(["2000-01-01"], "M8[D]")), TypeError, "datetime64"),
    ("dtype", "complex op output",
     lambda s: lambda: s.x * 1j, TypeError, "complex128"),
    ("dtype", "complex ufunc output",
     lambda s: lambda: mg.multiply(s.x, np.array([1j, 1j, 1j])), TypeError, "complex128"),
    # backward(grad) of the wrong shape
    ("backward grad shape", "smaller",
     lambda s: lambda: s.y.backward(np.ones(2)), ValueError, r"incompatible shape.*\(2,\)"),
    ("backward grad shape", "enlarging",
     lambda s: lambda: s.y.backward(np.ones((3, 1))), ValueError, r"incompatible.*\(3, 1\)"),
    # backprop through a partly cleared graph
    ("InvalidBackprop", "interior backpropagated",
     _cleared_interior, InvalidBackprop, r"cleared.*Tensor\(\[2\., 4\., 6\.\]\)"),
    ("InvalidBackprop", "clear_graph",
     _cleared_by_clear_graph, InvalidBackprop, r"cleared.*Tensor\(\[20\., 25\., 30\.\]\)"),
    # custom op backward_var returning non-numeric
    ("InvalidGradient", "str",
     _invalid_gradient, InvalidGradient, "ReturnsText.*str"),
    # writing into an array locked by a live graph
    ("locked array", "leaf data",
     lambda s: lambda: s.x.data.__setitem__(0, 5.0), ValueError, "read-only"),
    ("locked array", "raw input array",
     lambda s: lambda: s.arr.__setitem__(0, 5.0), ValueError, "read-only"),
    ("locked array", "op output",
     lambda s: lambda: s.y.data.__setitem__(0, 5.0), ValueError, "read-only"),
    # out= a read-only or locked ndarray
    ("out= locked", "mygrad ufunc, locked raw array",
     lambda s: lambda: mg.multiply(s.x, 2, out=s.arr), ValueError, "output array is read-only"),
    ("out= locked", "numpy ufunc, tensor's own data",
     lambda s: lambda: np.multiply(s.x, 2, out=s.x.data), ValueError,
     "output array is read-only"),
    # in-place on a tensor over a natively read-only array
    ("natively read-only", "setitem",
     lambda s: _natively_read_only(s, "setitem"), ValueError, "read-only"),
    ("natively read-only", "+=",
     lambda s: _natively_read_only(s, "iadd"), ValueError, "read-only"),
    ("natively read-only", "out=",
     lambda s: _natively_read_only(s, "out"), ValueError, "read-only"),
    # constant-only ufuncs and // on non-constant tensors
    ("constant-only ufunc", "//",
     lambda s: lambda: s.x // 2, ValueError, "floor_divide.*non-constant"),
    ("constant-only ufunc", "np.floor",
     lambda s: lambda: np.floor(s.x), ValueError, "floor.*non-constant"),
    ("constant-only ufunc", "np.remainder",
     lambda s: lambda: np.remainder(s.x, 2), ValueError, "remainder.*non-constant"),
    ("constant-only ufunc", "out= a variable",
     lambda s: lambda: np.floor(s.c, out=s.x), ValueError, "floor.*non-constant"),
    # unsupported ufuncs and NumPy functions
    ("unsupported", "ufunc",
     lambda s: lambda: np.hypot(s.x, s.x), TypeError, "hypot"),
    ("unsupported", "function",
     lambda s: lambda: np.sort(s.x), TypeError, "numpy.sort"),
    # ufunc methods
    ("ufunc method", "np reduce",
     lambda s: lambda: np.add.reduce(s.x), NotImplementedError, "add.reduce"),
    ("ufunc method", "np accumulate",
     lambda s: lambda: np.add.accumulate(s.x), NotImplementedError, "add.accumulate"),
    ("ufunc method", "np outer",
     lambda s: lambda: np.multiply.outer(s.x, s.x), NotImplementedError, "multiply.outer"),
    ("ufunc method", "np reduceat",
     lambda s: lambda: np.add.reduceat(s.x, [0, 1]), NotImplementedError, "add.reduceat"),
    ("ufunc method", "mygrad reduce",
     lambda s: lambda: mg.add.reduce(s.x), NotImplementedError, "reduce"),
    ("ufunc method", "np at",
     lambda s: lambda: np.add.at(s.x, [0], 1.0), TypeError, "add.at"),
    # NumPy-only keyword arguments
    ("numpy-only kwargs", "casting",
     lambda s: lambda: mg.add(s.x, 1, casting="unsafe"), TypeError, "casting"),
    ("numpy-only kwargs", "order",
     lambda s: lambda: mg.exp(s.x, order="C"), TypeError, "order"),
    ("numpy-only kwargs", "np casting",
     lambda s: lambda: np.add(s.x, 1, casting="unsafe"), TypeError, "casting"),
    ("numpy-only kwargs", "subok",
     lambda s: lambda: mg.multiply(s.x, 1, subok=True), TypeError, "subok"),
    ("numpy-only kwargs", "reduction dtype",
     lambda s: lambda: np.sum(s.x, dtype=np.float32), TypeError, "dtype"),
    ("numpy-only kwargs", "reduction where",
     lambda s: lambda: np.mean(s.x, where=[True, False, True]), TypeError, "where"),
    # operators and builtins Tensors do not support
    ("operators", "@=", _in_place_matmul, TypeError, "In-place matrix multiplication"),
    ("operators", "abs", lambda s: lambda: abs(s.x), TypeError, "abs.*Tensor"),
    ("operators", "%", lambda s: lambda: s.x % 2, TypeError, "%.*Tensor"),
    ("operators", "divmod", lambda s: lambda: divmod(s.x, 2), TypeError, "divmod.*Tensor"),
    ("operators", "~", lambda s: lambda: ~s.x, TypeError, "~.*Tensor"),
    ("operators", "&", lambda s: lambda: s.x & s.w, TypeError, "&.*Tensor"),
    ("operators", "hash", lambda s: lambda: hash(s.x), TypeError, "unhashable.*Tensor"),
    ("operators", "len 0-d", lambda s: lambda: len(mg.tensor(1.0)), TypeError, "len"),
    ("operators", "iter 0-d", lambda s: lambda: iter(mg.tensor(1.0)), TypeError, "0-d"),
    # item/float/int of a tensor of size != 1
    ("size 1", "item", lambda s: lambda: s.x.item(), ValueError, "size 1"),
    ("size 1", "float", lambda s: lambda: float(s.x), TypeError, "size 1"),
    ("size 1", "int", lambda s: lambda: int(s.y), TypeError, "size 1"),
    # setting .shape
    ("x.shape =", "wrong size",
     lambda s: _set_shape(s, (4,), False), ValueError, r"size 6.*\(4,\)"),
    ("x.shape =", "needs a copy",
     lambda s: _set_shape(s, (6,), True), AttributeError, "Incompatible shape"),
    # sequence functions
    ("sequences", "multi_matmul of one",
     lambda s: lambda: mg.multi_matmul([s.x]), ValueError, "at least two"),
    ("sequences", "multi_matmul of 3-d",
     lambda s: lambda: mg.multi_matmul([np.ones((2, 2, 2)), s.x]), ValueError, "3 dim"),
    ("sequences", "add_sequence of one",
     lambda s: lambda: mg.add_sequence(s.x), ValueError, "add_sequence.*two"),
    ("sequences", "multiply_sequence of one",
     lambda s: lambda: mg.multiply_sequence(s.x), ValueError, "multiply_sequence.*two"),
    # where with only one of x/y
    ("where", "x only",
     lambda s: lambda: mg.where(s.x > 1, s.x), ValueError, "`x` and `y`"),
    # norms mygrad does not differentiate
    ("norm", "matrix norm",
     lambda s: lambda: mg.linalg.norm(mg.tensor(np.ones((2, 2))), ord=1), NotImplementedError,
     "matrix"),
    ("norm", "ord=0",
     lambda s: lambda: mg.linalg.norm(s.x, ord=0), NotImplementedError, "ord=0"),
    # save of a non-Tensor
    ("save", "ndarray",
     lambda s: lambda: mg.save(io.BytesIO(), s.arr), TypeError, "Tensor.*ndarray"),
    # ufunc_creator and subclassing mygrad.ufunc
    ("ufunc_creator", "method op",
     lambda s: _ufunc_creator({"reduce_op": NotAUfunc}, Cube), NotImplementedError,
     "reduce_op"),
    ("ufunc_creator", "non-ufunc op",
     lambda s: _ufunc_creator({}, NotAUfunc), TypeError, "UnaryUfunc.*NotAUfunc"),
    ("subclass ufunc", "subclass",
     lambda s: _sub_class_ufunc, TypeError, "subclassed"),
    # not in §S9, but §S6: a failing in-place op raises and leaves the graph intact
    ("failing in-place", "setitem shape",
     lambda s: lambda: s.x.__setitem__(slice(None), np.ones(4)), ValueError, r"\(4,\)"),
    ("failing in-place", "+= shape",
     lambda s: lambda: s.w.__iadd__(np.ones(2)), ValueError, r"\(2,\)"),
    ("failing in-place", "view += shape",
     lambda s: lambda: s.v.__iadd__(np.ones(3)), ValueError, r"\(3,\)"),
    ("failing in-place", "int += float",
     lambda s: lambda: s.i.__iadd__(1.5), TypeError, "int64"),
]


@pytest.mark.parametrize(
    ("case", "exception", "names"),
    [pytest.param(case, exc, names, id=f"{row}: {what}") for row, what, case, exc, names in ROWS],
)
def test_bad_input_raises_names_the_problem_and_changes_nothing(case, exception, names):
    scene = Scene()
    act = case(scene)
    before = scene.snapshot()
    with pytest.raises(exception, match=names):
        act()
    _assert_same_states(before, scene.snapshot())
    scene.assert_graph_works()


# ---------------------------------------------------------------- rows that do not raise


def test_backward_twice_raises_nothing_and_only_resets_the_seed():
    scene = Scene()
    scene.y.backward()
    x_grad = scene.x.grad.copy()
    scene.y.backward()
    np.testing.assert_array_equal(scene.y.grad, np.ones(3))
    np.testing.assert_array_equal(scene.x.grad, x_grad)


def test_truthiness_follows_numpy():  # D2 replaces the 0-d bool() row
    assert bool(mg.tensor(0.0)) is False and bool(mg.tensor([2.0])) is True
    with pytest.raises(ValueError, match="more than one element"):
        bool(mg.tensor([1.0, 2.0]))


class FailsOnce(Operation):
    """A custom op whose first backward pass fails (a bug, an interrupt, ...)."""

    def __call__(self, a: mg.Tensor) -> np.ndarray:
        self.variables = (a,)
        return a.data * 2

    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> Any:
        if FAILURES:
            raise FAILURES.pop()
        return grad * 2


FAILURES: list[Exception] = []


def test_a_backward_that_fails_midway_changes_nothing_and_can_be_retried():
    x = mg.tensor([1.0, 2.0])
    hidden = mg.execute_op(FailsOnce, x)
    out = hidden * 3.0  # processed before the failing op
    FAILURES.append(RuntimeError("the first backward fails"))
    with pytest.raises(RuntimeError, match="first backward"):
        out.backward()
    assert x.grad is None and hidden.grad is None and out.grad is None
    assert out.creator is not None and hidden.creator is not None
    out.backward()
    np.testing.assert_array_equal(x.grad, [6.0, 6.0])
    np.testing.assert_array_equal(hidden.grad, [3.0, 3.0])
