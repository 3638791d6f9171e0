"""Hints rows for every registered op, one module per op module of mygrad-core/nnet.

``HINTS`` maps an op's registered name to its :class:`Hints`.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._row import GE_ONE, NONZERO, POSITIVE, REAL, UNIT_OPEN, Call, Domain, Hints

__all__ = ["HINTS", "Hints", "Call", "Domain", "REAL", "POSITIVE", "NONZERO", "UNIT_OPEN", "GE_ONE"]


def _collect() -> dict[str, Hints]:
    rows: dict[str, Hints] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, row in getattr(module, "ROWS", {}).items():
            if name in rows:
                raise ValueError(f"two hints rows for the op {name!r}")
            rows[name] = row
    return rows


HINTS: dict[str, Hints] = _collect()
