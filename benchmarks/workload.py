"""The record that describes one benchmark workload."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

import numpy as np

Arrays = Mapping[str, np.ndarray]
Grads = dict[str, np.ndarray]
Unit = Literal["op", "pass"]


@dataclass(frozen=True)
class Workload:
    """One forward + backward computation, in hand-derived NumPy and through each library.

    ``floor``, ``autodiff`` and ``torch`` take the arrays made by ``make_inputs`` and return
    the gradients (and any other checked results) by name; ``floor``'s are the reference that
    every backend must match before it is timed. ``autodiff`` receives the ``mygrad`` module
    to use, so the same code runs against any installation of it (ours, upstream's);
    ``torch`` receives the ``torch`` module. ``None`` means that backend has no version.
    """

    name: str
    title: str
    # differentiable ops in one forward pass (or in all of a pass's steps): the unit of µs/op
    n_ops: int
    make_inputs: Callable[[], dict[str, np.ndarray]]
    floor: Callable[[Arrays], Grads]
    autodiff: Callable[[ModuleType, Arrays], Grads]
    torch: Callable[[ModuleType, Arrays], Grads] | None = None
    # what one timed pass is, for the table ("forward + backward", "20 SGD steps")
    unit: Unit = "pass"
    # dotted names the mygrad version must provide (e.g. "nnet.conv_nd"); missing -> pending
    requires: tuple[str, ...] = ()
    # tolerance of the result check: |got - ref| <= rtol*|ref| + atol*(largest |ref| of all)
    rtol: float = 1e-9
    atol: float = 0.0
    # measure peak memory of one pass in a fresh process per backend
    probe_memory: bool = False
    # the group a command line names to select this workload (W5 has two depths)
    group: str = ""
    # backends not worth a run here, with the reason the table prints
    skip: tuple[tuple[str, str], ...] = ()

    @property
    def selector(self) -> str:
        return self.group or self.name
