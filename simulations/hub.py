"""The Velocity Hub: one stream of events, a batch job and a stream job, compared side by side.

The course's other simulations look at one engine at a time. The hub puts the same events through
both, with the dials a reader can turn (event rate, batch interval, window size, watermark delay,
out-of-orderness, late fraction), so the timing trade-offs show up as numbers next to each other:
a batch job waits for its schedule but runs briefly; a stream job answers within a window plus a
watermark delay but is always on; a longer watermark delay buys completeness with latency.

>>> r = compare(rate=2, duration=300, batch_interval=120)
>>> list(r.figures())[:3]
['latency p50', 'latency p95', 'latency p99']
>>> r.batch.events == r.stream.events == len(r.events)
True
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from . import _check
from ._format import count, num, seconds, table
from .batch import BatchReport, run_batch
from .charts import Chart, line_chart
from .events import Event, generate_stream, prepare
from .stats import _sorted_percentile
from .stream import StreamReport, run_stream
from .windows import Tumbling

# The order of the rows in figures() and table(): latency first, as readers compare it first.
METRICS = (
    "latency p50",
    "latency p95",
    "latency p99",
    "throughput (events/machine-s)",
    "cost (machine-s)",
    "late events",
    "results emitted",
)


@dataclass(frozen=True, slots=True)
class HubReport:
    """Both jobs' reports on the same events, with the figures that compare them.

    ``batch_cost`` adds ``batch_startup`` machine-seconds per run to the batch job's busy time:
    a real batch run pays to start its machines, which is why very short intervals give back the
    batch job's cost advantage. ``batch_late`` counts events that missed their period's first
    published result (a later run corrected it); ``stream.late`` holds the events the stream job
    set aside because their window had closed. ``stream_latencies`` is each event's latency in
    the stream job (late events have none), sorted.
    """

    batch: BatchReport
    stream: StreamReport
    events: tuple[Event, ...]
    settings: dict[str, float]
    batch_cost: float
    batch_late: int
    stream_latencies: tuple[float, ...]

    @property
    def stream_cost(self) -> float:
        """Machine-seconds of the stream job: it is on from the first event to the last."""
        return self.stream.machine_seconds

    def figures(self) -> dict[str, tuple[str, str]]:
        """Each metric as (batch text, stream text), in the order of :data:`METRICS`."""
        b, s = self.batch, self.stream
        n = len(self.events)
        return {
            "latency p50": (_lat(b.latency.p50, b), _lat(s.latency.p50, s)),
            "latency p95": (_lat(b.latency.p95, b), _lat(s.latency.p95, s)),
            "latency p99": (_lat(b.latency.p99, b), _lat(s.latency.p99, s)),
            "throughput (events/machine-s)": (
                _rate(n, self.batch_cost),
                _rate(n, self.stream_cost),
            ),
            "cost (machine-s)": (num(round(self.batch_cost, 1)), num(round(self.stream_cost, 1))),
            "late events": (
                f"{count(self.batch_late)} corrected later",
                f"{count(len(s.late))} left out",
            ),
            "results emitted": (count(len(b.results)), count(len(s.emissions))),
        }

    def table(self) -> str:
        """The figures as a text table: one row per metric, batch and stream side by side."""
        rows = [[metric, bt, st] for metric, (bt, st) in self.figures().items()]
        return table(["metric", "batch", "stream"], rows)

    def panel(self) -> str:
        """Both status panels, batch first, separated by a blank line."""
        return self.batch.panel() + "\n\n" + self.stream.panel()

    def chart(self) -> Chart:
        """The latency distribution of both jobs: the share of events with a result by x seconds.

        Percentiles read off it directly (where a curve crosses 50, 95 and 99), and the stream
        curve stops short of 100% by the share of late events, which never got a result.
        """
        n = len(self.events)
        return line_chart(
            {
                "batch": _distribution(sorted(lat for _, lat in self.batch.latencies), n),
                "stream": _distribution(list(self.stream_latencies), n),
            },
            title="Latency distribution: batch vs stream",
            x_label="latency (s): time from an event to a result that includes it",
            y_label="% of events with a result",
        )

    def __str__(self) -> str:
        return self.table()


def compare(
    *,
    rate: float = 5.0,
    batch_interval: float = 300.0,
    window: float = 60.0,
    watermark_delay: float = 5.0,
    out_of_order: float = 1.0,
    late_fraction: float = 0.02,
    duration: float = 900.0,
    keys: int = 10,
    seed: int = 7,
    batch_startup: float = 60.0,
) -> HubReport:
    """Generate one stream and run a batch job and a stream job on it: the Velocity Hub.

    The stream has ``rate`` events/s for ``duration`` seconds over ``keys`` keys; each event is
    delayed by an exponential network delay with mean ``out_of_order`` seconds, and a
    ``late_fraction`` of them are stragglers 30 s later still. The batch job runs every
    ``batch_interval`` seconds and sums each key per ``window`` seconds of event time; each run
    also costs ``batch_startup`` machine-seconds to start (started ahead of its cut-off, so it
    adds cost, not latency). The stream job sums the same tumbling windows and emits each when
    its watermark, ``watermark_delay`` seconds behind the latest event time, passes the end.

    >>> r = compare()
    >>> r.batch.events == r.stream.events
    True
    >>> r.figures()["results emitted"][1] == str(len(r.stream.emissions))
    True
    """
    _check.positive("rate", rate, "events/s")
    _check.positive("batch_interval", batch_interval, "seconds")
    _check.positive("window", window, "seconds")
    _check.non_negative("watermark_delay", watermark_delay, "seconds")
    _check.non_negative("out_of_order", out_of_order, "seconds")
    _check.fraction("late_fraction", late_fraction)
    _check.positive("duration", duration, "seconds")
    _check.non_negative("batch_startup", batch_startup, "seconds")
    evs = generate_stream(
        rate=rate,
        duration=duration,
        keys=keys,
        seed=seed,
        mean_delay=out_of_order,
        late_fraction=late_fraction,
    )
    settings = {
        "rate": rate,
        "batch_interval": batch_interval,
        "window": window,
        "watermark_delay": watermark_delay,
        "out_of_order": out_of_order,
        "late_fraction": late_fraction,
        "duration": duration,
        "keys": keys,
        "seed": seed,
        "batch_startup": batch_startup,
    }
    return compare_events(
        evs,
        batch_interval=batch_interval,
        window=window,
        watermark_delay=watermark_delay,
        batch_startup=batch_startup,
        settings=settings,
    )


def compare_events(
    events: Sequence[Event],
    *,
    batch_interval: float = 300.0,
    window: float = 60.0,
    watermark_delay: float = 5.0,
    batch_startup: float = 60.0,
    settings: dict[str, float] | None = None,
) -> HubReport:
    """Run both jobs on given ``events``: :func:`compare` without the generator.

    >>> from simulations import events
    >>> r = compare_events(events([("a", 1, 1.0), ("a", 2, 61.0), ("a", 4, 2.0, 70.0)]),
    ...                    batch_interval=60, window=60, watermark_delay=0, batch_startup=10)
    >>> r.batch_late, len(r.stream.late), round(r.batch_cost, 4)
    (1, 1, 20.0003)
    """
    evs = prepare(events)
    _check.positive("batch_interval", batch_interval, "seconds")
    _check.positive("window", window, "seconds")
    _check.non_negative("watermark_delay", watermark_delay, "seconds")
    _check.non_negative("batch_startup", batch_startup, "seconds")
    batch = run_batch(evs, interval=batch_interval, period=window)
    stream = run_stream(evs, window=Tumbling(window), watermark_delay=watermark_delay)
    return HubReport(
        batch=batch,
        stream=stream,
        events=tuple(evs),
        settings=dict(settings or {}),
        batch_cost=batch.machine_seconds + batch_startup * len(batch.runs),
        batch_late=_batch_late(evs, batch),
        stream_latencies=_stream_latencies(evs, stream),
    )


def _batch_late(evs: list[Event], batch: BatchReport) -> int:
    """Events that missed the first run after their period ended, and so its complete result.

    That run is the batch job's counterpart of a window closing in the stream job: an event that
    arrives after it started is only in a later, corrected result. (A run that starts before the
    period ends publishes a partial result on purpose; missing it does not make an event late.)
    """
    starts = [r.start for r in batch.runs]
    period = batch.period
    late = 0
    for e in evs:
        end = e.event_time - e.event_time % period + period
        due = bisect_left(starts, end)  # the first run that starts once the period is over
        late += bisect_right(starts, e.arrival_time) > due  # a run takes arrivals before its start
    return late


def _stream_latencies(evs: list[Event], stream: StreamReport) -> tuple[float, ...]:
    """Each on-time event's latency: its window's first emission minus its event time."""
    emitted: dict[tuple[str, float, float], float] = {}
    for e in stream.emissions:
        emitted.setdefault((e.key, e.start, e.end), e.emitted_at)
    late = {id(x.event) for x in stream.late}
    size = stream.window.size
    out = []
    for e in evs:
        if id(e) in late:
            continue
        start = e.event_time - e.event_time % size
        out.append(emitted[(e.key, start, start + size)] - e.event_time)
    out.sort()
    return tuple(out)


def _distribution(latencies: list[float], total: int) -> list[tuple[float, float]]:
    """Points (latency, % of all events with a result by then), one per percent of results."""
    if not latencies:
        return []
    share = 100.0 * len(latencies) / total
    return [(_sorted_percentile(latencies, q), round(share * q / 100, 3)) for q in range(101)]


def _lat(value: float, report: BatchReport | StreamReport) -> str:
    return seconds(value) if report.latency.count else "no results"


def _rate(n: int, machine_seconds: float) -> str:
    return num(n / machine_seconds) if machine_seconds > 0 else "n/a"
