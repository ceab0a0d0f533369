"""Hypothesis profiles, chosen once for the whole suite.

* ``ci`` (selected when ``CI=true``, and by ``make test``): derandomized, so every run draws
  the same examples and a result never depends on luck; more examples than a local run.
* ``dev`` (the default elsewhere): random, quick, remembers failures in .hypothesis/.
* ``explore``: random and long, to hunt for new counterexamples before they reach CI.
* ``mutation``: derandomized and lean, for ``make mutation``, which runs the tests once per mutant.

``HYPOTHESIS_PROFILE=<name>`` picks one explicitly. Tests set only what differs from the
profile (``deadline``), so the profile decides how many examples are drawn.
"""

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=250,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.register_profile(
    "mutation", max_examples=60, derandomize=True, database=None, deadline=None
)

# Shared helpers (tests/processes.py) import as top-level modules under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).resolve().parent))

_default = "ci" if os.environ.get("CI", "").lower() == "true" else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))
