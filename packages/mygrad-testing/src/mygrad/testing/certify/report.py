"""The certification table: op, kind, view, properties certified, examples run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .harness import _example_budget, applicable, run_property
from .spec import OpSpec

__all__ = ["OpRow", "plan", "run", "format_table"]


@dataclass
class OpRow:
    name: str
    kind: str
    view: str
    certified: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    examples: int = 0


def _row(spec: OpSpec) -> OpRow:
    return OpRow(spec.name, spec.kind, str(spec.view))


def plan(specs: Iterable[OpSpec], max_examples: int | None = None) -> list[OpRow]:
    """What certification would run (examples: the per-property budgets), without running."""
    rows = []
    for spec in specs:
        row = _row(spec)
        if spec.missing:
            missing = ", ".join(spec.missing)
            row.failed["hints"] = f"missing hints for {spec.name!r} params: {missing}"
            rows.append(row)
            continue
        for prop, reason in applicable(spec).items():
            if reason is None:
                row.certified.append(prop)
                row.examples += _example_budget(spec, max_examples, 1.0)
            elif prop in spec.hints.skip:
                row.skipped[prop] = reason
        rows.append(row)
    return rows


def run(
    specs: Iterable[OpSpec],
    properties: Sequence[str] | None = None,
    max_examples: int | None = None,
) -> list[OpRow]:
    """Run every applicable property of every spec; failures are recorded, not raised."""
    rows = []
    for spec in specs:
        row = _row(spec)
        if spec.missing:
            row.failed["hints"] = f"missing hints for {spec.name!r}: {', '.join(spec.missing)}"
            rows.append(row)
            continue
        for prop, reason in applicable(spec).items():
            if properties is not None and prop not in properties:
                continue
            if reason is not None:
                if prop in spec.hints.skip:
                    row.skipped[prop] = reason
                continue
            try:
                stats = run_property(prop, spec, max_examples=max_examples, shrink=False)
            except Exception as exc:  # noqa: BLE001 - a table row records every kind of failure
                row.failed[prop] = _first_line(exc)
                continue
            row.certified.append(prop)
            row.examples += stats.examples
        rows.append(row)
    return rows


def _first_line(exc: BaseException) -> str:
    group = getattr(exc, "exceptions", None)
    if group:
        return _first_line(group[0])
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def format_table(rows: Sequence[OpRow]) -> str:
    """A plain-text table, then one line per failure and per skip."""
    header = ("op", "kind", "view", "properties certified", "examples")
    body = [
        (r.name, r.kind, r.view, ", ".join(r.certified) or "-", str(r.examples)) for r in rows
    ]
    widths = [max(len(x[i]) for x in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in body]
    certified = sum(len(r.certified) for r in rows)
    lines.append(f"\n{len(rows)} ops, {certified} (op, property) pairs certified, "
                 f"{sum(r.examples for r in rows)} examples")
    for r in rows:
        for prop, why in r.failed.items():
            lines.append(f"FAILED  {r.name} {prop}: {why}")
        for prop, why in r.skipped.items():
            lines.append(f"skipped {r.name} {prop}: {why}")
    return "\n".join(lines)
