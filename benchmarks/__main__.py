"""``python -m benchmarks [W1 W5 ...]``: time workloads against the hand-derived NumPy floor,
ours (memory guard on and off), upstream mygrad 2.5.0 and torch, and check the budgets."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .backends import OURS_KEY, backends
from .budgets import budget_table, evaluate
from .measure import FAILED, BenchmarkError, run_group
from .report import result_record, table, write_json
from .worker_env import GLIBC_HEAP_REQUEST, SINGLE_THREADED, heap_env
from .workloads import GROUPS, WORKLOADS

REPO = Path(__file__).resolve().parent.parent


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def _machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "thread_env": SINGLE_THREADED,
        "heap_env": heap_env(),
        "git_commit": _git_commit(),
    }


def _selected(names: list[str]) -> list[str]:
    """Workload names in suite order, from group names (``W5``) or exact names (``W5@5000``)."""
    wanted: set[str] = set()
    for name in names:
        if name in GROUPS:
            wanted.update(GROUPS[name])
        elif name in WORKLOADS:
            wanted.add(name)
        else:
            choices = sorted(set(GROUPS) | set(WORKLOADS))
            raise SystemExit(f"unknown workload {name!r}; choose from {', '.join(choices)}")
    return [name for name in WORKLOADS if name in wanted] if names else list(WORKLOADS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("workloads", nargs="*", metavar="WORKLOAD", help="W1 ... W7 (default: all)")
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument(
        "--processes",
        type=int,
        default=3,
        help="worker processes per backend, one set after another, sharing the rounds "
        "(default 3): averages over memory layouts",
    )
    parser.add_argument(
        "--batch-seconds",
        type=float,
        default=0.1,
        help="target wall time of one timed batch per backend and round (default 0.1)",
    )
    parser.add_argument(
        "--upstream-python", help="python of a venv holding mygrad 2.5.0 (nox -s bench makes one)"
    )
    parser.add_argument(
        "--torch-python", help="python of a venv holding torch (skipped when torch is absent)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a budget is missed"
    )
    parser.add_argument(
        "--glibc-heap",
        action="store_true",
        help="keep glibc's default heap trimming in the workers (by default the heap's top "
        "is padded so that no pass pays page faults for the last one's; benchmarks/worker_env.py)",
    )
    args = parser.parse_args(argv)
    names = _selected(args.workloads)
    if args.glibc_heap:
        os.environ[GLIBC_HEAP_REQUEST] = "1"

    chosen = backends(sys.executable, REPO, args.upstream_python, args.torch_python)
    machine = _machine()
    print(
        f"single-threaded BLAS/OpenMP in every worker (torch: set_num_threads(1)): "
        f"{SINGLE_THREADED}"
    )
    print(
        f"glibc heap in every worker: {heap_env() or 'defaults (--glibc-heap)'}"
        + ("" if args.glibc_heap else ", so that its top is not trimmed between passes")
    )
    print(
        f"{machine['processor']}, {machine['cpu_count']} CPUs, load {machine['load_average']}; "
        f"median of {args.rounds} interleaved rounds over {args.processes} worker processes "
        "per backend, gc enabled; each sample is sandwiched between two floor samples, and "
        "its ratio is to their mean"
    )
    started = time.time()
    records: dict[str, dict[str, Any]] = {}
    failed = []
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(WORKLOADS[name].selector, []).append(name)
    for members in groups.values():
        workloads = [WORKLOADS[name] for name in members]
        try:
            measured = run_group(
                workloads, chosen, REPO, args.rounds, args.batch_seconds, args.processes
            )
        except BenchmarkError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            return 1
        for workload in workloads:
            record = records[workload.name] = result_record(
                workload, chosen, measured[workload.name]
            )
            print()
            print(table(workload, chosen, record))
            if record["backends_status"][OURS_KEY]["status"] == FAILED:
                failed.append(workload.name)
    rows = evaluate(records)
    print(f"\nbudgets (ours, memory guard on unless stated; {time.time() - started:.0f} s):")
    print(budget_table(rows))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    payload = {"machine": machine, "workloads": records, "budgets": rows}
    path = write_json(args.out, f"{stamp}-{'-'.join(names) if args.workloads else 'all'}", payload)
    print(f"results written to {path}")
    if failed:
        print(f"ours FAILED the result check on {', '.join(failed)}", file=sys.stderr)
        return 1
    if args.strict and any(row["verdict"] == "FAIL" for row in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
