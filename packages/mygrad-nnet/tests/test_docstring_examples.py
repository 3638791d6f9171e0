"""The examples in mygrad.nnet's docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mygrad.nnet

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(mygrad.nnet.__path__, prefix="mygrad.nnet.")
)


def _examples(name: str) -> list[doctest.DocTest]:
    """The module's doctests, including those of its op front ends, which doctest's own
    search skips (their code objects live in mygrad's front-end factory)."""
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    found = {t.name: t for t in finder.find(module)}
    for attr, obj in vars(module).items():
        if callable(obj) and getattr(obj, "__module__", None) == name:
            for test in finder.find(obj, f"{name}.{attr}", globs={}):
                found.setdefault(test.name, test)
    return [t for t in found.values() if t.examples]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for test in _examples(name):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} docstring example(s) failed in {name}"


def test_every_public_function_has_an_example():
    public = [getattr(mygrad.nnet, n) for n in mygrad.nnet.__all__]
    missing = [
        f.__name__
        for f in public
        if callable(f) and f.__module__.startswith("mygrad.nnet") and ">>>" not in (f.__doc__ or "")
    ]
    assert not missing
