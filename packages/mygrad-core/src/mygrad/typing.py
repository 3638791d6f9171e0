"""Type aliases for annotating code that uses mygrad (MyGrad 2.x's ``mygrad.typing``).

For a static type checker they mean:

* ``ArrayLike``: a real number, a Tensor, an ndarray, anything with ``__array__``, or nested
  sequences of real numbers;
* ``DTypeLikeReals``: a NumPy dtype, None, or the ``bool``/``int``/``float`` types;
* ``DTypeLike``: any dtype-like (a type variable);
* ``Shape``: ``tuple[int, ...]``;
* ``Mask``: a boolean array-like (a type variable);
* ``Index``: anything that indexes an array (ints, slices, None, Ellipsis, arrays, tuples);
* ``Real``: ``int | float``.

At run time ``ArrayLike``, ``DTypeLikeReals`` and ``Shape`` are empty placeholder classes
(``isinstance(np.ones(2), ArrayLike)`` is False; test strategies can register types for
them), ``DTypeLike`` and ``Mask`` are TypeVars, and ``Index`` and ``Real`` are Unions.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar, Union

import numpy as np

__all__ = ["ArrayLike", "DTypeLike", "DTypeLikeReals", "Index", "Mask", "Real", "Shape"]

# typing.Union (not `int | float`): MyGrad's Index and Real are typing Unions at run time
Real = Union[int, float]  # noqa: UP007

DTypeLike = TypeVar("DTypeLike", bound=Any)
Mask = TypeVar("Mask", bound=Any)

_BasicIndex = Union[int, None, slice, types.EllipsisType, np.integer]  # noqa: UP007
_IndexPart = Union[_BasicIndex, np.ndarray, Sequence[int], Sequence[bool]]  # noqa: UP007
Index = Union[_IndexPart, tuple[_IndexPart, ...]]  # noqa: UP007

if TYPE_CHECKING:
    from typing import Protocol

    from ._tensor import Tensor

    class _SupportsArray(Protocol):
        def __array__(self, dtype: Any = None) -> np.ndarray: ...

    ArrayLike = Union[  # noqa: UP007
        Real, np.number, np.bool_, Tensor, np.ndarray, _SupportsArray, Sequence[Any]
    ]
    DTypeLikeReals = Union[np.dtype, None, type[bool], type[int], type[float], str]  # noqa: UP007
    Shape = tuple[int, ...]
else:

    class ArrayLike:
        """Placeholder for the static alias described in the module docstring."""

    class DTypeLikeReals:
        """Placeholder for the static alias described in the module docstring."""

    class Shape:
        """Placeholder for the static alias described in the module docstring."""
