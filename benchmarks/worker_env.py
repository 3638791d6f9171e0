"""The workers' environment: BLAS and OpenMP single-threaded (this module imports nothing
heavy, so a process can apply it before NumPy loads: their thread pools are sized at load
time), and a glibc heap that is not trimmed between passes."""

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


# glibc returns the free memory at the top of its heap to the system once more than twice
# the largest freed mmap chunk lies there, and the next large allocation faults those pages
# back in. Which steady state a loop falls into depends on where its large arrays happen to
# land, not on the library: with glibc's defaults W6's floor spends about 1 ms of its
# 1.4 ms pass in page faults and W7's takes 1.16 or 1.77 ms depending on the process's
# earlier allocations. So every worker (floor and every library alike) runs with the heap's
# top padded by 64 MiB, left untouched until used: nothing is trimmed between passes.
# ``--glibc-heap`` measures with glibc's defaults instead.
STEADY_HEAP = {"MALLOC_TOP_PAD_": str(64 << 20)}
# set in the parent process by ``--glibc-heap``: its workers then keep glibc's defaults
GLIBC_HEAP_REQUEST = "MYGRAD_BENCH_GLIBC_HEAP"


def heap_env() -> dict[str, str]:
    """The allocator settings the workers get (none under ``--glibc-heap``)."""
    return {} if os.environ.get(GLIBC_HEAP_REQUEST) else STEADY_HEAP
