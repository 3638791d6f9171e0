"""Temporary elision: ``x * y + x`` on large tensors adds into the product's array.

NumPy does this for ndarrays: when an operand of ``+ - * /`` is a temporary that nothing
else can see (only the interpreter's stack refers to it), the result is written into its
memory instead of a new array, which saves an allocation and its page faults. For tensors
the same holds with two more conditions: the op that made the temporary must not read its
own output in backward (its VJP never looks at it), and the op consuming it must not read
that input in backward. Then the temporary's array is dead as soon as the expression
moves on, exactly as the memory guard would free it (``_graph._output_died``), and reusing
it is invisible: same values, dtype, shape and gradients as without elision.

Only the arithmetic dunders call this, and only for arrays of at least ``MIN_BYTES`` (the
size test is made inline by the caller, so small ops pay nothing more). Whether an operand
is a temporary is read from reference counts, checked together with the calling Python
frame: the dunder must be running a binary-operator instruction of Python code, so a
tensor that C code holds while it calls ``+`` is never taken for a temporary.
"""

from __future__ import annotations

import dis
import sys
from typing import Any

import numpy as np

from ._graph import _stand_in, let_go_of_out
from ._op import OpDef, execute_binary, record
from ._tensor import Tensor

__all__ = ["MIN_BYTES", "binary"]

# below this NumPy does not elide either (its NPY_MIN_ELIDE_BYTES is 256 KiB): a small new
# array costs less than the checks
MIN_BYTES = 1 << 18

# the opcodes of ``a + b``, ``a - b``, ``a * b`` and ``a / b`` in Python code
_BINARY_OPCODES = frozenset(
    dis.opmap[name]
    for name in (
        "BINARY_OP",
        "BINARY_ADD",
        "BINARY_SUBTRACT",
        "BINARY_MULTIPLY",
        "BINARY_TRUE_DIVIDE",
    )
    if name in dis.opmap
)

# references to a temporary operand seen from `_reusable`: the interpreter's stack, the
# dunder's ``self``, the operand tuple, `_reusable`'s local and getrefcount's argument.
# getrefcount's own argument. Python 3.14 borrows stack references: not supported there.
_TEMPORARY_TENSOR_REFS = 5 if sys.version_info < (3, 14) else -1
# references to its array: the tensor's ``data``, the node's ``out``, `_reusable`'s local
# and getrefcount's argument (and the guard's entry while it is locked)
_TEMPORARY_ARRAY_REFS = 4


def binary(op: OpDef, operands: tuple[Any, Any], position: int, cls: type) -> Tensor:
    """``op(*operands)`` for the dunder of ``operands[position]``, into that tensor's array
    when it is a temporary whose memory nobody will read again."""
    buffer = _reusable(op, operands, position)
    if buffer is None:
        return execute_binary(op, operands[0], operands[1], cls)
    temporary: Tensor = operands[position]
    other = operands[1 - position]
    other_tensor = other if isinstance(other, Tensor) else None
    other_value = other.data if other_tensor is not None else other
    # the temporary's producer lets go of the array, as it would when the tensor dies
    producer = temporary._node
    assert producer is not None  # (_reusable checked it)
    let_go_of_out(producer)
    ufunc: Any = op.numpy
    if position == 0:
        out = ufunc(buffer, other_value, out=buffer)
        # the consumer's node keeps only the shape and dtype of the input it does not read
        arrays = [_stand_in(buffer), other_value]
        tensors = [temporary, other_tensor]
    else:
        out = ufunc(other_value, buffer, out=buffer)
        arrays = [other_value, _stand_in(buffer)]
        tensors = [other_tensor, temporary]
    any_variable = not temporary._constant or (
        other_tensor is not None and not other_tensor._constant
    )
    return record(op, out, arrays, tensors, any_variable, {}, None, cls)


def _reusable(op: OpDef, operands: tuple[Any, Any], position: int) -> np.ndarray | None:
    """The temporary's array when writing ``op``'s result into it is invisible, else None."""
    reads = op.reads
    if reads is None or position in reads:
        return None  # the consumer's VJP would read the overwritten input
    temporary = operands[position]
    if sys.getrefcount(temporary) != _TEMPORARY_TENSOR_REFS:
        return None
    node = temporary._node
    if (
        node is None
        or node.op is None
        or node.cleared
        or temporary._base is not None
        or temporary._views
        or type(temporary) is not Tensor
    ):
        return None
    producer_reads = getattr(node.op, "reads", None)
    if producer_reads is None or "out" in producer_reads or node.where is not True:
        return None
    buffer = temporary.data
    if (
        node.out is not buffer
        or type(buffer) is not np.ndarray
        or buffer.base is not None
        or sys.getrefcount(buffer) != _TEMPORARY_ARRAY_REFS + node.out_locked
    ):
        return None
    other = operands[1 - position]
    if isinstance(other, Tensor):
        other = other.data
    elif type(other) not in (float, int, bool, np.ndarray):
        return None
    # the result must be what NumPy would make: the temporary's shape and dtype (the
    # common cases, an operand of the same dtype and of trailing shape such as a bias,
    # are told apart without np.result_type and np.broadcast_shapes, a few µs each)
    if type(other) is np.ndarray:
        dtype = buffer.dtype
        if other.dtype is not dtype and np.result_type(buffer, other) != dtype:
            return None
        shape = buffer.shape
        if other.shape != shape[len(shape) - other.ndim :] and (
            other.ndim > len(shape) or np.broadcast_shapes(shape, other.shape) != shape
        ):
            return None
    elif np.result_type(buffer, other) != buffer.dtype:
        return None
    frame = sys._getframe(3)  # _reusable <- binary <- the dunder <- its caller
    if frame.f_code.co_code[frame.f_lasti] not in _BINARY_OPCODES:
        return None  # called by C code or by name: the operand may be read again
    return buffer
