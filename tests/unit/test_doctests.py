"""The examples in the package's docstrings run: they document behaviour, so they must stay true.

A test module rather than pytest's ``--doctest-modules``, which would also import every
``conftest.py`` as a module and trip over the two that share that name.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import course

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(course.__path__, "course.") if not info.name.endswith("__main__")
)


def test_the_package_has_examples() -> None:
    finder = doctest.DocTestFinder()
    examples = sum(len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name)))
    assert examples >= 19  # a walk that found no module would pass every test below


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
