"""Hints for mygrad-nnet's activations: relu, leaky_relu, elu, selu, sigmoid, soft_sign,
hard_tanh, softmax and logsoftmax (glu and tanh are not ops of their own)."""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st

from ..strategies import valid_axes
from . import nnet_reference as ref
from ._row import Hints

__all__ = ["ROWS", "softmax_axes"]

Shapes = tuple[tuple[int, ...], ...]


def _slopes(shapes: Shapes) -> st.SearchStrategy[float]:
    return st.floats(-2.0, 2.0, allow_nan=False)


def _alphas(shapes: Shapes) -> st.SearchStrategy[float]:
    return st.floats(0.1, 3.0, allow_nan=False)


def softmax_axes(shapes: Shapes) -> st.SearchStrategy[Any]:
    """None, an int or a tuple of axes of the first input."""
    return valid_axes(len(shapes[0]))


ROWS = {
    # the gradient steps at 0 (relu, leaky_relu: 0 there; elu, selu: the right-hand slope)
    "relu": Hints(kinks=(0.0,), reference=ref.relu_reference),
    "leaky_relu": Hints(
        params={"slope": _slopes}, kinks=(0.0,), reference=ref.leaky_relu_reference
    ),
    "elu": Hints(params={"alpha": _alphas}, kinks=(0.0,), reference=ref.elu_reference),
    "selu": Hints(kinks=(0.0,), reference=ref.selu_reference),
    "sigmoid": Hints(reference=ref.sigmoid_reference),
    "soft_sign": Hints(reference=ref.soft_sign_reference),
    # the default bounds are the kinks
    "hard_tanh": Hints(kinks=(-1.0, 1.0), reference=ref.hard_tanh_reference),
    # float32: the VJPs subtract <g, s> (or s * sum(g)) from g, terms of up to |g| <= 2 that
    # cancel, and the computed s sums to 1 only to float32's precision: an exact-zero
    # gradient comes out as a few float32 ulps (e.g. -1.2e-7 for x = [7, 0, 0], g = ones)
    "softmax": Hints(
        params={"axis": softmax_axes},
        reference=ref.softmax_reference,
        tolerance={"float32": (2e-4, 1e-6)},
    ),
    "logsoftmax": Hints(
        params={"axis": softmax_axes},
        reference=ref.logsoftmax_reference,
        tolerance={"float32": (2e-4, 1e-6)},
    ),
}
