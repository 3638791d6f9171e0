"""The environment that keeps BLAS and OpenMP single-threaded (imports nothing heavy, so a
process can apply it before NumPy loads: their thread pools are sized at load time)."""

from __future__ import annotations

import os

SINGLE_THREADED = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}


def apply_single_threaded() -> None:
    """Set the variables in this process (before NumPy is imported)."""
    for name, value in SINGLE_THREADED.items():
        os.environ[name] = value
