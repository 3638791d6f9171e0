"""Boolean-valued NumPy ufuncs on tensors (api.md §6.1).

``np.isnan(tensor)``, ``np.greater(x, y)`` and the like run on the tensors' arrays and
return plain ndarrays: a boolean result has no gradient, so any tensor, variable or
constant, is allowed. The NumPy objects themselves are re-exported at the top level by
the compatibility module (``mg.isnan is np.isnan``), not here.
"""

from __future__ import annotations

import numpy as np

from .._registry import register_nondifferentiable

__all__: list[str] = []

BOOLEAN_UFUNCS = (
    np.isnan,
    np.isfinite,
    np.isinf,
    np.isnat,
    np.signbit,
    np.logical_not,
    np.logical_and,
    np.logical_or,
    np.logical_xor,
    np.greater,
    np.greater_equal,
    np.less,
    np.less_equal,
    np.equal,
    np.not_equal,
)

for _ufunc in BOOLEAN_UFUNCS:
    register_nondifferentiable(_ufunc, "boolean")
