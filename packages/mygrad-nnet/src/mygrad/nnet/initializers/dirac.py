"""The Dirac-delta (identity-preserving) initialisation for convolution filters."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg

from ._common import parse_shape

__all__ = ["dirac"]


def dirac(*shape: Any, dtype: Any = np.float32, constant: bool | None = None) -> mg.Tensor:
    """Zeros, with a 1 at ``[i, i, shape[2] // 2, shape[3] // 2, ...]`` for every
    ``i < min(shape[0], shape[1])``: a convolution with it passes its input channels
    through. The shape needs at least two dimensions (ValueError otherwise).

    >>> from mygrad.nnet.initializers import dirac
    >>> dirac(2, 3)
    Tensor([[1., 0., 0.],
            [0., 1., 0.]], dtype=float32)
    """
    shape = parse_shape("dirac", shape, min_dims=2)
    out = np.zeros(shape, dtype=dtype)
    if out.size == 0:
        return mg.tensor(out, constant=constant, copy=False)
    diagonal = np.arange(min(shape[0], shape[1]))
    centre = tuple(side // 2 for side in shape[2:])
    out[(diagonal, diagonal, *centre)] = 1
    return mg.tensor(out, constant=constant, copy=False)
