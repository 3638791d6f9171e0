"""Hints for mygrad-core's ops/where.py."""

from __future__ import annotations

from typing import Any

from ._row import Call, Hints

MAX_SIDE = 4


def where_calls() -> Any:
    """``where(condition, x, y)`` with a boolean condition; the three broadcast together."""
    import hypothesis.extra.numpy as hnp
    import hypothesis.strategies as st
    import numpy as np

    @st.composite
    def draw_call(draw: st.DrawFn) -> Call:
        shapes = draw(
            hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=MAX_SIDE)
        ).input_shapes
        condition = draw(hnp.arrays(np.bool_, shapes[0]))
        values = st.floats(-10.0, 10.0, allow_nan=False, allow_subnormal=False)
        x = draw(hnp.arrays(np.float64, shapes[1], elements=values))
        y = draw(hnp.arrays(np.float64, shapes[2], elements=values))
        return Call((condition, x, y))

    return draw_call()


ROWS = {
    # the condition (input 0) is a constant mask: only x and y are differentiated
    "where": Hints(calls=where_calls, differentiated=(1, 2)),
}
