"""Softmax and log-softmax over one or more axes, shifted by the max for stability."""

from __future__ import annotations

from typing import Any

import numpy as np

from mygrad.extend import defop

from .._numerics import log_softmax, max_shifted

__all__ = ["softmax", "logsoftmax"]


def _reduction_axis(x: Any, axis: Any) -> Any:
    # a 0-d input has no axis to normalise over: it is its own group
    return None if np.ndim(x) == 0 else axis


@defop(name="softmax")
def softmax(x, axis=-1):
    """The softmax ``exp(x) / sum(exp(x))`` over ``axis`` (None, an int or a tuple of ints).

    Computed from ``x - max(x)``, so huge scores do not overflow. A 0-d input gives 1.0;
    integer inputs give float64, float32 stays float32.

    >>> import mygrad as mg
    >>> from mygrad.nnet import softmax
    >>> softmax(mg.tensor([[2.0, 2.0, 2.0], [2e50, 2e50, 1e50]]))
    Tensor([[0.33333333, 0.33333333, 0.33333333],
            [0.5       , 0.5       , 0.        ]])
    """
    axis = _reduction_axis(x, axis)
    z = np.exp(max_shifted(x, axis))
    return z / np.sum(z, axis=axis, keepdims=True)


@softmax.vjp
def _softmax_vjp(g, out, x, axis=-1):
    # J^T g = s * (g - <g, s>) along the normalised axes
    axis = _reduction_axis(x, axis)
    return out * (g - np.sum(g * out, axis=axis, keepdims=True))


@defop(name="logsoftmax")
def logsoftmax(x, axis=-1):
    """The log-softmax ``x - logsumexp(x)`` over ``axis`` (None, an int or a tuple of ints).

    Computed from ``x - max(x)``, so it stays finite where ``log(softmax(x))`` would
    give ``-inf``.

    >>> import mygrad as mg
    >>> from mygrad.nnet import logsoftmax
    >>> logsoftmax(mg.tensor([0.0, -1000.0]))
    Tensor([    0., -1000.])
    """
    axis = _reduction_axis(x, axis)
    return log_softmax(x, axis)


@logsoftmax.vjp
def _logsoftmax_vjp(g, out, x, axis=-1):
    # d(x_i - lse)/dx_j = delta_ij - softmax_j, so J^T g = g - softmax * sum(g)
    axis = _reduction_axis(x, axis)
    return g - np.exp(out) * np.sum(g, axis=axis, keepdims=True)
