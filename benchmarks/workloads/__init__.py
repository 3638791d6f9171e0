"""Every workload by name (``W1``, ...)."""

from __future__ import annotations

from ..workload import Workload
from . import w1_elementwise_chain

WORKLOADS: dict[str, Workload] = {w.name: w for w in (w1_elementwise_chain.WORKLOAD,)}
