"""The opt-in pytest plugin: item selection for generated classes, and state hygiene."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

TEST_MODULE = '''
import mygrad as mg
from mygrad.testing import certify

TestOps = certify(mg.negative, mg.square)
KEEP = []


def test_leaks_a_lock():
    x = mg.tensor([1.0, 2.0])
    KEEP.append(x * 2)  # a live graph outlives the test


def test_leaves_tracking_off():
    mg.no_autodiff.__enter__()


def test_clean():
    (mg.tensor([1.0]) * 2).backward()
'''


def _pytest(tmp_path: Path, *args: str) -> str:
    (tmp_path / "test_plugged.py").write_text(textwrap.dedent(TEST_MODULE))
    cmd = [sys.executable, "-m", "pytest", "-p", "mygrad.testing.plugin", "-p", "no:cacheprovider",
           "-q", "-rA", "--rootdir", str(tmp_path), str(tmp_path / "test_plugged.py"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=300).stdout


def test_certify_options_select_ops_and_properties(tmp_path: Path) -> None:
    out = _pytest(tmp_path, "--certify-ops=square", "--certify-properties=vjp,forward",
                  "--certify-scale=0.2", "-k", "TestOps")
    assert "PASSED test_plugged.py::TestOps::test_forward[square]" in out
    assert "PASSED test_plugged.py::TestOps::test_vjp[square]" in out
    assert "negative" not in out and "test_views" not in out
    assert "2 passed" in out


def test_state_leaks_fail_the_leaking_test(tmp_path: Path) -> None:
    out = _pytest(tmp_path, "-k", "leaks or tracking or clean")
    assert "memory lock(s) were left behind" in out
    assert "graph tracking was left off" in out
    assert "PASSED test_plugged.py::test_clean" in out
