"""Repository-wide pytest setup: choose and announce the Hypothesis profile.

``MYGRAD_PROFILE`` picks one of ``dev``/``ci``/``thorough``; otherwise ``ci`` when ``CI`` is
set, else ``dev``. Hypothesis's own ``--hypothesis-profile=NAME`` still wins for one run.
"""

from __future__ import annotations

from hypothesis import settings

from mygrad.testing import profiles

profiles.load()


def pytest_report_header(config: object) -> str:
    name = settings.get_current_profile_name()
    return f"mygrad hypothesis profile: {name} (item examples: {profiles.item_examples(name)})"
