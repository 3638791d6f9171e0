"""Random tensors drawn from NumPy's legacy global generator (``numpy.random``).

``np.random.seed`` and :func:`seed` control the same stream, so seeding either one makes
these draws reproducible. Float draws are float64 leaf tensors, variable unless
``constant=True``; :func:`randint` always returns a constant integer tensor.

>>> import mygrad as mg
>>> mg.random.seed(0)
>>> a = mg.random.rand(2)
>>> mg.random.seed(0)
>>> bool((mg.random.rand(2) == a).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._tensor import Tensor

__all__ = ["rand", "randint", "randn", "random", "random_sample", "ranf", "sample", "seed"]


def _leaf(draw: Any, constant: bool | None) -> Tensor:
    return Tensor(draw, constant=constant, copy=False)


def rand(*shape: int, constant: bool | None = None) -> Tensor:
    """Uniform samples from [0, 1) of the given shape (``rand()`` is 0-d); ``numpy.random.rand``."""
    return _leaf(np.random.rand(*shape), constant)


def randn(*shape: int, constant: bool | None = None) -> Tensor:
    """Standard-normal samples with the given shape; ``numpy.random.randn``."""
    return _leaf(np.random.randn(*shape), constant)


def random(shape: int | tuple[int, ...] | None = None, *, constant: bool | None = None) -> Tensor:
    """Uniform samples from [0, 1); ``shape=None`` gives a 0-d tensor. ``numpy.random.random``."""
    return _leaf(np.random.random(shape), constant)


def random_sample(
    shape: int | tuple[int, ...] | None = None, *, constant: bool | None = None
) -> Tensor:
    """Uniform samples from [0, 1) (same as :func:`random`); ``numpy.random.random_sample``."""
    return _leaf(np.random.random_sample(shape), constant)


def ranf(shape: int | tuple[int, ...] | None = None, *, constant: bool | None = None) -> Tensor:
    """Uniform samples from [0, 1) (same as :func:`random`); an alias kept from MyGrad."""
    return _leaf(np.random.random_sample(shape), constant)


def sample(shape: int | tuple[int, ...] | None = None, *, constant: bool | None = None) -> Tensor:
    """Uniform samples from [0, 1) (same as :func:`random`); an alias kept from MyGrad."""
    return _leaf(np.random.random_sample(shape), constant)


def randint(
    low: int, high: int | None = None, shape: int | tuple[int, ...] | None = None, dtype: Any = int
) -> Tensor:
    """Integers from [low, high) (or [0, low) without ``high``): a constant tensor.

    Mirrors ``numpy.random.randint(low, high, size, dtype)``; there is no ``constant``
    argument because integer tensors are always constant.
    """
    return Tensor(np.random.randint(low, high, shape, dtype), constant=True, copy=False)


def seed(seed_number: int | None) -> None:
    """Seed NumPy's global generator (``numpy.random.seed``), which every draw here uses."""
    np.random.seed(seed_number)
