"""Piecewise-constant NumPy ufuncs on tensors (api.md §6.1).

Rounding, sign and integer-division ufuncs have a derivative that is zero almost
everywhere, so MyGrad does not differentiate them: ``np.floor(tensor)`` runs on the
array of a *constant* tensor and returns an ndarray, and raises ``ValueError`` naming the
ufunc when any input (or ``out``) is a variable tensor. The NumPy objects themselves are
re-exported at the top level by the compatibility module (``mg.floor is np.floor``).
"""

from __future__ import annotations

import numpy as np

from ..._registry import register_nondifferentiable

__all__: list[str] = []

CONSTANT_ONLY_UFUNCS = (
    np.floor_divide,
    np.remainder,  # also np.mod: the same object
    np.fmod,
    np.divmod,
    np.rint,
    np.sign,
    np.floor,
    np.ceil,
    np.trunc,
)

for _ufunc in CONSTANT_ONLY_UFUNCS:
    register_nondifferentiable(_ufunc, "constant_only")
