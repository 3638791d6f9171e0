"""One backend in its own process: compute the gradients once, then time batches on request.

Started by ``measure.py`` as ``python -m benchmarks.worker --workload W1 --backend ...``.
Protocol (one JSON object per line): the worker first prints its environment and the
gradients it computed; then each request line ``{"iterations": k}`` is answered with
``{"ns": <wall time of k forward+backward passes>}``. End of input ends the worker.

The interpreter running this decides which ``mygrad`` is measured, so upstream mygrad runs
here with its own venv's python and ours with the nox session's.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from .workloads import WORKLOADS

BACKENDS = ("numpy", "mygrad")


def _step_and_context(
    backend: str, mem_guard: str, workload_name: str
) -> tuple[Callable[[], dict[str, np.ndarray]], AbstractContextManager[Any], dict[str, Any]]:
    """The timed call, the mode it runs under, and what to report about the library."""
    workload = WORKLOADS[workload_name]
    inputs = workload.make_inputs()
    if backend == "numpy":
        return (lambda: workload.floor(inputs)), contextlib.nullcontext(), {}
    mg = importlib.import_module("mygrad")
    # both are reusable context managers, in ours and in upstream mygrad 2.x
    guard = mg.mem_guard_on if mem_guard == "on" else mg.mem_guard_off
    info = {"mygrad_version": mg.__version__, "mygrad_file": mg.__file__}
    return (lambda: workload.autodiff(mg, inputs)), guard, info


def _requests() -> Iterator[dict[str, Any]]:
    for line in sys.stdin:
        if line.strip():
            yield json.loads(line)


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    parser.add_argument("--backend", required=True, choices=BACKENDS)
    parser.add_argument("--mem-guard", choices=("on", "off"), default="on")
    args = parser.parse_args(argv)

    step, context, info = _step_and_context(args.backend, args.mem_guard, args.workload)
    with context:
        grads = step()
    _send(
        {
            "python": platform.python_version(),
            "numpy": np.__version__,
            **info,
            # repr round-trips float64 exactly through JSON
            "grads": {name: np.asarray(g, dtype=float).tolist() for name, g in grads.items()},
        }
    )
    for request in _requests():
        iterations = int(request["iterations"])
        with context:
            start = time.perf_counter_ns()
            for _ in range(iterations):
                step()
            elapsed = time.perf_counter_ns() - start
        _send({"ns": elapsed})


if __name__ == "__main__":
    main()
