"""MyGrad 2.x's ``mygrad.ufuncs``: make a mygrad ufunc from a ``UnaryUfunc``/``BinaryUfunc``.

``ufunc_creator(Op)`` decorates a stub function; the result is a mygrad ufunc class (like
``mg.sin``) with the stub's name, docstring and signature, NumPy's ``out=``, ``where=`` and
``dtype=`` semantics, and gradients from ``Op.backward_var``. It also becomes what
``np.<stub name>(tensor)`` dispatches to, when NumPy has a ufunc of that name.

>>> import numpy as np
>>> import mygrad as mg
>>> from mygrad.operation_base import UnaryUfunc
>>> from mygrad.ufuncs import ufunc_creator
>>> class CubeRoot(UnaryUfunc):
...     numpy_ufunc = np.cbrt
...     def backward_var(self, grad, index, **kwargs):
...         (x,) = self.variables
...         return grad / (3 * np.cbrt(x.data) ** 2)
>>> @ufunc_creator(CubeRoot)
... def my_cbrt(x, out=None, *, where=True, dtype=None, constant=None):
...     '''The cube root, element-wise.'''
>>> x = mg.tensor(8.0)
>>> my_cbrt(x).backward()
>>> x.grad
array(0.08333333)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _registry
from ._frontends import MyGradBinaryUfunc, MyGradUnaryUfunc, ufunc
from ._modes import no_autodiff
from ._op import OpDef
from ._tensor import Tensor
from .operation_base import BinaryUfunc, UnaryUfunc, _checked_grad

__all__ = ["ufunc_creator", "MyGradUnaryUfunc", "MyGradBinaryUfunc"]

# NumPy type codes mygrad does not support: complex, object, datetime/timedelta
_UNSUPPORTED_CODES = set("FDGOMm")


def ufunc_creator(
    mygrad_op: type[UnaryUfunc] | type[BinaryUfunc],
    *,
    at_op: Any = None,
    accumulate_op: Any = None,
    outer_op: Any = None,
    reduce_op: Any = None,
    reduceat_op: Any = None,
) -> Callable[[Callable[..., Any]], type]:
    """Decorator factory: turn a stub function into a mygrad ufunc computed by ``mygrad_op``.

    ``mygrad_op`` must subclass ``UnaryUfunc`` or ``BinaryUfunc`` (TypeError otherwise).
    The ufunc methods (``at``, ``accumulate``, ``outer``, ``reduce``, ``reduceat``) are not
    supported: passing an op for any of them raises NotImplementedError.
    """
    if not (isinstance(mygrad_op, type) and issubclass(mygrad_op, (UnaryUfunc, BinaryUfunc))):
        raise TypeError(
            "ufunc_creator accepts only subclasses of mygrad.operation_base.UnaryUfunc or "
            f"BinaryUfunc, got {mygrad_op!r}"
        )
    methods = {
        "at_op": at_op,
        "accumulate_op": accumulate_op,
        "outer_op": outer_op,
        "reduce_op": reduce_op,
        "reduceat_op": reduceat_op,
    }
    given = [name for name, op in methods.items() if op is not None]
    if given:
        raise NotImplementedError(f"mygrad ufuncs do not support ufunc methods; got {given}")
    numpy_ufunc = getattr(mygrad_op, "numpy_ufunc", None)
    expected_nin = 1 if issubclass(mygrad_op, UnaryUfunc) else 2
    if not isinstance(numpy_ufunc, np.ufunc) or numpy_ufunc.nin != expected_nin:
        raise TypeError(
            f"{mygrad_op.__name__}.numpy_ufunc must be a NumPy ufunc taking {expected_nin} "
            f"input(s), got {numpy_ufunc!r}"
        )

    def decorate(stub: Callable[..., Any]) -> type:
        return _create_ufunc(mygrad_op, numpy_ufunc, stub)

    return decorate


def _create_ufunc(
    mygrad_op: type[UnaryUfunc] | type[BinaryUfunc], numpy_ufunc: np.ufunc, stub: Callable[..., Any]
) -> type:
    name = stub.__name__
    op = OpDef(
        numpy_ufunc,
        name=name,
        numpy=numpy_ufunc,
        kind="ufunc",
        arrays=numpy_ufunc.nin,
        view=False,
        differentiable=True,
        method=None,
        domain=None,
        saves=False,
        package=getattr(stub, "__module__", None) or "",
    )

    def vjp(
        g: np.ndarray, out: np.ndarray, *arrays: Any, needs: tuple[bool, ...]
    ) -> tuple[Any, ...]:
        # rerun the operation's forward pass so that backward_var sees its usual state
        operation: Any = mygrad_op()
        with no_autodiff:
            tensors = [Tensor(a, constant=not need, copy=False) for a, need in zip(arrays, needs)]
            operation(*tensors)
        return tuple(
            _checked_grad(operation, g, i, np.shape(a), {}) if need else None
            for i, (a, need) in enumerate(zip(arrays, needs))
        )

    op.vjp(vjp)
    types = [t for t in numpy_ufunc.types if not (set(t) & _UNSUPPORTED_CODES)]
    meta = MyGradUnaryUfunc if numpy_ufunc.nin == 1 else MyGradBinaryUfunc
    namespace = {
        "_created_by_mygrad": True,
        "_op": op,
        "_extra_params": frozenset(),
        "_supports_where": bool(getattr(mygrad_op, "_supports_where", True)),
        "__doc__": stub.__doc__,
        "__module__": stub.__module__,
        "__qualname__": name,
        "__signature__": inspect.signature(stub),
        "nin": numpy_ufunc.nin,
        "nout": numpy_ufunc.nout,
        "nargs": numpy_ufunc.nargs,
        "identity": numpy_ufunc.identity,
        "signature": numpy_ufunc.signature,
        "types": types,
        "ntypes": len(types),
    }
    cls = meta(name, (ufunc,), namespace)
    op.public = cls
    target = getattr(np, name, None)
    if isinstance(target, np.ufunc):
        # MyGrad 2.x: a created ufunc named like a NumPy ufunc is what np.<name>(tensor) runs
        _registry.NUMPY[target] = op
    return cls
