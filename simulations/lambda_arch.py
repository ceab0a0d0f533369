"""The Lambda architecture: a batch layer for exact answers, a speed layer for fresh ones.

The batch layer recomputes the whole view from all data on a schedule: slow, but exact, and it
fixes whatever the streaming side got wrong (late events it dropped). The speed layer is a stream
job over what arrived since the batch view's cutoff: fresh, but approximate. The serving layer
answers a query at time t by merging the latest published batch view with the speed layer's
results. The cost is two code paths for one answer, and the merge itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import _check
from ._format import clock, num, plural
from .batch import batch_view
from .events import Event, prepare
from .panel import status_panel
from .stats import LatencyStats
from .stream import Emission, run_stream
from .windows import MINUTE, Window


@dataclass(frozen=True, slots=True)
class BatchView:
    """A batch layer output: sums over events that arrived before ``cutoff``, published later."""

    cutoff: float
    published_at: float
    events: int
    view: dict[tuple[str, float], float]


@dataclass(frozen=True, slots=True)
class Correction:
    """A value the serving layer changed when batch view ``run`` was published at ``at``."""

    key: str
    start: float
    before: float | None
    after: float | None
    at: float
    run: int


@dataclass(frozen=True, slots=True)
class LambdaReport:
    """Batch views, speed-layer outputs, and the corrections the batch layer made.

    ``speed`` maps each batch cutoff (0.0 before the first run) to the emissions of the speed
    layer that covers events arriving from that cutoff on.
    """

    batch_views: list[BatchView]
    speed: dict[float, list[Emission]]
    corrections: list[Correction]
    speed_late: dict[float, int]
    latency: LatencyStats
    batch_interval: float = 3600.0
    events: int = 0

    def _served(self, t: float) -> tuple[float, dict[tuple[str, float], float]]:
        """The cutoff and view of the latest batch view published by ``t`` (none: 0.0, {})."""
        cutoff, view = 0.0, {}
        for v in self.batch_views:
            if v.published_at <= t:
                cutoff, view = v.cutoff, v.view
        return cutoff, view

    def query(self, t: float) -> dict[tuple[str, float], float]:
        """The serving layer's answer at time ``t``: latest batch view + speed layer since then.

        Sums merge by addition: the batch view holds events that arrived before its cutoff,
        the speed layer those that arrived after it.
        """
        _check.number("t", t)
        cutoff, view = self._served(t)
        return _merge(view, self.speed[cutoff], t)  # a speed layer runs from every cutoff

    def staleness(self, t: float) -> float:
        """Seconds between ``t`` and the cutoff of the batch view served at ``t``."""
        _check.number("t", t)
        return t - self._served(t)[0]

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        last = self.batch_views[-1].published_at if self.batch_views else 0.0
        return status_panel(
            mode="LAMBDA [batch layer + speed layer]",
            trigger=f"SCHEDULED [every {clock(self.batch_interval)}] + EVENT",
            volume=self.events,
            latency=self.latency,
            latency_of="event → speed-layer result",
            status=(
                f"SERVING [{plural(len(self.batch_views), 'batch view')}, "
                f"{plural(len(self.corrections), 'correction')}, staleness at "
                f"{num(last)}s: {num(self.staleness(last))}s]"
            ),
        )

    def __str__(self) -> str:
        return self.panel()


def _merge(
    view: dict[tuple[str, float], float], speed: list[Emission], t: float
) -> dict[tuple[str, float], float]:
    fresh: dict[tuple[str, float], float] = {}
    for e in speed:
        if e.emitted_at <= t:
            fresh[(e.key, e.start)] = e.value  # each emission carries the full value
    merged = dict(view)
    for k, v in fresh.items():
        merged[k] = merged.get(k, 0) + v
    return dict(sorted(merged.items()))


def run_lambda(
    events: Iterable[Event],
    *,
    batch_interval: float = 3600.0,
    window: Window = MINUTE,
    watermark_delay: float = 5.0,
    batch_throughput: float = 10_000.0,
    semantics: str = "course",
) -> LambdaReport:
    """Simulate a Lambda architecture computing windowed sums over ``events``.

    Batch runs start every ``batch_interval`` seconds (the first at ``batch_interval``) until
    every event is covered; each recomputes the full view from all events that arrived before
    its start, taking (all events so far) / ``batch_throughput`` seconds, and publishes at the end.
    The speed layer runs :func:`run_stream` over the events that arrived since the cutoff of the
    view being served, and drops its late data; the next batch run corrects that. The speed
    layer follows the profile ``semantics`` (see :mod:`simulations.semantics`).

    >>> from simulations import Tumbling, events
    >>> evs = events([("a", 1, 5.0), ("a", 2, 30.0), ("a", 4, 8.0, 40.0)])
    >>> r = run_lambda(evs, batch_interval=100, window=Tumbling(10), watermark_delay=0)
    >>> r.query(45.0), r.query(101.0)
    ({('a', 0.0): 1, ('a', 30.0): 2}, {('a', 0.0): 5, ('a', 30.0): 2})
    >>> [(c.start, c.before, c.after) for c in r.corrections]
    [(0.0, 1, 5)]
    """
    evs = prepare(events)
    _check.positive("batch_interval", batch_interval, "seconds")
    _check.positive("batch_throughput", batch_throughput, "events/s")

    def speed_layer(cutoff: float) -> tuple[list[Emission], int, LatencyStats]:
        rep = run_stream(
            [e for e in evs if e.arrival_time >= cutoff],
            window=window,
            watermark_delay=watermark_delay,
            semantics=semantics,
        )
        return rep.emissions, len(rep.late) + len(rep.dropped), rep.latency

    speed: dict[float, list[Emission]] = {}
    speed_late: dict[float, int] = {}
    speed[0.0], speed_late[0.0], latency = speed_layer(0.0)  # checks window, delay, semantics
    views: list[BatchView] = []
    last = evs[-1].arrival_time if evs else 0.0
    k = 1
    while evs and (k - 1) * batch_interval <= last:
        cutoff = k * batch_interval
        arrived = [e for e in evs if e.arrival_time < cutoff]
        full = batch_view(arrived, window=window, aggregate="sum")
        view = {(key, start): v for (key, start, _end), v in full.items()}
        views.append(
            BatchView(cutoff, cutoff + len(arrived) / batch_throughput, len(arrived), view)
        )
        speed[cutoff], speed_late[cutoff], _ = speed_layer(cutoff)
        k += 1

    corrections: list[Correction] = []
    previous_cutoff, previous_view = 0.0, {}
    for run, v in enumerate(views):
        before = _merge(previous_view, speed[previous_cutoff], v.published_at)
        after = _merge(v.view, speed[v.cutoff], v.published_at)
        for key_start in sorted(set(before) | set(after)):
            b, a = before.get(key_start), after.get(key_start)
            if a != b:
                corrections.append(
                    Correction(key_start[0], key_start[1], b, a, v.published_at, run)
                )
        previous_cutoff, previous_view = v.cutoff, v.view
    return LambdaReport(
        batch_views=views,
        speed=speed,
        corrections=corrections,
        speed_late=speed_late,
        latency=latency,
        batch_interval=batch_interval,
        events=len(evs),
    )
