"""Triggers: *when* a windowed result is written, and what each write carries.

The Dataflow model splits a streaming query into four questions: *what* is computed (the
aggregate), *where* in event time (the window), *when* in processing time results come out (the
trigger), and *how* successive results of one window relate (the accumulation mode). A window's
result can be written several times; each write is a **pane**:

* **EARLY** panes, every ``early_every`` seconds of processing time while the window is open, so a
  reader sees a first number within that many seconds instead of after the window has ended (or
  every ``early_count`` events the window receives, Beam's ``AfterCount`` as an early trigger);
* one **ON_TIME** pane when the watermark passes the window's end (it fires even when nothing new
  arrived since the last early pane: it is the one that says "complete, as far as the watermark
  knows", which is Beam's default);
* one **LATE** pane per late event within the allowed lateness (a window whose first event
  is already late has LATE panes only).

An accumulating pane carries the window's value so far; a discarding pane carries only what
arrived since the previous pane, for a consumer that adds panes up. The windows, the watermark and
the late-data rules are those of :class:`simulations.stream.Engine`, which this module extends
(with its "course", "flink" or "beam" profile): the last accumulating pane of a window is exactly
what :func:`simulations.run_stream` reports for it. Spark's output modes, the same question asked
from the sink's side, are ``run_stream(..., semantics="spark", output_mode=...)``.

Any other trigger (one pane per element, a delay after a pane's first element, ticks aligned to
a period, no watermark trigger at all) and any other watermark (a trace, a perfect one, a
batch job's) are ``run_triggered(..., trigger=..., watermark=...)``: see
:mod:`simulations.trigger_specs`, :mod:`simulations.watermarks` and :mod:`simulations.dataflow`.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import _check
from ._format import count, num, plural, table
from .aggregates import AGGREGATES
from .aggregates import aggregate as aggregate_values
from .charts import Chart, line_chart
from .events import Event, prepare
from .panel import status_panel
from .semantics import profile
from .stats import LatencyStats, latency_stats
from .stream import EMITTED, TIMES, VALUES, Engine, LateEvent, _gc_paused, check_stream_args
from .trigger_specs import Trigger, check_trigger, describe, shorthand
from .watermarks import HeuristicWatermark, Watermark, check_watermark
from .windows import MINUTE, Session, Sliding, Tumbling, Window, check_window

if TYPE_CHECKING:  # dataflow imports Pane from here: at run time it is imported when used
    from .dataflow import DataflowEngine, GlobalWindow

TIMINGS = ("EARLY", "ON_TIME", "LATE")
ACCUMULATIONS = ("accumulating", "discarding")
DEFAULT_DELAY = 5.0  # run_triggered's watermark_delay when none is given
PROFILES = ("course", "flink", "beam")  # event-at-a-time profiles; Spark's reads micro-batches


@dataclass(frozen=True, slots=True)
class Pane:
    """One write of window [start, end) of ``key``: ``value`` over ``count`` events.

    ``timing`` is EARLY, ON_TIME or LATE; ``index`` numbers the panes of a window from 0, as
    Beam's ``PaneInfo`` does. In accumulating mode ``value`` covers every event of the window so
    far; in discarding mode only the events since the previous pane. The rest of ``PaneInfo``:
    ``is_first`` (index 0), ``is_last`` (written as the window closed for good) and
    ``on_time_index`` (-1 for EARLY panes, then 0, 1, ... for ON_TIME and LATE ones). A job
    given neither ``trigger`` nor ``watermark`` fills ``is_first`` only: its engine decides
    that a window is closed only when it releases the window's state, after its last pane.
    """

    key: str
    start: float
    end: float
    value: float
    count: int
    emitted_at: float
    timing: str
    index: int
    is_first: bool = field(default=False, compare=False)
    is_last: bool = field(default=False, compare=False)
    on_time_index: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class TriggerReport:
    """Every pane a triggered window job wrote, and what it means for readers.

    ``final`` holds each window's value once all its events are in (the on-time value plus late
    updates): the same dictionary :func:`simulations.run_stream` returns for the same job.
    ``latency`` is, per event, the time from its event time to the first pane that included it;
    ``first_answer`` is, per window, the time from the arrival of its first event to its first
    pane: how long a dashboard shows nothing. Events too late for any pane are in ``late`` (kept)
    or ``dropped`` (discarded and counted), as the ``semantics`` profile says. ``trigger`` and
    ``watermark`` are the specs the job ran with, when it was given them (None otherwise);
    ``watermarks`` lists every (processing time, watermark) move, and with them the jump to
    ``math.inf`` when the input ends.
    """

    panes: list[Pane]
    late: list[LateEvent]
    final: dict[tuple[str, float, float], float]
    latency: LatencyStats
    first_answer: LatencyStats
    window: Window
    watermark_delay: float
    allowed_lateness: float
    aggregate: str
    early_every: float | None
    accumulation: str
    events: int = 0
    watermarks: list[tuple[float, float]] = field(default_factory=list)
    dropped: list[LateEvent] = field(default_factory=list)
    semantics: str = "course"
    early_count: int | None = None
    trigger: Trigger | None = None
    watermark: Watermark | None = None

    def timing_counts(self) -> dict[str, int]:
        """How many panes of each timing were written."""
        counts = dict.fromkeys(TIMINGS, 0)
        for pane in self.panes:
            counts[pane.timing] += 1
        return counts

    def history(self, key: str, start: float) -> list[Pane]:
        """The panes of one window (``key``, window ``start``), in the order written.

        The global window starts at ``-math.inf``.
        """
        if not isinstance(key, str):
            raise TypeError(f"key must be a str, got {type(key).__name__} {key!r}")
        if start != -math.inf:
            _check.number("start", start)
        return [p for p in self.panes if p.key == key and p.start == start]

    def panel(self) -> str:
        """The status panel: mode, trigger, volume, latency, status."""
        n = self.timing_counts()
        early = f"EARLY every {num(self.early_every)}s + " if self.early_every else ""
        if self.early_count:
            early = f"EARLY every {plural(self.early_count, 'event')} + "
        too_late = len(self.late) + len(self.dropped)
        trigger = f"{early}ON_TIME at watermark + LATE per event [{self.window}]"
        if self.trigger is not None:
            trigger = f"{describe(self.trigger)} [{self.window}, {self.watermark}]"
        return status_panel(
            mode=f"STREAM_PROCESSING [{self.accumulation} panes, {self.semantics} semantics]",
            trigger=trigger,
            volume=f"{count(self.events)} events ({count(too_late)} too late for any pane)",
            latency=self.latency,
            status=(
                f"RUNNING [{plural(len(self.panes), 'pane')}: {count(n['EARLY'])} early, "
                f"{count(n['ON_TIME'])} on-time, {count(n['LATE'])} late]"
            ),
            first_answer=f"max {num(self.first_answer.max)}s after a window's first event",
        )

    def table(self, limit: int = 10) -> str:
        """The first ``limit`` panes as a text table."""
        _check.integer("limit", limit, minimum=0)
        rows = [
            [p.key, f"[{num(p.start)}, {num(p.end)})", p.timing, p.index, p.value, p.emitted_at]
            for p in self.panes[:limit]
        ]
        headers = ["key", "window", "timing", "pane", "value", "emitted_at"]
        return table(headers, rows, total=len(self.panes))

    def chart(self, key: str | None = None, start: float | None = None) -> Chart:
        """What a dashboard shows for one window over processing time, pane after pane.

        Defaults to the window with the most panes. The staircase is the accumulated value; the
        dashed line is the window's final value.
        """
        if not self.panes:
            return line_chart({}, title="No panes")
        if key is None or start is None:
            sizes = Counter((p.key, p.start) for p in self.panes)
            key, start = max(sizes, key=lambda k: (sizes[k], -k[1]))
        panes = self.history(key, start)
        if not panes:
            raise ValueError(f"start must be the start of a window of key {key!r}, got {start!r}")
        end = panes[0].end
        shown: list[tuple[float, float]] = []
        value = 0
        for p in panes:
            value = value + p.value if self.accumulation == "discarding" else p.value
            if shown:
                shown.append((p.emitted_at, shown[-1][1]))
            shown.append((p.emitted_at, value))
        last = panes[-1].emitted_at
        if end != math.inf:  # the global window never ends
            last = max(last, end + self.watermark_delay)
        shown.append((last, value))
        on_time = next((p.emitted_at for p in panes if p.timing == "ON_TIME"), None)
        series = {"value shown": shown, "final value": [(shown[0][0], value), (last, value)]}
        if on_time is not None:
            series["on-time pane"] = [(on_time, 0), (on_time, value)]
        return line_chart(
            series,
            title=f"{_window_name(start, end)} of {key}, pane by pane",
            x_label="processing time (s)",
            y_label=self.aggregate,
        )

    def __str__(self) -> str:
        return self.panel()


def _window_name(start: float, end: float) -> str:
    if end == math.inf:  # only the global window never ends
        return "The global window"
    return f"Window [{num(start)}, {num(end)})"


class TriggeredEngine(Engine):
    """:class:`Engine` with early firings on a processing-time clock and panes for every write.

    Early timers are aligned: they fire at processing times ``early_every``, ``2 *
    early_every``, ..., for every open window that received events since its last pane (Beam's
    ``AfterProcessingTime...alignedTo``; Spark's micro-batch triggers are aligned the same way).
    An event that arrives exactly at a timer's time goes into the next pane. With
    ``early_count`` instead, a window writes an EARLY pane as soon as it has received that many
    events since its last pane (Beam's ``AfterCount(n)`` as the early trigger of
    ``AfterWatermark``): no clock is involved.
    """

    def __init__(
        self,
        window: Window,
        *,
        watermark_delay: float = 5.0,
        allowed_lateness: float = 0.0,
        aggregate: str = "sum",
        early_every: float | None = None,
        accumulation: str = "accumulating",
        semantics: str = "course",
        early_count: int | None = None,
    ) -> None:
        super().__init__(
            window,
            watermark_delay=watermark_delay,
            allowed_lateness=allowed_lateness,
            aggregate=aggregate,
            semantics=semantics,
        )
        check_trigger_args(
            window, aggregate, early_every, accumulation, semantics, early_count=early_count
        )
        self.early_every = early_every
        self.early_count = early_count
        self.fresh: dict[tuple[str, float, float], int] = {}  # window -> events since its pane
        self.discarding = accumulation == "discarding"
        self.panes: list[Pane] = []
        self.fired: dict[tuple[str, float, float], tuple[int, int]] = {}  # values in panes, panes
        self.dirty: dict[tuple[str, float, float], float] = {}  # window -> its next early timer
        self.timers: list[tuple[float, float, str, float]] = []  # (time, start, key, end)
        self.first_arrival: dict[tuple[str, float, float], float] = {}
        self.first_answer: list[float] = []

    def process(self, ev: Event, now: float) -> None:
        """Fire the early timers due by ``now``, then handle ``ev`` as the base engine does."""
        if self.timers:
            self.fire_timers(now)
        super().process(ev, now)

    def fire_timers(self, now: float) -> None:
        """Write an EARLY pane for each window whose timer is due at or before ``now``."""
        timers = self.timers
        while timers and timers[0][0] <= now:
            at, start, key, end = heapq.heappop(timers)
            k = (key, start, end)
            if self.dirty.get(k) != at:
                continue  # the window fired on time before this timer came due
            del self.dirty[k]
            acc = self.accs[k]
            self._pane(k, acc[VALUES], "EARLY", at)
            self.latencies.extend([at - t for t in acc[TIMES]])
            acc[TIMES] = []

    def _add(self, ev: Event, key: str, start: float, end: float, now: float) -> None:
        super()._add(ev, key, start, end, now)
        k = (key, start, end)
        acc = self.accs.get(k)
        if acc is None or acc[EMITTED]:
            return  # late (kept in .late) or already written on time
        self.first_arrival.setdefault(k, now)
        if self.early_count:
            n = self.fresh[k] = self.fresh.get(k, 0) + 1
            if n >= self.early_count:
                self._pane(k, acc[VALUES], "EARLY", now)
                self.latencies.extend([now - t for t in acc[TIMES]])
                acc[TIMES] = []
        if self.early_every and k not in self.dirty:
            at = (now // self.early_every + 1) * self.early_every
            self.dirty[k] = at
            heapq.heappush(self.timers, (at, start, key, end))

    def _emit(self, k: tuple[str, float, float], acc: list, now: float, timing: str) -> None:
        # the base engine says what fired the window: the watermark ("on-time") or an event
        # that arrived after it ("late"); a pane written while adding an event is LATE
        self._pane(k, acc[VALUES], "LATE" if timing == "late" else "ON_TIME", now)
        self.dirty.pop(k, None)
        super()._emit(k, acc, now, timing)

    def _pane(self, k: tuple[str, float, float], values: list, timing: str, now: float) -> None:
        done, index = self.fired.get(k, (0, 0))
        if index == 0:
            self.first_answer.append(now - self.first_arrival.get(k, now))
        if self.discarding:
            fresh = values[done:]
            value = aggregate_values(fresh, self.aggregate) if fresh else 0
            n = len(fresh)
        else:
            value = aggregate_values(values, self.aggregate)
            n = len(values)
        self.panes.append(Pane(k[0], k[1], k[2], value, n, now, timing, index, is_first=index == 0))
        self.fired[k] = (len(values), index + 1)
        self.fresh.pop(k, None)


def check_trigger_args(
    window: object,
    aggregate: object,
    early_every: object,
    accumulation: object,
    semantics: object,
    *,
    early_count: object = None,
) -> None:
    """Validate what a trigger adds to a stream job's arguments."""
    if semantics == "spark":
        raise ValueError(
            "semantics must be 'course', 'flink' or 'beam' for triggered panes: Spark writes "
            "results per micro-batch, as run_stream(..., semantics='spark', output_mode=...) "
            "shows, got 'spark'"
        )
    if type(window) not in (Tumbling, Sliding):
        raise ValueError(
            "window must be Tumbling(size) or Sliding(size, slide) for triggered panes "
            f"(sessions merge their panes; processing-time windows have no watermark), "
            f"got {window}"
        )
    check_pane_args(aggregate, early_every, accumulation, early_count)


def check_pane_args(
    aggregate: object, early_every: object, accumulation: object, early_count: object
) -> None:
    """Validate the early-pane shorthands and the accumulation mode."""
    if early_every is not None:
        _check.positive("early_every", early_every, "seconds")
    if early_count is not None:
        _check.integer("early_count", early_count, minimum=1)
        if early_every is not None:
            raise ValueError(
                "early_count must be None when early_every is set: early panes come either on "
                f"a clock or every so many events, got early_every={early_every!r} and "
                f"early_count={early_count!r}"
            )
    _check.choice("accumulation", accumulation, ACCUMULATIONS)
    if accumulation == "discarding" and aggregate not in ("sum", "count"):
        raise ValueError(
            "accumulation='discarding' needs aggregate 'sum' or 'count': discarding panes are "
            f"added up downstream, and a {aggregate!r} of parts is not the {aggregate!r} "
            "of the whole"
        )


def run_triggered(
    events: Iterable[Event],
    *,
    window: Window = MINUTE,
    watermark_delay: float = DEFAULT_DELAY,
    allowed_lateness: float = 0.0,
    aggregate: str = "sum",
    early_every: float | None = None,
    accumulation: str = "accumulating",
    semantics: str = "course",
    early_count: int | None = None,
    trigger: Trigger | None = None,
    watermark: Watermark | None = None,
) -> TriggerReport:
    """Run a windowed stream job whose trigger writes early, on-time and late panes.

    The job is :func:`simulations.run_stream`'s (same windows, watermark, allowed lateness and
    ``semantics`` profile: "course", "flink" or "beam"), plus early panes every ``early_every``
    seconds of processing time (None: no early panes) in ``accumulation`` mode, "accumulating"
    or "discarding"; or, with ``early_count``, an early pane as soon as a window has received that
    many events since its last pane. Events later than the allowed lateness are in ``late`` or
    ``dropped``, as in run_stream.

    Any trigger Beam can state, and any watermark, through ``trigger=`` (built from
    :class:`AfterWatermark`, :class:`AfterCount`, :class:`AfterProcessingTime` and
    :class:`Repeatedly`) and ``watermark=`` (:class:`HeuristicWatermark`,
    :class:`WatermarkTrace`, :class:`PerfectWatermark` or :class:`BatchWatermark`); the window may
    then also be a :class:`Session` or the :class:`GlobalWindow`. ``early_every`` and
    ``early_count`` are shorthands for ``AfterWatermark(early=..., late=AfterCount(1))`` and
    ``watermark_delay`` for ``HeuristicWatermark(watermark_delay)``; the panes then follow
    :mod:`simulations.dataflow`.

    >>> from simulations import Tumbling, events
    >>> evs = events([("a", 1, 1.0), ("a", 2, 2.5), ("a", 4, 6.0), ("a", 8, 3.0, 12.0),
    ...               ("a", 5, 11.0)])
    >>> r = run_triggered(evs, window=Tumbling(10), watermark_delay=1, allowed_lateness=5,
    ...                   early_every=2)
    >>> for p in r.history("a", 0):
    ...     print(p.timing, p.value, p.emitted_at)
    EARLY 1 2.0
    EARLY 3 4.0
    EARLY 7 8.0
    ON_TIME 7 11.0
    LATE 15 12.0
    >>> r = run_triggered(evs, window=Tumbling(10), watermark_delay=1, allowed_lateness=5,
    ...                   early_every=2, accumulation="discarding")
    >>> [p.value for p in r.history("a", 0)]
    [1, 2, 4, 0, 8]
    >>> r = run_triggered(evs, window=Tumbling(10), watermark_delay=1, allowed_lateness=5,
    ...                   early_count=2)
    >>> [(p.timing, p.value) for p in r.history("a", 0)]
    [('EARLY', 3), ('ON_TIME', 7), ('LATE', 15)]
    >>> from simulations import AfterCount, Repeatedly, BatchWatermark
    >>> r = run_triggered(evs, window=Tumbling(10), trigger=Repeatedly(AfterCount(2)),
    ...                   watermark=BatchWatermark())
    >>> [(p.timing, p.value, p.emitted_at) for p in r.history("a", 0)]
    [('EARLY', 3, 2.5), ('EARLY', 15, 12.0)]
    """
    evs = prepare(events)
    if trigger is not None or watermark is not None:
        return _run_spec(
            evs,
            window=window,
            watermark_delay=watermark_delay,
            allowed_lateness=allowed_lateness,
            aggregate=aggregate,
            early_every=early_every,
            accumulation=accumulation,
            semantics=semantics,
            early_count=early_count,
            trigger=trigger,
            watermark=watermark,
        )
    check_stream_args(window, watermark_delay, allowed_lateness, aggregate, semantics)
    check_trigger_args(
        window, aggregate, early_every, accumulation, semantics, early_count=early_count
    )
    eng = TriggeredEngine(
        window,
        watermark_delay=watermark_delay,
        allowed_lateness=allowed_lateness,
        aggregate=aggregate,
        early_every=early_every,
        accumulation=accumulation,
        semantics=semantics,
        early_count=early_count,
    )
    _gc_paused(_drive, eng, evs)
    return _report(
        eng,
        eng.late,
        evs,
        window=window,
        watermark_delay=watermark_delay,
        allowed_lateness=allowed_lateness,
        aggregate=aggregate,
        early_every=early_every,
        accumulation=accumulation,
        semantics=semantics,
        early_count=early_count,
    )


def _run_spec(
    evs: list[Event],
    *,
    window: object,
    watermark_delay: float,
    allowed_lateness: float,
    aggregate: str,
    early_every: float | None,
    accumulation: str,
    semantics: str,
    early_count: int | None,
    trigger: Trigger | None,
    watermark: Watermark | None,
) -> TriggerReport:
    """run_triggered with a trigger spec or a watermark kind: the Dataflow engine."""
    from .dataflow import GlobalWindow, run_dataflow

    if type(window) is not GlobalWindow:
        check_window(window)
    _check.non_negative("watermark_delay", watermark_delay, "seconds")
    _check.non_negative("allowed_lateness", allowed_lateness, "seconds")
    _check.choice("aggregate", aggregate, AGGREGATES)
    if profile(semantics).micro_batch:
        raise ValueError(
            "semantics must be 'course', 'flink' or 'beam' for triggered panes: Spark writes "
            "results per micro-batch, got 'spark'"
        )
    check_pane_args(aggregate, early_every, accumulation, early_count)
    if type(window) not in (Tumbling, Sliding, Session, GlobalWindow):
        raise ValueError(
            "window must be Tumbling, Sliding, Session or GlobalWindow for a trigger or a "
            f"watermark (processing-time windows have no watermark), got {window}"
        )
    if trigger is None:
        trigger = shorthand(early_every, early_count)
    else:
        check_trigger(trigger)
        for name, value in (("early_every", early_every), ("early_count", early_count)):
            if value is not None:
                raise ValueError(
                    f"{name} must be None when trigger is set: the trigger says when every "
                    f"pane is written, got {name}={value!r}"
                )
    if watermark is None:
        watermark = HeuristicWatermark(watermark_delay)
    else:
        check_watermark(watermark)
        if watermark_delay != DEFAULT_DELAY:
            raise ValueError(
                "watermark_delay must be left out when watermark is set: the watermark says "
                f"where event time stands, got watermark_delay={watermark_delay!r}"
            )
    eng = run_dataflow(
        evs,
        window=window,
        trigger=trigger,
        watermark=watermark,
        allowed_lateness=allowed_lateness,
        aggregate=aggregate,
        accumulation=accumulation,
        semantics=semantics,
    )
    return _report(
        eng,
        eng.late_events,
        evs,
        window=window,
        watermark_delay=watermark.delay if isinstance(watermark, HeuristicWatermark) else 0.0,
        allowed_lateness=allowed_lateness,
        aggregate=aggregate,
        early_every=early_every,
        accumulation=accumulation,
        semantics=semantics,
        early_count=early_count,
        trigger=trigger,
        watermark=watermark,
    )


def _report(
    eng: TriggeredEngine | DataflowEngine,
    late: list[LateEvent],
    evs: list[Event],
    *,
    window: Window | GlobalWindow,
    watermark_delay: float,
    allowed_lateness: float,
    aggregate: str,
    early_every: float | None,
    accumulation: str,
    semantics: str,
    early_count: int | None,
    trigger: Trigger | None = None,
    watermark: Watermark | None = None,
) -> TriggerReport:
    """The report of a finished job, from either engine: one place that says what it holds.

    The two engines keep the same outputs under the same names, except the late events
    (``late`` here), which the Dataflow engine calls ``late_events`` because its ``late`` is the
    late-firing trigger.
    """
    return TriggerReport(
        panes=eng.panes,
        late=late,
        final=eng.final,
        latency=latency_stats(eng.latencies),
        first_answer=latency_stats(eng.first_answer),
        window=window,
        watermark_delay=watermark_delay,
        allowed_lateness=allowed_lateness,
        aggregate=aggregate,
        early_every=early_every,
        accumulation=accumulation,
        events=len(evs),
        watermarks=eng.watermarks,
        dropped=eng.dropped,
        semantics=semantics,
        early_count=early_count,
        trigger=trigger,
        watermark=watermark,
    )


def _drive(eng: TriggeredEngine, evs: list[Event]) -> None:
    for ev in evs:
        eng.process(ev, ev.arrival_time)
    if evs:
        eng.finish(evs[-1].arrival_time)


__all__ = [
    "ACCUMULATIONS",
    "Pane",
    "TriggerReport",
    "TriggeredEngine",
    "run_triggered",
]
