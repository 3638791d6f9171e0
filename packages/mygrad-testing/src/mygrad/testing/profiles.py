"""Hypothesis profiles for mygrad's test suites: ``dev``, ``ci`` and ``thorough``.

Every profile sets every settings field: Hypothesis loads its own ``ci`` profile when the
``CI`` variable is set, and a field a profile leaves out would silently come from whichever
profile was loaded before.

Two example counts exist per profile. A Hypothesis profile holds one ``max_examples``, the
count for hand-written ``@given`` tests; each generated certification item (one op, one
property) runs :func:`item_examples` examples, divided by the op's ``cost``.

>>> from mygrad.testing import profiles
>>> profiles.register()
>>> profiles.item_examples("ci")
25
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.database import DirectoryBasedExampleDatabase

__all__ = ["PROFILES", "ITEM_EXAMPLES", "register", "choose", "load", "item_examples"]

_ALL_PHASES = tuple(Phase)

PROFILES: Mapping[str, Mapping[str, Any]] = {
    "dev": {
        "max_examples": 30,
        "derandomize": False,
        "database": DirectoryBasedExampleDatabase(".hypothesis/examples"),
        "verbosity": Verbosity.normal,
        "phases": _ALL_PHASES,
        "stateful_step_count": 20,
        "report_multiple_bugs": True,
        "suppress_health_check": (),
        "deadline": None,
        "print_blob": False,
        "backend": "hypothesis",
    },
    "ci": {
        "max_examples": 50,
        # the same commit always draws the same examples; nothing is written to the checkout
        "derandomize": True,
        "database": None,
        "verbosity": Verbosity.normal,
        "phases": _ALL_PHASES,
        "stateful_step_count": 30,
        "report_multiple_bugs": True,
        # shared CI machines are slow; everything else (filter_too_much!) stays on
        "suppress_health_check": (HealthCheck.too_slow,),
        "deadline": None,
        "print_blob": True,
        "backend": "hypothesis",
    },
    "thorough": {
        "max_examples": 500,
        "derandomize": False,
        "database": DirectoryBasedExampleDatabase(".hypothesis/examples"),
        "verbosity": Verbosity.normal,
        "phases": _ALL_PHASES,
        "stateful_step_count": 50,
        "report_multiple_bugs": True,
        "suppress_health_check": (),
        "deadline": None,
        "print_blob": True,
        "backend": "hypothesis",
    },
}

# examples per generated certification item (before dividing by an op's cost)
ITEM_EXAMPLES: Mapping[str, int] = {"dev": 20, "ci": 25, "thorough": 300}

_ENV_VAR = "MYGRAD_PROFILE"


def register() -> None:
    """Register every profile with Hypothesis (idempotent)."""
    for name, fields in PROFILES.items():
        settings.register_profile(name, **fields)


def choose(environ: Mapping[str, str] | None = None) -> str:
    """The profile to use: ``$MYGRAD_PROFILE``, else ``ci`` when ``$CI`` is set, else ``dev``."""
    env = os.environ if environ is None else environ
    name = env.get(_ENV_VAR)
    if name:
        if name not in PROFILES:
            raise ValueError(
                f"{_ENV_VAR}={name!r} is not a mygrad profile; choose one of {sorted(PROFILES)}"
            )
        return name
    return "ci" if env.get("CI") else "dev"


def load(environ: Mapping[str, str] | None = None) -> str:
    """Register the profiles, load the chosen one and return its name."""
    register()
    name = choose(environ)
    settings.load_profile(name)
    return name


def item_examples(profile: str | None = None) -> int:
    """Examples per certification item in ``profile`` (default: the active profile).

    A profile that is not ours (Hypothesis's ``default``, a user's own) falls back to its
    ``max_examples``.
    """
    name = settings.get_current_profile_name() if profile is None else profile
    if name in ITEM_EXAMPLES:
        return ITEM_EXAMPLES[name]
    return settings.get_profile(name).max_examples
