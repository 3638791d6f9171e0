"""Random programs of views, in-place updates, graph clearing and backprop (api.md S5-S7),
checked step by step against NumPy and, at each backward, against finite differences of
the replayed program (see ``mygrad.testing.stateful``)."""

from __future__ import annotations

from hypothesis import settings

from mygrad.testing.stateful import ViewProgram

TestViewPrograms = ViewProgram.TestCase
# programs of at most 8 steps keep each example fast; being short, twice the profile's
# example count is run (the profile still decides, and derandomizes under `ci`)
TestViewPrograms.settings = settings(
    max_examples=2 * settings.default.max_examples, stateful_step_count=8, deadline=None
)
