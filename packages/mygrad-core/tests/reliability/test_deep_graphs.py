"""Deep and wide graphs (D15): nothing recurses, so a tiny recursion limit does not matter.

Complements tests/engine/test_backward.py (backward of a 10^6-node chain, deleting one, a
10^5-wide fan-out) with clearing, deleting while guarded, views, in-place chains and copies.
Every test runs under ``sys.setrecursionlimit(200)``.
"""

from __future__ import annotations

import copy
import gc
import pickle
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

import mygrad as mg
from mygrad import _memguard


@contextmanager
def tiny_recursion_limit() -> Iterator[None]:
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@pytest.fixture
def depth(full_size: bool) -> int:
    # any recursive walk would fail far sooner; the full size is D15's million
    return 1_000_000 if full_size else 100_000


def chain(x: mg.Tensor, n: int) -> mg.Tensor:
    y = x
    for _ in range(n):
        y = y * 1.0
    return y


def fan_out(x: mg.Tensor, width: int) -> mg.Tensor:
    return mg.add_sequence(*[x * 1.0 for _ in range(width)])


def assert_no_locks(*arrays: np.ndarray) -> None:
    assert _memguard.lock_count() == 0
    assert all(a.flags.writeable for a in arrays)


def test_clear_graph_of_a_deep_guarded_chain(depth):
    with tiny_recursion_limit():
        x = mg.tensor(2.0)
        y = chain(x, depth)
        assert not x.data.flags.writeable
        y.clear_graph()
        assert y.creator is None
        assert_no_locks(x.data, y.data)
        # the cleared tensor is a leaf now, usable in new graphs
        z = y * 3.0
        z.backward()
        assert y.grad == 3.0 and x.grad is None


def test_deleting_a_deep_guarded_chain_releases_every_lock_without_the_collector(depth):
    with tiny_recursion_limit():
        gc.disable()
        try:
            x = mg.tensor(2.0)
            y = chain(x, depth)
            root = weakref.ref(y.creator)
            gc.collect()  # the collector's traversal of a deep graph does not recurse either
            del y
            assert root() is None
            assert_no_locks(x.data)
        finally:
            gc.enable()


def test_deep_chain_keeping_every_intermediate_sets_every_grad():
    with tiny_recursion_limit():
        x = mg.tensor(1.0)
        tensors = [x]
        for _ in range(50_000):
            tensors.append(tensors[-1] * 1.0)
        tensors[-1].backward()
        assert all(t.grad == 1.0 for t in tensors)
        assert all(t.creator is None for t in tensors)
        assert_no_locks(*(t.data for t in tensors))


@pytest.mark.parametrize("finish", ["clear_graph", "del"])
def test_wide_fan_out_is_torn_down_without_backward(finish):
    with tiny_recursion_limit():
        x = mg.tensor(1.0)
        total = fan_out(x, 100_000)
        if finish == "clear_graph":
            total.clear_graph()
            assert total.creator is None
        else:
            del total
        assert_no_locks(x.data)


def test_deep_chain_of_views(full_size):
    # a chain of n views costs O(n^2): every view copies its chain of view steps
    n = 20_000 if full_size else 4_000
    with tiny_recursion_limit():
        x = mg.tensor(np.arange(4.0))
        y = x
        for _ in range(n):
            y = y[...]
        assert y.base is x
        (y * 2.0).backward()
        np.testing.assert_array_equal(x.grad, np.full(4, 2.0))
        np.testing.assert_array_equal(y.grad, np.full(4, 2.0))
        assert_no_locks(x.data, y.data)


def test_deep_chain_of_views_deleted_without_backward():
    with tiny_recursion_limit():
        x = mg.tensor(np.arange(4.0))
        y = x
        for _ in range(4_000):
            y = y[...]
        del y
        assert_no_locks(x.data)
        assert x._live_views() == []


def test_deep_chain_alternating_views_and_ops(full_size):
    n = 500_000 if full_size else 30_000
    with tiny_recursion_limit():
        x = mg.tensor(np.arange(3.0))
        y = x
        for _ in range(n):
            y = (y * 1.0)[::-1]
        y.backward()
        np.testing.assert_array_equal(x.grad, np.ones(3))
        assert_no_locks(x.data)


@pytest.mark.parametrize("finish", ["backward", "del"])
def test_deep_chain_of_in_place_updates(finish):
    with tiny_recursion_limit():
        x = mg.tensor(0.5)
        y = x * 1.0
        for _ in range(30_000):
            y += 1.0
        assert y.item() == 30_000.5
        if finish == "backward":
            y.backward()
            assert x.grad == 1.0
        else:
            del y
        assert_no_locks(x.data)


def test_copies_of_the_end_of_a_deep_chain_do_not_walk_it(depth):
    with tiny_recursion_limit():
        x = mg.tensor([1.0, 2.0])
        y = chain(x, depth)
        for copied in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
            assert copied.creator is None
            np.testing.assert_array_equal(copied.data, y.data)
        assert y.creator is not None  # the original graph is untouched
