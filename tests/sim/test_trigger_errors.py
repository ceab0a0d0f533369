"""run_triggered's refusals, word for word: each names the parameter, says why, and shows the
value given; the shorthand engine and the Dataflow engine (trigger= or watermark=) alike."""

import pytest

from simulations import (
    AfterCount,
    BatchWatermark,
    GlobalWindow,
    ProcessingTime,
    Session,
    Tumbling,
    events,
    run_triggered,
)
from simulations.triggers import TriggeredEngine

EVS = events([("a", 1, 1.0)])
SPEC = dict(trigger=AfterCount(1))

CASES = [
    (
        dict(semantics="spark"),
        "semantics must be 'course', 'flink' or 'beam' for triggered panes: Spark writes "
        "results per micro-batch, as run_stream(..., semantics='spark', output_mode=...) shows, "
        "got 'spark'",
    ),
    (
        dict(window=Session(5)),
        "window must be Tumbling(size) or Sliding(size, slide) for triggered panes (sessions "
        "merge their panes; processing-time windows have no watermark), got session gap 5s",
    ),
    (
        dict(window=ProcessingTime(10)),
        "window must be Tumbling(size) or Sliding(size, slide) for triggered panes (sessions "
        "merge their panes; processing-time windows have no watermark), got processing-time 10s",
    ),
    (
        dict(early_every=1, early_count=2),
        "early_count must be None when early_every is set: early panes come either on a clock "
        "or every so many events, got early_every=1 and early_count=2",
    ),
    (
        dict(accumulation="discarding", aggregate="max"),
        "accumulation='discarding' needs aggregate 'sum' or 'count': discarding panes are added "
        "up downstream, and a 'max' of parts is not the 'max' of the whole",
    ),
    (
        dict(SPEC, semantics="spark"),
        "semantics must be 'course', 'flink' or 'beam' for triggered panes: Spark writes "
        "results per micro-batch, got 'spark'",
    ),
    (
        dict(SPEC, window=ProcessingTime(10)),
        "window must be Tumbling, Sliding, Session or GlobalWindow for a trigger or a watermark "
        "(processing-time windows have no watermark), got processing-time 10s",
    ),
    (
        dict(SPEC, early_every=1),
        "early_every must be None when trigger is set: the trigger says when every pane is "
        "written, got early_every=1",
    ),
    (
        dict(SPEC, early_count=3),
        "early_count must be None when trigger is set: the trigger says when every pane is "
        "written, got early_count=3",
    ),
    (
        dict(watermark=BatchWatermark(), watermark_delay=2),
        "watermark_delay must be left out when watermark is set: the watermark says where event "
        "time stands, got watermark_delay=2",
    ),
    (
        dict(watermark=BatchWatermark(), window=GlobalWindow(), early_count=2, early_every=1),
        "early_count must be None when early_every is set: early panes come either on a clock "
        "or every so many events, got early_every=1 and early_count=2",
    ),
    (dict(SPEC, watermark_delay=-1), "watermark_delay must be >= 0 seconds, got -1"),
    (dict(SPEC, allowed_lateness=-1), "allowed_lateness must be >= 0 seconds, got -1"),
    (dict(SPEC, aggregate="x"), "aggregate must be one of 'sum', 'count', 'mean', 'max', got 'x'"),
    (dict(SPEC, early_every=0), "early_every must be > 0 seconds, got 0"),
    (dict(SPEC, accumulation="both"), "accumulation must be one of 'accumulating', "),
]


@pytest.mark.parametrize(("kw", "message"), CASES)
def test_each_refusal_says_what_and_why(kw, message):
    with pytest.raises(ValueError) as info:
        run_triggered(EVS, **{"window": Tumbling(10), **kw})
    assert str(info.value).startswith(message)


def test_a_window_that_is_no_window_is_a_type_error_with_either_engine():
    with pytest.raises(TypeError, match="window must be Tumbling"):
        run_triggered(EVS, window="w", trigger=AfterCount(1))
    with pytest.raises(TypeError, match="window must be Tumbling"):
        run_triggered(EVS, window="w")


def test_what_is_allowed_at_the_edges():
    # a zero delay, a zero lateness, the default delay beside a watermark, a falsy early_count
    # of None beside a trigger: all accepted
    for kw in (
        dict(watermark_delay=0, allowed_lateness=0),
        dict(SPEC, watermark_delay=0, allowed_lateness=0),
        dict(watermark=BatchWatermark(), watermark_delay=5.0),
        dict(SPEC, early_count=None, early_every=None),
        dict(window=GlobalWindow(), watermark=BatchWatermark()),
        dict(window=Session(5), **SPEC),
    ):
        assert run_triggered(EVS, **{"window": Tumbling(10), **kw}).events == 1


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        (dict(window=Session(5)), "window must be Tumbling(size) or Sliding(size, slide)"),
        (dict(early_every=0), "early_every must be > 0 seconds, got 0"),
        (dict(early_count=0), "early_count must be an int >= 1, got 0"),
        (dict(early_every=2, early_count=1), "early_count must be None when early_every is set"),
        (dict(accumulation="both"), "accumulation must be one of"),
        (dict(accumulation="discarding", aggregate="max"), "accumulation='discarding' needs"),
        (dict(semantics="spark"), "semantics='spark' reads micro-batches: use run_stream"),
    ],
)
def test_the_engine_made_directly_refuses_what_run_triggered_refuses(kw, words):
    with pytest.raises(ValueError) as info:
        TriggeredEngine(**{"window": Tumbling(10), **kw})
    assert words in str(info.value)


def test_the_engine_made_directly_has_run_triggereds_defaults():
    eng = TriggeredEngine(Tumbling(10))
    assert (eng.delay, eng.lateness, eng.aggregate, eng.rules.name) == (5.0, 0.0, "sum", "course")
    assert (eng.early_every, eng.early_count, eng.discarding) == (None, None, False)
    assert TriggeredEngine(Tumbling(10), accumulation="discarding").discarding


def test_the_engine_made_directly_logs_each_on_time_and_late_pane_as_the_base_engine_does():
    """Its emissions (the base engine's log) are its non-early panes, with the base engine's
    words for what fired each: "on-time" or "late"."""
    evs = events(
        [("a", 1, 1.0), ("a", 2, 2.5), ("a", 5, 11.0), ("a", 8, 3.0, 12.0), ("a", 1, 16.5, 18.0)]
    )
    eng = TriggeredEngine(Tumbling(10), watermark_delay=1, allowed_lateness=5, early_every=2)
    for ev in evs:
        eng.process(ev, ev.arrival_time)
    eng.finish(evs[-1].arrival_time)
    words = {"ON_TIME": "on-time", "LATE": "late"}
    assert [(e.start, e.value, e.emitted_at, e.timing) for e in eng.emissions] == [
        (p.start, p.value, p.emitted_at, words[p.timing]) for p in eng.panes if p.timing in words
    ]
    assert {e.timing for e in eng.emissions} == {"on-time", "late"}
