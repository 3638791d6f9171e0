"""MyGrad 2.x's home of ``sliding_window_view``: re-exports :func:`mygrad.sliding_window_view`."""

from mygrad import sliding_window_view

__all__ = ["sliding_window_view"]
