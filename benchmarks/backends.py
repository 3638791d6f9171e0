"""The backends a benchmark run compares, each a worker process with its own interpreter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

UPSTREAM_VERSION = "2.5.0"

FLOOR_KEY = "floor"
OURS_KEY = "ours"
OURS_GUARD_OFF_KEY = "ours-guard-off"
UPSTREAM_KEY = "upstream"
TORCH_KEY = "torch"


@dataclass(frozen=True)
class Backend:
    key: str  # short id used in the JSON result
    label: str  # what the table prints
    python: str  # interpreter that runs the worker; it decides which library is imported
    worker_args: tuple[str, ...]
    expect_version: str | None = None  # the mygrad version this worker must report
    expect_under: Path | None = None  # a directory mygrad must be imported from


def backends(
    ours_python: str, repo: Path, upstream_python: str | None, torch_python: str | None
) -> list[Backend]:
    """Floor first (the gradient reference), then ours, then upstream mygrad and torch if
    their interpreters are given (a torch worker without torch reports itself unavailable)."""
    ours_src = repo / "packages" / "mygrad-core" / "src"
    found = [
        Backend(FLOOR_KEY, "NumPy, hand-derived (floor)", ours_python, ("--backend", "numpy")),
        Backend(
            OURS_KEY,
            "mygrad (ours), mem guard on",
            ours_python,
            ("--backend", "mygrad", "--mem-guard", "on"),
            expect_under=ours_src,
        ),
        Backend(
            OURS_GUARD_OFF_KEY,
            "mygrad (ours), mem_guard_off",
            ours_python,
            ("--backend", "mygrad", "--mem-guard", "off"),
            expect_under=ours_src,
        ),
    ]
    if upstream_python is not None:
        found += [
            Backend(
                UPSTREAM_KEY,
                f"mygrad {UPSTREAM_VERSION}, mem guard on",
                upstream_python,
                ("--backend", "mygrad", "--mem-guard", "on"),
                expect_version=UPSTREAM_VERSION,
            ),
            Backend(
                "upstream-guard-off",
                f"mygrad {UPSTREAM_VERSION}, mem_guard_off",
                upstream_python,
                ("--backend", "mygrad", "--mem-guard", "off"),
                expect_version=UPSTREAM_VERSION,
            ),
        ]
    if torch_python is not None:
        found.append(
            Backend(TORCH_KEY, "torch (CPU), float64", torch_python, ("--backend", "torch"))
        )
    return found
