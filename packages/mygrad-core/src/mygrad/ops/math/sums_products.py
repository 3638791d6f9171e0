"""Sums and products: sum, prod, cumsum, cumprod (reductions and running accumulations)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._op import defop
from ...extend import expand_reduced, normalize_axis

__all__ = ["cumprod", "cumsum", "prod", "sum"]


@defop(np.sum, kind="reduction", method="sum")
def sum(x, axis=None, keepdims=False):
    """Sum of the elements over ``axis``; mirrors :func:`numpy.sum` (an empty sum is 0).

    >>> import mygrad as mg
    >>> mg.sum(mg.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    Tensor([4., 6.])
    """
    if type(x) is np.ndarray:
        # what np.sum runs for an ndarray, without its two layers of Python wrappers
        return np.add.reduce(x, axis=axis, keepdims=keepdims)
    return np.sum(x, axis=axis, keepdims=keepdims)


@sum.vjp
def _sum_vjp(g, out, x, axis=None, keepdims=False):
    # d(sum x)/dx_i = 1: every summed element receives the cotangent of its sum
    return expand_reduced(g, np.shape(x), axis, keepdims)


def _exclusive_cumprod(a: np.ndarray) -> np.ndarray:
    """``left[..., k] = prod(a[..., :k])`` along the last axis, without any division."""
    left = np.ones_like(a)
    np.cumprod(a[..., :-1], axis=-1, out=left[..., 1:])
    return left


def _products_of_others(a: np.ndarray, axis: int) -> np.ndarray:
    """The product of every element of ``a`` along ``axis`` except the one at each position."""
    along_last = np.moveaxis(a, axis, -1)
    before = _exclusive_cumprod(along_last)
    after = _exclusive_cumprod(along_last[..., ::-1])[..., ::-1]
    return np.moveaxis(before * after, -1, axis)


@defop(np.prod, kind="reduction", method="prod")
def prod(a, axis=None, keepdims=False):
    """Product of the elements over ``axis``; mirrors :func:`numpy.prod`.

    >>> import mygrad as mg
    >>> mg.prod(mg.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1)
    Tensor([ 2., 12.])
    """
    return np.prod(a, axis=axis, keepdims=keepdims)


@prod.vjp
def _prod_vjp(g, out, a, axis=None, keepdims=False):
    # d(prod a)/da_i = product of the other elements of a_i's block, built from exclusive
    # products (no division), so zeros are exact: one zero -> only it gets a gradient
    a = np.asarray(a)
    others: Any = 1
    partial = a
    for ax in normalize_axis(axis, a.ndim):
        # a block's product over axes (A, ax) excluding (i, j) factorises as
        # [others along ax within i's row] * [others along A of the per-row products]
        others = others * _products_of_others(partial, ax)
        partial = np.prod(partial, axis=ax, keepdims=True)
    return expand_reduced(g, a.shape, axis, keepdims) * others


def _check_accumulate_axis(name: str, axis: Any) -> None:
    if axis is not None and (isinstance(axis, bool) or not isinstance(axis, (int, np.integer))):
        raise TypeError(f"{name}: `axis` must be an int or None, got {axis!r}")


def _along_last(a: np.ndarray, axis: Any) -> np.ndarray:
    """``a`` as the accumulation sees it: flattened for ``axis=None`` (or 0-d), else moved last."""
    if axis is None or a.ndim == 0:
        return a.reshape(-1)
    return np.moveaxis(a, axis, -1)


def _restore(grad: np.ndarray, shape: tuple[int, ...], axis: Any) -> np.ndarray:
    if axis is None or len(shape) == 0:
        return grad.reshape(shape)
    return np.moveaxis(grad, -1, axis)


@defop(np.cumsum, kind="reduction", method="cumsum")
def cumsum(a, axis=None):
    """Running sum along ``axis`` (``None`` flattens first); mirrors :func:`numpy.cumsum`.

    >>> import mygrad as mg
    >>> mg.cumsum(mg.tensor([1.0, 2.0, 3.0]))
    Tensor([1., 3., 6.])
    """
    _check_accumulate_axis("cumsum", axis)
    return np.cumsum(a, axis=axis)


@cumsum.vjp
def _cumsum_vjp(g, out, a, axis=None):
    # y_j = sum_{i<=j} a_i  =>  dL/da_i = sum_{j>=i} g_j, a reversed running sum
    a = np.asarray(a)
    g_last = _along_last(np.asarray(g), axis)
    grad = np.cumsum(g_last[..., ::-1], axis=-1)[..., ::-1]
    return _restore(grad, a.shape, axis)


def _reverse_linear_scan(coef: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``s`` with ``s[i] = g[i] + coef[i+1] * s[i+1]`` along the last axis (no division).

    A parallel prefix scan: after the step of span ``d`` each position holds ``s[i] =
    b[i] + c[i] * s[i+d]``; doubling ``d`` takes log2(n) vectorised steps.
    """
    n = g.shape[-1]
    b = np.array(g, dtype=np.result_type(coef, g))
    c = np.zeros_like(b)
    c[..., :-1] = coef[..., 1:]
    d = 1
    while d < n:
        b[..., :-d] += c[..., :-d] * b[..., d:]
        c[..., :-d] = c[..., :-d] * c[..., d:]
        d *= 2
    return b


@defop(np.cumprod, kind="reduction", method="cumprod")
def cumprod(a, axis=None):
    """Running product along ``axis`` (``None`` flattens first); mirrors :func:`numpy.cumprod`.

    >>> import mygrad as mg
    >>> mg.cumprod(mg.tensor([1.0, 2.0, 3.0]))
    Tensor([1., 2., 6.])
    """
    _check_accumulate_axis("cumprod", axis)
    return np.cumprod(a, axis=axis)


@cumprod.vjp
def _cumprod_vjp(g, out, a, axis=None):
    # y_j = prod_{k<=j} a_k  =>  dL/da_i = prod_{k<i} a_k * s_i with
    # s_i = sum_{j>=i} g_j prod_{i<k<=j} a_k = g_i + a_{i+1} s_{i+1}: exact with zeros
    a = np.asarray(a)
    a_last = _along_last(a, axis)
    g_last = _along_last(np.asarray(g), axis)
    grad = _exclusive_cumprod(a_last) * _reverse_linear_scan(a_last, g_last)
    return _restore(grad, a.shape, axis)
