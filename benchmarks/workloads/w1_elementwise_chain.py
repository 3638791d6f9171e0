"""W1: a chain of 200 elementwise ops on shape-(4,) float64 arrays, forward and backward.

With four elements NumPy's own arithmetic costs almost nothing, so the time above the
hand-derived floor is the autodiff library's bookkeeping per op. The chain repeats a bounded
step ``y <- c * (w / (1 + y*y) - b)`` (5 ops) 40 times. ``x`` and ``w`` are differentiated;
``w`` feeds every step, so its gradient accumulates over 40 uses.
"""

from __future__ import annotations

from functools import partial

from ..workload import Workload
from . import _chain

N_STEPS = 40
SHAPE = (4,)

WORKLOAD = Workload(
    name="W1",
    title=f"chain of {N_STEPS * _chain.OPS_PER_STEP} elementwise ops on shape {SHAPE} float64",
    n_ops=N_STEPS * _chain.OPS_PER_STEP,
    unit="op",
    make_inputs=_chain.make_inputs_factory(SHAPE, w_range=(1.0, 2.0), c_range=(1.0, 2.0)),
    floor=partial(_chain.floor, n_steps=N_STEPS),
    autodiff=partial(_chain.autodiff, n_steps=N_STEPS),
    torch=partial(_chain.torch_autodiff, n_steps=N_STEPS),
)
