"""One backend in its own process: compute the results once, then time passes on request.

Started by ``measure.py`` as ``python -m benchmarks.worker --workload W1 --backend ...``.
Protocol (one JSON object per line on stdout): the worker first reports its status and
environment (``ready``: it computed the results once, timed that first call and saved the
results to ``--results``; ``missing``: the library lacks something the workload needs;
``error``: the first call raised). Then each request line ``{"iterations": k}`` is answered
with ``{"ns": <wall time of k passes>}``. End of input ends the worker.

``--probe memory`` instead runs in a fresh process: passes measured by the growth of the
process's RSS high-water mark and under tracemalloc (see ``probe_memory``); it prints one
JSON line and exits.

The interpreter running this decides which library is measured, so upstream mygrad (and
torch) run here with their own venv's python and ours with the nox session's.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import platform
import resource
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import numpy as np

from .workload import Grads, Workload
from .workloads import WORKLOADS

BACKENDS = ("numpy", "mygrad", "torch")


class Missing(Exception):
    """The library cannot run this workload (not installed, or lacks a function)."""


def _mygrad(workload: Workload) -> tuple[Any, dict[str, Any]]:
    mg = importlib.import_module("mygrad")
    for dotted in workload.requires:
        module_path, _, attr = ("mygrad." + dotted).rpartition(".")
        try:
            module = importlib.import_module(module_path)
        except ImportError as error:
            raise Missing(f"{module_path} cannot be imported: {error}") from None
        if not hasattr(module, attr):
            raise Missing(f"{module_path}.{attr} does not exist")
    return mg, {"mygrad_version": mg.__version__, "mygrad_file": mg.__file__}


def _torch() -> tuple[Any, dict[str, Any]]:
    try:
        torch = importlib.import_module("torch")
    except ImportError as error:
        raise Missing(f"torch is not installed: {error}") from None
    torch.set_num_threads(1)
    with contextlib.suppress(RuntimeError):  # only settable before any parallel work
        torch.set_num_interop_threads(1)
    return torch, {"torch_version": torch.__version__, "torch_threads": torch.get_num_threads()}


def prepare(
    workload: Workload, backend: str, mem_guard: str
) -> tuple[Callable[[], Grads], AbstractContextManager[Any], dict[str, Any]]:
    """The pass to run, the mode it runs under, and what to report about the library."""
    inputs = workload.make_inputs()
    if backend == "numpy":
        return (lambda: workload.floor(inputs)), contextlib.nullcontext(), {}
    if backend == "torch":
        if workload.torch is None:
            raise Missing("this workload has no torch version")
        torch, info = _torch()
        torch_pass = workload.torch
        return (lambda: torch_pass(torch, inputs)), contextlib.nullcontext(), info
    mg, info = _mygrad(workload)
    # both are reusable context managers, in ours and in upstream mygrad 2.x
    guard = mg.mem_guard_on if mem_guard == "on" else mg.mem_guard_off
    return (lambda: workload.autodiff(mg, inputs)), guard, info


def _requests() -> Iterator[dict[str, Any]]:
    for line in sys.stdin:
        if line.strip():
            yield json.loads(line)


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _status_kib(field: str) -> int | None:
    """A ``VmRSS``/``VmHWM``-style field of /proc/self/status, in KiB (Linux only)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset the process's RSS high-water mark (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def probe_memory(run: Callable[[], Grads], context: AbstractContextManager[Any]) -> dict[str, Any]:
    """Peak memory of one pass (after a warm-up pass), two ways.

    - RSS: the growth of the resident-set high-water mark over the pass, from its reset;
      where it cannot be reset, the growth of ``ru_maxrss`` over the first (cold) pass.
    - tracemalloc's peak: Python objects and NumPy's array buffers (NumPy reports them to
      it), but not torch's allocator, so for torch only the RSS number means anything.
    """
    gc.collect()
    max_rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with context:
        run()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - max_rss_before) * 1024
    method = "ru_maxrss growth over the first pass"
    gc.collect()
    baseline = _status_kib("VmRSS")
    if baseline is not None and _reset_peak_rss():
        with context:
            run()
        peak = _status_kib("VmHWM")
        if peak is not None:
            rss_growth, method = (peak - baseline) * 1024, "VmHWM after a reset, over VmRSS"
    gc.collect()
    tracemalloc.start()
    with context:
        results = run()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del results
    return {"rss_growth_bytes": rss_growth, "rss_method": method, "peak_traced_bytes": traced_peak}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    parser.add_argument("--backend", required=True, choices=BACKENDS)
    parser.add_argument("--mem-guard", choices=("on", "off"), default="on")
    parser.add_argument("--results", type=Path, help="where to save the results (.npz)")
    parser.add_argument("--probe", choices=("memory",))
    args = parser.parse_args(argv)

    hello: dict[str, Any] = {"python": platform.python_version(), "numpy": np.__version__}
    try:
        run, context, info = prepare(WORKLOADS[args.workload], args.backend, args.mem_guard)
    except Missing as missing:
        _send({**hello, "status": "missing", "reason": str(missing)})
        return
    hello.update(info)
    try:
        if args.probe == "memory":
            _send({**hello, "status": "ready", **probe_memory(run, context)})
            return
        with context:
            start = time.perf_counter()
            results = run()
            first_call = time.perf_counter() - start
    except Exception as error:  # reported as this backend's failure, not a crash of the run
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        _send({**hello, "status": "error", "reason": last[:2000]})
        return
    if args.results is not None:
        np.savez(args.results, **{k: np.asarray(v, dtype=np.float64) for k, v in results.items()})
    del results
    _send({**hello, "status": "ready", "first_call_s": first_call})
    for request in _requests():
        iterations = int(request["iterations"])
        with context:
            start_ns = time.perf_counter_ns()
            for _ in range(iterations):
                run()
            elapsed = time.perf_counter_ns() - start_ns
        _send({"ns": elapsed})


if __name__ == "__main__":
    main()
