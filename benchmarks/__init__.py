"""Benchmarks W1-W7: mygrad against a hand-derived NumPy floor, upstream mygrad 2.5.0 and torch.

Run them with ``nox -s bench`` (it also builds the venv that holds upstream mygrad, numba,
scipy and, when a local wheel exists, torch); ``nox -s bench -- W1 W5`` selects workloads,
``python -m benchmarks --help`` lists the options. Profile ours on one workload with
``python -m benchmarks.profile W1`` (cProfile, ``--tool pyinstrument``, ``--lines f``).

Workloads (``workloads/``; each has a hand-derived NumPy forward + backward, the floor,
which is also the reference every backend's results must match before it is timed):
W1 200-op elementwise chain (per-op overhead), W2 MLP with 20 SGD steps, W3 small CNN,
W4 bandwidth-bound elementwise ops with peak memory, W5 deep chain at depths 200 / 5,000 /
20,000 with memory per node, W6 indexing/einsum/reductions/setitem, W7 GRU (and its first
call). ``budgets.py`` holds issue 6's budgets; the run prints each with PASS / FAIL.

Layout:
- ``workload.py``: the :class:`Workload` record every benchmark fills in.
- ``worker.py``: the subprocess that runs one backend (NumPy floor, a ``mygrad``
  installation, or torch), checks in with its results, times batches on request, and
  probes memory in a fresh process.
- ``backends.py``: which workers a run starts; ``measure.py``: result check, calibration and
  interleaved rounds (the workloads of one group share them); ``report.py``: statistics
  (ratios to the floor samples around each sample, median and quartiles), the table, the
  JSON file in ``bench-results/``; ``worker_env.py``: every worker's environment (single-threaded
  BLAS, and a glibc heap whose top is not trimmed between passes; ``--glibc-heap`` keeps
  glibc's defaults).

Every backend runs in its own worker process, so ours, upstream's ``mygrad`` and torch never
meet in one interpreter, and all of them are measured by the same timing loop.

Adding a workload: write ``workloads/wN_<name>.py`` defining ``WORKLOAD = Workload(...)``
and add it to ``workloads/__init__.py``. Nothing here imports ``mygrad`` at module level.
"""
