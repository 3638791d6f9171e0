"""MyGrad 2.x's ``mygrad.tensor_base``: the Tensor class and ``implements_numpy_override``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from ._tensor import Tensor
from .extend import register_override
from .ops.creation import asarray, astensor, tensor

__all__ = ["Tensor", "asarray", "astensor", "implements_numpy_override", "tensor"]

F = TypeVar("F", bound=Callable[..., Any])


def implements_numpy_override(numpy_func: Callable[..., Any] | None = None) -> Callable[[F], F]:
    """Decorator: make ``numpy_func(tensor, ...)`` call the decorated function.

    Without ``numpy_func`` the NumPy function of the same name is overridden. The override
    is reached through NumPy's ``__array_function__`` protocol, so ufuncs cannot be overridden
    this way (use :func:`mygrad.ufuncs.ufunc_creator`), and a NumPy function that mygrad
    already handles cannot be overridden twice.

    For example, to make ``np.ptp(tensor)`` differentiable::

        @implements_numpy_override(np.ptp)
        def peak_to_peak(x, axis=None):
            return mg.max(x, axis) - mg.min(x, axis)
    """

    def decorate(func: F) -> F:
        target = numpy_func
        if target is None:
            name = func.__name__
            target = getattr(np, name, None)
            if target is None:
                raise AttributeError(
                    f"numpy has no function named {name!r} to override; "
                    "pass the NumPy function explicitly: implements_numpy_override(np.<name>)"
                )
        if isinstance(target, np.ufunc):
            raise TypeError(
                f"{target!r} is a ufunc: ufuncs dispatch through __array_ufunc__; "
                "create a mygrad ufunc with mygrad.ufuncs.ufunc_creator instead"
            )
        register_override(target, func)
        return func

    return decorate
