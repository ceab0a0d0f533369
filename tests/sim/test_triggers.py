"""Triggers and panes: hand-worked examples, the properties that tie them to run_stream, errors."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import Session, Sliding, Tumbling, events, run_stream
from simulations.events import prepare
from simulations.stats import latency_stats
from simulations.triggers import Pane, run_triggered
from tests.sim.pane_checks import first_answers, first_pane_latencies

FAST = settings(max_examples=80, deadline=None)

# One key, Tumbling(10), watermark delay 1 s, allowed lateness 5 s, early panes every 2 s.
ROWS = [
    ("a", 1, 1.0),  # arrives at 1.0: first early timer at 2.0
    ("a", 2, 2.5),
    ("a", 4, 6.0),
    ("a", 5, 11.0),  # watermark 10: [0, 10) fires on time at 11
    ("a", 8, 3.0, 12.0),  # late for [0, 10), within the allowed lateness
    ("a", 9, 4.0, 17.0),  # watermark 10 still: late again, within lateness
    ("a", 1, 16.5, 18.0),  # watermark 15.5 >= 10 + 5: [0, 10) is now final
    ("a", 7, 5.0, 19.0),  # too late: kept in .late
]


def run(**kw):
    base = dict(window=Tumbling(10), watermark_delay=1, allowed_lateness=5, early_every=2)
    return run_triggered(events(ROWS), **{**base, **kw})


def test_panes_of_a_window_early_on_time_and_late():
    r = run()
    assert r.history("a", 0) == [
        Pane("a", 0.0, 10.0, 1, 1, 2.0, "EARLY", 0),
        Pane("a", 0.0, 10.0, 3, 2, 4.0, "EARLY", 1),
        Pane("a", 0.0, 10.0, 7, 3, 8.0, "EARLY", 2),
        Pane("a", 0.0, 10.0, 7, 3, 11.0, "ON_TIME", 3),  # fires although nothing new arrived
        Pane("a", 0.0, 10.0, 15, 4, 12.0, "LATE", 4),
        Pane("a", 0.0, 10.0, 24, 5, 17.0, "LATE", 5),
    ]
    assert [x.event.value for x in r.late] == [7]
    assert r.timing_counts() == {"EARLY": 4, "ON_TIME": 2, "LATE": 2}


def test_discarding_panes_carry_only_what_is_new():
    r = run(accumulation="discarding")
    assert [(p.timing, p.value, p.count) for p in r.history("a", 0)] == [
        ("EARLY", 1, 1),
        ("EARLY", 2, 1),
        ("EARLY", 4, 1),
        ("ON_TIME", 0, 0),
        ("LATE", 8, 1),
        ("LATE", 9, 1),
    ]
    assert r.final == run().final  # the window's value is the same; only the panes differ


def test_without_early_firings_the_first_answer_waits_for_the_watermark():
    r = run(early_every=None)
    assert [(p.timing, p.emitted_at) for p in r.history("a", 0)] == [
        ("ON_TIME", 11.0),
        ("LATE", 12.0),
        ("LATE", 17.0),
    ]
    assert r.first_answer.max == 10.0  # window [0, 10): first event at 1.0, first pane at 11.0
    assert run().first_answer.max <= 2.0


def test_an_event_arriving_exactly_at_a_timer_goes_into_the_next_pane():
    evs = events([("a", 1, 0.5), ("a", 2, 2.0), ("a", 4, 30.0)])
    r = run_triggered(evs, window=Tumbling(10), watermark_delay=0, early_every=2)
    assert [(p.timing, p.value, p.emitted_at) for p in r.history("a", 0)] == [
        ("EARLY", 1, 2.0),
        ("EARLY", 3, 4.0),
        ("ON_TIME", 3, 30.0),
    ]


def test_early_count_writes_a_pane_every_n_events_of_a_window():
    r = run(early_every=None, early_count=1)  # Beam: AfterWatermark(early=AfterCount(1))
    assert [(p.timing, p.value, p.emitted_at) for p in r.history("a", 0)] == [
        ("EARLY", 1, 1.0),  # at the event's arrival: no clock
        ("EARLY", 3, 2.5),
        ("EARLY", 7, 6.0),
        ("ON_TIME", 7, 11.0),
        ("LATE", 15, 12.0),  # once on time, every late event fires, whatever the count
        ("LATE", 24, 17.0),
    ]
    two = run(early_every=None, early_count=2, accumulation="discarding")
    assert [(p.timing, p.value, p.count) for p in two.history("a", 0)] == [
        ("EARLY", 3, 2),
        ("ON_TIME", 4, 1),  # the third event waited for the watermark
        ("LATE", 8, 1),
        ("LATE", 9, 1),
    ]
    assert "EARLY every 2 events" in two.panel()


def test_sliding_windows_fire_every_window_an_event_belongs_to():
    evs = events([("a", 1, 1.0), ("a", 2, 6.0), ("a", 3, 30.0)])
    r = run_triggered(evs, window=Sliding(10, 5), watermark_delay=0, early_every=5)
    assert [(p.start, p.timing, p.value) for p in r.panes if p.timing == "EARLY"] == [
        (-5.0, "EARLY", 1),
        (0.0, "EARLY", 1),
        (0.0, "EARLY", 3),
        (5.0, "EARLY", 2),
    ]


def test_panel_table_and_charts():
    r = run()
    panel = r.panel()
    for line in ("Mode:", "Trigger: EARLY every 2s", "Volume: 8 events", "Latency:", "Status:"):
        assert line in panel
    assert "First answer: max 1s" in panel
    assert "ON_TIME" in r.table()
    assert "Window [0, 10) of a" in r.chart().title
    assert r.chart("a", 10).title.startswith("Window [10, 20)")
    assert "final value: 2 points" in r.chart().text


def test_empty_input():
    r = run_triggered([], window=Tumbling(10), early_every=1)
    assert r.panes == [] and r.final == {}
    assert "0 events" in r.panel()
    assert r.chart().title == "No panes"


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        (dict(early_every=0), "early_every must be > 0 seconds"),
        (dict(early_every=-1), "early_every must be > 0"),
        (dict(accumulation="retracting"), "accumulation must be one of"),
        (dict(accumulation="discarding", aggregate="mean"), "accumulation='discarding' needs"),
        (dict(window=Session(5)), "window must be Tumbling(size) or Sliding"),
        (dict(watermark_delay=-1), "watermark_delay must be >= 0"),
        (dict(aggregate="median"), "aggregate must be one of"),
        (dict(semantics="spark"), "semantics must be 'course', 'flink' or 'beam'"),
        (dict(early_every=None, early_count=0), "early_count must be an int >= 1"),
        (dict(early_count=1), "early_count must be None when early_every is set"),
        (dict(semantics="storm"), "semantics must be one of"),
    ],
)
def test_bad_arguments_name_the_parameter(kw, words):
    with pytest.raises(ValueError, match=None) as info:
        run(**kw)
    assert words in str(info.value)


def test_bad_arguments_of_report_methods():
    r = run()
    with pytest.raises(ValueError, match="limit must be an int >= 0"):
        r.table(limit=-1)
    with pytest.raises(ValueError, match="start must be the start of a window"):
        r.chart("a", 7)
    with pytest.raises(TypeError, match="early_every must be a number"):
        run(early_every="1s")
    with pytest.raises(TypeError, match="early_count must be an int"):
        run(early_every=None, early_count=1.5)


# -- properties --------------------------------------------------------------------------------

keys = st.sampled_from(["a", "b"])
tenths = st.integers(0, 1200).map(lambda i: i / 10)
windows = st.sampled_from([Tumbling(5), Tumbling(10), Sliding(10, 5), Sliding(6, 2)])
stream = st.lists(st.tuples(keys, st.integers(1, 9), tenths, st.integers(0, 300)), max_size=40).map(
    lambda rows: events([(k, v, t, round(t + d / 10, 1)) for k, v, t, d in rows])
)
settings_ = dict(
    semantics=st.sampled_from(["course", "flink", "beam"]),
    watermark_delay=st.sampled_from([0.0, 1.0, 4.0]),
    allowed_lateness=st.sampled_from([0.0, 3.0, 15.0]),
    early_every=st.sampled_from([None, 0.5, 1.0, 7.0]),
)


def by_window(panes):
    out = {}
    for p in panes:
        out.setdefault((p.key, p.start, p.end), []).append(p)
    return out


@FAST
@given(
    evs=stream,
    window=windows,
    aggregate=st.sampled_from(["sum", "count", "max", "mean"]),
    **settings_,
)
def test_last_accumulating_pane_equals_run_stream(
    evs, window, aggregate, semantics, watermark_delay, allowed_lateness, early_every
):
    kw = dict(
        window=window,
        watermark_delay=watermark_delay,
        allowed_lateness=allowed_lateness,
        semantics=semantics,
    )
    r = run_triggered(evs, aggregate=aggregate, early_every=early_every, **kw)
    s = run_stream(evs, aggregate=aggregate, **kw)
    assert {k: panes[-1].value for k, panes in by_window(r.panes).items()} == s.final
    assert r.final == s.final
    assert (r.late, r.dropped) == (s.late, s.dropped)
    # early panes change nothing the watermark and the allowed lateness decide
    assert [
        (p.key, p.start, p.end, p.value, p.count, p.emitted_at)
        for p in r.panes
        if p.timing != "EARLY"
    ] == [(e.key, e.start, e.end, e.value, e.count, e.emitted_at) for e in s.emissions]


@FAST
@given(evs=stream, window=windows, aggregate=st.sampled_from(["sum", "count"]), **settings_)
def test_discarding_panes_add_up_to_the_accumulating_value(
    evs, window, aggregate, semantics, watermark_delay, allowed_lateness, early_every
):
    kw = dict(
        window=window,
        aggregate=aggregate,
        semantics=semantics,
        watermark_delay=watermark_delay,
        allowed_lateness=allowed_lateness,
        early_every=early_every,
    )
    acc = by_window(run_triggered(evs, **kw).panes)
    dis = by_window(run_triggered(evs, accumulation="discarding", **kw).panes)
    assert acc.keys() == dis.keys()
    for k, panes in acc.items():
        running = 0
        for a, d in zip(panes, dis[k], strict=True):
            running += d.value
            assert (a.timing, a.index, a.emitted_at) == (d.timing, d.index, d.emitted_at)
            assert running == a.value  # every discarding prefix sums to the accumulating pane


@FAST
@given(evs=stream, window=windows, **settings_)
def test_pane_structure(evs, window, semantics, watermark_delay, allowed_lateness, early_every):
    r = run_triggered(
        evs,
        window=window,
        semantics=semantics,
        watermark_delay=watermark_delay,
        allowed_lateness=allowed_lateness,
        early_every=early_every,
    )
    windows_panes = by_window(r.panes)
    for panes in windows_panes.values():
        timings = [p.timing for p in panes]
        assert timings.count("ON_TIME") <= 1
        # early panes, then at most one on-time pane, then late panes
        assert timings == sorted(timings, key=["EARLY", "ON_TIME", "LATE"].index)
        if "ON_TIME" not in timings:  # the window's first event was already late
            assert set(timings) == {"LATE"}
        assert [p.index for p in panes] == list(range(len(panes)))
        # this engine fills is_first only (Pane equality leaves the PaneInfo flags out)
        assert [p.is_first for p in panes] == [i == 0 for i in range(len(panes))]
        assert not any(p.is_last for p in panes) and {p.on_time_index for p in panes} == {-1}
        assert [p.emitted_at for p in panes] == sorted(p.emitted_at for p in panes)
        for p in panes:
            if p.timing == "EARLY":  # aligned timers: a multiple of early_every
                ticks = round(p.emitted_at / early_every)
                assert ticks * early_every == pytest.approx(p.emitted_at)
    if early_every is not None and r.panes:
        assert r.first_answer.max <= early_every
    # every (event, window) pair is in the window's last pane, or too late for it
    assigned = sum(len(window.assign(e.event_time)) for e in evs)
    in_panes = sum(ps[-1].count for ps in windows_panes.values())
    assert in_panes + len(r.late) + len(r.dropped) == assigned


@FAST
@given(
    evs=stream,
    window=windows,
    aggregate=st.sampled_from(["sum", "count"]),
    early_count=st.integers(1, 4),
    semantics=settings_["semantics"],
    watermark_delay=settings_["watermark_delay"],
    allowed_lateness=settings_["allowed_lateness"],
)
def test_early_count_panes(
    evs, window, aggregate, early_count, semantics, watermark_delay, allowed_lateness
):
    kw = dict(
        window=window,
        aggregate=aggregate,
        semantics=semantics,
        watermark_delay=watermark_delay,
        allowed_lateness=allowed_lateness,
    )
    acc = run_triggered(evs, early_count=early_count, **kw)
    dis = run_triggered(evs, early_count=early_count, accumulation="discarding", **kw)
    s = run_stream(evs, **kw)
    assert acc.final == s.final
    # the watermark's panes are run_stream's results; early panes come before them
    assert [(p.key, p.start, p.value, p.emitted_at) for p in acc.panes if p.timing != "EARLY"] == [
        (e.key, e.start, e.value, e.emitted_at) for e in s.emissions
    ]
    for k, panes in by_window(dis.panes).items():
        early = [p for p in panes if p.timing == "EARLY"]
        assert all(p.count == early_count for p in early)  # exactly n new events each
        assert panes[: len(early)] == early
        assert sum(p.count for p in panes) == by_window(acc.panes)[k][-1].count


# -- per-event latencies recomputed from the panes ----------------------------------------------

grid_rows = st.lists(
    st.tuples(st.sampled_from("ab"), st.integers(1, 9), st.integers(0, 60), st.integers(0, 12)),
    max_size=30,
)


@FAST
@given(
    grid_rows,
    st.sampled_from([Tumbling(10), Sliding(10, 5)]),
    st.sampled_from(["course", "flink", "beam"]),
    st.sampled_from([0.0, 2.0]),
    st.sampled_from([0.0, 3.0]),
    st.sampled_from([None, 1.0, 2.5]),
)
def test_latencies_are_event_time_to_the_first_pane_that_counts_the_event(
    rows, window, semantics, delay, lateness, early_every
):
    # on a half-second grid, arrivals often fall exactly on an early timer
    evs = prepare(events([(k, v, t / 2, (t + d) / 2) for k, v, t, d in rows]))
    r = run_triggered(
        evs,
        window=window,
        watermark_delay=delay,
        allowed_lateness=lateness,
        early_every=early_every,
        semantics=semantics,
    )
    assert r.latency == latency_stats(first_pane_latencies(evs, r))
    assert r.first_answer == latency_stats(first_answers(evs, r))
