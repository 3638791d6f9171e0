"""Top-level names that MyGrad 2.x code expects besides the ops: submodules, the re-exported
NumPy functions, dtype mirrors, constants, ``execute_op``, ``save``/``load`` and
``sliding_window_view``. ``mygrad/__init__.py`` star-imports this module last.
"""

from __future__ import annotations

import numpy as np

from . import (
    errors,
    indexing_routines,
    linalg,
    math,
    no_grad_funcs,
    operation_base,
    random,
    tensor_base,
    tensor_creation,
    tensor_manip,
    typing,
    ufuncs,
)
from ._io import load, save
from ._tensor import Tensor
from .math.consts import e, euler_gamma, inf, nan, newaxis, pi
from .no_grad_funcs import *  # noqa: F403
from .ops.manipulation import sliding_window_view

# the NumPy scalar types themselves (``mg.float32 is np.float32``)
bool_ = np.bool_
int8 = np.int8
int16 = np.int16
int32 = np.int32
int64 = np.int64
uint8 = np.uint8
uint16 = np.uint16
uint32 = np.uint32
uint64 = np.uint64
intp = np.intp
uintp = np.uintp
float16 = np.float16
float32 = np.float32
float64 = np.float64
half = np.half
single = np.single
double = np.double
longdouble = np.longdouble

#: run a custom :class:`mygrad.operation_base.Operation` (``Tensor._op``)
execute_op = Tensor._op

__all__ = [
    # submodules
    "errors",
    "indexing_routines",
    "linalg",
    "math",
    "no_grad_funcs",
    "operation_base",
    "random",
    "tensor_base",
    "tensor_creation",
    "tensor_manip",
    "typing",
    "ufuncs",
    # dtype mirrors
    "bool_",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "intp",
    "uintp",
    "float16",
    "float32",
    "float64",
    "half",
    "single",
    "double",
    "longdouble",
    # constants
    "e",
    "euler_gamma",
    "inf",
    "nan",
    "newaxis",
    "pi",
    # utilities
    "execute_op",
    "save",
    "load",
    # upstream kept this ndarray helper in mygrad.nnet; ours lives with the manipulation ops
    "sliding_window_view",
]
__all__ += no_grad_funcs.__all__
