"""MyGrad 2.x's ``mygrad.tensor_creation``: the creation functions of ``mygrad.ops.creation``."""

from __future__ import annotations

from .ops import creation as _creation
from .ops.creation import *  # noqa: F403

__all__ = list(_creation.__all__)
