"""The softmax cross-entropy loss, fused for stability and speed."""

from __future__ import annotations

import numpy as np

from mygrad.extend import defop

from .._numerics import log_softmax
from ._utils import class_labels

__all__ = ["softmax_crossentropy"]


@defop(name="softmax_crossentropy", arrays=2)
def softmax_crossentropy(x, y_true):
    """The mean over the N rows of ``-log(softmax(x)[i, y_true[i]])``, a 0-d tensor.

    ``x`` holds scores of shape (N, C) and ``y_true`` integer labels of shape (N,) (an
    array-like or a tensor; float labels raise TypeError, wrong shapes ValueError). The
    log-softmax is computed from max-shifted scores, so huge scores stay finite.

    >>> import mygrad as mg
    >>> from mygrad.nnet import softmax_crossentropy
    >>> x = mg.tensor([[2.0, 2.0, 2.0], [1000.0, 0.0, 0.0]])
    >>> softmax_crossentropy(x, [0, 0])
    Tensor(0.54930614)
    """
    labels = class_labels(np.shape(x), y_true)
    log_p = log_softmax(x, axis=1)
    return -np.mean(log_p[np.arange(len(labels)), labels])


@softmax_crossentropy.vjp
def _softmax_crossentropy_vjp(g, out, x, y_true):
    # d/dx_ij of -(1/N) log softmax(x)_{i,y_i} = (softmax(x)_ij - [j == y_i]) / N
    labels = np.asarray(y_true)
    grad = np.exp(log_softmax(x, axis=1))
    grad[np.arange(len(labels)), labels] -= 1
    return grad * (g / len(labels)), None
