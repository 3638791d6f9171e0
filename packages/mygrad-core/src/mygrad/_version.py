"""The single source of the version shared by mygrad-core, mygrad-nnet and mygrad-testing."""

__version__ = "0.1.0"
