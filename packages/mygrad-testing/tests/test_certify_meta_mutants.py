"""The mutation kit: every deliberately broken op must fail the property meant to catch it,
within the CI example budget, with a message in the harness's format; and each must still
pass the forward check when its defect is elsewhere (so the catch is specific)."""

from __future__ import annotations

import pytest

from mygrad.extend import ops
from mygrad.testing import profiles
from mygrad.testing.certify import certification_cases, run_property
from mygrad.testing.mutants import MUTANTS

CI_BUDGET = profiles.ITEM_EXAMPLES["ci"]


def _messages(exc: BaseException) -> list[str]:
    group = getattr(exc, "exceptions", None)
    if group:
        return [m for e in group for m in _messages(e)]
    return [str(exc)]


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_fails_its_property(name: str) -> None:
    mutant = MUTANTS[name]
    with pytest.raises(Exception) as caught:  # noqa: B017 - the messages are checked below
        run_property(mutant.catches, mutant.spec, max_examples=CI_BUDGET, shrink=False)
    prefix = f"[{mutant.catches}] {name} ("
    messages = _messages(caught.value)
    assert any(m.startswith(prefix) for m in messages), (
        f"{name} ({mutant.defect}) failed, but not with a {prefix!r} message: {messages}"
    )


@pytest.mark.parametrize(
    "name", sorted(n for n, m in MUTANTS.items() if m.catches not in ("forward", "no_mutation"))
)
def test_mutant_defect_is_not_in_its_forward(name: str) -> None:
    run_property("forward", MUTANTS[name].spec, max_examples=10)


def test_mutants_stay_out_of_the_core_certification() -> None:
    assert all(ops()[name].package == "mygrad.testing" for name in MUTANTS)
    certified = {param.id for param in certification_cases(package="mygrad")}
    assert not certified & set(MUTANTS)
