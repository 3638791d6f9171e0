"""MyGrad 2.x's extension point: subclass :class:`Operation` and run it with ``mg.execute_op``.

An ``Operation`` subclass implements the forward pass in ``__call__`` (on the inputs' ``.data``,
setting ``self.variables``) and the gradient for each input in ``backward_var``. Running it
through :func:`execute_operation` records one node in mygrad's graph whose backward pass asks
the operation instance for each variable's gradient; the engine then sums broadcast axes,
applies ``where=``, casts to the variable's dtype and accumulates, as for any built-in op.

>>> import numpy as np
>>> import mygrad as mg
>>> from mygrad.operation_base import Operation
>>> class Multiply(Operation):
...     def __call__(self, a, b):
...         self.variables = (a, b)
...         return a.data * b.data
...     def backward_var(self, grad, index, **kwargs):
...         a, b = self.variables
...         return grad * (b.data if index == 0 else a.data)
>>> x, y = mg.tensor(2.0), mg.tensor([1.0, 2.0, 3.0])
>>> mg.execute_op(Multiply, x, y).backward()
>>> x.grad, y.grad
(array(6.), array([2., 2., 2.]))
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from numbers import Real
from typing import Any

import numpy as np

from . import _registry
from ._inplace import apply_ufunc_inplace
from ._modes import no_autodiff
from ._op import record
from ._tensor import Tensor
from ._utils import SkipGradient, reduce_broadcast
from .errors import InvalidGradient

__all__ = ["Operation", "Ufunc", "UnaryUfunc", "BinaryUfunc", "Sequential"]


class _NoValueType:
    """The default of an argument that must not be forwarded to NumPy unless given."""

    def __repr__(self) -> str:
        return "<no value>"


_NoValue = _NoValueType()


class Operation(ABC):
    """Base class of an operation that can backpropagate to its input tensors.

    Subclasses implement ``__call__(*input_tensors, **kwargs) -> ndarray`` (setting
    ``self.variables``, the tensors to backpropagate to, in order) and
    ``backward_var(grad, index, **kwargs)`` (dL/d(variables[index]) given dL/d(out)).
    """

    #: set True when the forward pass may return a view of ``variables[0]``'s data
    can_return_view: bool = False

    variables: tuple[Tensor, ...]
    # what the latest backward() computed, read by the engine (also after an override)
    _computed_grads: tuple[Any, ...] | None = None

    def __init__(self) -> None:
        self.replay_args: tuple[Any, ...] | None = None
        self.replay_kwargs: dict[str, Any] | None = None
        self.replay_force_constant: bool | None = None
        self.where: Any = True

    @staticmethod
    def grad_post_process_fn(grad: np.ndarray, var_shape: tuple[int, ...]) -> np.ndarray:
        """Sum a broadcast-shaped gradient down to its variable's shape."""
        if grad.shape == var_shape:
            return grad
        return reduce_broadcast(grad, var_shape)

    @abstractmethod
    def __call__(self, *input_vars: Tensor, **kwargs: Any) -> np.ndarray:
        """The forward pass on the inputs' data; must set ``self.variables``."""

    @abstractmethod
    def backward_var(self, grad: np.ndarray, index: int, **kwargs: Any) -> np.ndarray:
        """dL/d(variables[index]), given ``grad`` = dL/d(out) (shaped like the output).

        May return a broadcast-shaped array with at least the variable's ndim, and may
        raise :class:`mygrad._utils.SkipGradient` to send this variable nothing.
        """

    def backward(self, grad: np.ndarray, *, graph: Any = None, **kwargs: Any) -> tuple[Any, ...]:
        """Each variable's gradient (None for constants and skipped variables).

        Override it to compute all gradients jointly; the override must return (or at least
        call) ``super().backward(grad, graph=graph, **kwargs)``. ``graph`` is accepted for
        MyGrad 2.x compatibility and ignored.
        """
        grads = [
            None if var.constant else _checked_grad(self, grad, index, var.shape, kwargs)
            for index, var in enumerate(self.variables)
        ]
        self._computed_grads = tuple(grads)
        return self._computed_grads


def _checked_grad(
    op: Operation, grad: np.ndarray, index: int, shape: tuple[int, ...], kwargs: dict[str, Any]
) -> np.ndarray | None:
    """``op.backward_var(grad, index)``, validated and summed down to ``shape``."""
    try:
        backed = op.backward_var(grad, index, **kwargs)
    except SkipGradient:
        return None
    where = f"`{type(op).__name__}.backward_var(<gradient>, index={index})`"
    is_number = isinstance(backed, (np.ndarray, np.number, Real))
    if not is_number or isinstance(backed, (bool, np.bool_)):
        raise InvalidGradient(
            f"{where} returned an object of type {type(backed).__name__}; gradients must be "
            "real-valued numbers or numeric NumPy arrays"
        )
    backed = np.asarray(backed)
    if backed.dtype.kind not in "fiu":
        raise InvalidGradient(
            f"{where} returned an array of dtype {backed.dtype}; gradients must be real-valued"
        )
    return op.grad_post_process_fn(backed, shape)


class Ufunc(Operation, ABC):
    """Base class of operations that mirror a NumPy ufunc, named by ``numpy_ufunc``."""

    numpy_ufunc: np.ufunc
    _supports_where: bool = True

    @property
    def nin(self) -> int:
        return self.numpy_ufunc.nin

    @property
    def nout(self) -> int:
        return self.numpy_ufunc.nout

    @property
    def nargs(self) -> int:
        return self.numpy_ufunc.nargs

    @property
    def ntypes(self) -> int:
        return self.numpy_ufunc.ntypes

    @property
    def types(self) -> list[str]:
        return self.numpy_ufunc.types

    @property
    def identity(self) -> Any:
        return self.numpy_ufunc.identity

    @property
    def signature(self) -> str | None:
        return self.numpy_ufunc.signature


def _mask(where: Any) -> Any:
    return where.data if isinstance(where, Tensor) else where


class UnaryUfunc(Ufunc, ABC):
    """A one-input ufunc operation; subclasses set ``numpy_ufunc`` and write ``backward_var``."""

    def __call__(  # type: ignore[override]
        self, x1: Tensor, out: np.ndarray | None = None, *, where: Any = True, dtype: Any = None
    ) -> np.ndarray:
        self.variables = (x1,)
        if where is not True:
            self.where = where = _mask(where)
        return np.asarray(self.numpy_ufunc(x1.data, out=out, where=where, dtype=dtype))


class BinaryUfunc(Ufunc, ABC):
    """A two-input ufunc operation; subclasses set ``numpy_ufunc`` and write ``backward_var``."""

    def __call__(  # type: ignore[override]
        self,
        x1: Tensor,
        x2: Tensor,
        out: np.ndarray | None = None,
        *,
        where: Any = True,
        dtype: Any = None,
    ) -> np.ndarray:
        self.variables = (x1, x2)
        if where is not True and where is not _NoValue:
            self.where = where = _mask(where)
            return np.asarray(self.numpy_ufunc(x1.data, x2.data, out=out, where=where, dtype=dtype))
        return np.asarray(self.numpy_ufunc(x1.data, x2.data, out=out, dtype=dtype))


class Sequential(Operation, ABC):
    """A reduction-like operation (sum, var, max, ...) computed by the static ``numpy_func``."""

    _integer_axis_only: bool = False

    @staticmethod
    @abstractmethod
    def numpy_func(a: np.ndarray, axis: Any = None, dtype: Any = None, out: Any = None,
                   *args: Any, **kwargs: Any) -> np.ndarray:
        """The NumPy function computing the forward pass."""

    def __call__(  # type: ignore[override]
        self,
        a: Tensor,
        axis: Any = None,
        dtype: Any = None,
        out: np.ndarray | None = None,
        keepdims: Any = _NoValue,
        initial: Any = _NoValue,
        *,
        where: Any = _NoValue,
        ddof: Any = _NoValue,
    ) -> np.ndarray:
        self.variables = (a,)
        if where is not True and where is not _NoValue:
            self.where = where
        self.keepdims = keepdims
        self.initial = initial
        self.ddof = ddof
        if axis is not None and not self._integer_axis_only and not hasattr(axis, "__iter__"):
            self.axis: Any = (axis,)
        else:
            self.axis = axis
        given = {"keepdims": keepdims, "initial": initial, "where": where, "ddof": ddof}
        kwargs = {k: v for k, v in given.items() if v is not _NoValue}
        if dtype is not None:
            kwargs["dtype"] = dtype
        func = type(self).numpy_func  # works for a staticmethod and a bare NumPy function
        result = func(a.data, axis=axis, out=out, **kwargs)
        self.out_shape = np.shape(result)
        return result


# ------------------------------------------------------------------ running an Operation


class _OperationNode:
    """What a graph node needs from its op (``name``, ``view``, ``backprop``), for one
    executed Operation instance; for a view it also replays the operation (``forward``)."""

    __slots__ = ("operation", "name", "view", "_type", "_args", "_kwargs", "_others")

    def __init__(
        self,
        operation: Operation,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        inputs: tuple[Tensor, ...],
    ) -> None:
        self.operation = operation
        self._type = type(operation)
        self.name = self._type.__name__
        # a view is recorded against the first input, so it must be the first variable
        variables = operation.variables
        replayable = bool(
            self._type.can_return_view and inputs and variables and variables[0] is inputs[0]
        )
        self.view: Any = "maybe" if replayable else False
        self._args = args
        self._kwargs = kwargs
        self._others = tuple(_snapshot(t) for t in inputs[1:]) if replayable else ()

    def backprop(self, node: Any, g: np.ndarray) -> tuple[Any, ...]:
        op = self.operation
        op._computed_grads = None
        returned = op.backward(g, graph=set())
        grads = returned if type(returned) is tuple else op._computed_grads
        if grads is None:
            raise TypeError(
                f"`{self.name}.backward` neither returned the gradients nor called "
                "`super().backward(grad, **kwargs)`"
            )
        return grads

    def _rerun(self, array: np.ndarray) -> tuple[Operation, np.ndarray]:
        """A fresh instance of the operation, run forward with ``array`` as its first input."""
        op = self._type()
        with no_autodiff:
            first = Tensor(array, constant=False, copy=False)
            out = op(first, *self._others, *self._args, **self._kwargs)
        return op, np.asarray(out)

    def forward(self, array: np.ndarray, **params: Any) -> np.ndarray:
        """Replay the view-producing forward pass on another array (e.g. the base's grad)."""
        return self._rerun(array)[1]

    def _vjp(self, g: np.ndarray, out: np.ndarray, x: np.ndarray, **params: Any) -> Any:
        """The gradient for the first input, as a view chain's VJP needs it."""
        op = self._rerun(x)[0]
        return _checked_grad(op, g, 0, x.shape, {})


def _snapshot(t: Tensor) -> Tensor:
    """A tensor over the same array: it keeps the value the forward pass saw, even when the
    public tensor is later updated in place (which rebinds its ``data``)."""
    with no_autodiff:
        return Tensor(t.data, constant=t.constant, copy=False)


def execute_operation(
    Op: type[Operation],
    *input_vars: Any,
    op_args: tuple[Any, ...] | None = None,
    op_kwargs: dict[str, Any] | None = None,
    constant: bool | None = None,
    out: np.ndarray | Tensor | None = None,
    cls: type = Tensor,
) -> Tensor:
    """Run the Operation subclass ``Op`` on ``input_vars`` and record it in the graph.

    Array-likes among the inputs become constant tensors. ``out`` may be an ndarray (passed
    to the operation's ``__call__``, which must accept ``out=``) or a Tensor (an in-place
    update of that tensor, which is returned). This is ``mygrad.execute_op``/``Tensor._op``.
    """
    if not (isinstance(Op, type) and issubclass(Op, Operation)):
        raise TypeError(
            f"execute_op expects a subclass of mygrad.operation_base.Operation, got {Op!r}"
        )
    if isinstance(out, Tensor):
        result = execute_operation(
            Op, *input_vars, op_args=op_args, op_kwargs=op_kwargs, constant=constant, cls=cls
        )
        # the target takes the result as its new value: an in-place `target[...] = +result`
        return apply_ufunc_inplace(_registry.OPS["positive"], (result,), out)
    args = tuple(op_args) if op_args is not None else ()
    kwargs = dict(op_kwargs) if op_kwargs is not None else {}
    if out is not None:
        if not isinstance(out, np.ndarray):
            raise TypeError(f"`out` must be a Tensor, an ndarray or None; got {type(out).__name__}")
        kwargs["out"] = out
    inputs = tuple(x if isinstance(x, Tensor) else Tensor(x, constant=True, copy=False)
                   for x in input_vars)
    op = Op()
    forward_out = op(*inputs, *args, **kwargs)
    variables = getattr(op, "variables", None)
    if variables is None:
        raise TypeError(f"`{Op.__name__}.__call__` must set `self.variables` to its input tensors")
    variables = tuple(variables)
    for v in variables:
        if not isinstance(v, Tensor):
            raise TypeError(
                f"`{Op.__name__}.variables` must hold Tensors only, got {type(v).__name__}"
            )
    if type(forward_out) is not np.ndarray:
        forward_out = np.asarray(forward_out)
    node_op = _OperationNode(op, args, kwargs, inputs)
    op.variables = tuple(_snapshot(v) for v in variables)
    return record(
        node_op,  # type: ignore[arg-type]
        forward_out,
        [v.data for v in variables],
        list(variables),
        any(not v.constant for v in variables),
        {},
        constant,
        cls,
        where=op.where,
    )
