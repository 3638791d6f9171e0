"""The Hypothesis profiles: every field set everywhere, CI deterministic, the choice rule."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import settings

from mygrad.testing import profiles

FIELDS = {n for n in inspect.signature(settings.__init__).parameters if n not in ("self", "parent")}


@pytest.mark.parametrize("name", sorted(profiles.PROFILES))
def test_every_profile_sets_every_field(name: str) -> None:
    assert set(profiles.PROFILES[name]) == FIELDS
    assert profiles.PROFILES[name]["deadline"] is None


def test_ci_is_derandomized_without_a_database() -> None:
    profiles.register()
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.deadline is None
    assert profiles.item_examples("ci") == 25


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "dev"),
        ({"CI": "true"}, "ci"),
        ({"CI": "true", "MYGRAD_PROFILE": "thorough"}, "thorough"),
        ({"MYGRAD_PROFILE": "ci"}, "ci"),
    ],
)
def test_the_profile_choice(environ: dict[str, str], expected: str) -> None:
    assert profiles.choose(environ) == expected


def test_an_unknown_profile_name_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match="'fast'"):
        profiles.choose({"MYGRAD_PROFILE": "fast"})
