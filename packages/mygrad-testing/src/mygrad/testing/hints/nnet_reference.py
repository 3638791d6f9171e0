"""Float64 NumPy references for the mygrad.nnet functions, written apart from nnet's code.

Each reference computes in float64 with the plainest formula that is still correct (loops
over output positions for convolution and pooling, the textbook recurrence for the GRU,
``logaddexp.reduce`` for log-sum-exp) and casts the result to the dtype the nnet function
must return. The certification rows (``nnet_*.py``) and nnet's own tests both use them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "relu_reference",
    "leaky_relu_reference",
    "elu_reference",
    "selu_reference",
    "sigmoid_reference",
    "soft_sign_reference",
    "hard_tanh_reference",
    "glu_reference",
    "softmax_reference",
    "logsoftmax_reference",
    "conv_nd_reference",
    "max_pool_reference",
    "batchnorm_reference",
    "gru_reference",
    "gru_truncated_objective",
    "softmax_crossentropy_reference",
    "negative_log_likelihood_reference",
    "multiclass_hinge_reference",
    "margin_ranking_loss_reference",
    "focal_loss_reference",
    "softmax_focal_loss_reference",
    "SELU_ALPHA",
    "SELU_SCALE",
]

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _f64(*arrays: Any) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(a, dtype=np.float64) for a in arrays)


def _float_result(*arrays: Any) -> np.dtype:
    """The result dtype of a float computation on ``arrays``: their common dtype, or
    float64 for integers."""
    dt = np.result_type(*arrays)
    return dt if dt.kind == "f" else np.dtype(np.float64)


def _cast(values: Any, dtype: Any) -> np.ndarray:
    return np.asarray(values).astype(dtype)


# ------------------------------------------------------------------------------ activations


def relu_reference(x: Any) -> np.ndarray:
    (v,) = _f64(x)
    return _cast(np.where(v > 0, v, 0.0), np.asarray(x).dtype)


def leaky_relu_reference(x: Any, slope: float) -> np.ndarray:
    (v,) = _f64(x)
    return _cast(np.where(v > 0, v, slope * v), _float_result(x))


def elu_reference(x: Any, alpha: float) -> np.ndarray:
    (v,) = _f64(x)
    with np.errstate(over="ignore"):
        return _cast(np.where(v >= 0, v, alpha * np.expm1(v)), _float_result(x))


def selu_reference(x: Any) -> np.ndarray:
    (v,) = _f64(x)
    with np.errstate(over="ignore"):
        out = SELU_SCALE * np.where(v >= 0, v, SELU_ALPHA * np.expm1(v))
    return _cast(out, _float_result(x))


def sigmoid_reference(x: Any) -> np.ndarray:
    (v,) = _f64(x)
    with np.errstate(over="ignore"):
        return _cast(1 / (1 + np.exp(-v)), _float_result(x))


def soft_sign_reference(x: Any) -> np.ndarray:
    (v,) = _f64(x)
    return _cast(v / (1 + np.abs(v)), _float_result(x))


def hard_tanh_reference(x: Any, lower_bound: float = -1, upper_bound: float = 1) -> np.ndarray:
    (v,) = _f64(x)
    return _cast(np.minimum(np.maximum(v, lower_bound), upper_bound), _float_result(x))


def glu_reference(x: Any, axis: int = -1) -> np.ndarray:
    (v,) = _f64(x)
    first, second = np.split(v, 2, axis=axis)
    return _cast(first / (1 + np.exp(-second)), _float_result(x))


def _normalized_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return tuple(sorted(a % ndim for a in axes))


def _logsumexp(v: np.ndarray, axis: Any) -> np.ndarray:
    """log(sum(exp(v))) over ``axis`` (kept as size-1 axes), by pairwise ``logaddexp``."""
    axes = _normalized_axes(axis, v.ndim)
    kept = [i for i in range(v.ndim) if i not in axes]
    moved = np.transpose(v, kept + list(axes))
    size = int(np.prod([v.shape[a] for a in axes]))
    flat = moved.reshape(moved.shape[: len(kept)] + (size,))
    total = np.logaddexp.reduce(flat, axis=-1, initial=-np.inf)
    shape = tuple(1 if i in axes else n for i, n in enumerate(v.shape))
    return total.reshape(shape)


def logsoftmax_reference(x: Any, axis: Any = -1) -> np.ndarray:
    (v,) = _f64(x)
    if v.ndim == 0:
        return _cast(0.0, _float_result(x))
    return _cast(v - _logsumexp(v, axis), _float_result(x))


def softmax_reference(x: Any, axis: Any = -1) -> np.ndarray:
    (v,) = _f64(x)
    if v.ndim == 0:
        return _cast(1.0, _float_result(x))
    return _cast(np.exp(v - _logsumexp(v, axis)), _float_result(x))


# ------------------------------------------------------------------------------ layers


def _per_axis(value: Any, n: int) -> tuple[int, ...]:
    return (int(value),) * n if np.ndim(value) == 0 else tuple(int(v) for v in value)


def conv_nd_reference(
    x: Any, filter_bank: Any, *, stride: Any, padding: Any = 0, dilation: Any = 1
) -> np.ndarray:
    """Cross-correlation, one output position at a time."""
    v, w = _f64(x, filter_bank)
    n = w.ndim - 2
    stride, padding, dilation = (_per_axis(p, n) for p in (stride, padding, dilation))
    v = np.pad(v, [(0, 0), (0, 0), *((p, p) for p in padding)])
    kernel = w.shape[2:]
    grid = [
        (side - (k - 1) * d - 1) // s + 1
        for side, k, d, s in zip(v.shape[2:], kernel, dilation, stride)
    ]
    out = np.zeros((v.shape[0], w.shape[0], *grid))
    for position in itertools.product(*(range(g) for g in grid)):
        window = v[
            (
                slice(None),
                slice(None),
                *(
                    slice(o * s, o * s + (k - 1) * d + 1, d)
                    for o, s, k, d in zip(position, stride, kernel, dilation)
                ),
            )
        ]
        # (N, C, *K) . (F, C, *K) -> (N, F)
        out[(slice(None), slice(None), *position)] = np.einsum(
            window.reshape(len(window), -1), [0, 1], w.reshape(len(w), -1), [2, 1], [0, 2]
        )
    return _cast(out, np.result_type(np.asarray(x), np.asarray(filter_bank)))


def max_pool_reference(x: Any, pool: Sequence[int], stride: Any) -> np.ndarray:
    """Max-pooling, one output position at a time."""
    arr = np.asarray(x)
    n = len(pool)
    stride = _per_axis(stride, n)
    grid = [(side - p) // s + 1 for side, p, s in zip(arr.shape[-n:], pool, stride)]
    out = np.empty(arr.shape[:-n] + tuple(grid), dtype=arr.dtype)
    for position in itertools.product(*(range(g) for g in grid)):
        window = arr[(..., *(slice(o * s, o * s + p) for o, s, p in zip(position, stride, pool)))]
        out[(..., *position)] = window.reshape(window.shape[:-n] + (-1,)).max(axis=-1)
    return out


def batchnorm_reference(
    x: Any, gamma: Any = None, beta: Any = None, *, eps: float
) -> np.ndarray:
    (v,) = _f64(x)
    axes = (0, *range(2, v.ndim))
    mean = v.mean(axis=axes, keepdims=True)
    var = ((v - mean) ** 2).mean(axis=axes, keepdims=True)
    out = (v - mean) / np.sqrt(var + eps)
    per_channel = (-1,) + (1,) * (v.ndim - 2)
    if gamma is not None:
        out = out * np.asarray(gamma, dtype=np.float64).reshape(per_channel)
    if beta is not None:
        out = out + np.asarray(beta, dtype=np.float64).reshape(per_channel)
    parts = [a for a in (x, gamma, beta) if a is not None]
    return _cast(out, _float_result(*(np.asarray(a) for a in parts)))


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * v))


def _gru_step(
    s: np.ndarray, x_t: np.ndarray, weights: Sequence[np.ndarray], masks: Any = None
) -> np.ndarray:
    Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh = weights
    mu, mw = masks if masks is not None else ((1, 1, 1), (1, 1, 1))
    z = _sigmoid(mu[0] * (x_t @ Uz) + s @ (mw[0] * Wz) + bz)
    r = _sigmoid(mu[1] * (x_t @ Ur) + s @ (mw[1] * Wr) + br)
    h = np.tanh(mu[2] * (x_t @ Uh) + (r * s) @ (mw[2] * Wh) + bh)
    return (1 - z) * h + z * s


def gru_reference(
    X: Any,
    Uz: Any,
    Wz: Any,
    bz: Any,
    Ur: Any,
    Wr: Any,
    br: Any,
    Uh: Any,
    Wh: Any,
    bh: Any,
    s0: Any = None,
    bp_lim: Any = None,
    dropout: float = 0.0,
    masks: Any = None,
) -> np.ndarray:
    """Every hidden state (T+1, N, D). ``masks`` = (three (N, D) input-projection masks,
    three (D, D) weight masks), already scaled, for a run with dropout; ``bp_lim`` only
    matters to the backward pass."""
    inputs = (X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh)
    v, *weights = _f64(*inputs)
    T, N, _ = v.shape
    D = weights[2].shape[0]
    states = [np.broadcast_to(np.zeros((N, D)) if s0 is None else np.asarray(s0, float), (N, D))]
    for t in range(T):
        states.append(_gru_step(states[-1], v[t], weights, masks))
    return _cast(np.stack(states), _float_result(*(np.asarray(a) for a in inputs)))


def gru_truncated_objective(
    grad: np.ndarray, bp_lim: int, fixed_states: np.ndarray, *arrays: np.ndarray
) -> float:
    """sum_t <grad[t], s_t>, where each s_t is recomputed from ``arrays`` = (X, Uz, Wz, bz,
    Ur, Wr, br, Uh, Wh, bh), starting from the state ``fixed_states[t - bp_lim - 1]``
    (computed once, at the point of interest). Its gradient with respect to ``arrays`` is
    exactly backpropagation through time truncated to ``bp_lim`` steps."""
    X, *weights = (np.asarray(a, dtype=np.float64) for a in arrays)
    total = 0.0
    for t in range(1, len(fixed_states)):
        start = max(0, t - bp_lim - 1)
        s = np.asarray(fixed_states[start], dtype=np.float64)
        for step in range(start, t):
            s = _gru_step(s, X[step], weights)
        total += float(np.sum(grad[t] * s))
    return total


# ------------------------------------------------------------------------------ losses


def _rows(labels: Any) -> tuple[np.ndarray, np.ndarray]:
    labels = np.asarray(labels)
    return np.arange(len(labels)), labels


def softmax_crossentropy_reference(x: Any, y_true: Any) -> np.ndarray:
    (v,) = _f64(x)
    log_p = v - _logsumexp(v, axis=1)
    return _cast(-np.mean(log_p[_rows(y_true)]), _float_result(x))


def negative_log_likelihood_reference(x: Any, y_true: Any, *, weights: Any = None) -> np.ndarray:
    (v,) = _f64(x)
    rows, labels = _rows(y_true)
    factors = 1.0 if weights is None else np.asarray(weights, dtype=np.float64)[labels]
    dtype = _float_result(x) if weights is None else _float_result(x, np.asarray(weights))
    return _cast(-np.mean(v[rows, labels] * factors), dtype)


def multiclass_hinge_reference(x: Any, y_true: Any, hinge: float = 1.0) -> np.ndarray:
    (v,) = _f64(x)
    rows, labels = _rows(y_true)
    margins = np.maximum(0.0, v - v[rows, labels][:, None] + hinge)
    margins[rows, labels] = 0.0
    return _cast(margins.sum() / len(labels), _float_result(x))


def margin_ranking_loss_reference(x1: Any, x2: Any, y: Any, margin: float) -> np.ndarray:
    a, b = _f64(x1, x2)
    sign = np.asarray(y, dtype=np.float64)
    if sign.ndim == 1 and a.ndim == 2:
        sign = sign[:, None]
    loss = np.mean(np.maximum(0.0, margin - sign * (a - b)))
    return _cast(loss, np.result_type(np.asarray(x1), np.asarray(x2)))


def focal_loss_reference(
    class_probs: Any, targets: Any, *, alpha: float = 1, gamma: float = 0
) -> np.ndarray:
    (p,) = _f64(class_probs)
    p_t = p[_rows(targets)]
    return _cast(-alpha * (1 - p_t) ** gamma * np.log(p_t), _float_result(class_probs))


def softmax_focal_loss_reference(
    scores: Any, targets: Any, *, alpha: float = 1, gamma: float = 0
) -> np.ndarray:
    (v,) = _f64(scores)
    log_pt = (v - _logsumexp(v, axis=1))[_rows(targets)]
    loss = -alpha * (-np.expm1(log_pt)) ** gamma * log_pt
    return _cast(loss, _float_result(scores))

