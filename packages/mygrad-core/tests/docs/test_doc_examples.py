"""Every example on every documentation page runs, as a doctest (``>>>`` lines in docs/).

Each page is one doctest with one namespace, so a page's examples may build on each other.
The options match the repository's doctests (pyproject.toml): whitespace-normalised output
and ``...`` as a wildcard.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pytest

import mygrad as mg

DOCS = Path(__file__).resolve().parents[4] / "docs"
SKIPPED_DIRS = {"_build", "generated"}  # build output and autosummary stubs
OPTIONS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def pages() -> list[Path]:
    found = [*DOCS.rglob("*.md"), *DOCS.rglob("*.rst")]
    return sorted(p for p in found if not SKIPPED_DIRS & set(p.relative_to(DOCS).parts))


def examples_of(page: Path) -> doctest.DocTest:
    text = page.read_text(encoding="utf-8")
    name = str(page.relative_to(DOCS))
    return doctest.DocTestParser().get_doctest(text, {}, name, str(page), 0)


def test_the_pages_have_examples() -> None:
    # guards the glob: an empty docs/ or a moved folder would otherwise pass silently
    with_examples = [p.name for p in pages() if examples_of(p).examples]
    assert "index.md" in with_examples and len(with_examples) >= 10, with_examples


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    test = examples_of(page)
    monkeypatch.chdir(tmp_path)  # pages that save files write them here
    state = np.random.get_state()
    report: list[str] = []
    try:
        runner = doctest.DocTestRunner(optionflags=OPTIONS)
        failed, _ = runner.run(test, out=report.append)
    finally:
        np.random.set_state(state)  # pages seed NumPy's global RNG for mg.random
        mg.turn_memory_guarding_on()  # a page may show the global switch
    assert failed == 0, f"{failed} failing example(s) in {page}:\n{''.join(report)}"
