"""Hints for mygrad-core's ops/math/trigonometric.py.

The plain functions (sinc, cot, ...) have no NumPy counterpart, so each row names its
reference. Where a domain has to stay on one side of a pole or of [-1, 1], an example
covers the other side.
"""

from __future__ import annotations

import numpy as np

from ._row import GE_ONE, NONZERO, UNIT_OPEN, Call, Domain, Hints

# away from the poles of tan and sec (odd multiples of pi/2) ...
_BETWEEN_TAN_POLES = Domain(-1.3, 1.3)
# ... and of cot and csc (multiples of pi)
_BETWEEN_COT_POLES = Domain(0.2, 2.9)

_NEGATIVE_COT = (Call((np.array([-2.5, -1.0, -0.3]),)),)
_NEGATIVE_BEYOND_ONE = (Call((np.array([-4.0, -1.5, -1.1]),)),)


def _cot(a: np.ndarray) -> np.ndarray:
    return 1 / np.tan(a)


def _csc(a: np.ndarray) -> np.ndarray:
    return 1 / np.sin(a)


def _sec(a: np.ndarray) -> np.ndarray:
    return 1 / np.cos(a)


def _arccot(a: np.ndarray) -> np.ndarray:
    # MyGrad's convention: arctan(1/a), and pi/2 at a == 0
    with np.errstate(divide="ignore"):
        return np.where(a == 0, np.pi / 2, np.arctan(1 / a))


def _arccsc(a: np.ndarray) -> np.ndarray:
    return np.arcsin(1 / a)


def _arcsec(a: np.ndarray) -> np.ndarray:
    return np.arccos(1 / a)


ROWS = {
    "sin": Hints(),
    "cos": Hints(),
    "tan": Hints(domain=_BETWEEN_TAN_POLES),
    "arcsin": Hints(domain=UNIT_OPEN),
    "arccos": Hints(domain=UNIT_OPEN),
    "arctan": Hints(),
    # x1 != 0 keeps clear of the branch cut (x1 = 0, x2 < 0) and of the origin
    "arctan2": Hints(domain={0: NONZERO}),
    "sinc": Hints(reference=np.sinc),
    "cot": Hints(domain=_BETWEEN_COT_POLES, reference=_cot, examples=_NEGATIVE_COT),
    "csc": Hints(domain=_BETWEEN_COT_POLES, reference=_csc, examples=_NEGATIVE_COT),
    "sec": Hints(domain=_BETWEEN_TAN_POLES, reference=_sec),
    # arccot jumps from -pi/2 to pi/2 at 0
    "arccot": Hints(domain=NONZERO, reference=_arccot),
    "arccsc": Hints(domain=GE_ONE, reference=_arccsc, examples=_NEGATIVE_BEYOND_ONE),
    "arcsec": Hints(domain=GE_ONE, reference=_arcsec, examples=_NEGATIVE_BEYOND_ONE),
}
