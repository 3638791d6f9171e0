"""Upstream's test factories run through the harness, and still catch a wrong op."""

from __future__ import annotations

import numpy as np
import pytest

import mygrad as mg
from mygrad.testing import backprop_test_factory, fwdprop_test_factory


def test_fwdprop_factory_certifies_a_correct_op() -> None:
    @fwdprop_test_factory(mygrad_func=mg.multiply, true_func=np.multiply, num_arrays=2,
                          default_bnds=(-10, 10))
    def test_multiply_fwd() -> None:
        pass

    test_multiply_fwd()


def test_backprop_factory_certifies_a_correct_op_with_kwargs() -> None:
    @backprop_test_factory(
        mygrad_func=mg.sum,
        true_func=np.sum,
        num_arrays=1,
        default_bnds=(-10, 10),
        kwargs={"axis": lambda x: _axes(x.ndim), "keepdims": False},
    )
    def test_sum_bkwd() -> None:
        pass

    test_sum_bkwd()


def _axes(ndim: int):  # noqa: ANN202 - a strategy
    from mygrad.testing.certify.draw import valid_axes

    return valid_axes(ndim)


def test_backprop_factory_catches_a_wrong_gradient() -> None:
    def wrong_square(x, constant=None):
        # right values, half the gradient
        return 0.5 * mg.square(x, constant=constant) + 0.5 * mg.tensor(np.square(mg.asarray(x)))

    @backprop_test_factory(mygrad_func=wrong_square, true_func=np.square, num_arrays=1,
                           default_bnds=(-10, 10))
    def test_wrong() -> None:
        pass

    with pytest.raises(AssertionError, match=r"\[vjp\] wrong_square"):
        test_wrong()


def test_factories_refuse_arguments_they_cannot_honour() -> None:
    with pytest.raises(TypeError, match="arrs_from_kwargs"):
        backprop_test_factory(mygrad_func=mg.add, true_func=np.add, num_arrays=2,
                              arrs_from_kwargs={1: "y"})
    with pytest.raises(TypeError, match="num_arrays"):
        fwdprop_test_factory(mygrad_func=mg.add, true_func=np.add)
