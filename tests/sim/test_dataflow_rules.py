"""The Dataflow engine at each comparison that decides something: a window's expiry at exactly
end + allowed lateness in each profile, a timer due at an arrival's time, a watermark that does
not move, the global window at the end of the input; and its latencies recomputed from the
panes by brute force."""

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
    Session,
    Sliding,
    Tumbling,
    WatermarkTrace,
    events,
    run_triggered,
)
from simulations.events import prepare
from simulations.stats import latency_stats
from tests.sim.pane_checks import first_answers, first_pane_latencies

FAST = settings(max_examples=60, deadline=None)
LATE_THEN_EACH = AfterWatermark(late=AfterCount(1))


# -- expiry: the watermark at exactly end + allowed lateness ------------------------------------


def straggler_at(watermark, semantics):
    """Window [0, 10), allowed lateness 5: a score of event time 3 arrives at 4, once a trace
    has put the watermark at ``watermark``."""
    return run_triggered(
        events([("a", 1, 3.0, 4.0)]),
        window=Tumbling(10),
        trigger=LATE_THEN_EACH,
        watermark=WatermarkTrace([(3.5, watermark)]),
        allowed_lateness=5,
        semantics=semantics,
    )


@pytest.mark.parametrize("semantics", ["course", "flink", "beam"])
def test_a_straggler_just_before_end_plus_lateness_is_a_late_pane_in_every_profile(semantics):
    r = straggler_at(14.5, semantics)
    assert [(p.value, p.timing, p.emitted_at) for p in r.panes] == [(1, "LATE", 4.0)]
    assert r.late == r.dropped == []


@pytest.mark.parametrize(
    ("semantics", "kept", "dropped", "panes"),
    [
        ("course", 1, 0, 0),  # late at the boundary, kept apart
        ("flink", 0, 1, 0),  # late at the boundary, dropped
        ("beam", 0, 0, 1),  # Beam expires a window only once the watermark is past it
    ],
)
def test_a_straggler_at_exactly_end_plus_lateness(semantics, kept, dropped, panes):
    r = straggler_at(15, semantics)
    assert (len(r.late), len(r.dropped), len(r.panes)) == (kept, dropped, panes)
    for x in [*r.late, *r.dropped]:
        assert (x.event.value, x.start, x.end) == (1, 0.0, 10.0)


@pytest.mark.parametrize(("semantics", "last"), [("course", True), ("beam", False)])
def test_with_no_lateness_the_on_time_pane_is_the_last_where_the_boundary_is_late(semantics, last):
    r = run_triggered(
        events([("a", 1, 3.0), ("a", 1, 10.0)]),
        window=Tumbling(10),
        trigger=LATE_THEN_EACH,
        watermark=HeuristicWatermark(0),
        semantics=semantics,
    )
    [on_time] = r.history("a", 0)
    assert (on_time.timing, on_time.emitted_at, on_time.is_last) == ("ON_TIME", 10.0, last)


@pytest.mark.parametrize("semantics", ["course", "flink", "beam"])
def test_the_global_window_closes_when_the_input_ends_in_every_profile(semantics):
    r = run_triggered(
        events([("a", 1, 1.0), ("a", 2, 2.0), ("a", 4, 3.0)]),
        window=GlobalWindow(),
        trigger=Repeatedly(AfterCount(2)),
        watermark=HeuristicWatermark(0),
        semantics=semantics,
    )
    assert [(p.value, p.count, p.emitted_at, p.is_last) for p in r.panes] == [
        (3, 2, 2.0, False),
        (7, 3, 3.0, True),  # the third score, in the pane written as the window closes
    ]
    assert r.final == {("a", -math.inf, math.inf): 7}


# -- processing time: timers before events, the watermark after them ---------------------------


def test_a_timer_due_at_an_arrival_fires_before_that_element_is_added():
    r = run_triggered(
        events([("a", 1, 1.0), ("a", 2, 2.0, 6.0)]),
        window=Tumbling(100),
        trigger=Repeatedly(AfterProcessingTime(5)),
        watermark=BatchWatermark(ends_at=20),
    )
    assert [(p.value, p.count, p.emitted_at) for p in r.panes] == [
        (1, 1, 6.0),  # due at 1 + 5: the score arriving at 6 is not in it
        (3, 2, 11.0),  # the next pane's first element came at 6
    ]


def test_a_watermark_point_that_does_not_move_the_watermark_is_not_a_move():
    r = run_triggered(
        events([("a", 1, 1.0, 8.0)]),
        window=Tumbling(10),
        watermark=WatermarkTrace([(1, 5), (2, 5), (4, 10)]),
    )
    assert r.watermarks == [(1.0, 5.0), (4.0, 10.0), (8.0, math.inf)]
    assert r.panes == [] and [x.event.value for x in r.late] == [1]  # 10 >= 10 + 0 at 8


def test_a_heuristic_watermark_moves_after_the_event_that_moved_it():
    # the 12 moves the watermark to 10 as it is read: the 3 arriving with it, after it, is late
    r = run_triggered(
        events([("a", 12, 12.0), ("a", 3, 3.0, 12.0)]),
        window=Tumbling(10),
        watermark=HeuristicWatermark(2),
    )
    assert [(x.event.value, x.start) for x in r.late] == [(3, 0.0)]
    assert r.watermarks == [(12.0, 10.0), (12.0, math.inf)]


def test_an_element_for_a_window_the_watermark_has_passed_fires_it_at_once():
    # the trace reaches 10 before [0, 10) has any data: its first element fires the watermark
    # trigger at once, a LATE pane (the output watermark too is past the end), the first of
    # the non-early ones
    r = run_triggered(
        events([("a", 4, 5.0, 7.0), ("a", 1, 6.0, 8.0)]),
        window=Tumbling(10),
        trigger=LATE_THEN_EACH,
        watermark=WatermarkTrace([(1, 9.5), (6, 10)]),
        allowed_lateness=100,
    )
    assert [(p.value, p.timing, p.emitted_at, p.on_time_index) for p in r.panes] == [
        (4, "LATE", 7.0, 0),
        (5, "LATE", 8.0, 1),
    ]


# -- latencies recomputed from the panes -------------------------------------------------------

rows = st.lists(
    st.tuples(st.sampled_from("ab"), st.integers(1, 9), st.integers(0, 40), st.integers(0, 12)),
    max_size=25,
)
leaves = st.one_of(
    st.integers(1, 3).map(AfterCount),
    st.integers(1, 6).map(AfterProcessingTime),
    st.integers(2, 6).map(lambda p: AfterProcessingTime(period=p)),
)
triggers = st.one_of(
    st.builds(AfterWatermark, early=st.none() | leaves, late=st.none() | leaves),
    leaves,
    leaves.map(Repeatedly),
)
watermarks = st.one_of(
    st.integers(0, 6).map(HeuristicWatermark),
    st.just(PerfectWatermark()),
    st.just(BatchWatermark()),
)


@FAST
@given(
    rows,
    st.sampled_from([Tumbling(10), Sliding(10, 5), GlobalWindow()]),
    triggers,
    watermarks,
    st.sampled_from(["course", "flink", "beam"]),
    st.sampled_from([0, 4]),
)
def test_latencies_are_event_time_to_the_first_pane_that_counts_the_event(
    rows_, window, trigger, watermark, semantics, lateness
):
    # on a half-second grid, arrivals often fall exactly on a timer
    evs = prepare(events([(k, v, t / 2, (t + d) / 2) for k, v, t, d in rows_]))
    r = run_triggered(
        evs,
        window=window,
        trigger=trigger,
        watermark=watermark,
        allowed_lateness=lateness,
        semantics=semantics,
    )
    assert r.latency == latency_stats(first_pane_latencies(evs, r))
    assert r.first_answer == latency_stats(first_answers(evs, r))


# -- session windows: a merged session carries what its parts had ------------------------------


def test_a_merged_session_counts_its_parts_elements_towards_an_early_count():
    # [0, 5) and [8, 13) are bridged by the 4 ([4, 9)): three elements, AfterCount(3) fires
    r = run_triggered(
        events([("a", 1, 0.0, 1.0), ("a", 2, 8.0, 9.0), ("a", 4, 4.0, 10.0)]),
        window=Session(5),
        trigger=AfterWatermark(early=AfterCount(3)),
        watermark=BatchWatermark(ends_at=20),
    )
    assert [(p.start, p.end, p.value, p.timing, p.emitted_at) for p in r.panes] == [
        (0.0, 13.0, 7, "EARLY", 10.0),
        (0.0, 13.0, 7, "ON_TIME", 20.0),
    ]


def test_a_merged_session_keeps_the_earliest_timer_and_first_arrival_of_its_parts():
    r = run_triggered(
        events([("a", 1, 0.0, 0.0), ("a", 2, 8.0, 8.0), ("a", 4, 4.0, 9.0)]),
        window=Session(5),
        trigger=Repeatedly(AfterProcessingTime(10)),
        watermark=BatchWatermark(ends_at=30),
    )
    # the parts' timers were due at 10 and 18: the merged session fires at 10, with all three
    assert [(p.start, p.end, p.value, p.emitted_at) for p in r.panes] == [(0.0, 13.0, 7, 10.0)]
    # its first answer: from the first arrival of any part (0) to that pane
    assert (r.first_answer.count, r.first_answer.max) == (1, 10.0)
    assert r.latency == latency_stats([10.0, 2.0, 6.0])
    assert r.final == {("a", 0.0, 13.0): 7}


def brute_sessions(evs, gap, touching):
    """Each key's sessions by merging [t, t + gap) intervals in event-time order."""
    out = {}
    for key in {e.key for e in evs}:
        spans = sorted((e.event_time, e.event_time + gap, e.value) for e in evs if e.key == key)
        merged = []
        for lo, hi, value in spans:
            if merged and (lo <= merged[-1][1] if touching else lo < merged[-1][1]):
                merged[-1][1] = max(merged[-1][1], hi)
                merged[-1][2] += value
            else:
                merged.append([lo, hi, value])
        out.update({(key, lo, hi): total for lo, hi, total in merged})
    return out


@FAST
@given(
    rows,
    st.sampled_from([2, 5]),
    # triggers that never finish: a finished one would refuse its window's later elements
    st.one_of(
        st.builds(AfterWatermark, early=st.none() | leaves, late=leaves), leaves.map(Repeatedly)
    ),
    st.sampled_from(["course", "flink", "beam"]),
)
def test_sessions_merge_as_the_profile_says_whatever_the_arrival_order(
    rows_, gap, trigger, semantics
):
    # a perfect watermark and no lateness limit: nothing is late, every session is complete
    evs = prepare(events([(k, v, float(t), float(t + d)) for k, v, t, d in rows_]))
    r = run_triggered(
        evs,
        window=Session(gap),
        trigger=trigger,
        watermark=PerfectWatermark(),
        allowed_lateness=10**9,
        semantics=semantics,
    )
    assert not r.late and not r.dropped
    touching = semantics == "flink"
    assert r.final == brute_sessions(evs, gap, touching)


@pytest.mark.parametrize("order", ["earlier first", "later first"])
@pytest.mark.parametrize(("semantics", "sessions"), [("course", 2), ("flink", 1), ("beam", 2)])
def test_sessions_that_only_touch_merge_in_flink_alone_in_either_arrival_order(
    order, semantics, sessions
):
    # [0, 2) and [2, 4) share only the instant 2
    rows_ = [("a", 1, 0.0, 5.0), ("a", 2, 2.0, 5.0)]
    r = run_triggered(
        events(rows_ if order == "earlier first" else rows_[::-1]),
        window=Session(2),
        trigger=Repeatedly(AfterCount(1)),
        watermark=PerfectWatermark(),
        allowed_lateness=10**9,  # (else [0, 2) is gone once the watermark reaches 2)
        semantics=semantics,
    )
    assert len(r.final) == sessions
    assert sum(r.final.values()) == 3


@pytest.mark.parametrize("semantics", ["course", "beam"])
def test_a_merged_session_keeps_the_watermark_hold_of_a_part_with_elements_not_in_a_pane(
    semantics,
):
    # the 5 (event time 2) waits for AfterCount(3) in [2, 5) and holds the output watermark at
    # 5; the watermark passes 5 at 16; the 3 (event time 1), arriving at 18, merges into [1, 5)
    # after the watermark, so only the part's hold keeps the output watermark at 5: the pane
    # written when the input ends is ON_TIME, not LATE
    r = run_triggered(
        events([("a", 5, 2.0, 9.0), ("a", 9, 13.0, 16.0), ("a", 3, 1.0, 18.0)]),
        window=Session(3),
        trigger=Repeatedly(AfterCount(3)),
        watermark=HeuristicWatermark(6),
        allowed_lateness=5,
        semantics=semantics,
    )
    assert [(p.start, p.end, p.value, p.timing, p.emitted_at) for p in r.panes] == [
        (1.0, 5.0, 8, "ON_TIME", 18.0),
        (13.0, 16.0, 9, "ON_TIME", 18.0),
    ]


def test_a_window_whose_trigger_finished_writes_nothing_when_it_closes():
    # AfterCount(2) fires once for [10, 20) at 13 and finishes; when the input ends, [0, 10)
    # (its 1 not yet in a pane) gets its pane, and [10, 20) nothing more, although the hold of
    # [0, 10) would make a pane of [10, 20) written then ON_TIME
    r = run_triggered(
        events([("a", 1, 1.0, 11.0), ("a", 2, 11.0, 12.0), ("a", 4, 12.0, 13.0)]),
        window=Tumbling(10),
        trigger=AfterCount(2),
        watermark=BatchWatermark(),
    )
    assert [(p.start, p.value, p.timing, p.emitted_at, p.is_last) for p in r.panes] == [
        (10.0, 6, "EARLY", 13.0, True),
        (0.0, 1, "ON_TIME", 13.0, True),
    ]


@pytest.mark.parametrize("semantics", ["course", "flink", "beam"])
def test_a_session_gone_with_the_watermark_is_no_longer_there_to_merge_with(semantics):
    # [0, 10) closes when the 12 moves the watermark to 12; the 5 arriving next overlaps it
    # but finds only [12, 22) to merge with
    r = run_triggered(
        events([("a", 1, 0.0, 0.0), ("a", 2, 12.0, 12.0), ("a", 4, 5.0, 13.0)]),
        window=Session(10),
        watermark=HeuristicWatermark(0),
        semantics=semantics,
    )
    assert r.final == {("a", 0.0, 10.0): 1, ("a", 5.0, 22.0): 6}
    assert [(p.start, p.end, p.timing, p.emitted_at) for p in r.panes] == [
        (0.0, 10.0, "ON_TIME", 12.0),
        (5.0, 22.0, "ON_TIME", 13.0),
    ]


@pytest.mark.parametrize("semantics", ["course", "flink", "beam"])
def test_a_session_element_too_late_for_its_own_window_is_refused_with_that_window(semantics):
    # the b at 20 moves the watermark to 20; a's [0, 5) is gone; the 3 at event time 3 has
    # its own window [3, 8), which the watermark has passed: late (Beam judges that window,
    # the course and Flink the session it would make, which here is the same)
    r = run_triggered(
        events([("a", 1, 0.0, 0.0), ("b", 1, 20.0, 20.0), ("a", 3, 3.0, 21.0)]),
        window=Session(5),
        watermark=HeuristicWatermark(0),
        semantics=semantics,
    )
    refused = r.late if semantics == "course" else r.dropped
    assert [(x.event.value, x.event.event_time, x.start, x.end) for x in refused] == [
        (3, 3.0, 3.0, 8.0)
    ]
    assert r.late + r.dropped == refused
    assert r.final == {("a", 0.0, 5.0): 1, ("b", 20.0, 25.0): 1}


def test_an_element_of_a_session_whose_trigger_finished_is_refused_with_the_session():
    r = run_triggered(
        events([("a", 1, 0.0, 0.0), ("a", 2, 0.0, 1.0)]),
        window=Session(5),
        trigger=AfterCount(1),
        watermark=BatchWatermark(),
    )
    assert [(p.value, p.is_last) for p in r.panes] == [(1, True)]
    assert [(x.event.value, x.start, x.end) for x in r.late] == [(2, 0.0, 5.0)]


@pytest.mark.parametrize(("top", "fired"), [(13.0, 21.0), (10.0, 18.0)])
def test_a_window_opened_once_the_watermark_reached_its_end_holds_nothing(top, fired):
    # the 9 (event time ``top``) moves the watermark to ``top`` >= 10; the 8 (event time 5,
    # within the allowed lateness) opens [0, 10) after that: no hold keeps the output
    # watermark at 10, so its pane, 6 s later, is LATE
    r = run_triggered(
        events([("a", 9, top, top + 1), ("a", 8, 5.0, top + 2), ("b", 1, 22.0, 22.0)]),
        window=Tumbling(10),
        trigger=Repeatedly(AfterProcessingTime(6)),
        watermark=HeuristicWatermark(0),
        allowed_lateness=5,
        semantics="beam",
    )
    assert [(p.start, p.value, p.timing, p.emitted_at) for p in r.history("a", 0)] == [
        (0.0, 8, "LATE", fired)
    ]


def test_an_element_of_a_window_whose_trigger_finished_is_refused_with_the_window():
    r = run_triggered(
        events([("a", 1, 1.0), ("a", 2, 2.0)]),
        window=Tumbling(10),
        trigger=AfterCount(1),
        watermark=BatchWatermark(),
    )
    assert [(x.event.value, x.start, x.end) for x in r.late] == [(2, 0.0, 10.0)]


def test_after_its_first_pane_that_is_not_early_every_pane_of_a_window_is_late():
    # a's [0, 10) writes EARLY at 2; b's [0, 10) then holds the output watermark at 10 (its 1
    # waits for a second element), so a's pane at 14, after the watermark passed 10, is
    # ON_TIME; every later pane of a's window is LATE, whatever b still holds
    rows = [("a", 1, 1.0), ("a", 1, 2.0), ("b", 1, 3.0), ("c", 1, 12.0)]
    rows += [("a", 1, float(t), float(t + 9)) for t in range(4, 10)]  # arrive at 13 to 18
    r = run_triggered(
        events(rows),
        window=Tumbling(10),
        trigger=Repeatedly(AfterCount(2)),
        watermark=HeuristicWatermark(0),
        allowed_lateness=100,
    )
    assert [(p.timing, p.emitted_at, p.on_time_index) for p in r.history("a", 0)] == [
        ("EARLY", 2.0, -1),
        ("ON_TIME", 14.0, 0),
        ("LATE", 16.0, 1),
        ("LATE", 18.0, 2),
    ]


def test_an_element_late_for_one_sliding_window_still_goes_into_the_next():
    # the watermark is at 25: [0, 20) is gone, [10, 30) still takes the 2 at event time 15
    r = run_triggered(
        events([("a", 1, 25.0), ("a", 2, 15.0, 26.0)]),
        window=Sliding(20, 10),
        watermark=HeuristicWatermark(0),
    )
    assert [(x.event.value, x.start, x.end) for x in r.late] == [(2, 0.0, 20.0)]
    assert r.final == {("a", 10.0, 30.0): 3, ("a", 20.0, 40.0): 1}
