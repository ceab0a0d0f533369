"""Per-event processing: score each event and decide on it the moment it has been handled.

Much of what streaming is for needs no window. A login is scored, a payment checked, a reading
filtered or enriched as it arrives, and the answer exists as soon as that one event has been
handled: its latency is the work done on the event plus any queue in front of the processor,
milliseconds. A windowed aggregate answers only after its window has ended and the watermark has
passed that end, so its result latency is a window plus the watermark delay. Both are streaming;
they are different work, and a course that reports one number for both hides the contrast.

The model is stated, not assumed away: one processor, a fixed ``cost`` in seconds per event,
events served in arrival order (first in, first out). An event that arrives while the processor
is busy waits, so a burst queues up exactly as in ``run_stream(..., throughput=1 / cost)``. The
score is a keyed-state feature, the number of events of the same key in the last ``horizon``
seconds of event time, including this one, as an attack detector counts failed logins per
account; the event is flagged when the score exceeds ``threshold``.

Two latencies come out, because they answer different questions:

- **processing latency**: decided_at - arrival_time, the processor's own share (cost + queue);
- **result latency**: decided_at - event_time, what the user of the decision sees, which also
  includes the transport delay before the event reached the processor.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass

from . import _check
from ._format import count, num, plural, seconds
from .events import Event, prepare
from .panel import status_panel
from .stats import LatencyStats, latency_stats


@dataclass(frozen=True, slots=True)
class Decision:
    """The decision on one event: its ``score``, whether it was ``flagged``, and when."""

    event: Event
    score: int
    flagged: bool
    decided_at: float


@dataclass(frozen=True, slots=True)
class ScoringReport:
    """What a per-event scoring job decided and how long each decision took.

    ``processing`` summarises decided_at - arrival_time (the per-event cost plus queueing);
    ``result`` summarises decided_at - event_time (plus the transport delay). ``busy_seconds``
    is the processor's working time (events x cost); ``machine_seconds`` the span it was on.
    """

    decisions: list[Decision]
    processing: LatencyStats
    result: LatencyStats
    cost: float
    horizon: float
    threshold: int
    busy_seconds: float
    machine_seconds: float
    events: int = 0

    @property
    def alerts(self) -> list[Decision]:
        """The flagged decisions, in the order they were made."""
        return [d for d in self.decisions if d.flagged]

    def first_alert(self) -> dict[str, Decision]:
        """Each key's first flagged decision: when an alert for that key was first raised."""
        first: dict[str, Decision] = {}
        for d in self.decisions:
            if d.flagged:
                first.setdefault(d.event.key, d)
        return first

    def panel(self) -> str:
        """The status panel: Latency from the event, Processing from its arrival."""
        share = self.busy_seconds / self.machine_seconds if self.machine_seconds > 0 else 1.0
        return status_panel(
            mode="STREAM_PROCESSING [per event: score and decide]",
            trigger=f"EVENT [each event, {seconds(self.cost)} of work]",
            volume=(
                f"{count(self.events)} events "
                f"({plural(len(self.alerts), 'alert')}, score > {self.threshold} "
                f"in {num(self.horizon)}s)"
            ),
            latency=self.result,
            latency_of="event → decision",
            status=(
                f"RUNNING [always on: {num(self.machine_seconds)} machine-s, busy {share:.2%}]"
            ),
            processing=f"{self.processing} (arrival → decision)",
        )

    def __str__(self) -> str:
        return self.panel()


def run_scoring(
    events: Iterable[Event],
    *,
    cost: float = 0.002,
    horizon: float = 10.0,
    threshold: int = 20,
) -> ScoringReport:
    """Score every event as it arrives and flag those whose key is unusually active.

    Each event costs ``cost`` seconds of the one processor's time; events are served in arrival
    order, so one that arrives while the processor is busy waits its turn. Its score is the
    number of events of its key with an event time in (t - ``horizon``, t], among those seen so
    far (keyed state); it is flagged when the score exceeds ``threshold``.

    >>> from simulations import events
    >>> r = run_scoring(events([("a", 1, 0.0), ("a", 1, 0.5), ("a", 1, 0.6, 0.7)]),
    ...                 cost=0.25, horizon=10, threshold=2)
    >>> [(d.score, d.flagged, d.decided_at) for d in r.decisions]
    [(1, False, 0.25), (2, False, 0.75), (3, True, 1.0)]
    >>> r.processing.max, r.result.max
    (0.3, 0.4)
    """
    evs = prepare(events)
    _check.positive("cost", cost, "seconds per event")
    _check.positive("horizon", horizon, "seconds")
    _check.integer("threshold", threshold, minimum=0)
    # Keyed state: each key's event times, sorted. Kept whole so that a straggler is scored
    # against everything around it; a real job would expire times older than the horizon plus
    # the lateness it tolerates (a state time-to-live).
    seen: dict[str, list[float]] = {}
    decisions: list[Decision] = []
    free_at = -float("inf")  # when the processor finishes the event before
    for ev in evs:
        free_at = max(ev.arrival_time, free_at) + cost
        times = seen.setdefault(ev.key, [])
        insort(times, ev.event_time)
        t = ev.event_time
        score = bisect_right(times, t) - bisect_right(times, t - horizon)
        decisions.append(Decision(ev, score, score > threshold, round(free_at, 9)))
    span = decisions[-1].decided_at - evs[0].arrival_time if evs else 0.0
    return ScoringReport(
        decisions=decisions,
        processing=latency_stats(round(d.decided_at - d.event.arrival_time, 9) for d in decisions),
        result=latency_stats(round(d.decided_at - d.event.event_time, 9) for d in decisions),
        cost=cost,
        horizon=horizon,
        threshold=threshold,
        busy_seconds=len(evs) * cost,
        machine_seconds=span,
        events=len(evs),
    )


__all__ = ["Decision", "ScoringReport", "run_scoring"]
