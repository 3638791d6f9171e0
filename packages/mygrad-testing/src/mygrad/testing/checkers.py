"""Checkers that encode api.md's rules once, for every property and user test to share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

import mygrad as mg

__all__ = ["expected_constant", "check_consistent_grad_dtype", "is_float_arr"]


def _tensors_in(args: tuple[Any, ...]) -> Iterator[mg.Tensor]:
    """The Tensors among ``args``, looking one level into lists and tuples (sequence ops)."""
    for arg in args:
        if isinstance(arg, mg.Tensor):
            yield arg
        elif isinstance(arg, (list, tuple)):
            yield from (a for a in arg if isinstance(a, mg.Tensor))


def expected_constant(*args: Any, dest_dtype: Any, constant: bool | None = None) -> bool:
    """Whether an op on ``args`` producing ``dest_dtype`` returns a constant tensor (§S1).

    An explicit ``constant=True`` wins; ``constant=False`` gives a variable unless the
    output is not floating, which raises ``ValueError`` (as the op does). With None, the
    output is constant if every Tensor input is constant (array-likes count as constants)
    or if its dtype is not floating.
    """
    is_float = np.dtype(dest_dtype).kind == "f"
    if constant is not None:
        if type(constant) is not bool:
            raise TypeError(f"`constant` must be a bool or None, got {constant!r}")
        if constant is False and not is_float:
            raise ValueError("Integer-valued tensors must be treated as constants.")
        return constant
    if not is_float:
        return True
    return all(t.constant for t in _tensors_in(args))


def check_consistent_grad_dtype(*tensors: Any) -> None:
    """Assert §S2/§S3 for each Tensor: a constant has no grad; a grad is an ndarray with its
    tensor's dtype and shape."""
    for i, t in enumerate(_tensors_in(tensors)):
        grad = t.grad
        if t.constant:
            assert grad is None, f"tensor {i} is constant but has a grad"
            continue
        if grad is None:
            continue
        assert isinstance(grad, np.ndarray), (
            f"tensor {i}: grad is a {type(grad).__name__}, not an ndarray"
        )
        assert grad.dtype == t.dtype, f"tensor {i}: grad dtype {grad.dtype} != {t.dtype}"
        assert grad.shape == t.shape, f"tensor {i}: grad shape {grad.shape} != {t.shape}"


def is_float_arr(arr: Any) -> bool:
    """Whether ``arr`` (a Tensor, ndarray or array-like) has a floating dtype."""
    data = arr.data if isinstance(arr, mg.Tensor) else np.asarray(arr)
    return bool(np.issubdtype(data.dtype, np.floating))
