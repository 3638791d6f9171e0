"""The gated recurrent unit (GRU) layer, in pure NumPy (D8).

Every step is vectorised over the batch; only the recurrence loops, over time, writing
into preallocated arrays. The three gates share stacked weights (one input projection
for all steps and gates; one hidden product per step for z and r together). The VJP
backpropagates through time (optionally truncated to ``bp_lim`` steps), keeping each
step's pre-activation cotangents, and then forms every parameter gradient as one
matrix product over all steps.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, NamedTuple

import numpy as np

import mygrad as mg
from mygrad.extend import defop, execute

from .._checks import shape_of
from .._numerics import sigmoid_in_place

__all__ = ["gru"]

_WEIGHTS = ("Uz", "Wz", "bz", "Ur", "Wr", "br", "Uh", "Wh", "bh")


class _Trace(NamedTuple):
    """What the forward pass keeps for the VJP (in the working dtype). The three gates'
    input projections are stacked on the last axis in the order z, r, h."""

    s: np.ndarray  # (T+1, N, D) hidden states, s[0] = s0
    zr: np.ndarray  # (T, N, 2D) update gates z, then reset gates r
    h: np.ndarray  # (T, N, D) candidate states
    rs: np.ndarray  # (T, N, D) r * s_prev, what Wh multiplies
    u: np.ndarray  # (C, 3D) Uz | Ur | Uh
    w_zr: np.ndarray  # (D, 2D) Wz | Wr after dropout
    wh: np.ndarray  # (D, D) Wh after dropout
    u_mask: np.ndarray | None  # (N, 3D) dropout masks on X@Uz | X@Ur | X@Uh
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
    T, N, C = X.shape
    D = np.shape(bz)[0]
    u_masks, w_masks = _dropout_masks(dropout, N, D, work)
    # The sigmoid gates are computed from their negated pre-activations (saving a pass per
    # step), which cost nothing extra to form: -a = s_t (-W) + X_t (-U) - b. So the input
    # projections of all steps and gates, one (T*N, C) @ (C, 3D) product, are -z | -r | h.
    u = np.concatenate([Uz, Ur, Uh], axis=1, dtype=work)
    signs = np.repeat(np.array([-1, -1, 1], dtype=work), D)
    proj = (X.reshape(T * N, C) @ (u * signs)).reshape(T, N, 3 * D)
    u_mask = None if u_masks is None else np.concatenate(u_masks, axis=1)
    if u_mask is not None:
        proj *= u_mask
    proj += np.concatenate([bz, br, bh], dtype=work) * signs
    wz, wr, wh = (
        np.asarray(W, dtype=work) * (1 if w_masks is None else w_masks[gate])
        for gate, W in enumerate((Wz, Wr, Wh))
    )
    w_zr = np.concatenate([wz, wr], axis=1)  # both sigmoid gates in one product per step
    neg_w_zr = np.negative(w_zr)
    s = np.empty((T + 1, N, D), dtype=work)
    s[0] = 0 if s0 is None else s0
    zr = np.empty((T, N, 2 * D), dtype=work)
    h = np.empty((T, N, D), dtype=work)
    rs = np.empty((T, N, D), dtype=work)
    # every step writes into the preallocated arrays (`out=`): no temporaries in the loop
    with np.errstate(over="ignore"):  # see sigmoid_in_place
        for t in range(T):
            s_t, zr_t, h_t, rs_t, s_next = s[t], zr[t], h[t], rs[t], s[t + 1]
            np.matmul(s_t, neg_w_zr, out=zr_t)
            zr_t += proj[t, :, : 2 * D]
            sigmoid_in_place(zr_t, negated=True)
            np.multiply(zr_t[:, D:], s_t, out=rs_t)
            np.matmul(rs_t, wh, out=h_t)
            h_t += proj[t, :, 2 * D :]
            np.tanh(h_t, out=h_t)
            # s_{t+1} = (1 - z) h + z s_t = h + z (s_t - h)
            np.subtract(s_t, h_t, out=s_next)
            s_next *= zr_t[:, :D]
            s_next += h_t
    trace = _Trace(s, zr, h, rs, u, w_zr, wh, u_mask, w_masks)
    return s.astype(out_dtype, copy=False), trace


class _Local(NamedTuple):
    """The parts of each step's derivatives that do not depend on the incoming cotangent
    delta = dL/ds_{t+1}, for all steps at once (T, N, D):

    s_{t+1} = (1-z) h + z s_t;  z = σ(a_z);  r = σ(a_r);  h = tanh(a_h),
    a_z = .. + s_t Wz,  a_r = .. + s_t Wr,  a_h = .. + (r s_t) Wh
    """

    dz: np.ndarray  # da_z = delta * dz
    dh: np.ndarray  # da_h = delta * dh
    dr: np.ndarray  # da_r = d(r s_t) * dr, with d(r s_t) = da_h Wh^T
    z: np.ndarray  # dL/ds_t = delta z + d(r s_t) r + da_z Wz^T + da_r Wr^T
    r: np.ndarray


def _local_derivatives(trace: _Trace) -> _Local:
    # in place where possible: three (T, N, ·) arrays instead of one per term
    D = trace.h.shape[-1]
    zr, h, s_prev = trace.zr, trace.h, trace.s[:-1]
    sig = 1 - zr
    dh = h * h
    np.subtract(1, dh, out=dh)
    dh *= sig[..., :D]  # (1 - z) (1 - h²)
    sig *= zr  # σ' of both gates
    dz, dr = sig[..., :D], sig[..., D:]
    s_minus_h = np.subtract(s_prev, h)
    dz *= s_minus_h
    dr *= s_prev
    return _Local(dz, dh, dr, zr[..., :D], zr[..., D:])


def _step_back(delta, t, local: _Local, trace: _Trace, da, carry=True):
    """Write into ``da`` (..., N, 3D) the pre-activation cotangents of step(s) ``t`` (an
    index or a slice) given ``delta`` = dL/ds_{t+1}; return dL/ds_t through these steps
    (None unless ``carry``)."""
    D = delta.shape[-1]
    np.multiply(delta, local.dz[t], out=da[..., :D])
    da_h = da[..., 2 * D :]
    np.multiply(delta, local.dh[t], out=da_h)
    d_rs = da_h @ trace.wh.T
    np.multiply(d_rs, local.dr[t], out=da[..., D : 2 * D])
    if not carry:
        return None
    ds = delta * local.z[t]
    d_rs *= local.r[t]
    ds += d_rs
    ds += da[..., : 2 * D] @ trace.w_zr.T
    return ds


def _pre_activation_grads(ds: np.ndarray, trace: _Trace, limit: int) -> np.ndarray:
    """da (T, N, 3D): the cotangents of the gates' pre-activations, given ds[t] = the
    output's cotangent at s_{t+1}, each carried back through time at most ``limit`` steps."""
    T, N, D = ds.shape
    local = _local_derivatives(trace)
    da = np.empty((T, N, 3 * D), dtype=ds.dtype)
    if limit >= T - 1:
        # full backpropagation through time: one sweep from the last step
        delta = ds[T - 1] if T else None
        for t in range(T - 1, 0, -1):
            delta = _step_back(delta, t, local, trace, da[t])
            delta += ds[t - 1]
        if T:
            _step_back(delta, 0, local, trace, da[0], carry=False)
        return da
    # truncated: move every step's k-step-old contributions back one more step, `limit`
    # times, then take all steps' pre-activation cotangents at once
    total = ds.copy()
    level = ds
    scratch = da[1:]
    for _ in range(limit):
        moved = _step_back(level[1:], slice(1, None), local, trace, scratch)
        level = np.concatenate([moved, np.zeros_like(ds[:1])])
        total += level
    _step_back(total, slice(None), local, trace, da, carry=False)
    return da


@_gru.vjp
def _gru_vjp(g, out, X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, *, s0, bp_lim, dropout, saved, needs):
    trace: _Trace = saved
    work = trace.s.dtype
    T, N, C = X.shape
    D = trace.h.shape[-1]
    # out[0] is s0, a constant: its cotangent g[0] goes nowhere
    ds = np.asarray(g[1:], dtype=work)
    da = _pre_activation_grads(ds, trace, T - 1 if bp_lim is None else bp_lim)
    da = da.reshape(T * N, 3 * D)
    # the input projections saw the dropout masks, so their cotangents do too
    projected = da if trace.u_mask is None else (da.reshape(T, N, 3 * D) * trace.u_mask)
    projected = projected.reshape(T * N, 3 * D)
    grads: list[Any] = [None] * 10
    if needs[0]:
        grads[0] = (projected @ trace.u.T).reshape(T, N, C)
    gates = [slice(0, D), slice(D, 2 * D), slice(2 * D, 3 * D)]
    if needs[1] or needs[4] or needs[7]:
        du = np.asarray(X, dtype=work).reshape(T * N, C).T @ projected
        grads[1], grads[4], grads[7] = (du[:, gate] for gate in gates)
    if needs[2] or needs[5]:
        dw_zr = trace.s[:-1].reshape(T * N, D).T @ da[:, : 2 * D]
        grads[2], grads[5] = dw_zr[:, :D], dw_zr[:, D:]
    if needs[8]:
        grads[8] = trace.rs.reshape(T * N, D).T @ da[:, 2 * D :]
    if trace.w_masks is not None:
        for gate, at in enumerate((2, 5, 8)):
            if grads[at] is not None:
                grads[at] = grads[at] * trace.w_masks[gate]
    if needs[3] or needs[6] or needs[9]:
        db = da.sum(axis=0)
        grads[3], grads[6], grads[9] = (db[gate].copy() for gate in gates)
    for at in range(1, 10):
        # keep only the gradients asked for, each in its own contiguous array
        grads[at] = np.ascontiguousarray(grads[at]) if needs[at] else None
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
