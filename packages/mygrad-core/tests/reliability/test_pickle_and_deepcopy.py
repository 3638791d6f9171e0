"""Pickling and ``copy.deepcopy`` (D14): any tensor becomes a detached leaf with the same
data, dtype, grad and constant flag; the original and its graph are untouched."""

from __future__ import annotations

import copy
import pickle

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
from hypothesis import given, settings

import mygrad as mg

dtypes = st.sampled_from(
    [np.float16, np.float32, np.float64, np.int8, np.int32, np.uint8, np.uint64, np.bool_]
)
KINDS = ["leaf", "intermediate", "view", "view of a view", "constant", "in-place target"]


@st.composite
def any_tensor(draw: st.DrawFn) -> mg.Tensor:
    """A tensor of some dtype and kind, before or after a backward pass."""
    arr = draw(hnp.arrays(dtypes, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0)))
    kind = draw(st.sampled_from(KINDS))
    if kind == "constant" or arr.dtype.kind != "f":
        return mg.tensor(arr, constant=True)
    leaf = mg.tensor(arr)
    if kind == "leaf":
        t = leaf
    elif kind == "intermediate":
        t = leaf * 2
    elif kind == "view":
        t = leaf[...]
    elif kind == "view of a view":
        t = mg.reshape(leaf[...], arr.shape)
    else:
        t = leaf * 1
        t += 1
    if draw(st.booleans()):
        (t * t).backward()  # t keeps its grad; the graph is cleared
    return t


def pickled(t: mg.Tensor, protocol: int) -> mg.Tensor:
    return pickle.loads(pickle.dumps(t, protocol=protocol))


def deep_copied(t: mg.Tensor, protocol: int) -> mg.Tensor:
    return copy.deepcopy(t)


def snapshot(t: mg.Tensor) -> tuple:
    grad = None if t.grad is None else t.grad.copy()
    return t.data.copy(), grad, t.creator, t.base, t.constant


def assert_same_array(a: np.ndarray | None, b: np.ndarray | None) -> None:
    assert (a is None) == (b is None)
    if a is not None:
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


@settings(max_examples=80, deadline=None)
@given(
    any_tensor(),
    st.sampled_from([pickled, deep_copied]),
    st.integers(0, pickle.HIGHEST_PROTOCOL),
)
def test_a_copy_is_a_detached_leaf_with_the_same_data_grad_and_constant(t, copier, protocol):
    before = snapshot(t)
    c = copier(t, protocol)
    assert type(c) is type(t)
    assert c.creator is None and c.base is None
    assert c.constant is t.constant
    assert_same_array(c.data, t.data)
    assert_same_array(c.grad, t.grad)
    # the copy owns its arrays, and they are writeable like any fresh leaf's
    assert not np.shares_memory(c.data, t.data) and c.data.flags.writeable
    if c.grad is not None:
        assert type(c.grad) is np.ndarray
        assert not np.shares_memory(c.grad, t.grad) and c.grad.flags.writeable
        assert not np.shares_memory(c.grad, c.data)
    # the original is untouched
    data, grad, creator, base, constant = before
    assert_same_array(t.data, data)
    assert_same_array(t.grad, grad)
    assert t.creator is creator and t.base is base and t.constant is constant


def test_a_copy_works_in_new_graphs_and_does_not_reach_the_original():
    x = mg.tensor([1.0, 2.0])
    y = x * 3
    for c in (pickled(y, pickle.HIGHEST_PROTOCOL), copy.deepcopy(y)):
        (c * c).backward()
        np.testing.assert_array_equal(c.grad, 2 * y.data)
    assert x.grad is None and y.creator is not None
    y.backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_a_copy_of_a_locked_tensor_is_writeable():
    x = mg.tensor([1.0, 2.0])
    y = x * 2  # locks x.data and y.data
    assert not x.data.flags.writeable
    for c in (pickled(x, 5), pickled(y, 5), copy.deepcopy(y)):
        c.data[0] = 10.0


def test_deepcopy_keeps_identity_within_one_copy():
    x = mg.tensor([1.0, 2.0])
    v = x[:1]
    a, b, view = copy.deepcopy([x, x, v])
    assert a is b
    assert view.base is None and view is not a  # a view becomes an independent leaf
    view.data[0] = 5.0
    assert a.data[0] == 1.0


def test_any_dtype_made_under_no_autodiff_copies():
    with mg.no_autodiff:
        t = mg.tensor(np.array([1 + 2j, 3j]))
    for c in (pickled(t, pickle.HIGHEST_PROTOCOL), copy.deepcopy(t)):
        assert c.dtype == np.complex128
        np.testing.assert_array_equal(c.data, t.data)


class LabelledTensor(mg.Tensor):
    """A subclass with its own attributes (in an instance dict)."""


def test_a_subclass_keeps_its_type_and_attributes():
    t = LabelledTensor([1.0, 2.0])
    t.label = "weights"
    (t * 2).backward()
    for c in (pickled(t, pickle.HIGHEST_PROTOCOL), copy.deepcopy(t)):
        assert type(c) is LabelledTensor and c.label == "weights"
        np.testing.assert_array_equal(c.grad, [2.0, 2.0])
