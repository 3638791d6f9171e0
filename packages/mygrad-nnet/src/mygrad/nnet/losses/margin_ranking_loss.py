"""The margin ranking loss."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import shape_of

__all__ = ["margin_ranking_loss"]


def _margins(x1: Any, x2: Any, y: Any, margin: float) -> np.ndarray:
    """margin - y * (x1 - x2), with y (+1/-1, in the scores' dtype) broadcast per row."""
    x1, x2 = np.asarray(x1), np.asarray(x2)
    y = np.asarray(y, dtype=np.result_type(x1, x2))
    if y.size == 1:
        y = y.reshape(())
    elif x1.ndim == 2:
        y = y.reshape(-1, 1)
    return margin - y * (x1 - x2), y


@defop(name="margin_ranking_loss", arrays=3)
def _margin_ranking_loss(x1, x2, y, margin):
    """mean(max(0, margin - y * (x1 - x2)))."""
    margins, _ = _margins(x1, x2, y, margin)
    return np.mean(np.maximum(margins, 0))


@_margin_ranking_loss.vjp
def _margin_ranking_loss_vjp(g, out, x1, x2, y, margin):
    # d/dx1 = -y where the margin is positive (0 at the kink itself), d/dx2 = +y
    margins, y = _margins(x1, x2, y, margin)
    d = (margins > 0) * (y * (g / margins.size))
    return -d, d, None


@_margin_ranking_loss.frontend
def margin_ranking_loss(
    x1: Any, x2: Any, y: Any, margin: Any, *, constant: bool | None = None
) -> mg.Tensor:
    """The mean margin ranking loss ``mean(max(0, margin - y * (x1 - x2)))``, a 0-d tensor.

    ``x1`` and ``x2`` are float arrays of one shape, (N,) or (N, D) (an integer dtype
    raises TypeError); ``y`` is a scalar or a shape-(N,) array of +1/-1 saying whether
    ``x1`` should rank above ``x2``; ``margin`` a non-negative real (ValueError otherwise).

    >>> import mygrad as mg
    >>> from mygrad.nnet import margin_ranking_loss
    >>> margin_ranking_loss(mg.tensor([1.0, 0.0]), mg.tensor([0.0, 0.5]), 1, margin=0.5)
    Tensor(0.5)
    """
    s1, s2 = shape_of(x1), shape_of(x2)
    if not 0 < len(s1) < 3:
        raise ValueError(f"`x1` must have shape (N,) or (N, D), got {s1}")
    if s1 != s2:
        raise ValueError(f"`x1` and `x2` must have the same shape, got {s1} and {s2}")
    for name, a in (("x1", x1), ("x2", x2)):
        dtype = a.dtype if isinstance(a, (mg.Tensor, np.ndarray)) else np.asarray(a).dtype
        if dtype.kind != "f":
            raise TypeError(f"`{name}` must hold floats, got dtype {dtype}")
    if isinstance(margin, mg.Tensor):
        margin = margin.item()
    if isinstance(margin, bool) or not isinstance(margin, Real) or not margin >= 0:
        raise ValueError(f"`margin` must be a non-negative real number, got {margin!r}")
    labels = y.data if isinstance(y, mg.Tensor) else np.asarray(y)
    if labels.size != 1 and labels.shape != s1[:1]:
        raise ValueError(
            f"`y` must be a scalar or have shape (N,) = {s1[:1]}, got shape {labels.shape}"
        )
    return execute(_margin_ranking_loss.op, (x1, x2, labels), {"margin": float(margin)}, constant)
