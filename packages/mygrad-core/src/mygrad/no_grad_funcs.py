"""NumPy functions that mygrad re-exports as they are (``mg.floor is np.floor``).

None of them is differentiable, so none ever returns a Tensor. On tensors they behave
through the Tensor's NumPy protocols (api.md §6):

* boolean-valued ufuncs (``isnan``, ``greater``, ``logical_and``, ...) run on the data of any
  tensor (registered by ``mygrad.ops.logic``);
* piecewise-constant ufuncs (``floor``, ``sign``, ``mod``, ...) run on constant tensors and raise
  ``ValueError`` for a variable one (registered by ``mygrad.ops.math.rounding``);
* the ten functions about values, types and memory (``allclose``, ``shape``,
  ``shares_memory``, ...) see the tensors' arrays. They are registered here.

import numpy as np
>>> import mygrad as mg
>>> mg.floor is np.floor
True
>>> np.shape(mg.tensor([[1.0, 2.0]]))
(1, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._registry import register_nondifferentiable, register_override
from ._tensor import Tensor

__all__ = [
    # boolean-valued ufuncs
    "isnan",
    "isfinite",
    "isinf",
    "isnat",
    "signbit",
    "logical_not",
    "logical_and",
    "logical_or",
    "logical_xor",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "equal",
    "not_equal",
    # piecewise-constant ufuncs: only constant tensors
    "floor_divide",
    "remainder",
    "mod",
    "fmod",
    "divmod",
    "rint",
    "sign",
    "floor",
    "ceil",
    "trunc",
    # functions of values, types and memory: tensors are replaced by their arrays
    "allclose",
    "bincount",
    "can_cast",
    "copyto",
    "isclose",
    "may_share_memory",
    "min_scalar_type",
    "result_type",
    "shares_memory",
    "shape",
]

isnan = np.isnan
isfinite = np.isfinite
isinf = np.isinf
isnat = np.isnat
signbit = np.signbit
logical_not = np.logical_not
logical_and = np.logical_and
logical_or = np.logical_or
logical_xor = np.logical_xor
greater = np.greater
greater_equal = np.greater_equal
less = np.less
less_equal = np.less_equal
equal = np.equal
not_equal = np.not_equal

floor_divide = np.floor_divide
remainder = np.remainder
mod = np.mod
fmod = np.fmod
divmod = np.divmod  # noqa: A001 - NumPy's name
rint = np.rint
sign = np.sign
floor = np.floor
ceil = np.ceil
trunc = np.trunc

allclose = np.allclose
bincount = np.bincount
can_cast = np.can_cast
copyto = np.copyto
isclose = np.isclose
may_share_memory = np.may_share_memory
min_scalar_type = np.min_scalar_type
result_type = np.result_type
shares_memory = np.shares_memory
shape = np.shape

# ``np.copyto(tensor, src)`` therefore writes into ``tensor.data`` directly, bypassing the
# graph; NumPy raises if a live graph holds (and so has locked) that array.
for _func in (
    allclose,
    bincount,
    can_cast,
    isclose,
    may_share_memory,
    min_scalar_type,
    result_type,
    shares_memory,
    shape,
):
    register_nondifferentiable(_func, "passthrough")
del _func


def _copyto_from_constants(
    dst: Any, src: Any, casting: Any = "same_kind", where: Any = True
) -> None:
    """``np.copyto`` on tensors' arrays, refusing a variable ``src``.

    Copying a variable tensor's values into an array would silently drop its gradient
    (``np.full(3, variable)`` fills through copyto), so that raises instead.
    """
    if isinstance(src, Tensor) and not src.constant:
        raise TypeError(
            "numpy.copyto cannot copy from a non-constant mygrad tensor: its gradient would be "
            "lost. Use a mygrad operation (e.g. mg.broadcast_to or x[...] = src) instead."
        )

    def plain(x: Any) -> Any:
        return x.data if isinstance(x, Tensor) else x

    np.copyto(plain(dst), plain(src), casting=casting, where=plain(where))


register_override(np.copyto, _copyto_from_constants)
