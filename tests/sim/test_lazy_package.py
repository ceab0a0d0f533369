"""`simulations` imports a simulation's module on first use of one of its names (PEP 562)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import simulations

ROOT = Path(__file__).resolve().parents[2]


def run_fresh(code: str) -> str:
    """What ``code`` prints in a fresh interpreter, where no simulation is loaded yet."""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def modules_after(code: str) -> set[str]:
    """The `simulations` modules loaded by ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in sys.modules]))"
    return {m for m in json.loads(run_fresh(probe)) if m.startswith("simulations")}


def test_importing_the_package_loads_no_simulation_yet():
    assert modules_after("import simulations") <= {
        "simulations", "simulations.events", "simulations._check",
    }  # fmt: skip


def test_a_name_loads_its_module_and_what_that_needs_only():
    loaded = modules_after("from simulations import run_drift")
    assert "simulations.ml" in loaded
    assert not loaded & {"simulations.stream", "simulations.joins", "simulations.training"}


def test_every_public_name_is_the_object_its_module_defines():
    for name in simulations.__all__:
        obj = getattr(simulations, name)
        module = sys.modules[f"simulations.{simulations._WHERE.get(name, 'events')}"]
        assert getattr(module, name) is obj, name
    assert set(simulations.__all__) <= set(dir(simulations))


def test_events_stays_the_function_after_its_module_is_imported_again():
    code = "import simulations.joins, simulations.events\nfrom simulations import events\n"
    check = code + "assert callable(events) and events.__name__ == 'events'"
    subprocess.run([sys.executable, "-c", check], cwd=ROOT, check=True)


def test_a_name_is_kept_in_the_package_once_loaded():
    # PEP 562: __getattr__ runs for a name the package does not hold yet; keeping the name
    # makes the second use a plain attribute read, and the same object
    code = (
        "import simulations\n"
        "before = 'run_drift' in vars(simulations)\n"
        "first = simulations.run_drift\n"
        "print(before, vars(simulations).get('run_drift') is first, "
        "simulations.run_drift is first)"
    )
    assert run_fresh(code) == "False True True"


def test_dir_lists_every_public_name_before_any_is_loaded():
    code = (
        "import simulations, json\nprint(json.dumps([dir(simulations), list(vars(simulations))]))"
    )
    listed, held = json.loads(run_fresh(code))
    assert "run_drift" not in held and "run_drift" in listed
    assert set(simulations.__all__) <= set(listed)
    assert set(held) <= set(listed)  # the package's own names too (_WHERE, _load_all, ...)


def test_load_all_imports_every_module_and_keeps_every_public_name():
    code = (
        "import simulations, json, sys\nsimulations._load_all()\n"
        "print(json.dumps([sorted(set(simulations.__all__) - set(vars(simulations))), "
        "[m for m in sys.modules if m.startswith('simulations.')]]))"
    )
    unbound, loaded = json.loads(run_fresh(code))
    assert unbound == []
    assert {f"simulations.{m}" for m in simulations._WHERE.values()} <= set(loaded)


def test_an_unknown_name_says_which_module_and_name():
    try:
        simulations.no_such_name  # noqa: B018
    except AttributeError as error:
        # the message Python itself gives for a missing module attribute
        assert str(error) == "module 'simulations' has no attribute 'no_such_name'"
    else:
        raise AssertionError("no AttributeError")


# -- the same, in this interpreter: a name taken out of the package is loaded again on use -----
@pytest.fixture
def unloaded(monkeypatch):
    """The package as it is before a few of its names are first used (restored afterwards)."""
    names = ["run_drift", "Tumbling", "percentile"]
    for name in names:
        getattr(simulations, name)  # the real object, kept by monkeypatch to put back
        monkeypatch.delattr(simulations, name)
    return names


def test_first_use_loads_the_name_and_keeps_it(unloaded):
    for name in unloaded:
        assert name not in vars(simulations) and name in dir(simulations)
        module = sys.modules[f"simulations.{simulations._WHERE[name]}"]
        assert getattr(simulations, name) is getattr(module, name)
        assert vars(simulations)[name] is getattr(module, name)


def test_load_all_binds_the_names_not_used_yet(unloaded):
    simulations._load_all()
    assert set(simulations.__all__) <= set(vars(simulations))
