"""``mygrad.tensor_base``: the Tensor and ``implements_numpy_override`` (api.md §6.2)."""

from __future__ import annotations

import numpy as np
import pytest

import mygrad as mg
from mygrad import _registry
from mygrad.tensor_base import Tensor, implements_numpy_override


@pytest.fixture
def restore_overrides():
    saved = dict(_registry.OVERRIDES)
    yield
    _registry.OVERRIDES.clear()
    _registry.OVERRIDES.update(saved)


def test_tensor_base_exports():
    assert Tensor is mg.Tensor
    import mygrad.tensor_base as tb

    assert {"Tensor", "implements_numpy_override"} <= set(tb.__all__)
    assert tb.astensor is mg.astensor and tb.asarray is mg.asarray


def test_explicit_numpy_function(restore_overrides):
    @implements_numpy_override(np.ptp)
    def peak_to_peak(x, axis=None):
        return mg.max(x, axis) - mg.min(x, axis)

    x = mg.tensor([1.0, 4.0, 2.0])
    out = np.ptp(x)
    assert isinstance(out, mg.Tensor)
    out.backward()
    np.testing.assert_array_equal(x.grad, [-1.0, 1.0, 0.0])


def test_numpy_function_inferred_from_the_name(restore_overrides):
    @implements_numpy_override()
    def ptp(x, axis=None):
        return mg.max(x, axis) - mg.min(x, axis)

    assert float(np.ptp(mg.tensor([1.0, 4.0]))) == 3.0


def test_bad_targets(restore_overrides):
    with pytest.raises(AttributeError, match="no_such_numpy_function"):

        @implements_numpy_override()
        def no_such_numpy_function(x):
            return x

    with pytest.raises(TypeError, match="ufunc"):

        @implements_numpy_override(np.hypot)
        def hypot(x, y):
            return x
