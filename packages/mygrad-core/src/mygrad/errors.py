"""Exceptions raised by mygrad."""

__all__ = [
    "MyGradException",
    "InvalidGradient",
    "InvalidBackprop",
    "DisconnectedView",
    "NonFiniteGradient",
]


class MyGradException(Exception):
    """Parent of every mygrad-specific exception."""


class InvalidGradient(MyGradException):
    """An operation's backward pass produced something that is not a numeric gradient."""


class InvalidBackprop(MyGradException):
    """Backpropagation reached a tensor whose part of the graph was already cleared."""


class DisconnectedView(MyGradException):
    """A view tensor lost the connection to the base whose memory it shares."""

    custom_msg = (
        "The view tensor is no longer connected to its base; its graph was cleared."
    )


class NonFiniteGradient(MyGradException, FloatingPointError):
    """Under ``mygrad.detect_anomaly``: backward produced a nan or inf gradient."""
