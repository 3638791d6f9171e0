"""``python -m mygrad.testing.certify --table``: the plan and a run of a few ops."""

from __future__ import annotations

import pytest

from mygrad.testing.certify.__main__ import main


def test_the_plan_lists_every_registered_op(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--table", "--plan"])
    out = capsys.readouterr().out
    assert "op" in out and "properties certified" in out and "examples" in out
    assert "\nnegative " in out and "\nadd " in out


def test_a_run_certifies_and_counts_examples(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--table", "--ops", "negative", "--properties", "forward,vjp", "--max-examples", "3"]
    assert main(args) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("negative "))
    assert "forward, vjp" in row and row.split()[-1] == "6"


def test_unknown_ops_are_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--table", "--ops", "no_such_op"])
    assert "no_such_op" in capsys.readouterr().err
