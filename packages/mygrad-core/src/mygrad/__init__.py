"""mygrad: drop-in reverse-mode automatic differentiation for NumPy.

>>> import numpy as np
>>> import mygrad as mg
>>> x = mg.tensor([1.0, 2.0, 3.0])
>>> loss = np.sum(x * x)
>>> loss.backward()
>>> x.grad
array([2., 4., 6.])
"""

# mygrad-nnet and mygrad-testing add the subpackages mygrad/nnet and mygrad/testing
from pkgutil import extend_path
from types import ModuleType as _ModuleType

__path__ = extend_path(__path__, __name__)

# the Tensor first: the op machinery imports it
from ._tensor import Tensor  # noqa: E402, I001

from . import _missing_distributions  # noqa: E402
from ._frontends import ufunc  # noqa: E402
from ._modes import (  # noqa: E402
    detect_anomaly,
    mem_guard_active,
    mem_guard_off,
    mem_guard_on,
    no_autodiff,
    turn_memory_guarding_off,
    turn_memory_guarding_on,
)
from ._version import __version__  # noqa: E402

# the ops, grouped like NumPy's routine reference (each module's __all__ is public)
from .ops.creation import *  # noqa: E402,F403
from .ops.indexing import getitem as _getitem  # noqa: E402,F401
from .ops.linalg import *  # noqa: E402,F403
from .ops.logic import *  # noqa: E402,F403
from .ops.manipulation import *  # noqa: E402,F403
from .ops.math.arithmetic import *  # noqa: E402,F403
from .ops.math.exp_log import *  # noqa: E402,F403
from .ops.math.extrema import *  # noqa: E402,F403
from .ops.math.hyperbolic import *  # noqa: E402,F403
from .ops.math.misc import *  # noqa: E402,F403
from .ops.math.rounding import *  # noqa: E402,F403
from .ops.math.sums_products import *  # noqa: E402,F403
from .ops.math.trigonometric import *  # noqa: E402,F403
from .ops.sorting import *  # noqa: E402,F403
from .ops.statistics import *  # noqa: E402,F403
from .ops.where import *  # noqa: E402,F403

# upstream-compatible modules, names and constants
from ._compat_exports import *  # noqa: E402,F403

from . import errors  # noqa: E402

_missing_distributions.install()


def __getattr__(name: str) -> _ModuleType:
    # mygrad.nnet / mygrad.testing come from other distributions: import them on first use
    if name in ("nnet", "testing"):
        import importlib

        return importlib.import_module(f"mygrad.{name}")
    raise AttributeError(f"module 'mygrad' has no attribute {name!r}")
