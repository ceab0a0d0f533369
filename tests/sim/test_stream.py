"""The stream engine on small hand-written streams whose results are worked out by hand.

Every test runs against both engines: the tumbling fast path behind run_stream and the general
Engine (run_general), which must agree exactly.
"""

import gc
import re

import pytest

from simulations import (
    Emission,
    LateEvent,
    ProcessingTime,
    Session,
    Sliding,
    Tumbling,
    events,
    run_stream,
)
from simulations.stream import run_general
from simulations.windows import MINUTE


def general(
    evs,
    *,
    window=MINUTE,
    watermark_delay=5.0,
    allowed_lateness=0.0,
    aggregate="sum",
    throughput=None,
):
    return run_general(evs, window, watermark_delay, allowed_lateness, aggregate, throughput)


ENGINES = pytest.mark.parametrize("run", [run_stream, general], ids=["fast", "general"])

# (key, value, event_time, arrival_time); Tumbling(10) with a watermark delay of 2 s.
ROWS = [
    ("a", 1, 1.0, 1.0),
    ("b", 2, 4.0, 5.0),
    ("a", 3, 9.0, 10.0),  # max event time 9: watermark 7
    ("a", 4, 12.0, 12.0),  # watermark 10 >= 10: [0, 10) is emitted at 12
    ("b", 5, 8.0, 13.0),  # its window [0, 10) closed at watermark 10: late
    ("b", 6, 15.0, 16.0),
    ("a", 7, 21.0, 22.0),
    ("a", 8, 22.0, 24.0),  # watermark 20: [10, 20) is emitted at 24
]  # end of input at 24: [20, 30) is flushed at 24


def em(key, start, end, value, count, at, update=False):
    return Emission(key, start, end, value, count, at, update)


@ENGINES
def test_tumbling_emissions_late_data_and_watermarks(run):
    evs = events(ROWS)
    r = run(evs, window=Tumbling(10), watermark_delay=2.0)
    assert r.emissions == [
        em("a", 0.0, 10.0, 4, 2, 12.0),
        em("b", 0.0, 10.0, 2, 1, 12.0),
        em("a", 10.0, 20.0, 4, 1, 24.0),
        em("b", 10.0, 20.0, 6, 1, 24.0),
        em("a", 20.0, 30.0, 15, 2, 24.0),
    ]
    assert r.late == [LateEvent(evs[4], 0.0, 10.0)]
    assert r.watermarks == [
        (1.0, -1.0),
        (5.0, 2.0),
        (10.0, 7.0),
        (12.0, 10.0),
        (16.0, 13.0),
        (22.0, 19.0),
        (24.0, 20.0),
    ]
    assert r.final == {
        ("a", 0.0, 10.0): 4,
        ("b", 0.0, 10.0): 2,
        ("a", 10.0, 20.0): 4,
        ("b", 10.0, 20.0): 6,
        ("a", 20.0, 30.0): 15,
    }
    # open (key, window) states after each change; at 12 a window opens and two close
    assert r.state_sizes == [(1.0, 1), (5.0, 2), (12.0, 1), (16.0, 2), (22.0, 3), (24.0, 0)]
    # latency per on-time event: 12-1, 12-4, 12-9, 24-12, 24-15, 24-21, 24-22
    assert r.latency.count == 7
    assert r.latency.p50 == 8.0
    assert r.latency.max == 12.0
    assert r.latency.mean == pytest.approx(48 / 7)
    # window latency: 2, 2, 4, 4, and -6 for [20, 30) flushed at 24
    assert r.window_latency.count == 5
    assert r.window_latency.max == 4.0
    assert r.window_latency.p50 == 2.0
    assert r.machine_seconds == 23.0
    assert r.throughput == pytest.approx(8 / 23)
    assert r.events == 8


@ENGINES
def test_allowed_lateness_updates_then_drops(run):
    rows = [*ROWS[:7], ("a", 9, 5.0, 23.0), ROWS[7]]  # a straggler for [0, 10) at watermark 19
    evs = events(rows)
    r = run(evs, window=Tumbling(10), watermark_delay=2.0, allowed_lateness=5.0)
    assert r.emissions == [
        em("a", 0.0, 10.0, 4, 2, 12.0),
        em("b", 0.0, 10.0, 2, 1, 12.0),
        em("b", 0.0, 10.0, 7, 2, 13.0, update=True),  # b5 at watermark 10 < 10 + 5
        em("a", 10.0, 20.0, 4, 1, 24.0),
        em("b", 10.0, 20.0, 6, 1, 24.0),
        em("a", 20.0, 30.0, 15, 2, 24.0),
    ]
    assert [(x.event.value, x.start, x.end) for x in r.late] == [(9, 0.0, 10.0)]
    assert r.final[("b", 0.0, 10.0)] == 7
    # emitted windows stay in state until watermark >= end + 5: [0, 10) leaves at 22 (wm 19)
    assert r.state_sizes == [(1.0, 1), (5.0, 2), (12.0, 3), (16.0, 4), (22.0, 3), (24.0, 0)]
    assert len(r.updates) == 1


@ENGINES
def test_late_window_never_opened_is_emitted_at_once_not_as_update(run):
    rows = [("a", 1, 1.0), ("a", 2, 12.0), ("b", 3, 5.0, 13.0)]
    r = run(events(rows), window=Tumbling(10), watermark_delay=0.0, allowed_lateness=10.0)
    assert r.emissions == [
        em("a", 0.0, 10.0, 1, 1, 12.0),
        em("b", 0.0, 10.0, 3, 1, 13.0, update=False),  # first result for b: not an update
        em("a", 10.0, 20.0, 2, 1, 13.0),
    ]


@ENGINES
@pytest.mark.parametrize(
    ("aggregate", "values"),
    [("sum", (4, 15)), ("count", (2, 2)), ("mean", (2.0, 7.5)), ("max", (3, 8))],
)
def test_aggregates(run, aggregate, values):
    rows = [("a", 1, 1.0), ("a", 3, 9.0), ("a", 7, 21.0), ("a", 8, 22.0)]
    r = run(events(rows), window=Tumbling(10), watermark_delay=0.0, aggregate=aggregate)
    assert [e.value for e in r.emissions] == list(values)


@ENGINES
def test_watermark_delay_zero_emits_when_the_next_window_starts(run):
    r = run(events([("a", 1, 0.0), ("a", 1, 10.0)]), window=Tumbling(10), watermark_delay=0.0)
    assert [(e.start, e.emitted_at) for e in r.emissions] == [(0.0, 10.0), (10.0, 10.0)]


def test_sliding_windows():
    rows = [("a", 1, 3.0), ("a", 2, 7.0), ("a", 4, 12.0)]
    r = run_stream(events(rows), window=Sliding(10, 5), watermark_delay=0.0)
    # 3 is in [-5, 5) and [0, 10); 7 in [0, 10) and [5, 15); 12 in [5, 15) and [10, 20)
    assert [(e.start, e.end, e.value, e.emitted_at) for e in r.emissions] == [
        (-5.0, 5.0, 1, 7.0),
        (0.0, 10.0, 3, 12.0),
        (5.0, 15.0, 6, 12.0),
        (10.0, 20.0, 4, 12.0),
    ]


def test_session_windows_per_key():
    rows = [("a", 1, 0.0), ("a", 2, 3.0), ("b", 4, 4.0), ("a", 8, 20.0)]
    r = run_stream(events(rows), window=Session(5), watermark_delay=0.0)
    # a: 0 and 3 are closer than 5 apart: one session [0, 8); b alone: [4, 9); a again [20, 25)
    assert [(e.key, e.start, e.end, e.value, e.count, e.emitted_at) for e in r.emissions] == [
        ("a", 0.0, 8.0, 3, 2, 20.0),
        ("b", 4.0, 9.0, 4, 1, 20.0),
        ("a", 20.0, 25.0, 8, 1, 20.0),
    ]


def test_session_event_bridging_two_sessions_merges_them():
    rows = [("a", 1, 30.0), ("a", 2, 38.0), ("a", 4, 34.0, 39.0)]
    r = run_stream(events(rows), window=Session(5), watermark_delay=10.0)
    # [30, 35) and [38, 43) both overlap [34, 39): one session [30, 43)
    assert r.emissions == [em("a", 30.0, 43.0, 7, 3, 39.0)]
    assert r.state_sizes == [(30.0, 1), (38.0, 2), (39.0, 0)]


def test_session_late_event():
    rows = [("a", 1, 0.0), ("a", 2, 10.0), ("a", 4, 2.0, 11.0)]
    r = run_stream(events(rows), window=Session(5), watermark_delay=0.0)
    assert [(x.event.value, x.start, x.end) for x in r.late] == [(4, 2.0, 7.0)]
    assert r.final == {("a", 0.0, 5.0): 1, ("a", 10.0, 15.0): 2}


def test_session_update_within_lateness_replaces_the_emitted_session():
    rows = [("a", 1, 0.0), ("a", 2, 10.0), ("a", 4, 4.0, 11.0)]
    r = run_stream(events(rows), window=Session(5), watermark_delay=0.0, allowed_lateness=20)
    # 4 joins [0, 5): the session becomes [0, 9), emitted at once as an update
    assert r.emissions == [
        em("a", 0.0, 5.0, 1, 1, 10.0),
        em("a", 0.0, 9.0, 5, 2, 11.0, update=True),
        em("a", 10.0, 15.0, 2, 1, 11.0),
    ]
    assert r.final == {("a", 0.0, 9.0): 5, ("a", 10.0, 15.0): 2}


def test_processing_time_windows_count_by_arrival():
    rows = [("a", 1, 1.0, 2.0), ("a", 2, 5.0, 12.0), ("a", 4, 13.0), ("a", 8, 19.0, 25.0)]
    r = run_stream(events(rows), window=ProcessingTime(10))
    # the event from t=5 arrives at 12 and counts in [10, 20): no watermark, no lateness
    assert r.emissions == [
        em("a", 0.0, 10.0, 1, 1, 10.0),
        em("a", 10.0, 20.0, 6, 2, 20.0),
        em("a", 20.0, 30.0, 8, 1, 30.0),
    ]
    assert r.late == []
    assert r.window_latency.max == 0.0
    # the event-time view of the same data differs: that is the lesson
    et = run_stream(events(rows), window=Tumbling(10), watermark_delay=10.0)
    assert et.final[("a", 0.0, 10.0)] == 3


def test_throughput_limit_queues_events():
    rows = [("a", 1, 0.0), ("a", 1, 0.5), ("a", 1, 11.0)]
    r = run_stream(events(rows), window=Tumbling(10), watermark_delay=0.0, throughput=1.0)
    # each event takes 1 s: done at 1, 2 (queued behind the first) and 12
    assert [(e.start, e.value, e.emitted_at) for e in r.emissions] == [
        (0.0, 2, 12.0),
        (10.0, 1, 12.0),
    ]
    assert r.machine_seconds == 12.0
    fast = run_stream(events(rows), window=Tumbling(10), watermark_delay=0.0, throughput=4.0)
    # 0.25 s each: done at 0.25, 0.75 and 11.25
    assert [e.emitted_at for e in fast.emissions] == [11.25, 11.25]


def test_a_run_leaves_the_garbage_collector_as_it_found_it():
    assert gc.isenabled()
    run_stream(events(ROWS), window=Tumbling(10))
    assert gc.isenabled()


def test_empty_stream():
    r = run_stream([])
    assert r.emissions == [] and r.late == [] and r.latency.count == 0
    assert r.machine_seconds == 0.0


def test_events_are_processed_in_arrival_order_whatever_the_list_order():
    from simulations import Event

    evs = [Event("a", 1, 12.0), Event("a", 2, 1.0)]
    r = run_stream(evs, window=Tumbling(10), watermark_delay=0.0)
    assert r.final == {("a", 0.0, 10.0): 2, ("a", 10.0, 20.0): 1}
    assert r.late == []


def test_float_values_sum_the_same_in_both_engines():
    rows = [("a", 0.1, 1.0), ("a", 0.2, 2.0), ("a", 0.3, 3.0)]
    fast = run_stream(events(rows), window=Tumbling(10))
    slow = general(events(rows), window=Tumbling(10))
    assert fast.final == slow.final == {("a", 0.0, 10.0): 0.6}


def test_report_text():
    r = run_stream(events(ROWS), window=Tumbling(10), watermark_delay=2.0)
    lines = r.panel().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Mode",
        "Trigger",
        "Volume",
        "Latency",
        "Status",
    ]
    assert lines[0] == "Mode: STREAM_PROCESSING [course semantics]"
    assert lines[1] == "Trigger: EVENT [tumbling 10s, watermark delay 2s]"
    assert lines[2] == "Volume: 8 events (1 late)"
    assert lines[3].startswith("Latency: p50=8.0s")
    table = r.table(limit=2)
    assert "... 3 more" in table and "late events" in table
    assert r.table().count("\n") == 1 + 5 + 1  # header, rule, 5 rows, late line
    # the chart draws the watermark trace itself: 7 points, left to right, rising (SVG y
    # grows downward), then the processing-time diagonal from the first to the last arrival
    chart = r.chart()
    lines = [
        [tuple(map(float, xy.split(","))) for xy in pts.split()]
        for pts in re.findall(r'<polyline points="([^"]+)"', chart.svg)
    ]
    assert [len(points) for points in lines] == [len(r.watermarks), 2]
    xs, ys = zip(*lines[0], strict=True)
    assert list(xs) == sorted(xs) and list(ys) == sorted(ys, reverse=True)
    assert "watermark: 7 points, x 1..24, y -1..20, last (24, 20)" in chart.text


@ENGINES
def test_state_is_dropped_and_events_are_late_exactly_at_end_plus_lateness(run):
    rows = [("a", 1, 1.0), ("a", 2, 15.0), ("a", 4, 3.0, 15.5), ("a", 8, 16.0)]
    r = run(events(rows), window=Tumbling(10), watermark_delay=0.0, allowed_lateness=5.0)
    # at 15 the watermark is 15 = 10 + 5: [0, 10) is emitted and dropped at once
    assert r.state_sizes == [(1.0, 1), (15.0, 1), (16.0, 0)]
    assert [(x.event.value, x.start) for x in r.late] == [(4, 0.0)]
    assert [e.update for e in r.emissions] == [False, False]


def test_session_state_leaves_when_its_lateness_runs_out_and_a_straggler_opens_its_own():
    rows = [("a", 1, 0.0), ("b", 2, 17.5), ("a", 4, 1.0, 18.0)]
    r = run_stream(events(rows), window=Session(2), watermark_delay=0.0, allowed_lateness=15.0)
    # at 17.5, a's [0, 2) is emitted and its lateness has run out (17.5 >= 2 + 15): its state
    # leaves. a4 at t=1 is within lateness for its own session [1, 3) (3 + 15 > 17.5), which
    # overlaps nothing still in state: a new session, emitted at once since 17.5 >= 3.
    assert r.emissions == [
        em("a", 0.0, 2.0, 1, 1, 17.5),
        em("a", 1.0, 3.0, 4, 1, 18.0),
        em("b", 17.5, 19.5, 2, 1, 18.0),
    ]
    assert r.emissions[1].timing == "late"
    assert r.final == {("a", 0.0, 2.0): 1, ("a", 1.0, 3.0): 4, ("b", 17.5, 19.5): 2}


def test_a_session_made_by_a_merge_leaves_state_when_its_own_lateness_runs_out():
    rows = [
        ("k", 1, 0.0),
        ("z", 100, 6.0),
        ("k", 2, 4.0, 6.5),  # merges into the emitted [0, 5): [0, 9)
        ("k", 8, 10.0),
        ("z", 100, 16.0),  # watermark 16 >= 9 + 2: [0, 9) leaves state
        ("k", 4, 8.0, 16.5),  # overlaps [10, 15) only
    ]
    r = run_stream(events(rows), window=Session(5), watermark_delay=0, allowed_lateness=2)
    finals = {(s, e): v for (k, s, e), v in r.final.items() if k == "k"}
    assert finals == {(0.0, 9.0): 3, (8.0, 15.0): 12}
    assert [e for e in r.emissions if e.key == "k"][-1] == em("k", 8.0, 15.0, 12, 2, 16.5, True)
    assert r.state_sizes[-1] == (16.5, 0)


def test_the_answer_does_not_depend_on_when_an_on_time_straggler_arrives():
    early = [("k", 1, 0.0), ("z", 100, 6.0), ("k", 2, 4.0, 6.0), ("k", 8, 10.0)]
    late = [("k", 1, 0.0), ("z", 100, 6.0), ("k", 2, 4.0, 6.5), ("k", 8, 10.0)]
    tail = [("z", 100, 16.0), ("k", 4, 8.0, 16.5)]
    a, b = (
        run_stream(events(rows + tail), window=Session(5), watermark_delay=0, allowed_lateness=2)
        for rows in (early, late)
    )
    assert a.final == b.final


def test_with_no_allowed_lateness_a_session_emits_no_update():
    rows = [("k", 1, 0.0), ("z", 1, 6.0), ("k", 2, 4.0, 7.0)]
    r = run_stream(events(rows), window=Session(5), watermark_delay=0, allowed_lateness=0)
    k = [(e.start, e.end, e.value, e.update) for e in r.emissions if e.key == "k"]
    assert k == [(0.0, 5.0, 1, False), (4.0, 9.0, 2, False)]
    assert r.updates == []
