"""Upstream MyGrad's test-suite oracles, with their signatures, as thin wrappers over
:func:`numerical_vjp`.

Warning, the holomorphic trap: the complex step ``Im f(x + ih) / h`` is exact only when f
is holomorphic. ``np.abs``, ``np.conj``, ``np.var`` (which uses ``|x|²`` on complex input)
and comparisons are not, and an unguarded complex step silently reports a wrong (often zero)
gradient for them. These wrappers always run the guard, which raises :class:`OracleError`.
New code should use :func:`numerical_vjp` or :func:`check_vjp`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from .finite_diff import Mode, _sum_to_shape, numerical_vjp

__all__ = ["numerical_gradient", "numerical_gradient_full", "finite_difference"]


def _indices(args: Sequence[Any], vary_ind: Sequence[int] | None) -> tuple[int, ...]:
    if vary_ind is None:
        return tuple(range(len(args)))
    indices = tuple(vary_ind)
    for i in indices:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < len(args):
            raise ValueError(f"vary_ind={vary_ind!r} must hold indices of the {len(args)} args")
    return indices


def _spread(
    args: Sequence[Any], indices: tuple[int, ...], values: Sequence[np.ndarray]
) -> tuple[np.ndarray | None, ...]:
    by_index = dict(zip(indices, values))
    return tuple(by_index.get(i) for i in range(len(args)))


def _complex_step(
    f: Callable[..., Any],
    args: Sequence[Any],
    back_grad: Any,
    vary_ind: Sequence[int] | None,
    h: float,
    kwargs: Mapping[str, Any] | None,
    mode: Mode,
) -> tuple[np.ndarray | None, ...]:
    args = [np.asarray(a, dtype=np.float64) for a in args]
    indices = _indices(args, vary_ind)
    estimates = numerical_vjp(
        f, args, back_grad, wrt=indices, kwargs=kwargs, mode=mode, method="complex", step=h
    )
    return _spread(args, indices, [e.value for e in estimates])


def numerical_gradient(
    f: Callable[..., Any],
    *args: Any,
    back_grad: Any,
    vary_ind: Sequence[int] | None = None,
    h: float = 1e-20,
    kwargs: Mapping[str, Any] | None = None,
) -> tuple[np.ndarray | None, ...]:
    """Complex-step VJP of an elementwise ``f``: ``back_grad · Im f(x + ih) / h``, summed
    back to each argument's shape. Returns one array per argument (None where an index is
    not in ``vary_ind``). ``f`` must accept complex input and be holomorphic (see module)."""
    return _complex_step(f, args, back_grad, vary_ind, h, kwargs, "diagonal")


def numerical_gradient_full(
    f: Callable[..., Any],
    *args: Any,
    back_grad: Any,
    kwargs: Mapping[str, Any] | None = None,
    vary_ind: Sequence[int] | None = None,
) -> tuple[np.ndarray | None, ...]:
    """Complex-step VJP of any ``f``, perturbing one element at a time (for functions that
    are not elementwise). Same return value and caveats as :func:`numerical_gradient`."""
    return _complex_step(f, args, back_grad, vary_ind, 1e-20, kwargs, "full")


def _decimal_difference(
    f: Callable[..., Any],
    args: list[Any],
    k: int,
    back_grad: Any,
    h: float,
    kwargs: Mapping[str, Any],
) -> np.ndarray:
    """Central difference of an elementwise f evaluated on ``Decimal`` object arrays."""
    as_decimal = np.vectorize(Decimal, otypes=[object])  # exact: Decimal(float) is lossless
    decimals = [as_decimal(a) if a.dtype.kind == "f" else a for a in args]
    step = Decimal(h)
    plus, minus = list(decimals), list(decimals)
    plus[k] = decimals[k] + step
    minus[k] = decimals[k] - step
    fp = np.asarray(f(*plus, **kwargs), dtype=object)
    fm = np.asarray(f(*minus, **kwargs), dtype=object)
    g = as_decimal(np.asarray(back_grad, dtype=np.float64))
    contrib = g * (fp - fm) / (2 * step)
    return _sum_to_shape(np.asarray(contrib, dtype=object), args[k].shape).astype(np.float64)


def finite_difference(
    f: Callable[..., Any],
    *args: Any,
    back_grad: Any,
    vary_ind: Sequence[int] | None = None,
    h: float = 1e-8,
    as_decimal: bool = False,
    kwargs: Mapping[str, Any] | None = None,
) -> tuple[np.ndarray | None, ...]:
    """Central-difference VJP of an elementwise ``f`` with the absolute step ``h``, for
    functions that cannot take complex input. ``as_decimal=True`` evaluates ``f`` on
    ``decimal.Decimal`` object arrays (f must support them) to avoid float cancellation."""
    arrays = [np.asarray(a, dtype=np.float64) for a in args]
    indices = _indices(arrays, vary_ind)
    if as_decimal:
        values = [_decimal_difference(f, arrays, k, back_grad, h, kwargs or {}) for k in indices]
        return _spread(arrays, indices, values)
    estimates = numerical_vjp(
        f, arrays, back_grad, wrt=indices, kwargs=kwargs, mode="diagonal", step=h
    )
    return _spread(arrays, indices, [e.value for e in estimates])
