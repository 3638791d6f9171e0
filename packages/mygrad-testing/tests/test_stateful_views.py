"""Random programs of views, in-place updates, graph clearing and backprop (api.md S5-S7),
checked step by step against NumPy and, at each backward, against finite differences of
the replayed program (see ``mygrad.testing.stateful``).

Every program runs at least ``MIN_STEPS`` steps (the initial tensors count as one), and
the test asserts how many programs ran: at least 200 under the ``ci`` profile and 5,000
under ``thorough`` (issue 4), which splits them into independent shards so that
pytest-xdist runs them on every core. The count and the distribution of program lengths
are printed (``pytest -s``)."""

from __future__ import annotations

import collections
import sys

import pytest
from hypothesis import settings
from hypothesis.stateful import invariant, run_state_machine_as_test

from mygrad.testing.stateful import ViewProgram

MIN_STEPS = 8
MAX_STEPS = 12
# programs per profile; another profile runs four times its max_examples
PROGRAMS = {"ci": 200, "thorough": 5000}
# independent runs the programs are split into (each with its own random programs)
SHARDS = {"thorough": 4}


class CountedViewProgram(ViewProgram):
    """ViewProgram that records how many steps each program ran."""

    lengths: list[int] = []

    def __init__(self) -> None:
        super().__init__()
        self.steps = -1  # the first invariant check runs before the first step

    @invariant(check_during_init=True)
    def count_steps(self) -> None:
        self.steps += 1

    def teardown(self) -> None:
        # Hypothesis tears down in a ``finally``: a program cut short (rejected by the
        # oracle, out of data, failed) is not counted
        if sys.exc_info()[0] is None:
            CountedViewProgram.lengths.append(self.steps)
        super().teardown()


def _profile() -> str:
    return settings.get_current_profile_name()


@pytest.mark.parametrize("shard", range(SHARDS.get(_profile(), 1)))
def test_view_programs(shard: int) -> None:
    profile = _profile()
    shards = SHARDS.get(profile, 1)
    total = PROGRAMS.get(profile, 4 * settings.default.max_examples)
    programs = -(-total // shards)  # this shard's share, rounded up
    CountedViewProgram.lengths = []
    run_state_machine_as_test(
        CountedViewProgram,
        settings=settings(max_examples=programs, stateful_step_count=MAX_STEPS, deadline=None),
        _min_steps=MIN_STEPS - 1,  # Hypothesis counts from 0: at least MIN_STEPS steps
    )
    lengths = CountedViewProgram.lengths
    histogram = dict(sorted(collections.Counter(lengths).items()))
    print(
        f"\nViewProgram [{profile}, shard {shard + 1} of {shards}]: {len(lengths)} programs; "
        f"steps per program: {histogram}"
    )
    assert len(lengths) >= programs
    assert min(lengths) >= MIN_STEPS
