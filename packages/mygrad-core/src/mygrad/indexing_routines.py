"""MyGrad 2.x's ``mygrad.indexing_routines``: ``where`` (``mygrad.ops.where``)."""

from __future__ import annotations

from .ops import where as _where
from .ops.where import *  # noqa: F403

__all__ = list(_where.__all__)
