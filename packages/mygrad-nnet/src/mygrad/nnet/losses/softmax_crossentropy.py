"""The softmax cross-entropy loss, fused for stability and speed."""

from __future__ import annotations

import numpy as np

from mygrad.extend import defop

from .._numerics import max_shifted
from ._utils import class_labels

__all__ = ["softmax_crossentropy"]


@defop(name="softmax_crossentropy", arrays=2, saves=True)
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
    rows = np.arange(len(labels))
    # log softmax(x)_ij = shifted_ij - log(total_i), from the max-shifted scores
    shifted = max_shifted(x, axis=1)
    e = np.exp(shifted)
    # (the ufuncs' reduce: np.sum and np.mean cost a few µs more in Python wrappers)
    total = np.add.reduce(e, axis=1, keepdims=True)
    # each total holds exp(0) = 1, so log sees 0 only for an empty class axis (errstate
    # costs a few µs, so only then)
    if e.shape[1]:
        log_total = np.log(total[:, 0])
    else:
        with np.errstate(divide="ignore"):
            log_total = np.log(total[:, 0])
    terms = log_total - shifted[rows, labels]
    if len(terms) and terms.dtype.itemsize >= 4:
        loss = np.add.reduce(terms) / len(terms)  # np.mean's own arithmetic
    else:
        loss = np.mean(terms)  # (an empty batch's warning; float16's wider sum)
    # the backward needs softmax(x) = e / total: keep e and total rather than recompute
    return loss, (e, total, rows, labels)


@softmax_crossentropy.vjp
def _softmax_crossentropy_vjp(g, out, x, y_true, saved):
    # d/dx_ij of -(1/N) log softmax(x)_{i,y_i} = (softmax(x)_ij - [j == y_i]) / N
    e, total, rows, labels = saved
    grad = np.divide(e, total)
    grad[rows, labels] -= 1
    grad *= g / len(labels)
    return grad, None
