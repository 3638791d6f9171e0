"""The record that describes one benchmark workload."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType

import numpy as np

Arrays = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Workload:
    """One forward + backward computation, in hand-derived NumPy and through mygrad.

    ``floor`` and ``autodiff`` take the arrays made by ``make_inputs`` and return the
    gradients by input name; ``floor``'s are the reference that every backend must match
    before it is timed. ``autodiff`` receives the ``mygrad`` module to use, so the same code
    runs against any installation of it (ours, upstream's).
    """

    name: str
    title: str
    n_ops: int  # differentiable ops in one forward pass: the unit of "µs per op"
    make_inputs: Callable[[], dict[str, np.ndarray]]
    floor: Callable[[Arrays], dict[str, np.ndarray]]
    autodiff: Callable[[ModuleType, Arrays], dict[str, np.ndarray]]
    rtol: float = 1e-9  # float64 throughout: only summation order may differ
