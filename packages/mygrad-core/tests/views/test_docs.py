"""The examples of docs/views.md run as doctests."""

from __future__ import annotations

import doctest
from pathlib import Path

VIEWS_PAGE = Path(__file__).resolve().parents[4] / "docs" / "views.md"


def test_the_views_page_examples_run():
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testfile(str(VIEWS_PAGE), module_relative=False, optionflags=flags)
    assert result.attempted > 20 and result.failed == 0
