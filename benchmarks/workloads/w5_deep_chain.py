"""W5: a deep graph, 20,000 sequential elementwise ops on shape (2,), then one backward.

The same 5-op step as W1. Timed at three depths in the same interleaved rounds: 200 ops
(W1's depth: the reference for "µs/op not above 1.3x W1's", measured side by side rather
than in another run under another load), 5,000 and 20,000 (the cost per op must not grow
with depth); the 20,000-op graph is probed for the memory it holds per node.

``w`` and ``c`` are drawn so that each step is a contraction (|dy'/dy| <= 0.65): the
forward stays bounded and the gradient cannot overflow over thousands of steps (that of
``x`` vanishes instead, which the result check's absolute tolerance allows for).
"""

from __future__ import annotations

from functools import partial

from ..workload import Workload
from . import _chain

SHAPE = (2,)
DEPTHS = (200, 5_000, 20_000)


def _at_depth(n_ops: int) -> Workload:
    n_steps = n_ops // _chain.OPS_PER_STEP
    return Workload(
        name="W5" if n_ops == max(DEPTHS) else f"W5@{n_ops}",
        group="W5",
        title=f"{n_ops} sequential elementwise ops on shape {SHAPE} float64, one backward",
        n_ops=n_ops,
        unit="op",
        make_inputs=_chain.make_inputs_factory(SHAPE, w_range=(0.5, 1.0), c_range=(0.5, 1.0)),
        floor=partial(_chain.floor, n_steps=n_steps),
        autodiff=partial(_chain.autodiff, n_steps=n_steps),
        torch=partial(_chain.torch_autodiff, n_steps=n_steps),
        probe_memory=n_ops == max(DEPTHS),
        rtol=1e-9,
        atol=1e-12,
    )


WORKLOADS = tuple(_at_depth(n) for n in DEPTHS)
