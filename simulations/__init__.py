"""Simulations for the course "Batch vs Streaming Data in AI".

Every code box in the course imports from here. Everything is standard-library Python, runs the
same in CPython and in the browser (Pyodide), and is deterministic for a given seed.

>>> from simulations import generate_stream, run_stream, Tumbling
>>> report = run_stream(generate_stream(seed=1), window=Tumbling(10))
>>> report.events
577

Each simulation's module is imported on first use of one of its names: a box that runs one of
them does not compile all the others, which in the browser is most of the time Python takes to
start after the interpreter itself.
"""

from __future__ import annotations

import importlib
import sys

# `events` names a submodule and a function: the submodule is imported first, here, so the
# package's attribute is the function for good (a submodule imported later is not bound again).
from .events import Event, events, generate_stream

_WHERE = {  # public name -> the submodule that defines it
    "BatchReport": "batch",
    "BatchResult": "batch",
    "BatchRun": "batch",
    "batch_view": "batch",
    "run_batch": "batch",
    "run_example": "book",
    "CdcReport": "changelog",
    "Change": "changelog",
    "MaterializedView": "changelog",
    "changes": "changelog",
    "compact": "changelog",
    "fold": "changelog",
    "generate_changes": "changelog",
    "run_cdc": "changelog",
    "Chart": "charts",
    "bar_chart": "charts",
    "histogram": "charts",
    "line_chart": "charts",
    "Diagram": "diagrams",
    "diagram": "diagrams",
    "GlobalWindow": "dataflow",
    "show": "display",
    "HubReport": "hub",
    "compare": "hub",
    "JoinReport": "joins",
    "Match": "joins",
    "as_of_join": "joins",
    "interval_join": "joins",
    "lookup_join": "joins",
    "KappaReport": "kappa",
    "Log": "kappa",
    "run_kappa": "kappa",
    "BatchView": "lambda_arch",
    "Correction": "lambda_arch",
    "LambdaReport": "lambda_arch",
    "run_lambda": "lambda_arch",
    "DriftReport": "ml",
    "run_drift": "ml",
    "latency_level": "panel",
    "status_panel": "panel",
    "RecoveryReport": "recovery",
    "run_with_crash": "recovery",
    "Decision": "scoring",
    "ScoringReport": "scoring",
    "run_scoring": "scoring",
    "LatencyStats": "stats",
    "latency_stats": "stats",
    "percentile": "stats",
    "AGGREGATES": "stream",
    "Emission": "stream",
    "Engine": "stream",
    "LateEvent": "stream",
    "StreamReport": "stream",
    "run_stream": "stream",
    "SkewReport": "training",
    "TrainingReport": "training",
    "build_training_set": "training",
    "measure_skew": "training",
    "AfterCount": "trigger_specs",
    "AfterProcessingTime": "trigger_specs",
    "AfterWatermark": "trigger_specs",
    "Repeatedly": "trigger_specs",
    "Pane": "triggers",
    "TriggerReport": "triggers",
    "run_triggered": "triggers",
    "BatchWatermark": "watermarks",
    "HeuristicWatermark": "watermarks",
    "PerfectWatermark": "watermarks",
    "WatermarkTrace": "watermarks",
    "ProcessingTime": "windows",
    "Session": "windows",
    "Sliding": "windows",
    "Tumbling": "windows",
}

__all__ = [
    "AGGREGATES",
    "AfterCount",
    "AfterProcessingTime",
    "AfterWatermark",
    "BatchReport",
    "BatchResult",
    "BatchRun",
    "BatchView",
    "BatchWatermark",
    "CdcReport",
    "Change",
    "Chart",
    "Correction",
    "Decision",
    "Diagram",
    "DriftReport",
    "Emission",
    "Engine",
    "Event",
    "GlobalWindow",
    "HeuristicWatermark",
    "HubReport",
    "JoinReport",
    "KappaReport",
    "LambdaReport",
    "LateEvent",
    "LatencyStats",
    "Log",
    "Match",
    "MaterializedView",
    "Pane",
    "PerfectWatermark",
    "ProcessingTime",
    "RecoveryReport",
    "Repeatedly",
    "ScoringReport",
    "Session",
    "SkewReport",
    "Sliding",
    "StreamReport",
    "TrainingReport",
    "TriggerReport",
    "Tumbling",
    "WatermarkTrace",
    "as_of_join",
    "bar_chart",
    "batch_view",
    "build_training_set",
    "changes",
    "compact",
    "compare",
    "diagram",
    "events",
    "fold",
    "generate_changes",
    "generate_stream",
    "histogram",
    "interval_join",
    "latency_level",
    "latency_stats",
    "line_chart",
    "lookup_join",
    "measure_skew",
    "percentile",
    "run_batch",
    "run_cdc",
    "run_drift",
    "run_example",
    "run_kappa",
    "run_lambda",
    "run_scoring",
    "run_stream",
    "run_triggered",
    "run_with_crash",
    "show",
    "status_panel",
]


def __getattr__(name: str) -> object:
    """Import the submodule that defines ``name`` on first use, and keep the name (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _load_all() -> None:
    """Import every submodule and bind every public name now (the browser's worker does so
    before it snapshots the interpreter, so that a restored one has them all)."""
    package = sys.modules[__name__]
    for name in __all__:
        getattr(package, name)
