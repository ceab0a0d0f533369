"""Simulations for the course "Batch vs Streaming Data in AI".

Every code box in the course imports from here. Everything is standard-library Python, runs the
same in CPython and in the browser (Pyodide), and is deterministic for a given seed.

>>> from simulations import generate_stream, run_stream, Tumbling
>>> report = run_stream(generate_stream(seed=1), window=Tumbling(10))
>>> report.events
577
"""

from .batch import BatchReport, BatchResult, BatchRun, batch_view, run_batch
from .changelog import (
    CdcReport,
    Change,
    MaterializedView,
    changes,
    compact,
    fold,
    generate_changes,
    run_cdc,
)
from .charts import Chart, bar_chart, histogram, line_chart
from .display import show
from .events import Event, events, generate_stream
from .hub import HubReport, compare
from .joins import JoinReport, Match, as_of_join, interval_join, lookup_join
from .kappa import KappaReport, Log, run_kappa
from .lambda_arch import BatchView, Correction, LambdaReport, run_lambda
from .ml import DriftReport, run_drift
from .panel import latency_level, status_panel
from .recovery import RecoveryReport, run_with_crash
from .scoring import Decision, ScoringReport, run_scoring
from .stats import LatencyStats, latency_stats, percentile
from .stream import AGGREGATES, Emission, Engine, LateEvent, StreamReport, run_stream
from .training import SkewReport, TrainingReport, build_training_set, measure_skew
from .triggers import Pane, TriggerReport, run_triggered
from .windows import ProcessingTime, Session, Sliding, Tumbling

__all__ = [
    "AGGREGATES",
    "BatchReport",
    "BatchResult",
    "BatchRun",
    "BatchView",
    "CdcReport",
    "Change",
    "Chart",
    "Correction",
    "Decision",
    "DriftReport",
    "Emission",
    "Engine",
    "Event",
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
    "ProcessingTime",
    "RecoveryReport",
    "ScoringReport",
    "Session",
    "SkewReport",
    "Sliding",
    "StreamReport",
    "TrainingReport",
    "TriggerReport",
    "Tumbling",
    "as_of_join",
    "bar_chart",
    "batch_view",
    "build_training_set",
    "changes",
    "compact",
    "compare",
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
    "run_kappa",
    "run_lambda",
    "run_scoring",
    "run_stream",
    "run_triggered",
    "run_with_crash",
    "show",
    "status_panel",
]
