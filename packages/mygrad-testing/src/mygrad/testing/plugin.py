"""An opt-in pytest plugin (``pytest -p mygrad.testing.plugin``) for mygrad test suites.

* State hygiene: after each test, graph tracking and memory guarding are back to what they
  were before it, and it left no memory lock behind; a leak fails *that* test (at teardown),
  not a later one.
* ``--certify-ops=sin,add`` and ``--certify-properties=vjp,views`` keep only those items of
  the classes :func:`mygrad.testing.certify` generates; ``--certify-scale=0.5`` multiplies
  their example counts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import mygrad as mg
from mygrad.extend import clear_all_mem_locking_state, lock_count, tracking_active

from .certify import harness
from .certify.spec import OpSpec


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mygrad certification")
    group.addoption("--certify-ops", default="", help="certify only these ops (comma-separated)")
    group.addoption(
        "--certify-properties", default="", help="certify only these properties (comma-separated)"
    )
    group.addoption(
        "--certify-scale", type=float, default=1.0, help="multiply certification example counts"
    )


def pytest_configure(config: pytest.Config) -> None:
    scale = config.getoption("--certify-scale")
    if not scale > 0:
        raise pytest.UsageError(f"--certify-scale must be positive, got {scale}")
    harness.SCALE = scale


def _wanted(option: str) -> set[str]:
    return {name for name in option.split(",") if name}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ops = _wanted(config.getoption("--certify-ops"))
    props = _wanted(config.getoption("--certify-properties"))
    if not ops and not props:
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        spec = callspec.params.get("spec") if callspec is not None else None
        if not isinstance(spec, OpSpec):
            kept.append(item)
            continue
        prop = item.originalname.removeprefix("test_")  # type: ignore[attr-defined]
        wanted = (not ops or spec.name in ops) and (not props or prop in props)
        (kept if wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _mygrad_state_hygiene() -> Iterator[None]:
    tracking, guarding, locks = tracking_active(), mg.mem_guard_active(), lock_count()
    yield
    problems = []
    if tracking_active() != tracking:
        problems.append(f"graph tracking was left {'on' if tracking_active() else 'off'}")
    if mg.mem_guard_active() != guarding:
        problems.append(f"memory guarding was left {'on' if mg.mem_guard_active() else 'off'}")
    leaked = lock_count() - locks
    if leaked > 0:
        clear_all_mem_locking_state()
        problems.append(f"{leaked} memory lock(s) were left behind (a graph still alive?)")
    if problems:
        pytest.fail("mygrad state leaked from this test: " + "; ".join(problems), pytrace=False)

