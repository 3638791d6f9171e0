"""Public front ends generated from an OpDef: mygrad ufunc classes and plain functions.

A ufunc op's public object is a class (as in MyGrad): ``mg.add(x, y)`` runs the op, and
the class mirrors the NumPy ufunc's attributes. Other ops get a function that splits its
arguments into array inputs and parameters and adds the keyword-only ``constant``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from ._op import OpDef, _split_inputs, execute, execute_binary, record
from ._tensor import Tensor

__all__ = ["ufunc", "MyGradUnaryUfunc", "MyGradBinaryUfunc", "make_public", "call_ufunc"]

# NumPy type codes mygrad does not support: complex, object, datetime/timedelta
_UNSUPPORTED_CODES = set("FDGOMm")


def call_ufunc(
    op: OpDef,
    inputs: tuple[Any, ...],
    out: Any,
    where: Any,
    dtype: Any,
    constant: bool | None,
    params: dict[str, Any],
    cls: type = Tensor,
) -> Tensor:
    """Run a ufunc op with NumPy's ``out=``, ``where=`` and ``dtype=`` semantics."""
    if type(out) is tuple:
        if len(out) != 1:
            raise ValueError(f"{op.name} has one output, but {len(out)} `out` targets were given")
        out = out[0]
    if isinstance(out, Tensor):
        from ._inplace import apply_ufunc_inplace

        return apply_ufunc_inplace(op, inputs, out, where, dtype, params)
    kw: dict[str, Any] = {}
    if where is not True:
        where = np.asarray(where.data if isinstance(where, Tensor) else where)
        kw["where"] = where
    if dtype is not None:
        kw["dtype"] = dtype
    if out is not None:
        kw["out"] = out
    arrays, tensors, any_variable = _split_inputs(inputs)
    result = op.numpy(*arrays, **kw)  # type: ignore[misc]
    if type(result) is not np.ndarray:
        result = np.asarray(result)
    return record(op, result, arrays, tensors, any_variable, params, constant, cls, where=where)


class _UfuncMeta(type):
    """Behaviour shared by every mygrad ufunc class."""

    _op: OpDef
    _extra_params: frozenset[str]
    _supports_where: bool

    def __repr__(cls) -> str:
        return f"<mygrad-ufunc '{cls.__name__}'>"

    def _params(cls, given: dict[str, Any], where: Any) -> dict[str, Any]:
        unknown = set(given) - cls._extra_params
        if unknown:
            raise TypeError(
                f"{cls.__name__}() got unexpected keyword argument(s): {sorted(unknown)}"
            )
        if where is not True and not cls._supports_where:
            raise TypeError(f"{cls.__name__}() does not support `where`")
        return given

    def reduce(cls, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"mygrad's {cls.__name__} does not support `reduce`")

    def accumulate(cls, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"mygrad's {cls.__name__} does not support `accumulate`")

    def outer(cls, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"mygrad's {cls.__name__} does not support `outer`")

    def reduceat(cls, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"mygrad's {cls.__name__} does not support `reduceat`")

    def resolve_dtypes(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._op.numpy.resolve_dtypes(*args, **kwargs)  # type: ignore[union-attr]


class MyGradUnaryUfunc(_UfuncMeta):
    """Metaclass of the unary mygrad ufuncs.

    Signature: ``f(x, out=None, *, where=True, dtype=None, constant=None)``.
    """

    def __call__(
        cls,
        x: Any,
        out: Any = None,
        *,
        where: Any = True,
        dtype: Any = None,
        constant: bool | None = None,
        **params: Any,
    ) -> Tensor:
        if params or where is not True:
            params = cls._params(params, where)
        elif out is None and dtype is None and constant is None:
            # the common call, f(x): no NumPy keywords to translate
            return execute(cls._op, (x,), params)
        return call_ufunc(cls._op, (x,), out, where, dtype, constant, params)


class _WhereDefault:
    """The default of ``where`` (all True), told apart from an explicit ``where=True``,
    which matmul refuses like MyGrad."""

    def __repr__(self) -> str:
        return "True"


_WHERE_DEFAULT: Any = _WhereDefault()


class MyGradBinaryUfunc(_UfuncMeta):
    """Metaclass of the binary mygrad ufuncs.

    Signature: ``f(x1, x2, out=None, *, where=True, dtype=None, constant=None)``.
    """

    def __call__(
        cls,
        x1: Any,
        x2: Any,
        out: Any = None,
        *,
        where: Any = _WHERE_DEFAULT,
        dtype: Any = None,
        constant: bool | None = None,
        **params: Any,
    ) -> Tensor:
        if where is _WHERE_DEFAULT:
            if not params and out is None and dtype is None and constant is None:
                # the common call, f(x1, x2) (also NumPy's dispatch of np.f(x1, x2)): the
                # operators' path
                return execute_binary(cls._op, x1, x2, Tensor)
            where = True
        elif not cls._supports_where:
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument 'where'")
        if params or where is not True:
            params = cls._params(params, where)
        return call_ufunc(cls._op, (x1, x2), out, where, dtype, constant, params)


class ufunc:
    """Abstract base of every mygrad ufunc (``issubclass(mg.add, mg.ufunc)``); final."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if not cls.__dict__.get("_created_by_mygrad", False):
            raise TypeError("mygrad.ufunc cannot be subclassed")
        super().__init_subclass__(**kwargs)


def _make_ufunc(op: OpDef, stub: Callable[..., Any], supports_where: bool) -> type:
    np_ufunc = op.numpy
    assert isinstance(np_ufunc, np.ufunc)
    meta = MyGradUnaryUfunc if np_ufunc.nin == 1 else MyGradBinaryUfunc
    stub_sig = inspect.signature(stub)
    extra = [p for p in stub_sig.parameters.values() if p.kind is p.KEYWORD_ONLY]
    types = [t for t in np_ufunc.types if not (set(t) & _UNSUPPORTED_CODES)]
    namespace = {
        "_created_by_mygrad": True,
        "_op": op,
        "_extra_params": frozenset(p.name for p in extra),
        "_supports_where": supports_where,
        "__doc__": stub.__doc__,
        "__module__": stub.__module__,
        "__qualname__": stub.__name__,
        "nin": np_ufunc.nin,
        "nout": np_ufunc.nout,
        "nargs": np_ufunc.nargs,
        "identity": np_ufunc.identity,
        "signature": np_ufunc.signature,
        "types": types,
        "ntypes": len(types),
        "vjp": staticmethod(op.vjp),
    }
    positional = [p for p in stub_sig.parameters.values() if p.kind is not p.KEYWORD_ONLY]
    standard = [inspect.Parameter("out", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)]
    if supports_where:
        standard.append(inspect.Parameter("where", inspect.Parameter.KEYWORD_ONLY, default=True))
    standard += [
        inspect.Parameter("dtype", inspect.Parameter.KEYWORD_ONLY, default=None),
        inspect.Parameter("constant", inspect.Parameter.KEYWORD_ONLY, default=None),
    ]
    namespace["__signature__"] = inspect.Signature(positional + standard + extra)
    cls = meta(stub.__name__, (ufunc,), namespace)
    return cls


def _make_function(op: OpDef, forward: Callable[..., Any]) -> Callable[..., Any]:
    sig = inspect.signature(forward)
    fparams = list(sig.parameters.values())
    sequence = op.arrays == "sequence"
    n_inputs = 1 if sequence else int(op.arrays)
    if sequence:
        # forward(*arrays, **params) is exposed as public(tensors, param1, param2, ...)
        fparams = [inspect.Parameter("tensors", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + [
            p.replace(kind=p.POSITIONAL_OR_KEYWORD) for p in fparams[1:]
        ]
    input_names = [p.name for p in fparams[:n_inputs]]
    rest = fparams[n_inputs:]
    positional_names = [p.name for p in rest if p.kind is p.POSITIONAL_OR_KEYWORD]
    allowed = {p.name for p in rest}
    defaults = {p.name: p.default for p in rest if p.default is not p.empty}
    name = op.name

    def public(*args: Any, constant: bool | None = None, **kwargs: Any) -> Tensor:
        if not kwargs and len(args) == n_inputs and not sequence:
            # the common call, f(x) or f(x, y): every parameter at its default
            return execute(op, args, dict(defaults), constant)
        if len(args) < n_inputs:
            missing = input_names[len(args) :]
            try:
                args = args + tuple(kwargs.pop(n) for n in missing)
            except KeyError:
                raise TypeError(f"{name}() missing required argument(s): {missing}") from None
        extra = args[n_inputs:]
        if len(extra) > len(positional_names):
            raise TypeError(
                f"{name}() takes at most {n_inputs + len(positional_names)} positional arguments"
            )
        params = dict(defaults)
        params.update(zip(positional_names, extra))
        if kwargs:
            unknown = set(kwargs) - allowed
            if unknown:
                raise TypeError(f"{name}() got unexpected keyword argument(s): {sorted(unknown)}")
            params.update(kwargs)
        inputs = tuple(args[0]) if sequence else args[:n_inputs]
        return execute(op, inputs, params, constant)

    public.__name__ = public.__qualname__ = name
    public.__module__ = forward.__module__
    public.__doc__ = forward.__doc__
    constant_param = inspect.Parameter("constant", inspect.Parameter.KEYWORD_ONLY, default=None)
    public.__signature__ = sig.replace(parameters=fparams + [constant_param])  # type: ignore[attr-defined]
    public.op = op  # type: ignore[attr-defined]
    public.vjp = op.vjp  # type: ignore[attr-defined]
    public.frontend = op.frontend  # type: ignore[attr-defined]
    return public


def make_public(op: OpDef, forward: Callable[..., Any]) -> Any:
    """Build the public callable of ``op``; ufunc ops compute with their NumPy ufunc."""
    if op.kind == "ufunc":
        has_extra = any(
            p.kind is p.KEYWORD_ONLY for p in inspect.signature(forward).parameters.values()
        )
        numpy_ufunc = op.numpy
        op.forward = (lambda *a, **_: numpy_ufunc(*a)) if has_extra else numpy_ufunc  # type: ignore
        return _make_ufunc(op, forward, supports_where=op.name != "matmul")
    return _make_function(op, forward)
