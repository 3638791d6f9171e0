"""In-place updates on tensors and views (api.md §S6): NumPy's values and aliasing,
gradients against finite differences, copy-on-write, preserved history, failures that
change nothing, and the write-through that ends once a view's graph is cleared (§S5)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing import LAYOUTS, numerical_vjp, shapes, with_layout
from mygrad.testing.stateful import view_ops

AUGMENTED: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "**=": operator.ipow,
}


@st.composite
def view_chains(draw: st.DrawFn, shape: tuple[int, ...], max_len: int = 3) -> list:
    """1 to ``max_len`` view ops, each fitting the result of the previous one (views of
    broadcasts included)."""
    chain = []
    probe = np.zeros(shape)
    for _ in range(draw(st.integers(1, max_len))):
        op = draw(view_ops(probe.shape))
        chain.append(op)
        probe = np.asarray(op.apply(probe))
    return chain


def _apply_chain(base: Any, chain: list) -> list:
    """The base followed by each successive view (NumPy scalars kept as 0-d arrays, as
    mygrad keeps 0-d tensors)."""
    out = [base]
    for op in chain:
        result = op.apply(out[-1])
        out.append(result if isinstance(result, mg.Tensor) else np.asarray(result))
    return out


def _owners(arrays: list) -> list[int]:
    """For each array, the position of the first array of the run it shares memory with."""
    owners = [0]
    for i in range(1, len(arrays)):
        owners.append(owners[i - 1] if _is_numpy_view(arrays[i], arrays[i - 1]) else i)
    return owners


def _is_numpy_view(result: np.ndarray, source: np.ndarray) -> bool:
    """Whether NumPy made ``result`` a view of ``source`` (an empty view shares nothing)."""
    if result.size:
        return bool(np.shares_memory(result, source))
    return result.base is not None and (result.base is source or result.base is source.base)


@st.composite
def chain_updates(draw: st.DrawFn) -> dict[str, Any]:
    shape = draw(shapes(max_dims=3, min_side=1, max_side=3, max_size=12))
    chain = draw(view_chains(shape))
    views = _apply_chain(np.zeros(shape), chain)
    target = draw(st.integers(0, len(chain)))
    op = draw(st.sampled_from(sorted(AUGMENTED)))
    target_shape = np.shape(views[target])
    operand_shape = target_shape[draw(st.integers(0, len(target_shape))) :]
    return {
        "x": draw(hnp.arrays(np.float64, shape, elements=st.floats(0.5, 2.0))),
        "chain": chain,
        "target": target,
        "op": op,
        # /= and **= by a tensor stay smooth: positive bases, exponents near 1
        "operand": draw(hnp.arrays(np.float64, operand_shape, elements=st.floats(0.5, 1.5))),
        "weights": [
            draw(hnp.arrays(np.float64, np.shape(v), elements=st.floats(-1, 1))) for v in views
        ],
    }


def _numpy_program(case: dict[str, Any]) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def run(x: np.ndarray, operand: np.ndarray) -> np.ndarray:
        arrays = _apply_chain(np.array(x, copy=True), case["chain"])
        AUGMENTED[case["op"]](arrays[case["target"]], operand)
        return np.asarray(sum(np.sum(w * a) for w, a in zip(case["weights"], arrays)))

    return run


@settings(max_examples=100)
@given(case=chain_updates())
def test_augmented_updates_through_chains_of_views_match_numpy(case):
    x0 = mg.tensor(case["x"])
    operand = mg.tensor(case["operand"])
    tensors = _apply_chain(+x0, case["chain"])
    arrays = _apply_chain(case["x"].copy(), case["chain"])
    try:
        AUGMENTED[case["op"]](arrays[case["target"]], case["operand"])
    except ValueError:  # a broadcast view: NumPy refuses, so does mygrad, changing nothing
        before = [t.data.copy() for t in tensors]
        with pytest.raises(ValueError):
            AUGMENTED[case["op"]](tensors[case["target"]], operand)
        for t, b in zip(tensors, before):
            np.testing.assert_array_equal(t.data, b)
        return
    target = tensors[case["target"]]
    assert AUGMENTED[case["op"]](target, operand) is target
    for i, (t, a, owner) in enumerate(zip(tensors, arrays, _owners(arrays))):
        np.testing.assert_allclose(t.data, a, rtol=1e-12)
        assert t.base is (None if owner == i else tensors[owner])
    loss = mg.sum(mg.stack([mg.sum(w * t) for w, t in zip(case["weights"], tensors)]))
    loss.backward()
    est_x, est_operand = numerical_vjp(_numpy_program(case), [case["x"], case["operand"]], 1.0)
    np.testing.assert_allclose(x0.grad, est_x.value, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(operand.grad, est_operand.value, rtol=1e-6, atol=1e-8)


def test_mutating_a_view_reaches_its_base_and_the_gradient_follows():
    x = mg.arange(1.0, 5.0)
    y = x[:2]
    y *= -1
    np.testing.assert_array_equal(x.data, [-1.0, -2.0, 3.0, 4.0])
    (x**2).backward()
    np.testing.assert_array_equal(x.grad, [-2.0, -4.0, 6.0, 8.0])
    np.testing.assert_array_equal(y.grad, [-2.0, -4.0])


def test_reshape_transpose_slice_chain_stays_coherent_both_ways():
    x = mg.arange(12.0)
    a = x.reshape(3, 4)
    b = a.T
    c = b[1:3, ::-1]
    sibling = x[::5]
    c[...] = -1.0
    expected = np.arange(12.0)
    expected.reshape(3, 4).T[1:3, ::-1] = -1.0
    for t, want in [(x, expected), (a, expected.reshape(3, 4)), (sibling, expected[::5])]:
        np.testing.assert_array_equal(t.data, want)
    x += 100.0  # mutating the base updates every view
    expected += 100.0
    np.testing.assert_array_equal(c.data, expected.reshape(3, 4).T[1:3, ::-1])
    assert c.base is x and b.base is x and np.shares_memory(c.data, x.data)


@pytest.mark.parametrize("layout", [name for name in LAYOUTS if name != "broadcast"])
def test_views_of_a_base_of_any_memory_layout_stay_views_through_updates(layout):
    values = np.arange(12.0).reshape(3, 4)
    x = mg.astensor(with_layout(values, layout))
    x = +x if layout == "offset" else x  # an offset view is a view of another array
    expected = np.array(x.data, copy=True, order="K")
    views = [x.T.reshape(-1) if x.data.flags.f_contiguous else x.reshape(-1), x[::-1, 1:], x.T]
    np_views = [
        expected.T.reshape(-1) if x.data.flags.f_contiguous else expected.reshape(-1),
        expected[::-1, 1:],
        expected.T,
    ]
    views[1][0, 0] = -5.0
    np_views[1][0, 0] = -5.0
    x *= 2.0
    expected *= 2.0
    for v, want in zip(views, np_views):
        assert v.base is x and np.shares_memory(v.data, x.data)
        np.testing.assert_array_equal(v.data, want)


def test_where_with_out_sends_masked_out_gradient_to_the_old_value():
    x = mg.tensor([1.0, 2.0])
    z0 = mg.tensor([5.0, 6.0])
    zz = +z0
    out = mg.multiply(x, 3, where=[True, False], out=zz)
    assert out is zz
    np.testing.assert_array_equal(zz.data, [3.0, 6.0])
    zz.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0])
    np.testing.assert_array_equal(z0.grad, [0.0, 1.0])


def test_numpy_ufunc_with_a_tensor_out_on_a_view():
    x = mg.arange(1.0, 5.0)
    y = +x
    v = y[1:3]
    assert np.multiply(v, 2.0, out=v, where=[True, False]) is v
    np.testing.assert_array_equal(y.data, [1.0, 4.0, 3.0, 4.0])
    (y * y).backward()
    np.testing.assert_array_equal(x.grad, [2.0, 16.0, 6.0, 8.0])
    np.testing.assert_array_equal(v.grad, [8.0, 6.0])


@settings(max_examples=50)
@given(x=hnp.arrays(np.float64, (3, 4), elements=st.floats(0.1, 3) | st.floats(-3, -0.1)))
def test_masked_composite_power_differentiates(x):  # 0, the mask's edge, is a kink
    def numpy_program(a: np.ndarray) -> np.ndarray:
        a = np.array(a, copy=True)
        a[a > 0] **= 2
        return a

    x0 = mg.tensor(x)
    y = +x0
    y[y > 0] **= 2
    np.testing.assert_array_equal(y.data, numpy_program(x))
    g = np.linspace(-1, 1, 12).reshape(3, 4)
    y.backward(g)
    (estimate,) = numerical_vjp(numpy_program, [x], g)
    np.testing.assert_allclose(x0.grad, estimate.value, rtol=1e-6, atol=1e-8)


def test_target_keeps_its_identity_and_becomes_the_op_output():
    x = mg.tensor([1.0, 2.0])
    (x * 1).backward()
    assert x.grad is not None
    ident = id(x)
    x += 1
    assert id(x) == ident and x.creator is not None and x.grad is None


def test_copy_on_write_under_tracking_and_direct_writes_under_no_autodiff():
    arr = np.array([1.0, 2.0, 3.0])
    t = mg.astensor(arr)
    view = t[1:]
    t[0] = 5.0
    np.testing.assert_array_equal(arr, [1.0, 2.0, 3.0])  # the wrapped array is never written
    assert t.data is not arr and view.base is t
    arr2 = np.array([1.0, 2.0, 3.0])
    t2 = mg.astensor(arr2)
    with mg.no_autodiff:
        v2 = t2[1:]
        t2[0] = 5.0
        v2 *= 10.0  # memory is shared, so the base sees it
    assert t2.data is arr2 and v2.base is None
    np.testing.assert_array_equal(arr2, [5.0, 20.0, 30.0])


def test_an_array_held_by_a_graph_is_never_written():
    x = mg.tensor([1.0, 2.0])
    held = x.data
    y = x * 2
    x += 1
    x[0] = 10.0
    np.testing.assert_array_equal(held, [1.0, 2.0])
    assert not held.flags.writeable  # locked by y's graph and by x's own history
    y.backward()
    assert not held.flags.writeable
    x.clear_graph()
    assert held.flags.writeable


def test_graph_history_is_preserved():
    x = mg.tensor([1.0, 2.0])
    y = 3 * x
    x[0] = 5.0
    y.backward()
    assert x.grad is None  # y's gradient went to the old value, not the public tensor
    x = mg.tensor([1.0, 2.0])
    y = 3 * x
    x[0] = 5.0
    mg.sum(y * x).backward()
    np.testing.assert_array_equal(x.grad, [3.0, 6.0])  # 3 * x_old, w.r.t. the new x


@pytest.mark.parametrize("on_view", [False, True])
def test_a_failing_inplace_op_leaves_graph_and_data_as_they_were(on_view):
    x = mg.arange(1.0, 5.0)
    y_base = 2 * x
    y = y_base[...] if on_view else y_base
    w = y[...]
    u = mg.tensor([1.0, 2.0, 3.0])
    (u * 1).backward()
    state = (y_base.data, y.data, y.creator, y_base.creator, u.grad)
    with pytest.raises(ValueError):
        y[:2] = y  # shape mismatch
    with pytest.raises(ValueError):
        y += u  # shape mismatch: u does not enter the op, so keeps its grad
    assert (y_base.data, y.data, y.creator, y_base.creator, u.grad) == state
    (2 * w).backward()
    assert w.base is y_base and np.shares_memory(w.data, y.data)  # disconnected (S5)
    np.testing.assert_array_equal(x.grad, [4.0] * 4)


def test_failing_cast_changes_nothing():
    x = mg.arange(4)  # int64, constant
    before = x.data
    with pytest.raises(TypeError):  # float into int with out=: not same-kind castable
        x += 1.5
    assert x.data is before


def test_after_the_graph_is_cleared_a_view_no_longer_writes_through():
    x = mg.arange(4.0)
    v = x[:2]
    v.clear_graph()  # the node linking v to x is cleared
    v[0] = 9.0
    np.testing.assert_array_equal(x.data, np.arange(4.0))
    assert v.base is None
    w = x[2:]
    (w * 1).backward()
    x[3] = 7.0  # a base mutation no longer reaches w either
    np.testing.assert_array_equal(w.data, [2.0, 3.0])


def test_writes_before_any_backward_reach_base_and_views_both_ways():
    x = mg.arange(6.0).reshape(2, 3)  # itself a view of the arange tensor
    root = x.base
    col = x[:, 1]
    col[...] = 0.0
    x[1] = -1.0
    np.testing.assert_array_equal(root.data, [0.0, 0.0, 2.0, -1.0, -1.0, -1.0])
    np.testing.assert_array_equal(col.data, [0.0, -1.0])


def test_refusals():
    x = mg.arange(3.0)
    with pytest.raises(TypeError):
        x @= x
    b = mg.broadcast_to(x, (2, 3))
    for write in (lambda: b.__setitem__(0, 5.0), lambda: b.__iadd__(1.0)):
        with pytest.raises(ValueError):
            write()
        with mg.no_autodiff, pytest.raises(ValueError):
            write()
    frozen = np.ones(3)
    frozen.flags.writeable = False
    t = mg.astensor(frozen)
    with pytest.raises(ValueError, match="read-only"):
        t += 1
    with mg.no_autodiff, pytest.raises(ValueError):
        t[0] = 2.0
    with pytest.raises(ValueError, match="read-only"):
        t[1:][0] = 2.0  # through a view of it


def test_floordiv_assignment():
    c = mg.tensor([3.0, 4.0], constant=True)
    c //= 2
    assert type(c) is np.ndarray and c.tolist() == [1.0, 2.0]
    v = mg.tensor([3.0, 4.0])
    with pytest.raises(ValueError):
        v //= 2
