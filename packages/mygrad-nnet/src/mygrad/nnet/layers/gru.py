"""The gated recurrent unit (GRU) layer, in pure NumPy (D8).

Every step is vectorised over the batch; only the recurrence loops, over time. The VJP
backpropagates through time (optionally truncated to ``bp_lim`` steps) and then forms
every parameter gradient for all steps at once.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, NamedTuple

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import shape_of
from .._numerics import stable_sigmoid

__all__ = ["gru"]

_WEIGHTS = ("Uz", "Wz", "bz", "Ur", "Wr", "br", "Uh", "Wh", "bh")


class _Trace(NamedTuple):
    """What the forward pass keeps for the VJP (in the working dtype)."""

    s: np.ndarray  # (T+1, N, D) hidden states, s[0] = s0
    z: np.ndarray  # (T, N, D) update gates
    r: np.ndarray  # (T, N, D) reset gates
    h: np.ndarray  # (T, N, D) candidate states
    w_eff: tuple[np.ndarray, np.ndarray, np.ndarray]  # Wz, Wr, Wh after dropout
    u_masks: np.ndarray | None  # (3, N, D) dropout masks on X@Uz, X@Ur, X@Uh
    w_masks: np.ndarray | None  # (3, D, D) dropout masks on Wz, Wr, Wh


def _dtypes(arrays: tuple[np.ndarray, ...]) -> tuple[np.dtype, np.dtype]:
    """The output dtype (the inputs' common dtype) and the dtype to compute in."""
    out = np.result_type(*arrays)
    if out.kind != "f":
        out = np.dtype(np.float64)
    return out, (np.dtype(np.float32) if out == np.float16 else out)


def _dropout_masks(dropout: float, n: int, d: int, dtype: np.dtype) -> tuple[Any, Any]:
    """Bernoulli keep-masks scaled by 1/(1-p): per batch row for the input projections
    (shared over time), and per weight for the hidden-to-hidden matrices."""
    if not dropout:
        return None, None
    keep = 1.0 - dropout
    u_masks = (np.random.binomial(1, keep, size=(3, n, d)) / keep).astype(dtype)
    w_masks = (np.random.binomial(1, keep, size=(3, d, d)) / keep).astype(dtype)
    return u_masks, w_masks


@defop(name="gru", arrays=10, saves=True)
def _gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, *, s0, bp_lim, dropout):
    """All hidden states (T+1, N, D) of a GRU run over X (T, N, C), starting from s0."""
    out_dtype, work = _dtypes((X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh))
    X = np.asarray(X, dtype=work)
    T, N, _ = X.shape
    D = np.shape(bz)[0]
    u_masks, w_masks = _dropout_masks(dropout, N, D, work)
    projections = []
    for gate, (U, b) in enumerate(((Uz, bz), (Ur, br), (Uh, bh))):
        p = np.tensordot(X, np.asarray(U, dtype=work), axes=1)
        if u_masks is not None:
            p *= u_masks[gate]
        p += np.asarray(b, dtype=work)
        projections.append(p)
    xz, xr, xh = projections
    w_eff = tuple(
        np.asarray(W, dtype=work) * (1 if w_masks is None else w_masks[gate])
        for gate, W in enumerate((Wz, Wr, Wh))
    )
    wz, wr, wh = w_eff
    s = np.empty((T + 1, N, D), dtype=work)
    s[0] = 0 if s0 is None else s0
    z, r, h = (np.empty((T, N, D), dtype=work) for _ in range(3))
    for t in range(T):
        z[t] = stable_sigmoid(xz[t] + s[t] @ wz)
        r[t] = stable_sigmoid(xr[t] + s[t] @ wr)
        h[t] = np.tanh(xh[t] + (r[t] * s[t]) @ wh)
        s[t + 1] = (1 - z[t]) * h[t] + z[t] * s[t]
    return s.astype(out_dtype, copy=False), _Trace(s, z, r, h, w_eff, u_masks, w_masks)


def _step_back(delta, z, r, h, s_prev, w_eff):
    """The pre-activation cotangents of one step (or of many, stacked on leading axes)
    given ``delta`` = dL/ds_t, and dL/ds_{t-1} through this step.

    s_t = (1-z) h + z s_{t-1};  z = σ(a_z);  r = σ(a_r);  h = tanh(a_h),
    a_z = .. + s_{t-1} Wz,  a_r = .. + s_{t-1} Wr,  a_h = .. + (r s_{t-1}) Wh
    """
    wz, wr, wh = w_eff
    da_z = delta * (s_prev - h) * z * (1 - z)
    da_h = delta * (1 - z) * (1 - h * h)
    d_rs = da_h @ wh.T  # dL/d(r * s_prev)
    da_r = d_rs * s_prev * r * (1 - r)
    ds_prev = delta * z + da_z @ wz.T + d_rs * r + da_r @ wr.T
    return da_z, da_r, da_h, ds_prev


def _state_grads(g: np.ndarray, trace: _Trace, limit: int) -> np.ndarray:
    """dL/ds_t for t = 1..T, each output's gradient carried back at most ``limit`` steps."""
    z, r, h, s_prev = trace.z, trace.r, trace.h, trace.s[:-1]
    total = g.copy()
    T = len(g)
    if limit >= T - 1:
        # full backpropagation through time: one sweep from the last step
        for t in range(T - 1, 0, -1):
            total[t - 1] += _step_back(total[t], z[t], r[t], h[t], s_prev[t], trace.w_eff)[3]
        return total
    # truncated: move every step's k-step-old contributions back one more step, `limit` times
    level = g
    for _ in range(limit):
        moved = _step_back(level[1:], z[1:], r[1:], h[1:], s_prev[1:], trace.w_eff)[3]
        level = np.concatenate([moved, np.zeros_like(g[:1])])
        total += level
    return total


@_gru.vjp
def _gru_vjp(g, out, X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, *, s0, bp_lim, dropout, saved, needs):
    trace: _Trace = saved
    work = trace.s.dtype
    T = X.shape[0]
    # out[0] is s0, a constant: its cotangent g[0] goes nowhere
    ds = _state_grads(np.asarray(g[1:], dtype=work), trace, T - 1 if bp_lim is None else bp_lim)
    s_prev = trace.s[:-1]
    da_z, da_r, da_h, _ = _step_back(ds, trace.z, trace.r, trace.h, s_prev, trace.w_eff)
    X = np.asarray(X, dtype=work)
    grads: list[Any] = [None] * 10
    # the input projections saw the dropout masks, so their cotangents do too
    projected = [da_z, da_r, da_h]
    if trace.u_masks is not None:
        projected = [d * m for d, m in zip(projected, trace.u_masks)]
    if needs[0]:
        grads[0] = sum(
            d @ np.asarray(U, dtype=work).T for d, U in zip(projected, (Uz, Ur, Uh))
        )
    hidden_inputs = (s_prev, s_prev, trace.r * s_prev)  # what Wz, Wr, Wh multiply
    for gate in range(3):
        u_at, w_at, b_at = 1 + 3 * gate, 2 + 3 * gate, 3 + 3 * gate
        pre = (da_z, da_r, da_h)[gate]
        if needs[u_at]:
            grads[u_at] = np.tensordot(X, projected[gate], axes=([0, 1], [0, 1]))
        if needs[w_at]:
            dw = np.tensordot(hidden_inputs[gate], pre, axes=([0, 1], [0, 1]))
            grads[w_at] = dw if trace.w_masks is None else dw * trace.w_masks[gate]
        if needs[b_at]:
            grads[b_at] = pre.sum(axis=(0, 1))
    return tuple(grads)


@_gru.frontend
def gru(
    X: Any,
    Uz: Any,
    Wz: Any,
    bz: Any,
    Ur: Any,
    Wr: Any,
    br: Any,
    Uh: Any,
    Wh: Any,
    bh: Any,
    s0: Any = None,
    bp_lim: int | None = None,
    dropout: float = 0.0,
    constant: bool | None = None,
) -> mg.Tensor:
    """Run a gated recurrent unit over the sequence ``X`` and return every hidden state.

    With X of shape (T, N, C), U* of shape (C, D), W* of shape (D, D) and b* of shape (D,)::

        z_t = sigmoid(X_t Uz + s_t Wz + bz)
        r_t = sigmoid(X_t Ur + s_t Wr + br)
        h_t = tanh(X_t Uh + (r_t * s_t) Wh + bh)
        s_{t+1} = (1 - z_t) * h_t + z_t * s_t

    The result has shape (T+1, N, D) with ``out[0] = s0`` (zeros by default) and the
    inputs' common dtype. ``s0`` must be an ndarray or a constant tensor (or any tensor
    when ``constant=True``), else ValueError. ``bp_lim`` (``0 <= bp_lim < T``) limits how
    many steps each state's gradient is carried back through time (default: all).
    ``dropout`` (``0 <= dropout < 1``) drops, with NumPy's global RNG, entries of the input
    projections X_t U* (one mask per batch row, shared over time) and of W*, scaling the
    kept ones by ``1 / (1 - dropout)``.

    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.nnet import gru
    >>> T, N, C, D = 5, 2, 3, 4
    >>> weights = [mg.tensor(np.full(shape, 0.1)) for shape in [(C, D), (D, D), (D,)] * 3]
    >>> s = gru(np.ones((T, N, C)), *weights)
    >>> s.shape
    (6, 2, 4)
    >>> s[-1].sum().backward()
    >>> weights[0].grad.shape
    (3, 4)
    """
    shapes = [shape_of(a) for a in (X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh)]
    _check_shapes(shapes)
    T, N, _ = shapes[0]
    D = shapes[3][0]
    if s0 is not None:
        if isinstance(s0, mg.Tensor):
            if not (s0.constant or constant):
                raise ValueError(
                    "gru does not differentiate the initial state: `s0` must be an ndarray or "
                    "a constant tensor"
                )
            s0 = s0.data
        elif not isinstance(s0, np.ndarray):
            raise ValueError(
                f"`s0` must be an ndarray or a constant tensor, got {type(s0).__name__}"
            )
        try:
            np.broadcast_to(s0, (N, D))
        except ValueError:
            raise ValueError(
                f"`s0` of shape {s0.shape} does not fit the states (N, D) = {(N, D)}"
            ) from None
    if bp_lim is not None:
        if isinstance(bp_lim, bool) or not isinstance(bp_lim, Integral):
            raise TypeError(f"`bp_lim` must be None or an int, got {bp_lim!r}")
        if not 0 <= bp_lim < max(T, 1):
            raise ValueError(f"`bp_lim` must satisfy 0 <= bp_lim < T = {T}, got {bp_lim}")
        bp_lim = int(bp_lim)
    if isinstance(dropout, bool) or not isinstance(dropout, Real) or not 0 <= dropout < 1:
        raise ValueError(f"`dropout` must be a number in [0, 1), got {dropout!r}")
    params = {"s0": s0, "bp_lim": bp_lim, "dropout": float(dropout)}
    return execute(_gru.op, (X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh), params, constant)


def _check_shapes(shapes: list[tuple[int, ...]]) -> None:
    x_shape = shapes[0]
    if len(x_shape) != 3:
        raise ValueError(f"`X` must have shape (T, N, C), got {x_shape}")
    named = dict(zip(_WEIGHTS, shapes[1:]))
    if len(named["bz"]) != 1:
        raise ValueError(f"`bz` must have shape (D,), got {named['bz']}")
    C, D = x_shape[2], named["bz"][0]
    expected = {"U": (C, D), "W": (D, D), "b": (D,)}
    for name, shape in named.items():
        if shape != expected[name[0]]:
            raise ValueError(
                f"`{name}` must have shape {expected[name[0]]} for X of shape {x_shape} and "
                f"D = {D}, got {shape}"
            )
