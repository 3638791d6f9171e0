"""Statistics over the rounds, the printed table, and the JSON result file."""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .backends import FLOOR_KEY, OURS_GUARD_OFF_KEY, OURS_KEY, UPSTREAM_KEY, Backend
from .measure import READY
from .workload import Workload

MB = 1e6


@dataclass(frozen=True)
class Spread:
    """Median and quartiles of one quantity over the rounds."""

    median: float
    p25: float
    p75: float
    rounds: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        ordered = sorted(values)
        if len(ordered) > 1:
            q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
        else:
            q1 = q3 = ordered[0]
        return cls(statistics.median(ordered), q1, q3, len(ordered))

    def text(self, fmt: str) -> str:
        return f"{self.median:{fmt}} [{self.p25:{fmt}}–{self.p75:{fmt}}]"


def time_scale(workload: Workload) -> tuple[float, str]:
    """Seconds per pass -> the reported unit: µs per op, or ms per pass."""
    if workload.unit == "op":
        return 1e6 / workload.n_ops, "µs/op"
    return 1e3, "ms/pass"


def result_record(
    workload: Workload, backends: list[Backend], measured: Mapping[str, Any]
) -> dict[str, Any]:
    """Everything measured, plus times and ratios to the floor, ready for JSON.

    A ratio is a backend's sample over the mean of the two floor samples taken just before
    and just after it (see measure.interleaved_rounds), so that load drifting cancels; its
    median and quartiles over the rounds are given.
    """
    samples: Mapping[str, list[float]] = measured["seconds_per_iteration"]
    scale, unit = time_scale(workload)
    times = {k: asdict(Spread.of([s * scale for s in v])) for k, v in samples.items()}
    around: Mapping[str, list[float]] = measured["floor_around"]
    ratios = {
        k: asdict(Spread.of([a / b for a, b in zip(v, around[k])] if k != FLOOR_KEY else [1.0]))
        for k, v in samples.items()
    }
    record: dict[str, Any] = {
        "workload": {
            "name": workload.name,
            "title": workload.title,
            "n_ops": workload.n_ops,
            "time_unit": unit,
        },
        "backends": {b.key: {"label": b.label, "python": b.python} for b in backends},
        "time": times,
        "ratio_to_floor": ratios,
        **measured,
    }
    if OURS_KEY in samples and OURS_GUARD_OFF_KEY in samples:
        # the share of ours' time that memory guarding costs, (on - off) / on, per round:
        # each time over its own floor samples, which cancels the load's drift between them
        on = [t / f for t, f in zip(samples[OURS_KEY], around[OURS_KEY])]
        off = [t / f for t, f in zip(samples[OURS_GUARD_OFF_KEY], around[OURS_GUARD_OFF_KEY])]
        record["guard_cost_share"] = asdict(Spread.of([1 - b / a for a, b in zip(on, off)]))
    return record


def _memory_text(probe: Mapping[str, Any] | None, workload: Workload) -> str:
    if not probe:
        return ""
    if "peak_traced_bytes" not in probe:
        return f"probe failed: {probe.get('reason')}"
    peak, rss = probe["peak_traced_bytes"], probe["rss_growth_bytes"]
    text = f"peak traced {peak / MB:7.1f} MB, RSS growth {rss / MB:7.1f} MB"
    if workload.unit == "op":
        text += f", {peak / workload.n_ops:6.0f} B/op"
    return text


def table(workload: Workload, backends: list[Backend], record: Mapping[str, Any]) -> str:
    unit = record["workload"]["time_unit"]
    status = record["backends_status"]
    times, ratios = record["time"], record["ratio_to_floor"]
    upstream = times.get(UPSTREAM_KEY)
    header = (
        f"{'backend':32} {unit + ' median [p25–p75]':>30} {'x floor [p25–p75]':>22} "
        f"{'x 2.5.0':>8} {'1st call':>9}"
    )
    lines = [
        f"{workload.name}: {workload.title} ({workload.n_ops} ops a pass)",
        header,
        "-" * len(header),
    ]
    for backend in backends:
        outcome = status[backend.key]
        if outcome["status"] != READY:
            lines.append(f"{backend.label:32} {outcome['status']}: {outcome['reason']}")
            continue
        t, r = times[backend.key], ratios[backend.key]
        vs_upstream = f"{t['median'] / upstream['median']:8.2f}" if upstream else f"{'':8}"
        first = outcome.get("first_call_s")
        line = (
            f"{backend.label:32} {Spread(**t).text('9.3f'):>30} {Spread(**r).text('6.2f'):>22} "
            f"{vs_upstream} {'' if first is None else f'{first:8.3f}s'}"
        )
        memory = _memory_text(record["memory"].get(backend.key), workload)
        lines.append(line + (f"\n{'':32} {memory}" if memory else ""))
    if "guard_cost_share" in record:
        share = Spread(**record["guard_cost_share"])
        lines.append(f"memory guarding's share of ours' time, (on - off)/on: {share.text('.1%')}")
    return "\n".join(lines)


def write_json(directory: Path, stem: str, payload: Mapping[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.json"
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    return path
