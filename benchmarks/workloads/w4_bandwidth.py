"""W4: 10 elementwise ops on two 2*10^6-element float64 arrays, forward and backward.

Each array is 16 MB, so time goes to moving memory, not to bookkeeping: a library should
add little over the floor, and its peak memory shows what the graph keeps alive. The
intermediate results go out of scope as the forward proceeds, as in ordinary code.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from ..workload import Arrays, Grads, Workload

SIZE = 2_000_000


def make_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    return {"x": rng.uniform(-1.0, 1.0, SIZE), "y": rng.uniform(1.0, 2.0, SIZE)}


def forward(x: Any, y: Any) -> Any:
    """Ten elementwise ops, in operators that ndarrays and every library's tensors support."""
    b = x * y + x
    c = b * b - y
    f = c * x + 1.0
    i = f / y - x
    return i * i + y


def floor(inputs: Arrays) -> Grads:
    """The forward keeping only what the backward needs, then the backward by hand."""
    x, y = inputs["x"], inputs["y"]
    b = x * y + x
    d = b * b - y
    h = (d * x + 1.0) / y
    i = h - x
    # the output k = i*i + y is not needed by the backward; seed g = 1 everywhere
    g_y = np.ones_like(x)  # k = j + y
    g = 2.0 * i  # j = i*i
    g_x = -g  # i = h - x
    g = g / y  # h = f / y: dh/df = 1/y, dh/dy = -h/y
    g_y -= g * h
    g_x += g * d  # e = d * x (and f = e + 1)
    g = g * x
    g_y -= g  # d = c - y
    g = 2.0 * b * g  # c = b*b
    g_x += g  # b = a + x
    g_x += g * y  # a = x * y
    g_y += g * x
    return {"x": g_x, "y": g_y}


def autodiff(mg: ModuleType, inputs: Arrays) -> Grads:
    # no copies of the inputs: the floor makes none either
    x, y = mg.tensor(inputs["x"], copy=False), mg.tensor(inputs["y"], copy=False)
    forward(x, y).backward()
    return {"x": x.grad, "y": y.grad}


def torch_autodiff(torch: ModuleType, inputs: Arrays) -> Grads:
    x = torch.from_numpy(inputs["x"]).requires_grad_()
    y = torch.from_numpy(inputs["y"]).requires_grad_()
    k = forward(x, y)
    k.backward(torch.ones_like(k))
    return {"x": x.grad.numpy(), "y": y.grad.numpy()}


WORKLOAD = Workload(
    name="W4",
    title=f"10 elementwise ops on two {SIZE:.0e}-element float64 arrays (bandwidth-bound)",
    n_ops=10,
    make_inputs=make_inputs,
    floor=floor,
    autodiff=autodiff,
    torch=torch_autodiff,
    probe_memory=True,
    rtol=1e-9,
    atol=1e-12,
)
