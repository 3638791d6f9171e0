"""detect_anomaly: the opt-in mode that names the op and line of the first non-finite gradient."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import mygrad as mg
from mygrad.errors import InvalidBackprop, NonFiniteGradient


def _line_of(marker: str) -> int:
    source, start = inspect.getsourcelines(test_names_the_op_and_the_users_line)
    return start + next(i for i, text in enumerate(source) if marker in text)


def test_names_the_op_and_the_users_line():
    x = mg.tensor([0.0, 1.0])
    with mg.detect_anomaly:
        y = mg.sqrt(x)  # the culprit: d sqrt/dx is inf at 0
        loss = mg.sum(y * 2)
        with pytest.raises(NonFiniteGradient) as info:
            loss.backward()
    message = str(info.value)
    assert "'sqrt'" in message
    assert f"{__file__}:{_line_of('the culprit')}" in message


def test_the_failed_backward_leaves_a_cleared_graph():
    x = mg.tensor([0.0, 1.0])
    with mg.detect_anomaly:
        y = mg.log(x)
        z = y * 3
        with pytest.raises(NonFiniteGradient):
            z.backward()
    assert z.creator is None and y.creator is None
    w = y * 2  # y is a leaf now
    w.backward()
    np.testing.assert_array_equal(y.grad, [2.0, 2.0])


def test_a_non_finite_seed_is_reported():
    x = mg.tensor([1.0])
    with mg.detect_anomaly:
        with pytest.raises(NonFiniteGradient, match="passed to backward"):
            (x * 2).backward([np.nan])


def test_off_by_default_gradients_are_just_computed():
    x = mg.tensor([0.0, 1.0])
    with np.errstate(divide="ignore"):
        mg.sqrt(x).backward()
    assert np.isinf(x.grad[0])


def test_finite_gradients_pass_and_decorator_form():
    @mg.detect_anomaly
    def run():
        x = mg.tensor([1.0, 4.0])
        mg.sqrt(x).backward()
        return x.grad

    np.testing.assert_allclose(run(), [0.5, 0.25])


def test_cleared_graph_after_anomaly_blocks_other_consumers():
    x = mg.tensor([0.0])
    with mg.detect_anomaly:
        y = mg.sqrt(x)
        a = y * 2
        b = y * 3
        with pytest.raises(NonFiniteGradient):
            a.backward()
    with pytest.raises(InvalidBackprop):
        b.backward()
