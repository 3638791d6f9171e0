"""``mygrad.save`` / ``mygrad.load``: a tensor's data (and grad) in an uncompressed ``.npz``.

The archive holds the array ``data`` and, when the tensor has one, ``grad``. Loading never
unpickles (``allow_pickle=False``, decision D13) and checks the archive before building the
tensor: exactly the keys ``data`` and optionally ``grad``, real numeric dtypes, and a grad
shaped like the data. Anything else is a ValueError naming the problem.

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
from typing import IO, Union

import numpy as np

from ._tensor import Tensor

__all__ = ["save", "load"]

FileLike = Union[str, "os.PathLike[str]", IO[bytes]]

_REAL_KINDS = frozenset("fiub")


def save(file: FileLike, tensor: Tensor) -> None:
    """Write ``tensor``'s data, and its grad if it has one, to ``file`` (``numpy.savez``).

    ``file`` is a path (NumPy appends ``.npz`` when it is missing) or a binary file object.
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"mygrad.save expects a Tensor, got {type(tensor).__name__}")
    grad = tensor.grad
    if grad is None:
        np.savez(file, data=tensor.data)
    else:
        np.savez(file, data=tensor.data, grad=grad)


def load(file: FileLike) -> Tensor:
    """Read a tensor written by :func:`save`.

    The tensor's ``constant`` flag is inferred from its dtype (a saved constant float tensor
    loads as a variable); a saved grad is restored with ``backward(grad)`` on the new leaf.
    """
    try:
        archive = np.load(file, allow_pickle=False)
    except ValueError as e:
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
    if grad is not None and grad.shape != data.shape:
        raise ValueError(
            f"mygrad.load: the saved grad has shape {grad.shape} but the data has shape "
            f"{data.shape}"
        )
    tensor = Tensor(data, copy=False)
    if grad is not None:
        tensor.backward(grad)
    return tensor


def _read(archive: np.lib.npyio.NpzFile, key: str) -> np.ndarray:
    try:
        array = archive[key]
    except ValueError as e:  # object arrays need pickles, which are refused
        raise ValueError(f"mygrad.load: cannot read {key!r} without unpickling ({e})") from None
    if array.dtype.kind not in _REAL_KINDS:
        raise ValueError(
            f"mygrad.load: {key!r} has dtype {array.dtype}; only real numeric and boolean "
            "dtypes are allowed"
        )
    return array
