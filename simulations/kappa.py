"""The Kappa architecture: one stream job over a replayable, append-only log.

There is no batch layer. To change the logic (a new window, a bug fix), deploy a second job that
reads the log again from offset 0 into a new output; once it has caught up with the head of the
log, readers switch to the new output and the old job is retired. Reprocessing is just streaming,
faster, so there is one code path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import _check
from ._format import count, num
from .aggregates import AGGREGATES
from .events import Event, prepare
from .panel import status_panel
from .stats import LatencyStats, latency_stats
from .stream import Emission, Engine, check_stream_args, run_stream
from .windows import MINUTE, Window, check_window


class Log:
    """An append-only log: events get offsets 0, 1, 2, ... and are never changed or removed.

    Because nothing is lost, any job can re-read the past from any offset: the basis of Kappa.

    >>> log = Log()
    >>> log.append(Event("a", 1, 0.0))
    0
    >>> log.append(Event("b", 2, 1.0))
    1
    >>> [e.key for e in log.read(1)], len(log)
    (['b'], 2)
    """

    __slots__ = ("_events",)

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self._events: list[Event] = []
        for e in events:
            self.append(e)

    def append(self, event: Event) -> int:
        """Add ``event`` at the head and return its offset."""
        if not isinstance(event, Event):
            raise TypeError(f"event must be an Event, got {type(event).__name__}")
        self._events.append(event)
        return len(self._events) - 1

    def read(self, offset: int = 0) -> Iterator[Event]:
        """The events from ``offset`` to the head, in log order."""
        _check.integer("offset", offset, minimum=0)
        return iter(self._events[offset:])

    def __len__(self) -> int:
        return len(self._events)

    def __getitem__(self, offset: int) -> Event:
        return self._events[offset]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Log) and self._events == other._events

    __hash__ = None  # type: ignore[assignment]  # a log grows: it cannot be a dict key

    def __repr__(self) -> str:
        return f"Log({len(self._events)} events)"


@dataclass(frozen=True, slots=True)
class KappaReport:
    """The old and the new job's outputs, and when the new one caught up and took over."""

    log: Log
    old_output: list[Emission]
    new_output: list[Emission]
    caught_up_at: float
    switched_at: float
    replay_seconds: float
    redeploy_at: float
    old_final: dict[tuple[str, float, float], float]
    new_final: dict[tuple[str, float, float], float]
    latency: LatencyStats

    def serving(self, t: float) -> str:
        """Which output readers use at time ``t``: "old" before the switch, "new" after."""
        _check.number("t", t)
        return "new" if t >= self.switched_at else "old"

    def read(self, t: float) -> dict[tuple[str, float, float], float]:
        """What a reader sees at ``t``: the latest value per window in the output being served."""
        out = self.new_output if self.serving(t) == "new" else self.old_output
        view: dict[tuple[str, float, float], float] = {}
        for e in out:
            if e.emitted_at <= t:
                view[(e.key, e.start, e.end)] = e.value
        return dict(sorted(view.items()))

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        return status_panel(
            mode="KAPPA [one stream job, replayable log]",
            trigger=f"EVENT [redeploy at {num(self.redeploy_at)}s: replay from offset 0]",
            volume=f"{count(len(self.log))} events in the log",
            latency=self.latency,
            latency_of="event → window result",
            status=(
                f"SWITCHED [at {num(self.switched_at)}s, replay took {num(self.replay_seconds)}s]"
            ),
        )

    def __str__(self) -> str:
        return self.panel()


def run_kappa(
    events: Iterable[Event],
    *,
    window: Window = MINUTE,
    new_window: Window | None = None,
    aggregate: str = "sum",
    new_aggregate: str | None = None,
    watermark_delay: float = 5.0,
    redeploy_at: float | None = None,
    replay_throughput: float = 100_000.0,
    semantics: str = "course",
) -> KappaReport:
    """Run a stream job over a log, then redeploy new logic by replaying the log from offset 0.

    The old job (``window``, ``aggregate``) processes events as they arrive. At ``redeploy_at``
    (default: halfway through the arrivals) a new job (``new_window``/``new_aggregate``,
    defaulting to the old ones) starts at offset 0 and reads the log at ``replay_throughput``
    events/s into a new output. It has caught up when it has processed everything that has
    arrived; readers switch to the new output at that moment. Both jobs follow the profile
    ``semantics`` (see :mod:`simulations.semantics`; not "spark").

    >>> from simulations import Tumbling, events
    >>> evs = events([("a", 1, 1.0), ("a", 2, 12.0), ("a", 4, 25.0), ("a", 8, 38.0)])
    >>> r = run_kappa(evs, window=Tumbling(10), new_window=Tumbling(20), watermark_delay=0,
    ...               redeploy_at=30.0, replay_throughput=1.0)
    >>> r.caught_up_at, r.switched_at, sorted(r.new_final.values())
    (33.0, 33.0, [3, 12])
    """
    evs = prepare(events)
    new_window = window if new_window is None else new_window
    new_aggregate = aggregate if new_aggregate is None else new_aggregate
    check_stream_args(window, watermark_delay, 0.0, aggregate, semantics)
    check_window(new_window, "new_window")
    _check.choice("new_aggregate", new_aggregate, AGGREGATES)
    _check.positive("replay_throughput", replay_throughput, "events/s")
    first = evs[0].arrival_time if evs else 0.0
    last = evs[-1].arrival_time if evs else 0.0
    if redeploy_at is None:
        redeploy_at = (first + last) / 2
    _check.number("redeploy_at", redeploy_at)

    log = Log(evs)
    new = Engine(
        new_window, watermark_delay=watermark_delay, aggregate=new_aggregate, semantics=semantics
    )
    old = run_stream(
        evs,
        window=window,
        aggregate=aggregate,
        watermark_delay=watermark_delay,
        semantics=semantics,
    )
    step = 1.0 / replay_throughput
    now = redeploy_at
    caught_up_at = None
    for offset in range(len(log)):
        ev = log[offset]
        now = max(now, ev.arrival_time) + step
        new.process(ev, now)
        if caught_up_at is None and (offset + 1 == len(log) or log[offset + 1].arrival_time > now):
            caught_up_at = now  # nothing that has arrived is still unread
    if evs:
        new.finish(now)
    if caught_up_at is None:
        caught_up_at = redeploy_at
    return KappaReport(
        log=log,
        old_output=old.emissions,
        new_output=new.emissions,
        caught_up_at=caught_up_at,
        switched_at=caught_up_at,
        replay_seconds=caught_up_at - redeploy_at,
        redeploy_at=redeploy_at,
        old_final=old.final,
        new_final=dict(new.final),
        latency=latency_stats(new.latencies),
    )
