"""``check_vjp``: a one-point gradient check of a mygrad callable, through the public path
(forward, then ``backward(grad)``), against finite differences of its own forward."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

import mygrad as mg

from .finite_diff import FULL_JACOBIAN_MAX, Mode, numerical_vjp
from .report import GradComparison, assert_grads_close
from .tolerance import Tolerance

__all__ = ["check_vjp", "default_upstream_grad"]

_GOLDEN = (np.sqrt(5.0) - 1) / 2
# a projected failure is re-run one element at a time, for the report, up to this size
FULL_REPORT_MAX = 4 * FULL_JACOBIAN_MAX


def default_upstream_grad(shape: tuple[int, ...], dtype: Any = np.float64) -> np.ndarray:
    """A fixed, deterministic cotangent: distinct, non-zero values in ±[0.1, 2] with mixed
    signs, so that no symmetric cancellation can hide a wrong sign or a missing term."""
    j = np.arange(int(np.prod(shape, dtype=np.int64)), dtype=np.float64)
    magnitude = 0.1 + 1.9 * np.mod(0.5 + j * _GOLDEN, 1.0)
    sign = np.where(np.mod(j, 3) == 1, -1.0, 1.0)
    return (sign * magnitude).reshape(shape).astype(dtype)


def _is_operation_class(fn: Any) -> bool:
    return (
        isinstance(fn, type)
        and not issubclass(fn, mg.ufunc)
        and callable(getattr(fn, "backward_var", None))
    )


def _as_callable(fn: Any) -> Callable[..., Any]:
    """A mygrad callable, or an upstream-style ``Operation`` subclass run by ``execute_op``."""
    if _is_operation_class(fn):
        execute_op = getattr(mg, "execute_op", None)
        if execute_op is None:
            raise TypeError(
                f"{fn.__name__} is an Operation subclass, but this mygrad has no execute_op"
            )
        return lambda *tensors, **kw: execute_op(fn, *tensors, op_kwargs=kw)
    if not callable(fn):
        raise TypeError(f"check_vjp needs a mygrad callable or an Operation subclass, got {fn!r}")
    return fn


def _is_elementwise(fn: Any) -> bool:
    return (
        isinstance(fn, type) and issubclass(fn, mg.ufunc) and getattr(fn, "signature", None) is None
    )


def _name(fn: Any) -> str:
    return getattr(fn, "__name__", None) or repr(fn)


def _variable_indices(args: Sequence[Any], wrt: Any) -> tuple[int, ...]:
    floats = [
        i
        for i, a in enumerate(args)
        if isinstance(a, (np.ndarray, np.generic)) and a.dtype.kind == "f"
    ]
    if wrt is None:
        return tuple(floats)
    wrt = (wrt,) if isinstance(wrt, (int, np.integer)) and not isinstance(wrt, bool) else tuple(wrt)
    for i in wrt:
        if i not in floats:
            raise ValueError(
                f"wrt={wrt!r}: argument {i!r} is not a float ndarray among the {len(args)} args"
            )
    return wrt


def _compute_dtype(arg: np.ndarray, out: np.ndarray) -> np.dtype:
    """The less precise of the input's and the output's dtype: the grad is cast to both."""
    dtypes = [np.dtype(arg.dtype), np.dtype(out.dtype)]
    return max((d for d in dtypes if d.kind == "f"), key=lambda d: np.finfo(d).eps)


def _reference(call: Callable[..., Any], where: Any) -> Callable[..., np.ndarray]:
    """The op's own forward on float64 arrays with graph tracking off. With ``where=``, the
    masked-out entries (uninitialised memory) are zeroed: they take no gradient."""

    def reference(*arrays: Any, **kwargs: Any) -> np.ndarray:
        with mg.no_autodiff:
            result = call(*arrays, **kwargs)
        result = np.asarray(result.data if isinstance(result, mg.Tensor) else result)
        if where is not None and where is not True:
            result = np.where(np.asarray(where), result, 0.0)
        return result

    return reference


def check_vjp(
    fn: Any,
    *args: Any,
    grad: Any = None,
    wrt: int | Sequence[int] | None = None,
    kwargs: Mapping[str, Any] | None = None,
    tol: Tolerance | None = None,
    mode: Mode = "auto",
    directions: Sequence[np.ndarray] | None = None,
    subgradient: bool = False,
) -> tuple[GradComparison, ...]:
    """Check the gradients of ``fn(*args, **kwargs)`` at one point.

    Each float ndarray in ``args`` (or those indexed by ``wrt``) becomes a variable tensor;
    every other argument is passed as it is. The output is backpropagated with ``grad``
    (default: :func:`default_upstream_grad`), and each input's ``.grad`` must have the
    input's shape and dtype and agree with :func:`numerical_vjp` of ``fn``'s forward,
    computed in float64 under ``mg.no_autodiff``. Raises ``AssertionError`` with a report.

    >>> import numpy as np, mygrad as mg
    >>> _ = check_vjp(mg.multiply, np.array([1.0, 2.0]), np.array([3.0, -1.0]))
    """
    kwargs = dict(kwargs or {})
    call = _as_callable(fn)
    variables = _variable_indices(args, wrt)
    if not variables:
        raise ValueError("check_vjp needs at least one float ndarray argument to differentiate")
    tensors = [mg.tensor(a, constant=False) if i in variables else a for i, a in enumerate(args)]
    out = call(*tensors, **kwargs)
    if not isinstance(out, mg.Tensor):
        raise AssertionError(f"{_name(fn)} returned {type(out).__name__}, not a mygrad Tensor")
    if out.constant:
        raise AssertionError(f"{_name(fn)} returned a constant tensor for variable inputs")
    g = default_upstream_grad(out.shape, out.dtype) if grad is None else np.asarray(grad)
    g_before = g.copy()
    out.backward(g)
    if not np.array_equal(g, g_before, equal_nan=True):
        raise AssertionError(f"{_name(fn)}: backward wrote into the upstream gradient")

    reference = _reference(call, kwargs.get("where"))
    numpy_args = [a.astype(np.float64) if i in variables else a for i, a in enumerate(args)]
    cotangent = np.broadcast_to(np.asarray(g).astype(out.dtype), out.shape)
    estimates = numerical_vjp(
        reference,
        numpy_args,
        cotangent,
        wrt=variables,
        kwargs=kwargs,
        mode=mode,
        elementwise=_is_elementwise(fn),
        directions=directions,
    )
    results = []
    for k, estimate in zip(variables, estimates):
        label = f"{_name(fn)}: gradient of argument {k}"
        t_grad = tensors[k].grad
        if t_grad is None:
            raise AssertionError(f"{label} is None after backward")
        if t_grad.shape != args[k].shape or t_grad.dtype != args[k].dtype:
            raise AssertionError(
                f"{label} has shape {t_grad.shape} and dtype {t_grad.dtype}; the argument has "
                f"shape {args[k].shape} and dtype {args[k].dtype}"
            )
        dtype = _compute_dtype(args[k], out.data)
        try:
            results.append(
                assert_grads_close(
                    t_grad, estimate, dtype=dtype, tol=tol, subgradient=subgradient, label=label
                )
            )
        except AssertionError as err:
            if estimate.mode != "projected" or args[k].size > FULL_REPORT_MAX:
                raise
            # directional derivatives say *that* it is wrong; one element at a time says where
            (full,) = numerical_vjp(
                reference, numpy_args, cotangent, wrt=(k,), kwargs=kwargs, mode="full"
            )
            try:
                assert_grads_close(t_grad, full, dtype=dtype, tol=tol, label=label)
            except AssertionError as detail:
                raise AssertionError(f"{err}\n\nre-run one element at a time:\n{detail}") from None
            raise
    return tuple(results)
