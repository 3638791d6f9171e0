"""``mygrad.save`` / ``mygrad.load``: a tensor's data (and grad) in an uncompressed ``.npz``.

The archive holds the array ``data`` and, when the tensor has one, ``grad``. Loading never
unpickles (``allow_pickle=False``, decision D13) and checks the archive before building the
tensor: exactly the keys ``data`` and optionally ``grad``, each a real numeric or boolean
array, and a grad with the data's shape and (floating) dtype. Anything else is a ValueError
naming the problem. Saving refuses what loading would refuse (e.g. an object tensor made
under ``no_autodiff``), so every saved tensor can be loaded.

>>> import io
>>> import mygrad as mg
>>> x = mg.tensor([1.0, 2.0])
>>> (x * x).sum().backward()
>>> f = io.BytesIO()
>>> mg.save(f, x)
>>> _ = f.seek(0)
>>> y = mg.load(f)
>>> y, y.grad
(Tensor([1., 2.]), array([2., 4.]))
"""

from __future__ import annotations

import os
import zipfile
import zlib
from typing import IO, Union

import numpy as np

from ._tensor import Tensor

__all__ = ["save", "load"]

FileLike = Union[str, "os.PathLike[str]", IO[bytes]]

_REAL_KINDS = frozenset("fiub")
# what NumPy and zipfile raise for a file that is not a readable archive (or is damaged)
_UNREADABLE = (ValueError, EOFError, zipfile.BadZipFile, zlib.error)


def save(file: FileLike, tensor: Tensor) -> None:
    """Write ``tensor``'s data, and its grad if it has one, to ``file`` (``numpy.savez``).

    ``file`` is a path (NumPy appends ``.npz`` when it is missing) or a binary file object.
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"mygrad.save expects a Tensor, got {type(tensor).__name__}")
    if tensor.dtype.kind not in _REAL_KINDS:
        raise TypeError(
            f"mygrad.save: cannot save a tensor of dtype {tensor.dtype}; only real numeric and "
            "boolean tensors can be loaded back"
        )
    grad = tensor.grad
    if grad is None:
        np.savez(file, data=tensor.data)
    else:
        np.savez(file, data=tensor.data, grad=grad)


def load(file: FileLike) -> Tensor:
    """Read a tensor written by :func:`save`.

    The tensor's ``constant`` flag is inferred from its dtype (a saved constant float tensor
    loads as a variable); a saved grad becomes the new leaf's grad, as ``backward(grad)``
    would set it (also under ``no_autodiff``, where ``backward`` does nothing).
    """
    try:
        archive = np.load(file, allow_pickle=False)
    except _UNREADABLE as e:
        raise ValueError(f"mygrad.load: {file!r} is not a mygrad .npz archive ({e})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(
            f"mygrad.load: {file!r} holds a single array, not a .npz archive written by mygrad.save"
        )
    with archive:
        keys = set(archive.files)
        if "data" not in keys or not keys <= {"data", "grad"}:
            raise ValueError(
                "mygrad.load: the archive must hold the key 'data' and optionally 'grad'; "
                f"it holds {sorted(keys)}"
            )
        data = _read(archive, "data")
        grad = _read(archive, "grad") if "grad" in keys else None
    if grad is not None:
        _check_grad(grad, data)
    tensor = Tensor(data, copy=False)
    tensor._grad = grad  # a fresh array read from the file, owned by this tensor alone
    return tensor


def _read(archive: np.lib.npyio.NpzFile, key: str) -> np.ndarray:
    try:
        array = archive[key]
    except _UNREADABLE as e:  # object arrays need pickles, which are refused; damaged data
        raise ValueError(
            f"mygrad.load: cannot read {key!r}: {e} (mygrad.load does no unpickling)"
        ) from None
    if not isinstance(array, np.ndarray):  # NumPy hands over a member that is not .npy as bytes
        raise ValueError(f"mygrad.load: the archive's {key!r} is not a NumPy array")
    if array.dtype.kind not in _REAL_KINDS:
        raise ValueError(
            f"mygrad.load: {key!r} has dtype {array.dtype}; only real numeric and boolean "
            "dtypes are allowed"
        )
    return array


def _check_grad(grad: np.ndarray, data: np.ndarray) -> None:
    """``save`` writes a grad only for a floating tensor, with the tensor's shape and dtype."""
    if data.dtype.kind != "f":
        raise ValueError(
            f"mygrad.load: the archive holds a grad, but its data has dtype {data.dtype}, and "
            "integer and boolean tensors are constants, which have no grad"
        )
    if grad.shape != data.shape:
        raise ValueError(
            f"mygrad.load: the saved grad has shape {grad.shape} but the data has shape "
            f"{data.shape}"
        )
    if grad.dtype != data.dtype:
        raise ValueError(
            f"mygrad.load: the saved grad has dtype {grad.dtype} but the data has dtype "
            f"{data.dtype}"
        )
