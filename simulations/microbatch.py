"""Micro-batches: the stream read a few seconds at a time, as Spark Structured Streaming reads it.

A micro-batch engine does not look at each event as it comes: every ``trigger_interval`` seconds
it takes what has arrived since the last batch and runs a small batch job on it, against the state
left by the batches before. The watermark moves only between batches, so a window is finished (and,
in append mode, written) one batch after the event that moved the watermark past its end. The
rules are those of the "spark" profile in :mod:`simulations.semantics`.
"""

from __future__ import annotations

import math

from . import _check
from .aggregates import aggregate as aggregate_values
from .events import Event
from .semantics import OUTPUT_MODES
from .stream import Emission, LateEvent, StreamReport, _report
from .windows import ProcessingTime, Session, Window

INF = math.inf


def run_micro_batch(
    evs: list[Event],
    window: Window,
    watermark_delay: float,
    allowed_lateness: float,
    aggregate: str,
    trigger_interval: float,
    output_mode: str,
) -> StreamReport:
    """Run the "spark" profile over events already in arrival order.

    Batch ``n`` runs at ``n * trigger_interval`` and reads the events that arrived in the
    interval before it, ``[(n - 1) * trigger_interval, n * trigger_interval)``: an event that
    arrives exactly as a batch starts waits for the next one, as :func:`simulations.run_batch`
    reads only what arrived before a run starts. (Spark's guide says only that a batch starts
    every interval; which batch reads a row landing exactly on a trigger is a matter of timing
    in a real query, so this is the course's convention.) It drops each (event, window) whose
    window ends at or before the watermark of the batch before (Spark filters late rows with the
    previous batch's watermark), adds the rest to the state, writes results as ``output_mode``
    says (a window is finished when it ends at or before the batch's own watermark), then moves
    the watermark to ``max event time so far - watermark_delay``. A batch with no new events
    still runs when the watermark has just moved (Spark's "no-data batch"). After the last batch
    the end of the input moves the watermark past every window, one interval later.

    >>> from simulations import Tumbling, events, run_stream
    >>> r = run_stream(events([("a", 1, 1.0), ("a", 2, 12.0), ("a", 4, 5.0, 21.0)]),
    ...                window=Tumbling(10), watermark_delay=0.0, semantics="spark",
    ...                trigger_interval=5.0)
    >>> [(e.start, e.value, e.emitted_at) for e in r.emissions]
    [(0.0, 1, 20.0), (10.0, 2, 30.0)]
    >>> [(x.event.value, x.start) for x in r.dropped]
    [(4, 0.0)]
    """
    _check.positive("trigger_interval", trigger_interval, "seconds")
    _check.choice("output_mode", output_mode, OUTPUT_MODES)
    if allowed_lateness:
        raise ValueError(
            f"allowed_lateness must be 0 with semantics='spark': Spark has no allowed lateness "
            f"(its watermark delay plays that part), got {allowed_lateness!r}"
        )
    if type(window) is Session and output_mode == "update":
        raise ValueError(
            "output_mode must be 'append' or 'complete' with session windows and "
            "semantics='spark': Spark does not support update mode for session windows"
        )
    if type(window) is ProcessingTime:
        raise ValueError(
            "window must be an event-time window with semantics='spark', got ProcessingTime"
        )
    job = _MicroBatchJob(window, watermark_delay, aggregate, output_mode)
    step = trigger_interval
    batches: dict[float, list[Event]] = {}
    for ev in evs:
        batches.setdefault((math.floor(ev.arrival_time / step) + 1) * step, []).append(ev)
    ticks = sorted(batches)
    now = ticks[0] if ticks else 0.0
    i = 0  # the next tick with data
    while ticks:
        moved = job.run_batch(batches.get(now, []), now)
        while i < len(ticks) and ticks[i] <= now:
            i += 1
        following = ticks[i] if i < len(ticks) else INF
        if moved:  # a batch runs at the next tick even with no data: results may be due
            now = min(following, now + step)
        elif following < INF:
            now = following
        else:
            break
    now = job.last_now + step
    if evs:
        job.finish(now)
    first = evs[0].arrival_time if evs else 0.0
    return _report(
        evs,
        job.emissions,
        [],
        job.watermarks,
        job.state_sizes,
        job.latencies,
        job.final,
        (job.last_now - first) if evs else 0.0,
        window,
        watermark_delay,
        allowed_lateness,
        aggregate,
        job.dropped,
        "spark",
    )


class _MicroBatchJob:
    """The state and outputs of one micro-batch query: windows -> [values, times, written]."""

    def __init__(self, window: Window, delay: float, aggregate: str, output_mode: str) -> None:
        self.window = window
        self.delay = delay
        self.aggregate = aggregate
        self.mode = output_mode
        self.is_session = type(window) is Session
        self.wm = -INF
        self.previous_wm = -INF  # the watermark of the batch before: it decides what is late
        self.max_t = -INF
        self.accs: dict[tuple[str, float, float], list] = {}
        self.emissions: list[Emission] = []
        self.dropped: list[LateEvent] = []
        self.latencies: list[float] = []
        self.watermarks: list[tuple[float, float]] = []
        self.state_sizes: list[tuple[float, int]] = []
        self.final: dict[tuple[str, float, float], float] = {}
        self.last_now = -INF

    def run_batch(self, batch: list[Event], now: float) -> bool:
        """Run one micro-batch at ``now``; True if the watermark moved so that a batch with no
        data must follow (Spark runs one to write and evict what the new watermark finished)."""
        self.last_now = now
        wm, late_wm = self.wm, self.previous_wm
        self.previous_wm = wm
        keep_all = self.mode == "complete"  # complete mode keeps (and drops) nothing by watermark
        changed: set[tuple[str, float, float]] = set()
        for ev in batch:
            self.max_t = max(self.max_t, ev.event_time)
            if self.is_session:
                own = (ev.event_time, ev.event_time + self.window.gap)
                if own[1] <= late_wm:  # late even in complete mode, for sessions
                    self.dropped.append(LateEvent(ev, *own))
                    continue
                changed.add(self._join_session(ev, own, changed))
                continue
            for start, end in self.window.assign(ev.event_time):
                if not keep_all and end <= late_wm:
                    self.dropped.append(LateEvent(ev, start, end))
                    continue
                k = (ev.key, start, end)
                acc = self.accs.setdefault(k, [[], [], False])
                acc[0].append(ev.value)
                acc[1].append(ev.event_time)
                changed.add(k)
        if self.mode == "append":
            for k in sorted(k for k in self.accs if k[2] <= wm):
                self._write(k, self.accs.pop(k), now)
        elif self.mode == "update":
            for k in sorted(changed):
                self._write(k, self.accs[k], now)
            for k in [k for k in self.accs if k[2] <= wm]:
                del self.accs[k]
        else:
            for k in sorted(self.accs):
                self._write(k, self.accs[k], now)
        self._size(now)
        new_wm = max(wm, self.max_t - self.delay)
        if new_wm > wm:
            self.wm = new_wm
            self.watermarks.append((now, new_wm))
            return not keep_all  # complete mode evicts nothing: no batch runs for it alone
        return False

    def finish(self, now: float) -> None:
        """The end of the input: the watermark passes every window."""
        self.last_now = max(self.last_now, now)
        if self.mode == "append":
            for k in sorted(self.accs):
                self._write(k, self.accs[k], now)
        self.accs.clear()
        self._size(now)

    def _join_session(self, ev: Event, own: tuple[float, float], changed: set) -> tuple:
        """Add ``ev`` to its key's sessions, merging every one it overlaps or touches."""
        lo, hi = own
        touched = [
            k for k in self.accs if k[0] == ev.key and k[1] <= hi and lo <= k[2]
        ]  # a key has few open sessions
        acc = [[ev.value], [ev.event_time], False]
        for k in sorted(touched):
            old = self.accs.pop(k)
            acc[0][:0] = old[0]
            acc[1][:0] = old[1]
            acc[2] = acc[2] or old[2]
            lo, hi = min(lo, k[1]), max(hi, k[2])
            changed.discard(k)
            self.final.pop(k, None)  # superseded by the merged session
        k = (ev.key, lo, hi)
        self.accs[k] = acc
        return k

    def _write(self, k: tuple[str, float, float], acc: list, now: float) -> None:
        values = acc[0]
        value = aggregate_values(values, self.aggregate)
        timing = "on-time" if k[2] <= self.wm else "early"
        self.emissions.append(Emission(*k, value, len(values), now, acc[2], timing))
        self.latencies.extend(now - t for t in acc[1])
        acc[1] = []
        acc[2] = True
        self.final[k] = value

    def _size(self, now: float) -> None:
        n = len(self.accs)
        if not self.state_sizes or self.state_sizes[-1][1] != n:
            self.state_sizes.append((now, n))
