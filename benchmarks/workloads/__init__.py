"""Every workload by name (``W1`` ... ``W7``; W5 also runs at a second depth, ``W5@5000``)."""

from __future__ import annotations

from ..workload import Workload
from . import (
    w1_elementwise_chain,
    w2_mlp,
    w3_cnn,
    w4_bandwidth,
    w5_deep_chain,
    w6_indexing,
    w7_gru,
)

_ALL: tuple[Workload, ...] = (
    w1_elementwise_chain.WORKLOAD,
    w2_mlp.WORKLOAD,
    w3_cnn.WORKLOAD,
    w4_bandwidth.WORKLOAD,
    *w5_deep_chain.WORKLOADS,
    w6_indexing.WORKLOAD,
    w7_gru.WORKLOAD,
)

WORKLOADS: dict[str, Workload] = {w.name: w for w in _ALL}

# what a command line selects: a group name runs all of its workloads, in this order
GROUPS: dict[str, list[str]] = {}
for _w in _ALL:
    GROUPS.setdefault(_w.selector, []).append(_w.name)
