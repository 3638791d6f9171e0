"""Hints for mygrad-core's ops/math/misc.py: absolute, sqrt, cbrt, maximum, minimum, clip.

The conventions at the non-differentiable points (abs at 0, ties of maximum/minimum,
clip at its bounds) are tested exactly in mygrad-core's tests/ops/test_misc.py; here
the draws stay clear of them.
"""

from __future__ import annotations

from typing import Any

from ._row import POSITIVE, Hints

MAX_SIDE = 4


def three_broadcastable_shapes() -> Any:
    """Shapes of ``a``, ``a_min`` and ``a_max`` that broadcast together."""
    import hypothesis.extra.numpy as hnp

    return hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=MAX_SIDE).map(
        lambda drawn: drawn.input_shapes
    )


ROWS = {
    "absolute": Hints(kinks=(0.0,)),
    "sqrt": Hints(domain=POSITIVE),
    "cbrt": Hints(kinks=(0.0,)),
    "maximum": Hints(distinct=True),
    "minimum": Hints(distinct=True),
    # distinct values keep a off its bounds; a_min > a_max is drawn too (a_max wins)
    "clip": Hints(shapes=three_broadcastable_shapes, distinct=True),
}
