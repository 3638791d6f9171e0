"""The memory guard's fast paths keep its semantics: lock-free counted locks (_PENDING),
fresh outputs as their own lock entries, outputs nobody can see left read-only on release,
cleared nodes without ``__del__``, and the inlined binary record/backprop paths."""

from __future__ import annotations

import gc
import random
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mygrad as mg
from mygrad import _graph, _memguard


@pytest.fixture(autouse=True)
def _guarded():
    with mg.mem_guard_on:
        yield


def test_array_kept_by_the_user_is_writeable_after_backward():
    base = _memguard.lock_count()
    x = mg.tensor([1.0, 2.0, 3.0])
    s = x * x
    kept = s.data
    y = s + 1.0
    del s
    assert not kept.flags.writeable
    y.backward()
    assert kept.flags.writeable
    assert y.data.flags.writeable and x.data.flags.writeable
    assert _memguard.lock_count() == base
    kept[0] = 7.0  # (no error)


def test_array_held_by_a_live_consumer_is_released_as_before():
    x = mg.tensor([1.0, 2.0])
    s = x * x
    z1 = s * 2.0
    z2 = s * 3.0
    arr = s.data
    del s
    z1.backward()
    # the producer's lock ends with its cleared graph, as it always did
    assert arr.flags.writeable
    del z2
    gc.collect()
    assert arr.flags.writeable


def test_cleared_nodes_have_no_finalizer_and_live_ones_release_on_death():
    c = np.ones(3)
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * c
    node = y.creator
    assert isinstance(node, _graph.Node)
    assert type(node).__del__ is not None  # (a live node releases its locks if it dies)
    del node
    del y  # dropped without backward
    assert c.flags.writeable
    y = x * c
    node = y.creator
    y.backward()
    assert type(node) is _graph.Node and isinstance(node, _graph.Node)
    assert not hasattr(_graph.Node, "__del__")
    assert c.flags.writeable


def test_shared_constant_stays_locked_until_its_last_graph_goes():
    base = _memguard.lock_count()
    c = np.arange(1.0, 4.0)
    x = mg.tensor([1.0, 2.0, 3.0])
    ys = [x * c + c for _ in range(6)]
    assert not c.flags.writeable
    order = list(range(6))
    random.Random(0).shuffle(order)
    for k, i in enumerate(order):
        if k % 2:
            ys[i].backward()
        ys[i] = None
        assert c.flags.writeable == (k == 5), k
    assert _memguard.lock_count() == base


def test_lock_that_raced_with_the_last_release_settles():
    # an op saw c's entry, then c's only other lock ended before the op appended it
    base = _memguard.lock_count()
    c = np.ones(3)
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * c
    entry = _memguard._LOCKS[id(c)]
    del y
    assert c.flags.writeable and entry[0] == 0
    _memguard._PENDING.append(entry)
    live = _memguard.settle(entry)
    assert not c.flags.writeable and _memguard.is_locked(c)
    _memguard.release((live,))
    assert c.flags.writeable
    assert _memguard.lock_count() == base


def test_pending_lock_outlives_the_release_that_drains_it():
    # an op appended c's entry (count 1, so it trusts it), then c's other lock ended
    c = np.ones(3)
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * c
    entry = _memguard._LOCKS[id(c)]
    _memguard._PENDING.append(entry)
    held = (entry,)
    del y
    assert not c.flags.writeable and _memguard._LOCKS[id(c)] is entry and entry[0] == 1
    _memguard.release(held)
    assert c.flags.writeable and not _memguard.is_locked(c)


def test_first_locks_without_the_mutex_make_one_counted_entry():
    # lock_input creates an unlocked array's entry without the mutex
    c = np.ones(3)
    first = _memguard.lock_input(c)
    assert not c.flags.writeable and _memguard._LOCKS[id(c)] is first[0] and first[0][0] == 1
    second = _memguard.lock_input(c)  # relocked: pending until a mutex holder drains it
    assert second[0] is first[0]
    _memguard.release(first)
    assert not c.flags.writeable, "released while the second lock is held"
    _memguard.release(second)
    assert c.flags.writeable and not _memguard.is_locked(c)


def test_a_mutex_lock_racing_a_first_lock_counts_both(monkeypatch):
    # the mutex path (_lock_one) found no entry; before it stores its own, another thread's
    # lock_input creates one: the mutex path must count itself into that entry, not
    # replace it (the other thread's release would then unlock the array under its lock)
    c = np.ones(3)
    other: list[tuple[list, ...]] = []
    native = _memguard._native

    def other_thread_locks_first(a):
        if a is c and not other:
            other.append(_memguard.lock_input(c))
        return native(a)

    monkeypatch.setattr(_memguard, "_native", other_thread_locks_first)
    mine = _memguard.lock((c,))
    monkeypatch.undo()
    assert mine[0] is other[0][0] and mine[0][0] == 2
    _memguard.release(other[0])
    assert not c.flags.writeable, "the other thread's release unlocked an array still held"
    _memguard.release(mine)
    assert c.flags.writeable and not _memguard.is_locked(c)


def test_a_natively_read_only_array_keeps_its_flag():
    c = np.ones(3)
    c.setflags(write=False)
    held = _memguard.lock_input(c)
    _memguard.release(held)
    assert not c.flags.writeable


def test_raw_use_of_a_fresh_output_is_counted():
    x = mg.tensor([1.0, 2.0])
    y = x * 2.0
    raw = y.data
    assert _memguard._LOCKS[id(raw)] is raw  # a fresh lock: its own entry
    z = mg.multiply(raw, x)
    assert type(_memguard._LOCKS[id(raw)]) is list
    del z
    assert not raw.flags.writeable  # y's node still holds it
    y.backward()
    assert raw.flags.writeable
    assert not _memguard.is_locked(raw)


def test_threads_sharing_a_constant_and_a_leaf():
    base = _memguard.lock_count()
    c = np.linspace(0.5, 1.5, 5)
    w = mg.tensor(np.linspace(1.0, 2.0, 5))
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        try:
            with mg.mem_guard_on:
                for _ in range(150):
                    y = (w * c + c) / c
                    if c.flags.writeable or w.data.flags.writeable:
                        raise AssertionError("a shared array is writeable under a live graph")
                    if rng.random() < 0.5:
                        y.backward()
                    del y
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    gc.collect()
    assert c.flags.writeable and w.data.flags.writeable
    assert _memguard.lock_count() == base
    assert not _memguard._PENDING


@pytest.mark.parametrize("guard", [True, False])
@pytest.mark.parametrize(
    "op, grad",
    [
        (lambda a, b: a * b, lambda x: 2 * x),
        (lambda a, b: a + b, lambda x: np.full_like(x, 2.0)),
        (lambda a, b: a - b, lambda x: np.zeros_like(x)),
        (lambda a, b: a / b, lambda x: np.zeros_like(x)),
    ],
)
def test_binary_op_on_one_tensor_twice(op, grad, guard):
    ctx = mg.mem_guard_on if guard else mg.mem_guard_off
    with ctx:
        x = mg.tensor([0.5, -1.5, 2.0])
        op(x, x).backward()
        np.testing.assert_array_equal(x.grad, grad(x.data))


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from("+-*/"), st.integers(0, 3), st.integers(0, 3)),
        min_size=1,
        max_size=12,
    ),
    guard=st.booleans(),
)
def test_binary_chains_match_a_hand_written_tape(steps, guard):
    """Random programs of binary ops over tensors, constants and raw arrays: gradients
    equal a NumPy reverse pass written out by hand (exact: the same operations)."""
    rng = np.random.default_rng(0)
    raw = [rng.uniform(0.5, 1.5, 3) for _ in range(2)]
    ctx = mg.mem_guard_on if guard else mg.mem_guard_off
    with ctx:
        leaves = [mg.tensor(rng.uniform(0.5, 1.5, 3)) for _ in range(2)]
        values: list = [*leaves, *raw]  # (indices 0, 1: tensors; 2, 3: raw arrays)
        tape = []
        for sym, i, j in steps:
            a, b = values[i % len(values)], values[j % len(values)]
            if not (isinstance(a, mg.Tensor) or isinstance(b, mg.Tensor)):
                continue
            out = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[sym]
            tape.append((sym, i % len(values), j % len(values), len(values)))
            values.append(out)
        if not tape:
            return
        values[-1].backward()
        del values, out, a, b  # (the other graphs go too: every lock ends)
    # the reference: the same ops on plain arrays, then their reverse pass
    arrays = [leaf.data for leaf in leaves] + raw
    for sym, i, j, _ in tape:
        a, b = arrays[i], arrays[j]
        arrays.append({"+": a + b, "-": a - b, "*": a * b, "/": a / b}[sym])
    grads: dict[int, np.ndarray] = {len(arrays) - 1: np.ones(3)}
    for sym, i, j, k in reversed(tape):
        g = grads.pop(k, None)
        if g is None:
            continue
        a, b, q = arrays[i], arrays[j], arrays[k]
        terms = {
            "+": (g, g),
            "-": (g, -g),
            "*": (g * b, g * a),
            "/": (g / b, -(g / b) * q),
        }[sym]
        for idx, term in ((i, terms[0]), (j, terms[1])):
            grads[idx] = grads[idx] + term if idx in grads else term
    for n, leaf in enumerate(leaves):
        if n in grads:
            np.testing.assert_allclose(leaf.grad, grads[n], rtol=1e-12, atol=0)
    assert all(leaf.data.flags.writeable for leaf in leaves)
    assert all(r.flags.writeable for r in raw)


def test_a_node_subclass_still_releases_its_locks_when_it_dies():
    class MyNode(_graph.Node):
        __slots__ = ()

    c = np.ones(2)
    node = MyNode(None, (), (c,), {}, c, None)
    assert type(node) is MyNode
    node.locks = _memguard.lock((c,))
    assert not c.flags.writeable
    del node
    assert c.flags.writeable


@pytest.mark.parametrize(
    "consume",
    [lambda v: v * 2.0, lambda v: mg.exp(v), lambda v: v.reshape(-1), lambda v: v[1:]],
    ids=["binary", "unary", "view", "slice"],
)
def test_a_view_read_by_a_later_op_stays_locked_by_the_node_that_made_it(consume):
    base = _memguard.lock_count()
    x = mg.tensor(np.arange(12.0).reshape(3, 4))
    v = x.T  # its node holds counted locks on x.data and on v.data
    arr = v.data
    y = consume(v)
    # the consumer relies on its parent's lock instead of counting its own on the view
    assert all(entry[1] is not arr for entry in y.creator.locks)
    del v
    gc.collect()
    for array in (arr, x.data):
        with pytest.raises(ValueError, match="read-only"):
            array[0, 0] = -1.0
    y.sum().backward()
    assert x.grad is not None and x.grad.shape == x.shape
    arr[0, 0] = -1.0  # writeable again, as NumPy made it, and written through to x
    assert x.data[0, 0] == -1.0
    assert _memguard.lock_count() == base


@given(n_ops=st.integers(1, 6), first_lock_under_the_mutex=st.booleans())
def test_ops_locking_one_array_share_one_lock_tuple_and_free_it_without_the_collector(
    n_ops, first_lock_under_the_mutex
):
    # a node locking only a constant (or a leaf's data) keeps the entry's shared 1-tuple,
    # which refers back to its entry: the entry must drop it when its last lock goes, or
    # the constant would live on, in a reference cycle, until the cycle collector ran
    c = np.ones(3)
    x = mg.tensor([1.0, 2.0, 3.0])
    enabled = gc.isenabled()
    gc.collect()  # (earlier garbage)
    gc.disable()  # only reference counting may free what the graphs held
    try:
        held = _memguard.lock((c,)) if first_lock_under_the_mutex else ()
        s = x * x  # (its node holds the lock on s's data: the ops below lock only c)
        outs = [s * c for _ in range(n_ops)]
        locks = {id(y.creator.locks) for y in outs}
        assert len(locks) == 1, "each op made its own lock tuple"
        (entry,) = outs[0].creator.locks
        assert entry[1] is c and not c.flags.writeable
        del outs, locks, s
        if held:
            assert not c.flags.writeable
            _memguard.release(held)
            del held
        assert c.flags.writeable and entry[3] is None
        del entry
        assert gc.collect() == 0, "the lock entries needed the cycle collector"
    finally:
        if enabled:
            gc.enable()
