"""No leaks: training does not grow memory, and backward() frees the whole graph at once."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import tracemalloc
import weakref

import numpy as np
import pytest

import mygrad as mg
from mygrad import _memguard
from mygrad._graph import Node

Params = tuple[mg.Tensor, mg.Tensor, mg.Tensor, mg.Tensor]


def make_mlp(seed: int = 0) -> tuple[Params, np.ndarray, np.ndarray]:
    """Parameters of a 4-16-1 ReLU network and one batch of regression data."""
    rng = np.random.default_rng(seed)
    params = (
        mg.tensor(rng.normal(size=(4, 16)) / 2),
        mg.tensor(np.zeros(16)),
        mg.tensor(rng.normal(size=(16, 1)) / 4),
        mg.tensor(np.zeros(1)),
    )
    x = rng.normal(size=(32, 4))
    y = np.sin(x.sum(axis=1, keepdims=True))
    return params, x, y


def forward(params: Params, x: np.ndarray, y: np.ndarray) -> mg.Tensor:
    w1, b1, w2, b2 = params
    hidden = mg.maximum(mg.matmul(x, w1) + b1, 0.0)
    prediction = mg.matmul(hidden, w2) + b2
    return mg.mean((prediction - y) ** 2)


def train_step(params: Params, x: np.ndarray, y: np.ndarray, lr: float = 0.05) -> float:
    loss = forward(params, x, y)
    loss.backward()
    with mg.no_autodiff:  # the update is not part of any graph
        for p in params:
            p -= lr * p.grad
    return loss.item()


def settled_traced_memory() -> int:
    """Traced memory, with CPython's bounded free lists first refilled with traced blocks.

    Free lists (up to 2,000 tuples of each small size; lists, dicts, floats) keep freed
    objects for reuse. A full collection empties them, and blocks put there before tracing
    started are invisible to tracemalloc, so their churn would look like growth or
    shrinking. Allocating twice each cap and freeing it, newest first, leaves every free
    list full of traced blocks, which makes two measurements comparable.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        for size in range(1, 20):
            held: list[object] = [tuple(range(size)) for _ in range(4_000)]
            del held
        held = [[i] for i in range(200)] + [{i: i} for i in range(200)]
        held += [i + 0.5 for i in range(300)]
        del held
        return tracemalloc.get_traced_memory()[0]
    finally:
        if enabled:
            gc.enable()


def traced_growth(steps: int, warmup: int) -> tuple[int, float, float]:
    """Traced memory growth (bytes) between step ``warmup`` and step ``steps``; the losses."""
    params, x, y = make_mlp()
    tracemalloc.start()
    try:
        first = train_step(params, x, y)
        for _ in range(warmup - 1):
            train_step(params, x, y)
        before = settled_traced_memory()
        for _ in range(steps - warmup - 1):
            train_step(params, x, y)
        last = train_step(params, x, y)
        after = settled_traced_memory()
    finally:
        tracemalloc.stop()
    return after - before, first, last


@pytest.mark.parametrize("collector", ["enabled", "disabled"])
def test_training_does_not_grow_memory(collector, full_size):
    steps = 10_000 if full_size else 3_000
    if collector == "disabled":
        gc.disable()  # so every graph must be freed by reference counting alone
    try:
        growth, first_loss, last_loss = traced_growth(steps, warmup=1_000)
    finally:
        gc.enable()
    assert last_loss < first_loss  # it really trained
    print(f"traced memory growth from step 1,000 to {steps:,}: {growth} bytes")
    assert growth < 16 * 1024, f"traced memory grew by {growth} bytes"
    assert _memguard.lock_count() == 0


def op_nodes_of(loss: mg.Tensor) -> list[Node]:
    """Every op node upstream of ``loss`` (an explicit stack)."""
    nodes, stack, seen = [], [loss.creator], set()
    while stack:
        node = stack.pop()
        if node is None or node.op is None or id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        stack.extend(node.parents)
    return nodes


def test_after_backward_only_the_loss_is_left():
    params, x, y = make_mlp()
    gc.disable()  # freeing must not depend on the cycle collector
    try:
        w1, b1, w2, b2 = params
        pre_activation = mg.matmul(x, w1) + b1
        hidden = mg.maximum(pre_activation, 0.0)
        prediction = mg.matmul(hidden, w2) + b2
        loss = mg.mean((prediction - y) ** 2)
        intermediates = [weakref.ref(t) for t in (pre_activation, hidden, prediction)]
        nodes = [weakref.ref(n) for n in op_nodes_of(loss)]
        assert len(nodes) == 8  # matmul, add, maximum, matmul, add, subtract, square, mean
        del pre_activation, hidden, prediction
        loss.backward()
        assert all(r() is None for r in intermediates)
        assert all(r() is None for r in nodes)
        assert loss.creator is None and loss.grad == 1.0
        assert _memguard.lock_count() == 0
        assert all(p.data.flags.writeable and p.grad is not None for p in params)
    finally:
        gc.enable()


def test_a_graph_held_by_a_reference_cycle_is_collected_and_unlocked():
    arr = np.array([1.0, 2.0])

    class Holder:
        pass

    holder = Holder()
    holder.self = holder
    holder.out = mg.tensor([3.0, 4.0]) * arr
    node = weakref.ref(holder.out.creator)
    del holder
    gc.collect()
    assert node() is None
    assert arr.flags.writeable


def test_the_collector_freeing_a_guarded_graph_while_locks_are_taken_does_not_deadlock():
    """A graph in a reference cycle may be freed by the collector at any allocation, even
    while memory guarding holds its registry lock in the same thread (it then releases the
    graph's locks from ``Node.__del__``)."""
    script = textwrap.dedent(
        """
        import gc
        import numpy as np
        import mygrad as mg

        class Holder:
            pass

        gc.set_threshold(1, 1, 1)  # collect at (nearly) every allocation
        for _ in range(2_000):
            holder = Holder()
            holder.self = holder
            holder.out = mg.tensor([1.0, 2.0]) * np.array([3.0, 4.0])
            del holder
            mg.tensor([1.0]) * np.array([2.0])
        print("done")
        """
    )
    try:
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail("deadlock: Node.__del__ waited for the memory-guard lock its thread held")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "done"
