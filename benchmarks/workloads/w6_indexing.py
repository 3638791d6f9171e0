"""W6: array manipulation on (256, 256) float64: basic slicing, fancy indexing,
reshape and transpose, einsum, axis reductions and setitem, forward and backward.

    a = x[::2, 1::2]                    basic slice, a view (128, 128)
    b = a.reshape(64, 256)              reshape (a copy: a is strided)
    c = x[rows]                         fancy indexing, rows repeat (64, 256)
    d = w.T                             transpose, a view
    e = einsum("ij,jk->ik", b * c, d[:, :32])       (64, 32)
    t = x * w;  t[:64, :32] = e         setitem of a variable into a variable
    loss = sum(t.sum(axis=0) * t.max(axis=1))
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from ..workload import Arrays, Grads, Workload

N = 256


def make_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    return {
        "x": rng.normal(size=(N, N)),
        "w": rng.normal(size=(N, N)),
        "rows": rng.integers(0, N, size=64),
    }


def forward(x: Any, w: Any, rows: np.ndarray, einsum: Any) -> Any:
    a = x[::2, 1::2]
    b = a.reshape(64, 256)
    c = x[rows]
    d = w.T
    e = einsum("ij,jk->ik", b * c, d[:, :32])
    t = x * w
    t[:64, :32] = e
    return (t.sum(axis=0) * t.max(axis=1)).sum()


def floor(inputs: Arrays) -> Grads:
    x, w, rows = inputs["x"], inputs["w"], inputs["rows"]
    b = x[::2, 1::2].reshape(64, 256)
    c = x[rows]
    bc = b * c
    d32 = w.T[:, :32]
    e = np.einsum("ij,jk->ik", bc, d32)
    t = x * w
    t[:64, :32] = e
    col_sums, row_max = t.sum(axis=0), t.max(axis=1)
    loss = np.sum(col_sums * row_max)
    g_t = np.broadcast_to(row_max, t.shape).copy()  # d col_sums[i] / d t[:, i] = 1
    g_t[np.arange(N), t.argmax(axis=1)] += col_sums  # row i's max gets col_sums[i]
    g_e = g_t[:64, :32].copy()
    g_t[:64, :32] = 0.0  # those entries of x * w were overwritten
    g_x = g_t * w
    g_w = g_t * x
    g_bc = g_e @ d32.T
    g_w[:32, :] += (bc.T @ g_e).T  # d = w.T: d[:, :32] is w[:32, :].T
    _scatter_add_rows(g_x, rows, g_bc * b)
    g_x[::2, 1::2] += (g_bc * c).reshape(128, 128)
    return {"loss": loss, "x": g_x, "w": g_w}


def _scatter_add_rows(target: np.ndarray, rows: np.ndarray, values: np.ndarray) -> None:
    """``np.add.at(target, rows, values)`` by one sort and ``reduceat``: the rows of values
    sorted by destination, each run of equal destinations summed, added once per row
    (faster than np.add.at; the issue's floors are written this way)."""
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
    target[sorted_rows[starts]] += np.add.reduceat(values[order], starts, axis=0)


def autodiff(mg: ModuleType, inputs: Arrays) -> Grads:
    # no copies of the inputs: the floor makes none either (as in W4)
    x, w = mg.tensor(inputs["x"], copy=False), mg.tensor(inputs["w"], copy=False)
    loss = forward(x, w, inputs["rows"], mg.einsum)
    loss.backward()
    return {"loss": loss.data, "x": x.grad, "w": w.grad}


def torch_autodiff(torch: ModuleType, inputs: Arrays) -> Grads:
    x = torch.from_numpy(inputs["x"]).requires_grad_()
    w = torch.from_numpy(inputs["w"]).requires_grad_()
    rows = torch.from_numpy(inputs["rows"])
    # forward() in torch's spelling: max over a dim returns (values, indices)
    b = x[::2, 1::2].reshape(64, 256)
    e = torch.einsum("ij,jk->ik", b * x[rows], w.T[:, :32])
    t = x * w
    t[:64, :32] = e
    loss = (t.sum(dim=0) * t.max(dim=1).values).sum()
    loss.backward()
    return {"loss": np.asarray(loss.item()), "x": x.grad.numpy(), "w": w.grad.numpy()}


WORKLOAD = Workload(
    name="W6",
    title="slicing, fancy indexing, reshape/transpose, einsum, axis reductions, setitem on "
    f"({N}, {N}) float64",
    n_ops=13,
    make_inputs=make_inputs,
    floor=floor,
    autodiff=autodiff,
    torch=torch_autodiff,
    rtol=1e-9,
    atol=1e-12,
)
