"""`simulations` imports a simulation's module on first use of one of its names (PEP 562)."""

import json
import subprocess
import sys
from pathlib import Path

import simulations

ROOT = Path(__file__).resolve().parents[2]


def modules_after(code: str) -> set[str]:
    """The `simulations` modules loaded by ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in sys.modules]))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return {m for m in json.loads(out.stdout) if m.startswith("simulations")}


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


def test_an_unknown_name_is_an_attribute_error():
    try:
        simulations.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("no AttributeError")


def test_load_all_binds_every_name():
    loaded = modules_after("import simulations\nsimulations._load_all()")
    assert {f"simulations.{m}" for m in simulations._WHERE.values()} <= loaded
