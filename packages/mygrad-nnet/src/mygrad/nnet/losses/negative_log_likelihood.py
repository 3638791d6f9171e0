"""The (weighted) negative log-likelihood loss, composed of mygrad ops."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg

from .._checks import shape_of
from ._utils import class_labels

__all__ = ["negative_log_likelihood"]


def negative_log_likelihood(
    x: Any, y_true: Any, *, weights: Any = None, constant: bool | None = None
) -> mg.Tensor:
    """``-mean_i(x[i, y_true[i]] * weights[y_true[i]])`` for log-probabilities ``x`` (N, C).

    The mean divides by N (not by the sum of the weights). ``weights`` (shape (C,),
    a constant) defaults to all ones. Returns a 0-d tensor.

    >>> import mygrad as mg
    >>> from mygrad.nnet import negative_log_likelihood
    >>> x = mg.tensor([[-4.6, -4.6, -0.02]])
    >>> negative_log_likelihood(x, [0], weights=mg.tensor([2.0, 1.0, 1.0]))
    Tensor(9.2)
    """
    shape = shape_of(x)
    labels = class_labels(shape, y_true)
    if not isinstance(x, mg.Tensor):
        x = mg.astensor(x, constant=True)
    picked = x[np.arange(len(labels)), labels]
    if weights is not None:
        w = weights.data if isinstance(weights, mg.Tensor) else np.asarray(weights)
        if w.shape != shape[1:]:
            raise ValueError(
                f"`weights` must have shape (C,) = {shape[1:]} for x of shape {shape}, "
                f"got shape {w.shape}"
            )
        picked = picked * w[labels]
    return mg.negative(mg.mean(picked), constant=constant)
