"""The batch job and the batch view recomputed by brute force from the raw events and the rules
the docstrings state, on drawn streams whose arrivals often fall exactly on a scheduled run."""

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from simulations import ProcessingTime, Session, Sliding, Tumbling, batch_view, events, run_batch
from simulations.aggregates import aggregate
from simulations.stats import latency_stats

# times on a 0.5 s grid up to 60 s, often exactly on a multiple of 10 (a run's start)
times = st.one_of(
    st.integers(0, 120).map(lambda i: i / 2), st.integers(0, 6).map(lambda i: 10.0 * i)
)
rows = st.lists(
    st.tuples(
        st.sampled_from("ab"), st.integers(0, 9), times, st.sampled_from([0.0, 0.5, 10.0, 25.0])
    ),
    max_size=25,
)
hows = st.sampled_from(["sum", "count", "mean", "max"])


def replay_schedule(evs, interval, period, throughput, first, how):
    """Runs at first, first + interval, ...; a run starts at its slot or when the one before it
    ends, whichever is later, and takes what arrived strictly before its start; a slot with
    nothing new is skipped, and so is every slot a late start has already passed."""
    pending = sorted(evs, key=lambda e: e.arrival_time)
    processed, runs, results, waits = [], [], [], []
    free_at, last_start, k = -math.inf, -math.inf, 0
    while pending:
        slot = first + k * interval
        k += 1
        if slot <= last_start:
            continue
        start = max(slot, free_at)
        batch = [e for e in pending if e.arrival_time < start]
        if not batch:
            continue
        pending = pending[len(batch) :]
        processed += batch
        end = start + len(batch) / throughput
        touched = sorted({(e.key, e.event_time // period * period) for e in batch})
        for key, p in touched:
            values = [e.value for e in processed if e.key == key and p <= e.event_time < p + period]
            results.append(
                (key, p, p + period, aggregate(values, how), len(values), end, len(runs))
            )
        waits += [(e.event_time, end - e.event_time) for e in batch]
        runs.append((len(runs), start, end, len(batch)))
        free_at, last_start = end, start
    return runs, results, waits


@settings(deadline=None)
@given(
    rows,
    st.sampled_from([10.0, 15.0]),
    st.sampled_from([None, 5.0, 20.0]),
    st.sampled_from([0.1, 0.5, 100.0]),  # 10 s per event: runs that outlast a slot
    st.sampled_from([None, 0.0, 10.0, 12.5]),
    hows,
)
def test_runs_results_and_latencies_equal_a_replay_of_the_schedule(
    rows, interval, period, throughput, first, how
):
    evs = events([(k, v, t, t + d) for k, v, t, d in rows])
    r = run_batch(
        evs, interval=interval, period=period, throughput=throughput, first_run=first, aggregate=how
    )
    period = interval if period is None else period
    first = interval if first is None else first
    runs, results, waits = replay_schedule(evs, interval, period, throughput, first, how)
    assert [(x.index, x.start, x.end, x.events) for x in r.runs] == runs
    assert [
        (x.key, x.start, x.end, x.value, x.count, x.published_at, x.run) for x in r.results
    ] == results
    assert r.latencies == tuple(sorted(waits))
    assert r.latency == latency_stats([w for _, w in waits])
    busy = sum(end - start for _, start, end, _ in runs)
    assert r.machine_seconds == busy
    assert r.throughput == (len(evs) / busy if evs else 0.0)
    assert r.final == {(key, p): value for key, p, _, value, *_ in results}
    assert (r.interval, r.period, r.aggregate, r.events) == (interval, period, how, len(evs))


def windows_holding(t, size, slide):
    first = math.floor((t - size) / slide)
    return [
        (k * slide, k * slide + size)
        for k in range(first, math.floor(t / slide) + 1)
        if k * slide <= t < k * slide + size
    ]


def sessions_of(times, gap):
    """Sorted event times cut wherever two in a row are a full gap or more apart."""
    spans = []
    for t in sorted(times):
        if spans and t < spans[-1][1]:
            spans[-1][1] = t + gap
        else:
            spans.append([t, t + gap])
    return [tuple(s) for s in spans]


@settings(deadline=None)
@given(
    rows,
    st.sampled_from(
        [
            Tumbling(10),
            Sliding(10, 5),
            Sliding(10, 2.5),
            Session(10),
            Session(5),
            Session(2),
            ProcessingTime(10),
        ]
    ),
    hows,
)
@example([("a", 1, 0.0, 0.0), ("a", 2, 10.0, 0.0)], Session(10), "sum")  # one gap apart
def test_the_batch_view_equals_windows_enumerated_from_the_events(rows, window, how):
    evs = events([(k, v, t, t + d) for k, v, t, d in rows])
    groups: dict = {}
    for e in evs:
        if type(window) is Session:
            continue
        t = e.arrival_time if type(window) is ProcessingTime else e.event_time
        slide = window.slide if type(window) is Sliding else window.size
        for start, end in windows_holding(t, window.size, slide):
            groups.setdefault((e.key, start, end), []).append(e.value)
    if type(window) is Session:
        for key in {e.key for e in evs}:
            mine = [e for e in evs if e.key == key]
            for start, end in sessions_of([e.event_time for e in mine], window.gap):
                groups[(key, start, end)] = [e.value for e in mine if start <= e.event_time < end]
    expected = {k: aggregate(v, how) for k, v in sorted(groups.items())}
    got = batch_view(evs, window=window, aggregate=how)
    assert got == expected
    assert list(got) == sorted(got)


def test_the_next_run_is_strictly_after_a_start_whose_slot_rounds_onto_it():
    # Slots every 0.1 s from 0: the run at slot 43 starts at 43 * 0.1 == 4.3, but
    # (4.3 - 0) / 0.1 is 42.99999999999999, so the slot after 4.3 computed by division is
    # 4.3 itself; the next run must still be the slot after, 4.4, not a second run at 4.3.
    evs = events([("a", 1, 4.25), ("a", 2, 4.3)])
    r = run_batch(evs, interval=0.1, first_run=0.0, throughput=10_000)
    assert [(x.start, x.events) for x in r.runs] == [(43 * 0.1, 1), (44 * 0.1, 1)]


def test_the_table_shows_ten_results_by_default_and_the_chart_names_its_axes():
    # twelve periods of 10 s, one run each: twelve results, each row the result's own fields
    r = run_batch(events([("a", 1, float(t)) for t in range(120)]), interval=10, throughput=1)
    rows = r.table().splitlines()[2:]
    assert [row.split()[:2] for row in rows[:10]] == [["a", f"[{10 * i},"] for i in range(10)]
    assert rows[10:] == ["... 2 more"]
    assert r.table() == r.table(limit=10)
    svg = r.chart().svg
    assert ">event time (s)<" in svg and ">latency (s)<" in svg
