"""Checks shared by the classification losses."""

from __future__ import annotations

from typing import Any

import numpy as np

import mygrad as mg

__all__ = ["class_labels"]


def class_labels(scores_shape: tuple[int, ...], y_true: Any, name: str = "y_true") -> np.ndarray:
    """``y_true`` as an integer array of shape (N,), for scores of shape (N, C).

    Raises ValueError when the scores are not 2-D or the labels do not have shape (N,),
    TypeError when the labels are not integers.
    """
    if len(scores_shape) != 2:
        raise ValueError(f"the scores must have shape (N, C), got shape {scores_shape}")
    labels = y_true.data if isinstance(y_true, mg.Tensor) else np.asarray(y_true)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"`{name}` must hold integer class labels, got dtype {labels.dtype}")
    if labels.shape != scores_shape[:1]:
        raise ValueError(
            f"`{name}` must have shape (N,) = {scores_shape[:1]} for scores of shape "
            f"{scores_shape}, got shape {labels.shape}"
        )
    return labels
