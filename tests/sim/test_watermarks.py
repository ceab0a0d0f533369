"""Watermark kinds on their own: where each one moves, recomputed from the events by brute force,
when the input ends, what each refuses and prints."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import events
from simulations.events import prepare
from simulations.watermarks import (
    BatchWatermark,
    HeuristicWatermark,
    PerfectWatermark,
    WatermarkTrace,
    check_watermark,
)

FAST = settings(max_examples=60, deadline=None)
INF = math.inf

# event times 0..20 and arrival delays 0..6 on a whole-second grid: ties in both are common
rows = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 6)).map(lambda r: ("k", 1, r[0], r[0] + r[1])),
    max_size=12,
)


def arrival_order(rows_):
    return prepare(events([(k, v, float(t), float(a)) for k, v, t, a in rows_]))


# -- HeuristicWatermark ------------------------------------------------------------------------


def brute_heuristic(evs, delay):
    """After each prefix of the input: its largest event time minus the delay, where it rose."""
    out, last = [], -INF
    for n in range(1, len(evs) + 1):
        wm = max(e.event_time for e in evs[:n]) - delay
        if wm > last:
            out.append((evs[n - 1].arrival_time, n, wm))
            last = wm
    return out


@FAST
@given(rows, st.sampled_from([0, 0.5, 3]))
def test_a_heuristic_watermark_moves_where_the_largest_event_time_rises(rows_, delay):
    evs = arrival_order(rows_)
    assert HeuristicWatermark(delay).moves(evs) == brute_heuristic(evs, delay)


def test_an_event_time_equal_to_the_largest_so_far_does_not_move_it():
    evs = arrival_order([("k", 1, 5, 5), ("k", 1, 5, 6), ("k", 1, 4, 7), ("k", 1, 6, 8)])
    assert HeuristicWatermark(0).moves(evs) == [(5.0, 1, 5.0), (8.0, 4, 6.0)]
    assert HeuristicWatermark(0).moves([]) == []


def test_a_heuristic_watermark_ends_with_the_last_arrival():
    evs = arrival_order([("k", 1, 5, 9), ("k", 1, 1, 4)])
    assert HeuristicWatermark(2).end(evs) == 9.0
    assert HeuristicWatermark(2).end([]) == 0.0


# -- WatermarkTrace ----------------------------------------------------------------------------


@FAST
@given(rows, st.lists(st.integers(0, 30), max_size=6))
def test_a_trace_point_comes_after_every_event_that_arrived_by_its_time(rows_, times):
    evs = arrival_order(rows_)
    points = [(pt, i) for i, pt in enumerate(sorted(times))]
    moves = WatermarkTrace(points).moves(evs)
    assert moves == [(pt, sum(e.arrival_time <= pt for e in evs), wm) for pt, wm in points]


def test_an_event_arriving_at_a_points_time_comes_first():
    evs = arrival_order([("k", 1, 1, 10), ("k", 1, 2, 11)])
    assert WatermarkTrace([(9.5, 0), (10, 1), (10.5, 2), (11, 3)]).moves(evs) == [
        (9.5, 0, 0.0),
        (10.0, 1, 1.0),
        (10.5, 1, 2.0),
        (11.0, 2, 3.0),
    ]


def test_a_trace_ends_at_its_ends_at_or_the_later_of_its_last_point_and_last_arrival():
    evs = arrival_order([("k", 1, 1, 10)])
    assert WatermarkTrace([(5, 0)]).end(evs) == 10.0  # the last arrival is later
    assert WatermarkTrace([(15, 0)]).end(evs) == 15.0  # the last point is later
    assert WatermarkTrace([(10, 0)]).end(evs) == 10.0
    assert WatermarkTrace([]).end(evs) == 10.0
    assert WatermarkTrace([]).end([]) == 0.0
    assert WatermarkTrace([(-5, 0)]).end([]) == 0.0  # (the input "ends" at 0 with no events)
    assert WatermarkTrace([(5, 0)], ends_at=12).end(evs) == 12.0
    assert WatermarkTrace([(5, 0)], ends_at=10).end(evs) == 10.0  # ends with its last event
    with pytest.raises(ValueError, match=r"ends_at must be >= the last arrival time \(10.0\)"):
        WatermarkTrace([(5, 0)], ends_at=9.5).end(evs)


def test_a_trace_keeps_its_points_as_floats_and_accepts_equal_steps_and_infinity():
    t = WatermarkTrace([[1, 2], (1, 2), (3, INF)], ends_at=3)
    assert t.points == ((1.0, 2.0), (1.0, 2.0), (3.0, INF))
    assert all(type(x) is float for point in t.points for x in point)
    assert WatermarkTrace([]).points == ()
    assert WatermarkTrace([(0, 0)], ends_at=0).ends_at == 0


# -- PerfectWatermark --------------------------------------------------------------------------


def brute_perfect(evs):
    """Before event i: the smallest event time still to come, where it rose (and is finite)."""
    out, last = [], -INF
    for i in range(len(evs)):
        wm = min(e.event_time for e in evs[i:])
        if wm > last:
            # it rises when event i-1 has been read, at that event's arrival (at the start: at
            # the first arrival)
            out.append((evs[max(i - 1, 0)].arrival_time, i, wm))
            last = wm
    return out


@FAST
@given(rows)
def test_a_perfect_watermark_is_the_smallest_event_time_still_to_come(rows_):
    evs = arrival_order(rows_)
    assert PerfectWatermark().moves(evs) == brute_perfect(evs)


def test_a_perfect_watermark_by_hand():
    evs = arrival_order([("k", 1, 7, 8), ("k", 1, 3, 9), ("k", 1, 3, 10), ("k", 1, 9, 11)])
    # before anything: 3 is still to come; after both 3s: 7 is done, only 9 is left
    assert PerfectWatermark().moves(evs) == [(8.0, 0, 3.0), (10.0, 3, 9.0)]
    assert PerfectWatermark().moves([]) == []
    assert PerfectWatermark().end(evs) == 11.0
    assert PerfectWatermark(ends_at=12).end(evs) == 12
    assert PerfectWatermark(ends_at=11).end(evs) == 11


# -- BatchWatermark ----------------------------------------------------------------------------


def test_a_batch_watermark_moves_only_at_the_end():
    evs = arrival_order([("k", 1, 7, 8), ("k", 1, 3, 4)])
    assert BatchWatermark().moves(evs) == []
    assert BatchWatermark().end(evs) == 8.0
    assert BatchWatermark(ends_at=600).end(evs) == 600
    assert BatchWatermark(ends_at=0).end([]) == 0
    with pytest.raises(ValueError, match=r"the input cannot end before its last event arrives"):
        BatchWatermark(ends_at=7.9).end(evs)


# -- what each kind refuses and prints ---------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (
            lambda: HeuristicWatermark(-1),
            ValueError,
            "delay must be >= 0 seconds, got -1",
        ),
        (
            lambda: WatermarkTrace("0,0"),
            TypeError,
            "points must be a list of (processing time, watermark) pairs, got str '0,0'",
        ),
        (
            lambda: WatermarkTrace(b"00"),
            TypeError,
            "points must be a list of (processing time, watermark) pairs, got bytes b'00'",
        ),
        (
            lambda: WatermarkTrace({(0, 0)}),
            TypeError,
            "points must be a list of (processing time, watermark) pairs, got set {(0, 0)}",
        ),
        (
            lambda: WatermarkTrace([(0, 0, 0)]),
            ValueError,
            "points[0] must be a (processing time, watermark) pair, got (0, 0, 0)",
        ),
        (
            lambda: WatermarkTrace([(0, 0), 5]),
            ValueError,
            "points[1] must be a (processing time, watermark) pair, got 5",
        ),
        (
            lambda: WatermarkTrace([(0, 0), (1,)]),
            ValueError,
            "points[1] must be a (processing time, watermark) pair, got (1,)",
        ),
        (
            lambda: WatermarkTrace([("0", 0)]),
            TypeError,
            "points[0][0] must be a number, got str '0'",
        ),
        (
            lambda: WatermarkTrace([(INF, 0)]),
            ValueError,
            "points[0][0] must be a finite number, got inf",
        ),
        (
            lambda: WatermarkTrace([(0, "1")]),
            TypeError,
            "points[0][1] must be a number, got str '1'",
        ),
        (
            lambda: WatermarkTrace([(0, -INF)]),
            ValueError,
            "points[0][1] must be a finite number, got -inf",
        ),
        (
            lambda: WatermarkTrace([(1, 0), (0, 1)]),
            ValueError,
            "points must be in order, processing time and watermark never going back (a "
            "watermark is a promise), got (1.0, 0.0) then (0, 1)",
        ),
        (
            lambda: WatermarkTrace([(0, 1), (1, 0)]),
            ValueError,
            "points must be in order, processing time and watermark never going back (a "
            "watermark is a promise), got (0.0, 1.0) then (1, 0)",
        ),
        (
            lambda: WatermarkTrace([], ends_at="9"),
            TypeError,
            "ends_at must be a number, got str '9'",
        ),
        (
            lambda: WatermarkTrace([(5, 0)], ends_at=4.5),
            ValueError,
            "ends_at must be >= the last point's processing time (5.0), got 4.5",
        ),
        (
            lambda: PerfectWatermark(ends_at=INF),
            ValueError,
            "ends_at must be a finite number, got inf",
        ),
        (
            lambda: BatchWatermark(ends_at=True),
            TypeError,
            "ends_at must be a number, got bool True",
        ),
        (
            lambda: check_watermark(5),
            TypeError,
            "watermark must be HeuristicWatermark(delay), WatermarkTrace(points), "
            "PerfectWatermark() or BatchWatermark(), got int 5",
        ),
        (
            lambda: check_watermark("perfect"),
            TypeError,
            "watermark must be HeuristicWatermark(delay), WatermarkTrace(points), "
            "PerfectWatermark() or BatchWatermark(), got str 'perfect'",
        ),
    ],
)
def test_bad_arguments_name_the_parameter(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert str(info.value) == words


def test_check_watermark_returns_what_it_accepts():
    for wm in (HeuristicWatermark(0), WatermarkTrace([]), PerfectWatermark(), BatchWatermark()):
        assert check_watermark(wm) is wm


@pytest.mark.parametrize(
    ("watermark", "text"),
    [
        (HeuristicWatermark(5), "heuristic watermark: max event time - 5s"),
        (HeuristicWatermark(0.25), "heuristic watermark: max event time - 0.25s"),
        (WatermarkTrace([(0, 0), (1, 1), (2, 5)]), "watermark trace of 3 points"),
        (WatermarkTrace([]), "watermark trace of 0 points"),
        (PerfectWatermark(), "perfect watermark"),
        (BatchWatermark(), "batch watermark: complete at the end of the input"),
    ],
)
def test_each_kind_names_itself(watermark, text):
    assert str(watermark) == text
