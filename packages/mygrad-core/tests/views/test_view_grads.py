"""Views and their gradients (api.md §S5): ``base``, shared memory, and ``view.grad`` as a
view of ``base.grad`` holding the total gradient of the base at the view's positions."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing import shapes
from mygrad.testing.stateful import view_ops


def _positions(op_chain: list, shape: tuple[int, ...]) -> np.ndarray:
    """Where each entry of the view sits in its base (flat C order)."""
    out = np.arange(int(np.prod(shape))).reshape(shape)
    for op in op_chain:
        out = np.asarray(op.apply(out))
    return out


@st.composite
def views_of_views(draw: st.DrawFn) -> tuple[np.ndarray, list]:
    shape = draw(shapes(max_dims=3, min_side=1, max_side=3, max_size=12))
    chain, probe = [], np.zeros(shape)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(view_ops(probe.shape))
        if not np.shares_memory(np.asarray(op.apply(probe)), probe) or probe.size == 0:
            break  # a copy ends the chain of views
        chain.append(op)
        probe = np.asarray(op.apply(probe))
    return draw(hnp.arrays(np.float64, shape, elements=st.floats(-2, 2))), chain


@settings(max_examples=100)
@given(case=views_of_views(), use=st.sampled_from(["base", "view", "both"]))
def test_view_grad_is_a_view_of_the_base_grad_with_the_total_gradient(case, use):
    array, chain = case
    base = mg.tensor(array)
    view = base
    for op in chain:
        view = op.apply(view)
    assert (view.base is base) == bool(chain)
    assert np.shares_memory(view.data, base.data)
    g_view = np.linspace(-1.0, 2.0, view.size).reshape(view.shape)
    terms = {"base": [mg.sum(base**2)], "view": [mg.sum(view * g_view)]}
    terms["both"] = terms["base"] + terms["view"]
    mg.add_sequence(*terms[use], 0.0).backward()
    positions = _positions(chain, array.shape)
    expected_base = np.zeros(array.size)
    if use != "view":
        expected_base += 2 * array.ravel()
    if use != "base":
        np.add.at(expected_base, positions.ravel(), g_view.ravel())
    np.testing.assert_allclose(base.grad.ravel(), expected_base)
    if chain:
        np.testing.assert_array_equal(view.grad, np.take(base.grad, positions))
        # a view stays a view of its base, also once its graph was cleared (MyGrad)
        assert view.base is base
        assert view.grad is base.grad or view.grad.base is base.grad


def test_view_that_took_no_part_still_reads_its_bases_grad():
    x = mg.tensor([1.0, 2.0, 3.0])
    v = x[:2]
    (x**2).backward()
    np.testing.assert_array_equal(v.grad, [2.0, 4.0])
    assert v.grad.base is x.grad


def test_backprop_from_a_view_reaches_the_base():
    x = mg.arange(6.0).reshape(2, 3)
    root = x.base
    x[:, ::2].backward()
    np.testing.assert_array_equal(root.grad, [1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    np.testing.assert_array_equal(x.grad, [[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]])


def test_view_of_a_view_points_at_the_memory_owner():
    x = mg.arange(8.0)
    a = x[1:]
    b = a.reshape(7, 1)
    c = b.T[0, ::2]
    assert a.base is x and b.base is x and c.base is x
    assert np.shares_memory(c, x) and np.shares_memory(c.data, a.data)


def test_diagonal_example():
    x = mg.arange(9.0).reshape(3, 3)
    diag_view = np.einsum("ii->i", x)
    assert np.shares_memory(diag_view, x) and diag_view.base is x.base
    diag_view *= -1
    np.testing.assert_array_equal(np.diag(x.data), [-0.0, -4.0, -8.0])
    (x**2).backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data)
    np.testing.assert_array_equal(diag_view.grad, np.diag(x.grad))
    assert np.shares_memory(diag_view.grad, x.grad)
    assert diag_view.grad.base is diag_view.base.grad


def test_integer_and_boolean_tensor_indices_make_copies_not_views():
    x = mg.arange(6.0)
    assert x[mg.tensor([0, 1])].base is None
    assert x[mg.tensor([True] * 6)].base is None
    assert x[1:3].base is x and x[..., None].base is x


def test_a_view_stays_a_view_of_its_base_after_backprop():
    # MyGrad: base and grad-is-view survive the cleared graph; the link ends at the view's
    # next in-place update (api.md S5)
    x = mg.arange(1.0, 5.0)
    v = x[:3]
    mg.sum(v * v).backward()
    assert v.base is x and np.shares_memory(v.data, x.data)
    assert v.grad.base is x.grad
    np.testing.assert_array_equal(v.grad, [2.0, 4.0, 6.0])
    x += 1.0  # the base's update no longer reaches the disconnected view
    np.testing.assert_array_equal(v.data, [1.0, 2.0, 3.0])
    assert v.base is x and v.grad is None  # the base's grad was nulled
    v[0] = 9.0  # its own update makes it independent
    assert v.base is None
    np.testing.assert_array_equal(x.data, [2.0, 3.0, 4.0, 5.0])


def test_views_of_a_disconnected_view_have_grads_that_are_views_of_its_grad():
    x = mg.arange(1.0, 5.0)
    v = x[1:]
    mg.sum(v * v).backward()
    w = v[:2]  # v enters a new view op: it becomes independent, keeping its grad
    assert v.base is None and w.base is v
    assert w.grad.base is v.grad
    np.testing.assert_array_equal(v.grad, [4.0, 6.0, 8.0])
    np.testing.assert_array_equal(w.grad, [4.0, 6.0])
    mg.sum(w * 3).backward()
    assert w.grad.base is v.grad
    np.testing.assert_array_equal(v.grad, [3.0, 3.0, 0.0])


def test_a_disconnected_view_used_in_a_new_graph_gets_its_own_grad():
    x = mg.arange(1.0, 4.0)
    v = x[:2]
    (v * 1).backward()
    (v * 5).backward()  # v enters a new graph on its own
    assert v.base is None
    np.testing.assert_array_equal(v.grad, [5.0, 5.0])
    np.testing.assert_array_equal(x.grad, [1.0, 1.0, 0.0])
    u = x[1:]
    (u * 1).backward()
    u.backward([2.0, 3.0])  # backward from the disconnected view itself
    assert u.base is None
    np.testing.assert_array_equal(u.grad, [2.0, 3.0])
