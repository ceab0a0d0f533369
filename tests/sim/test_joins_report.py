"""What a join report shows a reader: panel, table, chart, disagreements and error messages.

Expected texts come from the inputs: each table row holds its match's own fields, formatted as
documented (``-`` for a missing partner); each panel line is worked out by hand below.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import as_of_join, events, interval_join, lookup_join
from simulations._format import num

FAST = settings(deadline=None)

keys = st.sampled_from(["a", "b", ""])
rows = st.lists(
    st.tuples(keys, st.integers(0, 3), st.integers(0, 40), st.integers(0, 20)), max_size=12
).map(lambda rs: events([(k, v, t / 2, t / 2 + d / 2) for k, v, t, d in rs]))

# clicks ad1 at 12, ad2 at 50; a show of ad1 at 5; clicks pair with shows up to 10 s before.
# Worked by hand: the show is held from 5 s; the click of 12 meets it at 12 s (written then, 0 s
# after its arrival) and moves the watermark to min(12, 5) - 2 = 3, which expires nothing; the
# click of 50 finds no ad2 show; the end of the input flushes it with None at 50 s. Held rows:
# 1, 2, 3, then 0.
CLICKS = events([("ad1", 1, 12.0), ("ad2", 1, 50.0)])
SHOWS = events([("ad1", 1, 5.0)])


def test_interval_join_report_text():
    r = interval_join(CLICKS, SHOWS, lower=-10, upper=0, watermark_delay=2, how="left")
    assert r.panel().splitlines() == [
        "Mode: STREAM_JOIN [interval [-10s, 0s]]",
        "Trigger: EVENT + WATERMARK [delay 2s]",
        "Volume: 2 left + 1 right events (0 late, dropped)",
        "Latency: p50=0.0s p95=0.0s p99=0.0s (LOW)",
        "Status: RUNNING [2 output rows, 1 without a partner, peak state 3 rows]",
        "Retention: left until watermark > t + 0s, right until watermark > t + 10s",
    ]
    assert str(r) == r.panel()
    assert r.table().splitlines() == [
        "key  left_time  left  right_time  right  emitted_at",
        "---  ---------  ----  ----------  -----  ----------",
        "ad1         12     1  5           1              12",
        "ad2         50     1  -           -              50",
    ]
    assert r.table(limit=0).splitlines()[2:] == ["... 2 more"]
    chart = r.chart()
    assert chart.title == "State of the interval [-10s, 0s] join"
    assert chart.text.splitlines() == [
        chart.title,
        "  rows in state: 4 points, x 5..50, y 0..3, last (50, 0)",
    ]
    assert ">processing time (s)</text>" in chart.svg and ">rows held</text>" in chart.svg


def test_the_table_shows_eight_rows_unless_told():
    # ten clicks, each 1 s after the one show of its key: ten output rows, written as they come
    clicks = events([(f"k{i}", i, i + 1.0) for i in range(10)])
    shows = events([(f"k{i}", 0, float(i)) for i in range(10)])
    r = interval_join(clicks, shows, lower=-1, upper=0)
    lines = r.table().splitlines()
    assert len(r.matches) == 10 and len(lines) == 2 + 8 + 1
    assert lines[-2].split()[0] == "k7" and lines[-1] == "... 2 more"
    assert len(r.table(limit=10).splitlines()) == 2 + 10


def test_one_of_each_is_singular_and_an_interval_off_zero_is_signed():
    # lower=2, upper=5: the left row of 0 matches the right row of 3; a left row is kept until
    # the watermark passes t + 5, a right row until it passes t - 2.
    left, right = events([("k", 4, 0.0)]), events([("k", 6, 3.0)])
    r = interval_join(left, right, lower=2, upper=5, watermark_delay=None)
    lines = r.panel().splitlines()
    assert lines[1] == "Trigger: EVENT [no watermark]"
    assert lines[4] == "Status: RUNNING [1 output row, 0 without a partner, peak state 2 rows]"
    assert lines[5] == "Retention: everything, forever (no watermark)"
    bounded = interval_join(left, right, lower=2, upper=5)
    assert bounded.retention == "left until watermark > t + 5s, right until watermark > t - 2s"
    before = interval_join(left, right, lower=-5, upper=-2)
    assert before.retention == "left until watermark > t - 2s, right until watermark > t + 5s"
    one = interval_join(left, events([("j", 6, 3.0)]), lower=0, upper=0, watermark_delay=None)
    assert one.panel().splitlines()[4] == (
        "Status: RUNNING [0 output rows, 0 without a partner, peak state 2 rows]"
    )
    alone = interval_join(left, [], lower=0, upper=0, watermark_delay=None)
    assert "peak state 1 row]" in alone.panel()


def test_lookup_join_report_text():
    # orders at 1 and 3; price versions at 0 and 2 (arriving at 0 and 2.5): each order takes the
    # price there when it is processed, at once; a single key, so one row is held from 0 s.
    orders = events([("eur", 7, 1.0), ("eur", 8, 3.0)])
    prices = events([("eur", 100, 0.0), ("eur", 101, 2.0, 2.5)])
    r = lookup_join(orders, prices)
    assert (r.kind, r.left_events, r.right_events) == ("lookup", 2, 2)
    assert r.panel().splitlines() == [
        "Mode: STREAM_JOIN [lookup]",
        "Trigger: EVENT [processing time: the table as it is now]",
        "Volume: 2 left + 2 right events (0 late, dropped)",
        "Latency: p50=0.0s p95=0.0s p99=0.0s (LOW)",
        "Status: RUNNING [2 output rows, 0 without a partner, peak state 1 row]",
        "Retention: latest value per key (rows = keys)",
    ]
    assert [(m.key, m.left.value, m.right.value) for m in r.matches] == [
        ("eur", 7, 100),
        ("eur", 8, 101),
    ]
    assert r.chart().title == "State of the lookup join"


def test_as_of_join_report_text():
    # the order of 1 (arriving at 4) waits for both inputs to pass 1 + 1: the price of 3 arriving
    # at 5 moves the watermark to min(1, 3) - 1 = 0, the order of 6 to min(6, 3) - 1 = 2, and
    # the order is written at 6 s with the price of 0: 2 s after its arrival. The order of 0.5
    # arriving at 7 is behind the watermark: late. The order of 6 waits for the end (7 s).
    orders = events([("eur", 7, 1.0, 4.0), ("eur", 8, 6.0), ("eur", 9, 0.5, 7.0)])
    prices = events([("eur", 100, 0.0), ("eur", 101, 3.0, 5.0)])
    r = as_of_join(orders, prices, watermark_delay=1)
    assert [(m.key, m.left.value, m.right.value, m.emitted_at) for m in r.matches] == [
        ("eur", 7, 100, 6.0),
        ("eur", 8, 101, 7.0),
    ]
    assert (r.kind, r.left_events, r.right_events, r.watermark_delay) == ("as-of", 3, 2, 1)
    assert r.panel().splitlines() == [
        "Mode: STREAM_JOIN [as-of]",
        "Trigger: EVENT + WATERMARK [delay 1s]",
        "Volume: 3 left + 2 right events (1 late, dropped)",
        "Latency: p50=1.5s p95=1.9s p99=2.0s (MEDIUM)",  # 2 s and 1 s, interpolated
        "Status: RUNNING [2 output rows, 0 without a partner, peak state 3 rows]",
        "Retention: events until the watermark passes them; versions from just before it",
    ]
    assert r.latency.max == 2.0
    # the flush at the end writes the order of 6 and keeps one version of the one key
    assert r.state[-1] == (7.0, 1)


@FAST
@given(rows, rows, st.integers(0, 14))
def test_each_table_row_holds_its_match(left, right, limit):
    r = interval_join(left, right, lower=-3, upper=3, watermark_delay=1, how="left")
    lines = r.table(limit=limit).splitlines()
    assert lines[0].split() == ["key", "left_time", "left", "right_time", "right", "emitted_at"]
    shown = r.matches[:limit]
    for line, m in zip(lines[2:], shown, strict=False):
        partner = ["-", "-"] if m.right is None else [num(m.right.event_time), num(m.right.value)]
        fields = [num(m.left.event_time), num(m.left.value), *partner, num(m.emitted_at)]
        assert line.split() == ([m.key] if m.key else []) + fields
    more = len(r.matches) - len(shown)
    assert lines[2 + len(shown) :] == ([f"... {more} more"] if more else [])


@FAST
@given(rows, rows, st.sampled_from([0.0, 1.0, 4.0]))
def test_disagreements_count_left_rows_with_another_partner(orders, prices, delay):
    then = as_of_join(orders, prices, watermark_delay=delay)
    now = lookup_join(orders, prices)
    partner_now = {id(m.left): m.right for m in now.matches}
    expected = sum(1 for m in then.matches if partner_now[id(m.left)] is not m.right)
    assert then.disagreements(now) == expected
    # the lookup join writes every order; rows the as-of join dropped as late are not compared
    partner_then = {id(m.left): m.right for m in then.matches}
    expected = sum(
        1
        for m in now.matches
        if id(m.left) in partner_then and partner_then[id(m.left)] is not m.right
    )
    assert now.disagreements(then) == expected
    assert then.disagreements(then) == 0


def test_disagreements_by_hand():
    # the price of 2 reaches the job only at 5: the lookup join prices the order of 3 (arriving
    # at 3) with 100, the as-of join with 101; the order of 1 gets 100 from both. The late order
    # of 0 (arriving at 9, behind the watermark of 2) is only in the lookup join.
    orders = events([("eur", 7, 1.0), ("eur", 8, 3.0), ("eur", 9, 0.0, 9.0)])
    prices = events([("eur", 100, 0.0), ("eur", 101, 2.0, 5.0)])
    then, now = as_of_join(orders, prices), lookup_join(orders, prices)
    assert [e.value for e in then.late] == [9]
    assert then.disagreements(now) == now.disagreements(then) == 1
    with pytest.raises(TypeError, match="other must be a JoinReport, got list"):
        then.disagreements([])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: interval_join([1], [], lower=0, upper=1), "left[0] must be an Event"),
        (lambda: interval_join([], [1], lower=0, upper=1), "right[0] must be an Event"),
        (lambda: interval_join([], [], lower="0", upper=1), "lower must be a number, got str"),
        (lambda: interval_join([], [], lower=0, upper="1"), "upper must be a number, got str"),
        (
            lambda: interval_join([], [], lower=0, upper=1, watermark_delay=-1),
            "watermark_delay must be >= 0 seconds, got -1",
        ),
        (
            lambda: interval_join([], [], lower=0, upper=1, watermark_delay=None, how="left"),
            "watermark_delay must be a number of seconds for how='left': without a watermark "
            "the join never knows that a left row will find no partner, got None",
        ),
        (lambda: as_of_join([1], []), "stream[0] must be an Event"),
        (lambda: as_of_join([], [1]), "table[0] must be an Event"),
        (
            lambda: as_of_join([], [], watermark_delay=-2),
            "watermark_delay must be >= 0 seconds, got -2",
        ),
        (lambda: lookup_join([], [1]), "table[0] must be an Event"),
        (
            lambda: lookup_join([], []).table(limit=-1),
            "limit must be an int >= 0, got -1",
        ),
    ],
)
def test_messages_name_the_argument(call, message):
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    assert str(caught.value).startswith(message)
