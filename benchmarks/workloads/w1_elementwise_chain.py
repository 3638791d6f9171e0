"""W1: a chain of 200 elementwise ops on shape-(4,) float64 arrays, forward and backward.

With four elements NumPy's own arithmetic costs almost nothing, so the time above the
hand-derived floor is the autodiff library's bookkeeping per op. The chain repeats a bounded
step ``y <- c * (w / (1 + y*y) - b)`` (5 ops) 40 times. ``x`` and ``w`` are differentiated;
``w`` feeds every step, so its gradient accumulates over 40 uses.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from ..workload import Arrays, Workload

N_STEPS = 40
OPS_PER_STEP = 5
SHAPE = (4,)


def make_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(2024)
    return {
        "x": rng.uniform(-1.0, 1.0, SHAPE),
        "w": rng.uniform(1.0, 2.0, SHAPE),
        "b": rng.uniform(0.0, 0.5, SHAPE),
        "c": rng.uniform(1.0, 2.0, SHAPE),
    }


def chain(x, w, b, c):  # ndarrays or Tensors alike
    """The forward pass, in operators that ndarrays and mygrad Tensors both support."""
    y = x
    for _ in range(N_STEPS):
        s = y * y
        s = s + 1.0
        q = w / s
        z = q - b
        y = z * c
    return y


def floor(inputs: Arrays) -> dict[str, np.ndarray]:
    """Forward and backward by hand, seeded with ones as ``Tensor.backward()`` is."""
    x, w, b, c = inputs["x"], inputs["w"], inputs["b"], inputs["c"]
    saved = []
    y = x
    for _ in range(N_STEPS):
        s = y * y
        s = s + 1.0
        q = w / s
        z = q - b
        saved.append((y, s, q))
        y = z * c
    g = np.ones_like(y)
    grad_w = np.zeros_like(w)
    for y, s, q in reversed(saved):
        g = g * c  # y' = z * c
        grad_w = grad_w + g / s  # q = w / s: dq/dw = 1 / s
        g = -g * q / s  # dq/ds = -w / s**2 = -q / s
        g = 2.0 * y * g  # s = y*y + 1: ds/dy = 2y
    return {"x": g, "w": grad_w}


def autodiff(mg: ModuleType, inputs: Arrays) -> dict[str, np.ndarray]:
    x = mg.tensor(inputs["x"])
    w = mg.tensor(inputs["w"])
    chain(x, w, inputs["b"], inputs["c"]).backward()
    return {"x": x.grad, "w": w.grad}


WORKLOAD = Workload(
    name="W1",
    title=f"chain of {N_STEPS * OPS_PER_STEP} elementwise ops on shape {SHAPE} float64",
    n_ops=N_STEPS * OPS_PER_STEP,
    make_inputs=make_inputs,
    floor=floor,
    autodiff=autodiff,
)
