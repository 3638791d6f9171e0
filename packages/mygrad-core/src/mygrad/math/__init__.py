"""``mygrad.math``: the mathematical functions and constants, as MyGrad 2.x groups them.

Every name here is also available at the top level (``mygrad.math.sin is mygrad.sin``).
"""

from __future__ import annotations

from ..ops import sorting as _sorting
from ..ops import statistics as _statistics
from ..ops.math import arithmetic as _arithmetic
from ..ops.math import exp_log as _exp_log
from ..ops.math import extrema as _extrema
from ..ops.math import hyperbolic as _hyperbolic
from ..ops.math import misc as _misc
from ..ops.math import sums_products as _sums_products
from ..ops.math import trigonometric as _trigonometric
from ..ops.math.arithmetic import *  # noqa: F403
from ..ops.math.exp_log import *  # noqa: F403
from ..ops.math.extrema import *  # noqa: F403
from ..ops.math.hyperbolic import *  # noqa: F403
from ..ops.math.misc import *  # noqa: F403
from ..ops.math.sums_products import *  # noqa: F403
from ..ops.math.trigonometric import *  # noqa: F403
from ..ops.sorting import *  # noqa: F403
from ..ops.statistics import *  # noqa: F403
from . import consts
from .consts import *  # noqa: F403

__all__ = ["consts", *consts.__all__]
for _module in (
    _arithmetic,
    _exp_log,
    _extrema,
    _hyperbolic,
    _misc,
    _sums_products,
    _trigonometric,
    _sorting,
    _statistics,
):
    __all__ += _module.__all__
del _module
