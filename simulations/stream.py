"""Stream processing: one event at a time, in arrival order, with keyed state and watermarks.

A stream job cannot wait for "all the data": it must decide when a window is complete. It uses a
watermark, ``max event time seen - watermark_delay``, a bet that nothing older is still on its
way. When the watermark reaches a window's end the result is emitted; an event that shows up
after that is either folded into an update (within ``allowed_lateness``) or is late. The small
print (do touching sessions merge? is an event late when the watermark is exactly at the limit?
is late data kept or dropped?) follows a named profile, ``semantics``, stated in
:mod:`simulations.semantics`. Nothing vanishes: every event is in a result, in ``late`` (kept) or
in ``dropped`` (discarded and counted, as a real engine does).
"""

from __future__ import annotations

import gc
import heapq
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import _check
from ._format import count, num, plural, table
from .aggregates import AGGREGATES
from .aggregates import aggregate as aggregate_values
from .charts import Chart, line_chart
from .events import Event, prepare
from .panel import status_panel
from .semantics import COURSE, Semantics, profile
from .stats import LatencyStats, latency_stats
from .windows import MINUTE, ProcessingTime, Session, Tumbling, Window, check_window

INF = math.inf

# Per (key, window) state of the general engine: a small list, touched for every event.
# EMITTED: this window, or a session merged into it, has fired; FIRED: this very window has.
VALUES, TIMES, EMITTED, PENDING, FIRED = range(5)


@dataclass(frozen=True, slots=True)
class Emission:
    """One result written to the output: ``value`` of ``key`` over [start, end) at ``emitted_at``.

    ``update`` is True when it replaces a result emitted earlier for the same window (late data
    within the allowed lateness); it carries the full new value, not a difference. ``timing``
    says what fired it, in Beam's words: "on-time" (the watermark reached the window's end, or
    the input ended), "late" (an event arrived after that) or "early" (an event joined a session
    that had fired before, and the merge moved its end past the watermark). It is not part of
    what a result says, so it takes no part in comparisons.
    """

    key: str
    start: float
    end: float
    value: float
    count: int
    emitted_at: float
    update: bool = False
    timing: str = field(default="on-time", compare=False)


@dataclass(frozen=True, slots=True)
class LateEvent:
    """An event that came after its window [start, end) was closed for good.

    Kept in ``late`` or counted in ``dropped``, as the profile says, but never lost.
    """

    event: Event
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class StreamReport:
    """What a stream job produced and what it cost.

    ``latency`` is emitted_at - event_time for each event's first emission; ``window_latency`` is
    emitted_at - window end per emission (negative for windows flushed when the input ends before
    their end). ``machine_seconds`` counts the whole span from the first to the last processed
    event: a stream job is always on. ``final`` holds each window's latest value. Late events are
    in ``late`` when the profile keeps them and in ``dropped`` when it discards them; ``semantics``
    names the profile that ran.
    """

    emissions: list[Emission]
    late: list[LateEvent]
    watermarks: list[tuple[float, float]]
    state_sizes: list[tuple[float, int]]
    latency: LatencyStats
    window_latency: LatencyStats
    throughput: float
    machine_seconds: float
    final: dict[tuple[str, float, float], float]
    window: Window = field(default_factory=lambda: Tumbling(60))
    watermark_delay: float = 5.0
    allowed_lateness: float = 0.0
    aggregate: str = "sum"
    events: int = 0
    dropped: list[LateEvent] = field(default_factory=list)
    semantics: str = "course"

    @property
    def updates(self) -> list[Emission]:
        """The emissions that corrected an earlier result."""
        return [e for e in self.emissions if e.update]

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        peak = max((n for _, n in self.state_sizes), default=0)
        rules = profile(self.semantics)
        late = f"{count(len(self.late))} late"
        if rules.late_data == "drop":
            late = f"{count(len(self.dropped))} late, dropped"
        return status_panel(
            mode=f"STREAM_PROCESSING [{rules.name} semantics]",
            trigger=f"EVENT [{self.window}, watermark delay {num(self.watermark_delay)}s]",
            volume=f"{count(self.events)} events ({late})",
            latency=self.latency,
            latency_of="event → window result",
            status=(
                f"RUNNING [always on: {num(self.machine_seconds)} machine-s, "
                f"{plural(len(self.emissions), 'result')}, "
                f"peak state {plural(peak, 'window')}]"
            ),
        )

    def table(self, limit: int = 10) -> str:
        """The first ``limit`` emissions as a text table."""
        _check.integer("limit", limit, minimum=0)
        rows = [
            [e.key, f"[{num(e.start)}, {num(e.end)})", e.value, e.count, e.emitted_at, e.update]
            for e in self.emissions[:limit]
        ]
        headers = ["key", "window", "value", "count", "emitted_at", "update"]
        text = table(headers, rows, total=len(self.emissions))
        if self.late:
            text += f"\nlate events (kept in .late): {count(len(self.late))}"
        if self.dropped:
            text += f"\nlate events dropped (counted in .dropped): {count(len(self.dropped))}"
        return text

    def chart(self) -> Chart:
        """Watermark against processing time: the gap is how long results wait."""
        points = self.watermarks
        series = {"watermark": points}
        if points:
            t0, t1 = points[0][0], points[-1][0]
            series["processing time"] = [(t0, t0), (t1, t1)]
        return line_chart(
            series,
            title="Watermark vs processing time",
            x_label="processing time (s)",
            y_label="event time (s)",
        )

    def __str__(self) -> str:
        return self.panel()


def check_stream_args(
    window: object,
    watermark_delay: object,
    allowed_lateness: object,
    aggregate: object,
    semantics: object = "course",
) -> Semantics:
    """Validate the arguments shared by run_stream and the jobs built on it; return the profile."""
    rules = profile(semantics)
    check_window(window)
    _check.non_negative("watermark_delay", watermark_delay, "seconds")
    _check.non_negative("allowed_lateness", allowed_lateness, "seconds")
    _check.choice("aggregate", aggregate, AGGREGATES)
    return rules


def run_stream(
    events: Iterable[Event],
    *,
    window: Window = MINUTE,
    watermark_delay: float = 5.0,
    allowed_lateness: float = 0.0,
    aggregate: str = "sum",
    throughput: float | None = None,
    semantics: str = "course",
    trigger_interval: float = 1.0,
    output_mode: str = "append",
) -> StreamReport:
    """Run a stream job over ``events`` in arrival order and report its results.

    A window's result is emitted when the watermark (max event time seen - ``watermark_delay``)
    reaches its end, at the arrival time of the event that moved the watermark; at the end of the
    input the remaining windows are emitted at the last arrival time. An event whose window
    closed more than ``allowed_lateness`` ago is late; one within it produces an update.
    ``throughput`` (events/s) models a processor that needs 1/throughput seconds per event, so a
    burst queues up; None means processing is instant. ``semantics`` names the profile whose
    small print is followed ("course", "flink", "beam" or "spark", see
    :mod:`simulations.semantics`); "spark" reads micro-batches every ``trigger_interval`` seconds
    and writes results in ``output_mode`` ("append", "update" or "complete").

    >>> from simulations import Tumbling, events
    >>> r = run_stream(events([("a", 1, 1.0), ("a", 2, 5.0), ("a", 4, 12.0), ("a", 8, 3.0, 13.0)]),
    ...                window=Tumbling(10), watermark_delay=1.0)
    >>> [(e.start, e.value, e.emitted_at) for e in r.emissions]
    [(0.0, 3, 12.0), (10.0, 4, 13.0)]
    >>> [(x.event.value, x.start) for x in r.late]
    [(8, 0.0)]
    """
    evs = prepare(events)
    rules = check_stream_args(window, watermark_delay, allowed_lateness, aggregate, semantics)
    if throughput is not None:
        _check.positive("throughput", throughput, "events/s")
    if rules.micro_batch:
        from .microbatch import run_micro_batch  # the Spark profile's own driver

        return _gc_paused(
            run_micro_batch,
            evs,
            window,
            watermark_delay,
            allowed_lateness,
            aggregate,
            trigger_interval,
            output_mode,
        )
    if type(window) is Tumbling and throughput is None and rules is COURSE:
        return _gc_paused(_run_tumbling, evs, window, watermark_delay, allowed_lateness, aggregate)
    return _gc_paused(
        run_general,
        evs,
        window,
        watermark_delay,
        allowed_lateness,
        aggregate,
        throughput,
        rules.name,
    )


def _copy_state(state: dict) -> dict:
    """Copy an engine's state down to its numbers (which cannot change): a checkpoint must not
    share a list with the running job. The same result as ``copy.deepcopy``, at a fraction of
    its cost, because the shape of the state is known."""
    return {
        **state,
        "accs": {k: [list(v), list(t), *flags] for k, (v, t, *flags) in state["accs"].items()},
        "due": list(state["due"]),
        "purge": list(state["purge"]),
        "sessions": {key: list(spans) for key, spans in state["sessions"].items()},
        "final": dict(state["final"]),
    }


class Engine:
    """The general stream engine: any window kind, any processing clock, checkpointable.

    ``process(event, now)`` handles one event at processing time ``now``; ``finish(now)`` ends
    the input. Outputs accumulate in ``emissions``, ``late``, ``dropped``, ``latencies``,
    ``watermarks`` and ``state_sizes``; ``snapshot()`` and ``restore()`` copy the state (not the
    outputs), which is what a checkpoint is. ``semantics`` names the profile followed.

    >>> eng = Engine(Tumbling(10), watermark_delay=0.0)
    >>> eng.process(Event("a", 5, 3.0), now=3.0)
    >>> eng.process(Event("a", 1, 11.0), now=11.0)
    >>> [(e.key, e.start, e.value, e.emitted_at) for e in eng.emissions]
    [('a', 0.0, 5, 11.0)]
    """

    def __init__(
        self,
        window: Window,
        *,
        watermark_delay: float = 5.0,
        allowed_lateness: float = 0.0,
        aggregate: str = "sum",
        semantics: str = "course",
    ) -> None:
        rules = check_stream_args(window, watermark_delay, allowed_lateness, aggregate, semantics)
        if rules.micro_batch:
            raise ValueError(
                f"semantics={semantics!r} reads micro-batches: use run_stream, not Engine"
            )
        self.rules = rules
        self.window = window
        self.delay = watermark_delay
        self.lateness = allowed_lateness
        self.aggregate = aggregate
        self.processing_time = type(window) is ProcessingTime
        self.is_session = type(window) is Session
        # A window's state is kept until the watermark reaches end + allowed_lateness: from then
        # on every event for it is late, so nothing can change it. (Beam's Python SDK keeps
        # sessions until the end of the input: see simulations.semantics.)
        self.keep_sessions = self.is_session and rules.sessions_kept
        # state (what a checkpoint saves)
        self.max_t = -INF
        self.wm = -INF
        self.accs: dict[tuple[str, float, float], list] = {}
        self.due: list[tuple[float, float, str]] = []  # windows waiting for the watermark
        self.purge: list[tuple[float, float, str, float]] = []  # emitted windows kept for lateness
        self.sessions: dict[str, list[tuple[float, float]]] = {}
        self.final: dict[tuple[str, float, float], float] = {}
        self.offset = 0  # events consumed from the input
        # outputs
        self.emissions: list[Emission] = []
        self.late: list[LateEvent] = []
        self.dropped: list[LateEvent] = []
        self.latencies: list[float] = []
        self.watermarks: list[tuple[float, float]] = []
        self.state_sizes: list[tuple[float, int]] = []
        self.last_now = -INF

    _STATE = ("max_t", "wm", "accs", "due", "purge", "sessions", "final", "offset")

    def snapshot(self) -> dict:
        """A copy of the state: what a checkpoint writes to durable storage."""
        return _copy_state({name: getattr(self, name) for name in self._STATE})

    def restore(self, snap: dict) -> None:
        """Replace the state with a copy of ``snap`` (outputs already written stay written)."""
        for name, value in _copy_state(snap).items():
            setattr(self, name, value)

    def is_late(self, end: float, wm: float | None = None) -> bool:
        """Is a window ending at ``end`` closed for good at watermark ``wm`` (default: now)?

        Closed once the watermark reaches ``end + allowed_lateness`` (or passes it, for
        profiles that still accept an event exactly at that watermark).
        """
        limit = end + self.lateness
        wm = self.wm if wm is None else wm
        return wm >= limit if self.rules.late_at_boundary else wm > limit

    # -- one event ------------------------------------------------------------------------
    def process(self, ev: Event, now: float) -> None:
        """Handle ``ev`` at processing time ``now``."""
        self.offset += 1
        self.last_now = now
        key = ev.key
        if self.processing_time:
            self._fire_timers(now)
            for start, end in self.window.assign(now):
                self._add(ev, key, start, end, now)
        elif self.is_session:
            self._add_session(ev, now)
        else:
            for start, end in self.window.assign(ev.event_time):
                self._add(ev, key, start, end, now)
        t = ev.event_time
        if t > self.max_t:
            self.max_t = t
            self.wm = wm = t - self.delay
            self.watermarks.append((now, wm))
            if not self.processing_time:
                self._fire(wm, now)

    def finish(self, now: float) -> None:
        """End of input: the watermark jumps to +inf, every open window is emitted, and all
        window state is released."""
        self.last_now = max(self.last_now, now)
        if self.processing_time:
            self._fire_timers(INF)
        else:
            self._fire(INF, now)
        self.wm = INF
        if self.accs:
            self._resize(now, -len(self.accs))
        self.accs.clear()
        self.sessions.clear()
        self.purge.clear()
        self.due.clear()

    # -- internals --------------------------------------------------------------------------
    def _resize(self, now: float, delta: int) -> None:
        sizes = self.state_sizes
        n = (sizes[-1][1] if sizes else 0) + delta
        if sizes and sizes[-1][0] == now:
            sizes[-1] = (now, n)
        else:
            sizes.append((now, n))

    def _reject(self, ev: Event, start: float, end: float) -> None:
        """A late event: kept in ``late`` or counted in ``dropped``, as the profile says."""
        out = self.late if self.rules.late_data == "keep" else self.dropped
        out.append(LateEvent(ev, start, end))

    def _add(self, ev: Event, key: str, start: float, end: float, now: float) -> None:
        event_time = not self.processing_time
        if event_time and self.is_late(end):
            self._reject(ev, start, end)
            return
        k = (key, start, end)
        acc = self.accs.get(k)
        if acc is None:
            acc = self.accs[k] = [[], [], False, True, False]
            self._resize(now, 1)
            heapq.heappush(self.due, (end, start, key))
        acc[VALUES].append(ev.value)
        acc[TIMES].append(ev.event_time)
        if event_time and self.wm >= end:  # already closed, still within lateness
            self._emit(k, acc, now, self._element_timing(end))

    def _add_session(self, ev: Event, now: float) -> None:
        key, t, gap = ev.key, ev.event_time, self.window.gap
        lo, hi = t, t + gap
        spans = self.sessions.setdefault(key, [])
        if self.rules.touching_sessions_merge:
            touched = [s for s in spans if s[0] <= hi and lo <= s[1]]
        else:
            touched = [s for s in spans if s[0] < hi and lo < s[1]]
        start = min([lo] + [s[0] for s in touched])
        end = max([hi] + [s[1] for s in touched])
        if self.is_late(end if self.rules.lateness_on_merged else hi):
            self._reject(ev, start, end)
            return
        acc = [[], [], False, True, False]
        for s in touched:  # merge the sessions this event bridges, in time order
            old = self.accs.pop((key, s[0], s[1]))
            acc[VALUES].extend(old[VALUES])
            acc[TIMES].extend(old[TIMES])
            if s == (start, end):  # the event fell inside this session: still the same window
                acc[FIRED] = old[FIRED]
            if old[EMITTED]:
                acc[EMITTED] = True
                self.final.pop((key, s[0], s[1]), None)  # superseded by the merged session
            spans.remove(s)
        spans.append((start, end))
        spans.sort()
        k = (key, start, end)
        self.accs[k] = acc
        self._resize(now, 1 - len(touched))
        heapq.heappush(self.due, (end, start, key))
        if acc[EMITTED]:  # a merge into a session already emitted: it needs its own release
            self._schedule_release(start, end, key)
        acc[VALUES].append(ev.value)
        acc[TIMES].append(t)
        if self.wm >= end or (acc[EMITTED] and self.rules.fire_every_element):
            self._emit(k, acc, now, self._element_timing(end))

    def _element_timing(self, end: float) -> str:
        """The timing of a result fired by an arriving event: late once the watermark has
        reached the window's end, early before (a merge moved the end past the watermark)."""
        return "late" if self.wm >= end else "early"

    def _schedule_release(self, start: float, end: float, key: str) -> None:
        if not self.keep_sessions:
            heapq.heappush(self.purge, (end + self.lateness, start, key, end))

    def _emit(self, k: tuple[str, float, float], acc: list, now: float, timing: str) -> None:
        key, start, end = k
        values = acc[VALUES]
        value = aggregate_values(values, self.aggregate)
        update = acc[FIRED] if self.rules.merge_resets_panes else acc[EMITTED]
        self.emissions.append(Emission(key, start, end, value, len(values), now, update, timing))
        acc[FIRED] = True
        self.latencies.extend([now - x for x in acc[TIMES]])
        acc[TIMES] = []
        self.final[k] = value
        acc[PENDING] = False
        if not acc[EMITTED]:
            acc[EMITTED] = True
            self._schedule_release(start, end, key)

    def _fire(self, wm: float, now: float) -> None:
        due = self.due
        while due and due[0][0] <= wm:
            end, start, key = heapq.heappop(due)
            acc = self.accs.get((key, start, end))
            if acc is not None and acc[PENDING]:
                self._emit((key, start, end), acc, now, "on-time")
        self._purge(wm, now)

    def _fire_timers(self, now: float) -> None:
        """Processing-time windows close when the clock passes their end: emitted at the end."""
        due = self.due
        while due and due[0][0] <= now:
            end, start, key = heapq.heappop(due)
            k = (key, start, end)
            acc = self.accs.pop(k, None)
            if acc is not None:
                self._emit(k, acc, end, "on-time")
                self._resize(end, -1)
        self.purge.clear()

    def _purge(self, wm: float, now: float) -> None:
        """Release the state of every emitted window whose lateness has run out at ``wm``."""
        purge = self.purge
        dropped = 0
        while purge and self.is_late(purge[0][3], wm):
            _, start, key, end = heapq.heappop(purge)
            acc = self.accs.get((key, start, end))
            if acc is not None and not acc[PENDING]:
                del self.accs[(key, start, end)]
                dropped += 1
                if key in self.sessions:
                    self.sessions[key].remove((start, end))
        if dropped:
            self._resize(now, -dropped)

    def retained(self) -> list[tuple[str, float, float]]:
        """The windows in state that the profile says should have been released by now."""
        if self.keep_sessions:
            return []
        return [k for k, acc in self.accs.items() if not acc[PENDING] and self.is_late(k[2])]


def run_general(
    evs: list[Event],
    window: Window,
    watermark_delay: float,
    allowed_lateness: float,
    aggregate: str,
    throughput: float | None = None,
    semantics: str = "course",
) -> StreamReport:
    """Run :class:`Engine` over events already in arrival order (any window kind)."""
    eng = Engine(
        window,
        watermark_delay=watermark_delay,
        allowed_lateness=allowed_lateness,
        aggregate=aggregate,
        semantics=semantics,
    )
    now = -INF
    step = 1.0 / throughput if throughput else 0.0
    for ev in evs:
        now = max(ev.arrival_time, now) + step if step else ev.arrival_time
        eng.process(ev, now)
    if evs:
        eng.finish(now)
    first = evs[0].arrival_time if evs else 0.0
    return _report(
        evs,
        eng.emissions,
        eng.late,
        eng.watermarks,
        eng.state_sizes,
        eng.latencies,
        eng.final,
        (eng.last_now - first) if evs else 0.0,
        window,
        watermark_delay,
        allowed_lateness,
        aggregate,
        eng.dropped,
        semantics,
    )


def _report(
    evs,
    emissions,
    late,
    watermarks,
    sizes,
    latencies,
    final,
    busy,
    window,
    delay,
    lateness,
    agg,
    dropped=(),
    semantics="course",
) -> StreamReport:
    processed = len(evs)
    return StreamReport(
        emissions=emissions,
        late=late,
        watermarks=watermarks,
        state_sizes=sizes,
        latency=latency_stats(latencies),
        window_latency=latency_stats([e.emitted_at - e.end for e in emissions]),
        throughput=processed / busy if busy > 0 else float(processed),
        machine_seconds=busy,
        final=final,
        window=window,
        watermark_delay=delay,
        allowed_lateness=lateness,
        aggregate=agg,
        events=processed,
        dropped=list(dropped),
        semantics=semantics,
    )


def _run_tumbling(
    evs: list[Event], window: Tumbling, delay: float, lateness: float, aggregate: str
) -> StreamReport:
    """The tumbling-window fast path: the same results as :class:`Engine`, several times faster.

    Tumbling windows are the common case and the benchmark, so the loop does as little as it
    can per event: state is a dict start -> {key: append}, where ``append`` is the bound
    ``append`` of a list holding the window's [time, value, time, value, ...]; results are
    computed only when the watermark passes the earliest open window's end.
    """
    size = window.size
    open_: dict[float, dict[str, Callable[[float], None]]] = {}  # not yet emitted
    kept: dict[float, dict[str, list[float]]] = {}  # emitted, kept for allowed lateness
    emissions: list[Emission] = []
    late: list[LateEvent] = []
    lat: list[float] = []
    final: dict[tuple[str, float, float], float] = {}
    sizes: list[tuple[float, int]] = []
    wm_times: list[float] = []
    wm_values: list[float] = []
    add_wm_time = wm_times.append
    add_wm_value = wm_values.append
    open_get = open_.get
    n_state = 0
    last_size_time = None
    max_t = -INF
    wm = -INF
    next_due = INF  # the earliest watermark at which something must be emitted or dropped
    current = None  # the start of the window whose bucket is cached in `bucket`
    bucket: dict[str, Callable[[float], None]] = {}

    def emit_bucket(start: float, bucket: dict[str, Callable[[float], None]], now: float) -> None:
        end = start + size
        for key in sorted(bucket):
            data = bucket[key].__self__  # type: ignore[attr-defined]
            values = data[1::2]
            value = aggregate_values(values, aggregate)
            emissions.append(Emission(key, start, end, value, len(values), now, False))
            lat.extend([now - x for x in data[0::2]])
            final[(key, start, end)] = value

    for ev in evs:
        t = ev.event_time
        start = t - t % size
        end = start + size
        if end <= wm:  # the window has closed: an update within lateness, or late
            if wm >= end + lateness:
                late.append(LateEvent(ev, start, end))
                continue
            now = ev.arrival_time
            kept_bucket = kept.get(start)
            if kept_bucket is None:
                kept_bucket = kept[start] = {}
                next_due = min(next_due, end + lateness)
            data = kept_bucket.get(ev.key)
            update = data is not None
            if data is None:
                data = kept_bucket[ev.key] = []
                n_state += 1
                if last_size_time == now:
                    sizes[-1] = (now, n_state)
                else:
                    sizes.append((now, n_state))
                    last_size_time = now
            data.append(t)
            data.append(ev.value)
            values = data[1::2]
            value = aggregate_values(values, aggregate)
            emissions.append(Emission(ev.key, start, end, value, len(values), now, update, "late"))
            lat.append(now - t)
            final[(ev.key, start, end)] = value
            continue
        if start != current:  # most events fall in the same window as the one before
            bucket = open_get(start)
            if bucket is None:
                bucket = open_[start] = {}
                if end < next_due:
                    next_due = end
            current = start
        add = bucket.get(ev.key)
        if add is None:
            add = bucket[ev.key] = [].append
            n_state += 1
            now = ev.arrival_time
            if last_size_time == now:
                sizes[-1] = (now, n_state)
            else:
                sizes.append((now, n_state))
                last_size_time = now
        add(t)
        add(ev.value)
        if t > max_t:
            max_t = t
            wm = t - delay
            add_wm_time(ev.arrival_time)
            add_wm_value(wm)
            if wm >= next_due:
                now = ev.arrival_time
                before = n_state
                current = None  # the cached bucket may be emitted below
                for s in sorted(open_):
                    if s + size > wm:
                        break
                    closing = open_.pop(s)
                    emit_bucket(s, closing, now)
                    if lateness > 0:
                        kept[s] = {k: a.__self__ for k, a in closing.items()}  # type: ignore
                    else:
                        n_state -= len(closing)
                for s in sorted(kept):
                    if s + size + lateness <= wm:
                        n_state -= len(kept.pop(s))
                next_due = min(
                    min(open_) + size if open_ else INF,
                    min(kept) + size + lateness if kept else INF,
                )
                if n_state != before:
                    if last_size_time == now:
                        sizes[-1] = (now, n_state)
                    else:
                        sizes.append((now, n_state))
                        last_size_time = now

    if evs:
        now = evs[-1].arrival_time
        for s in sorted(open_):
            emit_bucket(s, open_[s], now)
        if n_state:
            if last_size_time == now:
                sizes[-1] = (now, 0)
            else:
                sizes.append((now, 0))
    busy = evs[-1].arrival_time - evs[0].arrival_time if evs else 0.0
    return _report(
        evs,
        emissions,
        late,
        list(zip(wm_times, wm_values, strict=True)),
        sizes,
        lat,
        final,
        busy,
        window,
        delay,
        lateness,
        aggregate,
    )


def _gc_paused(run: Callable[..., StreamReport], *args: object) -> StreamReport:
    """Call ``run(*args)`` with the cyclic garbage collector paused.

    The engines create no reference cycles, but they allocate millions of objects, and each
    allocation burst makes the collector rescan every live event: pausing it roughly halves
    the cost of a large run. Reference counting still frees memory as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return run(*args)
    finally:
        if enabled:
            gc.enable()


__all__ = [
    "AGGREGATES",
    "Emission",
    "Engine",
    "LateEvent",
    "StreamReport",
    "run_stream",
]
