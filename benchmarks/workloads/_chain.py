"""A chain of elementwise steps ``y <- c * (w / (1 + y*y) - b)`` (5 ops each), shared by W1
and W5: the forward in operators that ndarrays, mygrad Tensors and torch tensors all
support, and its backward derived by hand."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from ..workload import Arrays, Grads

OPS_PER_STEP = 5


def make_inputs_factory(
    shape: tuple[int, ...], w_range: tuple[float, float], c_range: tuple[float, float]
) -> Callable[[], dict[str, np.ndarray]]:
    def make_inputs() -> dict[str, np.ndarray]:
        rng = np.random.default_rng(2024)
        return {
            "x": rng.uniform(-1.0, 1.0, shape),
            "w": rng.uniform(*w_range, shape),
            "b": rng.uniform(0.0, 0.5, shape),
            "c": rng.uniform(*c_range, shape),
        }

    return make_inputs


def chain(x: Any, w: Any, b: Any, c: Any, n_steps: int) -> Any:
    """The forward pass; intermediates die as the loop moves on, as in ordinary user code."""
    y = x
    for _ in range(n_steps):
        s = y * y
        s = s + 1.0
        q = w / s
        z = q - b
        y = z * c
    return y


def floor(inputs: Arrays, n_steps: int) -> Grads:
    """Forward and backward by hand, seeded with ones as ``Tensor.backward()`` is."""
    x, w, b, c = inputs["x"], inputs["w"], inputs["b"], inputs["c"]
    saved = []
    y = x
    for _ in range(n_steps):
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


def autodiff(mg: ModuleType, inputs: Arrays, n_steps: int) -> Grads:
    x = mg.tensor(inputs["x"])
    w = mg.tensor(inputs["w"])
    chain(x, w, inputs["b"], inputs["c"], n_steps).backward()
    return {"x": x.grad, "w": w.grad}


def torch_autodiff(torch: ModuleType, inputs: Arrays, n_steps: int) -> Grads:
    x = torch.tensor(inputs["x"], requires_grad=True)
    w = torch.tensor(inputs["w"], requires_grad=True)
    b, c = torch.from_numpy(inputs["b"]), torch.from_numpy(inputs["c"])
    y = chain(x, w, b, c, n_steps)
    y.backward(torch.ones_like(y))
    return {"x": x.grad.numpy(), "w": w.grad.numpy()}
