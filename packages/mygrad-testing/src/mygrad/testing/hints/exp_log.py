"""Hints for mygrad-core's ops/math/exp_log.py."""

from __future__ import annotations

from ._row import POSITIVE, Domain, Hints

ROWS = {
    "exp": Hints(),
    "exp2": Hints(),
    "expm1": Hints(),
    "log": Hints(domain=POSITIVE),
    "log2": Hints(domain=POSITIVE),
    "log10": Hints(domain=POSITIVE),
    "log1p": Hints(domain=Domain(-0.9, 10.0)),
    "logaddexp": Hints(),
    "logaddexp2": Hints(),
}
