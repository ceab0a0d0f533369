"""Batch processing: a scheduled job that processes everything that has arrived so far.

A batch job is simple and cheap: it runs off-peak, reads all the data that arrived before it
started, computes exact answers and stops, so nothing is paid for between runs. The price is
latency: an event waits for the next run, and then for the run to finish.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from . import _check
from ._format import clock, num, plural, table
from .aggregates import AGGREGATES
from .aggregates import aggregate as _aggregate
from .charts import Chart, line_chart
from .events import Event, prepare
from .panel import status_panel
from .stats import LatencyStats, latency_stats
from .windows import MINUTE, ProcessingTime, Session, Sliding, Tumbling, Window, check_window


@dataclass(frozen=True, slots=True)
class BatchRun:
    """One run of the job: it started at ``start``, processed ``events`` and ended at ``end``."""

    index: int
    start: float
    end: float
    events: int


@dataclass(frozen=True, slots=True)
class BatchResult:
    """An aggregate for ``key`` over the period [start, end), published when run ``run`` ended."""

    key: str
    start: float
    end: float
    value: float
    count: int
    published_at: float
    run: int


@dataclass(frozen=True, slots=True)
class BatchReport:
    """What the scheduled job produced and what it cost.

    ``latency`` is, per event, the time from its event_time to the publication of the first
    result that includes it. ``machine_seconds`` is the sum of run times: the machine is off
    between runs. ``final`` maps (key, period start) to the latest value.
    """

    results: list[BatchResult]
    runs: list[BatchRun]
    latency: LatencyStats
    throughput: float
    machine_seconds: float
    final: dict[tuple[str, float], float]
    interval: float = 3600.0
    period: float = 3600.0
    aggregate: str = "sum"
    events: int = 0
    latencies: tuple[tuple[float, float], ...] = ()

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        return status_panel(
            mode="BATCH_PROCESSING",
            trigger=f"SCHEDULED [every {clock(self.interval)}]",
            volume=self.events,
            latency=self.latency,
            latency_of="event → published result",
            status=(
                f"DONE [{plural(len(self.runs), 'run')}, "
                f"{num(self.machine_seconds)} machine-s busy]"
            ),
        )

    def table(self, limit: int = 10) -> str:
        """The first ``limit`` results as a text table."""
        _check.integer("limit", limit, minimum=0)
        rows = [
            [r.key, f"[{num(r.start)}, {num(r.end)})", r.value, r.count, r.published_at, r.run]
            for r in self.results[:limit]
        ]
        headers = ["key", "period", "value", "count", "published_at", "run"]
        return table(headers, rows, total=len(self.results))

    def chart(self) -> Chart:
        """Each event's latency against its event time: a sawtooth, one tooth per run."""
        return line_chart(
            {"latency": list(self.latencies)},
            title="Batch result latency by event time",
            x_label="event time (s)",
            y_label="latency (s)",
        )

    def __str__(self) -> str:
        return self.panel()


def run_batch(
    events: Iterable[Event],
    *,
    interval: float = 3600.0,
    period: float | None = None,
    throughput: float = 10_000.0,
    first_run: float | None = None,
    aggregate: str = "sum",
) -> BatchReport:
    """Run a job every ``interval`` seconds over what arrived since the last run.

    The first run starts at ``first_run`` (default ``interval``). A run takes every event that
    arrived before its start and was not processed yet, needs ``len(batch) / throughput``
    seconds, and publishes when it ends. It recomputes every (key, period) its events touch from
    all events processed so far, where periods are [k*period, (k+1)*period) of event time
    (``period`` defaults to ``interval``). A run with nothing new to do is skipped; a run still
    busy at the next scheduled start delays that start.

    >>> from simulations import events
    >>> r = run_batch(events([("a", 1, 10.0), ("a", 2, 50.0), ("a", 4, 70.0)]),
    ...               interval=60, throughput=1)
    >>> [(x.start, x.value, x.published_at) for x in r.results]
    [(0.0, 3, 62.0), (60.0, 4, 121.0)]
    >>> r.machine_seconds, r.latency.max
    (3.0, 52.0)
    """
    evs = prepare(events)
    _check.positive("interval", interval, "seconds")
    if period is None:
        period = interval
    _check.positive("period", period, "seconds")
    _check.positive("throughput", throughput, "events/s")
    if first_run is None:
        first_run = interval
    _check.non_negative("first_run", first_run, "seconds")
    how = _check.choice("aggregate", aggregate, AGGREGATES)

    arrivals = [e.arrival_time for e in evs]
    accs: dict[tuple[str, float], list[float]] = {}  # (key, period start) -> values
    results: list[BatchResult] = []
    runs: list[BatchRun] = []
    latencies: list[tuple[float, float]] = []
    lat: list[float] = []
    i, n = 0, len(evs)
    scheduled = float(first_run)
    free_at = -math.inf
    while i < n:
        start = max(scheduled, free_at)
        j = bisect_left(arrivals, start, lo=i)  # arrivals strictly before the start
        if j == i:  # nothing new: skip ahead to the first schedule after the next arrival
            # (which is at or after start, so after the last run's end too)
            scheduled = _next_slot(first_run, interval, arrivals[i])
            continue
        batch = evs[i:j]
        end = start + len(batch) / throughput
        touched = set()
        for e in batch:
            p = e.event_time - e.event_time % period
            k = (e.key, p)
            accs.setdefault(k, []).append(e.value)
            touched.add(k)
            lat.append(end - e.event_time)
            latencies.append((e.event_time, end - e.event_time))
        index = len(runs)
        for k in sorted(touched):
            values = accs[k]
            value = _aggregate(values, how)
            results.append(BatchResult(k[0], k[1], k[1] + period, value, len(values), end, index))
        runs.append(BatchRun(index, start, end, len(batch)))
        i, free_at = j, end
        scheduled = _next_slot(first_run, interval, start)
    busy = sum(r.end - r.start for r in runs)
    latencies.sort()
    return BatchReport(
        results=results,
        runs=runs,
        latency=latency_stats(lat),
        throughput=n / busy if busy > 0 else 0.0,
        machine_seconds=busy,
        final={k: _aggregate(values, how) for k, values in sorted(accs.items())},
        interval=interval,
        period=period,
        aggregate=how,
        events=n,
        latencies=tuple(latencies),
    )


def _next_slot(first: float, interval: float, after: float) -> float:
    """The first scheduled start strictly after ``after`` (never before ``first``: callers ask
    only about instants from the first run on)."""
    # the slot at or before ``after``, or one off either way where the division rounds
    k = math.floor((after - first) / interval)
    while first + k * interval <= after:
        k += 1
    return first + k * interval  # computed as every slot is, never by adding up intervals


def batch_view(
    events: Iterable[Event], *, window: Window = MINUTE, aggregate: str = "sum"
) -> dict[tuple[str, float, float], float]:
    """Recompute windowed aggregates from scratch over all ``events``: the exact answer.

    This is what a batch job computes and what a stream job's results should converge to
    when no data is late. Processing-time windows group by arrival time.

    >>> from simulations import Session, Tumbling, events
    >>> batch_view(events([("a", 1, 1.0), ("a", 2, 12.0), ("b", 5, 3.0)]), window=Tumbling(10))
    {('a', 0.0, 10.0): 1, ('a', 10.0, 20.0): 2, ('b', 0.0, 10.0): 5}
    >>> batch_view(events([("a", 1, 1.0), ("a", 2, 4.0), ("a", 3, 20.0)]), window=Session(5))
    {('a', 1.0, 9.0): 3, ('a', 20.0, 25.0): 3}
    """
    evs = prepare(events)
    check_window(window)
    how = _check.choice("aggregate", aggregate, AGGREGATES)
    accs: dict[tuple[str, float, float], list[float]] = {}

    def add(k: tuple[str, float, float], v: float) -> None:
        accs.setdefault(k, []).append(v)

    if isinstance(window, Session):
        by_key: dict[str, list[Event]] = {}
        for e in evs:
            by_key.setdefault(e.key, []).append(e)
        for key in sorted(by_key):
            group = sorted(by_key[key], key=lambda e: e.event_time)
            members: list[Event] = []
            start = end = None
            for e in group:
                if end is not None and e.event_time < end:
                    members.append(e)
                    end = e.event_time + window.gap  # in event-time order: the latest reach
                    continue
                for m in members:
                    add((key, start, end), m.value)
                members, start, end = [e], e.event_time, e.event_time + window.gap
            for m in members:
                add((key, start, end), m.value)
    else:
        by_arrival = isinstance(window, ProcessingTime)
        assert isinstance(window, (Tumbling, Sliding, ProcessingTime))
        for e in evs:
            t = e.arrival_time if by_arrival else e.event_time
            for start, end in window.assign(t):
                add((e.key, start, end), e.value)
    return {k: _aggregate(values, how) for k, values in sorted(accs.items())}
