"""The gated recurrent unit (GRU) layer, in pure NumPy (D8).

Every step is vectorised over the batch; only the recurrence loops, over time, writing
into preallocated arrays. The recurrence is computed "feature-major": each step's states,
gates and cotangents are (D, N) blocks (the transposes of the (N, D) rows of the math), so
that every block a step touches, including one gate of a stacked pair, is contiguous. A
small element-wise NumPy call on a contiguous block costs a fraction of one on a strided
view, and the loop is made of such calls. The three gates share stacked weights (one input
projection for all steps and gates; one hidden product per step for z and r together).
The VJP backpropagates through time (optionally truncated to ``bp_lim`` steps), keeping
each step's pre-activation cotangents, and then forms every parameter gradient as one
matrix product over all steps.
"""

from __future__ import annotations

from itertools import chain, cycle
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
    """What the forward pass keeps for the VJP, feature-major and in the working dtype."""

    s: np.ndarray  # (T+1, D, N) hidden states, s[0] = s0
    zr: np.ndarray  # (T, 2D, N) update gates z (rows :D), then reset gates r
    h: np.ndarray  # (T, D, N) candidate states
    w_zr: np.ndarray  # (D, 2D) Wz | Wr after dropout
    wh: np.ndarray  # (D, D) Wh after dropout
    u_mask: np.ndarray | None  # (3D, N) dropout masks on the projections by Uz, Ur, Uh
    w_masks: np.ndarray | None  # (3, D, D) dropout masks on Wz, Wr, Wh
    # (T, 3D, N) the input projections' buffer, dead after the forward: the VJP's workspace
    # (fresh pages cost page faults; the VJP never writes what it reads, so may run again)
    spare: np.ndarray


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


def _stacked_rows(arrays: tuple[Any, ...], work: np.dtype, negate: int) -> np.ndarray:
    """The same-length arrays concatenated along axis 0, the first ``negate`` of them negated."""
    stacked = np.concatenate(arrays, axis=0, dtype=work)
    rows = len(stacked) // len(arrays) * negate
    np.negative(stacked[:rows], out=stacked[:rows])
    return stacked


@defop(name="gru", arrays=10, saves=True)
def _gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, *, s0, bp_lim, dropout):
    """All hidden states (T+1, N, D) of a GRU run over X (T, N, C), starting from s0."""
    out_dtype, work = _dtypes((X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh))
    X = np.asarray(X, dtype=work)
    T, N, C = X.shape
    D = np.shape(bz)[0]
    u_masks, w_masks = _dropout_masks(dropout, N, D, work)
    # The sigmoid gates are computed from their negated pre-activations (saving a pass per
    # step), which cost nothing extra to form: -a = (-W)^T s_t + (-U)^T X_t - b. So the
    # input projections of all steps and gates, (T, 3D, N), are -z | -r | h.
    u_rows = _stacked_rows((Uz.T, Ur.T, Uh.T), work, negate=2)  # (3D, C)
    proj = np.matmul(u_rows, X.transpose(0, 2, 1))
    u_mask = None
    if u_masks is not None:
        u_mask = u_masks.transpose(0, 2, 1).reshape(3 * D, N)
        proj *= u_mask
    proj += _stacked_rows((bz, br, bh), work, negate=2)[:, None]
    wz, wr, wh = (
        np.asarray(W, dtype=work) * (1 if w_masks is None else w_masks[gate])
        for gate, W in enumerate((Wz, Wr, Wh))
    )
    w_zr = np.concatenate([wz, wr], axis=1)  # both sigmoid gates in one product per step
    neg_w_zr_t = np.negative(w_zr.T, order="C")  # (2D, D)
    wh_t = wh.T
    s = np.empty((T + 1, D, N), dtype=work)
    s[0].T[...] = 0 if s0 is None else s0
    zr = np.empty((T, 2 * D, N), dtype=work)
    h = np.empty((T, D, N), dtype=work)
    rs_t = np.empty((D, N), dtype=work)  # r * s_t, what Wh multiplies (recomputed by the VJP)
    float64 = work == np.float64
    # every step writes into the preallocated arrays (`out=`): no temporaries in the loop;
    # iterating over the arrays hands out each step's blocks more cheaply than indexing
    steps = zip(s[:-1], s[1:], zr, zr[:, :D], zr[:, D:], h, proj[:, : 2 * D], proj[:, 2 * D :])
    with np.errstate(over="ignore"):  # see sigmoid_in_place
        for s_t, s_next, zr_t, z_t, r_t, h_t, p_zr, p_h in steps:
            np.dot(neg_w_zr_t, s_t, out=zr_t)  # (np.dot: less call overhead than matmul)
            zr_t += p_zr
            if float64:  # sigmoid_in_place(zr_t, negated=True), inlined
                np.exp(zr_t, out=zr_t)
                zr_t += 1
                np.reciprocal(zr_t, out=zr_t)
            else:
                sigmoid_in_place(zr_t, negated=True)
            np.multiply(r_t, s_t, out=rs_t)
            np.dot(wh_t, rs_t, out=h_t)
            h_t += p_h
            np.tanh(h_t, out=h_t)
            # s_{t+1} = (1 - z) h + z s_t = h + z (s_t - h)
            np.subtract(s_t, h_t, out=s_next)
            s_next *= z_t
            s_next += h_t
    trace = _Trace(s, zr, h, w_zr, wh, u_mask, w_masks, spare=proj)
    return s.transpose(0, 2, 1).astype(out_dtype, order="C"), trace


class _Local(NamedTuple):
    """The parts of each step's derivatives that do not depend on the incoming cotangent
    delta = dL/ds_{t+1}, for all steps at once (T, D, N), each step's block contiguous:

    s_{t+1} = (1-z) h + z s_t;  z = σ(a_z);  r = σ(a_r);  h = tanh(a_h),
    a_z = .. + s_t Wz,  a_r = .. + s_t Wr,  a_h = .. + (r s_t) Wh
    """

    dz: np.ndarray  # da_z = delta * dz
    dr: np.ndarray  # da_r = d(r s_t) * dr, with d(r s_t) = Wh da_h (feature-major)
    dh: np.ndarray  # da_h = delta * dh
    zr: np.ndarray  # dL/ds_t = delta z + d(r s_t) r + Wz da_z + Wr da_r
    buffer: np.ndarray  # (T, 3D, N) holding dz | dr | dh, free for reuse after the sweep


def _local_derivatives(trace: _Trace, scratch: np.ndarray) -> _Local:
    """All in the trace's spare buffer, in place; ``scratch`` (T, D, N) may be overwritten."""
    T, D, N = trace.h.shape
    zr, h, s_prev = trace.zr, trace.h, trace.s[:-1]
    buffer = trace.spare
    sig, dh = buffer[:, : 2 * D], buffer[:, 2 * D :]
    np.subtract(1, zr, out=sig)
    np.multiply(h, h, out=dh)
    np.subtract(1, dh, out=dh)
    dh *= sig[:, :D]  # (1 - z) (1 - h²)
    sig *= zr  # σ' of both gates
    dz, dr = sig[:, :D], sig[:, D:]
    dz *= np.subtract(s_prev, h, out=scratch)
    dr *= s_prev
    return _Local(dz, dr, dh, zr, buffer)


def _full_bptt(g: np.ndarray, local: _Local, trace: _Trace, da: np.ndarray) -> None:
    """Write into da (T, 3D, N) the cotangents of the gates' pre-activations, rows
    z | r | h, given g (T+1, N, D), the output's cotangent, carried back through all
    steps. Each step makes 9 NumPy calls on contiguous (·, N) blocks."""
    T, D, N = trace.h.shape
    # two (2D, N) buffers take turns: rows :D hold delta = dL/ds_{t+1}, rows D: d(r s_t),
    # so that one product with zr_t gives both delta z and d(r s_t) r
    carry = np.empty((2, 2 * D, N), dtype=da.dtype)
    turns = [(carry[i], carry[i, :D], carry[i, D:], carry[1 - i, :D]) for i in (0, 1)]
    if T:
        carry[0, :D] = g[T].T
    # Step t reads g[t], feature-major, after writing da[t] and before da[t-1]: so g[1:T]
    # waits in da[:T-1]'s rows h (a fresh copy of g would cost page faults). g[0] is the
    # cotangent of s0, a constant: it goes nowhere.
    waiting = da[:-1, 2 * D :]
    np.copyto(waiting, g[1:T].transpose(0, 2, 1), casting="same_kind")
    both = np.empty((2 * D, N), dtype=da.dtype)
    both_z, both_r = both[:D], both[D:]
    wh, w_zr = trace.wh, trace.w_zr
    # iterating over the arrays hands out each step's blocks more cheaply than indexing
    steps = zip(
        range(T - 1, -1, -1), cycle(turns), chain(waiting[::-1], [None]),
        da[::-1, :D], da[::-1, D : 2 * D], da[::-1, 2 * D :], da[::-1, : 2 * D],
        local.dz[::-1], local.dr[::-1], local.dh[::-1], local.zr[::-1],
    )  # fmt: skip
    for t, (cur, delta, d_rs, new), g_t, da_z, da_r, da_h, da_zr, dz, dr, dh, zr in steps:
        np.multiply(delta, dz, out=da_z)
        np.multiply(delta, dh, out=da_h)
        np.dot(wh, da_h, out=d_rs)
        np.multiply(d_rs, dr, out=da_r)
        if not t:
            break  # s_0 is a constant: its cotangent goes nowhere
        np.dot(w_zr, da_zr, out=new)
        np.multiply(cur, zr, out=both)
        new += both_z
        new += both_r
        new += g_t


def _step_back(delta, local: _Local, trace: _Trace, t: Any) -> tuple[np.ndarray, np.ndarray]:
    """The pre-activation cotangents (..., 3D, N) of the step(s) ``t`` (an index or a
    slice) given ``delta`` = dL/ds_{t+1}, and dL/ds_t through these steps."""
    D = delta.shape[-2]
    da_z, da_h = delta * local.dz[t], delta * local.dh[t]
    d_rs = np.matmul(trace.wh, da_h)
    da_r = d_rs * local.dr[t]
    da = np.concatenate([da_z, da_r, da_h], axis=-2)
    zr = local.zr[t]
    ds = delta * zr[..., :D, :]
    ds += d_rs * zr[..., D:, :]
    ds += np.matmul(trace.w_zr, da[..., : 2 * D, :])
    return da, ds


def _truncated_bptt(
    g: np.ndarray, local: _Local, trace: _Trace, limit: int, da: np.ndarray
) -> None:
    """As _full_bptt, each output cotangent carried back at most ``limit`` steps: move every
    step's k-step-old contributions back one more step, ``limit`` times, then take all
    steps' pre-activation cotangents at once."""
    ds = g[1:]  # ds[t] = dL/ds_{t+1}
    total = ds.copy()
    level = ds
    for _ in range(limit):
        _, moved = _step_back(level[1:], local, trace, slice(1, None))
        level = np.concatenate([moved, np.zeros_like(ds[:1])])
        total += level
    da[...], _ = _step_back(total, local, trace, slice(None))


@_gru.vjp
def _gru_vjp(g, out, X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, *, s0, bp_lim, dropout, saved, needs):
    trace: _Trace = saved
    work = trace.s.dtype
    T, N, C = X.shape
    D = trace.h.shape[1]
    g = np.asarray(g)
    da = np.empty((T, 3 * D, N), dtype=work)
    # scratch until the sweep: the local derivatives use da's rows h, then _full_bptt
    local = _local_derivatives(trace, scratch=da[:, 2 * D :])
    if bp_lim is None or bp_lim >= T - 1:
        _full_bptt(g, local, trace, da)
    else:
        g = g.transpose(0, 2, 1).astype(work, order="C")  # (T+1, D, N)
        _truncated_bptt(g, local, trace, bp_lim, da)
    # Few and small temporaries (fresh pages cost page faults): all steps side by side,
    # (3D, T*N) rows z | r | h, go into the local derivatives' buffer, dead now; and
    # r * s_prev for Wh's gradient, as (T*N, D) rows, into da's, dead after that.
    da_cols = local.buffer.reshape(3 * D, T, N)
    np.copyto(da_cols, da.transpose(1, 0, 2))
    da_cols = da_cols.reshape(3 * D, T * N)
    projected = da_cols
    if trace.u_mask is not None:  # the input projections saw the dropout masks
        projected = (da_cols.reshape(3 * D, T, N) * trace.u_mask[:, None]).reshape(3 * D, -1)
    grads: list[Any] = [None] * 10
    gates = [slice(0, D), slice(D, 2 * D), slice(2 * D, 3 * D)]
    if needs[0]:
        u = np.concatenate([Uz, Ur, Uh], axis=1, dtype=work)
        grads[0] = (projected.T @ u.T).reshape(T, N, C)
    x_rows = np.asarray(X, dtype=work).reshape(T * N, C)
    for at, gate in zip((1, 4, 7), gates):
        if needs[at]:
            grads[at] = x_rows.T @ projected[gate].T
    if needs[2] or needs[5]:
        if out.dtype == work:  # the output holds the states as (T*N, D) rows already
            s_rows = out[:-1].reshape(T * N, D)
        else:
            s_rows = trace.s[:-1].transpose(0, 2, 1).reshape(T * N, D)
        for at, gate in zip((2, 5), gates):
            if needs[at]:
                grads[at] = s_rows.T @ da_cols[gate].T
    if needs[8]:
        rs_rows = da.reshape(-1)[: T * N * D].reshape(T, N, D)
        zr, s_prev = trace.zr.transpose(0, 2, 1), trace.s[:-1].transpose(0, 2, 1)
        np.multiply(zr[..., D:], s_prev, out=rs_rows)
        grads[8] = rs_rows.reshape(T * N, D).T @ da_cols[2 * D :].T
    if trace.w_masks is not None:
        for gate, at in enumerate((2, 5, 8)):
            if grads[at] is not None:
                grads[at] = grads[at] * trace.w_masks[gate]
    if needs[3] or needs[6] or needs[9]:
        db = da_cols.sum(axis=1)
        for at, gate in zip((3, 6, 9), gates):
            if needs[at]:
                grads[at] = db[gate].copy()  # its own array, not a view of all three
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
