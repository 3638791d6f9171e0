"""Batch normalisation (no running statistics), composed of mygrad ops."""

from __future__ import annotations

from numbers import Real
from typing import Any

import mygrad as mg

from .._checks import shape_of

__all__ = ["batchnorm"]


def batchnorm(
    x: Any,
    *,
    gamma: Any = None,
    beta: Any = None,
    eps: Any,
    constant: bool | None = None,
) -> mg.Tensor:
    """Normalise ``x`` (shape (N, C, ...)) per channel over every axis but axis 1:
    ``(x - mean) / sqrt(var + eps) * gamma + beta``, with the biased batch variance.

    ``gamma`` and ``beta`` (shape (C,)) are optional and keyword-only; ``eps`` is
    required. The gradient flows to ``x``, ``gamma`` and ``beta``.

    >>> import mygrad as mg
    >>> from mygrad.nnet import batchnorm
    >>> batchnorm(mg.tensor([1.0, 4.0, 1.0]).reshape(3, 1), eps=0)
    Tensor([[-0.70710678],
            [ 1.41421356],
            [-0.70710678]])
    """
    shape = shape_of(x)
    if len(shape) < 2:
        raise ValueError(
            f"batchnorm needs `x` with at least two dimensions (N, C, ...), got {shape}"
        )
    if isinstance(eps, mg.Tensor):
        eps = eps.item()
    if isinstance(eps, bool) or not isinstance(eps, Real):
        raise TypeError(f"`eps` must be a real number, got {eps!r}")
    channels = shape[1]
    # (C,) parameters broadcast against (N, C, 1, 1, ...)
    per_channel = (channels,) + (1,) * (len(shape) - 2)
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p is not None and shape_of(p) != (channels,):
            raise ValueError(
                f"`{name}` must have shape (C,) = ({channels},) for x of shape {shape}, "
                f"got {shape_of(p)}"
            )
    x = x if isinstance(x, mg.Tensor) else mg.astensor(x, constant=True)
    axes = (0, *range(2, len(shape)))
    centered = x - mg.mean(x, axis=axes, keepdims=True)
    variance = mg.mean(centered * centered, axis=axes, keepdims=True)
    # `constant=` belongs to the last op applied
    normalized = mg.divide(
        centered,
        mg.sqrt(variance + eps),
        constant=constant if gamma is None and beta is None else None,
    )
    if gamma is not None:
        normalized = mg.multiply(
            normalized, mg.reshape(gamma, per_channel), constant=constant if beta is None else None
        )
    if beta is not None:
        normalized = mg.add(normalized, mg.reshape(beta, per_channel), constant=constant)
    return normalized
