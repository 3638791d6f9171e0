"""Statistics over the rounds, the printed table, and the JSON result file."""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .backends import FLOOR_KEY, UPSTREAM_KEY, Backend
from .workload import Workload

# the issue's target: our per-op overhead above the floor at most half of mygrad 2.5.0's
OVERHEAD_TARGET = 0.5


@dataclass(frozen=True)
class Summary:
    """One backend's timings, in microseconds per op (a forward+backward pass / n_ops)."""

    median: float
    p25: float
    p75: float
    low: float
    high: float
    rounds: int


def summarize(seconds_per_iteration: list[float], n_ops: int) -> Summary:
    per_op = sorted(s * 1e6 / n_ops for s in seconds_per_iteration)
    q1, _, q3 = statistics.quantiles(per_op, n=4) if len(per_op) > 1 else (per_op[0],) * 3
    return Summary(statistics.median(per_op), q1, q3, per_op[0], per_op[-1], len(per_op))


def ratios(summaries: Mapping[str, Summary]) -> dict[str, dict[str, float]]:
    """Each backend against the floor and against mygrad 2.5.0 (guard on), by medians.

    ``overhead_vs_upstream`` compares time above the floor: (ours - floor) / (2.5.0 - floor).
    """
    floor = summaries[FLOOR_KEY].median
    upstream = summaries.get(UPSTREAM_KEY)
    out: dict[str, dict[str, float]] = {}
    for key, s in summaries.items():
        row = {"to_floor": s.median / floor, "overhead_us_per_op": s.median - floor}
        if upstream is not None:
            row["to_upstream"] = s.median / upstream.median
            row["overhead_vs_upstream"] = (s.median - floor) / (upstream.median - floor)
        out[key] = row
    return out


def table(workload: Workload, backends: list[Backend], summaries: Mapping[str, Summary]) -> str:
    rel = ratios(summaries)
    has_upstream = UPSTREAM_KEY in summaries
    header = f"{'backend':34} {'µs/op median':>12} {'[p25 – p75]':>17} {'x floor':>8}"
    if has_upstream:
        header += f" {'x 2.5.0':>8} {'overhead/2.5.0':>15}"
    lines = [
        f"{workload.name}: {workload.title} ({workload.n_ops} ops, forward + backward)",
        header,
        "-" * len(header),
    ]
    for backend in backends:
        s, r = summaries[backend.key], rel[backend.key]
        line = (
            f"{backend.label:34} {s.median:12.3f} {f'[{s.p25:.3f} – {s.p75:.3f}]':>17} "
            f"{r['to_floor']:8.2f}"
        )
        if has_upstream:
            overhead = "" if backend.key == FLOOR_KEY else f"{r['overhead_vs_upstream']:.3f}"
            line += f" {r['to_upstream']:8.2f} {overhead:>15}"
        lines.append(line)
    if has_upstream:
        achieved = rel["ours"]["overhead_vs_upstream"]
        verdict = "met" if achieved <= OVERHEAD_TARGET else "NOT met"
        lines.append(
            f"per-op overhead of ours (guard on) = {achieved:.3f} x mygrad 2.5.0's "
            f"(target <= {OVERHEAD_TARGET}): {verdict}"
        )
    else:
        lines.append("mygrad 2.5.0 not measured (no --upstream-python given)")
    return "\n".join(lines)


def result_record(
    workload: Workload, backends: list[Backend], measured: Mapping[str, Any]
) -> dict[str, Any]:
    """Everything measured, plus the per-op summaries and ratios, ready for JSON."""
    per_iteration = measured["seconds_per_iteration"]
    summaries = {k: summarize(v, workload.n_ops) for k, v in per_iteration.items()}
    return {
        "workload": {"name": workload.name, "title": workload.title, "n_ops": workload.n_ops},
        "backends": {b.key: {"label": b.label, "python": b.python} for b in backends},
        "summary_us_per_op": {k: asdict(s) for k, s in summaries.items()},
        "ratios": ratios(summaries),
        **measured,
    }


def write_json(directory: Path, stem: str, payload: Mapping[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.json"
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    return path
