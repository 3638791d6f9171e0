"""Mathematical constants, as in MyGrad 2.x (``mygrad.pi is numpy.pi``).

``e``, ``euler_gamma``, ``inf``, ``nan`` and ``pi`` are Python floats; ``newaxis`` is None.
"""

from __future__ import annotations

import numpy as np

__all__ = ["e", "euler_gamma", "inf", "nan", "newaxis", "pi"]

e: float = np.e
euler_gamma: float = np.euler_gamma
inf: float = np.inf
nan: float = np.nan
newaxis: None = np.newaxis
pi: float = np.pi
