"""``mygrad.typing`` at run time (api.md §13)."""

from __future__ import annotations

import typing

import numpy as np

import mygrad as mg
from mygrad.typing import ArrayLike, DTypeLike, DTypeLikeReals, Index, Mask, Real, Shape


def test_all():
    assert sorted(mg.typing.__all__) == sorted(
        ["ArrayLike", "DTypeLike", "DTypeLikeReals", "Index", "Mask", "Real", "Shape"]
    )


def test_placeholders_are_classes_without_instance_checks():
    for placeholder in (ArrayLike, DTypeLikeReals, Shape):
        assert isinstance(placeholder, type)
    assert not isinstance(np.ones(2), ArrayLike)
    assert not isinstance((1, 2), Shape)


def test_type_variables_and_unions():
    assert isinstance(DTypeLike, typing.TypeVar) and isinstance(Mask, typing.TypeVar)
    assert typing.get_origin(Real) is typing.Union
    assert set(typing.get_args(Real)) == {int, float}
    assert typing.get_origin(Index) is typing.Union


def test_annotations_resolve():
    def f(x: ArrayLike, dtype: DTypeLikeReals = None, shape: Shape = (), i: Index = 0) -> Real:
        return 1

    hints = typing.get_type_hints(f)
    assert hints["x"] is ArrayLike and hints["i"] == Index
