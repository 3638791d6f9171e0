"""The workers' environment: BLAS and OpenMP single-threaded (this module imports nothing
heavy, so a process can apply it before NumPy loads: their thread pools are sized at load
time), and optionally a glibc heap that is not trimmed between steps."""

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


# ``--steady-heap`` (a diagnosis, off by default): glibc returns memory at the top of its
# heap to the system once more than twice the largest freed mmap chunk is free there, and
# faults it back in on the next large allocation. Which steady state a loop falls into
# depends on where its large arrays happen to land: W2's floor takes 880 to 3,360 page
# faults a pass depending on the process's earlier allocations. Padding the heap's top by
# 64 MiB (untouched until used) stops the trimming, for every backend alike.
STEADY_HEAP = {"MALLOC_TOP_PAD_": str(64 << 20)}
# set in the parent process by ``--steady-heap``; its workers then get STEADY_HEAP
STEADY_HEAP_REQUEST = "MYGRAD_BENCH_STEADY_HEAP"
