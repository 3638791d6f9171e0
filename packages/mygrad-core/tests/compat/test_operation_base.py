"""Custom ``Operation`` subclasses run through ``mg.execute_op`` (api.md §11, S9; D7)."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad._utils import SkipGradient, reduce_broadcast
from mygrad.errors import InvalidGradient
from mygrad.operation_base import BinaryUfunc, Operation, Sequential, Ufunc, UnaryUfunc
from mygrad.testing.oracles import check_vjp

floats = st.floats(-10, 10)


class Multiply(Operation):
    """x * y, written the MyGrad 2.x way."""

    def __call__(self, x, y):
        self.variables = (x, y)
        return x.data * y.data

    def backward_var(self, grad, index, **kwargs):
        x, y = self.variables
        return grad * (y.data if index == 0 else x.data)


class Negative(Operation):
    """-x, with ``out=`` support."""

    def __call__(self, x, out=None):
        self.variables = (x,)
        return np.negative(x.data, out=out)

    def backward_var(self, grad, index, **kwargs):
        return -grad


def test_example_contract_from_the_spec():
    x, y = mg.tensor(2.0), mg.tensor([1.0, 2.0, 3.0])
    out = mg.execute_op(Multiply, x, y)
    assert isinstance(out, mg.Tensor) and not out.constant
    out.backward()
    np.testing.assert_array_equal(x.grad, 6.0)
    np.testing.assert_array_equal(y.grad, [2.0, 2.0, 2.0])


def test_array_likes_are_constants():
    assert mg.execute_op(Multiply, 1.0, 2.0).constant is True
    x = mg.tensor([1.0, 2.0])
    out = mg.execute_op(Multiply, x, [3.0, 4.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


def test_execute_op_is_tensor_op():
    assert mg.execute_op == mg.Tensor._op


@settings(max_examples=30, deadline=None)
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3), st.data())
def test_gradients_are_summed_over_broadcast_axes(shapes, data):
    a = data.draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=floats))
    b = data.draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=floats))
    grad = data.draw(hnp.arrays(np.float64, shapes.result_shape, elements=floats))
    x, y = mg.tensor(a), mg.tensor(b)
    out = mg.execute_op(Multiply, x, y)
    np.testing.assert_array_equal(out.data, a * b)
    out.backward(grad)
    np.testing.assert_allclose(x.grad, reduce_broadcast(grad * b, a.shape))
    np.testing.assert_allclose(y.grad, reduce_broadcast(grad * a, b.shape))
    assert x.grad.shape == a.shape and y.grad.shape == b.shape


@settings(max_examples=20, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=3), elements=floats))
def test_check_vjp_accepts_an_operation(a):
    check_vjp(Multiply, a, a[::-1].copy())


def test_constant_argument():
    x = mg.tensor([1.0, 2.0])
    assert mg.execute_op(Multiply, x, x, constant=True).constant is True
    forced = mg.execute_op(Multiply, 1.0, 2.0, constant=False)
    assert forced.constant is False
    with pytest.raises(ValueError, match="Integer-valued"):
        mg.execute_op(Multiply, 1, 2, constant=False)
    with pytest.raises(TypeError, match="constant"):
        mg.execute_op(Multiply, x, x, constant=1)


def test_the_same_tensor_twice_accumulates():
    x = mg.tensor([1.0, -2.0])
    mg.execute_op(Multiply, x, x).backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data)


def test_op_args_and_kwargs_reach_the_forward_pass():
    class Scale(Operation):
        def __call__(self, x, factor, *, offset=0.0):
            self.variables = (x,)
            self.factor = factor
            return x.data * factor + offset

        def backward_var(self, grad, index, **kwargs):
            return grad * self.factor

    x = mg.tensor([1.0, 2.0])
    out = mg.execute_op(Scale, x, op_args=(3.0,), op_kwargs={"offset": 1.0})
    np.testing.assert_array_equal(out.data, [4.0, 7.0])
    out.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


@pytest.mark.parametrize("bad", [None, "grad", object(), [1.0, 2.0], True])
def test_non_numeric_gradient_is_invalid(bad):
    class Bad(Multiply):
        def backward_var(self, grad, index, **kwargs):
            return bad

    x = mg.tensor([1.0, 2.0])
    out = mg.execute_op(Bad, x, 2.0)
    with pytest.raises(InvalidGradient, match=r"Bad\.backward_var"):
        out.backward()


def test_gradient_with_fewer_dims_than_its_variable_is_a_value_error():
    class ScalarGrad(Multiply):
        def backward_var(self, grad, index, **kwargs):
            return 1.0

    x = mg.tensor([1.0, 2.0])
    with pytest.raises(ValueError, match="fewer dimensions"):
        mg.execute_op(ScalarGrad, x, 2.0).backward()
    # a 0-d variable may get a plain number
    s = mg.tensor(3.0)
    mg.execute_op(ScalarGrad, s, 2.0).backward()
    assert s.grad == 1.0


def test_skip_gradient_leaves_grad_none_without_error():  # D7
    class SkipSecond(Multiply):
        def backward_var(self, grad, index, **kwargs):
            if index == 1:
                raise SkipGradient
            return super().backward_var(grad, index)

    x, y = mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])
    mg.execute_op(SkipSecond, x, y).backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])
    assert y.grad is None


def test_skip_gradient_keeps_gradient_from_other_paths():
    class SkipAll(Multiply):
        def backward_var(self, grad, index, **kwargs):
            raise SkipGradient

    x = mg.tensor([1.0, 2.0])
    (mg.execute_op(SkipAll, x, x) + 2 * x).backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_operation_base_is_abstract_and_needs_variables():
    with pytest.raises(TypeError):
        Operation()  # type: ignore[abstract]

    class NoVariables(Operation):
        def __call__(self, x):
            return x.data

        def backward_var(self, grad, index, **kwargs):
            return grad

    with pytest.raises(TypeError, match="self.variables"):
        mg.execute_op(NoVariables, mg.tensor(1.0))
    with pytest.raises(TypeError, match="Operation"):
        mg.execute_op(lambda x: x, mg.tensor(1.0))


def test_out_ndarray_is_written_and_wrapped():
    x = mg.tensor([1.0, 2.0])
    buf = np.zeros(2)
    out = mg.execute_op(Negative, x, out=buf)
    assert out.data is buf
    np.testing.assert_array_equal(buf, [-1.0, -2.0])
    assert not buf.flags.writeable  # locked while the op is alive
    out.backward()
    np.testing.assert_array_equal(x.grad, [-1.0, -1.0])
    assert buf.flags.writeable


def test_out_requires_an_op_accepting_it():
    with pytest.raises(TypeError):
        mg.execute_op(Multiply, mg.tensor(1.0), 2.0, out=np.zeros(()))
    with pytest.raises(TypeError, match="out"):
        mg.execute_op(Negative, mg.tensor(1.0), out=[0.0])


def test_out_tensor_is_an_in_place_update():
    x = mg.tensor([1.0, 2.0])
    target = mg.tensor([5.0, 6.0])
    same = target
    returned = mg.execute_op(Negative, x, out=target)
    assert returned is same
    np.testing.assert_array_equal(target.data, [-1.0, -2.0])
    (target * target).sum().backward()
    np.testing.assert_array_equal(target.grad, 2 * target.data)
    np.testing.assert_array_equal(x.grad, 2 * x.data)


def test_constant_out_tensor_stays_constant():
    x = mg.tensor([1.0, 2.0])
    target = mg.tensor([0.0, 0.0], constant=True)
    mg.execute_op(Negative, x, out=target)
    assert target.constant
    np.testing.assert_array_equal(target.data, [-1.0, -2.0])


def test_inputs_are_locked_while_the_op_lives():
    arr = np.array([1.0, 2.0])
    x = mg.tensor(arr, copy=False)
    out = mg.execute_op(Multiply, x, 2.0)
    with pytest.raises(ValueError):
        x.data[0] = 3.0
    out.backward()
    x.data[0] = 3.0


def test_backward_sees_the_values_of_the_forward_pass_after_an_in_place_update():
    x = mg.tensor([1.0, 2.0])
    y = mg.tensor([3.0, 4.0])
    out = mg.execute_op(Multiply, x, y)
    y[...] = 100.0
    out.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


def test_no_autodiff_builds_no_graph():
    x = mg.tensor([1.0, 2.0])
    with mg.no_autodiff:
        out = mg.execute_op(Multiply, x, x)
    assert out.creator is None
    np.testing.assert_array_equal(out.data, [1.0, 4.0])


def test_subclass_tensors():
    class MyTensor(mg.Tensor):
        pass

    out = MyTensor._op(Multiply, mg.tensor(1.0), 2.0)
    assert type(out) is MyTensor


def test_overridden_backward_delegating_to_super():
    class Joint(Multiply):
        def backward(self, grad, *, graph, **kwargs):
            self.seen = grad.copy()
            super().backward(grad, graph=graph, **kwargs)

    x, y = mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])
    mg.execute_op(Joint, x, y).backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])
    np.testing.assert_array_equal(y.grad, [1.0, 2.0])


def test_overridden_backward_that_skips_super_is_a_clear_error():
    class Broken(Multiply):
        def backward(self, grad, **kwargs):
            return None

    with pytest.raises(TypeError, match="super"):
        mg.execute_op(Broken, mg.tensor(1.0), 2.0).backward()


class Transpose(Operation):
    can_return_view = True

    def __call__(self, x):
        self.variables = (x,)
        return x.data.T

    def backward_var(self, grad, index, **kwargs):
        return grad.T


def test_view_returning_op_records_base_and_view_grad():
    x = mg.tensor([[1.0, 2.0, 3.0]])
    v = mg.execute_op(Transpose, x)
    assert v.base is x
    assert np.shares_memory(v, x)
    (v * np.array([[1.0], [2.0], [3.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad, [[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(v.grad, x.grad.T)


def test_view_op_returning_a_copy_is_no_view():
    class Copying(Transpose):
        def __call__(self, x):
            self.variables = (x,)
            return x.data.T.copy()

    x = mg.tensor([[1.0, 2.0]])
    assert mg.execute_op(Copying, x).base is None


def test_write_through_a_custom_view_reaches_the_base():
    x = mg.tensor([[1.0, 2.0, 3.0]])
    v = mg.execute_op(Transpose, x)
    v[0, 0] = -5.0
    np.testing.assert_array_equal(x.data, [[-5.0, 2.0, 3.0]])
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data)


class Sin(UnaryUfunc):
    numpy_ufunc = np.sin

    def backward_var(self, grad, index, **kwargs):
        return grad * np.cos(self.variables[0].data)


class Hypot(BinaryUfunc):
    numpy_ufunc = np.hypot

    def backward_var(self, grad, index, **kwargs):
        x1, x2 = (v.data for v in self.variables)
        return grad * (x1, x2)[index] / np.hypot(x1, x2)


def test_ufunc_base_mirrors_numpy_attributes():
    op = Hypot()
    assert isinstance(op, Ufunc)
    for attr in ("nin", "nout", "nargs", "ntypes", "types", "identity", "signature"):
        assert getattr(op, attr) == getattr(np.hypot, attr)


@settings(max_examples=20, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=3), elements=floats))
def test_unary_ufunc_forward_and_gradient(a):
    x = mg.tensor(a)
    out = mg.execute_op(Sin, x)
    np.testing.assert_array_equal(out.data, np.sin(a))
    out.backward()
    np.testing.assert_allclose(x.grad, np.cos(a))


def test_ufunc_where_masks_the_gradient():
    x = mg.tensor([0.0, 1.0, 2.0])
    where = np.array([True, False, True])
    out = mg.execute_op(Sin, x, op_kwargs={"where": where, "out": np.zeros(3)})
    np.testing.assert_array_equal(out.data, np.where(where, np.sin(x.data), 0.0))
    out.backward()
    np.testing.assert_allclose(x.grad, np.where(where, np.cos(x.data), 0.0))


@settings(max_examples=20, deadline=None)
@given(hnp.arrays(np.float64, (2, 3), elements=st.floats(0.5, 10)))
def test_binary_ufunc_against_the_oracle(a):
    check_vjp(Hypot, a, a[::-1].copy())


class Sum(Sequential):
    numpy_func = staticmethod(np.sum)

    def backward_var(self, grad, index, **kwargs):
        (x,) = self.variables
        if self.axis is not None and self.keepdims is not True:  # unset keepdims: no value
            grad = np.expand_dims(grad, self.axis)
        return np.broadcast_to(grad, x.shape)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1), -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_sequential_axis_normalisation_and_gradient(axis, keepdims):
    x = mg.tensor(np.arange(6.0).reshape(2, 3))
    op_kwargs = {"keepdims": keepdims} if keepdims else {}
    out = mg.execute_op(Sum, x, op_args=(axis,), op_kwargs=op_kwargs)
    np.testing.assert_array_equal(out.data, np.sum(x.data, axis=axis, keepdims=keepdims))
    operation = out.creator.op.operation
    assert operation.axis == (axis if axis is None or isinstance(axis, tuple) else (axis,))
    assert operation.out_shape == out.shape
    out.backward()
    np.testing.assert_array_equal(x.grad, np.ones((2, 3)))
