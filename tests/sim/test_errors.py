"""Bad arguments raise ValueError or TypeError naming the parameter and the accepted range."""

import pytest

from simulations import (
    AfterCount,
    AfterProcessingTime,
    BatchWatermark,
    Event,
    HeuristicWatermark,
    ProcessingTime,
    Session,
    Sliding,
    Tumbling,
    WatermarkTrace,
    batch_view,
    diagram,
    events,
    generate_stream,
    run_batch,
    run_drift,
    run_example,
    run_kappa,
    run_lambda,
    run_stream,
    run_triggered,
    run_with_crash,
)
from simulations.kappa import Log
from simulations.stats import percentile

EVS = events([("a", 1, 0.0), ("a", 2, 5.0)])
KINDS = "Tumbling(size), Sliding(size, slide), Session(gap) or ProcessingTime(size)"

CASES = [
    # (call, parameter, exception, the whole message: the name, the accepted range and its unit)
    (lambda: generate_stream(rate=-5), "rate", ValueError, "rate must be > 0 events/s, got -5"),
    (lambda: generate_stream(rate=0), "rate", ValueError, "rate must be > 0 events/s, got 0"),
    (
        lambda: generate_stream(duration=0),
        "duration",
        ValueError,
        "duration must be > 0 seconds, got 0",
    ),
    (lambda: generate_stream(keys=0), "keys", ValueError, "keys must be an int >= 1, got 0"),
    (lambda: generate_stream(keys=1.5), "keys", TypeError, "keys must be an int, got float 1.5"),
    (lambda: generate_stream(seed="x"), "seed", TypeError, "seed must be an int, got str 'x'"),
    (
        lambda: generate_stream(delay="normal"),
        "delay",
        ValueError,
        "delay must be one of 'none', 'uniform', 'exponential', got 'normal'",
    ),
    (
        lambda: generate_stream(mean_delay=-1),
        "mean_delay",
        ValueError,
        "mean_delay must be >= 0 seconds, got -1",
    ),
    (
        lambda: generate_stream(late_fraction=1.5),
        "late_fraction",
        ValueError,
        "late_fraction must be in [0, 1], got 1.5",
    ),
    (
        lambda: generate_stream(late_delay=-1),
        "late_delay",
        ValueError,
        "late_delay must be >= 0 seconds, got -1",
    ),
    (
        lambda: generate_stream(bursts=[(0, 10)]),
        "bursts",
        ValueError,
        "bursts[0] must be (start, length, multiplier), got (0, 10)",
    ),
    (
        lambda: generate_stream(bursts=[(0, 10, -2)]),
        "multiplier",
        ValueError,
        "bursts[0] multiplier must be > 0, got -2",
    ),
    (
        lambda: run_stream(EVS, window="tumbling"),
        "window",
        TypeError,
        f"window must be {KINDS}, got str 'tumbling'",
    ),
    (
        lambda: run_stream(EVS, window=60),
        "window",
        TypeError,
        f"window must be {KINDS}, got int 60",
    ),
    (
        lambda: run_stream(EVS, watermark_delay=-1),
        "watermark_delay",
        ValueError,
        "watermark_delay must be >= 0 seconds, got -1",
    ),
    (
        lambda: run_stream(EVS, allowed_lateness=-1),
        "allowed_lateness",
        ValueError,
        "allowed_lateness must be >= 0 seconds, got -1",
    ),
    (
        lambda: run_stream(EVS, aggregate="median"),
        "aggregate",
        ValueError,
        "aggregate must be one of 'sum', 'count', 'mean', 'max', got 'median'",
    ),
    (
        lambda: run_stream(EVS, throughput=0),
        "throughput",
        ValueError,
        "throughput must be > 0 events/s, got 0",
    ),
    (
        lambda: run_stream([("a", 1, 0.0)]),
        "events[0]",
        TypeError,
        "events[0] must be an Event (see events() and generate_stream()), got tuple ('a', 1, 0.0)",
    ),
    (lambda: run_stream("abc"), "events", TypeError, "events must be a list of Event, got str"),
    (
        lambda: run_stream(EVS).table(limit=-1),
        "limit",
        ValueError,
        "limit must be an int >= 0, got -1",
    ),
    (
        lambda: run_batch(EVS, interval=0),
        "interval",
        ValueError,
        "interval must be > 0 seconds, got 0",
    ),
    (lambda: run_batch(EVS, period=-1), "period", ValueError, "period must be > 0 seconds, got -1"),
    (
        lambda: run_batch(EVS, throughput=-1),
        "throughput",
        ValueError,
        "throughput must be > 0 events/s, got -1",
    ),
    (
        lambda: run_batch(EVS, first_run=-1),
        "first_run",
        ValueError,
        "first_run must be >= 0 seconds, got -1",
    ),
    (
        lambda: run_batch(EVS, aggregate="avg"),
        "aggregate",
        ValueError,
        "aggregate must be one of 'sum', 'count', 'mean', 'max', got 'avg'",
    ),
    (
        lambda: run_batch([1]),
        "events[0]",
        TypeError,
        "events[0] must be an Event (see events() and generate_stream()), got int 1",
    ),
    (
        lambda: run_with_crash(EVS, checkpoint_interval=0),
        "checkpoint_interval",
        ValueError,
        "checkpoint_interval must be > 0 seconds, got 0",
    ),
    (
        lambda: run_with_crash(EVS, guarantee="once"),
        "guarantee",
        ValueError,
        "guarantee must be one of 'at-least-once', 'exactly-once', got 'once'",
    ),
    (
        lambda: run_with_crash(EVS, crash_at="soon"),
        "crash_at",
        TypeError,
        "crash_at must be a number, got str 'soon'",
    ),
    (
        lambda: run_with_crash(EVS, window=None),
        "window",
        TypeError,
        f"window must be {KINDS}, got NoneType None",
    ),
    (
        lambda: run_lambda(EVS, batch_interval=-1),
        "batch_interval",
        ValueError,
        "batch_interval must be > 0 seconds, got -1",
    ),
    (
        lambda: run_lambda(EVS, batch_throughput=0),
        "batch_throughput",
        ValueError,
        "batch_throughput must be > 0 events/s, got 0",
    ),
    (
        lambda: run_lambda(EVS, window="x"),
        "window",
        TypeError,
        f"window must be {KINDS}, got str 'x'",
    ),
    (lambda: run_lambda(EVS).query("now"), "t", TypeError, "t must be a number, got str 'now'"),
    (
        lambda: run_kappa(EVS, new_window=Tumbling),
        "new_window",
        TypeError,
        f"new_window must be {KINDS}, got type <class 'simulations.windows.Tumbling'>",
    ),
    (
        lambda: run_kappa(EVS, new_aggregate="avg"),
        "new_aggregate",
        ValueError,
        "new_aggregate must be one of 'sum', 'count', 'mean', 'max', got 'avg'",
    ),
    (
        lambda: run_kappa(EVS, replay_throughput=0),
        "replay_throughput",
        ValueError,
        "replay_throughput must be > 0 events/s, got 0",
    ),
    (
        lambda: run_kappa(EVS, redeploy_at=float("nan")),
        "redeploy_at",
        ValueError,
        "redeploy_at must be a finite number, got nan",
    ),
    (lambda: run_drift(duration=0), "duration", ValueError, "duration must be > 0 seconds, got 0"),
    (lambda: run_drift(rate=-1), "rate", ValueError, "rate must be > 0 events/s, got -1"),
    (
        lambda: run_drift(drift_at=-1),
        "drift_at",
        ValueError,
        "drift_at must be >= 0 seconds, got -1",
    ),
    (
        lambda: run_drift(retrain_interval=0),
        "retrain_interval",
        ValueError,
        "retrain_interval must be > 0 seconds, got 0",
    ),
    (
        lambda: run_drift(learning_rate=0),
        "learning_rate",
        ValueError,
        "learning_rate must be > 0, got 0",
    ),
    (
        lambda: run_drift(eval_window=0),
        "eval_window",
        ValueError,
        "eval_window must be > 0 seconds, got 0",
    ),
    (lambda: run_drift(seed=1.5), "seed", TypeError, "seed must be an int, got float 1.5"),
    (
        lambda: generate_stream(key_prefix=1),
        "key_prefix",
        TypeError,
        "key_prefix must be a str, got int",
    ),
    (
        lambda: generate_stream(bursts="x"),
        "bursts",
        TypeError,
        "bursts must be a sequence of (start, length, multiplier) tuples, got str 'x'",
    ),
    (
        lambda: generate_stream(bursts=[(-1, 10, 2)]),
        "bursts[0] start",
        ValueError,
        "bursts[0] start must be >= 0 seconds, got -1",
    ),
    (
        lambda: generate_stream(bursts=[(0, 0, 2)]),
        "bursts[0] length",
        ValueError,
        "bursts[0] length must be > 0 seconds, got 0",
    ),
    (
        lambda: events("a,1,0"),
        "rows",
        TypeError,
        "rows must be a list of (key, value, event_time[, arrival_time]) tuples, got str 'a,1,0'",
    ),
    (
        lambda: events(5),
        "rows",
        TypeError,
        "rows must be a list of (key, value, event_time[, arrival_time]) tuples, got int 5",
    ),
    (
        lambda: generate_stream(bursts=5),
        "bursts",
        TypeError,
        "bursts must be a sequence of (start, length, multiplier) tuples, got int 5",
    ),
    (lambda: Event(1, 1, 0.0), "key", TypeError, "key must be a str, got int 1"),
    (lambda: Event("a", "x", 0.0), "value", TypeError, "value must be a number, got str 'x'"),
    (
        lambda: Event("a", 1, None),
        "event_time",
        TypeError,
        "event_time must be a number, got NoneType None",
    ),
    (
        lambda: Event("a", 1, 0.0, "x"),
        "arrival_time",
        TypeError,
        "arrival_time must be a number, got str 'x'",
    ),
    (
        lambda: Event("a", 1, 3.0, 2.0),
        "arrival_time",
        ValueError,
        "arrival_time must be >= event_time (3.0): an event cannot arrive before it happens, "
        "got 2.0",
    ),
    (lambda: Tumbling(0), "size", ValueError, "size must be > 0 seconds, got 0"),
    (lambda: Sliding(0, 1), "size", ValueError, "size must be > 0 seconds, got 0"),
    (lambda: Sliding(10, "x"), "slide", TypeError, "slide must be a number, got str 'x'"),
    (lambda: Sliding(10, 20), "slide", ValueError, "slide must be in (0, size=10] seconds, got 20"),
    (lambda: Sliding(10, 0), "slide", ValueError, "slide must be in (0, size=10] seconds, got 0"),
    (lambda: Session(-1), "gap", ValueError, "gap must be > 0 seconds, got -1"),
    (lambda: ProcessingTime(0), "size", ValueError, "size must be > 0 seconds, got 0"),
    (lambda: percentile([1.0], "x"), "q", TypeError, "q must be a number, got str 'x'"),
    (lambda: percentile([1.0], 101), "q", ValueError, "q must be in [0, 100], got 101"),
    (
        lambda: percentile([], 50),
        "values",
        ValueError,
        "values must be non-empty to take a percentile",
    ),
    (
        lambda: batch_view(EVS, aggregate="avg"),
        "aggregate",
        ValueError,
        "aggregate must be one of 'sum', 'count', 'mean', 'max', got 'avg'",
    ),
    (
        lambda: diagram(EVS, run_stream(EVS), key="b"),
        "key",
        ValueError,
        "key must be one of the events' keys ['a'], got 'b'",
    ),
    (
        lambda: diagram(EVS, run_stream(EVS), key=1),
        "key",
        TypeError,
        "key must be a str, got int 1",
    ),
    (
        lambda: diagram(EVS, run_stream(EVS), until="x"),
        "until",
        TypeError,
        "until must be a number, got str 'x'",
    ),
    (
        lambda: diagram(EVS, EVS),
        "report",
        TypeError,
        "report must be what run_triggered or run_stream returned, got list",
    ),
    (
        lambda: diagram([], run_stream(EVS)),
        "events",
        ValueError,
        "events must hold at least one event to draw, got none",
    ),
    (lambda: Log().append(1), "event", TypeError, "event must be an Event, got int"),
    (lambda: Log().read(-1), "offset", ValueError, "offset must be an int >= 0, got -1"),
    (lambda: run_kappa(EVS).serving("x"), "t", TypeError, "t must be a number, got str 'x'"),
    (lambda: run_lambda(EVS).staleness("x"), "t", TypeError, "t must be a number, got str 'x'"),
    (
        lambda: run_batch(EVS).table(limit=-1),
        "limit",
        ValueError,
        "limit must be an int >= 0, got -1",
    ),
    (lambda: AfterCount(0), "count", ValueError, "count must be an int >= 1, got 0"),
    (
        lambda: AfterProcessingTime(period=-2),
        "period",
        ValueError,
        "period must be > 0 seconds, got -2",
    ),
    (lambda: HeuristicWatermark(-1), "delay", ValueError, "delay must be >= 0 seconds, got -1"),
    (
        lambda: WatermarkTrace([(0, 5), (1, 4)]),
        "points",
        ValueError,
        "points must be in order, processing time and watermark never going back (a watermark "
        "is a promise), got (0.0, 5.0) then (1, 4)",
    ),
    (
        lambda: run_triggered(EVS, watermark=BatchWatermark(ends_at=1)),
        "ends_at",
        ValueError,
        "ends_at must be >= the last arrival time (5.0): the input cannot end before its last "
        "event arrives, got 1",
    ),
    (
        lambda: run_example("2-10"),
        "example_id",
        ValueError,
        "example_id must be one of '2-1', '2-2', '2-3', '2-4', '2-5', '2-6-perfect', "
        "'2-6-heuristic', '2-7-perfect', '2-7-heuristic', '2-8', '2-9', '4-3', got '2-10'",
    ),
]


@pytest.mark.parametrize(
    ("call", "name", "exc", "words"), CASES, ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)]
)
def test_bad_argument_names_the_parameter_and_range(call, name, exc, words):
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    assert message.startswith(name) or f" {name} " in message
    assert message == words


def test_a_table_of_no_rows_is_allowed():
    assert run_batch(EVS).table(limit=0).splitlines()[-1] == "... 1 more"
