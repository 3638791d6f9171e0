"""The multiclass hinge (SVM) loss."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import real_scalar
from ._utils import class_labels

__all__ = ["multiclass_hinge"]


def _active_margins(x: np.ndarray, labels: np.ndarray, hinge: float) -> tuple[Any, Any]:
    """The margins x_ij - x_{i,y_i} + hinge, and where they count (> 0, j != y_i)."""
    rows = np.arange(len(labels))
    margins = x - x[rows, labels][:, np.newaxis] + hinge
    active = margins > 0
    active[rows, labels] = False
    return margins, active


@defop(name="multiclass_hinge", arrays=2)
def _multiclass_hinge(x, y_true, hinge):
    """(1/N) sum_i sum_{j != y_i} max(0, x_ij - x_{i,y_i} + hinge)."""
    labels = class_labels(np.shape(x), y_true)
    margins, active = _active_margins(np.asarray(x), labels, hinge)
    return np.sum(margins * active) / len(labels)


@_multiclass_hinge.vjp
def _multiclass_hinge_vjp(g, out, x, y_true, hinge):
    # each active margin adds +1 at (i, j) and -1 at (i, y_i); a margin of exactly 0 adds nothing
    labels = np.asarray(y_true)
    _, active = _active_margins(x, labels, hinge)
    grad = active.astype(np.result_type(x, g))
    grad[np.arange(len(labels)), labels] = -active.sum(axis=1)
    return grad * (g / len(labels)), None


@_multiclass_hinge.frontend
def multiclass_hinge(
    x: Any, y_true: Any, hinge: Any = 1.0, *, constant: bool | None = None
) -> mg.Tensor:
    """The mean multiclass hinge loss
    ``(1/N) sum_i sum_{j != y_i} max(0, x_ij - x_{i,y_i} + hinge)``.

    ``x`` holds scores of shape (N, C), ``y_true`` integer labels of shape (N,); ``hinge``
    is a real scalar. Returns a 0-d tensor.

    >>> import mygrad as mg
    >>> from mygrad.nnet import multiclass_hinge
    >>> multiclass_hinge(mg.tensor([[1.0, 0.5, -1.0]]), [0])
    Tensor(0.5)
    """
    return execute(
        _multiclass_hinge.op, (x, y_true), {"hinge": real_scalar("hinge", hinge)}, constant
    )
