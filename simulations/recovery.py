"""Failure and recovery: checkpoints, a crash, a restore and a replay.

A stream job runs for months, so it will crash. It survives by taking periodic checkpoints of
its state together with its position (offset) in the input. After a crash it restores the last
checkpoint and re-reads the input from that offset. The state is then exactly right; what the
*sink* saw depends on the delivery guarantee:

* at-least-once: results written since the checkpoint were already delivered, and the replay
  writes them again: duplicates;
* exactly-once: sink writes are committed together with the checkpoint (two-phase commit);
  uncommitted writes are discarded at the crash, so the replay writes each result once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import _check
from ._format import count, num, plural
from .events import Event, prepare
from .panel import status_panel
from .stats import LatencyStats, latency_stats
from .stream import Emission, Engine
from .windows import MINUTE, Window

GUARANTEES = ("at-least-once", "exactly-once")
NO_DATA = LatencyStats(0, 0.0, 0.0, 0.0, 0.0, 0.0)


def identity(e: Emission) -> tuple:
    """What a result says, without when it was written: duplicates share an identity."""
    return (e.key, e.start, e.end, e.value, e.count, e.update)


@dataclass(frozen=True, slots=True)
class RecoveryReport:
    """What the sink received across a crash, and what the recovery cost.

    ``sink`` is every write the downstream saw, in order; ``duplicates`` are the writes in it that
    repeat an earlier one (always empty with exactly-once). ``replayed`` counts the events read
    a second time; ``restored_from`` is the time of the checkpoint used (0.0: the start).
    ``visible_at[i]`` is when ``sink[i]`` became visible downstream: at once with at-least-once,
    at the commit of the checkpoint after it with exactly-once (the last commit comes with the
    end of the input). ``latency`` is visible_at - window end: what a reader of the sink waits,
    so exactly-once shows its price of up to one checkpoint interval.
    """

    sink: list[Emission]
    duplicates: list[Emission]
    replayed: int
    checkpoints: list[float]
    restored_from: float
    final: dict[tuple[str, float, float], float]
    guarantee: str = "exactly-once"
    crash_at: float = 60.0
    events: int = 0
    checkpoint_interval: float = 30.0
    latency: LatencyStats = NO_DATA
    visible_at: list[float] = field(default_factory=list)

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        return status_panel(
            mode=f"STREAM_PROCESSING [{self.guarantee}]",
            trigger=(
                f"EVENT [checkpoint every {num(self.checkpoint_interval)}s, "
                f"crash at {num(self.crash_at)}s]"
            ),
            volume=f"{count(self.events)} events ({count(self.replayed)} replayed)",
            latency=self.latency,
            latency_of="window end → visible in the sink",
            status=(
                f"RECOVERED [from checkpoint at {num(self.restored_from)}s, "
                f"{plural(len(self.duplicates), 'duplicate')} in the sink]"
            ),
        )

    def __str__(self) -> str:
        return self.panel()


def run_with_crash(
    events: Iterable[Event],
    *,
    window: Window = MINUTE,
    watermark_delay: float = 5.0,
    checkpoint_interval: float = 30.0,
    crash_at: float = 60.0,
    guarantee: str = "exactly-once",
    semantics: str = "course",
) -> RecoveryReport:
    """Run a stream job that crashes at ``crash_at``, restores its last checkpoint and replays.

    Checkpoints are taken every ``checkpoint_interval`` seconds of processing time and hold
    the state and the offset of the first unprocessed event. The crash loses everything after
    the last checkpoint strictly before ``crash_at``; the job restarts at once and re-reads the
    input from the saved offset (re-read events are processed at ``crash_at``). ``semantics``
    names the profile the job follows (see :mod:`simulations.semantics`; not "spark").

    >>> from simulations import Tumbling, events
    >>> evs = events([("a", 1, 5.0), ("a", 2, 15.0), ("a", 4, 25.0), ("a", 8, 35.0)])
    >>> r = run_with_crash(evs, window=Tumbling(10), watermark_delay=0,
    ...                    checkpoint_interval=12, crash_at=30, guarantee="at-least-once")
    >>> r.restored_from, r.replayed, [(d.start, d.value) for d in r.duplicates]
    (24.0, 1, [(10.0, 2)])
    """
    evs = prepare(events)
    _check.positive("checkpoint_interval", checkpoint_interval, "seconds")
    _check.number("crash_at", crash_at)
    _check.choice("guarantee", guarantee, GUARANTEES)
    engine = Engine(window, watermark_delay=watermark_delay, semantics=semantics)
    exactly_once = guarantee == "exactly-once"

    sink: list[Emission] = []
    visible_at: list[float] = []  # when each write in the sink became visible
    open_txn: list[Emission] = []  # exactly-once: written but not yet committed
    checkpoints: list[float] = []
    snap = (engine.snapshot(), 0.0)
    next_ckpt = float(checkpoint_interval)
    seen = 0  # emissions of the engine already forwarded

    def forward() -> None:
        nonlocal seen
        new = engine.emissions[seen:]
        seen = len(engine.emissions)
        if exactly_once:
            open_txn.extend(new)
        else:
            sink.extend(new)
            visible_at.extend(e.emitted_at for e in new)

    def commit(at: float) -> None:
        sink.extend(open_txn)
        visible_at.extend([at] * len(open_txn))
        open_txn.clear()

    def checkpoint(at: float) -> tuple[dict, float]:
        checkpoints.append(at)
        commit(at)  # state, offset and writes become durable together
        return engine.snapshot(), at

    # before the crash
    i, n = 0, len(evs)
    while i < n and evs[i].arrival_time < crash_at:
        now = evs[i].arrival_time
        while next_ckpt <= now:
            snap = checkpoint(next_ckpt)
            next_ckpt += checkpoint_interval
        engine.process(evs[i], now)
        forward()
        i += 1
    while next_ckpt < crash_at:
        snap = checkpoint(next_ckpt)
        next_ckpt += checkpoint_interval
    before_crash = len(sink)
    open_txn.clear()  # the crash: uncommitted writes are rolled back

    # restore and replay
    state, restored_from = snap
    engine.restore(state)
    replayed = i - engine.offset
    for j in range(engine.offset, n):
        now = max(evs[j].arrival_time, crash_at)
        while next_ckpt <= now:
            snap = checkpoint(next_ckpt)
            next_ckpt += checkpoint_interval
        engine.process(evs[j], now)
        forward()
    end = max(crash_at, evs[-1].arrival_time) if evs else crash_at
    engine.finish(end)
    forward()
    if exactly_once:
        commit(end)  # the final commit at the end of the input

    # A job writes each result once (every later write of a window counts one more event), so
    # a write after the crash is a duplicate exactly when the same result was written before.
    written = {identity(e) for e in sink[:before_crash]}
    duplicates = [e for e in sink[before_crash:] if identity(e) in written]
    return RecoveryReport(
        sink=sink,
        duplicates=duplicates,
        replayed=replayed,
        checkpoints=checkpoints,
        restored_from=restored_from,
        final=dict(engine.final),
        guarantee=guarantee,
        crash_at=crash_at,
        events=n,
        checkpoint_interval=checkpoint_interval,
        latency=latency_stats([at - e.end for e, at in zip(sink, visible_at, strict=True)]),
        visible_at=visible_at,
    )
