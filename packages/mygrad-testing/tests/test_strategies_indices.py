"""Meta-tests of the index strategies: every drawn index is accepted by NumPy, and
arbitrary_indices covers every category of index (counted with ``hypothesis.event``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mygrad.testing.strategies import (
    INDEX_CATEGORIES,
    adv_integer_index,
    arbitrary_indices,
    basic_indices,
    index_categories,
    integer_index,
    shapes,
    slice_index,
)

FEW = settings(deadline=None, max_examples=100)


def _array(shape):
    return np.arange(math.prod(shape)).reshape(shape)


def test_arbitrary_indices_are_valid_and_cover_every_category():
    seen: set[str] = set()

    @settings(deadline=None, max_examples=300, database=None)
    @given(shape=shapes(min_dims=1, max_dims=3, max_side=3), data=st.data())
    def draw_many(shape, data):
        index = data.draw(arbitrary_indices(shape))
        x = _array(shape)
        x[index]  # NumPy accepts it for reading ...
        x[index] = -1  # ... and for writing
        for category in sorted(index_categories(index)):
            event(f"index: {category}")
            seen.add(category)

    draw_many()
    assert seen == set(INDEX_CATEGORIES), f"never drawn: {set(INDEX_CATEGORIES) - seen}"


def test_index_categories_reads_numpy_rules():
    mask = np.array([True, False])
    ints = np.array([0, 1])
    assert index_categories((slice(None), 0)) == {"basic"}
    assert index_categories((ints, slice(None), 1)) == {"int-array", "separated-advanced"}
    assert index_categories((ints, 1)) == {"int-array"}
    assert index_categories((mask, ints)) == {"int-array", "bool-mask", "bool+int"}
    assert index_categories((Ellipsis, None, mask)) == {"bool-mask", "ellipsis", "newaxis"}


@FEW
@given(shape=shapes(min_dims=1, max_dims=3), data=st.data())
def test_adv_integer_index_is_valid(shape, data):
    index = data.draw(adv_integer_index(shape))
    assert len(index) == len(shape)
    _array(shape)[index]


@FEW
@given(shape=shapes(max_dims=3), data=st.data())
def test_basic_indices_are_valid(shape, data):
    _array(shape)[data.draw(basic_indices(shape))]


@FEW
@given(size=st.integers(1, 6), data=st.data())
def test_single_axis_indices_are_valid(size, data):
    x = np.arange(size)
    x[data.draw(integer_index(size))]
    s = data.draw(slice_index(size, max_step=3))
    assert s.step is None or 1 <= abs(s.step) <= 3
    x[s]


@pytest.mark.parametrize(
    "make, bad",
    [
        (lambda: integer_index(0), "size=0"),
        (lambda: slice_index(3, min_step=0), "min_step=0"),
        (lambda: slice_index(3, min_start=2, max_start=1), "min_start=2"),
        (lambda: adv_integer_index(()), "at least one dim"),
        (lambda: arbitrary_indices([2, 3]), "shape=[2, 3]"),
    ],
)
def test_bad_arguments_raise_invalid_argument_naming_the_value(make, bad):
    with pytest.raises(InvalidArgument) as info:
        make()
    assert bad in str(info.value)
