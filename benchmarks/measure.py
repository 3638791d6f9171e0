"""Start one worker per backend, check their results, then time them in interleaved rounds."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .backends import FLOOR_KEY, OURS_GUARD_OFF_KEY, OURS_KEY, Backend
from .worker_env import SINGLE_THREADED, heap_env
from .workload import Workload

# a backend's outcome on one workload
READY, PENDING, UNAVAILABLE, SKIPPED, FAILED = "ok", "pending", "unavailable", "skipped", "FAILED"


class BenchmarkError(RuntimeError):
    """The run cannot go on: the floor itself failed, or a worker is not what it claims."""


def _worker_env(repo: Path) -> dict[str, str]:
    # the repository root makes `benchmarks` importable; the library comes from the interpreter
    env = {**os.environ, **SINGLE_THREADED, **heap_env(), "PYTHONPATH": str(repo)}
    env.pop("MYGRAD_MEM_GUARD", None)  # the worker chooses the guard explicitly
    return env


def _command(backend: Backend, workload: Workload, *extra: str) -> list[str]:
    return [
        backend.python,
        "-m",
        "benchmarks.worker",
        "--workload",
        workload.name,
        *backend.worker_args,
        *extra,
    ]


class Worker:
    """A running ``benchmarks.worker`` process for one backend."""

    def __init__(self, backend: Backend, workload: Workload, repo: Path, results: Path) -> None:
        self.backend = backend
        self.results = results
        self._process = subprocess.Popen(
            _command(backend, workload, "--results", str(results)),
            cwd=repo,
            env=_worker_env(repo),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            self.hello: dict[str, Any] = self._receive()
        except BenchmarkError as error:
            self.hello = {"status": "error", "reason": str(error)}

    def _receive(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            code = self._process.wait()
            raise BenchmarkError(f"worker {self.backend.label!r} exited with status {code}")
        return json.loads(line)

    @property
    def ready(self) -> bool:
        return self.hello.get("status") == "ready"

    def time_per_iteration(self, iterations: int) -> float:
        """Seconds per pass, measured over ``iterations`` passes."""
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"iterations": iterations}) + "\n")
        self._process.stdin.flush()
        return self._receive()["ns"] / 1e9 / iterations

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=120)


def identity_problem(backend: Backend, hello: Mapping[str, Any]) -> str | None:
    """Why a worker imported a different mygrad than the backend names, if it did."""
    if backend.expect_version is not None and hello.get("mygrad_version") != backend.expect_version:
        return (
            f"expected mygrad {backend.expect_version}, the worker imported "
            f"{hello.get('mygrad_version')} from {hello.get('mygrad_file')}"
        )
    if backend.expect_under is not None:
        file = Path(hello.get("mygrad_file") or "")
        if backend.expect_under.resolve() not in file.resolve().parents:
            return f"mygrad was imported from {file}, not from {backend.expect_under}"
    return None


def results_problem(workload: Workload, got: Path, reference: Path) -> str | None:
    """How a backend's results differ from the floor's, if they do."""
    with np.load(got) as actual_file, np.load(reference) as expected_file:
        if sorted(actual_file.files) != sorted(expected_file.files):
            return f"results {sorted(actual_file.files)}, expected {sorted(expected_file.files)}"
        expected_all = {name: expected_file[name] for name in expected_file.files}
        # atol is relative to the largest reference value of all results: a gradient that
        # is ~0 next to the others (one that vanished through a deep chain) may differ in
        # its last denormal bits
        scale = max((float(np.max(np.abs(e))) for e in expected_all.values() if e.size), default=0)
        for name, expected in expected_all.items():
            actual = actual_file[name]
            if actual.shape != expected.shape:
                return f"{name!r} has shape {actual.shape}, expected {expected.shape}"
            close = np.isclose(actual, expected, rtol=workload.rtol, atol=workload.atol * scale)
            if not close.all():
                bad = int(np.argmin(close.ravel()))
                return (
                    f"{name!r} differs from the floor's at {int((~close).sum())} of "
                    f"{close.size} entries; e.g. flat index {bad}: got "
                    f"{actual.ravel()[bad]!r}, expected {expected.ravel()[bad]!r}"
                )
    return None


def calibrate(worker: Worker, batch_seconds: float) -> int:
    """Iterations per batch so that one batch takes about ``batch_seconds``."""
    iterations = 1
    while True:
        per_iteration = worker.time_per_iteration(iterations)
        if per_iteration * iterations >= batch_seconds / 10:
            return max(1, round(batch_seconds / per_iteration))
        iterations *= 4


def interleaved_rounds(
    workers: Mapping[tuple[str, str], Worker],
    iterations: Mapping[tuple[str, str], int],
    rounds: int,
) -> tuple[dict[tuple[str, str], list[float]], dict[tuple[str, str], list[float]]]:
    """Seconds per pass, one sample per backend per round, each sandwiched between two
    samples of its workload's floor; and, for each backend sample, the mean of those two.

    The backends take turns within each round, in an order rotated every round, and a
    floor sample sits between any two of them (it serves as the one after the first and
    the one before the second), so a ratio compares times taken moments apart: drift in the
    machine's load cancels.
    """
    pairs = [pair for pair in workers if pair[1] != FLOOR_KEY]
    samples: dict[tuple[str, str], list[float]] = {pair: [] for pair in workers}
    around: dict[tuple[str, str], list[float]] = {pair: [] for pair in pairs}

    def sample(pair: tuple[str, str]) -> float:
        seconds = workers[pair].time_per_iteration(iterations[pair])
        samples[pair].append(seconds)
        return seconds

    for r in range(rounds):
        shift = r % len(pairs) if pairs else 0
        last: tuple[tuple[str, str], float] | None = None
        for pair in pairs[shift:] + pairs[:shift]:
            floor = (pair[0], FLOOR_KEY)
            before = last[1] if last is not None and last[0] == floor else sample(floor)
            sample(pair)
            after = sample(floor)
            around[pair].append((before + after) / 2)
            last = (floor, after)
    return samples, around


def _status_of(backend: Backend, hello: Mapping[str, Any]) -> tuple[str, str | None]:
    status = hello.get("status")
    if status == "ready":
        return READY, None
    reason = hello.get("reason")
    if status == "missing":
        # a function of ours not written yet is pending work; another library's gap is not ours
        return (PENDING if backend.key in (OURS_KEY, OURS_GUARD_OFF_KEY) else UNAVAILABLE), reason
    return FAILED, reason


def probe_memory(backend: Backend, workload: Workload, repo: Path) -> dict[str, Any]:
    """Peak memory of one pass, in a fresh worker process."""
    done = subprocess.run(
        _command(backend, workload, "--probe", "memory"),
        cwd=repo,
        env=_worker_env(repo),
        stdout=subprocess.PIPE,
        text=True,
        timeout=600,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"status": "error", "reason": f"probe exited with status {done.returncode}"}
    return json.loads(lines[-1])


def _start_workers(
    workload: Workload, backends: list[Backend], repo: Path, scratch: Path
) -> tuple[dict[str, Worker], dict[str, dict[str, Any]]]:
    """One worker per backend, each checked against the floor; the workers and outcomes."""
    workers: dict[str, Worker] = {}
    outcome: dict[str, dict[str, Any]] = {}
    skip = dict(workload.skip)
    for backend in backends:
        if backend.key in skip:
            outcome[backend.key] = {"status": SKIPPED, "reason": skip[backend.key]}
            continue
        results = scratch / f"{workload.name}-{backend.key}.npz"
        worker = workers[backend.key] = Worker(backend, workload, repo, results)
        status, reason = _status_of(backend, worker.hello)
        if status == READY:
            reason = identity_problem(backend, worker.hello)
            if reason is not None:
                raise BenchmarkError(f"{backend.label}: {reason}")
            if backend.key != FLOOR_KEY:
                reason = results_problem(workload, worker.results, workers[FLOOR_KEY].results)
                if reason is not None:
                    status, reason = FAILED, f"results differ from the floor: {reason}"
        elif backend.key == FLOOR_KEY:
            raise BenchmarkError(f"{workload.name}: the floor did not run: {reason}")
        info = {k: v for k, v in worker.hello.items() if k not in ("status", "reason")}
        outcome[backend.key] = {"status": status, "reason": reason, **info}
    return workers, outcome


def _statuses(outcomes: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[Any, Any]:
    return {(w, k): o["status"] for w, by_key in outcomes.items() for k, o in by_key.items()}


def run_group(
    workloads: list[Workload],
    backends: list[Backend],
    repo: Path,
    rounds: int,
    batch_seconds: float,
    processes: int = 1,
) -> dict[str, dict[str, Any]]:
    """Check, calibrate and time every backend on workloads timed together; the raw
    measurements by workload name.

    The workloads of one group (W5's depths) share the interleaved rounds, so comparing
    them is as fair as comparing backends. A backend whose results differ from the floor's
    is marked FAILED and not timed; so is one whose first call raised. Only the floor
    failing stops the run.

    The rounds are split among ``processes`` sets of workers, started one set after the
    other: a process's memory layout, fixed when it starts (address randomisation, the
    heap's history), moves a large-array workload's time by several percent for as long
    as the process lives, so one process per backend would report its luck. Checks,
    outcomes and first-call times come from the first set; the calibration too.
    """
    processes = max(1, min(processes, rounds))
    outcomes: dict[str, dict[str, dict[str, Any]]] = {}
    samples: dict[tuple[str, str], list[float]] = {}
    around: dict[tuple[str, str], list[float]] = {}
    iterations: dict[tuple[str, str], int] = {}
    started_at = time.time()
    with tempfile.TemporaryDirectory(prefix="mygrad-bench-") as scratch:
        for generation in range(processes):
            share = rounds // processes + (generation < rounds % processes)
            workers: dict[tuple[str, str], Worker] = {}
            try:
                current: dict[str, dict[str, dict[str, Any]]] = {}
                for workload in workloads:
                    started, current[workload.name] = _start_workers(
                        workload, backends, repo, Path(scratch)
                    )
                    for key, worker in started.items():
                        workers[workload.name, key] = worker
                if generation == 0:
                    outcomes = current
                elif _statuses(current) != _statuses(outcomes):
                    raise BenchmarkError(
                        "a backend's outcome changed between worker processes: "
                        f"{_statuses(outcomes)} then {_statuses(current)}"
                    )
                # backend-major order: one library's workloads (W5's depths) run back to
                # back in each round, so comparing them is not disturbed by load changing
                order = {backend.key: i for i, backend in enumerate(backends)}
                timed = {
                    (name, key): workers[name, key]
                    for name, key in sorted(workers, key=lambda pair: order[pair[1]])
                    if outcomes[name][key]["status"] == READY
                }
                if generation == 0:
                    iterations = {pair: calibrate(w, batch_seconds) for pair, w in timed.items()}
                    started_at = time.time()
                got, floors = interleaved_rounds(timed, iterations, share)
                for pair, values in got.items():
                    samples.setdefault(pair, []).extend(values)
                for pair, values in floors.items():
                    around.setdefault(pair, []).extend(values)
            finally:
                for worker in workers.values():
                    worker.close()
    measured = {}
    for workload in workloads:
        name = workload.name
        memory = {}
        if workload.probe_memory:
            for backend in backends:
                if outcomes[name][backend.key]["status"] == READY:
                    memory[backend.key] = probe_memory(backend, workload, repo)
        measured[name] = {
            "started": started_at,
            "processes": processes,
            "backends_status": outcomes[name],
            "iterations_per_batch": {k: n for (w, k), n in iterations.items() if w == name},
            "seconds_per_iteration": {k: v for (w, k), v in samples.items() if w == name},
            "floor_around": {k: v for (w, k), v in around.items() if w == name},
            "memory": memory,
        }
    return measured
