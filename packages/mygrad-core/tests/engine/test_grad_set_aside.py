"""A leaf's grad, nulled when the leaf enters a new non-view op (MyGrad), is set aside on
its node until that graph's backward stores the new grad (``_op._set_grad_aside``).

What the user sees must not change: the grad reads None from the moment the leaf enters
the op. What changes is only when the old array is freed, and it must be freed: once the
replacement is stored, when the graph is cleared, on ``null_grad()``, or with the tensor.
"""

from __future__ import annotations

import gc
import weakref

import hypothesis.strategies as st
import numpy as np
from hypothesis import given, settings

import mygrad as mg


def _leaf_with_grad(n: int = 4) -> tuple[mg.Tensor, weakref.ref]:
    x = mg.tensor(np.arange(1.0, n + 1.0))
    (x * x).sum().backward()
    assert x.grad is not None
    return x, weakref.ref(x.grad)


def test_entering_an_op_nulls_the_grad_but_keeps_the_array_until_backward():
    x, old = _leaf_with_grad()
    loss = (3 * x).sum()
    assert x.grad is None  # MyGrad: nulled on entry
    assert old() is not None  # set aside, not yet freed
    loss.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0, 3.0, 3.0])
    assert old() is None  # the replacement is stored: the old array is gone


def test_a_user_reference_to_the_old_grad_keeps_its_values():
    x, _ = _leaf_with_grad()
    kept = x.grad
    before = kept.copy()
    (x**3).sum().backward()
    np.testing.assert_array_equal(kept, before)
    assert x.grad is not kept


def test_clear_graph_frees_the_set_aside_grad():
    x, old = _leaf_with_grad()
    y = x * 2
    assert old() is not None
    y.clear_graph()
    assert old() is None
    assert x.grad is None


def test_null_grad_frees_the_set_aside_grad():
    x, old = _leaf_with_grad()
    y = x * 2
    x.null_grad()
    assert old() is None
    del y


def test_the_set_aside_grad_dies_with_its_tensor():
    x, old = _leaf_with_grad()
    y = x * 2
    del x, y
    gc.collect()
    assert old() is None


def test_a_leaf_that_receives_no_gradient_frees_it_at_backward():  # D7
    from mygrad._registry import OPS
    from mygrad.extend import defop

    @defop(name="_test_first_only_set_aside", arrays=2)
    def first_only(a, b):
        return a * 1.0

    @first_only.vjp
    def _first_only_vjp(g, out, a, b):
        return g, None  # b receives no gradient at all

    try:
        b, old = _leaf_with_grad(2)
        first_only(mg.tensor([1.0, 2.0]), b).backward()
        assert b.grad is None
        assert old() is None
    finally:
        OPS.pop("_test_first_only_set_aside", None)


def test_view_ops_neither_null_nor_set_aside():
    x, old = _leaf_with_grad()
    v = x[1:]
    np.testing.assert_array_equal(x.grad, 2 * x.data)
    assert old() is x.grad
    del v


@settings(max_examples=30, deadline=None)
@given(
    steps=st.lists(st.sampled_from(["step", "forward_only", "null", "read"]), max_size=8),
    guard=st.booleans(),
)
def test_a_training_loop_sees_exactly_mygrads_grads(steps, guard):
    """Any interleaving of SGD steps, dropped forward passes, null_grad and reads of grad:
    grad is None exactly when MyGrad's would be, and equals the hand-derived gradient
    otherwise; set-aside arrays never outlive the next backward."""
    w = mg.tensor([0.5, -1.0, 2.0])
    target = np.array([1.0, 1.0, 1.0])
    expected: np.ndarray | None = None
    set_aside: list[weakref.ref] = []
    with mg.mem_guard_on if guard else mg.mem_guard_off:
        for what in steps:
            if what == "step":
                if w.grad is not None:
                    set_aside.append(weakref.ref(w.grad))
                loss = ((w - target) ** 2).sum()
                assert w.grad is None
                loss.backward()
                expected = 2 * (w.data - target)
                np.testing.assert_allclose(w.grad, expected)
                assert all(r() is None for r in set_aside)
                w.data -= 0.1 * w.grad  # .data update: grad is left as it is
            elif what == "forward_only":
                (w * 2).sum()  # a forward pass whose graph is dropped at once
                expected = None  # entering the op nulled it
            elif what == "null":
                w.null_grad()
                expected = None
                assert all(r() is None for r in set_aside)
            if expected is None:
                assert w.grad is None
            else:
                np.testing.assert_allclose(w.grad, expected)
