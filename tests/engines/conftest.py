"""The engine-equivalence suites: the simulations against Apache Beam, Flink and Spark.

Each real engine lives in its own virtualenv (made by the Makefile) and runs in a subprocess; the
tests here, in the project's own virtualenv, build the streams, run the simulation and compare.
The Beam suite runs with every ``make test``; the Flink and Spark suites are slower, need Java and
run with ``make test-engines``, which sets ``ENGINE_SUITES``.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, Path(__file__).resolve().parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

EXTRA = {
    "test_flink.py": "flink",
    "test_flink_reference.py": "flink",
    "test_spark.py": "spark",
    "test_spark_reference.py": "spark",
}


def pytest_ignore_collect(collection_path, config):
    """Collect the Flink and Spark suites only when ENGINE_SUITES names them."""
    wanted = os.environ.get("ENGINE_SUITES", "").split()
    suite = EXTRA.get(collection_path.name)
    return suite is not None and suite not in wanted
