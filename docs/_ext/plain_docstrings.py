"""Render two plain-text idioms of mygrad's docstrings as written.

Docstrings are read as reStructuredText, where ``|x|`` (an absolute value) is a substitution
reference and ``(N, C, *S)`` (a shape with a starred part) opens an emphasis that never
closes; both make docutils fail the build. Outside ````literal```` spans this escapes
``|...|`` pairs, and a ``*`` or ``**`` that starts a word but closes no emphasis on its line.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

ABSOLUTE_VALUE = re.compile(r"(?<![\\`|])\|([^|\s`][^|`]*?)\|(?![|_`])")
STARRED_WORD = re.compile(r"(?<=[(\[\s,])\*{1,2}(?=[A-Za-z_(])")
CLOSING_STAR = re.compile(r"\S\*(?!\w)")


def escape_plain(segment: str) -> str:
    segment = ABSOLUTE_VALUE.sub(r"\\|\1\\|", segment)

    def star(match: re.Match[str]) -> str:
        closes = CLOSING_STAR.search(segment, match.end())
        stars = match.group()
        return stars if closes else stars.replace("*", r"\*")

    return STARRED_WORD.sub(star, segment)


def escape_line(line: str) -> str:
    if line.lstrip().startswith((">>>", "...")):
        return line  # doctest examples are shown verbatim
    parts = line.split("``")
    # even-numbered parts lie outside ``literal`` spans
    return "``".join(escape_plain(p) if i % 2 == 0 else p for i, p in enumerate(parts))


def escape_docstring(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    lines[:] = [escape_line(line) for line in lines]


def setup(app: Sphinx) -> dict[str, Any]:
    # before numpydoc (priority 500) reshapes the docstring
    app.connect("autodoc-process-docstring", escape_docstring, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
