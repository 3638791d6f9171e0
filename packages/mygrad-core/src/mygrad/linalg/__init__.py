"""``mygrad.linalg``: differentiable linear algebra that has no top-level name (MyGrad 2.x).

Only :func:`norm` lives here; ``matmul``, ``einsum`` and ``multi_matmul`` are top-level.
"""

from ..ops.linalg import norm

__all__ = ["norm"]
