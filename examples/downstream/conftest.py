"""Lets ``pytest examples/downstream`` import ``cubic_ops`` from a checkout without
installing it (an installed copy, e.g. in the nox session, is used the same way)."""

import sys
from pathlib import Path

SRC = str(Path(__file__).parent / "src")
if SRC not in sys.path:
    sys.path.insert(0, SRC)
