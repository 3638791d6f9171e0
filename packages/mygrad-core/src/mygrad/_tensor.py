"""The Tensor: an ndarray plus a gradient, a constant flag and its place in the graph.

Operators and NumPy-style methods are one-line delegations to registered ops.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _graph, _memguard
from ._graph import Node
from ._modes import _tracking

if TYPE_CHECKING:
    from .typing import ArrayLike, DTypeLikeReals

__all__ = ["Tensor"]

_ALLOWED_KINDS = frozenset("fiub")


def _data_of(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _is_scalar_equal(x: Any, value: int) -> bool:
    """Whether ``x`` is a Python/NumPy scalar or 0-d array equal to ``value``."""
    if isinstance(x, (int, float, np.number)) and not isinstance(x, bool):
        return bool(x == value)
    if type(x) is np.ndarray and x.ndim == 0 and x.dtype.kind in "iuf":
        return bool(x == value)
    return False


class Tensor:
    """An ndarray that records the operations applied to it, for reverse-mode autodiff.

    >>> import mygrad as mg
    >>> x = mg.tensor([1.0, 2.0, 3.0])
    >>> mg.sum(x * x).backward()
    >>> x.grad
    array([2., 4., 6.])
    """

    __slots__ = (
        "data",
        "_grad",
        "_constant",
        "_node",
        "_base",
        "_view_chain",
        "_views",
        "__weakref__",
    )
    __array_priority__ = 15.0
    __hash__ = None  # type: ignore[assignment]

    data: np.ndarray
    _grad: np.ndarray | None
    _constant: bool
    _node: Node | None
    _base: Tensor | None
    _view_chain: tuple[tuple[Any, dict[str, Any]], ...]
    _views: list[weakref.ref[Tensor]] | None

    def __init__(
        self,
        x: ArrayLike,
        *,
        dtype: DTypeLikeReals = None,
        constant: bool | None = None,
        copy: bool = True,
        ndmin: int = 0,
        _creator: Any = None,
        _base: Tensor | None = None,
    ) -> None:
        if constant is not None and type(constant) is not bool:
            raise TypeError(f"`constant` must be a bool or None, got {constant!r}")
        if not isinstance(ndmin, (int, np.integer)) or isinstance(ndmin, bool):
            raise TypeError(f"`ndmin` must be an integer, got {ndmin!r}")
        ndmin = max(int(ndmin), 0)
        if isinstance(x, Tensor):
            x = x.data
        if copy:
            data = np.array(x, dtype=dtype, copy=True, ndmin=ndmin)
        else:
            data = np.asarray(x, dtype=dtype)
            if data.ndim < ndmin:
                data = data.reshape((1,) * (ndmin - data.ndim) + data.shape)
        tracking = _tracking.get()
        if tracking and data.dtype.kind not in _ALLOWED_KINDS:
            raise TypeError(
                "Tensor data must be of an floating type, integer type, or boolean type; "
                f"got dtype {data.dtype}"
            )
        is_float = data.dtype.kind == "f"
        if constant is None:
            constant = not is_float
        elif constant is False and not is_float and tracking:
            raise ValueError("Integer-valued tensors must be treated as constants.")
        self.data = data
        self._grad = None
        self._constant = constant
        self._node = None
        self._base = None
        self._view_chain = ()
        self._views = None

    # ------------------------------------------------------------------ graph state
    @property
    def grad(self) -> np.ndarray | None:
        """dL/d(self) from the last backward pass; for a view, a view of its base's grad."""
        base = self._base
        if base is not None and not self._constant:
            base_grad = base._grad
            if base_grad is None:
                return None
            if not self._view_chain:
                # disconnected (its graph was cleared): the view of base.grad it had then,
                # while the base still has that grad (MyGrad)
                own = self._grad
                if own is not None and (own is base_grad or own.base is base_grad):
                    return own
                return None
            return _replay(self._view_chain, base_grad)
        return self._grad

    @property
    def constant(self) -> bool:
        """A constant tensor never receives a gradient."""
        return self._constant

    @property
    def creator(self) -> Node | None:
        """The graph node of the operation that produced this tensor (None for a leaf)."""
        node = self._node
        return node if node is not None and node.op is not None else None

    @property
    def base(self) -> Tensor | None:
        """The tensor owning the memory this tensor views, or None."""
        return self._base

    def _make_leaf(self) -> Node:
        if self._base is not None and not self._view_chain:
            self._disconnect_from_base()  # a disconnected view enters a new graph on its own
        node = self._node = Node.leaf(self)
        return node

    def _disconnect_from_base(self) -> None:
        """A view whose graph was cleared becomes an independent tensor (api.md S5): at its
        next in-place update, or when it enters a new graph. It keeps its grad, as an array
        of its own, so that the grads of its own views are views of it."""
        grad = self.grad
        self._base = None
        self._view_chain = ()
        self._grad = None if grad is None else np.array(grad, copy=True)

    def _add_view(self, view: Tensor) -> None:
        views = self._views
        if views is None:
            self._views = [weakref.ref(view)]
            return
        if len(views) >= 16 and (len(views) & (len(views) - 1)) == 0:
            views[:] = [r for r in views if r() is not None]
        views.append(weakref.ref(view))

    def _live_views(self) -> list[Tensor]:
        if not self._views:
            return []
        # (a view disconnected by a cleared graph keeps its base but has no chain)
        alive = [
            v
            for v in (r() for r in self._views)
            if v is not None and v._base is self and v._view_chain
        ]
        self._views = [weakref.ref(v) for v in alive]
        return alive

    def _detach_from_graph(self) -> None:
        """Called when this tensor's node is cleared: it becomes a leaf.

        A view stays a view of its base, as in MyGrad (``base``; a grad that is a view of
        the base's grad), but is disconnected, marked by an empty view chain: updates of
        the base no longer reach it, and its next in-place update or its entry into a new
        graph makes it independent (:meth:`_disconnect_from_base`).
        """
        if self._base is not None and self._view_chain:
            self._grad = self.grad
            self._view_chain = ()
        self._node = None

    def backward(self, grad: ArrayLike | None = None) -> None:
        """Backpropagate from this tensor, as if from ``(self * grad).sum()``.

        Sets ``.grad`` on every variable tensor in the graph, then clears the graph.
        """
        if not _tracking.get():
            return None
        if self._constant:
            self.clear_graph()
            return None
        if grad is None:
            shape = self.data.shape
            # (np.array for the common scalar loss: np.ones is a Python function, ~1 µs more)
            seed = np.ones(shape, self.data.dtype) if shape else np.array(1, self.data.dtype)
        else:
            seed = np.asarray(_data_of(grad), dtype=self.data.dtype)
            shape = self.data.shape
            try:
                ok = np.broadcast_shapes(seed.shape, shape) == shape
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(
                    "`tensor.backward(grad)` was passed a gradient with an incompatible "
                    f"shape: grad has shape {seed.shape}, the tensor has shape {shape}"
                )
            seed = np.broadcast_to(seed, shape)
        node = self._node
        if node is None:
            if self._base is not None and not self._view_chain:
                self._disconnect_from_base()
            self._grad = np.array(seed, copy=True)
            return None
        _graph.backward(node, seed)
        return None

    def null_grad(self) -> Tensor:
        """Set ``grad`` to None; returns ``self``."""
        self._grad = None
        node = self._node
        if node is not None and node.op is None:
            node.stale = None  # the memory is wanted back now
        return self

    def null_gradients(self, clear_graph: bool = True) -> None:
        """Deprecated no-op kept for MyGrad compatibility."""
        import warnings

        warnings.warn(
            "`Tensor.null_gradients` is deprecated and does nothing; gradients are "
            "cleared automatically. Use `Tensor.null_grad` or `Tensor.clear_graph`.",
            FutureWarning,
            stacklevel=2,
        )

    def clear_graph(self) -> None:
        """Remove this tensor and everything upstream of it from the graph."""
        if self._node is not None and self._node.op is not None:
            _graph.clear_graph(self._node)

    # ------------------------------------------------------------------ array facts
    @property
    def shape(self) -> tuple[int, ...]:
        """The tensor's shape; assigning to it reshapes in place, as ``ndarray.shape = ...``."""
        return self.data.shape

    @shape.setter
    def shape(self, newshape: Any) -> None:
        from ._inplace import set_shape

        set_shape(self, newshape)

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        """The data type of the wrapped array."""
        return self.data.dtype

    @property
    def T(self) -> Tensor:
        """The transposed tensor (a view), as ``ndarray.T``."""
        return _execute(_OPS["transpose"], (self,), {"axes": None}, None, type(self))

    def item(self) -> Any:
        """The tensor's only element as a Python scalar, as ``ndarray.item()``."""
        return self.data.item()

    def __float__(self) -> float:
        if self.data.size != 1:
            raise TypeError("only tensors of size 1 can be converted to Python scalars")
        return float(self.data.item())

    def __int__(self) -> int:
        if self.data.size != 1:
            raise TypeError("only tensors of size 1 can be converted to Python scalars")
        return int(self.data.item())

    def __index__(self) -> int:
        return self.data.__index__()

    def __bool__(self) -> bool:
        # D2: NumPy truthiness (size 1 -> its value, otherwise ValueError)
        return bool(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    def __contains__(self, item: Any) -> bool:
        return _data_of(item) in self.data

    def __repr__(self) -> str:
        return "Tensor" + repr(self.data)[5:].replace("\n", "\n ")

    __str__ = __repr__

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        data = self.data
        if dtype is not None and np.dtype(dtype) != data.dtype:
            return data.astype(dtype)
        return data.copy() if copy else data

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return _array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        return _array_function(func, types, args, kwargs)

    # ------------------------------------------------------------------ copies
    def copy(self, *, constant: bool | None = None) -> Tensor:
        """A detached copy of the data and the grad."""
        out = type(self)(self.data, constant=self._constant if constant is None else constant)
        grad = self.grad
        if grad is not None and not out._constant:
            out._grad = np.array(grad, copy=True)
        return out

    def __copy__(self) -> Tensor:
        return self.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        from copy import deepcopy

        new = type(self).__new__(type(self))
        memo[id(self)] = new
        new.__setstate__(deepcopy(self.__getstate__(), memo))
        return new

    # pickling and deep copies (D14): the graph holds weakrefs and op objects, so neither
    # is kept; the copy is a detached leaf with the same data, dtype, grad and constant flag
    def __getstate__(self) -> dict[str, Any]:
        state = {"data": self.data, "grad": self.grad, "constant": self._constant}
        extra = getattr(self, "__dict__", None)  # a subclass without __slots__
        if extra:
            state["dict"] = extra
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        data, grad = state["data"], state["grad"]
        # an unpickled buffer may be read-only (protocol 5); a detached leaf owns writeable data
        self.data = data if data.flags.writeable else data.copy()
        if grad is not None and (type(grad) is not np.ndarray or not grad.flags.writeable):
            grad = np.array(grad)  # a writeable array, also from a NumPy scalar
        self._grad = grad
        self._constant = state["constant"]
        self._node = None
        self._base = None
        self._view_chain = ()
        self._views = None
        if "dict" in state:
            self.__dict__.update(state["dict"])

    def astype(
        self,
        dtype: DTypeLikeReals,
        casting: str = "unsafe",
        copy: bool = True,
        *,
        constant: bool | None = None,
    ) -> Tensor:
        """A new leaf tensor of ``dtype``; ``constant`` is inferred from the new dtype."""
        dtype = np.dtype(dtype)
        if (
            not copy
            and dtype == self.data.dtype
            and (constant is None or constant == self._constant)
        ):
            return self
        return type(self)(self.data.astype(dtype, casting=casting), constant=constant)  # type: ignore[call-overload]

    # ------------------------------------------------------------------ operators
    def __add__(self, other: Any) -> Tensor:
        if self.data.nbytes >= _ELIDE_BYTES:
            return _elide(_OPS["add"], (self, other), 0, type(self))
        return _binary(_OPS["add"], self, other, type(self))

    def __radd__(self, other: Any) -> Tensor:
        if self.data.nbytes >= _ELIDE_BYTES:
            return _elide(_OPS["add"], (other, self), 1, type(self))
        return _binary(_OPS["add"], other, self, type(self))

    def __sub__(self, other: Any) -> Tensor:
        if self.data.nbytes >= _ELIDE_BYTES:
            return _elide(_OPS["subtract"], (self, other), 0, type(self))
        return _binary(_OPS["subtract"], self, other, type(self))

    def __rsub__(self, other: Any) -> Tensor:
        if self.data.nbytes >= _ELIDE_BYTES:
            return _elide(_OPS["subtract"], (other, self), 1, type(self))
        return _binary(_OPS["subtract"], other, self, type(self))

    def __mul__(self, other: Any) -> Tensor:
        return _binary(_OPS["multiply"], self, other, type(self))

    def __rmul__(self, other: Any) -> Tensor:
        return _binary(_OPS["multiply"], other, self, type(self))

    def __truediv__(self, other: Any) -> Tensor:
        if self.data.nbytes >= _ELIDE_BYTES:
            return _elide(_OPS["divide"], (self, other), 0, type(self))
        return _binary(_OPS["divide"], self, other, type(self))

    def __rtruediv__(self, other: Any) -> Tensor:
        return _binary(_OPS["divide"], other, self, type(self))

    def __pow__(self, other: Any) -> Tensor:
        name = _power_op(other)
        return _execute(
            _OPS[name], (self, other) if name == "power" else (self,), {}, None, type(self)
        )

    def __rpow__(self, other: Any) -> Tensor:
        return _binary(_OPS["power"], other, self, type(self))

    def __matmul__(self, other: Any) -> Tensor:
        return _binary(_OPS["matmul"], self, other, type(self))

    def __rmatmul__(self, other: Any) -> Tensor:
        return _binary(_OPS["matmul"], other, self, type(self))

    def __neg__(self) -> Tensor:
        return _execute(_OPS["negative"], (self,), {}, None, type(self))

    def __pos__(self) -> Tensor:
        return _execute(_OPS["positive"], (self,), {}, None, type(self))

    def __floordiv__(self, other: Any) -> Any:
        return np.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Any:
        return np.floor_divide(other, self)

    def __iadd__(self, other: Any) -> Tensor:
        return _inplace("add", self, (self, other))

    def __isub__(self, other: Any) -> Tensor:
        return _inplace("subtract", self, (self, other))

    def __imul__(self, other: Any) -> Tensor:
        return _inplace("multiply", self, (self, other))

    def __itruediv__(self, other: Any) -> Tensor:
        return _inplace("divide", self, (self, other))

    def __ipow__(self, other: Any) -> Tensor:
        name = _power_op(other)
        return _inplace(name, self, (self, other) if name == "power" else (self,))

    def __imatmul__(self, other: Any) -> Tensor:
        raise TypeError("In-place matrix multiplication is not (yet) supported")

    # comparisons act on the data and return ndarrays, never tensors
    def __eq__(self, other: Any) -> Any:
        return self.data == _data_of(other)

    def __ne__(self, other: Any) -> Any:
        return self.data != _data_of(other)

    def __lt__(self, other: Any) -> Any:
        return self.data < _data_of(other)

    def __le__(self, other: Any) -> Any:
        return self.data <= _data_of(other)

    def __gt__(self, other: Any) -> Any:
        return self.data > _data_of(other)

    def __ge__(self, other: Any) -> Any:
        return self.data >= _data_of(other)

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, index: Any) -> Tensor:
        return _execute(_OPS["getitem"], (self,), {"index": _plain_index(index)}, None, type(self))

    def __setitem__(self, index: Any, value: Any) -> None:
        _setitem(self, _plain_index(index), value)

    # ------------------------------------------------------------------ NumPy-style methods
    def reshape(self, *newshape: Any, constant: bool | None = None) -> Tensor:
        """This tensor with a new shape (a view when NumPy gives one): :func:`mygrad.reshape`."""
        if not newshape:
            raise TypeError("reshape() takes at least one argument: the new shape")
        shape = newshape[0] if len(newshape) == 1 else newshape
        return _mg.reshape(self, shape, constant=constant)

    def flatten(self, *, constant: bool | None = None) -> Tensor:
        """A flattened copy of this tensor, as ``ndarray.flatten()``."""
        return _execute(_OPS["flatten"], (self,), {}, constant, type(self))

    def ravel(self, *, constant: bool | None = None) -> Tensor:
        """This tensor flattened (a view when NumPy gives one); see :func:`mygrad.ravel`."""
        return _mg.ravel(self, constant=constant)

    def squeeze(self, axis: Any = None, *, constant: bool | None = None) -> Tensor:
        """This tensor without its size-1 axes (a view); see :func:`mygrad.squeeze`."""
        return _mg.squeeze(self, axis, constant=constant)

    def transpose(self, *axes: Any, constant: bool | None = None) -> Tensor:
        """This tensor with its axes permuted (a view); see :func:`mygrad.transpose`."""
        return _mg.transpose(self, *axes, constant=constant)

    def moveaxis(self, source: Any, destination: Any, *, constant: bool | None = None) -> Tensor:
        """This tensor with axes moved to new positions (a view); see :func:`mygrad.moveaxis`."""
        return _mg.moveaxis(self, source, destination, constant=constant)

    def swapaxes(self, axis1: int, axis2: int, *, constant: bool | None = None) -> Tensor:
        """This tensor with two axes interchanged (a view); see :func:`mygrad.swapaxes`."""
        return _mg.swapaxes(self, axis1, axis2, constant=constant)

    def sum(
        self, axis: Any = None, keepdims: bool = False, *, constant: bool | None = None
    ) -> Tensor:
        """The sum over the given axes; see :func:`mygrad.sum`."""
        return _mg.sum(self, axis, keepdims, constant=constant)

    def mean(
        self, axis: Any = None, keepdims: bool = False, *, constant: bool | None = None
    ) -> Tensor:
        """The mean over the given axes; see :func:`mygrad.mean`."""
        return _mg.mean(self, axis, keepdims, constant=constant)

    def prod(
        self, axis: Any = None, keepdims: bool = False, *, constant: bool | None = None
    ) -> Tensor:
        """The product over the given axes; see :func:`mygrad.prod`."""
        return _mg.prod(self, axis, keepdims, constant=constant)

    def max(
        self, axis: Any = None, keepdims: bool = False, *, constant: bool | None = None
    ) -> Tensor:
        """The maximum over the given axes; see :func:`mygrad.max`."""
        return _mg.max(self, axis, keepdims, constant=constant)

    def min(
        self, axis: Any = None, keepdims: bool = False, *, constant: bool | None = None
    ) -> Tensor:
        """The minimum over the given axes; see :func:`mygrad.min`."""
        return _mg.min(self, axis, keepdims, constant=constant)

    def var(
        self,
        axis: Any = None,
        ddof: int = 0,
        keepdims: bool = False,
        *,
        constant: bool | None = None,
    ) -> Tensor:
        """The variance over the given axes; see :func:`mygrad.var`."""
        return _mg.var(self, axis, ddof, keepdims, constant=constant)

    def std(
        self,
        axis: Any = None,
        ddof: int = 0,
        keepdims: bool = False,
        *,
        constant: bool | None = None,
    ) -> Tensor:
        """The standard deviation over the given axes; see :func:`mygrad.std`."""
        return _mg.std(self, axis, ddof, keepdims, constant=constant)

    def cumsum(self, axis: Any = None, *, constant: bool | None = None) -> Tensor:
        """The cumulative sum along an axis; see :func:`mygrad.cumsum`."""
        return _mg.cumsum(self, axis, constant=constant)

    def cumprod(self, axis: Any = None, *, constant: bool | None = None) -> Tensor:
        """The cumulative product along an axis; see :func:`mygrad.cumprod`."""
        return _mg.cumprod(self, axis, constant=constant)

    def clip(
        self, a_min: Any, a_max: Any, out: Any = None, *, constant: bool | None = None
    ) -> Tensor:
        """This tensor with values limited to ``[a_min, a_max]``; see :func:`mygrad.clip`."""
        return _mg.clip(self, a_min, a_max, out, constant=constant)

    def argmax(self, axis: Any = None, out: Any = None) -> Any:
        """Indices of the maximum values along an axis (an ndarray: not differentiable)."""
        return np.argmax(self.data, axis, out)

    def argmin(self, axis: Any = None, out: Any = None) -> Any:
        """Indices of the minimum values along an axis (an ndarray: not differentiable)."""
        return np.argmin(self.data, axis, out)

    def any(self, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
        """Whether any element is truthy, along the given axes (an ndarray or bool)."""
        return np.any(self.data, axis, out, keepdims)

    @classmethod
    def _op(
        cls,
        Op: Any,
        *input_vars: Any,
        op_args: Any = None,
        op_kwargs: Any = None,
        constant: bool | None = None,
        out: Any = None,
    ) -> Any:
        from .operation_base import execute_operation

        return execute_operation(
            Op,
            *input_vars,
            op_args=op_args,
            op_kwargs=op_kwargs,
            constant=constant,
            out=out,
            cls=cls,
        )


def _replay(chain: tuple[tuple[Any, dict[str, Any]], ...], array: np.ndarray) -> np.ndarray:
    """Apply a view's chain of view ops, from its base, to ``array``."""
    for op, params in chain:
        array = op.forward(array, **params)
    return array


def _adopt_readonly_view(
    view: np.ndarray, source: np.ndarray, chain: tuple[tuple[Any, dict[str, Any]], ...]
) -> None:
    """Tell the memory guard whether ``view``, made read-only from ``source`` by ``chain``,
    would be writeable if mygrad held no lock (see :func:`_native_view_flag`)."""
    _memguard.adopt_view(view, _native_view_flag(source, chain))


def _native_view_flag(source: np.ndarray, chain: tuple[tuple[Any, dict[str, Any]], ...]) -> bool:
    """Whether a view made from ``source`` by ``chain`` would be writeable if mygrad held no
    lock: NumPy makes a view of a locked array read-only, and some views read-only by nature
    (``broadcast_to``). Unless every op of the chain keeps a writeable array's views
    writeable, the chain itself is asked, replayed on a writeable stand-in with ``source``'s
    layout."""
    native = _memguard.natively_writeable(source)
    if native and not all(op.name in _KEEPS_WRITEABLE for op, _ in chain):
        native = np.asarray(_replay(chain, _layout_stand_in(source))).flags.writeable
    return native


# ops whose every view of a writeable array is writeable (NumPy's view functions, except
# broadcast_to); op names are unique in the registry
_KEEPS_WRITEABLE = frozenset(
    {
        "getitem",
        "reshape",
        "ravel",
        "squeeze",
        "expand_dims",
        "atleast_1d",
        "atleast_2d",
        "atleast_3d",
        "transpose",
        "moveaxis",
        "swapaxes",
        "einsum",
    }
)


def _layout_stand_in(source: np.ndarray) -> np.ndarray:
    """A writeable array with ``source``'s shape, dtype and strides over fresh, untouched
    memory: view ops make a view of it exactly when they make one of ``source`` (a layout
    with other strides could turn a later view into a copy, which is writeable)."""
    low = high = 0
    for side, stride in zip(source.shape, source.strides):
        reach = max(side - 1, 0) * stride
        if reach < 0:
            low += reach
        else:
            high += reach
    buffer = np.empty(high - low + source.itemsize, np.uint8)  # never read or written
    return np.ndarray(
        source.shape, source.dtype, buffer=buffer, offset=-low, strides=source.strides
    )


def _power_op(exponent: Any) -> str:
    # MyGrad: x ** 1 and x ** 2 use positive and square, which keep the dtype
    if _is_scalar_equal(exponent, 1):
        return "positive"
    if _is_scalar_equal(exponent, 2):
        return "square"
    return "power"


def _plain_index(index: Any) -> Any:
    """Replace Tensors inside an index with their arrays (a float array -> IndexError)."""
    if isinstance(index, Tensor):
        return index.data
    if type(index) is tuple:
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index


def _inplace(name: str, target: Tensor, inputs: tuple[Any, ...]) -> Tensor:
    return _apply_ufunc_inplace(_OPS[name], inputs, target)


# late imports: these modules need the Tensor class defined above
import mygrad as _mg  # noqa: E402

from ._dispatch import array_function as _array_function  # noqa: E402
from ._dispatch import array_ufunc as _array_ufunc  # noqa: E402
from ._elision import MIN_BYTES as _ELIDE_BYTES  # noqa: E402
from ._elision import binary as _elide  # noqa: E402
from ._inplace import apply_ufunc_inplace as _apply_ufunc_inplace  # noqa: E402
from ._inplace import setitem as _setitem  # noqa: E402
from ._op import execute as _execute  # noqa: E402
from ._op import execute_binary as _binary  # noqa: E402
from ._registry import OPS as _OPS  # noqa: E402
