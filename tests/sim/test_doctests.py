"""Every docstring example in simulations/ runs and prints what it says."""

import doctest
import importlib
import pkgutil

import pytest

import simulations

MODULES = sorted(m.name for m in pkgutil.iter_modules(simulations.__path__))


@pytest.mark.parametrize("name", ["simulations", *[f"simulations.{m}" for m in MODULES]])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_public_function_has_an_example():
    missing = []
    for name in simulations.__all__:
        obj = getattr(simulations, name)
        if callable(obj) and not isinstance(obj, type) and ">>>" not in (obj.__doc__ or ""):
            missing.append(name)
    assert missing == []
