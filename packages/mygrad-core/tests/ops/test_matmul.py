"""matmul: NumPy semantics (1-D promotion, batch broadcasting), its VJP, and its ufunc front end."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad.testing.hints.linalg import separated
from mygrad.testing.oracles import check_vjp

# NumPy's own signature: the optional axes (n?, m?) draw the 1-D promotions too
matmul_shapes = hnp.mutually_broadcastable_shapes(signature=np.matmul.signature, max_side=4)


@settings(max_examples=30, deadline=None)
@given(matmul_shapes, st.data(), st.sampled_from([np.float64, np.float32]))
def test_forward_matches_numpy(shapes, data, dtype):
    a, b = (data.draw(separated(s)).astype(dtype) for s in shapes.input_shapes)
    out = mg.matmul(mg.tensor(a), mg.tensor(b))
    expected = np.matmul(a, b)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


@settings(max_examples=30, deadline=None)
@given(matmul_shapes, st.data())
def test_vjp_matches_finite_differences(shapes, data):
    a, b = (data.draw(separated(s)) for s in shapes.input_shapes)
    check_vjp(mg.matmul, a, b)


@pytest.mark.parametrize(
    ("shape1", "shape2"),
    [((3,), (3,)), ((3,), (2, 3, 4)), ((2, 1, 4, 3), (3,)), ((1, 2, 3), (4, 1, 3, 2))],
)
def test_grads_have_the_shapes_of_promoted_and_broadcast_inputs(shape1, shape2):
    rng = np.random.default_rng(0)
    x1, x2 = mg.tensor(rng.normal(size=shape1)), mg.tensor(rng.normal(size=shape2))
    mg.matmul(x1, x2).backward()
    assert x1.grad.shape == shape1 and x2.grad.shape == shape2
    check_vjp(mg.matmul, x1.data, x2.data)


def test_operator_forms_and_numpy_dispatch_reach_the_op():
    a = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = np.array([1.0, -1.0])
    for out in (a @ b, np.matmul(a, b), mg.matmul(a, b)):
        assert isinstance(out, mg.Tensor)
        assert out.creator is not None and out.creator.op.name == "matmul"
        np.testing.assert_array_equal(out.data, a.data @ b)
    left = b @ a  # ndarray @ Tensor -> Tensor.__rmatmul__
    assert isinstance(left, mg.Tensor)
    left.backward()
    np.testing.assert_array_equal(a.grad, np.outer(b, np.ones(2)))


@pytest.mark.parametrize("bad", [(mg.tensor(2.0), np.ones(2)), (np.ones(2), 3.0)])
def test_zero_dimensional_operands_raise_value_error(bad):
    with pytest.raises(ValueError, match="dimension"):
        mg.matmul(*bad)


def test_mismatched_core_dimensions_raise_value_error():
    with pytest.raises(ValueError):
        mg.matmul(mg.tensor(np.ones((2, 3))), np.ones((2, 3)))


def test_where_is_not_accepted():
    with pytest.raises(TypeError, match="where"):
        mg.matmul(mg.tensor(np.ones((2, 2))), np.ones((2, 2)), where=np.array([True, False]))
    with pytest.raises(TypeError):
        np.matmul(mg.tensor(np.ones((2, 2))), np.ones((2, 2)), where=np.array([True, False]))


def test_inplace_matmul_operator_raises_type_error():
    x = mg.tensor(np.ones((2, 2)))
    with pytest.raises(TypeError):
        x @= x


def test_dtype_sets_the_computation_dtype_and_grads_keep_input_dtypes():
    a = mg.tensor(np.ones((2, 3)))
    b = mg.tensor(np.ones(3, dtype=np.float32))
    out = mg.matmul(a, b, dtype=np.float32)
    assert out.dtype == np.float32
    out.backward()
    assert a.grad.dtype == np.float64 and b.grad.dtype == np.float32
    np.testing.assert_array_equal(b.grad, np.full(3, 2.0, dtype=np.float32))


def test_out_ndarray_is_written_and_wrapped():
    a, b = mg.tensor(np.eye(2)), mg.tensor([2.0, 3.0])
    target = np.empty(2)
    out = mg.matmul(a, b, out=target)
    assert out.data is target
    np.testing.assert_array_equal(target, [2.0, 3.0])
    out.backward()
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])


def test_out_tensor_is_updated_in_place():
    a, b = mg.tensor([[1.0, 2.0], [3.0, 4.0]]), mg.tensor([1.0, 1.0])
    target = mg.zeros(2)
    out = mg.matmul(a, b, out=target)
    assert out is target
    np.testing.assert_array_equal(target.data, [3.0, 7.0])
    (target * target).sum().backward()
    np.testing.assert_array_equal(b.grad, a.data.T @ (2 * target.data))


def test_constant_propagation():
    ints = mg.tensor(np.ones((2, 2), dtype=np.int64))
    assert mg.matmul(ints, ints).constant
    x = mg.tensor(np.ones((2, 2)))
    assert not mg.matmul(x, ints).constant
    assert mg.matmul(x, x, constant=True).constant
    with pytest.raises(ValueError):
        mg.matmul(ints, ints, constant=False)


def test_only_variable_inputs_get_grads():
    x = mg.tensor(np.ones((2, 2)))
    c = mg.tensor(np.ones((2, 2)), constant=True)
    mg.matmul(x, c).backward()
    assert x.grad is not None and c.grad is None


def test_is_a_mygrad_ufunc_mirroring_numpy():
    assert issubclass(mg.matmul, mg.ufunc)
    assert repr(mg.matmul) == "<mygrad-ufunc 'matmul'>"
    assert mg.matmul.signature == np.matmul.signature
    assert (mg.matmul.nin, mg.matmul.nout) == (2, 1)
