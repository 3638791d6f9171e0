"""W7: a GRU over T=30 steps, batch 16, 16 inputs, hidden size 32 (float64).

The loss weighs every hidden state, ``sum(s * V)`` for a fixed V, so the gradient flows back
through time from every step. The equations (as documented for mygrad.nnet.gru)::

    z_t = σ(X_t Uz + s_t Wz + bz)      r_t = σ(X_t Ur + s_t Wr + br)
    h_t = tanh(X_t Uh + (r_t * s_t) Wh + bh)      s_{t+1} = (1 - z_t) h_t + z_t s_t

The first call of each backend (in a fresh process, after the import) is reported too.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

import numpy as np

from ..workload import Arrays, Grads, Workload

T, N, C, D = 30, 16, 16, 32
WEIGHTS = ("Uz", "Wz", "bz", "Ur", "Wr", "br", "Uh", "Wh", "bh")


def make_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(13)
    shapes = {"U": (C, D), "W": (D, D), "b": (D,)}
    inputs = {"X": rng.normal(size=(T, N, C)), "V": rng.normal(size=(T + 1, N, D))}
    for name in WEIGHTS:
        inputs[name] = rng.normal(scale=0.3, size=shapes[name[0]])
    return inputs


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def floor(inputs: Arrays) -> Grads:
    X, V = inputs["X"], inputs["V"]
    Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh = (inputs[k] for k in WEIGHTS)
    # the input projections of all steps at once
    xz, xr, xh = (np.tensordot(X, U, axes=1) + b for U, b in ((Uz, bz), (Ur, br), (Uh, bh)))
    s = np.zeros((T + 1, N, D))
    z, r, h = np.empty((T, N, D)), np.empty((T, N, D)), np.empty((T, N, D))
    for t in range(T):
        z[t] = _sigmoid(xz[t] + s[t] @ Wz)
        r[t] = _sigmoid(xr[t] + s[t] @ Wr)
        h[t] = np.tanh(xh[t] + (r[t] * s[t]) @ Wh)
        s[t + 1] = (1.0 - z[t]) * h[t] + z[t] * s[t]
    loss = np.sum(s * V)
    # s[0] is a constant. Backward through time, keeping the pre-activation cotangents of
    # every step for the parameter gradients.
    da_z, da_r, da_h = np.empty((T, N, D)), np.empty((T, N, D)), np.empty((T, N, D))
    delta = V[T].copy()  # dL/ds_{t+1}, complete once all later steps are done
    for t in range(T - 1, -1, -1):
        da_z[t] = delta * (s[t] - h[t]) * z[t] * (1.0 - z[t])
        da_h[t] = delta * (1.0 - z[t]) * (1.0 - h[t] * h[t])
        d_rs = da_h[t] @ Wh.T  # dL/d(r_t * s_t)
        da_r[t] = d_rs * s[t] * r[t] * (1.0 - r[t])
        delta = V[t] + delta * z[t] + d_rs * r[t] + da_z[t] @ Wz.T + da_r[t] @ Wr.T
    s_prev = s[:-1]
    both = ([0, 1], [0, 1])
    grads = {"loss": loss}
    for gate, pre, hidden in (("z", da_z, s_prev), ("r", da_r, s_prev), ("h", da_h, r * s_prev)):
        grads["U" + gate] = np.tensordot(X, pre, axes=both)
        grads["W" + gate] = np.tensordot(hidden, pre, axes=both)
        grads["b" + gate] = pre.sum(axis=(0, 1))
    return grads


def autodiff(mg: ModuleType, inputs: Arrays) -> Grads:
    nnet = import_module("mygrad.nnet")
    weights = [mg.tensor(inputs[k]) for k in WEIGHTS]
    s = nnet.gru(inputs["X"], *weights)
    loss = mg.sum(s * inputs["V"])
    loss.backward()
    return {"loss": loss.data, **{k: w.grad for k, w in zip(WEIGHTS, weights)}}


def torch_autodiff(torch: ModuleType, inputs: Arrays) -> Grads:
    """The same equations written with torch ops (torch.nn.GRU places r differently)."""
    p = {k: torch.tensor(inputs[k], requires_grad=True) for k in WEIGHTS}
    X = torch.from_numpy(inputs["X"])
    xz, xr, xh = (X @ p["U" + g] + p["b" + g] for g in "zrh")
    s: Any = torch.zeros((N, D), dtype=torch.float64)
    states = [s]
    for t in range(T):
        z = torch.sigmoid(xz[t] + s @ p["Wz"])
        r = torch.sigmoid(xr[t] + s @ p["Wr"])
        h = torch.tanh(xh[t] + (r * s) @ p["Wh"])
        s = (1 - z) * h + z * s
        states.append(s)
    loss = (torch.stack(states) * torch.from_numpy(inputs["V"])).sum()
    loss.backward()
    return {"loss": np.asarray(loss.item()), **{k: p[k].grad.numpy() for k in WEIGHTS}}


WORKLOAD = Workload(
    name="W7",
    title=f"GRU, T={T}, batch {N}, {C} inputs, hidden {D}, loss sum(states * V)",
    n_ops=3,  # gru, multiply, sum
    make_inputs=make_inputs,
    floor=floor,
    autodiff=autodiff,
    torch=torch_autodiff,
    requires=("nnet.gru",),
    rtol=1e-8,
    atol=1e-11,
    # numba compiles upstream's gru in every fresh process (1-2 minutes here); the guard
    # makes no difference to a single fused op, so one upstream run is enough
    skip=(("upstream-guard-off", "numba would compile upstream's gru again"),),
)
