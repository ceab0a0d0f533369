"""The scheduled batch job on hand-written streams."""

import re

import pytest

from simulations import (
    BatchResult,
    BatchRun,
    Session,
    Sliding,
    Tumbling,
    batch_view,
    events,
    run_batch,
)

ROWS = [
    ("a", 1, 10.0),
    ("b", 2, 20.0),
    ("a", 4, 50.0),
    ("a", 8, 70.0),
    ("b", 16, 30.0, 130.0),  # happened in the first hour-ish period, arrives during run 2's wait
]


def test_runs_results_latency_and_cost():
    r = run_batch(events(ROWS), interval=60, throughput=1)
    # run 0 at 60 takes a1, b2, a4 (3 s); run 1 at 120 takes a8; run 2 at 180 takes b16
    assert r.runs == [
        BatchRun(0, 60.0, 63.0, 3),
        BatchRun(1, 120.0, 121.0, 1),
        BatchRun(2, 180.0, 181.0, 1),
    ]
    assert r.results == [
        BatchResult("a", 0.0, 60.0, 5, 2, 63.0, 0),
        BatchResult("b", 0.0, 60.0, 2, 1, 63.0, 0),
        BatchResult("a", 60.0, 120.0, 8, 1, 121.0, 1),
        BatchResult("b", 0.0, 60.0, 18, 2, 181.0, 2),  # recomputed with the late arrival
    ]
    assert r.final == {("a", 0.0): 5, ("a", 60.0): 8, ("b", 0.0): 18}
    # latencies: 63-10, 63-20, 63-50, 121-70, 181-30 = 53, 43, 13, 51, 151
    assert (r.latency.count, r.latency.p50, r.latency.max) == (5, 51.0, 151.0)
    assert r.latency.mean == pytest.approx((53 + 43 + 13 + 51 + 151) / 5)
    assert r.machine_seconds == 5.0
    assert r.throughput == 1.0


def test_period_can_differ_from_interval():
    r = run_batch(events(ROWS), interval=60, period=30, throughput=1000)
    assert r.final == {
        ("a", 0.0): 1,
        ("a", 30.0): 4,
        ("a", 60.0): 8,
        ("b", 0.0): 2,
        ("b", 30.0): 16,
    }


def test_runs_with_nothing_to_do_are_skipped():
    r = run_batch(events([("a", 1, 10.0), ("a", 1, 500.0)]), interval=60, throughput=1000)
    assert [run.start for run in r.runs] == [60.0, 540.0]


def test_a_busy_job_delays_the_next_run():
    rows = [("a", 1, 0.0), ("a", 1, 1.0), ("a", 1, 2.0), ("a", 1, 61.0), ("a", 1, 130.0)]
    r = run_batch(events(rows), interval=60, throughput=0.04)  # 25 s per event
    # run 0: 60 -> 135 (3 events); run 1 was due at 120 but starts at 135 and takes the
    # events that arrived before 135 (61 and 130): 135 -> 185
    assert r.runs == [BatchRun(0, 60.0, 135.0, 3), BatchRun(1, 135.0, 185.0, 2)]


def test_first_run():
    r = run_batch(events([("a", 1, 10.0)]), interval=3600, first_run=30, throughput=1)
    assert r.runs == [BatchRun(0, 30.0, 31.0, 1)]


@pytest.mark.parametrize(("aggregate", "expected"), [("count", 2), ("mean", 2.5), ("max", 4)])
def test_batch_aggregates(aggregate, expected):
    r = run_batch(events([("a", 1, 10.0), ("a", 4, 20.0)]), interval=60, aggregate=aggregate)
    assert r.final == {("a", 0.0): expected}


def test_panel_in_the_seed_form():
    rows = [("k", 1, float(t)) for t in range(3600)]
    r = run_batch(events(rows), interval=3600, throughput=10_000)
    lines = r.panel().splitlines()
    assert lines[0] == "Mode: BATCH_PROCESSING"
    assert lines[1] == "Trigger: SCHEDULED [every 01:00:00]"
    assert lines[2] == "Volume: 3,600 events"
    # published at 3600.36: latencies 0.36..3600.36, median 1800.36 -> HIGH
    assert lines[3].startswith("Latency: p50=1800.")
    assert lines[3].endswith("(HIGH, event → published result)")
    assert lines[4].startswith("Status: DONE")
    assert "... 1 more" not in r.table(limit=1) and "key" in r.table(limit=1)
    # the sawtooth: latencies in event-time order, x left to right, 3,600 s down to 0.36 s
    assert [x for x, _ in r.latencies] == sorted(x for x, _ in r.latencies)
    chart = r.chart()
    points = re.search(r'<polyline points="([^"]+)"', chart.svg).group(1).split()
    xs = [float(p.split(",")[0]) for p in points]
    assert xs == sorted(xs) and len(set(xs)) > 100
    assert "latency: 3600 points, x 0..3599, y 1.36..3,600.4, last (3599, 1.36)" in chart.text


def test_batch_view_by_window_kind():
    evs = events([("a", 1, 3.0), ("a", 2, 7.0), ("a", 4, 12.0), ("b", 8, 30.0, 41.0)])
    assert batch_view(evs, window=Tumbling(10)) == {
        ("a", 0.0, 10.0): 3,
        ("a", 10.0, 20.0): 4,
        ("b", 30.0, 40.0): 8,
    }
    assert batch_view(evs, window=Sliding(10, 5)) == {
        ("a", -5.0, 5.0): 1,
        ("a", 0.0, 10.0): 3,
        ("a", 5.0, 15.0): 6,
        ("a", 10.0, 20.0): 4,
        ("b", 25.0, 35.0): 8,
        ("b", 30.0, 40.0): 8,
    }
    # 7 is within 5 of 3: [3, 12); 12 is exactly 5 after 7, a full gap: a new session
    assert batch_view(evs, window=Session(5)) == {
        ("a", 3.0, 12.0): 3,
        ("a", 12.0, 17.0): 4,
        ("b", 30.0, 35.0): 8,
    }
