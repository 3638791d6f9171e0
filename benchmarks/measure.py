"""Start one worker per backend, check their gradients, then time them in interleaved rounds."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .backends import FLOOR_KEY, Backend
from .workload import Workload

# BLAS/OpenMP pools are sized when NumPy loads, so the workers get this in their environment
SINGLE_THREADED = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}


class BenchmarkError(RuntimeError):
    """A backend computed a wrong gradient or is not the library it claims to be."""


class Worker:
    """A running ``benchmarks.worker`` process for one backend."""

    def __init__(self, backend: Backend, workload: Workload, repo: Path) -> None:
        self.backend = backend
        # the repository root makes `benchmarks` importable; mygrad comes from the interpreter
        env = {**os.environ, **SINGLE_THREADED, "PYTHONPATH": str(repo)}
        env.pop("MYGRAD_MEM_GUARD", None)  # the worker chooses the guard explicitly
        self._process = subprocess.Popen(
            [
                backend.python,
                "-m",
                "benchmarks.worker",
                "--workload",
                workload.name,
                *backend.worker_args,
            ],
            cwd=repo,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.hello: dict[str, Any] = self._receive()

    def _receive(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            code = self._process.wait()
            raise BenchmarkError(f"worker {self.backend.label!r} exited with status {code}")
        return json.loads(line)

    def time_per_iteration(self, iterations: int) -> float:
        """Seconds per forward+backward pass, measured over ``iterations`` passes."""
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"iterations": iterations}) + "\n")
        self._process.stdin.flush()
        return self._receive()["ns"] / 1e9 / iterations

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=60)


def check_identity(worker: Worker) -> None:
    """Refuse to time a worker that imported a different mygrad than the backend names."""
    backend, hello = worker.backend, worker.hello
    if backend.expect_version is not None and hello.get("mygrad_version") != backend.expect_version:
        raise BenchmarkError(
            f"{backend.label}: expected mygrad {backend.expect_version}, the worker imported "
            f"{hello.get('mygrad_version')} from {hello.get('mygrad_file')}"
        )
    if backend.expect_under is not None:
        file = Path(hello.get("mygrad_file") or "")
        if backend.expect_under.resolve() not in file.resolve().parents:
            raise BenchmarkError(
                f"{backend.label}: mygrad was imported from {file}, not from {backend.expect_under}"
            )


def check_gradients(workload: Workload, workers: Mapping[str, Worker]) -> None:
    """Every backend's gradients must equal the hand-derived floor's before anything is timed."""
    reference = workers[FLOOR_KEY].hello["grads"]
    for worker in workers.values():
        grads = worker.hello["grads"]
        if sorted(grads) != sorted(reference):
            raise BenchmarkError(
                f"{worker.backend.label}: gradients of {sorted(grads)}, "
                f"expected gradients of {sorted(reference)}"
            )
        for name, expected in reference.items():
            actual = np.asarray(grads[name])
            if actual.shape != np.shape(expected) or not np.allclose(
                actual, expected, rtol=workload.rtol, atol=0.0
            ):
                raise BenchmarkError(
                    f"{worker.backend.label}: gradient of {name!r} differs from the floor's\n"
                    f"  got      {actual.tolist()}\n  expected {expected}"
                )


def calibrate(worker: Worker, batch_seconds: float) -> int:
    """Iterations per batch so that one batch takes about ``batch_seconds``."""
    iterations = 1
    while True:
        per_iteration = worker.time_per_iteration(iterations)
        if per_iteration * iterations >= batch_seconds / 10:
            return max(1, round(batch_seconds / per_iteration))
        iterations *= 4


def interleaved_rounds(
    workers: Mapping[str, Worker], iterations: Mapping[str, int], rounds: int
) -> dict[str, list[float]]:
    """Seconds per iteration, one sample per backend per round.

    Backends take turns within each round, in an order rotated every round, so drift in the
    machine's load spreads over all of them instead of biasing whichever ran last.
    """
    keys = list(workers)
    samples: dict[str, list[float]] = {key: [] for key in keys}
    for r in range(rounds):
        shift = r % len(keys)
        for key in keys[shift:] + keys[:shift]:
            samples[key].append(workers[key].time_per_iteration(iterations[key]))
    return samples


def run_workload(
    workload: Workload, backends: list[Backend], repo: Path, rounds: int, batch_seconds: float
) -> dict[str, Any]:
    """Check, calibrate and time every backend on one workload; return the raw measurements."""
    workers: dict[str, Worker] = {}
    try:
        for backend in backends:
            workers[backend.key] = Worker(backend, workload, repo)
            check_identity(workers[backend.key])
        check_gradients(workload, workers)
        iterations = {key: calibrate(w, batch_seconds) for key, w in workers.items()}
        started = time.time()
        samples = interleaved_rounds(workers, iterations, rounds)
        return {
            "started": started,
            "iterations_per_batch": iterations,
            "seconds_per_iteration": samples,
            "workers": {
                key: {k: v for k, v in w.hello.items() if k != "grads"}
                for key, w in workers.items()
            },
        }
    finally:
        for worker in workers.values():
            worker.close()
