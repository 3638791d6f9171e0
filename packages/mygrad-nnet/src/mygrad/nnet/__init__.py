"""mygrad.nnet: activations, initializers, layers and losses built on mygrad.

Every function of the four subpackages is also available here, e.g. ``mygrad.nnet.conv_nd``.
"""

from . import activations, initializers, layers, losses
from .activations import *  # noqa: F403
from .initializers import *  # noqa: F403
from .layers import *  # noqa: F403
from .losses import *  # noqa: F403

__all__ = [
    *activations.__all__,
    *initializers.__all__,
    *layers.__all__,
    *losses.__all__,
    "activations",
    "initializers",
    "layers",
    "losses",
]
