"""Stream joins: each result equals a brute-force join over the rows the retention rules keep,
and the state never holds more than those rules allow."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import as_of_join, events, interval_join, lookup_join

FAST = settings(max_examples=80, deadline=None)
INF = math.inf

keys = st.sampled_from(["a", "b"])


def stream_of(max_delay, max_size=25):
    row = st.tuples(keys, st.integers(1, 9), st.integers(0, 600), st.integers(0, max_delay * 10))
    return st.lists(row, max_size=max_size).map(
        lambda rows: events([(k, v, t / 10, round(t / 10 + d / 10, 1)) for k, v, t, d in rows])
    )


streams = stream_of(20)
delays = st.sampled_from([0.0, 1.0, 5.0])


def replay(left, right, delay):
    """Processing order, and for each row the join's watermark just before it and after it."""
    rows = sorted(
        [(e.arrival_time, 1, i, e) for i, e in enumerate(right)]
        + [(e.arrival_time, 2, i, e) for i, e in enumerate(left)],
        key=lambda r: r[:3],
    )
    high = {1: -INF, 2: -INF}
    out = []
    for _, side, _, e in rows:
        before = min(high.values()) - delay
        high[side] = max(high[side], e.event_time)
        out.append((side, e, before, min(high.values()) - delay))
    return out


def test_lookup_join_uses_the_table_as_it_was_at_processing_time():
    orders = events([("eur", 2, 10.0, 12.0), ("eur", 3, 11.0, 11.0), ("usd", 1, 5.0)])
    rates = events([("eur", 114, 0.0), ("eur", 116, 11.0, 11.5)])
    r = lookup_join(orders, rates)
    got = [(m.left.value, m.right and m.right.value) for m in r.matches]
    assert got == [(1, None), (3, 114), (2, 116)]
    assert r.max_state == 1 and r.late == [] and r.latency.max == 0


def test_as_of_join_waits_for_the_watermark_and_ignores_later_versions():
    orders = events([("eur", 2, 10.0, 12.0), ("eur", 1, 30.0)])
    rates = events([("eur", 114, 0.0), ("eur", 116, 11.0), ("eur", 118, 40.0)])
    r = as_of_join(orders, rates, watermark_delay=0)
    assert [(m.left.event_time, m.right.value, m.emitted_at) for m in r.matches] == [
        (10.0, 114, 30.0),
        (30.0, 116, 40.0),
    ]
    assert r.latency.max == 18.0  # the first order waited from 12 s to 30 s


def test_as_of_join_drops_late_rows_and_old_versions():
    orders = events([("k", 1, 50.0), ("k", 2, 20.0, 60.0)])  # the second arrives 40 s late
    rates = events([("k", 7, 0.0), ("k", 8, 10.0), ("k", 9, 45.0), ("k", 5, 55.0)])
    r = as_of_join(orders, rates, watermark_delay=5)
    assert [e.value for e in r.late] == [2]
    assert [(m.left.value, m.right.value) for m in r.matches] == [(1, 9)]


def test_as_of_join_cleans_up_after_an_out_of_order_version():
    # v3 (time 3) arrives after v2 (time 8) but is not late: it becomes the key's second version
    table = events([("k", 1, 1.0), ("k", 2, 8.0), ("k", 3, 3.0, 9.0)])
    stream = events([("k", 0, 2.0), ("k", 0, 30.0)])
    r = as_of_join(stream, table, watermark_delay=0)
    assert [(m.left.event_time, m.right.value) for m in r.matches] == [(2.0, 1), (30.0, 2)]
    # after the last row the watermark is 8: v1 is dropped, v3 (still valid at 8) and v2 stay,
    # and the row at 30 waits
    assert r.state[-2][1] == 3


def test_interval_join_inner_and_left():
    clicks = events([("ad1", 1, 12.0), ("ad2", 1, 50.0), ("ad1", 1, 41.0)])
    shows = events([("ad1", 1, 5.0), ("ad1", 1, 40.0)])
    inner = interval_join(clicks, shows, lower=-10, upper=0)
    assert sorted((m.left.event_time, m.right.event_time) for m in inner.matches) == [
        (12.0, 5.0),
        (41.0, 40.0),
    ]
    left = interval_join(clicks, shows, lower=-10, upper=0, watermark_delay=2, how="left")
    unmatched = [m for m in left.matches if m.right is None]
    assert [m.left.event_time for m in unmatched] == [50.0]
    assert unmatched[0].emitted_at == 50.0  # written when the input ends and flushes the state


def test_without_a_watermark_the_interval_join_keeps_everything():
    clicks = events([("k", 1, float(t)) for t in range(0, 100, 2)])
    shows = events([("k", 1, float(t)) for t in range(1, 100, 2)])
    r = interval_join(clicks, shows, lower=-3, upper=0, watermark_delay=None)
    assert r.max_state == len(clicks) + len(shows)
    bounded = interval_join(clicks, shows, lower=-3, upper=0, watermark_delay=1)
    assert bounded.max_state <= 6
    assert {(id(m.left), id(m.right)) for m in r.matches} == {
        (id(m.left), id(m.right)) for m in bounded.matches
    }


def test_beam_semantics_join_a_late_row_with_the_rows_still_held():
    shows = events([("ad", 1, 10.0), ("ad", 2, 5.0, 14.0)])  # the second arrives late
    clicks = events([("ad", 1, 6.0, 6.5), ("ad", 1, 12.0), ("ad", 1, 13.0)])
    kw = dict(lower=0, upper=30, watermark_delay=0)
    course = interval_join(shows, clicks, **kw)
    beam = interval_join(shows, clicks, semantics="beam", **kw)
    pairs = lambda r: [(m.left.event_time, m.right.event_time) for m in r.matches]  # noqa: E731
    assert pairs(course) == [(10.0, 12.0), (10.0, 13.0)]
    # the show of 5.0 arrives at watermark 10: the clicks of 12 and 13 are still held, the one
    # of 6 left when the watermark passed 6
    assert pairs(beam) == [(10.0, 12.0), (10.0, 13.0), (5.0, 12.0), (5.0, 13.0)]
    assert [e.value for e in course.late] == [e.value for e in beam.late] == [2]
    assert "1 late, dropped" in course.panel()
    assert "1 late, joined all the same" in beam.panel()
    left = interval_join(shows, clicks, semantics="beam", how="left", **kw)
    assert left.unmatched == 0


def test_join_report_panel_table_and_chart():
    clicks = events([("ad1", 1, 12.0), ("ad2", 1, 50.0)])
    shows = events([("ad1", 1, 5.0)])
    r = interval_join(clicks, shows, lower=-10, upper=0, watermark_delay=2, how="left")
    panel = r.panel()
    for line in ("Mode: STREAM_JOIN [interval [-10s, 0s]]", "Trigger: EVENT + WATERMARK"):
        assert line in panel
    assert "Retention: left until watermark > t + 0s" in panel
    assert "ad2" in r.table() and r.chart().svg.startswith("<svg")


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: interval_join([], [], lower=5, upper=1), "lower must be <= upper"),
        (lambda: interval_join([], [], lower=0, upper=1, how="outer"), "how must be one of"),
        (
            lambda: interval_join([], [], lower=0, upper=1, semantics="flink"),
            "semantics must be one of 'course', 'beam'",
        ),
        (
            lambda: interval_join([], [], lower=0, upper=1, watermark_delay=None, how="left"),
            "watermark_delay must be a number",
        ),
        (lambda: interval_join([], [], lower=0, upper=1, watermark_delay=-1), "watermark_delay"),
        (lambda: as_of_join([], [], watermark_delay=-2), "watermark_delay must be >= 0"),
        (lambda: lookup_join([1], []), "stream[0] must be an Event"),
        (lambda: lookup_join([], "x"), "table must be a list of Event"),
    ],
)
def test_bad_arguments(call, words):
    with pytest.raises(
        (ValueError, TypeError), match=words.replace("[", r"\[").replace("]", r"\]")
    ):
        call()


# -- properties ---------------------------------------------------------------------------------


@FAST
@given(streams, streams)
def test_lookup_join_equals_brute_force(left, right):
    r = lookup_join(left, right)
    expected = []
    for e in sorted(left, key=lambda e: e.arrival_time):
        versions = [
            (x.arrival_time, i, x)
            for i, x in enumerate(right)
            if x.key == e.key and x.arrival_time <= e.arrival_time
        ]
        expected.append((id(e), id(max(versions, key=lambda v: v[:2])[2]) if versions else None))
    assert [(id(m.left), m.right and id(m.right)) for m in r.matches] == expected
    assert all(m.key == m.left.key and m.emitted_at == m.left.arrival_time for m in r.matches)
    assert r.max_state <= len({e.key for e in right})


@FAST
@given(streams, streams, st.sampled_from([(-5.0, 0.0), (-2.0, 3.0), (1.0, 8.0)]), delays)
def test_interval_join_state_is_exactly_what_retention_keeps(left, right, bounds, delay):
    lower, upper = bounds
    r = interval_join(left, right, lower=lower, upper=upper, watermark_delay=delay)
    order = replay(left, right, delay)
    seen = []
    for step, (side, e, before, after) in enumerate(order):
        if e.event_time >= before:
            seen.append((side, e))
        allowed = sum(
            1
            for s, x in seen
            if (x.event_time + upper >= after if s == 2 else x.event_time - lower >= after)
        )
        assert r.state[step][1] == allowed


@FAST
@given(streams, streams, st.sampled_from([(-5.0, 0.0), (-2.0, 3.0), (1.0, 8.0)]), delays)
def test_beam_semantics_adds_pairs_of_late_rows_only(left, right, bounds, delay):
    lower, upper = bounds
    kw = dict(lower=lower, upper=upper, watermark_delay=delay)
    course = interval_join(left, right, **kw)
    beam = interval_join(left, right, semantics="beam", **kw)
    pairs = lambda r: {(id(m.left), id(m.right)) for m in r.matches}  # noqa: E731
    every = {
        (id(x), id(y))
        for x in left
        for y in right
        if x.key == y.key and x.event_time + lower <= y.event_time <= x.event_time + upper
    }
    assert pairs(course) <= pairs(beam) <= every
    late = {id(e) for e in beam.late}
    assert [id(e) for e in course.late] == [id(e) for e in beam.late]
    assert all(a in late or b in late for a, b in pairs(beam) - pairs(course))
    assert len(beam.matches) == len(pairs(beam))  # each pair once


@FAST
@given(streams, streams, delays)
def test_interval_left_join_writes_every_kept_left_row(left, right, delay):
    r = interval_join(left, right, lower=-4, upper=1, watermark_delay=delay, how="left")
    late = {id(e) for e in r.late}
    partners = {}
    for m in r.matches:
        partners.setdefault(id(m.left), []).append(m.right)
    for e in left:
        if id(e) in late:
            assert id(e) not in partners
        else:
            found = partners[id(e)]
            assert found == [None] or (found and None not in found)


@FAST
@given(stream_of(20, max_size=30), stream_of(20, max_size=15), delays)
def test_as_of_join_equals_brute_force_and_keeps_bounded_versions(stream, table, delay):
    r = as_of_join(stream, table, watermark_delay=delay)
    order = replay(stream, table, delay)
    late = {id(e) for _, e, before, _ in order if e.event_time < before}
    assert {id(e) for e in r.late} == late
    kept_versions = [(i, e) for i, (s, e, _, _) in enumerate(order) if s == 1 and id(e) not in late]
    expected = {}
    for s, e, _, _ in order:
        if s == 2 and id(e) not in late:
            valid = [(v.event_time, i, v) for i, v in kept_versions if v.key == e.key]
            valid = [x for x in valid if x[0] <= e.event_time]
            expected[id(e)] = id(max(valid, key=lambda x: x[:2])[2]) if valid else None
    got = {id(m.left): m.right and id(m.right) for m in r.matches}
    assert all(m.key == m.left.key for m in r.matches)
    assert len(got) == len(r.matches) and got == expected
    # state: rows waiting for the watermark + per key the versions at or after it, plus one
    for step, (_, _, _, after) in enumerate(order):
        so_far = [(s, e) for s, e, before, _ in order[: step + 1] if e.event_time >= before]
        waiting = sum(1 for s, e in so_far if s == 2 and e.event_time >= after)
        bound = waiting
        for key in {e.key for s, e in so_far if s == 1}:
            times = [e.event_time for s, e in so_far if s == 1 and e.key == key]
            bound += sum(1 for t in times if t >= after) + any(t < after for t in times)
        assert r.state[step][1] == bound
