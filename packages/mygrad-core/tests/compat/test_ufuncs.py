"""``mygrad.ufuncs``: ``ufunc_creator`` and the ufunc metaclasses (api.md §5)."""

from __future__ import annotations

import inspect

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import mygrad as mg
from mygrad import _registry
from mygrad.operation_base import BinaryUfunc, Operation, UnaryUfunc
from mygrad.testing.oracles import check_vjp
from mygrad.ufuncs import MyGradBinaryUfunc, MyGradUnaryUfunc, ufunc_creator


class Cbrt(UnaryUfunc):
    numpy_ufunc = np.cbrt

    def backward_var(self, grad, index, **kwargs):
        (x,) = self.variables
        return grad / (3 * np.cbrt(x.data) ** 2)


class Hypot(BinaryUfunc):
    numpy_ufunc = np.hypot

    def backward_var(self, grad, index, **kwargs):
        x1, x2 = (v.data for v in self.variables)
        return grad * (x1, x2)[index] / np.hypot(x1, x2)


def _cbrt_stub(x, out=None, *, where=True, dtype=None, constant=None):
    """The real cube root."""


_cbrt_stub.__name__ = "my_cbrt"
my_cbrt = ufunc_creator(Cbrt)(_cbrt_stub)


@ufunc_creator(Hypot)
def my_hypot(x1, x2, out=None, *, where=True, dtype=None, constant=None):
    """The hypotenuse."""


@pytest.fixture
def restore_numpy_dispatch():
    saved = dict(_registry.NUMPY)
    yield
    _registry.NUMPY.clear()
    _registry.NUMPY.update(saved)


def test_created_ufuncs_are_mygrad_ufunc_classes():
    assert isinstance(my_cbrt, MyGradUnaryUfunc)
    assert isinstance(my_hypot, MyGradBinaryUfunc)
    assert issubclass(my_cbrt, mg.ufunc) and not isinstance(my_cbrt, mg.ufunc)
    assert repr(my_cbrt) == "<mygrad-ufunc 'my_cbrt'>"
    assert my_cbrt.__name__ == "my_cbrt"
    assert my_cbrt.__doc__ == "The real cube root."
    assert inspect.signature(my_cbrt) == inspect.signature(_cbrt_stub)


def test_builtin_mygrad_ufuncs_use_the_public_metaclasses():
    assert isinstance(mg.sin, MyGradUnaryUfunc)
    assert isinstance(mg.add, MyGradBinaryUfunc)


@pytest.mark.parametrize(("created", "numpy_ufunc"), [(my_cbrt, np.cbrt), (my_hypot, np.hypot)])
def test_numpy_attributes_are_mirrored(created, numpy_ufunc):
    for attr in ("nin", "nout", "nargs", "identity", "signature"):
        assert getattr(created, attr) == getattr(numpy_ufunc, attr)
    expected = [t for t in numpy_ufunc.types if not set(t) & set("FDGOMm")]
    assert created.types == expected and created.ntypes == len(expected)


@settings(max_examples=20, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=3), elements=st.floats(0.5, 8)))
def test_gradients_come_from_backward_var(a):
    check_vjp(my_cbrt, a)
    check_vjp(my_hypot, a, a[::-1].copy())


def test_out_where_and_constant():
    x = mg.tensor([1.0, 8.0, 27.0])
    where = np.array([True, False, True])
    buf = np.full(3, -1.0)
    out = my_cbrt(x, buf, where=where)
    assert out.data is buf
    np.testing.assert_allclose(buf, [1.0, -1.0, 3.0])
    out.backward()
    np.testing.assert_allclose(x.grad, [1 / 3, 0.0, 1 / 27])
    assert my_cbrt(x, constant=True).constant
    assert my_cbrt(8.0).constant


def test_out_tensor_updates_in_place():
    x = mg.tensor([8.0])
    target = mg.tensor([0.0])
    assert my_cbrt(x, out=target) is target
    np.testing.assert_allclose(target.data, [2.0])
    target.backward()
    np.testing.assert_allclose(x.grad, [1 / 12])


def test_ufunc_methods_are_not_implemented():
    for method in ("reduce", "accumulate", "outer", "reduceat"):
        with pytest.raises(NotImplementedError):
            getattr(my_hypot, method)(mg.tensor([1.0, 2.0]))


def test_ufunc_creator_validates_its_op():
    class NotAUfunc(Operation):
        def __call__(self, x):
            self.variables = (x,)
            return x.data

        def backward_var(self, grad, index, **kwargs):
            return grad

    with pytest.raises(TypeError, match="UnaryUfunc"):
        ufunc_creator(NotAUfunc)
    with pytest.raises(TypeError):
        ufunc_creator(np.sin)
    for method in ("at_op", "accumulate_op", "outer_op", "reduce_op", "reduceat_op"):
        with pytest.raises(NotImplementedError):
            ufunc_creator(Cbrt, **{method: NotAUfunc})


def test_subclassing_mygrad_ufunc_is_refused():
    with pytest.raises(TypeError):

        class Sub(my_cbrt):  # type: ignore[misc, valid-type]
            pass


def test_a_stub_named_like_a_numpy_ufunc_takes_over_its_dispatch(restore_numpy_dispatch):
    calls = []

    class CountingSin(UnaryUfunc):
        numpy_ufunc = np.sin

        def backward_var(self, grad, index, **kwargs):
            calls.append(index)
            return grad * np.cos(self.variables[0].data)

    @ufunc_creator(CountingSin)
    def sin(x, out=None, *, where=True, dtype=None, constant=None):
        """sine"""

    x = mg.tensor([0.0, 1.0])
    out = np.sin(x)
    assert isinstance(out, mg.Tensor)
    out.backward()
    assert calls == [0]
    np.testing.assert_allclose(x.grad, np.cos(x.data))
