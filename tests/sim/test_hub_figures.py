"""The Velocity Hub at its edges: the run that is due exactly at a period's end, an arrival exactly
at a run's start, no events at all, and every derived figure recomputed from the two reports."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import compare, events
from simulations._format import num
from simulations.hub import _distribution, compare_events


def hub(rows, **dials):
    dials = {"batch_interval": 60, "window": 60, "watermark_delay": 0, "batch_startup": 0, **dials}
    return compare_events(events(rows), **dials)


# -- which events missed their period's complete result -----------------------------------------
@pytest.mark.parametrize(("arrival", "late"), [(60.0, 1), (59.999, 0)])
def test_an_arrival_exactly_at_the_due_runs_start_misses_it(arrival, late):
    # the run at 60 (b's) takes what arrived before 60: an event of [0, 60) arriving at 60 is
    # only in the run at 120, a correction
    r = hub([("b", 1, 5.0, 5.0), ("a", 1, 10.0, arrival), ("a", 2, 61.0, 61.0)])
    assert r.batch_late == late


@pytest.mark.parametrize(("t", "arrival", "late"), [(50.0, 65.0, 1), (20.0, 35.0, 0)])
def test_the_due_run_is_the_one_starting_exactly_at_the_periods_end(t, arrival, late):
    # runs every 30 s over minutes (at 30 and 60 for b's events): the run at 60 starts exactly
    # when [0, 60) ends, so it is the one that publishes the complete minute; missing the run
    # at 30 (a partial result on purpose) does not make an event late
    rows = [("b", 1, 5.0, 5.0), ("b", 1, 40.0, 40.0), ("a", 2, t, arrival), ("a", 4, 100.0)]
    r = hub(rows, batch_interval=30)
    assert [run.start for run in r.batch.runs][:2] == [30, 60]
    assert r.batch_late == late


def test_an_event_exactly_at_a_period_end_belongs_to_the_next_period():
    # t = 60 is in [60, 120), due at the run at 120: arriving at 100, it is on time
    r = hub([("a", 1, 5.0, 5.0), ("a", 2, 60.0, 100.0), ("a", 4, 130.0)])
    assert r.batch_late == 0
    assert ("a", 60.0, 120.0) in r.stream.final


def brute_batch_late(evs, starts, period):
    """An event is late when the first run that takes it starts after the first run that
    starts once its period is over (a run takes what arrived strictly before its start)."""
    late = 0
    for e in evs:
        end = (e.event_time // period + 1) * period
        due = [s for s in starts if s >= end]
        taken = [s for s in starts if s > e.arrival_time]
        late += bool(due and taken and taken[0] > due[0])
    return late


def brute_stream_latencies(evs, stream, size):
    """Each event's wait for the first result of its window, unless the stream set it aside."""
    late = [x.event for x in stream.late]
    out = []
    for e in evs:
        if any(e is x for x in late):
            continue
        start = (e.event_time // size) * size
        first = min(
            x.emitted_at
            for x in stream.emissions
            if (x.key, x.start, x.end) == (e.key, start, start + size)
        )
        out.append(first - e.event_time)
    return sorted(out)


grid = st.integers(0, 24).map(lambda i: 10.0 * i)  # often exactly on an end or a run's start
rows = st.lists(
    st.tuples(st.sampled_from("ab"), st.integers(1, 9), grid, st.sampled_from([0, 5, 10, 30, 60])),
    min_size=1,
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(
    rows,
    st.sampled_from([20.0, 30.0, 60.0]),
    st.sampled_from([30.0, 60.0]),
    st.sampled_from([0.0, 10.0]),
)
def test_late_counts_and_latencies_equal_a_count_over_the_events(raw, interval, window, delay):
    evs = events([(k, v, t, t + d) for k, v, t, d in raw])
    r = compare_events(evs, batch_interval=interval, window=window, watermark_delay=delay)
    assert (r.batch.period, r.stream.window.size) == (window, window)
    starts = [run.start for run in r.batch.runs]
    assert r.batch_late == brute_batch_late(r.events, starts, window)
    assert list(r.stream_latencies) == brute_stream_latencies(r.events, r.stream, window)
    assert r.batch_cost == pytest.approx(r.batch.machine_seconds + 60.0 * len(starts))


# -- figures derived from the reports ----------------------------------------------------------
def test_no_events_give_no_results_and_no_rate_not_a_division_error():
    r = compare_events([])
    assert r.settings == {} and r.events == ()
    assert r.figures() == {
        "latency p50": ("no results", "no results"),
        "latency p95": ("no results", "no results"),
        "latency p99": ("no results", "no results"),
        "throughput (events/machine-s)": ("n/a", "n/a"),
        "cost (machine-s)": ("0", "0"),
        "late events": ("0 corrected later", "0 left out"),
        "results emitted": ("0", "0"),
    }
    assert str(r.chart()).splitlines() == [
        "Latency distribution: batch vs stream",
        "  batch: no points",
        "  stream: no points",
    ]
    svg = r.chart().svg
    assert ">latency (s): time from an event to a result that includes it</text>" in svg
    assert ">% of events with a result</text>" in svg


def test_costs_are_rounded_to_a_tenth_of_a_machine_second():
    # the stream job is on from the first arrival (10) to the last (22.34): 12.34 s; the batch
    # job runs once (at 60) and pays 6.17 s to start plus 0.1 ms per event
    r = hub([("a", 1, 10.0), ("a", 2, 22.34)], batch_startup=6.17)
    assert r.stream_cost == pytest.approx(12.34)
    assert r.batch_cost == pytest.approx(6.17 + 2 / 10_000)
    assert r.figures()["cost (machine-s)"] == ("6.2", "12.3")
    assert r.figures()["throughput (events/machine-s)"] == (num(2 / r.batch_cost), num(2 / 12.34))


def test_a_job_busy_less_than_a_second_still_has_a_throughput():
    # 2 events in 0.5 s of stream job and 0.2 ms of batch job (no start-up cost)
    r = hub([("a", 1, 10.0), ("a", 2, 10.5)])
    assert r.batch_cost < 1 and r.figures()["throughput (events/machine-s)"] == (
        num(2 / r.batch_cost),
        "4",
    )


def percentile(xs, q):
    """Linear interpolation between the closest ranks of sorted ``xs``."""
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@pytest.mark.parametrize(("lats", "total"), [([4.0], 1), ([1.0, 2.0, 10.0], 7), ([3.0, 3.0], 8)])
def test_the_distribution_has_one_point_per_percent_of_results(lats, total):
    points = _distribution(lats, total)
    share = 100 * len(lats) / total
    assert points == [
        (pytest.approx(percentile(lats, q)), round(share * q / 100, 3)) for q in range(101)
    ]
    assert _distribution([], total) == []


def test_the_generator_takes_every_dial():
    calm = compare(rate=2, duration=120, keys=3, out_of_order=0.0, late_fraction=0.0, seed=1)
    assert {e.key for e in calm.events} == {"k0", "k1", "k2"}
    assert all(e.arrival_time == e.event_time for e in calm.events)
    assert max(e.event_time for e in calm.events) < 120 and 150 < len(calm.events) < 330
    assert calm.stream.late == [] and calm.batch_late == 0
    stragglers = compare(rate=2, duration=120, out_of_order=0.0, late_fraction=1.0, seed=1)
    assert all(e.arrival_time - e.event_time > 29.999 for e in stragglers.events)
    assert calm.settings["keys"] == 3 and calm.settings["out_of_order"] == 0.0
    tuned = compare(rate=2, duration=120, window=30, batch_startup=0.0, seed=1)
    assert (tuned.batch.period, tuned.stream.window.size) == (30, 30)
    assert tuned.batch_cost == tuned.batch.machine_seconds


@pytest.mark.parametrize(
    ("dials", "message"),
    [
        ({"batch_interval": 0}, "batch_interval must be > 0 seconds, got 0"),
        ({"window": 0}, "window must be > 0 seconds, got 0"),
        ({"watermark_delay": -1}, "watermark_delay must be >= 0 seconds, got -1"),
        ({"batch_startup": -1}, "batch_startup must be >= 0 seconds, got -1"),
    ],
)
def test_compare_events_names_a_bad_dial(dials, message):
    with pytest.raises(ValueError) as info:
        compare_events([], **dials)
    assert str(info.value) == message


def test_compare_events_runs_the_default_setting_of_compare():
    # the hub page documents one default setting (test_hub.py checks compare's): both entry
    # points run it
    r = compare_events(events([("a", 1, 10.0), ("a", 2, 400.0)]))
    assert (r.batch.interval, r.batch.period, r.stream.window.size) == (300, 60, 60)
    assert r.stream.watermark_delay == 5 and r.settings == {}
    assert r.batch_cost == pytest.approx(r.batch.machine_seconds + 60 * len(r.batch.runs))
