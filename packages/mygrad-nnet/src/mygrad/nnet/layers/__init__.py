"""Layers (api.md §14.3): convolution, max-pooling, batch normalisation and the GRU."""

from .batchnorm import batchnorm
from .conv import conv_nd
from .gru import gru
from .pooling import max_pool

__all__ = ["batchnorm", "conv_nd", "gru", "max_pool"]
