"""Activation functions (api.md §14.1). ``tanh`` is :func:`mygrad.tanh` itself."""

from mygrad import tanh

from .elu import elu
from .glu import glu
from .hard_tanh import hard_tanh
from .leaky_relu import leaky_relu
from .relu import relu
from .selu import selu
from .sigmoid import sigmoid
from .soft_sign import soft_sign
from .softmax import logsoftmax, softmax

__all__ = [
    "elu",
    "glu",
    "hard_tanh",
    "leaky_relu",
    "logsoftmax",
    "relu",
    "selu",
    "sigmoid",
    "soft_sign",
    "softmax",
    "tanh",
]
