"""``python -m benchmarks``: time workloads against the floor, ours, and upstream mygrad."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .backends import backends
from .measure import SINGLE_THREADED, BenchmarkError, run_workload
from .report import Summary, result_record, table, write_json
from .workloads import WORKLOADS

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
        "git_commit": _git_commit(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--workload",
        action="append",
        choices=sorted(WORKLOADS),
        help="workload to run (repeatable; default: all)",
    )
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument(
        "--batch-seconds",
        type=float,
        default=0.1,
        help="target wall time of one timed batch per backend and round (default 0.1)",
    )
    parser.add_argument(
        "--upstream-python", help="python of a venv holding mygrad 2.5.0 (nox -s bench makes one)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    args = parser.parse_args(argv)

    chosen = backends(sys.executable, REPO, args.upstream_python)
    machine = _machine()
    print(f"single-threaded BLAS/OpenMP in every worker: {SINGLE_THREADED}")
    print(
        f"{machine['processor']}, {machine['cpu_count']} CPUs, load {machine['load_average']}; "
        f"median of {args.rounds} interleaved rounds, gc enabled"
    )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for name in args.workload or sorted(WORKLOADS):
        workload = WORKLOADS[name]
        try:
            measured = run_workload(workload, chosen, REPO, args.rounds, args.batch_seconds)
        except BenchmarkError as error:
            print(f"{name}: FAILED: {error}", file=sys.stderr)
            return 1
        record = result_record(workload, chosen, measured)
        record["machine"] = machine
        for key, worker in measured["workers"].items():
            print(f"  {key}: {worker}")
        summaries = {k: Summary(**v) for k, v in record["summary_us_per_op"].items()}
        print(table(workload, chosen, summaries))
        path = write_json(args.out, f"{stamp}-{name}", record)
        print(f"result written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
