"""Registry coverage from the hints side: every hints row belongs to a registered op (the
other direction, every op certified, is each package's ``test_coverage``)."""

from __future__ import annotations

import importlib.util

from mygrad.testing.certify.harness import registered_specs
from mygrad.testing.hints import HINTS

PACKAGES = ["mygrad"] + (["mygrad.nnet"] if importlib.util.find_spec("mygrad.nnet") else [])


def test_every_hints_row_names_a_registered_op() -> None:
    known = {spec.name for package in PACKAGES for spec in registered_specs(package)}
    stale = sorted(set(HINTS) - known)
    assert not stale, f"hints rows for ops that are not registered (typo or removed op): {stale}"

