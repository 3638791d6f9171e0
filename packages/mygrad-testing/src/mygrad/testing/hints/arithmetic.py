"""Hints for mygrad-core's ops/math/arithmetic.py."""

from __future__ import annotations

from ._row import NONZERO, POSITIVE, Domain, Hints

ROWS = {
    "add": Hints(),
    "subtract": Hints(),
    "multiply": Hints(),
    "divide": Hints(domain={1: NONZERO}),
    # negative bases give nan for d/dx2; zero bases are exactly-defined special cases
    "power": Hints(domain={0: POSITIVE, 1: Domain(-3.0, 3.0)}),
    "negative": Hints(),
    "positive": Hints(),
    "reciprocal": Hints(domain=NONZERO),
    "square": Hints(),
    "add_sequence": Hints(shapes="broadcastable"),
    "multiply_sequence": Hints(shapes="broadcastable"),
}
