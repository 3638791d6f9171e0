"""The performance budgets of issue 6, evaluated on a run's results.

Every budget is about ours with memory guarding on unless it says otherwise. Ratios are the
medians of ratios to the floor samples around each sample (see report.result_record).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .backends import OURS_KEY
from .measure import READY
from .report import MB

Records = Mapping[str, Mapping[str, Any]]

# µs/op at 20,000 ops over µs/op at 5,000: "must not grow with depth", up to timing noise
DEPTH_GROWTH_TOLERANCE = 1.2


class NotMeasured(Exception):
    """The budget's inputs are not in this run (a workload not selected, ours not ready)."""


def _ours(records: Records, workload: str) -> Mapping[str, Any]:
    if workload not in records:
        raise NotMeasured(f"{workload} not run")
    record = records[workload]
    outcome = record["backends_status"].get(OURS_KEY)
    if outcome is None or outcome["status"] != READY:
        status = "not run" if outcome is None else outcome["status"]
        raise NotMeasured(f"ours {status} on {workload}")
    return record


def ratio(workload: str) -> Callable[[Records], float]:
    return lambda records: _ours(records, workload)["ratio_to_floor"][OURS_KEY]["median"]


def guard_share(records: Records) -> float:
    record = _ours(records, "W1")
    if "guard_cost_share" not in record:
        raise NotMeasured("ours with mem_guard_off not measured")
    return record["guard_cost_share"]["median"]


def peak_mb(workload: str) -> Callable[[Records], float]:
    def measure(records: Records) -> float:
        probe = _ours(records, workload)["memory"].get(OURS_KEY, {})
        if "peak_traced_bytes" not in probe:
            raise NotMeasured(f"memory probe of ours failed: {probe.get('reason')}")
        return probe["peak_traced_bytes"] / MB

    return measure


def bytes_per_op(records: Records) -> float:
    record = _ours(records, "W5")
    return peak_mb("W5")(records) * MB / record["workload"]["n_ops"]


def per_op_ratio(records: Records, workload: str, reference: str) -> float:
    """Ours' µs/op on ``workload`` over that on ``reference``: the median of per-round
    ratios, which is fair because the two are timed in the same interleaved rounds."""
    per_op = []
    for name in (workload, reference):
        record = _ours(records, name)
        n_ops = record["workload"]["n_ops"]
        per_op.append([s / n_ops for s in record["seconds_per_iteration"][OURS_KEY]])
    return statistics.median(a / b for a, b in zip(*per_op))


def first_call(records: Records) -> float:
    return _ours(records, "W7")["backends_status"][OURS_KEY]["first_call_s"]


@dataclass(frozen=True)
class Budget:
    workload: str
    what: str
    limit: float
    fmt: str  # how to print the value and the limit
    measure: Callable[[Records], float]


BUDGETS = (
    Budget("W1", "ours / floor", 6.0, ".2f", ratio("W1")),
    Budget("W1", "memory guarding, (on - off) / on", 0.20, ".1%", guard_share),
    Budget("W2", "ours / floor", 1.10, ".2f", ratio("W2")),
    Budget("W3", "ours / floor", 1.5, ".2f", ratio("W3")),
    Budget("W4", "ours / floor", 1.2, ".2f", ratio("W4")),
    Budget("W4", "peak traced memory of one pass, MB", 180.0, ".1f", peak_mb("W4")),
    Budget("W5", "ours / floor at 20,000 ops", 8.0, ".2f", ratio("W5")),
    Budget(
        "W5",
        "ours µs/op, W5 / the same chain at W1's depth (W5@200)",
        1.3,
        ".2f",
        lambda r: per_op_ratio(r, "W5", "W5@200"),
    ),
    Budget("W5", "peak traced memory per op (node), bytes", 1024.0, ".0f", bytes_per_op),
    Budget(
        "W5",
        f"µs/op at 20,000 / at 5,000 (no growth; {DEPTH_GROWTH_TOLERANCE}x noise allowance)",
        DEPTH_GROWTH_TOLERANCE,
        ".2f",
        lambda r: per_op_ratio(r, "W5", "W5@5000"),
    ),
    Budget("W6", "ours / floor", 1.5, ".2f", ratio("W6")),
    Budget("W7", "ours / floor, steady state", 1.2, ".2f", ratio("W7")),
    Budget("W7", "first call in a fresh process, s", 1.0, ".3f", first_call),
)


def evaluate(records: Records) -> list[dict[str, Any]]:
    """Each budget with its measured value and PASS / FAIL, or why it was not measured."""
    rows = []
    for budget in BUDGETS:
        row: dict[str, Any] = {"workload": budget.workload, "what": budget.what}
        row["limit"] = budget.limit
        if budget.workload not in records:
            rows.append({**row, "verdict": "NOT RUN"})
            continue
        try:
            value = budget.measure(records)
        except NotMeasured as missing:
            text = str(missing)
            verdict = "PENDING" if "pending" in text else "NOT MEASURED"
            rows.append({**row, "verdict": verdict, "note": text})
            continue
        verdict = "PASS" if value <= budget.limit else "FAIL"
        rows.append({**row, "value": value, "verdict": verdict})
    return rows


def budget_table(rows: list[dict[str, Any]]) -> str:
    """The budgets of the workloads that ran (all of them are in the JSON)."""
    fmts = {(b.workload, b.what): b.fmt for b in BUDGETS}
    lines = [f"{'':4} {'budget':70} {'measured':>10} {'limit':>8}  verdict"]
    for row in rows:
        if row["verdict"] == "NOT RUN":
            continue
        fmt = fmts[(row["workload"], row["what"])]
        value = f"{row['value']:{fmt}}" if "value" in row else "-"
        note = f"  ({row['note']})" if row.get("note") else ""
        lines.append(
            f"{row['workload']:4} {row['what']:70} {value:>10} {row['limit']:>8{fmt}}  "
            f"{row['verdict']}{note}"
        )
    return "\n".join(lines)
