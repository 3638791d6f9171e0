"""Hints for mygrad-core's ops/math/hyperbolic.py.

The plain functions (csch, ...) have no NumPy counterpart, so each row names its
reference. Where a domain has to stay on one side of a pole (0) or of [-1, 1], an
example covers the other side.
"""

from __future__ import annotations

import numpy as np

from ._row import GE_ONE, UNIT_OPEN, Call, Domain, Hints

# csch, coth and arccsch have a pole at 0; a strictly positive domain keeps their
# gradients representable in float16
_POSITIVE_AWAY_FROM_POLE = Domain(0.25, 5.0)

_NEGATIVE = (Call((np.array([-3.0, -1.0, -0.3]),)),)
_NEGATIVE_BEYOND_ONE = (Call((np.array([-4.0, -1.5, -1.1]),)),)


def _csch(a: np.ndarray) -> np.ndarray:
    return 1 / np.sinh(a)


def _sech(a: np.ndarray) -> np.ndarray:
    return 1 / np.cosh(a)


def _coth(a: np.ndarray) -> np.ndarray:
    return 1 / np.tanh(a)


def _arccsch(a: np.ndarray) -> np.ndarray:
    return np.arcsinh(1 / a)


def _arccoth(a: np.ndarray) -> np.ndarray:
    return np.arctanh(1 / a)


ROWS = {
    "sinh": Hints(),
    "cosh": Hints(),
    "tanh": Hints(),
    "arcsinh": Hints(),
    "arccosh": Hints(domain=GE_ONE),
    "arctanh": Hints(domain=UNIT_OPEN),
    "csch": Hints(domain=_POSITIVE_AWAY_FROM_POLE, reference=_csch, examples=_NEGATIVE),
    "sech": Hints(reference=_sech),
    "coth": Hints(domain=_POSITIVE_AWAY_FROM_POLE, reference=_coth, examples=_NEGATIVE),
    "arccsch": Hints(domain=_POSITIVE_AWAY_FROM_POLE, reference=_arccsch, examples=_NEGATIVE),
    "arccoth": Hints(domain=GE_ONE, reference=_arccoth, examples=_NEGATIVE_BEYOND_ONE),
}
