"""Reliability tests run small by default; ``MYGRAD_RELIABILITY=full`` runs the full sizes.

The full sizes are the ones the decisions quote (8 threads x 50,000 nested switches in
20 trials, 10,000 training steps, ...); they take minutes, so CI runs scaled-down variants
of the same tests. The full run:
``MYGRAD_RELIABILITY=full nox -s tests -- packages/mygrad-core/tests/reliability``.
"""

from __future__ import annotations

import os

import pytest

FULL = os.environ.get("MYGRAD_RELIABILITY", "").lower() == "full"


@pytest.fixture
def full_size() -> bool:
    """Whether to run the full-size variant of a scaled test."""
    return FULL
