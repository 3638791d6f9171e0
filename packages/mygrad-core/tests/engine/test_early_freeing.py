"""Nodes over large arrays keep only what their VJPs read (OpDef.reads), and backward sums
cotangents into arrays nothing else refers to. Neither may change a result or the memory
guard's behaviour as seen from outside; both must actually free memory."""

from __future__ import annotations

import gc
import weakref

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad import _op

BIG = 20_000  # float64: 160 kB, above _op._FREE_EARLY_BYTES
OPS = ("add", "subtract", "multiply", "divide", "negative", "square", "reciprocal")


def _program(draw_ops: list[tuple[str, int, int]], x: mg.Tensor, y: mg.Tensor) -> mg.Tensor:
    """Apply a drawn sequence of ops to a growing pool of tensors (intermediates die)."""
    pool = [x, y]
    for name, i, j in draw_ops:
        a, b = pool[i % len(pool)], pool[j % len(pool)]
        if name in ("negative", "square", "reciprocal"):
            new = getattr(mg, name)(a)
        else:
            new = getattr(mg, name)(a, b)
        pool.append(new)
        if len(pool) > 4:
            pool.pop(2)  # an intermediate goes out of scope, as in ordinary code
    return pool[-1] if len(pool) > 2 else x * y


ops_lists = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 7), st.integers(0, 7)), min_size=1, max_size=8
)


def _grads(ops: list[tuple[str, int, int]], guard: bool) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(0)
    x = mg.tensor(rng.uniform(1.0, 2.0, BIG))
    y = mg.tensor(rng.uniform(1.0, 2.0, BIG))
    with mg.mem_guard_on if guard else mg.mem_guard_off:
        out = _program(ops, x, y)
        seed = np.linspace(-1.0, 1.0, BIG)
        out.backward(seed)
    return x.grad, y.grad, out.data


@settings(max_examples=40, deadline=None)
@given(ops=ops_lists, guard=st.booleans())
def test_results_do_not_depend_on_early_freeing(ops, guard):
    # earlier tests may leave graphs in reference cycles (tracebacks): collect them first
    gc.collect()
    locks_before = mg._memguard.lock_count()
    got = _grads(ops, guard)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_op, "_FREE_EARLY_BYTES", float("inf"))  # nothing is freed early
        expected = _grads(ops, guard)
    for g, e in zip(got, expected):
        if e is None:
            assert g is None
        else:
            np.testing.assert_array_equal(g, e)
    gc.collect()
    assert mg._memguard.lock_count() == locks_before


def test_an_unread_intermediate_is_freed_when_its_tensor_dies():
    x = mg.tensor(np.ones(BIG))
    y = mg.tensor(np.ones(BIG))
    t = x * y
    freed = weakref.ref(t.data)
    b = t + x  # add's VJP reads neither input, multiply's does not read its output
    del t
    assert freed() is None
    b.backward()
    np.testing.assert_array_equal(x.grad, y.data + 1)
    np.testing.assert_array_equal(y.grad, x.data)


def test_an_intermediate_that_a_vjp_reads_stays():
    x = mg.tensor(np.full(BIG, 3.0))
    t = x * 2.0
    kept = weakref.ref(t.data)
    b = t * t  # multiply reads its inputs
    del t
    assert kept() is not None and not kept().flags.writeable
    b.backward()
    np.testing.assert_array_equal(x.grad, 8 * x.data)
    assert kept() is None  # the cleared graph let go of it


def test_a_held_array_stays_locked_while_the_graph_lives():
    x = mg.tensor(np.ones(BIG))
    t = x * 2.0
    raw = t.data
    b = t + x
    del t
    assert not raw.flags.writeable  # someone can still see it: guarded as before
    with pytest.raises(ValueError, match="read-only"):
        raw[0] = 5.0
    b.backward()
    assert raw.flags.writeable
    np.testing.assert_array_equal(x.grad, 3.0)


def test_a_view_keeps_its_base_guarded():
    x = mg.tensor(np.ones(BIG))
    t = x * 2.0
    view = t[:10]
    b = t + x
    del t
    assert not view.data.flags.writeable and not view.data.base.flags.writeable
    (b.sum() + view.sum()).backward()
    expected = np.full(BIG, 3.0)
    expected[:10] += 2.0
    np.testing.assert_array_equal(x.grad, expected)


@pytest.mark.parametrize("shape", [(), (3,), (BIG,)])
def test_divide_vjp_negates_in_place_only_arrays(shape):
    # the VJP negates its own temporary in place; 0-d arithmetic yields NumPy scalars
    x = mg.tensor(np.full(shape, 3.0))
    y = mg.tensor(np.full(shape, 2.0))
    (x / y).backward()
    np.testing.assert_array_equal(x.grad, np.full(shape, 0.5))
    np.testing.assert_array_equal(y.grad, np.full(shape, -0.75))
    assert type(y.grad) is np.ndarray
