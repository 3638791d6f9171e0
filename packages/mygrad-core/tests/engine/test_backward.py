"""Gradient storage, clearing and backward(grad) (api.md S3, S4; D7, D10, D15)."""

from __future__ import annotations

import gc
import sys
import weakref

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given

import mygrad as mg
from mygrad.errors import InvalidBackprop

floats = st.floats(-10, 10)


def test_backward_sets_grad_on_every_variable_including_intermediates():
    x = mg.tensor([1.0, 2.0, 3.0])
    y = x * x
    loss = y + x
    loss.backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data + 1)
    np.testing.assert_array_equal(y.grad, np.ones(3))
    np.testing.assert_array_equal(loss.grad, np.ones(3))


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=4), elements=floats))
def test_paths_accumulate(arr):
    x = mg.tensor(arr)
    (x * x + x * 3.0 - x).backward()
    np.testing.assert_allclose(x.grad, 2 * arr + 2)


def test_graph_is_cleared_after_backward():
    x = mg.tensor(2.0)
    y = x * 3
    z = y * y
    z.backward()
    assert z.creator is None and y.creator is None and x.creator is None
    assert x.grad == 36.0  # grads are kept


def test_entering_a_new_op_nulls_the_grad():
    x = mg.tensor([1.0, 2.0])
    (x * 2).backward()
    assert x.grad is not None
    _ = x * 3
    assert x.grad is None


def test_stale_grads_are_left_alone():
    x = mg.tensor(1.0)
    w = mg.tensor(2.0)
    (x * 2).backward()
    (w * 5).backward()
    assert x.grad == 2.0 and w.grad == 5.0


def test_backward_twice_only_sets_the_seed():
    x = mg.tensor(3.0)
    y = x * x
    y.backward()
    y.backward()
    assert y.grad == 1.0 and x.grad == 6.0


def test_graphs_sharing_only_a_leaf_both_backpropagate():  # D10
    x = mg.tensor(1.0)
    y = x * 2
    z = x * 3
    y.backward()
    assert x.grad == 2.0
    z.backward()
    assert x.grad == 3.0


def test_backprop_through_a_cleared_interior_raises_naming_the_tensor():  # D10
    x = mg.tensor(1.0)
    y = x * 2
    a = y * 3
    b = y * 4
    a.backward()
    with pytest.raises(InvalidBackprop, match="already cleared"):
        b.backward()
    # the failed backward changed nothing
    assert b.creator is not None


def test_clear_graph_then_backward_raises():
    x = mg.tensor(1.0)
    y = x * 2
    z = y * 3
    y.clear_graph()
    assert y.creator is None
    with pytest.raises(InvalidBackprop):
        z.backward()


def test_cleared_intermediate_is_reusable_as_a_leaf():
    x = mg.tensor(2.0)
    y = x * 3
    (y * 1).backward()
    w = y * y
    w.backward()
    assert y.grad == 12.0


def test_deleted_sibling_graph_does_not_block():
    x = mg.tensor(1.0)
    y = x * 2
    z = x * 3
    del y
    z.backward()
    assert x.grad == 3.0


def test_constant_tensors_never_get_grads():
    c = mg.tensor([1.0, 2.0], constant=True)
    x = mg.tensor([3.0, 4.0])
    out = c * x
    out.backward()
    assert c.grad is None
    np.testing.assert_array_equal(x.grad, c.data)
    c2 = c * 2
    c2.backward()
    assert c2.grad is None


def test_integer_results_leave_grads_none():
    i = mg.tensor([1, 2])
    out = i * 2
    out.backward()
    assert out.grad is None and i.grad is None


def test_constant_true_blocks_gradient_and_false_makes_a_variable_output():
    x = mg.tensor(2.0)
    y = mg.multiply(x, 3, constant=True)
    assert y.constant
    y.backward()
    assert x.grad is None
    z = mg.multiply(mg.tensor(1.0, constant=True), 2.0, constant=False)
    assert not z.constant
    z.backward()
    assert z.grad == 1.0


def test_leaf_made_under_no_autodiff():
    x = mg.tensor(2.0)
    with mg.no_autodiff:
        y = x * 3
    assert y.creator is None
    (y * y).backward()
    assert y.grad == 12.0 and x.grad is None


@given(
    st.data(),
    hnp.array_shapes(min_dims=0, max_dims=3, max_side=3),
)
def test_backward_with_a_grad_broadcastable_to_the_shape(data, shape):
    grad_shape = data.draw(hnp.broadcastable_shapes(shape, max_dims=len(shape)))
    if np.broadcast_shapes(grad_shape, shape) != shape:
        return
    g = data.draw(hnp.arrays(np.float64, grad_shape, elements=floats))
    x = mg.tensor(np.ones(shape))
    y = x * 2.0
    y.backward(g)
    np.testing.assert_allclose(x.grad, 2.0 * np.broadcast_to(g, shape))
    np.testing.assert_allclose(y.grad, np.broadcast_to(g, shape))


def test_backward_grad_that_would_enlarge_the_shape_raises():
    y = mg.tensor([1.0, 2.0, 3.0]) * 2
    with pytest.raises(ValueError, match="incompatible shape"):
        y.backward(np.ones((3, 1)))
    with pytest.raises(ValueError, match="incompatible shape"):
        y.backward(np.ones(2))
    assert y.creator is not None  # the graph survived the bad call


def test_backward_casts_the_grad_to_the_dtype():
    x = mg.tensor([1.0, 2.0], dtype=np.float32)
    y = x * 2
    y.backward(np.array([1, 2]))
    assert y.grad.dtype == np.float32 and x.grad.dtype == np.float32


@pytest.mark.parametrize("leaf_dtype", [np.float16, np.float32])
def test_grad_has_the_tensor_dtype_even_through_wider_ops(leaf_dtype):
    x = mg.tensor([1.0, 2.0], dtype=leaf_dtype)
    y = x * np.array([1.0, 1.0])  # promotes to float64
    assert y.dtype == np.float64
    y.backward()
    assert x.grad.dtype == leaf_dtype and x.grad.shape == x.shape


def test_grads_are_owned_and_never_shared():
    x = mg.tensor([1.0, 2.0])
    w = mg.tensor([3.0, 4.0])
    loss = x + w
    loss.backward()
    grads = [x.grad, w.grad, loss.grad]
    for i, a in enumerate(grads):
        assert a.flags.writeable and a.flags.owndata
        for b in grads[i + 1 :]:
            assert not np.shares_memory(a, b)


def test_backward_under_no_autodiff_is_a_no_op():
    x = mg.tensor(2.0)
    y = x * x
    with mg.no_autodiff:
        assert y.backward() is None
    assert x.grad is None and y.creator is not None


def test_variable_reached_by_no_gradient_keeps_grad_none():  # D7
    from mygrad.extend import defop

    @defop(name="_test_first_only", arrays=2)  # b_sq is an input that gets no gradient
    def first_only(a, b):
        return a * 1.0

    @first_only.vjp
    def _first_only_vjp(g, out, a, b):
        return g, None

    try:
        a = mg.tensor([1.0, 2.0])
        b = mg.tensor([3.0, 4.0])
        b_sq = b * b
        first_only(a, b_sq).backward()
        np.testing.assert_array_equal(a.grad, [1.0, 1.0])
        assert b.grad is None and b_sq.grad is None
    finally:
        from mygrad._registry import OPS

        OPS.pop("_test_first_only", None)


def test_graph_is_freed_once_unreferenced_without_gc():
    gc.disable()
    try:
        x = mg.tensor([1.0, 2.0])
        y = x * 2
        z = y * 3
        ref = weakref.ref(z.creator)
        del y, z
        assert ref() is None
    finally:
        gc.enable()


def test_intermediates_are_unreachable_after_backward():
    x = mg.tensor([1.0, 2.0])
    y = x * 2
    loss = y * 3
    node_refs = [weakref.ref(loss.creator), weakref.ref(y.creator)]
    y_ref = weakref.ref(y)
    del y
    loss.backward()
    assert y_ref() is None and all(r() is None for r in node_refs)


def test_million_node_chain_at_a_tiny_recursion_limit():  # D15
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        with mg.mem_guard_off:
            x = mg.tensor(1.0)
            y = x
            for _ in range(1_000_000):
                y = y * 1.0
            y.backward()
            assert x.grad == 1.0
            y = x
            for _ in range(1_000_000):
                y = y + 0.0
            del y  # teardown without backward must not recurse either
    finally:
        sys.setrecursionlimit(old)


def test_wide_fan_out_at_a_tiny_recursion_limit():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        x = mg.tensor(1.0)
        total = mg.add_sequence(*[x * 1.0 for _ in range(100_000)])
        total.backward()
        assert x.grad == 100_000.0
    finally:
        sys.setrecursionlimit(old)


def test_a_broadcast_0d_input_gets_a_0d_array_grad():
    x = mg.tensor(2.0)
    (x * mg.tensor([1.0, 2.0])).backward()
    assert type(x.grad) is np.ndarray and x.grad.shape == () and x.grad == 3.0
