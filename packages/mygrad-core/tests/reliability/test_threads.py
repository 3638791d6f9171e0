"""Threads (D12): modes are per thread, and graphs built in different threads do not mix."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad import _memguard
from mygrad.errors import InvalidBackprop

THREADS = 8
finite = st.floats(-10, 10, allow_subnormal=False)


@contextmanager
def fast_thread_switching() -> Iterator[None]:
    """Make the interpreter switch threads every microsecond, to provoke interleavings."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def run_in_threads(work: Callable[[int], object], n: int = THREADS) -> list[object]:
    """Run ``work(k)`` for k in range(n), all released at once by a barrier; their results.

    An exception in a thread is returned as its result, so the test can report it.
    """
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def target(k: int) -> None:
        barrier.wait()
        try:
            results[k] = work(k)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            results[k] = error

    threads = [threading.Thread(target=target, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def mode_state() -> tuple[bool, bool]:
    return bool(mg.no_autodiff), mg.mem_guard_active()


# ---------------------------------------------------------------- a parked thread


@pytest.fixture(scope="module")
def parked_thread() -> Iterator[list[tuple[bool, bool]]]:
    """A thread sitting inside ``no_autodiff`` and ``mem_guard_off`` for the whole module.

    Yields the list into which the thread writes the state it sees after being released.
    """
    inside, release = threading.Event(), threading.Event()
    seen: list[tuple[bool, bool]] = []

    def parked() -> None:
        with mg.no_autodiff, mg.mem_guard_off:
            inside.set()
            release.wait(60)
            seen.append(mode_state())
        seen.append(mode_state())

    worker = threading.Thread(target=parked)
    worker.start()
    assert inside.wait(60)
    yield seen
    release.set()
    worker.join()
    # the parked thread still saw its own modes, then the defaults after leaving them
    assert seen == [(False, False), (True, True)]


@settings(max_examples=25, deadline=None)
@given(
    hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=4), elements=finite),
    st.data(),
)
def test_backward_is_exact_while_another_thread_is_parked_in_no_autodiff(
    parked_thread, x_arr, data
):
    w_arr = data.draw(hnp.arrays(np.float64, x_arr.shape, elements=finite))
    assert mode_state() == (True, True)  # the parked thread's modes do not leak here
    x, w = mg.tensor(x_arr), mg.tensor(w_arr)
    loss = mg.sum(x * x * w)
    assert loss.creator is not None  # a graph was built ...
    assert not x.data.flags.writeable  # ... and guarded
    loss.backward()
    # d/dx sum(x*x*w) = 2xw and d/dw = x*x (up to the rounding of products that underflow)
    np.testing.assert_allclose(x.grad, 2 * x_arr * w_arr, rtol=1e-15, atol=1e-300)
    np.testing.assert_allclose(w.grad, x_arr * x_arr, rtol=1e-15, atol=1e-300)
    assert x.data.flags.writeable


# ---------------------------------------------------------------- nested switches


def _nested_switching(iterations: int, k: int) -> int:
    """Enter and leave the switches, nested, ``iterations`` times; count wrong states seen.

    Thread ``k`` uses its own nesting order, and every fifth iteration leaves the nest by an
    exception, so restoration on error is exercised under contention too.
    """
    wrong = 0
    outer, inner = (
        (mg.no_autodiff, mg.mem_guard_off) if k % 2 == 0 else (mg.mem_guard_off, mg.no_autodiff)
    )
    for i in range(iterations):
        try:
            with outer:
                wrong += mode_state() != (
                    (False, True) if outer is mg.no_autodiff else (True, False)
                )
                with inner:
                    wrong += mode_state() != (False, False)
                    with mg.mem_guard_on:
                        wrong += mode_state() != (False, True)
                        with mg.no_autodiff:  # re-entering a switch that is already on
                            wrong += mode_state() != (False, True)
                        wrong += mode_state() != (False, True)
                    wrong += mode_state() != (False, False)
                    if i % 5 == 0:
                        raise KeyError(i)
        except KeyError:
            pass
        wrong += mode_state() != (True, True)
    return wrong


def test_nested_switches_keep_every_threads_state(full_size):
    # full size: 8 threads x 50,000 iterations, 20 trials; CI: a scaled-down run
    iterations, trials = (50_000, 20) if full_size else (5_000, 4)
    with fast_thread_switching():
        for _ in range(trials):
            wrong = run_in_threads(lambda k: _nested_switching(iterations, k))
            assert wrong == [0] * THREADS
    assert mode_state() == (True, True)


# ---------------------------------------------------------------- independent graphs


def _mlp_layer_grads(
    x: np.ndarray, w: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """NumPy gradients of mean(relu(x @ w + b) ** 2) with respect to x, w and b."""
    h = x @ w + b
    r = np.maximum(h, 0)
    dh = (2 * r / r.size) * (h > 0)
    return dh @ w.T, x.T @ dh, dh.sum(axis=0)


def _independent_graphs(count: int, k: int) -> int:
    """Build and backpropagate ``count`` graphs; count those with a wrong gradient."""
    rng = np.random.default_rng(k)
    wrong = 0
    for _ in range(count):
        x_arr, w_arr, b_arr = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=2)
        x, w, b = mg.tensor(x_arr), mg.tensor(w_arr), mg.tensor(b_arr)
        loss = mg.mean(mg.maximum(x @ w + b, 0) ** 2)
        loss.backward()
        expected = _mlp_layer_grads(x_arr, w_arr, b_arr)
        for got, want in zip((x.grad, w.grad, b.grad), expected):
            wrong += not np.allclose(got, want, rtol=1e-12, atol=1e-15)
    return wrong


def test_independent_graphs_in_eight_threads_get_exact_gradients():
    with fast_thread_switching():
        wrong = run_in_threads(lambda k: _independent_graphs(1_000, k))
    assert wrong == [0] * THREADS
    assert _memguard.lock_count() == 0  # every thread's locks were released


# ---------------------------------------------------------------- shared tensors


def test_concurrent_backward_through_a_shared_leaf_is_exact():
    """Graphs that share only a leaf backpropagate independently (D10), even concurrently.

    Each backward assigns the leaf's grad, so once all threads are done it holds exactly
    one thread's gradient (the last to finish); every thread's own tensors are exact.
    """
    x_arr = np.linspace(-1.0, 1.0, 5)
    with fast_thread_switching():
        for _ in range(20):
            x = mg.tensor(x_arr)

            def own_graph(k: int, x: mg.Tensor = x) -> bool:
                for _ in range(5):
                    e = mg.exp(x)
                    loss = mg.sum(e * float(k + 1))
                    loss.backward()
                    if not (np.array_equal(e.grad, np.full(5, k + 1.0)) and loss.grad == 1.0):
                        return False
                return True

            assert run_in_threads(own_graph) == [True] * THREADS
            candidates = [np.exp(x_arr) * (k + 1.0) for k in range(THREADS)]
            assert any(np.array_equal(x.grad, c) for c in candidates)
            assert x.data.flags.writeable and _memguard.lock_count() == 0


def test_concurrent_backward_through_a_shared_interior_is_exact_or_invalid_backprop():
    """Graphs sharing an interior node: the first backward wins, every other one raises
    InvalidBackprop (D10), as they would one after another; nothing else may happen."""
    x_arr = np.linspace(-1.0, 1.0, 4)
    with fast_thread_switching():
        for _ in range(50):
            x = mg.tensor(x_arr)
            shared = mg.exp(x) * 2.0
            losses = [mg.sum(shared * float(k + 1)) for k in range(4)]

            def backprop(k: int, losses: list[mg.Tensor] = losses) -> str:
                try:
                    losses[k].backward()
                except InvalidBackprop:
                    return "InvalidBackprop"
                return "ok"

            outcomes = run_in_threads(backprop, n=4)
            assert sorted(map(str, outcomes)) == ["InvalidBackprop"] * 3 + ["ok"]
            winner = outcomes.index("ok")
            np.testing.assert_array_equal(x.grad, 2.0 * np.exp(x_arr) * (winner + 1.0))
            del shared, losses, backprop  # the losers' graphs were never cleared
            assert _memguard.lock_count() == 0
