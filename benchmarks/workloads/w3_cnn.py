"""W3: a small CNN, forward and backward on a batch of 32 28x28 images (float64).

conv (16 filters 3x3, stride 1, plus a bias) -> ReLU -> 2x2 max-pool (stride 2) -> dense
(16*13*13 -> 10) -> softmax cross-entropy. The loss and the gradients of all four
parameters are checked.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..workload import Arrays, Grads, Workload
from ._softmax_ce import loss_and_grad

BATCH, SIDE, FILTERS, KERNEL, CLASSES = 32, 28, 16, 3, 10
CONV_SIDE = SIDE - KERNEL + 1  # 26
POOLED = CONV_SIDE // 2  # 13
FEATURES = FILTERS * POOLED * POOLED
PARAMS = ("w_conv", "b_conv", "W", "b")


def make_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    return {
        "x": rng.normal(size=(BATCH, 1, SIDE, SIDE)),
        "labels": rng.integers(0, CLASSES, size=BATCH),
        "w_conv": rng.normal(scale=1 / 3, size=(FILTERS, 1, KERNEL, KERNEL)),
        "b_conv": rng.normal(scale=0.1, size=(FILTERS, 1, 1)),
        "W": rng.normal(scale=np.sqrt(2 / FEATURES), size=(FEATURES, CLASSES)),
        "b": rng.normal(scale=0.01, size=CLASSES),
    }


def floor(inputs: Arrays) -> Grads:
    x, labels = inputs["x"], inputs["labels"]
    w_conv, b_conv, W, b = (inputs[k] for k in PARAMS)
    # (N, 1, 28, 28) -> windows (N, 1, 26, 26, 3, 3); contract channel and kernel axes
    windows = sliding_window_view(x, (KERNEL, KERNEL), axis=(2, 3))
    conv = np.tensordot(windows, w_conv, axes=([1, 4, 5], [1, 2, 3]))  # (N, 26, 26, F)
    pre = np.ascontiguousarray(conv.transpose(0, 3, 1, 2))  # (N, F, 26, 26)
    pre += b_conv
    act = np.maximum(pre, 0.0)
    # 2x2 pooling, stride 2: the four offsets of the window are four strided slices
    offsets = [(..., slice(i, None, 2), slice(j, None, 2)) for i in (0, 1) for j in (0, 1)]
    pooled = act[offsets[0]].copy()
    for index in offsets[1:]:
        np.maximum(pooled, act[index], out=pooled)
    flat = pooled.reshape(BATCH, FEATURES)
    z = flat @ W + b
    loss, dz = loss_and_grad(z, labels)
    grads = {"loss": loss, "W": flat.T @ dz, "b": dz.sum(axis=0)}
    dpooled = (dz @ W.T).reshape(pooled.shape)
    # each window's gradient goes to its maximum; ties occur only among ReLU zeros, whose
    # gradient the ReLU mask removes anyway
    dact = np.empty_like(act)
    for index in offsets:
        np.multiply(dpooled, act[index] == pooled, out=dact[index])
    dpre = dact * (pre > 0)
    grads["b_conv"] = dpre.sum(axis=(0, 2, 3)).reshape(b_conv.shape)
    grads["w_conv"] = np.tensordot(dpre, windows, axes=([0, 2, 3], [0, 2, 3]))
    return grads


def autodiff(mg: ModuleType, inputs: Arrays) -> Grads:
    nnet = import_module("mygrad.nnet")
    params = {k: mg.tensor(inputs[k]) for k in PARAMS}
    conv = nnet.conv_nd(inputs["x"], params["w_conv"], stride=1)
    act = nnet.relu(conv + params["b_conv"])
    pooled = nnet.max_pool(act, (2, 2), 2)
    z = pooled.reshape(BATCH, FEATURES) @ params["W"] + params["b"]
    loss = nnet.softmax_crossentropy(z, inputs["labels"])
    loss.backward()
    return {"loss": loss.data, **{k: t.grad for k, t in params.items()}}


def torch_autodiff(torch: ModuleType, inputs: Arrays) -> Grads:
    F = torch.nn.functional
    params = {k: torch.tensor(inputs[k], requires_grad=True) for k in PARAMS}
    conv = F.conv2d(torch.from_numpy(inputs["x"]), params["w_conv"])
    act = F.relu(conv + params["b_conv"])
    pooled = F.max_pool2d(act, 2, 2)
    z = pooled.reshape(BATCH, FEATURES) @ params["W"] + params["b"]
    loss = F.cross_entropy(z, torch.from_numpy(inputs["labels"]))
    loss.backward()
    return {"loss": np.asarray(loss.item()), **{k: t.grad.numpy() for k, t in params.items()}}


WORKLOAD = Workload(
    name="W3",
    title=(
        f"CNN: conv {FILTERS}x{KERNEL}x{KERNEL} + ReLU + 2x2 max-pool + dense + softmax CE, "
        f"batch {BATCH}, {SIDE}x{SIDE}"
    ),
    n_ops=8,  # conv, bias add, relu, max_pool, reshape, matmul, add, loss
    make_inputs=make_inputs,
    floor=floor,
    autodiff=autodiff,
    torch=torch_autodiff,
    requires=("nnet.conv_nd", "nnet.max_pool", "nnet.relu", "nnet.softmax_crossentropy"),
    rtol=1e-7,
    atol=1e-10,
)
