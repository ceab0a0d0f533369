"""Semantics profiles: each rule of simulations.semantics on a stream small enough to work by hand,
and two properties over every window kind and profile: state is released on time, and every
event is accounted for."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import Engine, ProcessingTime, Session, Sliding, Tumbling, events, run_stream
from simulations.events import prepare
from simulations.semantics import PROFILES, profile
from simulations.stats import latency_stats

EVENT_TIME = ["course", "flink", "beam"]


def k_emissions(r, key="k"):
    return [(e.start, e.end, e.value, e.update, e.timing) for e in r.emissions if e.key == key]


# -- bad parameters ---------------------------------------------------------------------------
def test_unknown_profile_names_the_parameter():
    with pytest.raises(ValueError, match="semantics must be one of 'course', 'flink'"):
        run_stream([], semantics="storm")
    with pytest.raises(ValueError, match="semantics"):
        Engine(Tumbling(10), semantics="Flink")


def test_spark_has_no_allowed_lateness_and_three_output_modes():
    with pytest.raises(ValueError, match="allowed_lateness must be 0"):
        run_stream([], semantics="spark", allowed_lateness=5)
    with pytest.raises(ValueError, match="output_mode must be one of 'append', 'update'"):
        run_stream([], semantics="spark", output_mode="full")
    with pytest.raises(ValueError, match="trigger_interval"):
        run_stream([], semantics="spark", trigger_interval=0)
    with pytest.raises(ValueError, match="output_mode must be 'append' or 'complete' with session"):
        run_stream([], window=Session(5), semantics="spark", output_mode="update")
    with pytest.raises(ValueError, match="semantics='spark' reads micro-batches"):
        Engine(Tumbling(10), semantics="spark")


def test_every_profile_is_named_in_the_panel():
    for name in PROFILES:
        r = run_stream(events([("k", 1, 0.0)]), semantics=name)
        assert r.semantics == name
        assert r.panel().splitlines()[0] == f"Mode: STREAM_PROCESSING [{name} semantics]"


# -- the rules, one at a time ------------------------------------------------------------------
TOUCHING = [("k", 1, 0.0), ("k", 2, 5.0), ("z", 0, 20.0)]  # 5.0 is exactly one gap after 0.0


@pytest.mark.parametrize(
    ("semantics", "sessions"),
    [
        ("course", [(0.0, 5.0, 1), (5.0, 10.0, 2)]),
        ("beam", [(0.0, 5.0, 1), (5.0, 10.0, 2)]),
        ("flink", [(0.0, 10.0, 3)]),
        ("spark", [(0.0, 10.0, 3)]),
    ],
)
def test_touching_sessions_merge_in_flink_and_spark_only(semantics, sessions):
    r = run_stream(events(TOUCHING), window=Session(5), watermark_delay=0, semantics=semantics)
    assert [(s, e, v) for s, e, v, *_ in k_emissions(r)] == sessions


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
@pytest.mark.parametrize(
    ("semantics", "sessions"),
    [
        ("course", [(0.0, 5.0, 1), (5.0, 10.0, 2), (10.0, 15.0, 4)]),
        ("beam", [(0.0, 5.0, 1), (5.0, 10.0, 2), (10.0, 15.0, 4)]),
        ("flink", [(0.0, 15.0, 7)]),
        ("spark", [(0.0, 15.0, 7)]),
    ],
)
def test_touching_sessions_in_every_arrival_order(order, semantics, sessions):
    # events exactly one gap apart, arriving in every order (the earlier event last, too): an
    # event may touch the session before it or the one after it, and the rule must hold both
    # ways. The watermark waits long enough for nothing to be late.
    times, values = (0.0, 5.0, 10.0), (1, 2, 4)
    rows = [("k", values[i], times[i], 20.0 + n) for n, i in enumerate(order)]
    r = run_stream(
        events(rows),
        window=Session(5),
        watermark_delay=100,
        semantics=semantics,
        **({"trigger_interval": 1} if semantics == "spark" else {}),
    )
    assert sorted((s, e, v) for (k, s, e), v in r.final.items()) == sessions
    assert not r.late and not r.dropped


# -- Spark: arrivals exactly on a trigger tick, the watermark exactly at a window's end ----------
def spark(rows, mode="append"):
    return run_stream(
        events(rows),
        window=Tumbling(10),
        watermark_delay=0,
        semantics="spark",
        trigger_interval=5,
        output_mode=mode,
    )


@pytest.mark.parametrize(("arrival", "batch"), [(5.0, 10.0), (4.999, 5.0), (0.0, 5.0)])
def test_an_arrival_exactly_on_a_trigger_tick_waits_for_the_next_batch(arrival, batch):
    # batch n reads what arrived in [(n - 1) * interval, n * interval)
    r = spark([("k", 1, 0.0, arrival)], mode="update")
    assert [e.emitted_at for e in r.emissions] == [batch]


@pytest.mark.parametrize(("t", "written"), [(10.0, (20.0, "on-time")), (9.999, (25.0, "early"))])
def test_append_writes_a_window_once_the_watermark_is_exactly_at_its_end(t, written):
    # batch 15 reads z and moves the watermark to t; at 10 it finishes [0, 10), and the
    # no-data batch at 20 writes it. Just short of 10, only the end of the input writes it.
    r = spark([("k", 1, 1.0, 1.0), ("z", 0, t, 11.0)])
    k = [(e.emitted_at, e.timing) for e in r.emissions if e.key == "k"]
    assert k == [written]


@pytest.mark.parametrize(("t", "dropped"), [(10.0, [4]), (9.999, [])])
def test_a_row_is_dropped_when_its_window_ends_exactly_at_the_previous_batch_watermark(t, dropped):
    # batch 15 moves the watermark to t, batch 20 to 16; the straggler is read by batch 25,
    # which filters late rows with the watermark of the batch before it: t
    rows = [("k", 1, 1.0, 1.0), ("z", 0, t, 11.0), ("z", 0, 16.0), ("k", 4, 2.0, 21.0)]
    for mode in ("append", "update"):
        r = spark(rows, mode)
        assert [x.event.value for x in r.dropped] == dropped
        assert r.final[("k", 0.0, 10.0)] == (1 if dropped else 5)


# the watermark reaches 10 + 2 = end + allowed lateness exactly when the straggler arrives
BOUNDARY = [("k", 1, 1.0), ("z", 0, 12.0), ("k", 4, 3.0, 12.5)]


@pytest.mark.parametrize(
    ("semantics", "late", "dropped", "k"),
    [
        ("course", 1, 0, [(0.0, 10.0, 1, False, "on-time")]),
        ("flink", 0, 1, [(0.0, 10.0, 1, False, "on-time")]),
        ("beam", 0, 0, [(0.0, 10.0, 1, False, "on-time"), (0.0, 10.0, 5, True, "late")]),
    ],
)
def test_an_event_at_watermark_end_plus_lateness_counts_only_in_beam(semantics, late, dropped, k):
    r = run_stream(
        events(BOUNDARY),
        window=Tumbling(10),
        watermark_delay=0,
        allowed_lateness=2,
        semantics=semantics,
    )
    assert (len(r.late), len(r.dropped)) == (late, dropped)
    assert k_emissions(r) == k


def test_beam_counts_an_event_exactly_at_the_watermark_even_with_no_allowed_lateness():
    rows = [("k", 1, 1.0), ("z", 0, 10.0), ("k", 4, 3.0, 10.5)]
    beam = run_stream(events(rows), window=Tumbling(10), watermark_delay=0, semantics="beam")
    assert k_emissions(beam)[-1] == (0.0, 10.0, 5, True, "late")
    flink = run_stream(events(rows), window=Tumbling(10), watermark_delay=0, semantics="flink")
    assert [x.event.value for x in flink.dropped] == [4]


SESSIONS = [
    ("k", 1, 0.0),
    ("z", 0, 7.0),  # watermark 7: [0, 5) emitted; its lateness (3) runs out at 8
    ("k", 8, 7.5),  # a new session [7.5, 12.5)
    ("z", 0, 11.5),  # watermark 11.5
    ("k", 2, 3.0, 12.0),  # own window [3, 8): 11.5 > 8 + 3, late on its own; joins [7.5, 12.5)
]


@pytest.mark.parametrize(
    ("semantics", "late_or_dropped", "k_final"),
    [
        ("course", 0, {(3.0, 12.5): 10, (0.0, 5.0): 1}),
        ("flink", 0, {(3.0, 12.5): 10, (0.0, 5.0): 1}),
        ("beam", 1, {(7.5, 12.5): 8, (0.0, 5.0): 1}),
    ],
)
def test_session_lateness_is_judged_on_the_merged_session_except_in_beam(
    semantics, late_or_dropped, k_final
):
    r = run_stream(
        events(SESSIONS),
        window=Session(5),
        watermark_delay=0,
        allowed_lateness=3,
        semantics=semantics,
    )
    assert len(r.late) + len(r.dropped) == late_or_dropped
    assert {(s, e): v for (k, s, e), v in r.final.items() if k == "k"} == k_final


def test_beam_fires_a_fired_session_again_on_every_element_even_before_its_new_end():
    rows = [("k", 1, 0.0), ("z", 0, 6.0), ("k", 2, 4.5, 6.5), ("k", 4, 8.0)]
    r = run_stream(
        events(rows), window=Session(5), watermark_delay=0, allowed_lateness=5, semantics="beam"
    )
    assert k_emissions(r) == [
        (0.0, 5.0, 1, False, "on-time"),
        # each merge makes a new window: its first pane is not an update (Beam's pane index 0)
        (0.0, 9.5, 3, False, "early"),  # the merge moved the end past the watermark (6)
        (0.0, 13.0, 7, False, "early"),
    ]
    flink = run_stream(events(rows), window=Session(5), watermark_delay=0, allowed_lateness=5)
    assert k_emissions(flink) == [(0.0, 5.0, 1, False, "on-time"), (0.0, 13.0, 7, True, "on-time")]


def test_beam_keeps_sessions_until_the_end_of_the_input():
    rows = [("k", 1, 0.0), ("z", 0, 6.0), ("k", 2, 4.0, 7.0)]  # the repro for lateness 0
    beam = run_stream(events(rows), window=Session(5), watermark_delay=0, semantics="beam")
    assert k_emissions(beam) == [(0.0, 5.0, 1, False, "on-time"), (0.0, 9.0, 3, False, "early")]
    flink = run_stream(events(rows), window=Session(5), watermark_delay=0, semantics="flink")
    assert k_emissions(flink) == [(0.0, 5.0, 1, False, "on-time"), (4.0, 9.0, 2, False, "on-time")]


# -- Spark: micro-batches and output modes ------------------------------------------------------
SPARK_ROWS = [
    ("k", 1, 1.0),  # batch at 5; the watermark becomes 1
    ("k", 2, 12.0),  # batch at 15 (watermark 1, late rows judged with -inf); then 12
    ("k", 4, 5.0, 12.5),  # batch at 15 too: [0, 10) is not finished
    ("k", 8, 6.0, 16.0),  # batch at 20: watermark 12 finishes [0, 10), yet late rows are
    # judged with the watermark of the batch before (1): it still counts
    ("k", 16, 7.0, 21.0),  # batch at 25: [0, 10) ended at or before 12, dropped
]


@pytest.mark.parametrize(
    ("mode", "written"),
    [
        ("append", [(0.0, 13, 20.0), (10.0, 2, 30.0)]),
        ("update", [(0.0, 1, 5.0), (0.0, 5, 15.0), (10.0, 2, 15.0), (0.0, 13, 20.0)]),
        (
            "complete",
            [
                (0.0, 1, 5.0),
                (0.0, 5, 15.0),
                (10.0, 2, 15.0),
                (0.0, 13, 20.0),
                (10.0, 2, 20.0),
                (0.0, 29, 25.0),
                (10.0, 2, 25.0),
            ],
        ),
    ],
)
def test_spark_moves_the_watermark_once_per_micro_batch(mode, written):
    r = run_stream(
        events(SPARK_ROWS),
        window=Tumbling(10),
        watermark_delay=0,
        semantics="spark",
        trigger_interval=5,
        output_mode=mode,
    )
    assert [(e.start, e.value, e.emitted_at) for e in r.emissions] == written
    assert len(r.dropped) == (0 if mode == "complete" else 1)


# -- properties over every window kind and profile ------------------------------------------------
keys = st.sampled_from(["a", "b"])
rows = st.lists(
    st.tuples(keys, st.integers(1, 9), st.integers(0, 120), st.integers(0, 60)), max_size=40
)
windows = st.sampled_from([Tumbling(10), Sliding(10, 5), Session(4), ProcessingTime(10)])
profiles = st.sampled_from(EVENT_TIME)


def windows_of(window, ev):
    if type(window) is Session:
        return 1
    return len(window.assign(ev.event_time))


@settings(max_examples=150, deadline=None)
@given(rows, windows, st.sampled_from(list(PROFILES)), st.sampled_from([0.0, 3.0]))
def test_every_event_is_in_a_result_kept_late_or_dropped_and_counted(
    rows, window, semantics, lateness
):
    evs = events([(k, v, t / 2, t / 2 + d / 2) for k, v, t, d in rows])
    if profile(semantics).micro_batch:
        if type(window) is ProcessingTime:
            return
        lateness = 0.0  # the spark profile runs in append mode here
    r = run_stream(
        evs, window=window, watermark_delay=1.0, allowed_lateness=lateness, semantics=semantics
    )
    last = {}
    for e in r.emissions:
        last[(e.key, e.start, e.end)] = e.count
    counted = sum(n for k, n in last.items() if k in r.final)
    expected = sum(windows_of(window, ev) for ev in evs)
    assert counted + len(r.late) + len(r.dropped) == expected
    assert r.state_sizes == [] or r.state_sizes[-1][1] == 0


def closed(end, wm, lateness, semantics):
    """The profile's rule, stated again from semantics.py: is a window ending at ``end`` closed
    for good at watermark ``wm``? (Beam still accepts an event exactly at end + lateness.)"""
    limit = end + lateness
    return wm > limit if semantics == "beam" else wm >= limit


# times on a half-second grid, often exactly on a multiple of 5 s (a window's end), and delays
# that are multiples of it: the watermark often lands exactly on an end or on end + lateness
on_ends = st.one_of(st.integers(0, 120), st.integers(0, 12).map(lambda i: 10 * i))
boundary_rows = st.lists(
    st.tuples(keys, st.integers(1, 9), on_ends, st.sampled_from([0, 2, 6, 10, 30])), max_size=30
)


def starts_containing(t, size, slide):
    """The starts of the windows [k * slide, k * slide + size) that hold ``t``, by enumeration."""
    first = math.floor((t - size) / slide)
    return [
        k * slide
        for k in range(first, math.floor(t / slide) + 1)
        if k * slide <= t < k * slide + size
    ]


def windows_to_hold(evs, window, delay, lateness, semantics):
    """After each event of ``evs``, the windows a job must still hold, from the rules alone.

    Not a word is asked of the engine: the watermark is the highest event time read so far
    minus ``delay``; an event joins the windows that hold it unless they are closed for good
    at the watermark it meets; a window is held from its first accepted event until it is
    closed for good (sessions: until the end of the input under Beam); sessions merge as the
    profile says; a processing-time window is held while the clock is inside it.
    """
    rules = profile(semantics)
    held: set = set()
    high = -math.inf
    for ev in evs:
        wm, now, key, t = high - delay, ev.arrival_time, ev.key, ev.event_time
        if type(window) is ProcessingTime:
            held = {w for w in held if w[2] > now}
            start = now - now % window.size
            held.add((key, start, start + window.size))
        elif type(window) is Session:
            lo, hi = t, t + window.gap
            if rules.touching_sessions_merge:
                touched = {w for w in held if w[0] == key and w[1] <= hi and lo <= w[2]}
            else:
                touched = {w for w in held if w[0] == key and w[1] < hi and lo < w[2]}
            start = min([lo, *(w[1] for w in touched)])
            end = max([hi, *(w[2] for w in touched)])
            if not closed(end if rules.lateness_on_merged else hi, wm, lateness, semantics):
                held = (held - touched) | {(key, start, end)}
        else:
            size = window.size
            slide = window.slide if type(window) is Sliding else size
            for start in starts_containing(t, size, slide):
                if not closed(start + size, wm, lateness, semantics):
                    held.add((key, start, start + size))
        high = max(high, t)
        if type(window) is not ProcessingTime and not (
            type(window) is Session and rules.sessions_kept
        ):
            held = {w for w in held if not closed(w[2], high - delay, lateness, semantics)}
        yield held


@settings(max_examples=200, deadline=None)
@given(
    boundary_rows,
    st.sampled_from(
        [
            Tumbling(10),
            Sliding(10, 5),
            Session(5),
            Session(4),
            ProcessingTime(10),
            ProcessingTime(5),
        ]
    ),
    profiles,
    st.sampled_from([0.0, 1.0, 5.0]),
    st.sampled_from([0.0, 3.0]),
)
def test_the_state_is_exactly_what_the_window_rules_keep(rows, window, semantics, delay, lateness):
    # The windows in state after every event, recomputed from the raw events and the profile's
    # rules without asking the engine which it retains: nothing released early, nothing kept
    # past its retention, and all released when the input ends.
    evs = events([(k, v, t / 2, t / 2 + d / 2) for k, v, t, d in rows])
    eng = Engine(window, watermark_delay=delay, allowed_lateness=lateness, semantics=semantics)
    for ev, held in zip(evs, windows_to_hold(evs, window, delay, lateness, semantics), strict=True):
        eng.process(ev, ev.arrival_time)
        assert set(eng.accs) == held
        assert eng.state_sizes[-1][1] == len(held)
    if evs:
        eng.finish(evs[-1].arrival_time)
        assert eng.accs == {}
        assert eng.state_sizes[-1][1] == 0


# -- Spark: every figure recomputed from the raw events and the batches -------------------------
def batch_of(ev, interval=5.0):
    """The micro-batch that reads ``ev``: the first tick strictly after its arrival."""
    return (ev.arrival_time // interval + 1) * interval


@settings(max_examples=80, deadline=None)
@given(
    boundary_rows,
    st.sampled_from([Tumbling(10), Sliding(10, 5)]),
    st.sampled_from(["append", "update", "complete"]),
    st.sampled_from([0.0, 2.0, 5.0]),
)
def test_spark_latencies_flags_watermarks_and_state_equal_a_replay(rows, window, mode, delay):
    evs = prepare(events([(k, v, t / 2, t / 2 + d / 2) for k, v, t, d in rows]))
    r = run_stream(
        evs,
        window=window,
        watermark_delay=delay,
        semantics="spark",
        trigger_interval=5,
        output_mode=mode,
    )
    # The watermark after each batch: max event time of the batches read so far - delay, moving
    # only forward, stamped with the batch's time.
    ticks = sorted({batch_of(ev) for ev in evs})
    marks, high = [], -float("inf")
    for tick in ticks:
        high = max([high, *(ev.event_time for ev in evs if batch_of(ev) == tick)])
        if not marks or high - delay > marks[-1][1]:
            marks.append((tick, high - delay))
    assert r.watermarks == marks
    # A window's results count its rows in the order they were read: the n-th row read is in
    # the first result whose count reaches n, and its latency runs from its event time to that
    # result. A window's first result is not an update; every later one is.
    dropped = {(id(x.event), x.start) for x in r.dropped}
    results: dict = {}
    for e in r.emissions:
        results.setdefault((e.key, e.start), []).append(e)
    for written in results.values():
        assert [e.update for e in written] == [False] + [True] * (len(written) - 1)
    seen: dict = {}
    waits = []
    for ev in evs:
        for start, _ in window.assign(ev.event_time):
            if (id(ev), start) in dropped:
                continue
            n = seen[(ev.key, start)] = seen.get((ev.key, start), 0) + 1
            first = next(e for e in results[(ev.key, start)] if e.count >= n)
            waits.append(first.emitted_at - ev.event_time)
    assert r.latency == latency_stats(waits)
    # state is sampled at batch times only (a batch with no data included), empty at the end
    assert all(t % 5 == 0 for t, _ in r.state_sizes)
    if evs:
        assert r.state_sizes[-1][1] == 0


@pytest.mark.parametrize(("t", "dropped"), [(8.0, [4]), (8.001, [])])
def test_spark_drops_a_session_row_whose_own_window_ends_exactly_at_the_previous_watermark(
    t, dropped
):
    # Session(2): the straggler's own window [t, t + 2) ends at 10 or just after; the batch at
    # 25 reads it and filters with the watermark the batch at 15 set: 10
    rows = [("k", 1, 1.0, 1.0), ("z", 0, 10.0, 11.0), ("z", 0, 16.0), ("k", 4, t, 21.0)]
    r = run_stream(
        events(rows),
        window=Session(2),
        watermark_delay=0,
        semantics="spark",
        trigger_interval=5,
    )
    assert [(x.event.value, x.start, x.end) for x in r.dropped] == [(4, t, t + 2) for _ in dropped]


def test_spark_sessions_in_complete_mode_worked_by_hand():
    # k@1 is written alone at 5; k@2 (read at 10) merges into it: [1, 5), an update of the
    # session already written; k@8 opens [8, 11) at 15. Each event's latency runs to the first
    # result that counts it: 5 - 1, 10 - 2, 15 - 8.
    rows = [("k", 1, 1.0, 1.0), ("k", 2, 2.0, 6.0), ("k", 4, 8.0, 11.0)]
    r = run_stream(
        events(rows),
        window=Session(3),
        watermark_delay=0,
        semantics="spark",
        trigger_interval=5,
        output_mode="complete",
    )
    assert [(e.start, e.end, e.value, e.count, e.emitted_at, e.update) for e in r.emissions] == [
        (1.0, 4.0, 1, 1, 5, False),
        (1.0, 5.0, 3, 2, 10, True),
        (1.0, 5.0, 3, 2, 15, True),
        (8.0, 11.0, 4, 1, 15, False),
    ]
    assert r.latency == latency_stats([4.0, 8.0, 7.0])


def test_spark_messages_name_the_parameter():
    with pytest.raises(ValueError) as info:
        run_stream([], semantics="spark", trigger_interval=0)
    assert str(info.value) == "trigger_interval must be > 0 seconds, got 0"
    with pytest.raises(ValueError) as info:
        run_stream([], window=Session(3), semantics="spark", output_mode="update")
    assert str(info.value) == (
        "output_mode must be 'append' or 'complete' with session windows and semantics='spark': "
        "Spark does not support update mode for session windows"
    )


def test_a_profile_prints_its_name_and_the_engine_it_follows():
    assert [str(p) for p in PROFILES.values()] == [
        "course",
        "flink (Apache Flink)",
        "beam (Apache Beam (Python SDK))",
        "spark (Apache Spark Structured Streaming)",
    ]


# -- Engine.retained(): what a reader's check asks of an engine ----------------------------------
def engine_kept_past(wm, semantics="course", window=None, times=(3.0, 12.0)):
    """An engine holding [0, 10) (emitted at 12) and [10, 20) (not yet), whose watermark is
    then moved to ``wm`` by restoring a checkpoint that says so: the state of a job that
    failed to release what it should have."""
    eng = Engine(window or Tumbling(10), watermark_delay=0, allowed_lateness=5.0,
                 semantics=semantics)  # fmt: skip
    for ev in events([("a", 1, t) for t in times]):
        eng.process(ev, ev.arrival_time)
    snap = eng.snapshot()
    eng.restore({**snap, "wm": wm, "max_t": wm})
    return eng


@pytest.mark.parametrize(
    ("wm", "semantics", "named"),
    [
        (14.9, "course", []),
        (15.0, "course", [("a", 0.0, 10.0)]),  # end + lateness: released by now
        (15.0, "beam", []),  # Beam still accepts an event at exactly end + lateness
        (15.1, "beam", [("a", 0.0, 10.0)]),
        (40.0, "flink", [("a", 0.0, 10.0)]),  # [10, 20) has not fired: it is not overdue
    ],
)
def test_retained_names_the_emitted_windows_past_their_retention(wm, semantics, named):
    assert engine_kept_past(wm, semantics).retained() == named


def test_retained_names_nothing_while_beam_keeps_its_sessions():
    # [3, 5) fired when 8 arrived and is kept until the watermark reaches 5 + 5
    for semantics, named in (("beam", []), ("course", [("a", 3.0, 5.0)])):
        eng = engine_kept_past(100.0, semantics, Session(2), times=(3.0, 8.0))
        assert eng.retained() == named
