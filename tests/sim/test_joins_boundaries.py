"""Stream joins at the edges: each comparison that decides a match, a row's retention or its
lateness, tried exactly at its bound, in both arrival orders, worked out by hand.

Conventions of the examples: ``events`` rows are (key, value, event_time[, arrival_time]);
the join's watermark is min(max left time, max right time) - delay, moved after each row.
"""

import pytest

from simulations import as_of_join, events, interval_join


def pairs(report):
    """(left value, right value or None, emitted_at) of each output row, in output order."""
    return [(m.left.value, m.right and m.right.value, m.emitted_at) for m in report.matches]


@pytest.mark.parametrize("left_first", [True, False])
@pytest.mark.parametrize("delay", [None, 100.0])
def test_interval_bounds_are_inclusive_on_both_sides_in_either_arrival_order(left_first, delay):
    # lower=-2, upper=3 around a left row at 10: right rows at 8 and 13 match, 7.9 and 13.1 not
    at = (20.0, 21.0) if left_first else (21.0, 20.0)  # arrival of the left row, of the rights
    left = events([("k", 10, 10.0, at[0])])
    right = events([("k", v, t, at[1]) for v, t in [(1, 7.9), (2, 8.0), (3, 13.0), (4, 13.1)]])
    r = interval_join(left, right, lower=-2, upper=3, watermark_delay=delay)
    assert sorted(m.right.value for m in r.matches) == [2, 3]
    assert all(m.key == m.left.key == m.right.key == "k" for m in r.matches)


@pytest.mark.parametrize("left_first", [True, False])
def test_a_zero_width_interval_matches_equal_times_only(left_first):
    at = (20.0, 21.0) if left_first else (21.0, 20.0)
    left = events([("k", 1, 5.0, at[0])])
    right = events([("k", 2, 5.0, at[1]), ("k", 3, 5.1, at[1])])
    r = interval_join(left, right, lower=0, upper=0, watermark_delay=None)
    assert [(m.left.value, m.right.value) for m in r.matches] == [(1, 2)]
    assert r.kind == "interval [0s, 0s]"


def test_a_right_row_expiring_exactly_at_the_watermark_is_kept():
    # lower=1, upper=5: l + 1 <= r <= l + 5. A right row is kept while t - 1 >= watermark.
    left = events([("k", 1, 10.0, 21.0), ("k", 2, 10.0, 24.0)])
    right = events([("k", 7, 20.0, 22.0), ("k", 8, 11.0, 23.0)])
    r = interval_join(left, right, lower=1, upper=5, watermark_delay=0)
    # at 22 s the watermark is min(10, 20) = 10; the right row of 11 arrives at 23 s, 11 - 1 = 10
    # is not behind it, so the row is kept and meets the left row of 10 arriving at 24 s
    assert pairs(r) == [(1, 8, 23.0), (2, 8, 24.0)]
    assert r.late == []


def test_a_left_row_expiring_exactly_at_the_watermark_is_kept():
    # lower=-5, upper=-1: l - 5 <= r <= l - 1. A left row is kept while t - 1 >= watermark.
    left = events([("k", 1, 20.0, 22.0), ("k", 2, 11.0, 23.0)])
    right = events([("k", 7, 10.0, 21.0), ("k", 8, 10.0, 24.0)])
    r = interval_join(left, right, lower=-5, upper=-1, watermark_delay=0)
    # at 22 s the watermark is min(20, 10) = 10; the left row of 11 (23 s) is kept, 11 - 1 = 10
    # is not behind it, and meets the right row of 10 arriving at 24 s
    assert pairs(r) == [(2, 7, 23.0), (2, 8, 24.0)]


def test_a_row_exactly_at_the_watermark_is_on_time_and_one_just_below_is_late():
    left = events([("k", 1, 10.0), ("k", 2, 10.0, 11.0), ("k", 3, 9.9, 12.0)])
    right = events([("k", 7, 10.0)])
    r = interval_join(left, right, lower=0, upper=0, watermark_delay=0)
    assert [e.value for e in r.late] == [3]
    assert pairs(r) == [(1, 7, 10.0), (2, 7, 11.0)]


def test_left_join_writes_a_row_whose_interval_has_passed_at_once():
    # lower=-5, upper=-1, delay 0. At 22 s the watermark is min(20, 9.5) = 9.5. The left rows
    # of 10 (key j, 23 s) and 10.4 (24 s) are on time, but 10 - 1 and 10.4 - 1 are behind it:
    # neither is kept. The row of j has no partner and is written with None at once; 10.4 met
    # the right row of 8 (5.4 <= 8 <= 9.4) and is not written again.
    left = events([("k", 1, 20.0, 22.0), ("j", 2, 10.0, 23.0), ("k", 3, 10.4, 24.0)])
    right = events([("k", 8, 8.0, 20.5), ("k", 9, 9.5, 21.0)])
    r = interval_join(left, right, lower=-5, upper=-1, watermark_delay=0, how="left")
    assert pairs(r) == [(2, None, 23.0), (3, 8, 24.0), (1, None, 24.0)]
    assert [m.key for m in r.matches] == ["j", "k", "k"]
    inner = interval_join(left, right, lower=-5, upper=-1, watermark_delay=0)
    assert pairs(inner) == [(3, 8, 24.0)]


def test_left_join_writes_an_expired_row_when_the_watermark_passes_it():
    # lower=-1, upper=0, delay 0. The left row of 5 is kept until the watermark passes 5: the
    # left row of 10 (at 10 s) moves it to min(10, 6) = 6. The row of 10 leaves at the end (20 s).
    left = events([("k", 1, 5.0), ("k", 2, 10.0)])
    right = events([("k", 7, 6.0), ("k", 8, 20.0)])
    r = interval_join(left, right, lower=-1, upper=0, watermark_delay=0, how="left")
    assert pairs(r) == [(1, None, 10.0), (2, None, 20.0)]
    assert [n for _, n in r.state] == [1, 2, 2, 2, 0]


def test_the_watermark_delay_defaults_to_zero():
    # the left row of 9.5 arrives after both inputs reached 10: late with no delay, not with 1 s
    left = events([("k", 1, 10.0), ("k", 2, 9.5, 11.0)])
    right = events([("k", 7, 10.0)])
    for report in (
        interval_join(left, right, lower=-1, upper=1),
        as_of_join(left, right),
    ):
        assert report.watermark_delay == 0.0
        assert [e.value for e in report.late] == [2]
    assert [
        e.value for e in interval_join(left, right, lower=-1, upper=1, watermark_delay=1).late
    ] == []


def test_as_of_join_keeps_the_version_just_before_the_watermark():
    # versions of k at 10, 5, 3 arrive in that order (none late: the stream has not started);
    # the order of 10 arriving at 14 s moves the watermark to 10. Versions at or after 10 stay (10),
    # plus the one just before (5); 3 goes. At the end the order is written with version 10.
    table = events([("k", 10, 10.0, 11.0), ("k", 5, 5.0, 12.0), ("k", 3, 3.0, 13.0)])
    stream = events([("k", 0, 10.0, 14.0)])
    r = as_of_join(stream, table)
    assert [n for _, n in r.state] == [1, 2, 3, 3, 1]
    assert pairs(r) == [(0, 10, 14.0)]
    assert r.matches[0].key == "k"


def test_as_of_join_drops_old_versions_by_event_time_not_by_arrival_rank():
    # Three rows of another key come first, so the versions of k are the 4th to 7th rows
    # processed: a rule that compared the wrong field would keep them. At 4 s both inputs
    # have reached 2: versions 0 and 1 of k are behind the watermark, 0 goes.
    stream = events(
        [("x", 0, 0.0, 0.0), ("x", 0, 0.0, 0.1), ("x", 0, 0.0, 0.2), ("k", 0, 2.0, 4.0)]
    )
    table = events([("k", 0, 0.0, 1.0), ("k", 1, 1.0, 2.0), ("k", 2, 2.0, 3.0)])
    r = as_of_join(stream, table)
    # state: waiting orders + versions held, after each row and after the final flush
    assert [n for _, n in r.state] == [1, 2, 3, 4, 5, 6, 3, 1]
    assert [(m.left.key, m.right and m.right.value) for m in r.matches] == [
        ("x", None),
        ("x", None),
        ("x", None),
        ("k", 2),
    ]


def test_as_of_join_of_nothing():
    r = as_of_join([], [])
    assert r.matches == [] and r.late == [] and r.state == [(0.0, 0)] and r.max_state == 0
