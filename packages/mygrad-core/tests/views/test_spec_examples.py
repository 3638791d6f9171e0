"""The examples of api.md §S5-§S7 that no property test states on its own: the copies
that are never views, the same-object quirk (D6), the scattered gradient of a view, the
in-place op as the target's creator, ``out=<ndarray>``, and what guarding changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import mygrad as mg

COPIES: list[tuple[str, Callable[[Any], Any]]] = [
    ("advanced index", lambda x: x[[0, 1]]),
    ("bool index", lambda x: x[np.array([[True, False, True], [False, True, True]])]),
    ("0-d result", lambda x: x[0, 1]),
    ("ravel, not contiguous", lambda x: mg.ravel(x.T)),
    ("positive", lambda x: +x),
    ("arithmetic", lambda x: x * 1),
    ("reduction", lambda x: mg.sum(x, axis=0)),
    ("clip", lambda x: mg.clip(x, 0.0, 10.0)),
    ("copy()", lambda x: x.copy()),
]


@pytest.mark.parametrize("name, make", COPIES, ids=[name for name, _ in COPIES])
def test_these_results_are_copies_never_views(name, make):
    x = mg.arange(6.0).reshape(2, 3)
    out = make(x)
    assert out.base is None and not np.shares_memory(out.data, x.data)


def test_an_op_returning_its_input_array_is_recorded_as_a_view_D6():
    x = mg.tensor([[1.0, 2.0], [3.0, 4.0]])
    a = mg.atleast_2d(x, constant=True)  # NumPy returns the very array
    assert a is not x and np.shares_memory(a.data, x.data)
    assert a.base is x and a.constant


def test_only_the_view_used_sends_the_scattered_gradient_to_the_base():
    x = mg.tensor([1.0, 2.0, 3.0])
    v = x[:2]
    (v**2).backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 0.0])
    np.testing.assert_array_equal(v.grad, [2.0, 4.0])
    assert v.grad.base is x.grad


def test_the_inplace_op_is_the_targets_creator_and_out_returns_the_target():
    x = mg.tensor([1.0, 2.0])
    x += 1
    assert x.creator.op.name == "add"
    x[0] = 3.0
    assert x.creator.op.name == "setitem"
    t = mg.tensor([0.0, 0.0])
    assert mg.multiply(x, 3, out=t) is t and t.creator.op.name == "multiply"
    y = mg.tensor([0.0, 0.0])
    assert np.exp(x, out=y) is y and y.creator.op.name == "exp"


def test_out_ndarray_is_wrapped_and_locked_while_the_op_lives():
    x = mg.tensor([1.0, 2.0])
    arr = np.zeros(2)
    r = mg.multiply(x, 3, out=arr)
    assert type(r) is mg.Tensor and r.data is arr
    np.testing.assert_array_equal(arr, [3.0, 6.0])
    assert not arr.flags.writeable
    with pytest.raises(ValueError, match="output array is read-only"):
        mg.multiply(x, 2, out=arr)  # locked
    r.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])
    assert arr.flags.writeable


def _program(x: mg.Tensor, raw: np.ndarray) -> mg.Tensor:
    v = x[1:]
    y = mg.sum(v * raw) + mg.sum(x**2)
    x[0] = 2.0
    return y + mg.sum(x * v.sum())


def test_guarding_never_changes_results():
    results = []
    for guard in (mg.mem_guard_on, mg.mem_guard_off):
        with guard:
            x = mg.tensor([1.0, -2.0, 3.0])
            y = _program(x, np.array([0.5, 4.0]))
            y.backward()
            results.append((y.data, x.grad))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])


def test_with_guarding_off_mutating_an_input_corrupts_later_gradients():
    # the guard's reason to be: the graph keeps the very array it was given
    raw = np.array([1.0, 2.0])
    with mg.mem_guard_off:
        x = mg.tensor([3.0, 4.0])
        y = mg.sum(x * raw)
        raw[...] = 0.0  # allowed: nothing is locked
        y.backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])  # not the [1, 2] of the forward pass
    raw = np.array([1.0, 2.0])
    x = mg.tensor([3.0, 4.0])
    y = mg.sum(x * raw)
    with pytest.raises(ValueError):
        raw[...] = 0.0  # guarded
    y.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])
