"""``python -m benchmarks.profile W1 [options]``: profile ours on one workload, in-process.

Runs the workload's mygrad pass (with the memory guard on, or off with ``--mem-guard off``)
for a number of passes under a profiler and prints where the time goes:

- ``--tool cprofile`` (default): functions by own time, scaled to the unprofiled pass time,
  per pass and per op, with their cumulative time;
- ``--tool pyinstrument``: a sampled call tree (``pip install pyinstrument``; nox's bench
  session installs it);
- ``--lines module.function`` (repeatable): line-by-line times of those functions with
  line_profiler (``pip install line_profiler``), e.g. ``--lines mygrad._op.record``.

Threads of BLAS are limited to one, as in the timed runs.
"""

from __future__ import annotations

from .worker_env import apply_single_threaded

apply_single_threaded()  # before anything imports NumPy

import argparse  # noqa: E402
import cProfile  # noqa: E402
import importlib  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

from .worker import prepare  # noqa: E402
from .workloads import WORKLOADS  # noqa: E402


def _resolve(dotted: str) -> Callable[..., Any]:
    """``package.module.function`` or ``package.module.Class.method`` -> the function."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attr in parts[split:]:
            target = getattr(target, attr)
        return target
    raise SystemExit(f"cannot find {dotted!r}")


def _passes(run: Callable[[], Any], context: Any, n: int) -> float:
    with context:
        start = time.perf_counter()
        for _ in range(n):
            run()
        return time.perf_counter() - start


def _timed_call(profile: cProfile.Profile, *args: Any) -> float:
    start = time.perf_counter()
    profile.runcall(_passes, *args)
    return time.perf_counter() - start


def _cprofile_table(
    profile: cProfile.Profile, passes: int, scale: float, n_ops: int, top: int
) -> str:
    """Functions by own time, in µs per pass scaled by unprofiled/profiled time.

    cProfile slows small calls down by a roughly even factor, so its times are shrunk to
    the unprofiled pass time; read them as estimates of where the time goes.
    """
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_, calls, own, cumulative, _) in stats.items():
        where = f"{os.path.basename(file)}:{line}({name})" if line else name
        rows.append((own, cumulative, calls, where))
    rows.sort(reverse=True)
    header = (
        f"{'own µs/pass':>12} {'cum µs/pass':>12} {'own µs/op':>10} {'calls/pass':>11}  "
        f"function (times x {scale:.2f}: profiled -> unprofiled)"
    )
    lines = [header, "-" * len(header)]
    for own, cumulative, calls, where in rows[:top]:
        own_us = own * scale * 1e6 / passes
        cum_us = cumulative * scale * 1e6 / passes
        lines.append(
            f"{own_us:12.1f} {cum_us:12.1f} {own_us / n_ops:10.3f} {calls / passes:11.1f}  {where}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--mem-guard", choices=("on", "off"), default="on")
    parser.add_argument("--backend", choices=("mygrad", "numpy", "torch"), default="mygrad")
    parser.add_argument("--tool", choices=("cprofile", "pyinstrument"), default="cprofile")
    parser.add_argument("--passes", type=int, help="passes to profile (default: about 2 s)")
    parser.add_argument("--top", type=int, default=30, help="rows of the cProfile table")
    parser.add_argument("--lines", action="append", default=[], metavar="FUNCTION")
    args = parser.parse_args(argv)

    workload = WORKLOADS[args.workload]
    run, context, info = prepare(workload, args.backend, args.mem_guard)
    first = _passes(run, context, 1)  # also warms caches and lazy imports
    passes = args.passes or max(1, round(2.0 / max(first, 1e-6)))
    plain = _passes(run, context, passes) / passes
    print(f"{workload.name} ({workload.title}); {args.backend} {info}, mem guard {args.mem_guard}")
    print(f"unprofiled: {plain * 1e3:.3f} ms/pass ({plain * 1e6 / workload.n_ops:.2f} µs/op)")
    print(f"profiling {passes} passes with {'line_profiler' if args.lines else args.tool}\n")

    if args.lines:
        try:
            from line_profiler import LineProfiler
        except ImportError:
            raise SystemExit("--lines needs line_profiler: pip install line_profiler") from None
        profiler = LineProfiler(*(_resolve(name) for name in args.lines))
        profiler.runcall(_passes, run, context, passes)
        profiler.print_stats(output_unit=1e-6)
    elif args.tool == "pyinstrument":
        try:
            from pyinstrument import Profiler
        except ImportError:
            raise SystemExit("--tool pyinstrument needs pyinstrument: pip install it") from None
        sampler = Profiler(interval=0.0001)
        sampler.start()
        _passes(run, context, passes)
        sampler.stop()
        print(sampler.output_text(unicode=True, color=False, show_all=False))
    else:
        profile = cProfile.Profile()
        profiled = _timed_call(profile, run, context, passes) / passes
        print(_cprofile_table(profile, passes, plain / profiled, workload.n_ops, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
