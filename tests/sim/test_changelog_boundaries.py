"""Changelogs at the edges: when a CDC run stops, how long a delivery takes, what a generated
log looks like, how a view groups values Python calls equal, and the message for each malformed
log, each worked out from the inputs."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.changelog import (
    Change,
    MaterializedView,
    changes,
    compact,
    fold,
    generate_changes,
    run_cdc,
)

CDC = "CDC upserts"


def test_a_log_delivered_at_time_0_still_waits_for_a_compaction():
    # both changes of u1 are committed and delivered at 0, and exported at 0; the topic is
    # compacted first at 300 s, which the run must reach to show it compacted
    log = changes([("u1", "a", 0), ("u1", "b", 0)])
    r = run_cdc(log, cdc_delay=0, export_every=600, compact_every=300, sample_every=100)
    assert [t for t, _ in r.stale[CDC]] == [0, 100, 200, 300]
    assert [c.offset for c in r.topic] == [1]
    assert r.sizes["compacted topic"][-3:] == [(300, 2), (300, 1), (300, 1)]


def test_nothing_to_deliver_runs_to_the_first_compaction():
    r = run_cdc([], export_every=600, compact_every=300, sample_every=100)
    assert [t for t, _ in r.stale[CDC]] == [0, 100, 200, 300]
    assert r.changes == 0 and r.topic == [] and r.stale_share(CDC) == 0.0


def test_the_run_waits_for_a_compaction_that_comes_after_the_last_export():
    # delivered at 100: the export at 120 has it, but the first compaction after it is at 300
    log = changes([("u1", "a", 50), ("u1", "b", 100)])
    r = run_cdc(log, cdc_delay=0, export_every=60, compact_every=300, sample_every=60)
    assert r.stale[CDC][-1][0] == 300
    assert [c.offset for c in r.topic] == [1]


@pytest.mark.parametrize("cdc_delay", [0.5, 2.0])
def test_deliveries_take_cdc_delay_on_average(cdc_delay):
    # commits 100 s apart, so no delivery waits behind the one before it: each change's wait is
    # its own exponential delay, of mean cdc_delay; 400 of them give the mean within 5% (1 sd)
    log = changes([(f"u{i % 7}", i, 100.0 * i) for i in range(400)])
    r = run_cdc(log, cdc_delay=cdc_delay, export_every=100, compact_every=100, seed=3)
    waits = r.latency[CDC]
    assert waits.count == 400
    assert 0.8 * cdc_delay < waits.mean < 1.2 * cdc_delay
    assert 0 < waits.p50 < waits.max
    # deliveries are on the millisecond clock of the log, so the longest wait is whole ms
    assert abs(waits.max * 1000 - round(waits.max * 1000)) < 1e-6


def test_generated_rows_are_u0_to_u_keys_and_times_a_poisson_clock_in_milliseconds():
    log = generate_changes(keys=4, rate=2, duration=500, seed=5)
    assert {c.key for c in log} == {"u0", "u1", "u2", "u3"}
    times = [c.time for c in log]
    assert all(round(t, 3) == t for t in times)
    assert any(t != round(t) for t in times)  # not whole seconds
    # about rate changes per second: the mean gap is 1 / rate (1000 gaps: within 10%)
    assert 0.45 < (times[-1] - times[0]) / (len(times) - 1) < 0.55
    assert 495 < times[-1] < 500


def test_the_default_duration_is_an_hour():
    # at 5 changes/s a second more would add about 5 changes
    log = generate_changes(rate=5, keys=5)
    assert log == generate_changes(rate=5, keys=5, duration=3600.0)
    assert 3599 < log[-1].time < 3600


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: changes("abc"), TypeError, "rows must be a list of (key, value, time) tuples"),
        (lambda: changes([(1, "x", 0)]), TypeError, "rows[0] key must be a str, got int 1"),
        (
            lambda: changes([("a", "x", 0), ("a", "y", "t")]),
            TypeError,
            "rows[1] time must be a number, got str 't'",
        ),
        (lambda: fold(5), TypeError, "log must be a list of Change, got int"),
        (lambda: fold("ab"), TypeError, "log must be a list of Change, got str"),
        (lambda: fold(Change("a", 1, 0, 0)), TypeError, "log must be a list of Change, got Change"),
        (
            lambda: fold([1]),
            TypeError,
            "log[0] must be a Change (see changes() and generate_changes()), got int 1",
        ),
        (
            lambda: fold([Change("a", 1, 0, 0), Change("a", 2, 0, 0)]),
            ValueError,
            "log[1] offset must be > 0 (the record before it): a log is read in offset order, "
            "got 0",
        ),
        (
            lambda: compact([], delete_retention=-1),
            ValueError,
            "delete_retention must be >= 0 seconds, got -1",
        ),
        (
            lambda: generate_changes(values="ab"),
            ValueError,
            "values must be a sequence of at least 2 values, got 'ab'",
        ),
        (
            lambda: generate_changes(values=5),
            ValueError,
            "values must be a sequence of at least 2 values, got 5",
        ),
        (
            lambda: generate_changes(values=["a", "b", "a"]),
            ValueError,
            "values must be distinct, got ['a', 'b', 'a']",
        ),
    ],
)
def test_messages_name_what_is_wrong(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value) == message


def test_both_charts_label_their_axes():
    r = run_cdc(changes([("u1", "a", 0), ("u1", "b", 30)]), cdc_delay=0, export_every=60)
    stale, sizes = r.chart(), r.log_chart()
    for chart, y_label in ((stale, "stale rows (%)"), (sizes, "records")):
        assert ">time (s)</text>" in chart.svg
        assert f">{y_label}</text>" in chart.svg


def test_a_view_moves_a_row_between_values_equal_in_python_but_printed_differently():
    # 0 == False and 1 == 1.0, yet the view groups by the printed value: "0" and "False" are
    # two groups, as recomputing the view from the table says. "0" (a string) joins group "0".
    log = changes([("u1", 0, 0), ("u1", False, 1), ("u2", 1, 2), ("u2", 1.0, 3), ("u3", "0", 4)])
    view = MaterializedView()
    written = [[(v.key, v.value) for v in view.apply(c)] for c in log]
    assert written == [
        [("0", 1)],
        [("0", None), ("False", 1)],
        [("1", 1)],
        [("1", None), ("1.0", 1)],
        [("0", 1)],
    ]
    assert view.rows == {"False": 1, "1.0": 1, "0": 1}
    assert view.state == {"u1": False, "u2": 1.0, "u3": "0"}
    # the same group again writes nothing but the row keeps its new value
    assert view.apply(Change("u3", 0, 5, 5)) == [] and view.state["u3"] == 0


# values equal in Python (0, False, 0.0; 1, True, 1.0) or printed alike (0 and "0")
tricky = st.sampled_from([None, 0, False, 0.0, "0", "", 1, True, 1.0])
tricky_logs = st.lists(st.tuples(st.sampled_from(["u1", "u2", "u3"]), tricky), max_size=30).map(
    lambda rows: changes([(k, v, i) for i, (k, v) in enumerate(rows)])
)


@settings(max_examples=100, deadline=None)
@given(tricky_logs)
def test_a_view_equals_grouping_the_table_by_printed_value(log):
    view = MaterializedView()
    for c in log:
        view.apply(c)
    table = fold(log)
    assert view.rows == dict(Counter(str(v) for v in table.values()))
    assert view.state == table  # every row's current value, to retract it later
    assert fold(view.log) == view.rows
