"""MyGrad 2.x's ``mygrad.tensor_manip``: shape manipulation, transposition, joining and
tiling of tensors (``mygrad.ops.manipulation``)."""

from __future__ import annotations

from .ops import manipulation as _manipulation
from .ops.manipulation import *  # noqa: F403

__all__ = list(_manipulation.__all__)
