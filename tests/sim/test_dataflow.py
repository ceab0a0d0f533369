"""run_triggered with trigger= and watermark=: the Dataflow engine's rules, worked and random."""

import math
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import (
    AfterCount,
    AfterProcessingTime,
    AfterWatermark,
    BatchWatermark,
    GlobalWindow,
    HeuristicWatermark,
    PerfectWatermark,
    ProcessingTime,
    Repeatedly,
    Session,
    Sliding,
    Tumbling,
    WatermarkTrace,
    events,
    run_triggered,
)

FAST = settings(deadline=None)
FOREVER = 10**9


def by_window(panes):
    out = defaultdict(list)
    for p in panes:
        out[(p.key, p.start, p.end)].append(p)
    return out


# -- worked examples ---------------------------------------------------------------------------

ROWS = [
    ("a", 1, 1.0),
    ("a", 2, 4.0, 6.0),
    ("a", 4, 12.0, 13.0),
    ("a", 8, 3.0, 20.0),  # late for [0, 10) under a heuristic watermark
]


def test_a_watermark_trace_decides_what_is_on_time_and_what_is_late():
    trace = WatermarkTrace([(5, 0), (15, 10), (25, 30)])
    r = run_triggered(
        events(ROWS),
        window=Tumbling(10),
        watermark=trace,
        trigger=AfterWatermark(late=AfterCount(1)),
        allowed_lateness=100,
    )
    assert [(p.start, p.value, p.timing, p.emitted_at, p.index) for p in r.panes] == [
        (0.0, 3, "ON_TIME", 15.0, 0),  # the trace reaches 10 at 15
        (0.0, 11, "LATE", 20.0, 1),  # the 8 comes after that
        (10.0, 4, "ON_TIME", 25.0, 0),
    ]
    assert r.watermarks == [(5.0, 0.0), (15.0, 10.0), (25.0, 30.0), (25.0, math.inf)]


def test_a_perfect_watermark_waits_for_the_straggler():
    r = run_triggered(events(ROWS), window=Tumbling(10), watermark=PerfectWatermark())
    assert [(p.start, p.value, p.timing, p.emitted_at) for p in r.panes] == [
        (0.0, 11, "ON_TIME", 20.0),  # held back until the 8 (event time 3) has arrived
        (10.0, 4, "ON_TIME", 20.0),
    ]
    assert not r.late and not r.dropped


def test_without_a_late_trigger_the_window_closes_after_its_on_time_pane():
    r = run_triggered(
        events(ROWS),
        window=Tumbling(10),
        watermark=HeuristicWatermark(1),
        trigger=AfterWatermark(),
        allowed_lateness=100,
    )
    assert [(p.start, p.value, p.timing, p.is_last) for p in r.history("a", 0)] == [
        (0.0, 3, "ON_TIME", True)
    ]
    assert [x.event.value for x in r.late] == [8]  # within the lateness, but the window closed


def test_a_trigger_that_fires_once_closes_the_window():
    r = run_triggered(
        events(ROWS), window=Tumbling(10), watermark=BatchWatermark(), trigger=AfterCount(2)
    )
    assert [(p.value, p.timing, p.is_last) for p in r.history("a", 0)] == [(3, "EARLY", True)]
    assert [x.event.value for x in r.late] == [8]


def test_aligned_processing_time_fires_every_window_on_the_same_ticks():
    trigger = Repeatedly(AfterProcessingTime(period=10, offset=5))
    r = run_triggered(
        events([("a", 1, 1.0), ("b", 2, 2.0, 3.0), ("a", 4, 14.0), ("a", 8, 16.0)]),
        window=Tumbling(100),
        watermark=BatchWatermark(ends_at=40),
        trigger=trigger,
    )
    assert [(p.key, p.value, p.emitted_at) for p in r.panes] == [
        ("a", 1, 5.0),  # first element at 1: the next tick, 5
        ("b", 2, 5.0),  # another window, the same tick
        ("a", 5, 15.0),  # 14 arrives before the tick at 15
        ("a", 13, 25.0),  # 16 after it
    ]


def test_unaligned_processing_time_counts_from_the_panes_first_element():
    r = run_triggered(
        events([("a", 1, 1.0), ("a", 2, 2.0), ("a", 4, 9.0)]),
        window=Tumbling(100),
        watermark=BatchWatermark(ends_at=40),
        trigger=Repeatedly(AfterProcessingTime(5)),
    )
    assert [(p.value, p.emitted_at, p.timing) for p in r.panes] == [
        (3, 6.0, "EARLY"),  # first element at 1, fired 5 s later
        (7, 14.0, "EARLY"),  # the next pane's first element came at 9
    ]


def test_the_global_window_has_one_pane_at_the_end():
    r = run_triggered(events(ROWS), window=GlobalWindow(), watermark=BatchWatermark())
    [pane] = r.panes
    assert (pane.start, pane.end, pane.value, pane.timing) == (-math.inf, math.inf, 15, "ON_TIME")
    assert pane.is_first and pane.is_last and pane.on_time_index == 0


def test_the_reports_methods_work_for_the_global_window_and_sessions():
    r = run_triggered(events(ROWS), window=GlobalWindow(), watermark=BatchWatermark())
    assert [p.value for p in r.history("a", -math.inf)] == [15]
    assert r.chart().title == "The global window of a, pane by pane"
    assert "[global window, batch watermark: complete at the end of the input]" in r.panel()
    assert "[-inf, inf)" in r.table()
    s = run_triggered(
        events(ROWS),
        window=Session(5),
        watermark=PerfectWatermark(),
        trigger=Repeatedly(AfterCount(1)),
    )
    assert "a pane per element [session gap 5s, perfect watermark]" in s.panel()
    assert s.chart().title.startswith("Window [")


def test_the_shorthands_are_the_trigger_they_stand_for():
    base = dict(window=Tumbling(10), allowed_lateness=5, watermark=HeuristicWatermark(1))
    short = run_triggered(events(ROWS), early_count=1, **base)
    spelled = run_triggered(
        events(ROWS), trigger=AfterWatermark(early=AfterCount(1), late=AfterCount(1)), **base
    )
    assert short.panes == spelled.panes
    assert "AfterWatermark(early=AfterCount(1), late=AfterCount(1))" in spelled.panel()


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: AfterCount(0), ValueError, "count must be an int >= 1, got 0"),
        (lambda: AfterProcessingTime(-1), ValueError, "delay must be >= 0 seconds, got -1"),
        (lambda: AfterProcessingTime(0), ValueError, "delay must be > 0 seconds unless period"),
        (lambda: AfterProcessingTime(5, offset=3), ValueError, "offset must be 0 unless period"),
        (lambda: AfterProcessingTime(period=0), ValueError, "period must be > 0 seconds"),
        (lambda: Repeatedly(AfterWatermark()), TypeError, "trigger must be AfterCount(n)"),
        (lambda: AfterWatermark(early=3), TypeError, "early must be AfterCount(n)"),
        (lambda: HeuristicWatermark(-1), ValueError, "delay must be >= 0 seconds, got -1"),
        (lambda: WatermarkTrace([(2, 5), (1, 6)]), ValueError, "points must be in order"),
        (lambda: WatermarkTrace([(1, 5), (2, 4)]), ValueError, "points must be in order"),
        (lambda: WatermarkTrace([(1, 5, 6)]), ValueError, "points[0] must be a (processing"),
        (lambda: WatermarkTrace("x"), TypeError, "points must be a list of"),
        (lambda: WatermarkTrace([(5, 1)], ends_at=4), ValueError, "ends_at must be >= the last"),
        (lambda: PerfectWatermark(ends_at="x"), TypeError, "ends_at must be a number"),
        (
            lambda: run_triggered(events(ROWS), watermark=BatchWatermark(ends_at=5)),
            ValueError,
            "ends_at must be >= the last arrival time (20.0)",
        ),
        (
            lambda: run_triggered(events(ROWS), trigger=AfterCount(1), early_every=2),
            ValueError,
            "early_every must be None when trigger is set",
        ),
        (
            lambda: run_triggered(events(ROWS), trigger=AfterCount(1), early_count=2),
            ValueError,
            "early_count must be None when trigger is set",
        ),
        (
            lambda: run_triggered(events(ROWS), watermark=PerfectWatermark(), watermark_delay=2),
            ValueError,
            "watermark_delay must be left out when watermark is set",
        ),
        (
            lambda: run_triggered(events(ROWS), trigger="every element"),
            TypeError,
            "trigger must be AfterWatermark(...)",
        ),
        (
            lambda: run_triggered(events(ROWS), watermark=5),
            TypeError,
            "watermark must be HeuristicWatermark(delay)",
        ),
        (
            lambda: run_triggered(events(ROWS), window=ProcessingTime(10), trigger=AfterCount(1)),
            ValueError,
            "window must be Tumbling, Sliding, Session or GlobalWindow",
        ),
        (
            lambda: run_triggered(events(ROWS), trigger=AfterCount(1), semantics="spark"),
            ValueError,
            "semantics must be 'course', 'flink' or 'beam'",
        ),
        (
            lambda: run_triggered(
                events(ROWS), trigger=AfterCount(1), aggregate="max", accumulation="discarding"
            ),
            ValueError,
            "accumulation='discarding' needs aggregate 'sum' or 'count'",
        ),
    ],
)
def test_bad_arguments_name_the_parameter(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert words in str(info.value)


# -- properties --------------------------------------------------------------------------------

row = st.tuples(
    st.sampled_from(["a", "b"]),
    st.integers(1, 9),
    st.integers(0, 60),
    st.integers(0, 30),
).map(lambda r: (r[0], r[1], float(r[2]), float(r[2] + r[3])))
stream = st.lists(row, max_size=30).map(events)
windows = st.sampled_from([Tumbling(10), Sliding(20, 10), Session(5)])
leaves = st.one_of(
    st.integers(1, 3).map(AfterCount),
    st.integers(1, 8).map(AfterProcessingTime),
    st.integers(2, 8).map(lambda p: AfterProcessingTime(period=p)),
)
triggers = st.one_of(
    st.builds(AfterWatermark, early=st.none() | leaves, late=st.none() | leaves),
    leaves.map(Repeatedly),
)
watermarks = st.one_of(
    st.integers(0, 10).map(HeuristicWatermark),
    st.just(PerfectWatermark()),
    st.just(BatchWatermark()),
)
semantics = st.sampled_from(["course", "flink", "beam"])


def assignments(evs, window):
    if type(window) is Session:
        return len(evs)
    return sum(len(window.assign(e.event_time)) for e in evs)


@FAST
@given(evs=stream, window=windows, trigger=triggers, semantics=semantics)
def test_a_perfect_watermark_makes_nothing_late(evs, window, trigger, semantics):
    r = run_triggered(
        evs, window=window, trigger=trigger, watermark=PerfectWatermark(), semantics=semantics
    )
    assert not r.late and not r.dropped
    if isinstance(trigger, AfterWatermark):
        assert r.timing_counts()["LATE"] == 0


@FAST
@given(evs=stream, window=st.sampled_from([Tumbling(10), Sliding(20, 10)]))
def test_a_batch_watermark_writes_one_on_time_pane_per_window_with_its_final_value(evs, window):
    r = run_triggered(evs, window=window, watermark=BatchWatermark())
    expected = defaultdict(int)
    for e in evs:
        for start, end in window.assign(e.event_time):
            expected[(e.key, start, end)] += e.value
    assert sorted((p.key, p.start, p.end, p.value) for p in r.panes) == sorted(
        (*k, v) for k, v in expected.items()
    )
    assert all(p.timing == "ON_TIME" and p.is_first and p.is_last for p in r.panes)
    assert {p.emitted_at for p in r.panes} <= {evs[-1].arrival_time if evs else 0.0}


@FAST
@given(evs=stream, window=windows, watermark=watermarks)
def test_repeated_count_of_one_writes_one_pane_per_element(evs, window, watermark):
    r = run_triggered(
        evs,
        window=window,
        trigger=Repeatedly(AfterCount(1)),
        watermark=watermark,
        allowed_lateness=FOREVER,
    )
    assert len(r.panes) == assignments(evs, window)
    assert [p.emitted_at for p in r.panes] == sorted(p.emitted_at for p in r.panes)


@FAST
@given(
    evs=stream,
    window=windows,
    trigger=triggers,
    watermark=watermarks,
    semantics=semantics,
    lateness=st.sampled_from([0, 5, FOREVER]),
)
def test_pane_facts_follow_beams_rules(evs, window, trigger, watermark, semantics, lateness):
    kw = dict(
        window=window,
        trigger=trigger,
        watermark=watermark,
        semantics=semantics,
        allowed_lateness=lateness,
    )
    acc = run_triggered(evs, **kw)
    for k, panes in by_window(acc.panes).items():
        assert [p.index for p in panes] == list(range(len(panes)))
        assert [p.is_first for p in panes] == [i == 0 for i in range(len(panes))]
        assert not any(p.is_last for p in panes[:-1])
        timings = [p.timing for p in panes]
        assert timings.count("ON_TIME") <= 1
        first_other = next((i for i, t in enumerate(timings) if t != "EARLY"), len(timings))
        assert all(t == "EARLY" for t in timings[:first_other])
        assert all(t == "LATE" for t in timings[first_other + 1 :])  # no EARLY after that
        assert [p.on_time_index for p in panes if p.timing == "EARLY"] == [-1] * first_other
        assert [p.on_time_index for p in panes[first_other:]] == list(
            range(len(panes) - first_other)
        )
        if k in acc.final:  # (a session merged into a larger one is not a final window)
            assert panes[-1].value == acc.final[k]
    assert set(acc.final) <= set(by_window(acc.panes))
    # every event is in its windows' last panes, in late or in dropped, never lost
    if type(window) is not Session:  # (a merged session's panes hold those of its parts)
        counted = sum(ps[-1].count for ps in by_window(acc.panes).values())
        assert counted + len(acc.late) + len(acc.dropped) == assignments(evs, window)
    # discarding panes add up to the accumulating ones
    dis = run_triggered(evs, accumulation="discarding", **kw)
    assert [(p.key, p.start, p.timing, p.index) for p in dis.panes] == [
        (p.key, p.start, p.timing, p.index) for p in acc.panes
    ]
    if type(window) is not Session:  # (a merged session's earlier panes are its parts')
        for k, panes in by_window(dis.panes).items():
            assert sum(p.value for p in panes) == by_window(acc.panes)[k][-1].value
    # the watermark only moves forward, and ends at infinity
    marks = [wm for _, wm in acc.watermarks]
    assert marks == sorted(marks) and marks[-1] == math.inf


off_grid = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]), st.integers(1, 9), st.integers(0, 60), st.integers(0, 30)
    ).map(lambda r: (r[0], r[1], float(r[2]), r[2] + r[3] + 0.5)),  # never on an early tick
    max_size=30,
).map(events)


@FAST
@given(
    evs=off_grid,
    window=st.sampled_from([Tumbling(10), Sliding(20, 10)]),
    early=st.sampled_from([{}, {"early_count": 1}, {"early_count": 3}, {"early_every": 2}]),
    delay=st.integers(0, 10),
    lateness=st.sampled_from([0, 5, 20]),
    semantics=semantics,
    accumulation=st.sampled_from(["accumulating", "discarding"]),
)
def test_the_shorthand_engine_writes_what_its_trigger_spec_writes(
    evs, window, early, delay, lateness, semantics, accumulation
):
    """Without trigger= or watermark=, run_triggered keeps its own engine (the one the existing
    boxes print from); with them, the Dataflow engine runs. For the trigger the shorthands stand
    for, both write the same panes in the same order, and account for the same events. (Only
    an event arriving exactly on an early_every tick differs: the shorthand puts it in the next
    pane, an aligned AfterProcessingTime fires on that tick.)"""
    kw = dict(window=window, allowed_lateness=lateness, semantics=semantics, **early)
    short = run_triggered(evs, watermark_delay=delay, accumulation=accumulation, **kw)
    spec = run_triggered(evs, watermark=HeuristicWatermark(delay), accumulation=accumulation, **kw)
    assert spec.panes == short.panes
    assert spec.final == short.final
    assert (spec.late, spec.dropped) == (short.late, short.dropped)
    assert (spec.latency, spec.first_answer) == (short.latency, short.first_answer)
    if evs:  # the same watermark, and the Dataflow engine's jump to infinity at the end
        assert spec.watermarks == [*short.watermarks, (evs[-1].arrival_time, math.inf)]
