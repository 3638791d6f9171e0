"""Hints for mygrad-nnet's loss ops: softmax_crossentropy, multiclass_hinge,
margin_ranking_loss, focal_loss and softmax_focal_loss (negative_log_likelihood is composed
of core ops). The hinge-type draws keep every margin at least 0.25 away from its kink."""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st
import numpy as np
from hypothesis.extra import numpy as hnp

from . import nnet_reference as ref
from ._row import Call, Hints

__all__ = [
    "ROWS",
    "scores_and_labels",
    "hinge_calls",
    "margin_ranking_calls",
    "focal_calls",
    "softmax_focal_calls",
    "kink_free_values",
]


@st.composite
def scores_and_labels(
    draw: st.DrawFn, low: float = -5.0, high: float = 5.0, values: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """Scores (N, C) and integer labels (N,) in [0, C)."""
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    elements = values if values is not None else st.floats(low, high, width=16)
    x = draw(hnp.arrays(np.float64, (n, c), elements=elements))
    dtype = draw(st.sampled_from([np.int64, np.int32, np.uint8]))
    labels = draw(hnp.arrays(dtype, (n,), elements=st.integers(0, c - 1)))
    return x, labels


# integers plus a fraction in {0, 1/8, 1/4}: a difference of two is at most 1/4 from an
# integer, so adding a half-integer (the hinge, the margin) never lands near 0
_FRACTIONS = st.sampled_from([0.0, 0.125, 0.25])
kink_free_values = st.tuples(st.integers(-3, 3), _FRACTIONS).map(lambda p: p[0] + p[1])
_HALF_INTEGERS = st.integers(0, 2).map(lambda k: k + 0.5)


@st.composite
def hinge_calls(draw: st.DrawFn) -> Call:
    x, labels = draw(scores_and_labels(values=kink_free_values))
    return Call((x, labels), {"hinge": draw(_HALF_INTEGERS)})


@st.composite
def margin_ranking_calls(draw: st.DrawFn) -> Call:
    """x1, x2 of shape (N,) or (N, D), y a scalar or (N,) of +1/-1, a margin."""
    n = draw(st.integers(1, 4))
    shape = (n,) if draw(st.booleans()) else (n, draw(st.integers(1, 3)))
    x1, x2 = (draw(hnp.arrays(np.float64, shape, elements=kink_free_values)) for _ in range(2))
    signs = st.sampled_from([-1, 1])
    if draw(st.booleans()):
        y = np.asarray(draw(signs))
    else:
        y = draw(hnp.arrays(np.int64, (n,), elements=signs))
    return Call((x1, x2, y), {"margin": draw(_HALF_INTEGERS)})


def _focal_params(draw: st.DrawFn) -> dict[str, float]:
    return {
        "alpha": draw(st.floats(0.125, 2.0, width=16)),
        "gamma": draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]) | st.floats(0.0, 3.0, width=16)),
    }


@st.composite
def focal_calls(draw: st.DrawFn) -> Call:
    # probabilities away from 0 (log) and from 1, where (1 - p)**gamma, gamma < 1, has an
    # unbounded slope
    probs = st.floats(0.0625, 0.9375, width=16)
    x, labels = draw(scores_and_labels(values=probs))
    return Call((x, labels), _focal_params(draw))


@st.composite
def softmax_focal_calls(draw: st.DrawFn) -> Call:
    x, labels = draw(scores_and_labels(-4.0, 4.0))
    return Call((x, labels), _focal_params(draw))


@st.composite
def _crossentropy_calls(draw: st.DrawFn) -> Call:
    x, labels = draw(scores_and_labels())
    return Call((x, labels), {})


ROWS = {
    "softmax_crossentropy": Hints(
        calls=_crossentropy_calls, reference=ref.softmax_crossentropy_reference
    ),
    "multiclass_hinge": Hints(calls=hinge_calls, reference=ref.multiclass_hinge_reference),
    "margin_ranking_loss": Hints(
        calls=margin_ranking_calls, reference=ref.margin_ranking_loss_reference
    ),
    "focal_loss": Hints(calls=focal_calls, reference=ref.focal_loss_reference),
    "softmax_focal_loss": Hints(
        calls=softmax_focal_calls, reference=ref.softmax_focal_loss_reference
    ),
}
