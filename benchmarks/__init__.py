"""Benchmarks: mygrad's per-op overhead against a plain-NumPy floor and upstream mygrad 2.5.0.

Run them with ``nox -s bench`` (it also builds the separate venv that holds upstream mygrad),
or directly with ``python -m benchmarks --help``.

Layout:
- ``workload.py``: the :class:`Workload` record every benchmark fills in.
- ``workloads/``: one module per workload (W1, ...); ``workloads.WORKLOADS`` lists them.
- ``worker.py``: the subprocess that runs one backend (hand-derived NumPy, or a ``mygrad``
  installation) and times batches on request.
- ``backends.py``: which workers a run starts; ``measure.py``: gradient check, calibration and
  interleaved rounds; ``report.py``: statistics, the printed table, the JSON file.

Every backend runs in its own worker process, so ours and upstream's ``mygrad`` never meet in
one interpreter, and all of them are measured by the same timing loop.

Adding a workload: write ``workloads/wN_<name>.py`` defining ``WORKLOAD = Workload(...)``
(a hand-derived NumPy forward and backward, and the same computation through ``mygrad``),
and add it to ``workloads/__init__.py``. Nothing here imports ``mygrad`` at module level.
"""
