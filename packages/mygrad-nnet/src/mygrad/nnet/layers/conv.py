"""N-dimensional convolution (cross-correlation) of a batch with a bank of filters.

Vectorised: the (padded) data is viewed as windows with :func:`mygrad.sliding_window_view`,
copied once into columns (N, C*K, O) and multiplied by the filters (F, C*K), one matrix
product per sample, which lands in the output's (N, F, O) order without a transpose. The
VJP with respect to the data is itself such a correlation (of the stride-dilated, padded
cotangent with the flipped filters), so no Python loop runs over the batch or over window
positions.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import ints_per_axis, shape_of

__all__ = ["conv_nd"]


def _work_dtype(*arrays: np.ndarray) -> tuple[np.dtype, np.dtype]:
    """The output dtype, and the dtype to compute in (float16 sums are done in float32)."""
    out = np.result_type(*arrays)
    return out, (np.dtype(np.float32) if out == np.float16 else out)


def _zero_pad(a: np.ndarray, padding: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """``a`` with ``padding[i]`` zeros on both ends of each of its trailing axes."""
    if not any(padding):
        return np.asarray(a, dtype=dtype)
    n = len(padding)
    sides = a.shape[-n:]
    out = np.zeros(a.shape[:-n] + tuple(s + 2 * p for s, p in zip(sides, padding)), dtype)
    out[(..., *(slice(p, p + s) for p, s in zip(padding, sides)))] = a
    return out


def _columns(
    x: np.ndarray, kernel: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...]
) -> tuple[np.ndarray, tuple[int, ...]]:
    """The windows of a padded ``x`` (N, C, *S) as columns (N, C*prod(K), prod(O)), and O:
    one copy, whose innermost runs follow x's last axis (contiguous when its stride is 1)."""
    n = len(kernel)
    # (N, C, *S) -> (*O, N, C, *K) -> (N, C, *K, *O)
    windows = mg.sliding_window_view(x, kernel, stride, dilation)
    grid = windows.shape[:n]
    cols = np.moveaxis(windows, range(n), range(-n, 0))
    # (explicit sizes: -1 is ambiguous for empty arrays)
    return cols.reshape(x.shape[0], x.shape[1] * math.prod(kernel), math.prod(grid)), grid


def _correlate(
    x: np.ndarray,
    w: np.ndarray,
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    out_dtype: np.dtype,
) -> np.ndarray:
    """(N, C, *S) ⋆ (F, C, *K) -> (N, F, *O) for an already padded ``x``."""
    cols, grid = _columns(x, w.shape[2:], stride, dilation)
    # (F, C*K) @ (N, C*K, O) -> (N, F, O): one product per sample, already in output order
    out = np.matmul(w.reshape(w.shape[0], cols.shape[1]), cols)
    return out.reshape(*out.shape[:2], *grid).astype(out_dtype, copy=False)


@defop(name="conv_nd", arrays=2)
def _conv_nd(x, filter_bank, *, stride, padding, dilation):
    """(N, C, *S) ⋆ (F, C, *K) -> (N, F, *O): cross-correlation with zero padding."""
    out_dtype, work = _work_dtype(x, filter_bank)
    w = np.asarray(filter_bank, dtype=work)
    return _correlate(_zero_pad(x, padding, work), w, stride, dilation, out_dtype)


@_conv_nd.vjp
def _conv_nd_vjp(g, out, x, filter_bank, *, stride, padding, dilation, needs):
    _, work = _work_dtype(x, filter_bank)
    g = np.asarray(g, dtype=work)
    geometry = (stride, padding, dilation, work)
    dx = _input_grad(g, filter_bank, x.shape, *geometry) if needs[0] else None
    dw = _filter_grad(g, x, filter_bank.shape, *geometry) if needs[1] else None
    return dx, dw


def _filter_grad(
    g: np.ndarray,
    x: np.ndarray,
    w_shape: tuple[int, ...],
    stride: tuple[int, ...],
    padding: tuple[int, ...],
    dilation: tuple[int, ...],
    work: np.dtype,
) -> np.ndarray:
    # dL/dw[f, c, k] = sum over n and positions o of g[n, f, o] * window[n, c, k, o]
    cols, _ = _columns(_zero_pad(x, padding, work), w_shape[2:], stride, dilation)
    g = g.reshape(*g.shape[:2], cols.shape[2])
    # (N, F, O) @ (N, O, C*K) -> (N, F, C*K), then the sum over the batch
    return np.matmul(g, cols.transpose(0, 2, 1)).sum(axis=0).reshape(w_shape)


def _input_grad(
    g: np.ndarray,
    w: np.ndarray,
    x_shape: tuple[int, ...],
    stride: tuple[int, ...],
    padding: tuple[int, ...],
    dilation: tuple[int, ...],
    work: np.dtype,
) -> np.ndarray:
    # out[o] = sum_k w[k] xp[o*s + k*d]  =>  dxp[p] = sum_{o*s + k*d = p} g[o] w[k]: spread g
    # onto the stride grid, pad it by the dilated filter extent, and correlate (stride 1,
    # the same dilation) with the flipped filters, channels F and C swapping roles
    n = len(stride)
    kernel = w.shape[2:]
    reach = [(k - 1) * d for k, d in zip(kernel, dilation)]
    grid = g.shape[2:]
    spread = np.zeros(
        g.shape[:2] + tuple((o - 1) * s + 1 + 2 * e for o, s, e in zip(grid, stride, reach)), work
    )
    spread[(..., *(slice(e, e + (o - 1) * s + 1, s) for o, s, e in zip(grid, stride, reach)))] = g
    flipped = np.swapaxes(w[(slice(None), slice(None), *(slice(None, None, -1),) * n)], 0, 1)
    dxp = _correlate(spread, np.asarray(flipped, dtype=work), (1,) * n, dilation, work)
    return dxp[(..., *(slice(p, p + s) for p, s in zip(padding, x_shape[2:])))]


@_conv_nd.frontend
def conv_nd(
    x: Any,
    filter_bank: Any,
    *,
    stride: Any,
    padding: Any = 0,
    dilation: Any = 1,
    constant: bool | None = None,
) -> mg.Tensor:
    """Convolve (cross-correlate, no kernel flip, no bias) a bank of filters over a batch.

    ``x`` has shape (N, C, *S) and ``filter_bank`` shape (F, C, *K) with
    ``len(S) == len(K) >= 1``; the result has shape (N, F, *O) with
    ``O = (S + 2*padding - ((K - 1)*dilation + 1)) / stride + 1``, which must be a
    positive integer for every axis. ``stride`` (required), ``padding`` (zeros on both
    ends) and ``dilation`` are an int or one int per convolved axis. Mismatched
    dimensions or channels raise ValueError.

    >>> import mygrad as mg
    >>> from mygrad.nnet import conv_nd
    >>> x = mg.zeros((1, 1, 8))
    >>> x[..., 2:6] = 1
    >>> conv_nd(x, mg.ones((1, 1, 3)), stride=1)
    Tensor([[[1., 2., 3., 3., 2., 1.]]])
    """
    x_shape, w_shape = shape_of(x), shape_of(filter_bank)
    if len(x_shape) < 3:
        raise ValueError(
            f"`x` must have at least three dimensions (N, C, *S), got shape {x_shape}"
        )
    if len(w_shape) != len(x_shape):
        raise ValueError(
            f"`x` ({len(x_shape)} dimensions) and `filter_bank` ({len(w_shape)} dimensions) "
            "must have the same number of dimensions"
        )
    if w_shape[1] != x_shape[1]:
        raise ValueError(
            f"the channels of `x` (x.shape[1] = {x_shape[1]}) and of `filter_bank` "
            f"(filter_bank.shape[1] = {w_shape[1]}) must agree"
        )
    n = len(x_shape) - 2
    params = {
        "stride": ints_per_axis("stride", stride, n, minimum=1),
        "padding": ints_per_axis("padding", padding, n, minimum=0),
        "dilation": ints_per_axis("dilation", dilation, n, minimum=1),
    }
    _check_output_shape(x_shape[2:], w_shape[2:], **params)
    return execute(_conv_nd.op, (x, filter_bank), params, constant)


def _check_output_shape(
    sides: tuple[int, ...],
    kernel: tuple[int, ...],
    *,
    stride: tuple[int, ...],
    padding: tuple[int, ...],
    dilation: tuple[int, ...],
) -> None:
    spans = [s + 2 * p - ((k - 1) * d + 1) for s, p, k, d in zip(sides, padding, kernel, dilation)]
    if all(span >= 0 and span % st == 0 for span, st in zip(spans, stride)):
        return
    grid = tuple(span / st + 1 for span, st in zip(spans, stride))
    raise ValueError(
        "the filters do not tile the (padded) data: each output size "
        "(S + 2*padding - ((K - 1)*dilation + 1)) / stride + 1 must be a positive integer, "
        f"got {grid}\n  data dimensions S: {sides}\n  filter dimensions K: {kernel}\n"
        f"  stride: {stride}\n  padding: {padding}\n  dilation: {dilation}"
    )

