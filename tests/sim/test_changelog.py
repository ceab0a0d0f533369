"""Changelogs, compaction, views kept by upserts, and CDC into an online store."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.changelog import (
    PLANS,
    Change,
    MaterializedView,
    changes,
    compact,
    fold,
    generate_changes,
    run_cdc,
)
from simulations.stats import latency_stats

FAST = settings(max_examples=100, deadline=None)

LOG = changes(
    [
        ("u1", "free", 0),
        ("u2", "pro", 1),
        ("u1", "pro", 2),
        ("u3", "free", 3),
        ("u2", None, 4),  # u2 deleted
        ("u1", "team", 5),
        ("u2", "free", 6),  # u2 created again
    ]
)


def test_fold_is_the_latest_value_per_key_without_deleted_keys():
    assert fold(LOG) == {"u1": "team", "u3": "free", "u2": "free"}
    assert fold(LOG[:5]) == {"u1": "pro", "u3": "free"}
    assert fold([]) == {}
    # reading on from a table: the same as folding everything
    assert fold(LOG[4:], table=fold(LOG[:4])) == fold(LOG)


def test_compaction_keeps_the_latest_record_per_key_with_its_offset():
    assert [(c.offset, c.key) for c in compact(LOG)] == [(3, "u3"), (5, "u1"), (6, "u2")]


def test_the_head_is_not_compacted():
    # records younger than min_lag stay, even if a later record supersedes them
    kept = compact(LOG, now=6, min_lag=2.5)
    # offset 0 is superseded by offset 2; offset 1 only by the head's tombstone, so it stays
    assert [c.offset for c in kept] == [1, 2, 3, 4, 5, 6]
    assert fold(kept) == fold(LOG)


def test_tombstones_are_kept_for_delete_retention_then_removed():
    log = changes([("u1", "free", 0), ("u2", "pro", 1), ("u2", None, 10)])
    assert [c.offset for c in compact(log, now=20, delete_retention=30)] == [0, 2]
    assert [c.offset for c in compact(log, now=50, delete_retention=30)] == [0]


def test_a_reader_that_misses_a_removed_tombstone_keeps_a_deleted_row():
    log = changes([("u1", "free", 0), ("u2", "pro", 1), ("u2", None, 10), ("u3", "pro", 90)])
    table_at_offset_1 = fold(log[:2])
    compacted = compact(log, now=100, delete_retention=30)
    resumed = fold([c for c in compacted if c.offset > 1], table=table_at_offset_1)
    assert "u2" in resumed and "u2" not in fold(log)  # a zombie row
    assert fold(compacted) == fold(log)  # a reader from offset 0 is fine


def test_view_retracts_the_old_group():
    view = MaterializedView()
    out = [[(v.key, v.value) for v in view.apply(c)] for c in LOG]
    assert out == [
        [("free", 1)],
        [("pro", 1)],
        [("free", None), ("pro", 2)],  # u1 left "free": the group is now empty
        [("free", 1)],
        [("pro", 1)],
        [("pro", None), ("team", 1)],
        [("free", 2)],
    ]
    assert view.rows == {"free": 2, "team": 1}
    assert view.state == fold(LOG)
    assert fold(view.log) == view.rows
    assert view.apply(Change("u1", "team", 7, 7)) == []  # no change, nothing to write


def test_generated_changes_are_valid_and_reproducible():
    log = generate_changes(keys=5, rate=2, duration=100, seed=3)
    assert log == generate_changes(keys=5, rate=2, duration=100, seed=3)
    assert log != generate_changes(keys=5, rate=2, duration=100, seed=4)
    assert [c.offset for c in log] == list(range(len(log)))
    assert [c.time for c in log] == sorted(c.time for c in log)
    table: dict = {}
    for c in log:
        old = table.get(c.key)
        assert c.value != old  # every change changes something
        if c.value is None:
            assert old is not None  # only existing rows are deleted
            del table[c.key]
        else:
            table[c.key] = c.value
    assert any(c.deleted for c in generate_changes(keys=5, duration=500, seed=1))
    assert not any(c.deleted for c in generate_changes(delete_fraction=0, seed=1))


def test_run_cdc_keeps_the_online_store_equal_to_the_source_in_the_end():
    log = generate_changes(keys=20, rate=1, duration=1200, seed=2)
    r = run_cdc(log, cdc_delay=2, export_every=600, compact_every=300)
    assert r.online == r.table == fold(log)
    assert fold(r.topic) == fold(log)
    assert len(r.topic) <= len(fold(log)) + sum(c.deleted for c in log)
    cdc, export = r.paths
    assert export == "export every 600s"
    assert r.stale_share(cdc) < r.stale_share(export)
    assert r.latency[cdc].p50 < r.latency[export].p50
    assert r.latency[export].max <= 600
    assert r.stale[cdc][-1][1] == 0.0 and r.stale[export][-1][1] == 0.0
    panel = r.panel()
    for line in ("Mode:", "Trigger:", "Volume:", "Latency:", "Status:", "Batch export:"):
        assert line in panel
    assert "CDC upserts" in r.chart().text
    assert "compacted topic" in r.log_chart().text


def test_run_cdc_without_delay_is_never_stale():
    log = generate_changes(keys=10, rate=1, duration=600, seed=5)
    r = run_cdc(log, cdc_delay=0, export_every=60, sample_every=7)
    assert all(s == 0.0 for _, s in r.stale["CDC upserts"])
    assert r.latency["CDC upserts"].max == 0.0


CASES = [
    (lambda: changes([("u1", "a")]), ValueError, "rows[0] must be (key, value, time)"),
    (lambda: changes([(1, "a", 0)]), TypeError, "rows[0] key must be a str"),
    (lambda: changes([("u", "a", 5), ("u", "b", 4)]), ValueError, "rows[1] time must be >= 5"),
    (lambda: changes("abc"), TypeError, "rows must be a list"),
    (lambda: generate_changes(keys=0), ValueError, "keys must be an int >= 1"),
    (lambda: generate_changes(rate=0), ValueError, "rate must be > 0 changes/s"),
    (lambda: generate_changes(duration=-1), ValueError, "duration must be > 0 seconds"),
    (lambda: generate_changes(delete_fraction=2), ValueError, "delete_fraction must be in [0, 1]"),
    (lambda: generate_changes(values=["a"]), ValueError, "values must be a sequence of at least"),
    (lambda: generate_changes(values=["a", None]), ValueError, "values must not contain None"),
    (lambda: generate_changes(seed=1.5), TypeError, "seed must be an int"),
    (lambda: fold([("u1", "a", 0)]), TypeError, "log[0] must be a Change"),
    (lambda: fold(LOG[::-1]), ValueError, "log[1] offset must be > 6"),
    (lambda: compact(LOG, min_lag=-1), ValueError, "min_lag must be >= 0 seconds"),
    (lambda: compact(LOG, delete_retention=-1), ValueError, "delete_retention must be >= 0"),
    (lambda: compact(LOG, now="later"), TypeError, "now must be a number"),
    (lambda: MaterializedView().apply(("u1", "a", 0)), TypeError, "change must be a Change"),
    (lambda: run_cdc(LOG, cdc_delay=-1), ValueError, "cdc_delay must be >= 0 seconds"),
    (lambda: run_cdc(LOG, export_every=0), ValueError, "export_every must be > 0 seconds"),
    (lambda: run_cdc(LOG, compact_every=0), ValueError, "compact_every must be > 0 seconds"),
    (lambda: run_cdc(LOG, sample_every=0), ValueError, "sample_every must be > 0 seconds"),
    (lambda: run_cdc(LOG, seed="x"), TypeError, "seed must be an int"),
    (lambda: run_cdc(LOG).stale_share("cdc"), ValueError, "path must be one of"),
]


@pytest.mark.parametrize(("call", "exc", "words"), CASES, ids=[c[2][:30] for c in CASES])
def test_bad_arguments_name_the_parameter(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert words in str(info.value)


# -- properties --------------------------------------------------------------------------------

# 0 and "" are values like any other (only None deletes): drawn so that no test mistakes them
row = st.tuples(
    st.sampled_from(["u1", "u2", "u3", "u4"]), st.sampled_from([None, 0, "", "a", "b", "c"])
)
logs = st.lists(st.tuples(row, st.integers(0, 50)), max_size=40).map(
    lambda rows: changes(
        [(k, v, t) for ((k, v), _), t in zip(rows, _cumulative([d for _, d in rows]), strict=True)]
    )
)


def _cumulative(steps):
    total, out = 0, []
    for s in steps:
        total += s
        out.append(total)
    return out


compaction = dict(
    now=st.one_of(st.none(), st.integers(0, 3000)),
    min_lag=st.sampled_from([0, 10, 200]),
    delete_retention=st.sampled_from([0, 30, 86_400]),
)


@FAST
@given(log=logs, **compaction)
def test_folding_a_compacted_log_gives_the_same_table(log, now, min_lag, delete_retention):
    kept = compact(log, now=now, min_lag=min_lag, delete_retention=delete_retention)
    assert fold(kept) == fold(log)
    # a subsequence, offsets and records unchanged
    assert all(c in log for c in kept)
    assert [c.offset for c in kept] == sorted(c.offset for c in kept)
    # at least the latest record of every key that still has a value
    latest = {c.key: c for c in log}
    for c in latest.values():
        if not c.deleted:
            assert c in kept
    # compacting again changes nothing
    assert compact(kept, now=now, min_lag=min_lag, delete_retention=delete_retention) == kept
    # the rule, record by record: in the head kept; in the tail, the latest of its key is kept
    # unless it is a tombstone delete_retention old or more
    end = now if now is not None else (log[-1].time if log else 0.0)
    tail = [c for c in log if c.time <= end - min_lag]
    last = {c.key: c for c in tail}
    assert kept == [
        c
        for c in log
        if c.time > end - min_lag
        or (last[c.key] is c and not (c.deleted and c.time <= end - delete_retention))
    ]
    # without a head, at most one record per key
    if min_lag == 0 and (now is None or (log and now >= log[-1].time)):
        assert len(kept) == len({c.key for c in kept})


@FAST
@given(log=logs, split=st.integers(0, 40))
def test_a_view_kept_by_upserts_equals_recomputing_it(log, split):
    view = MaterializedView()
    for c in log:
        view.apply(c)
    assert view.rows == dict(Counter(map(str, fold(log).values())))
    assert fold(view.log) == view.rows  # the view's changelog folds into the view
    again = MaterializedView()
    for c in compact(log):
        again.apply(c)
    assert again.rows == view.rows  # a view rebuilt from the compacted log is the same
    part = MaterializedView()
    for c in log[:split]:
        part.apply(c)
    assert part.rows == dict(Counter(map(str, fold(log[:split]).values())))


@settings(max_examples=30, deadline=None)
@given(
    log=logs,
    delay=st.sampled_from([0, 0.5, 20]),
    every=st.sampled_from([7, 60, 1000]),
    seed=st.integers(0, 5),
)
def test_run_cdc_properties(log, delay, every, seed):
    r = run_cdc(log, cdc_delay=delay, export_every=every, compact_every=25, seed=seed)
    assert r.online == r.table == fold(log) == fold(r.topic)
    for points in r.stale.values():
        assert all(0 <= s <= 1 for _, s in points)
        assert points[-1][1] == 0.0  # both paths have caught up at the last export
    if log:
        assert r.latency["CDC upserts"].count == len(log)
        assert 0 <= r.latency[f"export every {every}s"].max <= every


# -- exact boundaries, falsy values, figures recomputed from the raw log ------------------------
def test_a_tombstone_exactly_delete_retention_old_is_removed_a_millisecond_younger_kept():
    log = changes([("u1", "a", 0), ("u2", "b", 5), ("u1", None, 10)])
    # now - delete_retention == 10: the tombstone is exactly old enough to go
    assert [c.offset for c in compact(log, now=40, delete_retention=30)] == [1]
    assert [c.offset for c in compact(log, now=39.999, delete_retention=30)] == [1, 2]


def test_a_record_exactly_min_lag_old_is_compacted_a_millisecond_younger_is_head():
    log = changes([("u1", "a", 0), ("u1", "b", 10)])
    # now - min_lag == 10: the second record is in the tail, so it supersedes the first
    assert [c.offset for c in compact(log, now=20, min_lag=10)] == [1]
    # 10.001: the second record is the head; in the tail the first is its key's latest
    assert [c.offset for c in compact(log, now=20, min_lag=10.001)] == [0, 1]


@pytest.mark.parametrize("falsy", [0, "", False, 0.0])
def test_falsy_values_are_values_not_tombstones(falsy):
    log = changes([("u1", falsy, 0), ("u2", "x", 1), ("u1", "y", 2), ("u1", falsy, 3)])
    assert fold(log) == {"u1": falsy, "u2": "x"}
    assert fold(compact(log, now=100, delete_retention=0)) == {"u1": falsy, "u2": "x"}
    assert not any(c.deleted for c in log)
    view = MaterializedView()
    out = [[(v.key, v.value) for v in view.apply(c)] for c in log]
    group = str(falsy)
    assert out == [
        [(group, 1)],
        [("x", 1)],
        [(group, None), ("y", 1)],
        [("y", None), (group, 1)],
    ]
    assert view.rows == {group: 1, "x": 1}


def test_a_view_ignores_a_repeated_value_and_a_delete_of_a_missing_row():
    view = MaterializedView()
    log = changes([("u1", 0, 0), ("u1", 0, 1), ("u9", None, 2)])
    assert [view.apply(c) for c in log][1:] == [[], []]
    assert view.rows == {"0": 1}


def _table_at(log, t):
    return fold([c for c in log if c.time <= t])


def _share(source, store):
    rows = source.keys() | store.keys()
    return sum(source.get(k) != store.get(k) for k in rows) / len(rows) if rows else 0.0


# values include falsy ones and deletes; times on a grid that meets the exports and samples
falsy_row = st.tuples(st.sampled_from(["u1", "u2", "u3"]), st.sampled_from([None, 0, "", "a", "b"]))
grid_logs = st.lists(st.tuples(falsy_row, st.integers(0, 6).map(lambda d: 5 * d)), max_size=25).map(
    lambda rows: changes(
        [(k, v, t) for ((k, v), _), t in zip(rows, _cumulative([d for _, d in rows]), strict=True)]
    )
)


@FAST
@given(log=grid_logs, every=st.sampled_from([5, 10, 15]), sample=st.sampled_from([5, 10]))
def test_stale_shares_and_export_latencies_equal_a_replay_of_the_raw_log(log, every, sample):
    r = run_cdc(log, cdc_delay=0, export_every=every, compact_every=10, sample_every=sample)
    cdc, export = r.paths
    assert r.table == r.online == fold(log)
    # no delay: at every sample the store has every change committed by then
    assert all(share == 0.0 for _, share in r.stale[cdc])
    for t, share in r.stale[export]:
        # the last export at or before t copied the table as of that instant (a change
        # committed exactly at an export is in it)
        exported = _table_at(log, (t // every) * every)
        assert share == pytest.approx(_share(_table_at(log, t), exported)), t
    for t, n in r.sizes["every record (no compaction)"]:
        assert n == sum(1 for c in log if c.time <= t)
    for t, n in r.sizes["rows in the table"]:
        assert n == len(_table_at(log, t))
    waits = [-(-c.time // every) * every - c.time for c in log]
    assert r.latency[export] == latency_stats(waits)
    assert r.latency[cdc] == latency_stats([0.0] * len(log))


def test_a_change_committed_exactly_at_an_export_is_in_that_export():
    log = changes([("u1", "a", 0), ("u1", "b", 60), ("u2", 0, 61)])
    r = run_cdc(log, cdc_delay=30, export_every=60, compact_every=60, sample_every=30)
    export = r.paths[1]
    assert dict(r.stale[export])[60] == 0.0  # "b" went out with the export at 60
    assert dict(r.stale[export])[90] == 0.5  # u2 = 0 waits for the export at 120
    assert r.latency[export].max == 59.0
    assert r.latency[export].count == 3


def test_a_delete_at_the_source_reaches_both_stores():
    log = changes([("u1", "a", 0), ("u2", "b", 1), ("u1", None, 70)])
    r = run_cdc(log, cdc_delay=0, export_every=60, compact_every=600, sample_every=30)
    cdc, export = r.paths
    assert r.online == r.table == {"u2": "b"}
    stale = dict(r.stale[export])
    assert (stale[60], stale[90], stale[120]) == (
        0.0,
        0.5,
        0.0,
    )  # u1 deleted at 70, exported at 120
    assert all(s == 0.0 for _, s in r.stale[cdc])


def test_cdc_report_text_worked_by_hand():
    # commits at 0, 30, 50 and a delete at 70; exports at 0, 60, 120 copy the table; samples
    # every 20 s. Export staleness: 40 -> u1 is "free" in the export, "pro" in the source (1/1);
    # 80 and 100 -> u2 deleted at 70 is still exported (1/2); mean 2/7 = 28.6%. Export waits:
    # 0, 30, 10, 50 s, median 20 s. The compaction at 120 removes u2's tombstone (50 s old).
    log = changes([("u1", "free", 0), ("u1", "pro", 30), ("u2", "team", 50), ("u2", None, 70)])
    r = run_cdc(
        log, cdc_delay=0, export_every=60, compact_every=60, sample_every=20, delete_retention=30
    )
    assert r.panel().splitlines() == [
        "Mode: STREAM_PROCESSING [change data capture -> online store]",
        "Trigger: EVENT [every committed change, mean delay 0s]",
        "Volume: 4 changes, 1 row (compacted topic: 1 record)",
        "Latency: p50=0.0s p95=0.0s p99=0.0s (LOW)",
        "Status: RUNNING [0.0% of rows stale on average]",
        "Batch export: every 60s: p50 latency 20.0s, 28.6% of rows stale",
    ]
    assert str(r) == r.panel()
    assert r.stale_share("export every 60s") == pytest.approx(2 / 7)
    with pytest.raises(ValueError, match="path must be one of 'CDC upserts'"):
        r.stale_share("nightly")
    chart = r.chart()
    assert chart.text.splitlines() == [
        "Rows of the online store that are out of date",
        "  CDC upserts: 7 points, x 0..120, y 0..0, last (120, 0)",
        "  export every 60s: 7 points, x 0..120, y 0..100, last (120, 0)",
    ]
    assert "time (s)" in chart.svg and "stale rows (%)" in chart.svg
    sizes = r.log_chart()
    assert sizes.text.splitlines() == [
        "Changelog size, compacted every 60s",
        "  every record (no compaction): 11 points, x 0..120, y 1..4, last (120, 4)",
        "  compacted topic: 11 points, x 0..120, y 1..3, last (120, 1)",
        "  rows in the table: 11 points, x 0..120, y 1..2, last (120, 1)",
    ]
    assert "time (s)" in sizes.svg and "records" in sizes.svg
    # sizes around the compaction at 60: before (3 records), after (2: u1 "free" is gone)
    assert r.sizes["compacted topic"][3:6] == [(60, 3), (60, 2), (60, 2)]


def test_run_cdc_defaults_and_messages():
    log = generate_changes(keys=5, duration=900, seed=2)
    r = run_cdc(log)
    assert (r.cdc_delay, r.export_every, r.compact_every) == (1.0, 600.0, 300.0)
    same = run_cdc(
        log,
        cdc_delay=1.0,
        export_every=600.0,
        compact_every=300.0,
        delete_retention=86_400.0,
        sample_every=60.0,
        seed=0,
    )
    assert r == same
    assert [t for t, _ in r.stale["CDC upserts"]][:3] == [0, 60, 120]
    for kwargs, message in [
        ({"cdc_delay": -1}, "cdc_delay must be >= 0 seconds, got -1"),
        ({"export_every": 0}, "export_every must be > 0 seconds, got 0"),
        ({"compact_every": 0}, "compact_every must be > 0 seconds, got 0"),
        ({"delete_retention": -1}, "delete_retention must be >= 0 seconds, got -1"),
        ({"sample_every": 0}, "sample_every must be > 0 seconds, got 0"),
    ]:
        with pytest.raises(ValueError) as info:
            run_cdc(log, **kwargs)
        assert str(info.value) == message
    with pytest.raises(TypeError, match="seed must be an int, got bool True"):
        run_cdc(log, seed=True)


def test_generated_changes_defaults_and_rules():
    log = generate_changes()
    assert log == generate_changes(
        keys=50, rate=1.0, duration=3600.0, delete_fraction=0.05, values=PLANS, seed=0
    )
    assert all(c.time < 3600 and c.time == round(c.time, 3) for c in log)  # a millisecond clock
    current, shifts = {}, set()
    for c in log:
        old = current.get(c.key)
        if old is not None and c.value is not None:
            assert c.value != old  # an update always changes the row
            shifts.add((PLANS.index(c.value) - PLANS.index(old)) % len(PLANS))
        current[c.key] = c.value
    assert shifts == {1, 2}  # to any other value, not only the next one
    assert not any(c.deleted for c in generate_changes(delete_fraction=0, duration=600))
    # with delete_fraction 1 an existing row is always deleted by its next change
    before: dict = {}
    for c in generate_changes(keys=3, delete_fraction=1, duration=300, seed=1):
        assert c.deleted == (before.get(c.key) is not None)
        before[c.key] = c.value
    with pytest.raises(TypeError) as info:
        generate_changes(seed="1")
    assert str(info.value) == "seed must be an int, got str '1'"
    with pytest.raises(ValueError) as info:
        generate_changes(values=["a", None])
    assert str(info.value) == (
        "values must not contain None: None is the tombstone of a deleted row"
    )


def test_a_view_records_its_changes_at_the_time_of_the_source_change():
    view = MaterializedView()
    for c in LOG:
        view.apply(c)
    assert {v.time for v in view.log} <= {c.time for c in LOG}
    assert [v.time for v in view.log] == sorted(v.time for v in view.log)
    assert [v.offset for v in view.log] == list(range(len(view.log)))
    with pytest.raises(TypeError) as info:
        view.apply(("u1", "a", 0))
    assert str(info.value) == "change must be a Change, got tuple"


def test_cdc_deliveries_happen_on_the_millisecond_clock():
    # commits and deliveries are both on it, so the longest wait is a whole number of ms
    r = run_cdc(generate_changes(keys=5, duration=600, seed=3), cdc_delay=2.5, seed=7)
    waits = r.latency["CDC upserts"]
    assert abs(waits.max * 1000 - round(waits.max * 1000)) < 1e-6
