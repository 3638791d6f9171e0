"""Helpers that MyGrad 2.x extensions import from ``mygrad._utils``.

``SkipGradient`` and ``reduce_broadcast`` serve custom ``mygrad.operation_base.Operation``
subclasses; the rest of mygrad uses the engine's own reduction (``mygrad.extend.unbroadcast``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["SkipGradient", "reduce_broadcast"]


class SkipGradient(Exception):
    """Raised by ``Operation.backward_var`` when this op sends no gradient to that input.

    An input that receives no gradient from anywhere keeps ``grad is None`` (decision D7).
    """


def reduce_broadcast(grad: np.ndarray, var_shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` down to ``var_shape``: the adjoint of broadcasting ``var_shape`` up.

    ``grad`` must have at least as many dimensions as the variable, and each of its trailing
    axes must equal the variable's axis or be summed into a size-1 axis of the variable.

    >>> import numpy as np
    >>> reduce_broadcast(np.ones((2, 3)), (1, 3))
    array([[2., 2., 2.]])
    """
    grad = np.asarray(grad)
    var_shape = tuple(var_shape)
    if grad.shape == var_shape:
        return grad
    given = grad.shape
    if grad.ndim < len(var_shape):
        raise ValueError(
            f"a gradient of shape {given} has fewer dimensions than its variable, "
            f"of shape {var_shape}; it cannot be reduced by summing over broadcast axes"
        )
    extra = grad.ndim - len(var_shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    for axis, (want, have) in enumerate(zip(var_shape, grad.shape)):
        if want != have and want != 1:
            raise ValueError(
                f"a gradient of shape {given} does not broadcast from the variable's "
                f"shape {var_shape} (its axis {axis - len(var_shape)}: {have} vs {want})"
            )
    pairs = enumerate(zip(var_shape, grad.shape))
    summed = tuple(i for i, (want, have) in pairs if want == 1 != have)
    if summed:
        grad = grad.sum(axis=summed, keepdims=True)
    return grad
