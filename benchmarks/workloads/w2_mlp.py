"""W2: an MLP 784-256-128-10 with ReLU and softmax cross-entropy, 20 SGD steps on one
batch of 128 (float64).

One timed pass restarts from the same initial parameters and takes 20 steps; checked are
the last step's loss and gradients and the parameters after the 20 steps. Matrix products dominate,
so a library's bookkeeping should be nearly invisible here.

Each library's loop is the one its users write: after ``backward()`` every parameter is
updated from its ``grad``, and the gradients are read once, after the last step (an
update of ``.data`` leaves ``.grad`` alone; torch's are copied at the last step). Keeping
every step's gradients in a dict would hold a second set of them through the next step,
which neither this loop nor the floor does.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

import numpy as np

from ..workload import Arrays, Grads, Workload
from ._softmax_ce import loss_and_grad

SIZES = (784, 256, 128, 10)
BATCH = 128
STEPS = 20
LEARNING_RATE = 0.1
PARAMS = ("W1", "b1", "W2", "b2", "W3", "b3")
OPS_PER_STEP = 9  # 3 matmuls, 3 bias adds, 2 ReLUs, the loss


def make_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    inputs = {
        "X": rng.normal(size=(BATCH, SIZES[0])),
        "labels": rng.integers(0, SIZES[-1], size=BATCH),
    }
    for i, (fan_in, fan_out) in enumerate(zip(SIZES, SIZES[1:]), start=1):
        inputs[f"W{i}"] = rng.normal(scale=np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        inputs[f"b{i}"] = rng.normal(scale=0.01, size=fan_out)
    return inputs


def _result(params: dict[str, np.ndarray], grads: dict[str, np.ndarray], loss: Any) -> Grads:
    """The last step's loss and gradients, and the parameters after the last step."""
    return {
        "last_loss": np.asarray(loss),
        **{f"grad_{k}": grads[k] for k in PARAMS},
        **{f"final_{k}": params[k] for k in PARAMS},
    }


def floor(inputs: Arrays) -> Grads:
    X, labels = inputs["X"], inputs["labels"]
    p = {k: inputs[k].copy() for k in PARAMS}
    grads: dict[str, np.ndarray] = {}
    for _ in range(STEPS):
        h1 = X @ p["W1"] + p["b1"]
        a1 = np.maximum(h1, 0.0)
        h2 = a1 @ p["W2"] + p["b2"]
        a2 = np.maximum(h2, 0.0)
        z = a2 @ p["W3"] + p["b3"]
        loss, dz = loss_and_grad(z, labels)
        grads["W3"], grads["b3"] = a2.T @ dz, dz.sum(axis=0)
        dh2 = (dz @ p["W3"].T) * (h2 > 0)
        grads["W2"], grads["b2"] = a1.T @ dh2, dh2.sum(axis=0)
        dh1 = (dh2 @ p["W2"].T) * (h1 > 0)
        grads["W1"], grads["b1"] = X.T @ dh1, dh1.sum(axis=0)
        for k in PARAMS:
            p[k] -= LEARNING_RATE * grads[k]
    return _result(p, grads, loss)


def autodiff(mg: ModuleType, inputs: Arrays) -> Grads:
    nnet = import_module("mygrad.nnet")
    X, labels = inputs["X"], inputs["labels"]
    p = {k: mg.tensor(inputs[k]) for k in PARAMS}  # mg.tensor copies
    params = list(p.values())
    for _ in range(STEPS):
        a1 = nnet.relu(X @ p["W1"] + p["b1"])
        a2 = nnet.relu(a1 @ p["W2"] + p["b2"])
        loss = nnet.softmax_crossentropy(a2 @ p["W3"] + p["b3"], labels)
        loss.backward()
        for t in params:
            t.data -= LEARNING_RATE * t.grad
    # an update of .data leaves .grad alone: these are the last step's gradients
    grads = {k: t.grad for k, t in p.items()}
    return _result({k: t.data for k, t in p.items()}, grads, loss.data)


def torch_autodiff(torch: ModuleType, inputs: Arrays) -> Grads:
    F = torch.nn.functional
    X, labels = torch.from_numpy(inputs["X"]), torch.from_numpy(inputs["labels"])
    p = {k: torch.tensor(inputs[k], requires_grad=True) for k in PARAMS}
    params = list(p.values())
    grads: dict[str, np.ndarray] = {}
    for step in range(STEPS):
        a1 = F.relu(X @ p["W1"] + p["b1"])
        a2 = F.relu(a1 @ p["W2"] + p["b2"])
        loss = F.cross_entropy(a2 @ p["W3"] + p["b3"], labels)
        loss.backward()
        if step == STEPS - 1:
            grads = {k: t.grad.numpy().copy() for k, t in p.items()}
        with torch.no_grad():
            for t in params:
                t -= LEARNING_RATE * t.grad
                t.grad = None
    return _result({k: t.detach().numpy() for k, t in p.items()}, grads, loss.item())


WORKLOAD = Workload(
    name="W2",
    title=f"MLP {'-'.join(map(str, SIZES))}, batch {BATCH}, ReLU, softmax CE, {STEPS} SGD steps",
    n_ops=OPS_PER_STEP * STEPS,
    make_inputs=make_inputs,
    floor=floor,
    autodiff=autodiff,
    torch=torch_autodiff,
    requires=("nnet.relu", "nnet.softmax_crossentropy"),
    # 20 steps of BLAS products summed in different orders
    rtol=1e-6,
    atol=1e-9,
)
