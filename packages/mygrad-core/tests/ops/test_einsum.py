"""einsum: both calling forms, views exactly when NumPy returns one, out=, and exact VJPs
for traces, diagonals, labels summed away, broadcast ellipses and repeated operands."""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.ops import einsum_gradient
from mygrad.testing.hints.linalg import einsum_operands, separated
from mygrad.testing.oracles import check_vjp


def _split(args: tuple) -> tuple[list[np.ndarray], object]:
    """The operands of an einsum call, and a function rebuilding the call from new operands."""
    if isinstance(args[0], str):
        return list(args[1:]), lambda ops: (args[0], *ops)
    n = len(args) // 2

    def rebuild(ops):
        call = list(args)
        call[0 : 2 * n : 2] = ops
        return tuple(call)

    return list(args[0 : 2 * n : 2]), rebuild


@settings(max_examples=60, deadline=None)
@given(einsum_operands())
def test_forward_matches_numpy_in_both_calling_forms(args):
    arrays, rebuild = _split(args)
    tensors = [mg.tensor(a) for a in arrays]
    out = mg.einsum(*rebuild(tensors))
    expected = np.einsum(*args)
    assert out.shape == np.shape(expected)
    np.testing.assert_array_equal(out.data, expected)


@settings(max_examples=60, deadline=None)
@given(einsum_operands())
def test_result_is_a_view_exactly_when_numpy_returns_one(args):
    arrays, rebuild = _split(args)
    tensors = [mg.tensor(a) for a in arrays]
    out = mg.einsum(*rebuild(tensors))
    expected = np.einsum(*args)
    numpy_view = len(arrays) == 1 and np.shares_memory(expected, arrays[0])
    assert np.shares_memory(out.data, tensors[0].data) == numpy_view
    assert (out.base is tensors[0]) == numpy_view


@settings(max_examples=60, deadline=None)
@given(einsum_operands())
def test_vjp_matches_finite_differences(args):
    arrays, rebuild = _split(args)
    check_vjp(lambda *ops: mg.einsum(*rebuild(ops)), *arrays)


@settings(max_examples=60, deadline=None)
@given(einsum_operands())
def test_vjp_matches_finite_differences_when_every_gradient_einsum_is_planned(args):
    # large gradient contractions are planned (BLAS); small ones here, to check that path
    arrays, rebuild = _split(args)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(einsum_gradient, "PLAN_FROM_WORK", 0)
        check_vjp(lambda *ops: mg.einsum(*rebuild(ops)), *arrays)


@pytest.mark.parametrize(
    ("subscripts", "shapes"),
    [
        ("ij,ij->ij", [(3, 4), (3, 1)]),  # a label of size 1 against 4: einsum broadcasts
        ("...j,...j->...j", [(2, 3, 1), (3, 4)]),
        ("...i,...i->...", [(2, 1, 3), (4, 3)]),  # the broadcast label comes first
        ("ij,jk->ik", [(1, 3), (3, 4)]),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),  # a batch label
        ("ij,kl->", [(2, 3), (4, 5)]),  # labels summed away within each operand
        ("i,j", [(3,), (0,)]),
    ],
)
def test_planned_gradient_contractions_of_broadcast_batched_and_empty_operands(subscripts, shapes):
    rng = np.random.default_rng(1)
    arrays = [rng.normal(size=shape) for shape in shapes]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(einsum_gradient, "PLAN_FROM_WORK", 0)
        check_vjp(lambda *ops: mg.einsum(subscripts, *ops), *arrays)


def test_large_matrix_product_grads_are_the_matmul_formulas():
    rng = np.random.default_rng(0)
    a, b, g = rng.normal(size=(64, 256)), rng.normal(size=(256, 32)), rng.normal(size=(64, 32))
    ta, tb = mg.tensor(a), mg.tensor(np.asfortranarray(b))
    mg.einsum("ij,jk->ik", ta, tb).backward(g)
    np.testing.assert_allclose(ta.grad, g @ b.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tb.grad, a.T @ g, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("subscripts", "shape"),
    [("ii->i", (3, 3)), ("ijk->kji", (2, 3, 4)), ("ji", (2, 3)), ("i...i->...i", (3, 2, 3))],
)
def test_views_of_the_operand(subscripts, shape):
    x = mg.tensor(np.arange(np.prod(shape), dtype=float).reshape(shape))
    view = mg.einsum(subscripts, x)
    assert view.base is x
    view[...] = -1.0  # a write through the view reaches the base, as in NumPy
    expected = np.arange(np.prod(shape), dtype=float).reshape(shape)
    np.einsum(subscripts, expected)[...] = -1.0
    np.testing.assert_array_equal(x.data, expected)


def test_view_grad_is_a_view_of_the_base_grad():
    x = mg.tensor(np.arange(9.0).reshape(3, 3))
    diagonal = mg.einsum("ii->i", x)
    diagonal.backward(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(x.grad, np.diag([1.0, 2.0, 3.0]))
    assert diagonal.grad.base is x.grad


def test_reductions_are_not_views():
    x = mg.tensor(np.ones((3, 3)))
    assert mg.einsum("ij->i", x).base is None
    assert mg.einsum("ii", x).base is None


@pytest.mark.parametrize(
    ("subscripts", "grad_of_x"),
    [
        ("i,i", lambda x: 2 * x),
        ("ij,ji", lambda x: 2 * x.T),
        ("ij,ij->", lambda x: 2 * x),
        ("ii,jj", lambda x: 2 * np.trace(x) * np.eye(len(x))),
    ],
)
def test_same_tensor_passed_twice_gets_the_exact_grad(subscripts, grad_of_x):
    data = np.arange(1.0, 5.0) if subscripts == "i,i" else np.arange(1.0, 10.0).reshape(3, 3)
    x = mg.tensor(data)
    mg.einsum(subscripts, x, x).backward()
    np.testing.assert_allclose(x.grad, grad_of_x(data))


def test_trace_grad_is_the_identity():
    x = mg.tensor(np.arange(9.0).reshape(3, 3))
    mg.einsum("ii", x).backward()
    np.testing.assert_array_equal(x.grad, np.eye(3))


def test_label_summed_within_one_operand_broadcasts_back():
    x, y = mg.tensor(np.ones((2, 3))), mg.tensor([1.0, 2.0, 3.0])
    mg.einsum("ij,j->j", x, y).backward()
    np.testing.assert_array_equal(x.grad, np.broadcast_to([1.0, 2.0, 3.0], (2, 3)))
    np.testing.assert_array_equal(y.grad, [2.0, 2.0, 2.0])


def test_broadcast_size_one_axes_get_summed_grads():
    x, y = mg.tensor(np.ones((3, 1))), mg.tensor(np.ones((3, 4)))
    mg.einsum("...j,...j->...j", x, y).backward()
    np.testing.assert_array_equal(x.grad, np.full((3, 1), 4.0))


def test_sublist_form_maps_labels_like_numpy():
    x = np.arange(6.0).reshape(2, 3)
    # 27 is "b", 0 is "A": the implicit output is alphabetical (ASCII), so "Ab"
    out = mg.einsum(mg.tensor(x), [27, 0])
    np.testing.assert_array_equal(out.data, np.einsum(x, [27, 0]))
    np.testing.assert_array_equal(mg.einsum(x, [0, Ellipsis], [Ellipsis]).data, x.sum(axis=0))


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((np.ones(2), [52]), ValueError),
        ((np.ones(2), [-1]), ValueError),
        ((np.ones(2), ["i"]), TypeError),
    ],
)
def test_bad_sublist_labels_raise(args, error):
    with pytest.raises(error, match="sublist"):
        mg.einsum(*args)


def test_invalid_subscripts_raise_numpy_errors():
    with pytest.raises(ValueError):
        mg.einsum("ij,jk->ik", mg.tensor(np.ones((2, 3))), np.ones((4, 2)))
    with pytest.raises(TypeError):
        mg.einsum()


def test_numpy_einsum_dispatches_and_rejects_numpy_only_kwargs():
    x = mg.tensor(np.arange(4.0).reshape(2, 2))
    out = np.einsum("ij->", x)
    assert isinstance(out, mg.Tensor)
    out.backward()
    np.testing.assert_array_equal(x.grad, np.ones((2, 2)))
    assert isinstance(np.einsum(x, [0, 1], [1]), mg.Tensor)
    with pytest.raises(TypeError):
        np.einsum("ij", x, dtype=np.float64)


@settings(max_examples=20, deadline=None)
@given(einsum_operands(), st.sampled_from([True, "greedy", "optimal"]))
def test_optimize_gives_the_same_values_and_grads(args, optimize):
    arrays, rebuild = _split(args)
    plain = [mg.tensor(a) for a in arrays]
    planned = [mg.tensor(a) for a in arrays]
    out_plain = mg.einsum(*rebuild(plain))
    out_planned = mg.einsum(*rebuild(planned), optimize=optimize)
    np.testing.assert_allclose(out_planned.data, out_plain.data, rtol=1e-12, atol=1e-12)
    out_plain.backward()
    out_planned.backward()
    for p, q in zip(plain, planned):
        np.testing.assert_allclose(q.grad, p.grad, rtol=1e-12, atol=1e-12)


def test_out_tensor_is_updated_in_place_and_keeps_history():
    a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = mg.tensor([1.0, -1.0])
    target = mg.tensor([10.0, 20.0])
    before = target * 1.0  # uses the old value
    out = mg.einsum("ij,j->i", a, b, out=target)
    assert out is target
    np.testing.assert_array_equal(target.data, [-1.0, -1.0])
    (target * before).sum().backward()
    np.testing.assert_array_equal(b.grad, a.data.T @ np.array([10.0, 20.0]))
    np.testing.assert_array_equal(target.grad, [10.0, 20.0])


def test_out_tensor_that_is_also_an_operand():
    x = mg.tensor(np.arange(4.0).reshape(2, 2))
    mg.einsum("ij->ji", x, out=x)
    np.testing.assert_array_equal(x.data, np.arange(4.0).reshape(2, 2).T)


def test_out_tensor_keeps_views_of_a_fortran_ordered_target_views():
    # the view's chain (.T then a flattening reshape) is a view only of an F-ordered array:
    # the update must keep the target's memory layout for it to stay one
    target = mg.astensor(np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    view = target.T.reshape(-1)
    mg.einsum("ij->ij", np.ones((2, 3)) * [[1.0], [2.0]], out=target)
    assert view.base is target and np.shares_memory(view.data, target.data)
    np.testing.assert_array_equal(view.data, [1.0, 2.0, 1.0, 2.0, 1.0, 2.0])


def test_out_tensor_casting_errors_leave_the_target_untouched():
    target = mg.tensor(np.zeros(2, dtype=np.float32))
    with pytest.raises(TypeError):
        mg.einsum("ij,j->i", np.ones((2, 2)), np.ones(2), out=target)
    np.testing.assert_array_equal(target.data, [0.0, 0.0])
    assert target.creator is None


def test_out_ndarray_is_written_and_wrapped():
    a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    target = np.empty(2)
    out = mg.einsum("ij->i", a, out=target)
    assert out.data is target
    np.testing.assert_array_equal(target, [3.0, 7.0])
    out.backward()
    np.testing.assert_array_equal(a.grad, np.ones((2, 2)))


def test_out_under_no_autodiff_writes_into_the_target_array():
    target = mg.tensor(np.zeros(2))
    array = target.data
    with mg.no_autodiff:
        mg.einsum("ij->i", np.ones((2, 2)), out=target)
    assert target.data is array
    np.testing.assert_array_equal(array, [2.0, 2.0])


@settings(max_examples=20, deadline=None)
@given(einsum_operands())
def test_constant_propagation(args):
    arrays, rebuild = _split(args)
    assert mg.einsum(*rebuild(arrays)).constant  # array-likes are constants
    tensors = [mg.tensor(a) for a in arrays]
    assert not mg.einsum(*rebuild(tensors)).constant
    assert mg.einsum(*rebuild(tensors), constant=True).constant
    ints = [mg.tensor(a.astype(np.int64)) for a in arrays]
    assert mg.einsum(*rebuild(ints)).constant


def test_mixed_float_dtypes_give_grads_in_each_input_dtype():
    x = mg.tensor(np.ones((2, 3), dtype=np.float32))
    y = mg.tensor(np.ones(3, dtype=np.float64))
    out = mg.einsum("ij,j->i", x, y)
    assert out.dtype == np.float64
    out.backward()
    assert x.grad.dtype == np.float32 and y.grad.dtype == np.float64


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_einsum_as_matmul_agrees_with_matmul_grads(data):
    a = data.draw(separated((2, 3)))
    b = data.draw(separated((3, 4)))
    x1, y1, x2, y2 = (mg.tensor(v) for v in (a, b, a, b))
    mg.einsum("ij,jk->ik", x1, y1).backward()
    mg.matmul(x2, y2).backward()
    np.testing.assert_allclose(x1.grad, x2.grad)
    np.testing.assert_allclose(y1.grad, y2.grad)
