"""TriggerReport's outputs checked against its own fields: the status panel's lines, the table's
rows, the chart's series rebuilt from the panes, and what the report records of its job."""

import math

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
    Repeatedly,
    Sliding,
    Tumbling,
    WatermarkTrace,
    events,
    run_triggered,
)
from simulations import triggers as triggers_module
from simulations._format import num
from simulations.trigger_specs import describe

FAST = settings(max_examples=40, deadline=None)

ROWS = [
    ("a", 1, 1.0),
    ("a", 2, 2.5),
    ("a", 4, 6.0),
    ("b", 3, 7.0, 9.0),
    ("a", 5, 11.0),
    ("a", 8, 3.0, 12.0),  # late for [0, 10), within the allowed lateness
    ("a", 1, 25.0),
    ("b", 2, 1.0, 30.0),  # too late for any pane
]
EVS = events(ROWS)
JOBS = {
    "shorthand, clock": dict(watermark_delay=1, allowed_lateness=5, early_every=2),
    "shorthand, count": dict(watermark_delay=1, allowed_lateness=5, early_count=2),
    "shorthand, none": dict(watermark_delay=1.5, accumulation="discarding", semantics="beam"),
    "spec": dict(trigger=Repeatedly(AfterCount(1)), watermark=BatchWatermark()),
    "spec, shorthand": dict(watermark=HeuristicWatermark(2), early_every=0.5),
    "spec, trace": dict(
        trigger=AfterWatermark(early=AfterProcessingTime(3)),
        watermark=WatermarkTrace([(5, 0), (12, 10)]),
        semantics="flink",
    ),
}


def job(name):
    return run_triggered(EVS, window=Tumbling(10), **JOBS[name])


# -- the status panel --------------------------------------------------------------------------


def expected_trigger_line(r):
    if r.trigger is not None:
        return f"{describe(r.trigger)} [{r.window}, {r.watermark}]"
    early = ""
    if r.early_every is not None:
        early = f"EARLY every {num(r.early_every)}s + "
    elif r.early_count is not None:
        early = f"EARLY every {r.early_count} events + "
    return f"{early}ON_TIME at watermark + LATE per event [{r.window}]"


@pytest.mark.parametrize("name", JOBS)
def test_each_line_of_the_panel_holds_the_reports_own_figures(name):
    r = job(name)
    timings = [p.timing for p in r.panes]
    too_late = len(r.late) + len(r.dropped)
    lines = r.panel().splitlines()
    assert lines[0] == f"Mode: STREAM_PROCESSING [{r.accumulation} panes, {r.semantics} semantics]"
    assert lines[1] == f"Trigger: {expected_trigger_line(r)}"
    assert lines[2] == f"Volume: {len(ROWS)} events ({too_late} too late for any pane)"
    assert lines[3].startswith(f"Latency: {r.latency} (")
    assert lines[4] == (
        f"Status: RUNNING [{len(r.panes)} panes: {timings.count('EARLY')} early, "
        f"{timings.count('ON_TIME')} on-time, {timings.count('LATE')} late]"
    )
    assert lines[5] == f"First answer: max {num(r.first_answer.max)}s after a window's first event"
    assert str(r) == r.panel()


def test_the_panel_by_hand():
    r = job("shorthand, clock")
    assert r.panel().splitlines()[1:3] == [
        "Trigger: EARLY every 2s + ON_TIME at watermark + LATE per event [tumbling 10s]",
        "Volume: 8 events (1 too late for any pane)",
    ]
    r = job("shorthand, count")
    assert "Trigger: EARLY every 2 events + ON_TIME at watermark" in r.panel()
    r = job("spec")
    assert "Trigger: a pane per element [tumbling 10s, batch watermark" in r.panel()
    r = run_triggered([], window=Tumbling(10), early_count=1)
    assert "Trigger: EARLY every 1 event + ON_TIME" in r.panel()
    assert "Status: RUNNING [0 panes: 0 early, 0 on-time, 0 late]" in r.panel()


# -- the table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [0, 1, 3, 10, 11, 100])
def test_each_row_of_the_table_is_a_pane_in_the_order_written(limit):
    r = job("shorthand, clock")
    assert len(r.panes) == 11
    lines = r.table(limit).splitlines()
    assert lines[0].split() == ["key", "window", "timing", "pane", "value", "emitted_at"]
    shown = r.panes[:limit]
    for line, p in zip(lines[2:], shown, strict=False):
        assert line.split() == [
            p.key,
            f"[{num(p.start)},",
            f"{num(p.end)})",
            p.timing,
            str(p.index),
            num(p.value),
            num(p.emitted_at),
        ]
    more = len(r.panes) - len(shown)
    assert lines[2 + len(shown) :] == ([f"... {more} more"] if more else [])
    assert r.table() == r.table(10)


# -- the chart ---------------------------------------------------------------------------------


@pytest.fixture
def drawn(monkeypatch):
    """The series, title and labels each chart is drawn from."""
    calls = []

    def record(series, **kw):
        calls.append({"series": series, **kw})
        return "chart"

    monkeypatch.setattr(triggers_module, "line_chart", record)
    return calls


def staircase(panes, accumulating, last):
    """What a dashboard shows: each pane's accumulated value from its time to the next's."""
    values, total = [], 0
    for p in panes:
        total = p.value if accumulating else total + p.value
        values.append(total)
    points = [(panes[0].emitted_at, values[0])]
    for p, before, after in zip(panes[1:], values, values[1:], strict=False):
        points += [(p.emitted_at, before), (p.emitted_at, after)]
    return [*points, (last, values[-1])]


def test_the_chart_of_a_window_by_hand(drawn):
    r = job("shorthand, clock")
    assert r.chart() == "chart"  # the window with the most panes: a's [0, 10), 5 panes
    (call,) = drawn
    assert call["title"] == "Window [0, 10) of a, pane by pane"
    assert (call["x_label"], call["y_label"]) == ("processing time (s)", "sum")
    # panes at 2, 4, 8 (early), 11 (on time), 12 (late): 1, 3, 7, 7, 15
    assert call["series"] == {
        "value shown": [
            (2.0, 1),
            (4.0, 1),
            (4.0, 3),
            (8.0, 3),
            (8.0, 7),
            (11.0, 7),
            (11.0, 7),
            (12.0, 7),
            (12.0, 15),
            (12.0, 15),  # the window's end + delay (11) is before its last pane
        ],
        "final value": [(2.0, 15), (12.0, 15)],
        "on-time pane": [(11.0, 0), (11.0, 15)],
    }


@pytest.mark.parametrize("name", JOBS)
@pytest.mark.parametrize("accumulation", ["accumulating", "discarding"])
def test_every_chart_is_the_staircase_of_its_windows_panes(drawn, name, accumulation):
    kw = {**JOBS[name], "accumulation": accumulation}
    r = run_triggered(EVS, window=Sliding(10, 5), **kw)
    for key, start in sorted({(p.key, p.start) for p in r.panes}):
        r.chart(key, start)
        panes = r.history(key, start)
        end = panes[0].end
        last = max(panes[-1].emitted_at, end + r.watermark_delay)
        shown = staircase(panes, accumulation == "accumulating", last)
        series = drawn[-1]["series"]
        assert series["value shown"] == shown
        assert series["final value"] == [(panes[0].emitted_at, shown[-1][1]), (last, shown[-1][1])]
        on_time = [p.emitted_at for p in panes if p.timing == "ON_TIME"]
        assert series.get("on-time pane") == (
            [(on_time[0], 0), (on_time[0], shown[-1][1])] if on_time else None
        )
        assert drawn[-1]["title"] == f"Window [{num(start)}, {num(end)}) of {key}, pane by pane"
        assert drawn[-1]["y_label"] == r.aggregate


def test_a_window_ending_after_its_last_pane_is_drawn_until_the_watermark_passes_it(drawn):
    # one pane, when the input ends at 1.5; the watermark (delay 8) would reach 10 at 18
    r = run_triggered(events([("a", 4, 1.0, 1.5)]), window=Tumbling(10), watermark_delay=8)
    r.chart()
    assert drawn[-1]["series"]["value shown"] == [(1.5, 4), (18.0, 4)]


def test_the_default_chart_is_the_window_with_the_most_panes_the_earliest_of_equals(drawn):
    evs = events([("a", 1, 1.0), ("a", 1, 11.0), ("b", 1, 12.0), ("b", 1, 13.0), ("b", 1, 21.0)])
    r = run_triggered(evs, window=Tumbling(10), watermark_delay=0, early_count=1)
    # a's [0, 10) and [10, 20) and b's [10, 20) have two panes each (EARLY, ON_TIME); b's has 3
    sizes = {}
    for p in r.panes:
        sizes[(p.key, p.start)] = sizes.get((p.key, p.start), 0) + 1
    assert sizes == {("a", 0.0): 2, ("a", 10.0): 2, ("b", 10.0): 3, ("b", 20.0): 2}
    r.chart()
    assert drawn[-1]["title"] == "Window [10, 20) of b, pane by pane"
    r = run_triggered(evs[:2], window=Tumbling(10), watermark_delay=0, early_count=1)
    r.chart()
    assert drawn[-1]["title"] == "Window [0, 10) of a, pane by pane"  # 2 panes each: earliest
    r.chart("a", None)  # a key without a start is the default too
    assert drawn[-1]["title"] == "Window [0, 10) of a, pane by pane"


def test_the_global_windows_chart_ends_with_its_last_pane(drawn):
    evs = events([("a", 2, 1.0), ("a", 3, 5.0)])
    r = run_triggered(evs, window=GlobalWindow(), trigger=Repeatedly(AfterCount(1)))
    r.chart()
    call = drawn[-1]
    assert call["title"] == "The global window of a, pane by pane"
    # EARLY at 1 and 5, then ON_TIME when the input ends, at 5: the window never ends
    assert call["series"]["value shown"] == [
        (1.0, 2),
        (5.0, 2),
        (5.0, 5),
        (5.0, 5),
        (5.0, 5),
        (5.0, 5),  # the last pane's time: the global window has no end to draw up to
    ]
    assert call["series"]["on-time pane"] == [(5.0, 0), (5.0, 5)]


def test_a_chart_with_no_panes(drawn):
    r = run_triggered([], window=Tumbling(10))
    r.chart()
    assert drawn == [{"series": {}, "title": "No panes"}]


# -- history -----------------------------------------------------------------------------------


def test_history_takes_a_key_and_a_window_start():
    r = job("shorthand, clock")
    assert [p.index for p in r.history("a", 0)] == [0, 1, 2, 3, 4]
    assert r.history("a", 0.0) == r.history("a", 0)
    assert r.history("b", 0) == [p for p in r.panes if p.key == "b"]
    assert r.history("c", 0) == []
    assert r.history("a", -math.inf) == []
    with pytest.raises(TypeError, match="key must be a str, got int 1"):
        r.history(1, 0)
    with pytest.raises(TypeError, match="start must be a number"):
        r.history("a", "0")
    with pytest.raises(ValueError, match="start must be a finite number"):
        r.history("a", math.inf)


# -- what the report records of its job --------------------------------------------------------


def test_the_report_records_the_job_it_ran():
    r = job("shorthand, clock")
    assert (r.window, r.watermark_delay, r.allowed_lateness) == (Tumbling(10), 1, 5)
    assert (r.early_every, r.early_count, r.trigger, r.watermark) == (2, None, None, None)
    assert (r.aggregate, r.accumulation, r.semantics, r.events) == (
        "sum",
        "accumulating",
        "course",
        8,
    )
    r = job("shorthand, none")
    assert (r.watermark_delay, r.accumulation, r.semantics) == (1.5, "discarding", "beam")
    r = job("spec")
    assert (r.trigger, r.watermark) == (Repeatedly(AfterCount(1)), BatchWatermark())
    assert (r.window, r.allowed_lateness, r.aggregate) == (Tumbling(10), 0, "sum")
    assert (r.watermark_delay, r.early_every, r.early_count) == (0.0, None, None)
    r = run_triggered(EVS, window=Sliding(10, 5), trigger=AfterCount(1), allowed_lateness=7)
    assert (r.window, r.allowed_lateness, r.watermark) == (Sliding(10, 5), 7, HeuristicWatermark(5))
    r = job("spec, shorthand")
    assert (r.watermark_delay, r.early_every) == (2, 0.5)
    assert r.trigger == AfterWatermark(early=AfterProcessingTime(period=0.5), late=AfterCount(1))
    r = run_triggered(EVS, watermark=PerfectWatermark(), early_count=3, aggregate="max")
    assert (r.watermark_delay, r.early_count, r.aggregate) == (0.0, 3, "max")
    assert r.trigger == AfterWatermark(early=AfterCount(3), late=AfterCount(1))


@FAST
@given(
    rows=st.lists(
        st.tuples(st.sampled_from("ab"), st.integers(1, 5), st.integers(0, 40), st.integers(0, 9)),
        max_size=15,
    ),
    spec=st.booleans(),
)
def test_every_event_is_in_its_windows_last_pane_or_in_the_late_events_kept(rows, spec):
    evs = events([(k, v, float(t), float(t + d)) for k, v, t, d in rows])
    if spec:  # the Dataflow engine calls them late_events; the report, late
        r = run_triggered(evs, window=Tumbling(5), watermark=HeuristicWatermark(1))
    else:
        r = run_triggered(evs, window=Tumbling(5), watermark_delay=1)
    assert r.events == len(rows)
    assert r.dropped == []  # the course keeps late events
    counted = sum(r.history(k, s)[-1].count for k, s in {(p.key, p.start) for p in r.panes})
    assert counted + len(r.late) == len(rows)
    for x in r.late:
        assert (x.start, x.end) == (x.event.event_time // 5 * 5, x.event.event_time // 5 * 5 + 5)
