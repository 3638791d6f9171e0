"""Lazy cotangents (getitem's sparse Scatter, Negated), VJPs that overwrite a cotangent
nothing else refers to (scratch), and setitem writing into an array only its tensor sees:
random programs over indexing, setitem, negation and products must give the gradients of
an independent plain tape over NumPy, whichever intermediate tensors are still alive, and
must never write into an array that someone can see."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
import mygrad._inplace as inplace

ROWS = [1, 1, 0, 3, 1, 2]  # fancy rows, repeated (padded to N with row 2 below)


def _rows(n):
    return np.array((ROWS + [2] * n)[:n])


def _mg_forward(name, a, b, n):
    if name == "add":
        return a + b
    if name == "subtract":
        return a - b
    if name == "multiply":
        return a * b
    if name == "negative":
        return -a
    if name == "transpose":
        return a.T
    if name == "rows":
        return a[_rows(n)]
    if name == "band":
        return b + a[1:2]
    if name == "tslice":
        return b + a.T[:, 2:3]
    t = a * b
    if name == "set":
        t[0:2, 1:3] = b[2:4, 0:2]
    else:  # "setfancy": rows 0 and 2 overwritten, row 0 twice (the last write wins)
        t[[0, 0, 2]] = b[[1, 2, 3]]
    return t


def _np_forward(name, a, b, n):
    if name in ("set", "setfancy"):
        t = a * b
        if name == "set":
            t[0:2, 1:3] = b[2:4, 0:2]
        else:
            t[[0, 0, 2]] = b[[1, 2, 3]]
        return t
    return {
        "add": lambda: a + b,
        "subtract": lambda: a - b,
        "multiply": lambda: a * b,
        "negative": lambda: -a,
        "transpose": lambda: a.T.copy(),
        "rows": lambda: a[_rows(n)],
        "band": lambda: b + a[1:2],
        "tslice": lambda: b + a.T[:, 2:3],
    }[name]()


def _np_vjp(name, g, a, b, n):
    """Reference cotangents of (a, b) for the ops beyond arithmetic (the tape in
    conftest.py has those), written independently of mygrad's VJPs."""
    if name == "transpose":
        return g.T, None
    if name == "rows":
        ga = np.zeros_like(a)
        for k, r in enumerate(_rows(n)):
            ga[r] += g[k]
        return ga, None
    if name == "band":
        ga = np.zeros_like(a)
        ga[1] = g.sum(axis=0)
        return ga, g
    if name == "tslice":
        ga = np.zeros_like(a)
        ga[2, :] = g.sum(axis=1)  # a.T[:, 2] is a[2, :]
        return ga, g
    gt = g.copy()
    gb_extra = np.zeros_like(b)
    if name == "set":
        gt[0:2, 1:3] = 0
        gb_extra[2:4, 0:2] = g[0:2, 1:3]
    else:
        gt[[0, 2]] = 0
        gb_extra[2] = g[0]  # b[2] was the last write to row 0
        gb_extra[3] = g[2]
    return gt * b, gt * a + gb_extra


UNARY = ("negative", "transpose", "rows")
BINARY = ("add", "subtract", "multiply", "band", "tslice", "set", "setfancy")
SPARSE = ("rows", "band", "tslice")  # drawn twice as often: sparse terms meet each other


def _reference(numpy_tape, program, x, y, seed, n):
    return numpy_tape(
        program,
        x,
        y,
        seed,
        lambda name, a, b: _np_forward(name, a, b, n),
        lambda name, g, a, b: _np_vjp(name, g, a, b, n),
    )


@st.composite
def programs(draw):
    program = []
    for k in range(draw(st.integers(1, 8))):
        n = 2 + k
        name = draw(st.sampled_from(UNARY + BINARY + SPARSE))
        i = draw(st.integers(0, n - 1))
        j = draw(st.one_of(st.just(i), st.integers(0, n - 1)))  # often one operand twice
        program.append((name, i, j))
    return program


@settings(max_examples=150, deadline=None)
@given(
    program=programs(),
    n=st.sampled_from([4, 128]),  # 128 x 128 float64: large enough for in-place sums
    keep=st.booleans(),
    guard=st.booleans(),
)
def test_gradients_match_a_plain_tape(numpy_tape, program, n, keep, guard):
    rng = np.random.default_rng(3)
    x_np = rng.integers(-3, 4, (n, n)).astype(float)  # integers: sums are exact
    y_np = rng.integers(-3, 4, (n, n)).astype(float)
    seed = rng.integers(-3, 4, (n, n)).astype(float)
    values, expected = _reference(numpy_tape, program, x_np, y_np, seed, n)

    with mg.mem_guard_on if guard else mg.mem_guard_off:
        x, y = mg.tensor(x_np), mg.tensor(y_np)
        tensors = [x, y]
        for name, i, j in program:
            tensors.append(_mg_forward(name, tensors[i], tensors[j], n))
        kept = tensors if keep else [x, y, tensors[-1]]
        kept_values = [t.data.copy() for t in kept]
        seed_before = seed.copy()
        out = tensors[-1]
        if not keep:
            del tensors
        out.backward(seed)

    np.testing.assert_array_equal(seed, seed_before)
    for t, v in zip(kept, kept_values):
        np.testing.assert_array_equal(t.data, v)  # nothing anyone can see was written
    refs = range(len(values)) if keep else (0, 1, len(values) - 1)
    for t, k in zip(kept, refs):
        np.testing.assert_array_equal(t.data, values[k])
        if t.base is not None:
            continue  # a view's grad follows its base's (MyGrad's view semantics)
        if expected[k] is None:
            assert t.grad is None
        else:
            assert type(t.grad) is np.ndarray
            np.testing.assert_array_equal(t.grad, expected[k])
    grads = [t.grad for t in kept if t.grad is not None and t.base is None]
    for a in range(len(grads)):
        for b in range(a + 1, len(grads)):
            assert not np.shares_memory(grads[a], grads[b])
        for t in kept:
            assert not np.shares_memory(grads[a], t.data)


def test_sparse_cotangents_add_into_every_other_term():
    # x reaches the loss through two getitems (one a fancy index with repeats), a
    # transposed getitem and an elementwise op: every term must arrive exactly once
    rng = np.random.default_rng(1)
    xs = rng.integers(-3, 4, size=(5, 4)).astype(float)
    x = mg.tensor(xs)
    loss = (x[[0, 0, 2]] * 2).sum() + (x[1:3] * 3).sum() + (x.T[:2] * 5).sum() + (x * x).sum()
    loss.backward()
    expected = 2 * xs
    np.add.at(expected, [0, 0, 2], 2.0)
    expected[1:3] += 3
    expected[:, :2] += 5
    np.testing.assert_array_equal(x.grad, expected)


def test_a_getitem_gradient_alone_is_dense_zeros_elsewhere():
    x = mg.tensor(np.ones((3, 4)))
    y = x.T  # a live view: its grad is stored, so the sparse cotangent is materialised
    y[1:, :2].sum().backward()
    expected = np.zeros((3, 4))
    expected[:2, 1:] = 1
    np.testing.assert_array_equal(x.grad, expected)
    np.testing.assert_array_equal(y.grad, expected.T)


def test_a_getitem_of_another_dtype_and_under_anomaly_checks():
    x = mg.tensor(np.ones((3, 4), dtype=np.float32))
    (x[1:] * np.float64(2.0)).sum().backward(np.float64(1.0))
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [[0] * 4, [2] * 4, [2] * 4])
    with mg.detect_anomaly:
        x = mg.tensor(np.ones((3, 4)))
        (x[1:].sum() + x[:, 0].sum()).backward()
    np.testing.assert_array_equal(x.grad, [[1, 0, 0, 0], [2, 1, 1, 1], [2, 1, 1, 1]])


def _count_in_place(monkeypatch):
    hits = []
    take = inplace._take_for_writing

    def counted(*args):
        maker = take(*args)
        hits.append(maker is not None)
        return maker

    monkeypatch.setattr(inplace, "_take_for_writing", counted)
    return hits


@pytest.mark.parametrize("guard", [True, False])
def test_setitem_writes_in_place_only_what_nothing_else_sees(monkeypatch, guard):
    hits = _count_in_place(monkeypatch)
    with mg.mem_guard_on if guard else mg.mem_guard_off:
        x = mg.tensor(np.arange(9.0).reshape(3, 3))
        v = mg.tensor(np.full((2, 2), 7.0))
        t = x * 2
        t[:2, :2] = v
        assert hits == [True]
        assert t.data.flags.writeable is not guard  # the setitem node locks it
        (t * t).sum().backward()
    expected_x = 2 * 2 * (2 * x.data)
    expected_x[:2, :2] = 0
    np.testing.assert_array_equal(x.grad, expected_x)
    np.testing.assert_array_equal(v.grad, 2 * v.data)


@pytest.mark.parametrize(
    "hold",
    [
        "name",  # the user's own name for the array
        "numpy_view",
        "view_tensor",
        "other_tensor",  # another tensor over the same array
        "consumer",  # a node that read the old value
        "memoryview",
        "leaf",  # a leaf's array is the user's
    ],
)
@pytest.mark.parametrize("guard", [True, False])
def test_setitem_does_not_write_an_array_someone_holds(monkeypatch, hold, guard):
    hits = _count_in_place(monkeypatch)
    with mg.mem_guard_on if guard else mg.mem_guard_off:
        x = mg.tensor(np.ones((3, 3)))
        t = x if hold == "leaf" else x * 2
        before = t.data.copy()
        holders = {
            "name": lambda: t.data,
            "numpy_view": lambda: t.data[1:],
            "view_tensor": lambda: t[1:],
            "other_tensor": lambda: mg.tensor(t.data, copy=False),
            "consumer": lambda: t.sum(),
            "memoryview": lambda: memoryview(t.data),
            "leaf": lambda: None,
        }
        held = holders[hold]()
        held_data = held.data if isinstance(held, mg.Tensor) else held
        seen = np.array(held_data, copy=True) if held_data is not None else None
        t[:2, :2] = 0.0
        assert hits == [False]
        if held_data is not None and hold != "view_tensor":
            np.testing.assert_array_equal(np.asarray(held_data), seen)
        t.sum().backward()
    if hold == "leaf":
        # x itself took the new value (its old value was a copy the user holds)
        np.testing.assert_array_equal(x.grad, np.ones((3, 3)))
        np.testing.assert_array_equal(before, np.ones((3, 3)))
        return
    expected = np.full((3, 3), 2.0)
    expected[:2, :2] = 0
    np.testing.assert_array_equal(x.grad, expected)
    np.testing.assert_array_equal(before, np.full((3, 3), 2.0))


def test_a_failed_setitem_changes_nothing():
    x = mg.tensor(np.ones((3, 3)))
    t = x * 2
    before = t.data.copy()
    with pytest.raises(ValueError):
        t[:2, :2] = np.ones((3, 3))
    np.testing.assert_array_equal(t.data, before)
    assert not t.data.flags.writeable
    t.sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * np.ones((3, 3)))


def test_a_setitem_value_overlapping_its_target_is_copied_first(monkeypatch):
    hits = _count_in_place(monkeypatch)
    x = mg.tensor(np.arange(16.0).reshape(4, 4))
    t = x * 1
    t[:2] = t[2:]  # the value is a view of the target's array
    assert hits == [False]
    np.testing.assert_array_equal(t.data, np.vstack([x.data[2:], x.data[2:]]))


def _w6_like(x, w, rows, kept):
    a = x[::2, 1::2]
    b = a.reshape(a.shape[0] // 2, -1)
    c = x[rows]
    d = w.T
    e = mg.einsum("ij,jk->ik", b * c, d[:, :3])
    t = x * w
    t[: e.shape[0], :3] = e
    out = (t.sum(axis=0) * t.max(axis=1)).sum()
    kept.extend([a, b, c, d, e, t] if kept else [])
    return out


@pytest.mark.parametrize("guard", [True, False])
def test_gradients_do_not_depend_on_which_tensors_are_alive(monkeypatch, guard):
    # with the intermediates gone, setitem and x * w get their cotangent as scratch, w.T's
    # getitem gradient passes the transpose still sparse and max's is sparse: the same
    # gradients as when every intermediate is alive (and only x * w's scratch is allowed)
    from mygrad._op import OpDef

    scratch_ops = []
    plain = OpDef.backprop

    def counted(op, node, g, scratch=False):
        if scratch:
            scratch_ops.append(node.op.name)
        return plain(op, node, g, scratch)

    monkeypatch.setattr(OpDef, "backprop", counted)
    rng = np.random.default_rng(0)
    n = 128  # 128 kB per float64 array: large enough for scratch
    xs = rng.integers(-3, 4, (n, n)).astype(float)
    ws = rng.integers(-3, 4, (n, n)).astype(float)
    rows = np.array([3, 3, 5] + list(range(n // 4 - 3)))  # repeated
    grads = []
    for keep in ([], [object()]):
        with mg.mem_guard_on if guard else mg.mem_guard_off:
            x, w = mg.tensor(xs), mg.tensor(ws)
            kept = list(keep)
            _w6_like(x, w, rows, kept).backward()
        grads.append((x.grad, w.grad))
        if not keep:
            assert scratch_ops == ["setitem", "multiply"]
            scratch_ops.clear()
    # with t kept, setitem's cotangent is t's grad, not scratch; the copy it hands x * w
    # (whose tensor is gone: t was rebound by setitem) is
    assert scratch_ops == ["multiply"]
    np.testing.assert_array_equal(grads[0][0], grads[1][0])
    np.testing.assert_array_equal(grads[0][1], grads[1][1])


@pytest.mark.parametrize("n", [4, 128])
def test_sparse_terms_that_meet_each_other_first(n):
    # only getitem terms reach x (no dense one to add into): they chain, then materialise
    rng = np.random.default_rng(4)
    xs = rng.integers(-3, 4, (n, n)).astype(float)
    x = mg.tensor(xs)
    rows = [0, 0, 2]
    loss = (x[rows] * 2).sum() + (x[1:3] * 3).sum() + (x.T[:2] * 5).sum()
    loss.backward()
    expected = np.zeros((n, n))
    np.add.at(expected, rows, 2.0)
    expected[1:3] += 3
    expected[:, :2] += 5
    np.testing.assert_array_equal(x.grad, expected)
    # and a negation meeting them (Negated.combine, Scatter.combine both ways)
    x = mg.tensor(xs)
    (-(x[1:3] * 3)).sum().backward()
    np.testing.assert_array_equal(x.grad[1:3], np.full((2, n), -3.0))
    x = mg.tensor(xs)
    y = mg.tensor(xs)
    ((x[1:3] * 3).sum() + (y - x).sum() + (x[[1, 1]] * 2).sum()).backward()
    expected = np.full((n, n), -1.0)
    expected[1:3] += 3
    expected[1] += 4
    np.testing.assert_array_equal(x.grad, expected)


@pytest.mark.parametrize("axis", [0, 1])
def test_a_broadcast_cotangent_met_by_a_sparse_one_stays_c_ordered(axis):
    # sum's gradient is a broadcast (a zero stride); copying it in "K" order would lay it
    # out along that axis, transposed, and every later pass over it would be strided
    x = mg.tensor(np.arange(1.0, 1.0 + 128 * 128).reshape(128, 128))
    (x.sum(axis=axis) * x.max(axis=1 - axis)).sum().backward()
    assert x.grad.flags.c_contiguous
    expected = np.broadcast_to(np.expand_dims(x.data.max(axis=1 - axis), axis), x.shape).copy()
    other = x.data.sum(axis=axis)
    rows = np.arange(128)
    arg = x.data.argmax(axis=1 - axis)
    if axis == 0:  # row i's maximum pairs with column i's sum
        expected[rows, arg] += other
    else:  # column j's maximum pairs with row j's sum
        expected[arg, rows] += other
    np.testing.assert_array_equal(x.grad, expected)
